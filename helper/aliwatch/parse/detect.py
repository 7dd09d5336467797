"""Which page is this? The URL decides the page kind when it is known; the markup decides which layout
(current or legacy) reads it, and stands in for the URL when there is none."""
from __future__ import annotations

import re
from types import ModuleType
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from aliwatch import vocab
from aliwatch.parse import dispute, legacy_detail, legacy_list, order_detail, order_list
from aliwatch.parse.marks import marks_of

_ALIEXPRESS_HOST = re.compile(r"(^|\.)aliexpress\.(com|ru|us)$|(^|\.)aliexpress\.[a-z]{2,3}$", re.IGNORECASE)
# URL path -> page kind, first match wins: the rules the extension uses too (aliwatch/vocab.json).
_PATHS = [(re.compile(path, re.I), kind) for kind, path in vocab.PAGE_URLS]
# Layouts by page kind, most specific first.
LAYOUTS: dict[str, list[ModuleType]] = {
    "order_list": [order_list, legacy_list],
    "order_detail": [order_detail, legacy_detail],
    "dispute": [dispute],
}
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)


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
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return bool(_ALIEXPRESS_HOST.search(host)) or host in ("127.0.0.1", "localhost")


def kind_from_url(url: str | None) -> str | None:
    if not url:
        return None
    path = urlsplit(url).path
    for rx, kind in _PATHS:
        if rx.search(path):
            return kind
    return None


def layout(soup: BeautifulSoup, url: str | None) -> tuple[str, ModuleType | None]:
    """(page kind, the module that reads it); (kind, None) when the markup holds nothing it can read."""
    if url and not is_aliexpress(url):
        return "unknown", None
    kind = kind_from_url(url)
    kinds = [kind] if kind else ["order_list", "dispute", "order_detail"]
    marks = marks_of(soup)
    for k in kinds:
        for module in LAYOUTS[k]:
            if module.matches(marks):
                return k, module
    if kind:
        return kind, None
    return "unknown", None
