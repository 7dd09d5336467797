"""Start a registered host the way a browser does and ask it for a `ping` over the real framing.

Browsers start the manifest's "path" directly (Windows: through `cmd /d /c`), in the launcher's directory,
with the extension's origin (Chrome) or the manifest path and add-on id (Firefox) as arguments, and with
the environment of a GUI session: a short PATH. The probe does the same, reads frames until the pong
(the host may push other frames first), then closes stdin like a closing port and expects a clean exit."""
from __future__ import annotations

import os
import struct
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from aliwatch import FIREFOX_EXTENSION_ID
from aliwatch.host import codec
from aliwatch.install.manifest import chrome_origin

GUI_PATH = "/usr/bin:/bin:/usr/sbin:/sbin"  # what a browser started from a desktop session typically has
EXIT_GRACE_S = 5.0  # Firefox waits 3 s after closing stdin before it kills the host


@dataclass(frozen=True)
class PingResult:
    kind: str  # "pong" | "spawn" | "timeout" | "garbage" | "exited" | "linger" | "exit_code"
    detail: str  # what happened, for the report
    millis: int | None = None

    @property
    def ok(self) -> bool:
        return self.kind == "pong"


def browser_command(os_name: str, launcher: str, kind: str, manifest: Path) -> list[str]:
    args = [str(manifest), FIREFOX_EXTENSION_ID] if kind == "firefox" else [chrome_origin()]
    if os_name == "win32":
        if kind == "chrome":
            args.append("--parent-window=0")  # what Chrome adds on Windows (0: called from a service worker)
        return [os.environ.get("COMSPEC", "cmd.exe"), "/d", "/c", launcher, *args]
    return [launcher, *args]


def browser_env(os_name: str) -> dict[str, str]:
    env = dict(os.environ)
    if os_name != "win32":
        env["PATH"] = GUI_PATH
    return env


def _read_reply(stream: BinaryIO) -> bytes | None:
    """One host -> browser frame, held to the browsers' 1 MiB limit: a larger declared length is how stray
    text on stdout shows up ("/hom", "usag"), and is reported at once instead of waiting for 1.8 GB."""
    prefix = stream.read(codec.PREFIX_SIZE)
    if not prefix:
        return None
    while len(prefix) < codec.PREFIX_SIZE:
        more = stream.read(codec.PREFIX_SIZE - len(prefix))
        if not more:
            raise codec.TruncatedFrame(f"stdout ended inside a length prefix: {prefix!r}")
        prefix += more
    (length,) = struct.unpack("=I", prefix)
    if length > codec.MAX_OUTBOUND:
        raise codec.CodecError(f"declared length {length} (bytes {prefix!r}) is over the browsers' 1 MiB limit")
    body = stream.read(length)
    while len(body) < length:
        more = stream.read(length - len(body))
        if not more:
            raise codec.TruncatedFrame(f"stdout ended inside a {length}-byte frame")
        body += more
    return body


def _tail(data: bytes, lines: int = 3) -> str:
    text = data.decode("utf-8", "replace").strip().splitlines()
    return " | ".join(text[-lines:]) if text else "(nothing on stderr)"


def ping(command: list[str], cwd: str, env: dict[str, str] | None = None, timeout: float = 20.0) -> PingResult:
    start = time.monotonic()
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=cwd, env=env)
    except OSError as e:
        return PingResult("spawn", f"could not start {command[0]}: {e}")
    stderr: list[bytes] = []
    drain = threading.Thread(target=lambda: stderr.append(proc.stderr.read()), daemon=True)  # type: ignore[union-attr]
    drain.start()
    answer: dict = {}

    def read() -> None:
        try:
            while True:
                body = _read_reply(proc.stdout)  # type: ignore[arg-type]
                if body is None:
                    answer["eof"] = True
                    return
                msg = codec.decode(body)
                if isinstance(msg, dict) and msg.get("type") == "pong" and msg.get("id") == "doctor":
                    answer["pong"] = msg
                    return
        except codec.CodecError as e:
            answer["error"] = str(e)
        except (OSError, ValueError) as e:
            answer["error"] = f"reading stdout failed: {e}"

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        proc.stdin.write(codec.encode({"type": "ping", "id": "doctor"}))  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
    except OSError:
        pass  # it died at once: the reader sees EOF and stderr says why
    reader.join(timeout)
    in_time = not reader.is_alive()
    millis = int((time.monotonic() - start) * 1000)
    try:
        proc.stdin.close()  # type: ignore[union-attr]
    except OSError:
        pass
    try:
        code = proc.wait(EXIT_GRACE_S)
        exited = True
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
        exited = False
    drain.join(2)
    err = _tail(b"".join(stderr))
    if not in_time:
        return PingResult("timeout", f"no answer within {timeout:g} s: {err}")
    if "pong" in answer:
        if not exited:
            return PingResult("linger", f"answered ping in {millis} ms but did not exit within {EXIT_GRACE_S:.0f} s "
                                     "after stdin closed", millis)
        if code != 0:
            return PingResult("exit_code", f"answered ping in {millis} ms but exited with code {code}: {err}", millis)
        return PingResult("pong", f"answered ping in {millis} ms", millis)
    if "error" in answer:
        return PingResult("garbage", f"wrote something that is not a native-messaging frame: {answer['error']}; "
                                 f"stderr: {err}")
    return PingResult("exited", f"closed its output without answering (exit code {code}): {err}")
