"""File operations the installer needs to be able to undo: mkdir -p that reports what it created,
atomic writes, and rmdir of exactly the dirs it created."""
from __future__ import annotations

import os
from pathlib import Path


def mkdirs(path: Path) -> list[str]:
    """mkdir -p, returning the dirs it created (outermost first) so uninstall can remove them again."""
    missing: list[Path] = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    path.mkdir(parents=True, exist_ok=True)
    return [str(d) for d in reversed(missing)]


def write_atomic(path: Path, text: str, mode: int) -> None:
    # Write a sibling then rename, so a browser starting meanwhile never reads half a file. newline="" keeps
    # the text's own line ends (LF for scripts and JSON, CRLF for .cmd files).
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def remove_dirs(dirs: list[str]) -> None:
    # Deepest first; rmdir refuses non-empty dirs, so a dir that holds something else survives.
    for d in sorted(set(dirs), key=lambda d: len(Path(d).parts), reverse=True):
        try:
            os.rmdir(d)
        except OSError:
            pass
