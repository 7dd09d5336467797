"""The real `python -m aliwatch host` process: fed a whole session on stdin, or kept running (HostProcess)."""
from __future__ import annotations

import io
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from aliwatch.host.codec import MAX_OUTBOUND, decode, encode, read_frame

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


class HostProcess:
    """A host subprocess with a reader thread, so frames can be awaited with a timeout."""

    def __init__(self, db: Path, interval: float = 0.2, extra: list[str] | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
        env.update(ALIWATCH_DB=str(db), ALIWATCH_REMINDER_INTERVAL=str(interval))
        cmd = [sys.executable, *(extra or []), "-m", "aliwatch", "host"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env)
        self.frames: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while (body := read_frame(self.proc.stdout)) is not None:
            self.frames.put(decode(body))

    def send(self, msg: dict) -> None:
        self.proc.stdin.write(encode(msg))
        self.proc.stdin.flush()

    def next(self, timeout: float = 60) -> dict:
        return self.frames.get(timeout=timeout)

    def reply(self, req_id: object, timeout: float = 60) -> tuple[dict, list[dict]]:
        """The reply with this id, and the pushes that arrived before it."""
        pushes = []
        while True:
            msg = self.next(timeout)
            if msg.get("id") == req_id and "id" in msg:
                return msg, pushes
            pushes.append(msg)

    def pushes_within(self, seconds: float, until: int | None = None) -> list[dict]:
        """Every frame that arrives within `seconds` (they must all be pushes); with `until`, stop early once
        that many warnings have arrived."""
        out, end = [], time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                out.append(self.next(left))
            except queue.Empty:
                break
            if until is not None and sum(len(m.get("warnings", [])) for m in out) >= until:
                break
        assert all("id" not in m for m in out), out
        return out

    def close(self) -> tuple[int, str]:
        self.proc.stdin.close()
        code = self.proc.wait(timeout=60)
        return code, self.proc.stderr.read().decode("utf-8", "replace")
