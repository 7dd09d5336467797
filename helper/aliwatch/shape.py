"""The analysis as JSON (contract §1): a parsed page's orders with their deadlines, warnings (in the UI
language), problems and the problem a draft for each would assume; page-level problems name every unreadable
order. Pure: a function of (parsed page, context, the words the user taught)."""
from __future__ import annotations

from aliwatch.model import Context

SCHEMA = 1


def to_json(page, ctx: Context, ui_lang: str, overrides: dict | None = None) -> dict:
    """overrides: the words the user taught ({(lang, folded status text): status}, overrides.py), applied to
    orders whose status is unknown; the caller loads them (the host and the CLI from the store)."""
    from aliwatch import advice, deadlines, ids
    from aliwatch.dates import zone
    from aliwatch.drafts import default_problem

    tzinfo = zone(ctx.tz)

    orders = []
    for facts in page.orders:
        found = deadlines.resolve(facts)  # before any taught status: an override never moves a deadline
        taught = _teach(facts, ctx.lang, overrides)
        order_id = ids.order_id(facts.order_id)  # ASCII digits, or none: never ٨٢١٣ in a URL or the store
        if facts.order_id and order_id is None and not any(p.code == "no_order_id" for p in facts.problems):
            from aliwatch.model import Problem

            facts.problems.append(Problem("no_order_id", f"the order id {facts.order_id[:40]!r} is not ASCII digits"))
        facts.order_id = order_id
        order = {
            "order_id": facts.order_id,
            "status": facts.status,
            "status_text": facts.status_text,
            "deadlines": [d.to_json() for d in found],
            "warnings": advice.warnings(facts, found, ctx.now, ui_lang, tzinfo),
            "problems": [p.to_json() for p in facts.problems],
            "order_date": facts.order_date.date().isoformat() if facts.order_date else None,
            "store": facts.store,
            "items": facts.items,
            "total": facts.total,
            "requested_amount": facts.requested,
        }
        if taught:
            order["status_taught"] = True  # the user's word, not a phrase table's (the panel says so)
        bound_amounts(order)
        if facts.key is not None:
            order["key"] = facts.key
        if facts.order_id:
            order["url"] = f"https://www.aliexpress.com/p/order/detail.html?orderId={facts.order_id}"
            order["draft_problem"] = default_problem(facts.status)  # composed on request: draft.attach
        orders.append(order)
    problems = [p.to_json() for p in page.problems]
    for order in orders:  # the contract wants every unreadable order named at page level too
        for p in order["problems"]:
            problems.append({"code": p["code"], "text": f"order {order['order_id'] or order.get('key')}: {p['text']}"})
    return {"schema": SCHEMA, "page": page.kind, "lang": ctx.lang, "now": ctx.now.isoformat(), "orders": orders,
            "problems": problems}


def _teach(facts, lang: str, overrides: dict | None) -> bool:
    """Read an unknown status with the user's taught word, if one matches its exact folded text. The
    warnings and the draft's problem then follow from that status, as for any status."""
    from aliwatch.overrides import taught

    status = taught(overrides, lang, facts.status, facts.status_text)
    if status is None:
        return False
    facts.status = status
    facts.problems = [p for p in facts.problems if p.code != "unknown_status"]
    return True


def bound_amounts(order: dict) -> None:
    """An amount past what an order can cost (money.MAX_AMOUNT) is left out and said, never sent as a
    number: 1e26 broke the draft, 400 digits became Infinity, which is not JSON (issue 13)."""
    for name in ("total", "requested_amount"):
        value = order[name]
        if isinstance(value, dict) and value.get("amount") is None:
            order[name] = None
            order["problems"].append({"code": "amount_out_of_range",
                                      "text": f"the {name.replace('_', ' ')} {value['text'][:40]!r} is not a "
                                              "readable amount"})
