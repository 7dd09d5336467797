"""`draft` → `draft`: the dispute messages for one analysis card (PROTOCOL.md). `problem` defaults by the
order's status; `lang` falls back to English when there are no templates for it (the reply's `lang` says so)."""
from __future__ import annotations

from aliwatch.host import errors
from aliwatch.host.memory import Memory
from aliwatch.host.replies import Id, error


def reply(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
    from aliwatch import draft  # lazy, like the parser: startup imports the standard library only

    try:
        return [{"type": "draft", "id": req_id, **_body(draft, msg)}]
    except draft.DraftError as e:
        return [error(req_id, errors.BAD_ARGUMENT, f"{e.field}: {e.message}", field=e.field)]


def _body(draft, msg: dict) -> dict:  # type: ignore[no-untyped-def]
    order = msg.get("order")
    if not isinstance(order, dict):
        raise draft.DraftError("order", "order must be an object with the analysis card's fields")
    problem = msg.get("problem")
    if problem is None:
        problem = draft.default_problem(order.get("status") if isinstance(order.get("status"), str) else None)
        if problem is None:
            raise draft.DraftError("problem", f"problem is required for an order with status {order.get('status')!r}")
    lang = msg.get("lang")
    for name, value in (("problem", problem), ("outcome", msg.get("outcome")), ("lang", lang)):
        if value is not None and not isinstance(value, str):
            raise draft.DraftError(name, f"{name} must be a string")
    body = draft.compose(order, problem, outcome=msg.get("outcome"), percent=msg.get("percent"),
                         lang=draft.resolve_lang(lang))
    body.pop("text")  # the analysis card's alias of to_admin; the reply names both messages
    return {"order_id": order.get("order_id"), **body}
