"""Order ids at the edges (issue 13): ASCII digits only, 1 to 32 of them.

The parser reads a page's digits with str.isdigit(), which also takes Arabic-Indic (٨٢١٣) and full-width
(８２１３) digits. Whatever reaches a reply, the store or an order URL passes through here: NFKC folds the
full-width and mathematical forms to ASCII; any other digit is refused, never guessed."""
from __future__ import annotations

import re
import unicodedata

_ORDER_ID = re.compile(r"[0-9]{1,32}")


def order_id(value: object) -> str | None:
    """The order id as ASCII digits, or None when value is not one."""
    if not isinstance(value, str):
        return None
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return value if _ORDER_ID.fullmatch(value) else None


def is_order_id(value: object) -> bool:
    """value is already an order id as stored: ASCII digits, no normalising needed."""
    return isinstance(value, str) and _ORDER_ID.fullmatch(value) is not None
