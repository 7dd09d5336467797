"""What a page reader is: order_list.py, order_detail.py and dispute.py each find the order cards of their page
kind and read one card into OrderFacts. detect.READERS maps a page kind to its reader; parse_page calls only
these two functions, so a new page kind is a new module with this shape."""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from bs4 import Tag

    from aliwatch.model import Context, OrderFacts
    from aliwatch.parse.cards import Card


@runtime_checkable
class PageReader(Protocol):
    KIND: str  # the page kind it reads: order_list, order_detail or dispute

    def find_cards(self, root: Tag, ctx: Context) -> list[Card]:
        """The order cards under `root` (a page, or one keyed card the extension sent); [] when none."""
        ...

    def read(self, card: Card, ctx: Context) -> OrderFacts:
        """One card's facts: order id, status, timers and dates as the page states them (no clock)."""
        ...
