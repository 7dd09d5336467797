"""`export` → `export` (in parts): what `aliwatch export --format json|csv|ics` writes (export.render), sent
to the browser as text it saves as a file. Past MAX_PARTS it is refused with a clear error (the terminal
command has no limit)."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from aliwatch.host import errors, parts
from aliwatch.host.codec import MAX_OUTBOUND
from aliwatch.host.memory import Memory
from aliwatch.host.replies import Id, error

log = logging.getLogger("aliwatch.host")

FORMATS = ("json", "csv", "ics")
MAX_PARTS = 64  # 64 MiB, Chrome's own cap for one message the other way round


def messages(req_id: Id, fmt: str, filename: str, content: str, limit: int | None = None) -> list[dict]:
    def message(part: int, parts_: int, piece: str) -> dict:
        return {"type": "export", "id": req_id, "part": part, "parts": parts_, "format": fmt,
                "filename": filename, "content": piece}

    return parts.split_text(message, content, MAX_OUTBOUND if limit is None else limit)


def reply(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
    """{"type": "export", "id", "format", "ui_lang"?} → one or more {"type": "export", …, "content"}."""
    fmt = msg.get("format")
    if fmt not in FORMATS:
        return [error(req_id, errors.BAD_ARGUMENT, f"format: must be one of {', '.join(FORMATS)}", field="format")]
    lang = msg.get("ui_lang", "en")
    if not isinstance(lang, str):
        return [error(req_id, errors.BAD_ARGUMENT, "ui_lang: must be a string", field="ui_lang")]
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
        return [error(req_id, errors.STORE_UNAVAILABLE, f"cannot read the deadline store: {type(e).__name__}: {e}")]
    content = render(fmt, orders, now, lang)
    filename = f"aliwatch-{now:%Y-%m-%d}.{fmt}"
    out = messages(req_id, fmt, filename, content)
    if len(out) > MAX_PARTS:
        size = len(content.encode("utf-8", "surrogatepass"))
        return [error(req_id, errors.REPLY_TOO_LARGE,
                      f"the {fmt} export is {size / 2**20:.1f} MiB, more than the {MAX_PARTS} MiB the browser "
                      f"can take; run `aliwatch export --format {fmt} -o FILE` in a terminal instead")]
    return out
