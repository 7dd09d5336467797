"""`due` → `due` (in parts): what a browser that was not connected should show now, claimed like a push, and
when to ask again. The extension's alarm asks this; it keeps no reminder rules of its own."""
from __future__ import annotations

from aliwatch.host import errors, parts
from aliwatch.host.memory import Memory, StoreUnavailable
from aliwatch.host.replies import Id, error


def reply(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
    lang = msg.get("ui_lang", memory.ui_lang)
    if not isinstance(lang, str):
        return [error(req_id, errors.BAD_ARGUMENT, "ui_lang must be a string", field="ui_lang")]
    try:
        now, due, upcoming = memory.claim_due(lang)
    except StoreUnavailable as e:
        return [error(req_id, errors.STORE_UNAVAILABLE, str(e))]
    fields = {"now": now.isoformat(), "next_at": upcoming.isoformat() if upcoming else None}
    return parts.split_list(req_id, "due", fields, "reminders", due)
