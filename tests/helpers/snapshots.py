"""Snapshots as the content script sends them (extension/content/cards.js), of fixture pages and of
synthetic detail pages with chosen order ids and protection dates."""
from __future__ import annotations

import json
import re
from urllib.parse import urlparse

from aliwatch import vocab
from helpers.fixtures import FIXTURES

STRIP = "img, picture, video, svg, script, style, noscript, iframe, link, canvas"
DETAIL = FIXTURES / "detail_en_awaiting_delivery"
DETAIL_ID = "8213004417736925"


def page_snapshot(html: str, url: str, *, now: str, tz: str = "UTC", lang: str = "en", req_id: object = 1) -> dict:
    """The snapshot cards.js would send for this page: list cards, or the page's main block."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup.select(STRIP):
        tag.decompose()
    path, host = urlparse(url).path, urlparse(url).hostname or ""
    kind = next((k for k, rule in vocab.PAGE_URLS if re.search(rule, path, re.I)), None)
    if kind == "dispute":
        cards = [soup.select_one("#root") or soup.body]
    elif kind == "order_detail":
        main = "#container" if host.startswith("trade.") else ".order-wrap"
        cards = [soup.select_one(main) or soup.select_one("#root") or soup.body]
    else:
        cards = soup.select("div.order-item") or soup.select("tbody.order-item-wraper, tbody.ae-order")
    return {"type": "snapshot", "id": req_id, "url": url, "lang": lang, "tz": tz, "captured_at": now,
            "cards": [{"key": f"aw{i}", "html": str(el)} for i, el in enumerate(cards)]}


def fixture_snapshot(case: str, *, now: str | None = None, req_id: object = 1) -> tuple[dict, dict]:
    truth = json.loads((FIXTURES / case / "truth.json").read_text("utf-8"))
    html = (FIXTURES / case / "page.html").read_text("utf-8")
    return page_snapshot(html, truth["url"], now=now or truth["now"], tz=truth["tz"], lang=truth["lang"],
                         req_id=req_id), truth


def detail_snapshot(order_id: str, protection: str, *, now: str = "2026-11-26T09:00:00+00:00",
                    req_id: object = 1) -> dict:
    """The current detail page of an awaiting-delivery order whose protection ends on `protection`
    ("Dec 1, 2026" style), with its order id replaced everywhere."""
    html = (DETAIL / "page.html").read_text("utf-8").replace(DETAIL_ID, order_id)
    html = html.replace("Dec 1, 2026", protection)
    url = f"https://www.aliexpress.com/p/order/detail.html?orderId={order_id}"
    return page_snapshot(html, url, now=now, req_id=req_id)
