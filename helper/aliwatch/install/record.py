"""The install record (install.json next to the launcher): every file, dir and registry key install
wrote, so uninstall removes exactly those and nothing else."""
from __future__ import annotations

import json
from pathlib import Path

from aliwatch.install.files import write_atomic
from aliwatch.install.machine import InstallError

RECORD_NAME = "install.json"
RECORD_VERSION = 2


def record_path(data_dir: Path) -> Path:
    return data_dir / RECORD_NAME


def empty() -> dict:
    return {"version": RECORD_VERSION, "launcher": None, "python": None, "created_dirs": [], "manifests": []}


def load(data_dir: Path) -> dict:
    path = record_path(data_dir)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty()
    except (OSError, ValueError) as e:
        raise InstallError(f"{path}: unreadable install record ({e}); remove it and run install again") from None
    if not isinstance(record, dict) or not isinstance(record.get("manifests", []), list):
        raise InstallError(f"{path}: not an install record; remove it and run install again")
    for key, value in empty().items():
        record.setdefault(key, value)
    for entry in record["manifests"]:  # version 1 entries had no variant/registry/launcher
        entry.setdefault("variant", "native")
        entry.setdefault("registry", None)
        entry.setdefault("launcher", None)
        entry.setdefault("created_dirs", [])
    return record


def save(data_dir: Path, record: dict) -> None:
    record["version"] = RECORD_VERSION
    write_atomic(record_path(data_dir), json.dumps(record, indent=2) + "\n", 0o644)
