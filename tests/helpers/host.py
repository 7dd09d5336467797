"""The real `python -m aliwatch host` process, fed a whole session on stdin."""
from __future__ import annotations

import io
import os
import subprocess
import sys

from aliwatch.host.codec import MAX_OUTBOUND, decode, read_frame

HOST = [sys.executable, "-m", "aliwatch", "host"]


def run_host(stdin: bytes, *, cmd: list[str] = HOST, env: dict | None = None,
             timeout: float = 300) -> tuple[int, list[dict], str]:
    """Feed stdin, close it, and return (exit code, decoded frames, stderr). Fails unless stdout is only
    whole frames, each within the browser's 1 MiB limit."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
    proc = subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout, env={**base, **(env or {})})
    out = io.BytesIO(proc.stdout)
    frames = []
    while (body := read_frame(out)) is not None:  # TruncatedFrame here = junk on stdout
        assert len(body) <= MAX_OUTBOUND
        frames.append(decode(body))
    return proc.returncode, frames, proc.stderr.decode("utf-8", "replace")
