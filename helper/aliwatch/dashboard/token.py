"""The dashboard's per-install token: made once with `secrets`, kept in the OS keyring (service "aliwatch",
user "dashboard-token"). Where there is no keyring backend (headless Linux: keyring's fail backend, or a
backend that errors), it is kept in a file that only the user can read, and the command says so."""
from __future__ import annotations

import os
import re
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

SERVICE = "aliwatch"
USER = "dashboard-token"
FILE_NAME = "dashboard-token"
_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,128}")


@dataclass
class Token:
    value: str
    where: str  # "keyring" or "file"
    path: Path | None = None  # the file, when where == "file"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("aliwatch", appauthor=False)) / FILE_NAME


def _usable_keyring():  # type: ignore[no-untyped-def]
    """The configured keyring backend, or None when it is keyring's "no backend" stand-in."""
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    return None if isinstance(backend, fail.Keyring) else backend


def _read_file(path: Path) -> str | None:
    try:
        value = path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return value if _SHAPE.fullmatch(value) else None


def _write_file(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # O_CREAT's mode is masked by the umask and ignored for an existing file
        os.write(fd, value.encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _say(message: str) -> None:
    print(f"aliwatch: {message}", file=sys.stderr)


def load(rotate: bool = False, *, path: Path | None = None, say: Callable[[str], None] = _say) -> Token:
    """The token, made (or replaced, with rotate) as needed. Keyring first; the 0600 file otherwise, with
    one line on stderr saying where it is kept and why."""
    path = path or token_file()
    backend = _usable_keyring()
    reason = "no OS keyring backend is available"
    if backend is not None:
        try:
            value = None if rotate else backend.get_password(SERVICE, USER)
            if value is None or not _SHAPE.fullmatch(value):
                # A token from the file fallback moves into the keyring once there is one.
                value = (None if rotate else _read_file(path)) or new_token()
                backend.set_password(SERVICE, USER, value)
            if path.exists():
                path.unlink()
            return Token(value, "keyring")
        except Exception as e:  # KeyringError, or a backend's own (Secret Service without a D-Bus session…)
            reason = f"the OS keyring failed ({type(e).__name__}: {e})"
    value = None if rotate else _read_file(path)
    if value is None:
        value = new_token()
        _write_file(path, value)
    elif path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    say(f"{reason}; the dashboard token is kept in {path} (readable only by you)")
    return Token(value, "file", path)
