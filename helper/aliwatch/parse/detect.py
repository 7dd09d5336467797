"""Which page is this? The address decides when it is known; otherwise what the page says does: several
orders make a list, dispute wording makes a dispute page, one order linked to its own detail page is a
list of one, one order alone is its detail page. Class names play no part."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from aliwatch import vocab
from aliwatch.parse import dispute, order_detail, order_list
from aliwatch.parse.cards import find_cards
from aliwatch.parse.reader import PageReader

_ALIEXPRESS_HOST = re.compile(r"(^|\.)aliexpress\.(com|ru|us)$|(^|\.)aliexpress\.[a-z]{2,3}$", re.IGNORECASE)
# URL path -> page kind, first match wins: the rules the extension uses too (aliwatch/vocab.json).
# aliexpress.ru: /order-list is the list, /order-list/<id> an order's detail.
_PATHS = [(re.compile(path, re.I), kind) for kind, path in vocab.PAGE_URLS]
READERS: dict[str, PageReader] = {"order_list": order_list, "order_detail": order_detail, "dispute": dispute}
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_DETAIL_LINK = re.compile(r"/p/order/detail\.html|order_detail\.htm|/order-list/[0-9]", re.I)


def saved_from(html: str) -> str | None:
    """Browsers stamp pages saved with Ctrl+S with their address; use it when no --url is given."""
    m = _SAVED_FROM.search(html[:2000])
    if not m:
        return None
    try:
        urlsplit(m.group(1))
    except ValueError:  # a damaged stamp ("//host[/…") is no address; the markup decides instead
        return None
    return m.group(1)


def is_aliexpress(url: str) -> bool:
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return False
    return bool(_ALIEXPRESS_HOST.search(host)) or host in ("127.0.0.1", "localhost")


def kind_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for rx, kind in _PATHS:
        if rx.search(path):
            return kind
    return None


def page_kind(soup: BeautifulSoup, url: str | None, says_dispute) -> str:
    """The page kind; `says_dispute(soup)` tells whether the page speaks of a dispute's stage."""
    if url and not is_aliexpress(url):
        return "unknown"
    kind = kind_from_url(url)
    if kind:
        return kind
    if not url and not _names_aliexpress(soup):
        return "unknown"
    cards = find_cards(soup)
    if len(cards) >= 2:
        return "order_list"
    if says_dispute(soup):
        return "dispute"
    if cards and any(_DETAIL_LINK.search(str(a.get("href", ""))) for a in cards[0].tag.find_all("a", href=True)):
        return "order_list"
    return "order_detail" if cards else "unknown"


def _names_aliexpress(soup: BeautifulSoup) -> bool:
    """A page with no address must show it is AliExpress's: a link to it, or its name in the title."""
    title = soup.find("title")
    if title is not None and "aliexpress" in title.get_text().lower():
        return True
    return any(is_aliexpress(str(a["href"])) for a in soup.find_all("a", href=True) if "//" in str(a["href"]))
