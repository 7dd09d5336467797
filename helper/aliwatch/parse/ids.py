"""Where an order's id is said: a link to the order, a labelled number, or a number grouped like an order id.

Ids are ASCII digits only: NFKC folds full-width digits, and `\\d` is limited to ASCII so that Arabic-Indic
or other scripts' digits never become an id."""
from __future__ import annotations

import re
from functools import lru_cache

# ?orderId=…, ?tradeOrderId=… (tracking links), ?parentOrderId=… (review links): all name the same order.
_QUERY_ID = re.compile(r"[?&;](?:orderId|tradeOrderId|order_id|parentOrderId)=([0-9]{10,20})(?![0-9])", re.I)
_PATH_ID = re.compile(r"/order-list/([0-9]{10,20})(?![0-9])")  # aliexpress.ru detail: /order-list/<id>
# "5386 2471 0935 1128" (aliexpress.ru) or "53 8624 7109 3511": 14 to 16 digits in groups of four.
_GROUPED = re.compile(r"(?<![0-9])([0-9]{2,4}(?: [0-9]{4}){3})(?![0-9])")
_NUMBER = re.compile(r"[0-9]{12,20}(?![0-9])")
ID_ATTRS = ("data-orderid", "orderid", "data-order-id")


def from_href(href: str) -> str | None:
    href = href.replace("&amp;", "&")
    m = _QUERY_ID.search(href) or _PATH_ID.search(href)
    return m.group(1) if m else None


def grouped(text: str) -> str | None:
    m = _GROUPED.search(text)
    return m.group(1).replace(" ", "") if m else None


def number_at_start(text: str) -> str | None:
    """The order number a value starts with ("8213406718822531Copy", "5386 2471 0935 1128")."""
    text = text.lstrip()
    m = _NUMBER.match(text)
    if m:
        return m.group(0)
    g = _GROUPED.match(text)
    return g.group(1).replace(" ", "") if g else None


@lru_cache(maxsize=1)
def _label_re() -> re.Pattern:
    from aliwatch import phrases

    alts = "|".join(re.escape(lbl).replace(r"\ ", r"\s*") for lbl in phrases.order_id_labels())
    # The label, its colon(s), and whatever follows it in the same text ("" when the number is elsewhere).
    return re.compile(r"(?:^|(?<=[^\w]))(?:" + alts + r")\s*[:：#]{0,2}\s*(?P<rest>[^\n]{0,40})", re.I)


def labelled(text: str) -> tuple[bool, str | None]:
    """(does the text end with an order-number label, the number right after it if there is one)."""
    m = _label_re().search(text)
    if not m:
        return False, None
    rest = m.group("rest").strip()
    if not rest:
        return True, None
    return bool(number := number_at_start(rest)), number
