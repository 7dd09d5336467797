"""Order detail pages (/p/order/detail.html, aliexpress.ru /order-list/<id>, the legacy order_detail.htm):
one order, the page's content block is its card."""
from __future__ import annotations

from bs4 import Tag

from aliwatch.model import Context, OrderFacts
from aliwatch.parse.card import order_id_from_url, read_card
from aliwatch.parse.cards import Card, main_block, mentions

KIND = "order_detail"


def find_cards(root: Tag, ctx: Context) -> list[Card]:
    """The one order of the page: the address names it; failing that, the first number the page names."""
    m = mentions(root)
    block = main_block(root, m)
    if block is not root and id(block) not in m.walked.spans:  # the <main> of a page whose root is below it
        block = root
    card = Card(block, order_id_from_url(ctx.url) or (m.found[0][1] if m.found else None), m.walked)
    if not card.scan().lines:
        return []  # an app shell that has not rendered yet
    return [card]


def read(card: Card, ctx: Context) -> OrderFacts:
    return read_card(card.tag, ctx, card.scan(), order_id=card.order_id)
