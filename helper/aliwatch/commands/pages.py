"""Reading the PAGE argument of a subcommand: a file, or '-' for stdin. One place for its errors."""
from __future__ import annotations

import sys


def read_page(path: str) -> bytes | None:
    """The page's bytes, or None after a one-line error on stderr (the caller exits 2)."""
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        print(f"aliwatch: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return None


def looks_like_html(data: bytes, path: str) -> bool:
    """False, after a one-line error, for empty input or binary data (a NUL early on)."""
    if b"\x00" in data[:4096] or not data.strip():
        print(f"aliwatch: {path} is not an HTML page", file=sys.stderr)
        return False
    return True
