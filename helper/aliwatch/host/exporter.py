"""The `export` request: what `aliwatch export --format json|csv|ics` writes (export.render), sent to
the browser as text it saves as a file. A host may send at most 1 MiB per message, so a large export is
split into parts whose `content` the client concatenates; past MAX_PARTS it is refused with a clear error
(the terminal command has no limit)."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from aliwatch.host.codec import MAX_OUTBOUND, dumps
from aliwatch.host.errors import STORE_UNAVAILABLE
from aliwatch.host.replies import BAD_ARGUMENT, REPLY_TOO_LARGE, Id, error

log = logging.getLogger("aliwatch.host")

FORMATS = ("json", "csv", "ics")
MAX_PARTS = 64  # 64 MiB, Chrome's own cap for one message the other way round


def _size(text: str) -> int:
    """Bytes `text` takes inside a JSON string of a frame (escapes included, quotes excluded)."""
    return len(dumps(text)) - 2


def chunks(text: str, room: int) -> list[str]:
    """Split text into pieces whose JSON-string size is at most `room` bytes; "".join() gives text back.
    Cuts fall between lines where possible (a line longer than `room` is cut between characters)."""
    pieces: list[str] = []
    current: list[str] = []
    used = 0

    def flush() -> None:
        nonlocal current, used
        if current:
            pieces.append("".join(current))
        current, used = [], 0

    for line in text.splitlines(keepends=True):
        size = _size(line)
        if size > room:
            flush()
            for ch in line:  # rare: only a single line over ~1 MiB
                cost = _size(ch)
                if used + cost > room:
                    flush()
                current.append(ch)
                used += cost
            flush()
            continue
        if used + size > room:
            flush()
        current.append(line)
        used += size
    flush()
    return pieces or [""]


def messages(req_id: Id, fmt: str, filename: str, content: str, limit: int | None = None) -> list[dict]:
    limit = MAX_OUTBOUND if limit is None else limit

    def message(part: int, parts: int, piece: str) -> dict:
        return {"type": "export", "id": req_id, "part": part, "parts": parts, "format": fmt,
                "filename": filename, "content": piece}

    widest = 10 ** 6  # part/parts are never near this; sizing with it is an upper bound
    room = limit - len(dumps(message(widest, widest, "")))
    pieces = chunks(content, room)
    return [message(i, len(pieces), piece) for i, piece in enumerate(pieces, start=1)]


def reply(req_id: Id, msg: dict) -> list[dict]:
    """{"type": "export", "id", "format", "ui_lang"?} → one or more {"type": "export", …, "content"}."""
    fmt = msg.get("format")
    if fmt not in FORMATS:
        return [error(req_id, BAD_ARGUMENT, f"format: must be one of {', '.join(FORMATS)}")]
    lang = msg.get("ui_lang", "en")
    if not isinstance(lang, str):
        return [error(req_id, BAD_ARGUMENT, "ui_lang: must be a string")]
    from aliwatch.export import render
    from aliwatch.store import Store

    now = datetime.now(timezone.utc)
    try:
        # Its own short-lived connection: an export is rare, and this keeps the host's store connection private
        # to memory.py.
        with Store() as store:
            orders = store.orders()
    except Exception as e:
        log.exception("export: cannot read the deadline store")
        return [error(req_id, STORE_UNAVAILABLE, f"cannot read the deadline store: {type(e).__name__}: {e}")]
    content = render(fmt, orders, now, lang)
    filename = f"aliwatch-{now:%Y-%m-%d}.{fmt}"
    out = messages(req_id, fmt, filename, content)
    if len(out) > MAX_PARTS:
        size = len(content.encode("utf-8", "surrogatepass"))
        return [error(req_id, REPLY_TOO_LARGE,
                      f"the {fmt} export is {size / 2**20:.1f} MiB, more than the {MAX_PARTS} MiB the browser "
                      f"can take; run `aliwatch export --format {fmt} -o FILE` in a terminal instead")]
    return out
