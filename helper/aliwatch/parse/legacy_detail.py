"""Legacy order detail (trade.aliexpress.com/order_detail.htm): status in a definition list and a
day/hour/minute/second countdown until the order confirms itself."""
from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup, Tag

from aliwatch.model import Context, Deadline, OrderFacts
from aliwatch.parse.card import first, order_id_from_url, read_card
from aliwatch.parse.legacy_list import COUNTDOWN_KIND
from aliwatch.text import text_of

KIND = "order_detail"
_PARTS = {"remain-day": 86400, "remain-hour": 3600, "remain-min": 60, "remain-sec": 1}


def matches(soup: BeautifulSoup) -> bool:
    return soup.select_one("#TP_ProductTable, .order-reminder, #countdown, .order-bd") is not None


def find_cards(soup: BeautifulSoup | Tag) -> list[Tag]:
    if not matches(soup):
        return []
    return [soup.select_one(".grid-c, #container, .page") or soup.find("body") or soup]


def read(card: Tag, ctx: Context) -> OrderFacts:
    status_el = first(card, "dd.order-status", ".order-status", "td.trade-status")
    coded = card.find(attrs={"data-status": True})
    facts = read_card(card, ctx, status_texts=[text_of(status_el)],
                      code=coded.get("data-status") if coded else None, url_id=order_id_from_url(ctx.url))
    countdown = card.select_one("#countdown")
    if countdown is not None:
        seconds = 0
        for el_id, unit in _PARTS.items():
            part = countdown.find(id=el_id)
            if part is not None and text_of(part).isdigit():
                seconds += int(text_of(part)) * unit
        kind = COUNTDOWN_KIND.get(facts.status)
        if kind and seconds:
            facts.deadlines.append(Deadline(kind, ctx.now + timedelta(seconds=seconds), "countdown",
                                            text_of(countdown)))
    return facts
