"""Page → order facts. One module per page kind and layout; this one picks the module and walks the cards.

`parse_page` is a pure function of (markup, context): no clock, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from aliwatch.model import Context, OrderFacts, Problem
from aliwatch.parse.detect import READERS, page_kind
from aliwatch.text import find_tags

KEY_ATTR = "data-aliwatch-key"


@dataclass
class ParsedPage:
    kind: str
    orders: list[OrderFacts] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_page(soup: BeautifulSoup, ctx: Context, *, keyed: bool = True) -> ParsedPage:
    """`keyed=False`: the markup has no extension keys (the caller checked its text), so no walk looks."""
    kind = page_kind(soup, ctx.url, lambda s: _says_dispute(s, ctx))
    page = ParsedPage(kind)
    if kind == "unknown":
        page.problems.append(Problem("not_aliexpress", "this is not an AliExpress order, detail or dispute page"))
        return page
    module = READERS[kind]
    keyed = _separate(find_tags(soup, lambda e: KEY_ATTR in e.attrs)) if keyed else []
    if keyed:
        for wrapper in keyed:
            cards = module.find_cards(wrapper, ctx)
            if not cards:  # every card the extension sent gets an answer
                page.orders.append(_unreadable(wrapper.get(KEY_ATTR), "no order card in this snapshot"))
            for card in cards:
                facts = module.read(card, ctx)
                facts.key = wrapper.get(KEY_ATTR)
                page.orders.append(facts)
    else:
        for card in module.find_cards(soup, ctx):
            page.orders.append(module.read(card, ctx))
    if not page.orders:
        page.problems.append(Problem("no_orders", f"an AliExpress {kind} page, but no order card was found"))
    if not ctx.lang_known:
        page.problems.append(Problem("unknown_language", "no phrase table for this page's language; "
                                     "read with English phrases and page structure"))
    return page


def _says_dispute(soup: BeautifulSoup, ctx: Context) -> bool:
    from aliwatch.parse.card import lookup
    from aliwatch.text import lines

    return any(lookup(line, lambda p: p.stages, ctx) for line in lines(soup.body or soup)[:60])


def _separate(tags: list) -> list:
    """Keyed wrappers, each read on its own. A card whose markup leaves an element open swallows the
    wrappers after it: those are taken out, so each card still gets its own answer. (A page saved while the
    extension ran carries keys on its cards: one nested in the same key is not a wrapper.)"""
    chosen: dict[int, object] = {}
    for tag in tags:  # document order: a wrapper comes before what it swallowed
        outer = next((p for p in tag.parents if id(p) in chosen), None)
        if outer is not None and outer.get(KEY_ATTR) == tag.get(KEY_ATTR):
            continue
        chosen[id(tag)] = tag.extract() if outer is not None else tag
    return list(chosen.values())


def _unreadable(key: str | None, why: str) -> OrderFacts:
    facts = OrderFacts(key=key)
    facts.problems.append(Problem("no_card", why))
    return facts
