"""Where AliWatch keeps your data, and removing it (`aliwatch uninstall --purge`).

What the helper writes outside its own install: the deadline store (SQLite, with its -wal/-shm files), the
dashboard token (in the OS keyring, or a 0600 file where there is none), the launcher and install.json
(`aliwatch install`), and a log only when ALIWATCH_LOG names a file. `doctor` lists them, plain
`uninstall` says which remain, `uninstall --purge` removes them."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Place:
    what: str
    where: str
    exists: bool


def _keyring_token() -> bool | None:
    """True/False: whether the OS keyring holds the dashboard token; None when there is no usable keyring."""
    from aliwatch.dashboard import token

    try:
        backend = token._usable_keyring()
        if backend is None:
            return None
        return backend.get_password(token.SERVICE, token.USER) is not None
    except Exception:  # a backend that fails (no D-Bus session…) holds nothing we can reach
        return None


def places(machine=None) -> list[Place]:  # type: ignore[no-untyped-def]
    from aliwatch.dashboard import token
    from aliwatch.install.machine import Machine
    from aliwatch.install.record import record_path
    from aliwatch.store import default_path

    db = default_path()
    out = [Place("deadline store", str(db), db.exists())]
    in_keyring = _keyring_token()
    if in_keyring is not None:
        out.append(Place("dashboard token", f"OS keyring, service {token.SERVICE!r}, user {token.USER!r}",
                         in_keyring))
    file = token.token_file()
    out.append(Place("dashboard token file", str(file), file.exists()))
    record = record_path((machine or Machine.current()).data_dir(False))
    out.append(Place("install record and launcher", str(record.parent), record.exists()))
    log = os.environ.get("ALIWATCH_LOG")
    out.append(Place("host log", log or "none (the host logs to the browser's stderr; set ALIWATCH_LOG=FILE "
                                        "in the browser's environment to keep one)", bool(log and Path(log).exists())))
    return out


def render(found: list[Place]) -> str:
    lines = ["data:"]
    for p in found:
        lines.append(f"  {p.what}: {p.where}{'' if p.exists or p.what == 'host log' else ' (not there yet)'}")
    return "\n".join(lines)


def remaining() -> list[str]:
    """What plain `uninstall` leaves behind, one line each (empty when nothing)."""
    return [f"{p.what}: {p.where}" for p in places()
            if p.exists and p.what in ("deadline store", "dashboard token", "dashboard token file")]


def purge() -> list[str]:
    """Deletes the store (and its side files), the token file and the keyring entry; returns what it did."""
    from aliwatch.dashboard import token
    from aliwatch.store import default_path

    out = []
    db = default_path()
    for path in [db] + [db.with_name(db.name + s) for s in SQLITE_SIDE_FILES]:
        if path.exists():
            path.unlink()
            out.append(f"removed {path}")
    file = token.token_file()
    if file.exists():
        file.unlink()
        out.append(f"removed {file}")
    if _keyring_token():
        backend = token._usable_keyring()
        backend.delete_password(token.SERVICE, token.USER)
        out.append(f"removed the dashboard token from the OS keyring ({token.SERVICE}/{token.USER})")
    for folder in {db.parent, file.parent}:
        try:
            folder.rmdir()  # only when empty: install's launcher and record may still be there
            out.append(f"removed {folder}")
        except OSError:
            pass
    return out
