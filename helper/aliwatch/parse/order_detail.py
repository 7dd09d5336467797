"""Current order detail (www.aliexpress.com/p/order/detail.html): one order, its timers in sentences."""
from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from aliwatch.model import Context, OrderFacts
from aliwatch.parse.card import first, order_id_from_url, read_card
from aliwatch.text import text_of

KIND = "order_detail"


def matches(soup: BeautifulSoup) -> bool:
    return soup.select_one(".order-wrap .order-block, [data-pl=order_detail_status], .order-detail-info") is not None


def find_cards(soup: BeautifulSoup | Tag) -> list[Tag]:
    main = soup.select_one(".order-wrap") if not _is_wrap(soup) else soup
    return [main] if main is not None and matches_block(main) else []


def _is_wrap(el) -> bool:
    return isinstance(el, Tag) and "order-wrap" in (el.get("class") or [])


def matches_block(el: Tag) -> bool:
    return el.select_one(".order-block, [data-pl=order_detail_status], .order-detail-info") is not None


def read(card: Tag, ctx: Context) -> OrderFacts:
    status_el = first(card, "[data-pl=order_detail_status] .order-block-title", ".order-status-block .order-block-title",
                      ".order-block-title")
    return read_card(card, ctx, status_texts=[text_of(status_el)], url_id=order_id_from_url(ctx.url))
