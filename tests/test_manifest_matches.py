"""Where the content script runs (issue 13, finding 10): https only, and only AliExpress's order list, order
detail and dispute pages, on every host; never a product or search page. Checked with the match-pattern
rules the browsers apply (scheme; "*." host = the domain and its subdomains; path glob over path + query)."""
from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpers.fixtures import FIXTURES

MANIFEST = Path(__file__).parent.parent / "extension" / "manifest.json"


def patterns() -> list[str]:
    scripts = json.loads(MANIFEST.read_text("utf-8"))["content_scripts"]
    return [p for s in scripts for p in s["matches"]]


def matches(pattern: str, url: str) -> bool:
    scheme, rest = pattern.split("://", 1)
    host, _, path = rest.partition("/")
    u = urlsplit(url)
    if scheme != "*" and scheme != u.scheme or scheme == "*" and u.scheme not in ("http", "https"):
        return False
    name = u.hostname or ""
    if host.startswith("*."):
        if not (name == host[2:] or name.endswith(host[1:])):
            return False
    elif host != "*" and host != name:
        return False
    target = u.path + (f"?{u.query}" if u.query else "")
    glob = ("/" + path).replace("[", "[[]").replace("?", "[?]")  # only "*" is special in a match pattern
    return fnmatch.fnmatchcase(target, glob)


def runs_on(url: str) -> bool:
    return any(matches(p, url) for p in patterns())


ORDER_PAGES = sorted({json.loads(p.read_text("utf-8"))["url"] for p in FIXTURES.glob("*/truth.json")} - {
    "https://shop.northwind-outfitters.example/account/orders"}) + [
    "https://aliexpress.ru/order-list", "https://aliexpress.ru/order-list/5386190244718830",
    "https://aliexpress.ru/order-list?filterName=disput", "https://www.aliexpress.ru/order-list",
    "https://m.aliexpress.com/p/order/detail.html?orderId=8213004417736925",
    "https://m.aliexpress.com/p/refund-dispute/list.html?spm=a2g0o.order_list",
    "https://m.aliexpress.com/p/refund-amount/detail.html?tradeOrderLineId=1",
    "https://www.aliexpress.com/p/reverse-pages/start.html", "https://trade.aliexpress.ru/orderList.htm",
    "https://fr.aliexpress.com/p/order/detail.html?orderId=8213004417736925",
]
NOT_ORDER_PAGES = [
    "http://www.aliexpress.com/p/order/index.html", "http://aliexpress.ru/order-list",
    "http://trade.aliexpress.com/orderList.htm", "https://www.aliexpress.com/",
    "https://www.aliexpress.com/item/1005006123456789.html", "https://www.aliexpress.com/w/wholesale-usb.html",
    "https://www.aliexpress.com/wholesale?SearchText=usb", "https://aliexpress.ru/", "https://aliexpress.ru/item/1.html",
    "https://aliexpress.ru/wholesale?SearchText=usb", "https://aliexpress.ru/popular/usb",
    "https://www.aliexpress.com/store/1101234567", "https://trade.aliexpress.com/", "https://login.aliexpress.com/",
    "https://m.aliexpress.com/item/1005006123456789.html", "https://aliexpress.ru/order-listing",
    "https://www.aliexpress.com.evil.example/p/order/index.html",
]


@pytest.mark.parametrize("url", ORDER_PAGES)
def test_runs_on_every_order_detail_and_dispute_page(url: str) -> None:
    assert runs_on(url)


@pytest.mark.parametrize("url", NOT_ORDER_PAGES)
def test_never_on_http_product_search_or_other_pages(url: str) -> None:
    assert not runs_on(url)


def test_every_pattern_is_https() -> None:
    assert patterns() and all(p.startswith("https://") for p in patterns())
