"""Order lists: the current /p/order/ list, the mobile list, aliexpress.ru's "Red" list and the legacy
orderList.htm table. One card per order, found by what names the order (parse/cards.py)."""
from __future__ import annotations

from bs4 import Tag

from aliwatch.model import Context, OrderFacts
from aliwatch.parse.card import read_card
from aliwatch.parse.cards import Card, find_cards as _find_cards

KIND = "order_list"


def find_cards(root: Tag, ctx: Context) -> list[Card]:
    return _find_cards(root)


def read(card: Card, ctx: Context) -> OrderFacts:
    return read_card(card.tag, ctx, card.scan(), order_id=card.order_id)
