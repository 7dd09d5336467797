"""Current order list (www.aliexpress.com/p/order/index.html, 2022-2026): one div.order-item per order."""
from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from aliwatch.model import Context, OrderFacts
from aliwatch.parse.card import first, read_card
from aliwatch.text import text_of

KIND = "order_list"


def matches(soup: BeautifulSoup) -> bool:
    return bool(find_cards(soup))


def find_cards(soup: BeautifulSoup | Tag) -> list[Tag]:
    # "order-item" exactly as a class token: order-item-header, order-item-content… are its parts.
    return [el for el in soup.find_all("div", class_="order-item")]


def read(card: Tag, ctx: Context) -> OrderFacts:
    status_el = first(card, ".order-item-header-status-text", "[data-pl=order_item_header_status]")
    # The refund/return progress under the card ("Refund in progress", "환불 완료").
    bottom = [text_of(el) for el in card.select(".expose-info-item-title, .order-item-bottom-action")]
    return read_card(card, ctx, status_texts=[text_of(status_el)], override_texts=bottom)
