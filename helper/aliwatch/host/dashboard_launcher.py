"""The `dashboard` request: the live dashboard's address (with its token), starting `aliwatch dashboard
--no-browser` as a detached process when none answers.

The browser ends the host whenever it closes the port, so the dashboard runs in its own session and
outlives it. `dashboard.json` in the user data dir remembers the dashboard's pid and port for the next
request (from this host, the other browser's host, or a later one).

The token is never sent to a port before the process behind it is known to be our dashboard (issue 13: a
stand-in on 127.0.0.1:47800 used to receive `GET /?token=…`). A dashboard counts as running only if
- the socket listening on the port belongs to the recorded pid (or, for the default port with no record,
  to some process), and that process runs `… aliwatch dashboard …` as this user (Linux: /proc); and
- it answers a fresh random challenge with proof(token, challenge), an HMAC (dashboard/server.py).
A stale pid, a reused port, a stand-in or a rotated token all mean "start one".
The child's stdout goes to a private file, not a pipe: the host may exit while the dashboard still writes."""
from __future__ import annotations

import contextlib
import http.client
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


log = logging.getLogger("aliwatch.host")

BIND = "127.0.0.1"  # dashboard/server.py binds here (imported lazily there: it needs websockets)
DEFAULT_PORT = 47800  # the CLI's default: a calendar subscription keeps its address across restarts
STATE_FILE = "dashboard.json"
OUT_FILE = "dashboard.out"  # the child's stdout while it starts; its first line is the address
LOG_FILE = "dashboard.log"  # the child's stderr
LOCK_FILE = "dashboard.lock"
START_TIMEOUT = 20.0  # seconds for a cold `python -m aliwatch dashboard` (imports websockets, keyring)
PROBE_TIMEOUT = 2.0

_children: list[subprocess.Popen] = []  # kept so Python reaps them instead of warning about them


class LaunchError(Exception):
    pass


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("aliwatch", appauthor=False))


def address(port: int, token: str) -> str:
    """The address `aliwatch dashboard` prints (commands/dashboard.py)."""
    return f"http://{BIND}:{port}/?token={token}"


def _proof(token: str, challenge: str) -> str:
    import hashlib
    import hmac

    return hmac.new(token.encode(), b"aliwatch-dashboard-proof\0" + challenge.encode(), hashlib.sha256).hexdigest()


def probe(port: int, token: str, pid: int | None = None, timeout: float = PROBE_TIMEOUT) -> bool:
    """True when the process listening on this port is our dashboard (pid, when given, must be it) and it
    proves it holds this token. Nothing secret is sent: only a random challenge."""
    owner = listener_pid(port)
    if owner is not None or os.path.isdir("/proc/net"):  # Linux: the owner must be known and be ours
        if owner is None or (pid is not None and owner != pid) or not _is_our_dashboard(owner):
            return False
    elif pid is not None and not _alive(pid):  # no /proc: at least the recorded process must exist
        return False
    import secrets

    challenge = secrets.token_hex(32)
    conn = http.client.HTTPConnection(BIND, port, timeout=timeout)
    try:
        conn.request("GET", f"/aliwatch-proof?challenge={challenge}")
        resp = conn.getresponse()
        body = resp.read(4096)
        if resp.status != 200:
            return False
        given = json.loads(body.decode("utf-8")).get("proof")
    except (OSError, http.client.HTTPException, ValueError, AttributeError):
        return False
    finally:
        conn.close()
    import hmac

    return isinstance(given, str) and hmac.compare_digest(given.encode(), _proof(token, challenge).encode())


def listener_pid(port: int) -> int | None:
    """The pid of this user's process listening on 127.0.0.1:port, from /proc (Linux); None if none or unknown."""
    want = f"0100007F:{port:04X}"
    inodes = set()
    try:
        with open("/proc/net/tcp", encoding="ascii") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if len(fields) > 9 and fields[1] == want and fields[3] == "0A":  # 0A: LISTEN
                    inodes.add(f"socket:[{fields[9]}]")
    except OSError:
        return None
    if not inodes:
        return None
    uid = os.getuid()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            for fd in os.scandir(f"/proc/{entry.name}/fd"):
                if os.readlink(fd.path) in inodes:
                    return int(entry.name)
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def read_state(directory: Path) -> dict | None:
    try:
        state = json.loads((directory / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(state, dict) and isinstance(state.get("pid"), int) and isinstance(state.get("port"), int)):
        return None
    return state


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _is_our_dashboard(pid: int) -> bool:
    """A process of this user whose command line is `… aliwatch dashboard …` (pids get reused). Only such a
    process is trusted with the token or stopped. Where /proc is missing (not Linux) this is False."""
    try:
        if os.stat(f"/proc/{pid}").st_uid != os.getuid():
            return False
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"aliwatch" in args and b"dashboard" in args


def _stop(pid: int) -> None:
    """Stop a dashboard we started that no longer answers (hung, or its token was rotated)."""
    if not _is_our_dashboard(pid):
        return
    import signal

    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGTERM)
        log.info("stopped the unresponsive dashboard (pid %d)", pid)
    deadline = time.monotonic() + 3.0  # let it release its port, so the new one can keep the same address
    while _is_our_dashboard(pid) and time.monotonic() < deadline:  # a zombie has an empty cmdline
        time.sleep(0.05)


def _port_free(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((BIND, port))
        except OSError:
            return False
    return True


@contextlib.contextmanager
def _locked(directory: Path):  # type: ignore[no-untyped-def]
    """One launch at a time across processes (Chrome's and Firefox's hosts may ask together)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            import fcntl
        except ImportError:  # Windows: no flock; a second launcher then fails to bind and says so
            fcntl = None  # type: ignore[assignment]
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _token() -> str:
    from aliwatch.dashboard import token

    try:
        return token.load(say=lambda text: log.info("dashboard token: %s", text)).value
    except OSError as e:
        raise LaunchError(f"cannot read or create the dashboard token: {e}") from e


def _check_address(line: str, token: str) -> tuple[str, int]:
    parts = urlsplit(line)
    given = parse_qs(parts.query).get("token", [""])[0]
    if parts.scheme != "http" or parts.hostname != BIND or not parts.port or not given:
        raise LaunchError(f"aliwatch dashboard printed an unexpected first line: {line[:200]!r}")
    if given != token:  # reuse would then never recognise it: say so instead of restarting it every time
        raise LaunchError("the dashboard reads another token than the helper (different keyring backends?)")
    return line, parts.port


def _log_since(path: Path, offset: int) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            text = f.read(4096).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return text[-1000:]


def start(directory: Path, port: int, token: str, timeout: float = START_TIMEOUT) -> tuple[str, int]:
    """Start `aliwatch dashboard --no-browser` detached; returns (address, pid) once it printed its address."""
    if port and not _port_free(port):
        log.info("port %d is taken by something that is not our dashboard; using a free one", port)
        port = 0
    out_path, log_path = directory / OUT_FILE, directory / LOG_FILE
    out_fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the address holds the token
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    log_offset = os.fstat(log_fd).st_size
    cmd = [sys.executable, "-m", "aliwatch", "dashboard", "--no-browser", "--port", str(port)]
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out_fd, stderr=log_fd, cwd=directory,
                                start_new_session=True, close_fds=True)
    except OSError as e:
        raise LaunchError(f"cannot start {' '.join(cmd)}: {e}") from e
    finally:
        os.close(out_fd)
        os.close(log_fd)
    _children.append(proc)
    deadline = time.monotonic() + timeout
    try:
        while True:
            text = out_path.read_text("utf-8", "replace")
            if "\n" in text:
                line = text.split("\n", 1)[0].strip()
                break
            code = proc.poll()
            if code is not None:
                said = _log_since(log_path, log_offset) or "(nothing on stderr)"
                raise LaunchError(f"aliwatch dashboard exited with code {code}: {said}")
            if time.monotonic() > deadline:
                proc.terminate()
                raise LaunchError(f"aliwatch dashboard printed no address within {timeout:.0f} s; "
                                  f"see {log_path}")
            time.sleep(0.05)
        url, bound = _check_address(line, token)
    except LaunchError:
        if proc.poll() is None:
            proc.terminate()
        raise
    finally:
        with contextlib.suppress(OSError):
            out_path.unlink()  # the child keeps writing to its (now nameless) file; the token is not left lying
    _write_private(directory / STATE_FILE, json.dumps({"pid": proc.pid, "port": bound}) + "\n")
    log.info("started the dashboard (pid %d, port %d)", proc.pid, bound)
    return url, proc.pid


def ensure(*, start_if_needed: bool, directory: Path | None = None, port: int | None = None) -> str | None:
    """The running dashboard's address; with start_if_needed, start one when none answers (else None)."""
    directory = directory or data_dir()
    port = DEFAULT_PORT if port is None else port
    token = _token()
    with _locked(directory):
        state = read_state(directory)
        candidates = [(state["port"], state["pid"])] if state else []
        if port and port not in [p for p, _ in candidates]:
            candidates.append((port, None))  # e.g. one the user started in a terminal with the default port
        for candidate, pid in candidates:
            if probe(candidate, token, pid):
                return address(candidate, token)
        if not start_if_needed:
            return None
        if state:
            _stop(state["pid"])
        url, _ = start(directory, port, token)
        return url
