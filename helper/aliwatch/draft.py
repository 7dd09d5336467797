"""A first drafted dispute message: short, factual sentences for AliExpress administration.

Short sentences survive machine translation; facts (order id, date, what happened) win disputes."""
from __future__ import annotations

from aliwatch.model import OrderFacts

_NOT_RECEIVED = ("awaiting_shipment", "awaiting_delivery", "delivered")


def draft(facts: OrderFacts, lang: str = "en") -> dict:
    when = f" on {facts.order_date:%b} {facts.order_date.day}, {facts.order_date.year}" if facts.order_date else ""
    items = ", ".join(i["title"] for i in facts.items[:3] if i.get("title")) or "the items"
    lines = ["Hello.", f"I placed order {facts.order_id or '(order number)'}{when}."]
    if facts.status in _NOT_RECEIVED:
        lines += ["I have not received the parcel.", "The tracking shows no delivery to me.",
                  f"The order contains: {items}.", "I ask for a full refund."]
        problem = "not_received"
    else:
        lines += [f"The order contains: {items}.", "The item does not match the description.",
                  "I attach photos and an unboxing video.", "I ask for a partial refund of 90%."]
        problem = "not_as_described"
    lines += ["Thank you."]
    return {"lang": lang, "problem": problem, "text": "\n".join(lines)}
