"""Legacy order detail (trade.aliexpress.com/order_detail.htm): status in a definition list and a
day/hour/minute/second countdown until the order confirms itself."""
from __future__ import annotations

from datetime import timedelta

from bs4 import Tag

from aliwatch.dates import MAX_COUNTDOWN
from aliwatch.model import Context, Deadline, OrderFacts
from aliwatch.parse.card import order_id_from_url, read_card
from aliwatch.parse.legacy_list import COUNTDOWN_KIND
from aliwatch.parse.marks import Marks
from aliwatch.text import find_tags, has_class, scan, text_of

KIND = "order_detail"
_PARTS = {"remain-day": 86400, "remain-hour": 3600, "remain-min": 60, "remain-sec": 1}


def matches(marks: Marks) -> bool:
    return bool({"TP_ProductTable", "countdown"} & marks.ids or {"order-reminder", "order-bd"} & marks.classes)


def find_cards(root: Tag) -> list[Tag]:
    main = find_tags(root, lambda e: has_class(e, "grid-c") or e.get("id") == "container")
    return main[:1] or [root.find("body") or root]


def read(card: Tag, ctx: Context) -> OrderFacts:
    s = scan(card)
    status_el = s.first("order-status", "trade-status")
    coded = s.with_attr("data-status")
    facts = read_card(card, ctx, s, status_texts=[text_of(status_el)],
                      code=coded[0].get("data-status") if coded else None, url_id=order_id_from_url(ctx.url))
    ids = {el.get("id"): el for el in s.with_attr("id")}
    countdown = ids.get("countdown")
    if countdown is not None:
        seconds = sum(int(text_of(ids[i])) * unit for i, unit in _PARTS.items()
                      if i in ids and text_of(ids[i]).isdecimal())  # isdigit() takes "²", int() does not
        kind = COUNTDOWN_KIND.get(facts.status)
        if kind and 0 < seconds <= MAX_COUNTDOWN.total_seconds():
            facts.deadlines.append(Deadline(kind, ctx.now + timedelta(seconds=seconds), "countdown",
                                            text_of(countdown)))
    return facts
