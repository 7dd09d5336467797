"""Legacy order list (trade.aliexpress.com/orderList.htm, ≈2013-2021): a table, one tbody per order,
with millisecond countdowns in `lefttime` attributes."""
from __future__ import annotations

from datetime import timedelta

from bs4 import Tag

from aliwatch.dates import MAX_COUNTDOWN
from aliwatch.model import Context, Deadline, OrderFacts
from aliwatch.parse.card import read_card
from aliwatch.parse.marks import Marks
from aliwatch.text import find_tags, has_class, scan, text_of

KIND = "order_list"

# What a countdown counts down to depends on the order's status ("left-sendgoods-day" is reused).
COUNTDOWN_KIND = {
    "awaiting_payment": "payment_due",
    "awaiting_shipment": "ship_by",
    "awaiting_delivery": "protection_ends",
    "delivered": "protection_ends",
}


def matches(marks: Marks) -> bool:
    return "order-item-wraper" in marks.classes or "ae-order" in marks.classes or "TP_BoughtTable" in marks.ids


def find_cards(root: Tag) -> list[Tag]:
    return find_tags(root, lambda e: e.name == "tbody" and (has_class(e, "order-item-wraper") or has_class(e, "ae-order")))


def read(card: Tag, ctx: Context) -> OrderFacts:
    s = scan(card)
    status_cell = s.first("order-status")
    status_el = s.first("f-left") if status_cell is not None else None
    facts = read_card(card, ctx, s, status_texts=[text_of(status_el or status_cell)], code=card.get("data-status"))
    store = s.first("store-info")
    if store is not None:
        name = next((t for t in store.descendants if isinstance(t, Tag) and has_class(t, "info-body")), None)
        facts.store = text_of(name) or facts.store
    for el in s.with_attr("lefttime"):
        kind = COUNTDOWN_KIND.get(facts.status)
        try:
            left = timedelta(milliseconds=int(el["lefttime"]))
        except (ValueError, OverflowError):
            continue
        if not timedelta(0) <= left <= MAX_COUNTDOWN:  # damage, not a timer
            continue
        if kind:
            facts.deadlines.append(Deadline(kind, ctx.now + left, "countdown", text_of(el) or "countdown"))
    return facts
