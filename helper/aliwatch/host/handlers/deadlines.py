"""`deadlines` → `deadlines` (in parts): the stored deadlines with what the advice says about each now."""
from __future__ import annotations

from aliwatch.host import errors, parts
from aliwatch.host.memory import Memory, StoreUnavailable
from aliwatch.host.replies import Id, error


def reply(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
    include_past = msg.get("include_past", False)
    if not isinstance(include_past, bool):
        return [error(req_id, errors.BAD_ARGUMENT, "include_past must be true or false", field="include_past")]
    lang = msg.get("ui_lang", memory.ui_lang)
    if not isinstance(lang, str):
        return [error(req_id, errors.BAD_ARGUMENT, "ui_lang must be a string", field="ui_lang")]
    try:
        now, entries = memory.deadlines(include_past, lang)
    except StoreUnavailable as e:
        return [error(req_id, errors.STORE_UNAVAILABLE, str(e))]
    return parts.split_list(req_id, "deadlines", {"now": now.isoformat()}, "deadlines", entries)
