"""Current order list (www.aliexpress.com/p/order/index.html, 2022-2026): one div.order-item per order."""
from __future__ import annotations

from bs4 import Tag

from aliwatch.model import Context, OrderFacts
from aliwatch.parse.card import read_card
from aliwatch.parse.marks import Marks
from aliwatch.text import find_tags, has_class, scan, text_of

KIND = "order_list"


def matches(marks: Marks) -> bool:
    return "order-item" in marks.classes and ("order-item-header" in marks.classes or "order-item-content" in marks.classes)


def find_cards(root: Tag) -> list[Tag]:
    # "order-item" exactly as a class token: order-item-header, order-item-content… are its parts.
    return find_tags(root, lambda e: e.name == "div" and has_class(e, "order-item"))


def read(card: Tag, ctx: Context) -> OrderFacts:
    s = scan(card)
    status_el = s.first("order-item-header-status-text") or next(
        iter(s.with_attr("data-pl", "order_item_header_status")), None)
    # The refund/return progress under the card ("Refund in progress", "환불 완료") outranks the header.
    bottom = s.first("expose-info", "order-item-bottom-action")
    return read_card(card, ctx, s, status_texts=[text_of(status_el)], override_texts=[text_of(bottom)])
