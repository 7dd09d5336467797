"""Page → order facts. One module per page kind and layout; this one picks the module and walks the cards.

`parse_page` is a pure function of (markup, context): no clock, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from aliwatch.model import Context, OrderFacts, Problem
from aliwatch.parse.detect import layout
from aliwatch.text import find_tags

KEY_ATTR = "data-aliwatch-key"


@dataclass
class ParsedPage:
    kind: str
    orders: list[OrderFacts] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_page(soup: BeautifulSoup, ctx: Context) -> ParsedPage:
    kind, module = layout(soup, ctx.url)
    page = ParsedPage(kind)
    if kind == "unknown":
        page.problems.append(Problem("not_aliexpress", "this is not an AliExpress order, detail or dispute page"))
        return page
    keyed = _outermost(find_tags(soup, lambda e: KEY_ATTR in e.attrs))
    if module is None:
        page.problems.append(Problem("no_orders", f"an AliExpress {kind} page, but no order card was found"))
        for wrapper in keyed:  # every card the extension sent gets an answer
            page.orders.append(_unreadable(wrapper.get(KEY_ATTR), "no order card in this snapshot"))
        return page
    if keyed:
        for wrapper in keyed:
            cards = module.find_cards(wrapper)
            if not cards:
                page.orders.append(_unreadable(wrapper.get(KEY_ATTR), "no order card in this snapshot"))
            for card in cards:
                facts = module.read(card, ctx)
                facts.key = wrapper.get(KEY_ATTR)
                page.orders.append(facts)
    else:
        for card in module.find_cards(soup):
            page.orders.append(module.read(card, ctx))
    if not page.orders:
        page.problems.append(Problem("no_orders", f"an AliExpress {kind} page, but no order card was found"))
    if not ctx.lang_known:
        page.problems.append(Problem("unknown_language", "no phrase table for this page's language; "
                                     "read with English phrases and page structure"))
    return page


def _outermost(tags: list) -> list:
    """Keyed wrappers only: a card the extension sent may itself still carry its key attribute."""
    chosen = set()
    out = []
    for tag in tags:
        if not any(id(parent) in chosen for parent in tag.parents):
            chosen.add(id(tag))
            out.append(tag)
    return out


def _unreadable(key: str | None, why: str) -> OrderFacts:
    facts = OrderFacts(key=key)
    facts.problems.append(Problem("no_card", why))
    return facts
