"""Legacy order list (trade.aliexpress.com/orderList.htm, ≈2013-2021): a table, one tbody per order,
with millisecond countdowns in `lefttime` attributes."""
from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup, Tag

from aliwatch.model import Context, Deadline, OrderFacts
from aliwatch.parse.card import first, read_card
from aliwatch.text import text_of

KIND = "order_list"

# What a countdown counts down to depends on the order's status ("left-sendgoods-day" is reused).
COUNTDOWN_KIND = {
    "awaiting_payment": "payment_due",
    "awaiting_shipment": "ship_by",
    "awaiting_delivery": "protection_ends",
    "delivered": "protection_ends",
}


def matches(soup: BeautifulSoup) -> bool:
    return bool(find_cards(soup))


def find_cards(soup: BeautifulSoup | Tag) -> list[Tag]:
    return soup.select("tbody.order-item-wraper, tbody.ae-order")


def read(card: Tag, ctx: Context) -> OrderFacts:
    status_el = first(card, "td.order-status span.f-left", ".order-status .f-left", "td.order-status")
    facts = read_card(card, ctx, status_texts=[text_of(status_el)], code=card.get("data-status"))
    store = card.select_one("td.store-info .info-body")
    if store is not None:
        facts.store = text_of(store)
    for el in card.find_all(attrs={"lefttime": True}):
        kind = COUNTDOWN_KIND.get(facts.status)
        try:
            left = timedelta(milliseconds=int(el["lefttime"]))
        except ValueError:
            continue
        if kind:
            facts.deadlines.append(Deadline(kind, ctx.now + left, "countdown", text_of(el) or "countdown"))
    return facts
