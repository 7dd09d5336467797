"""Current order detail (www.aliexpress.com/p/order/detail.html): one order, its timers in sentences."""
from __future__ import annotations

from bs4 import Tag

from aliwatch.model import Context, OrderFacts
from aliwatch.parse.card import order_id_from_url, read_card
from aliwatch.parse.marks import Marks
from aliwatch.text import find_tags, has_class, scan, text_of

KIND = "order_detail"
_BLOCKS = ("order-block", "order-detail-info", "order-detail-item")


def matches(marks: Marks) -> bool:
    return any(b in marks.classes for b in _BLOCKS) or "order_detail_status" in marks.data_pl


def find_cards(root: Tag) -> list[Tag]:
    if has_class(root, "order-wrap"):
        return [root]
    wraps = find_tags(root, lambda e: has_class(e, "order-wrap"))
    if wraps:
        return wraps[:1]
    blocks = find_tags(root, lambda e: any(has_class(e, b) for b in _BLOCKS))
    return [root] if blocks else []


def read(card: Tag, ctx: Context) -> OrderFacts:
    s = scan(card)
    status_el = None
    for el in s.with_attr("data-pl", "order_detail_status"):
        status_el = next((t for t in el.descendants if isinstance(t, Tag) and has_class(t, "order-block-title")), el)
        break
    status_el = status_el or s.first("order-block-title")
    return read_card(card, ctx, s, status_texts=[text_of(status_el)], url_id=order_id_from_url(ctx.url))
