"""`phrase_override` → `phrase_override`: the words the user taught AliWatch (issue #11), set from an
`unrecognized` badge's panel, listed and removed from the options page. The checks and the matching are
aliwatch/overrides.py; the rows live in the deadline store (the Memory's connection, in the analysis worker,
so a taught word is on disk before the snapshot the panel re-sends next is analysed)."""
from __future__ import annotations

from datetime import datetime, timezone

from aliwatch.host import errors, parts
from aliwatch.host.memory import Memory, StoreUnavailable
from aliwatch.host.replies import Id, error

ACTIONS = ("set", "list", "remove")


def _bad(req_id: Id, field: str, message: str) -> list[dict]:
    return [error(req_id, errors.BAD_ARGUMENT, f"{field}: {message}", field=field)]


def reply(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
    from aliwatch.overrides import OverrideError, check

    action = msg.get("action")
    if action not in ACTIONS:
        return _bad(req_id, "action", f"must be one of {', '.join(ACTIONS)}")
    try:
        if action == "set":
            try:
                lang, text, key = check(msg.get("lang"), msg.get("text"), msg.get("status"))
            except OverrideError as e:
                return _bad(req_id, e.field, e.message)
            row = memory.store().set_override(lang, key, text, msg["status"], datetime.now(timezone.utc))
            return [{"type": "phrase_override", "id": req_id, "action": "set", "override": row}]
        if action == "list":
            return parts.split_list(req_id, "phrase_override", {"action": "list"}, "overrides",
                                    memory.store().overrides())
        return _remove(req_id, msg, memory.store())
    except StoreUnavailable as e:
        return [error(req_id, errors.STORE_UNAVAILABLE, str(e))]


def _remove(req_id: Id, msg: dict, store) -> list[dict]:  # type: ignore[no-untyped-def]
    """By `override_id` (what a list gave), or by `lang` and `text` (as the page showed it)."""
    from aliwatch.overrides import OverrideError, check

    override_id = msg.get("override_id")
    if override_id is not None:
        if isinstance(override_id, bool) or not isinstance(override_id, int) or override_id < 1:
            return _bad(req_id, "override_id", "must be a positive whole number (an id from action list)")
        removed = store.remove_override(override_id=override_id)
        what = f"no taught word with id {override_id}"
    else:
        try:  # the status is not needed to name a word: check it as if it were any valid one
            lang, _, key = check(msg.get("lang"), msg.get("text"), "completed")
        except OverrideError as e:
            return _bad(req_id, e.field, e.message)
        removed = store.remove_override(lang=lang, key=key)
        what = f"no taught word {msg['text'][:80]!r} for language {lang}"
    if not removed:
        return [error(req_id, errors.NOT_FOUND, what)]
    return [{"type": "phrase_override", "id": req_id, "action": "remove", "removed": removed}]
