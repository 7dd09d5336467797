"""The dashboard's per-install token: made once with `secrets`, kept in the OS keyring (service "aliwatch",
user "dashboard-token"). Where there is no OS keyring (headless Linux, a backend that errors), it is kept in
a file in AliWatch's data dir that only the user can read, and the command says so.

The backend is chosen here, once per process, not by keyring's discovery (issue 13): discovery imports every
installed backend, and the macOS one runs ctypes.util.find_library on import, which on Linux starts gcc, ld
and ldconfig (about 15 processes and a dozen temp files per load). Only the platform's own keyring is
loaded (Secret Service or KWallet, macOS Keychain, Windows Credential Locker), or the one named by
PYTHON_KEYRING_BACKEND. A plaintext backend (keyrings.alt's files, keyring's null/fail) is never used
silently: the token then goes to AliWatch's own 0600 file in its data dir, and the command says so."""
from __future__ import annotations

import functools
import importlib
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


# The OS keyrings, most likely first, as "module:Class" under keyring.backends.
_PLATFORM_BACKENDS = {
    "linux": ("keyring.backends.SecretService:Keyring", "keyring.backends.kwallet:DBusKeyring"),
    "darwin": ("keyring.backends.macOS:Keyring",),
    "win32": ("keyring.backends.Windows:WinVaultKeyring",),
}
# Backends that keep secrets in plain files, or keep nothing: never the token's home.
_NOT_A_KEYRING = ("keyrings.alt.", "keyring.backends.fail", "keyring.backends.null", "keyring.backends.chainer")
NO_KEYRING = "no OS keyring backend is available"
_refusal = NO_KEYRING  # why _usable_keyring() said None, for the message


def _load_class(spec: str):  # type: ignore[no-untyped-def]
    module, _, name = spec.partition(":") if ":" in spec else spec.rpartition(".")
    return getattr(importlib.import_module(module), name)


@functools.lru_cache(maxsize=1)
def _load_backend():  # type: ignore[no-untyped-def]
    """The keyring backend to use, loaded once per process without keyring's discovery; None if none works."""
    named = os.environ.get("PYTHON_KEYRING_BACKEND")
    specs = (named,) if named else _PLATFORM_BACKENDS.get("linux" if sys.platform.startswith("linux")
                                                          else sys.platform, ())
    for spec in specs:
        try:
            cls = _load_class(spec)
            if not named and cls.priority <= 0:  # raises, or is <= 0, when the service is not there
                continue
            return cls()
        except Exception:  # not installed, no D-Bus session, …: the next one, then the file
            continue
    return None


def _usable_keyring():  # type: ignore[no-untyped-def]
    """The OS keyring backend, or None when there is none or it would keep the token in plain text."""
    global _refusal
    backend = _load_backend()
    if backend is None:
        _refusal = NO_KEYRING
        return None
    module = type(backend).__module__ + "."
    if module.startswith(_NOT_A_KEYRING):
        _refusal = (f"the keyring backend {type(backend).__module__}.{type(backend).__name__} is not an OS "
                    "keyring (it keeps secrets in plain text, or nowhere)")
        return None
    return backend


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
    reason = _refusal if backend is None else NO_KEYRING
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
