"""Order cards found by meaning, not by class names.

A card is the largest block that holds exactly one order: every element that names an order (a link with its
id, a labelled order number, a number grouped like an order id) is climbed from, up to the last ancestor that
names no other order. Page chrome (navigation, banners, footers, side menus) is never climbed into, so a page
with a single order gets its content block, not the site header. No class name is read: a test checks that
the class names AliExpress's layouts have used mark exactly the cards this search finds."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bs4 import Tag

from aliwatch.parse import ids
from aliwatch.text import Scan, Walked, fold, walk

_CHROME_TAGS = frozenset(("nav", "aside"))
_CHROME_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search", "tablist", "menu",
                           "menubar"))
_SECTIONING = ("article", "section", "main")


@dataclass
class Card:
    tag: Tag
    order_id: str | None
    walked: Walked  # the walk it was found in: its scan is a slice of it

    def scan(self) -> Scan:
        return self.walked.scan(self.tag)


def is_chrome(tag: Tag) -> bool:
    """Site navigation rather than content: <nav>, <aside>, ARIA landmarks, and a page-level header/footer
    (inside an article or section those are the card's own header and footer)."""
    if tag.name in _CHROME_TAGS or str(tag.attrs.get("role", "")).lower() in _CHROME_ROLES:
        return True
    return tag.name in ("header", "footer") and tag.find_parent(_SECTIONING) is None


_MAYBE_CHROME = frozenset(("nav", "aside", "header", "footer"))
_ID_ATTRS = frozenset(ids.ID_ATTRS)
_WATCHED = _ID_ATTRS | {"href", "role"}  # the elements on_tag needs to see: links, ids, landmarks
_DIGIT = re.compile(r"[0-9]")


@lru_cache(maxsize=4096)  # "Copy", "Details", "Order ID:" repeat on every card
def _said(text: str) -> tuple[str, str | None] | None:
    """What a text node says of an order id: ("label", None) a label whose number follows elsewhere,
    ("number", id) a labelled or grouped id, ("starts", id) a text that starts with a number; None: nothing."""
    digits = _DIGIT.search(text) is not None
    if not digits and (len(text) > 48 or not text.strip()):
        return None  # a sentence or a title: no label stands alone in one
    key = fold(text)
    is_label, number = ids.labelled(key)
    if number:
        return "number", number
    if is_label:
        return "label", None
    if not digits:
        return None
    if g := ids.grouped(key):
        return "number", g
    starts = ids.number_at_start(key)
    return ("starts", starts) if starts else None


@dataclass
class Mentions:
    """One walk's findings: (element, order id) in document order, and which elements hold chrome."""
    found: list[tuple[Tag, str]]
    chrome: set[int]  # id() of chrome elements and of every ancestor of one
    walked: Walked


def mentions(root: Tag) -> Mentions:
    found: list[tuple[Tag, str]] = []
    chrome: set[int] = set()
    label_at: list[Tag | None] = [None]  # the element of a label whose number is in the next text

    def on_text(node) -> None:
        text = str(node)
        if text.isspace():  # the blank between a label's element and its number's keeps them together
            return
        said = _said(text)
        parent = node.parent
        if said is None:
            label_at[0] = None
            return
        kind, number = said
        if label_at[0] is not None:
            label_at[0] = None
            if kind == "starts":
                found.append((parent, number))
                return
        if kind == "label":
            label_at[0] = parent
        elif kind == "number":  # a bare number ("starts") is an order's only right after its label
            found.append((parent, number))

    def on_tag(tag: Tag) -> bool:
        attrs = tag.attrs
        if is_chrome(tag):
            chrome.add(id(tag))
            for p in tag.parents:  # chrome is rare: its ancestors are marked when met
                chrome.add(id(p))
                if p is root:
                    break
            return True
        oid = ids.from_href(str(attrs["href"])) if "href" in attrs and tag.name in ("a", "area") else None
        if oid is None and not _ID_ATTRS.isdisjoint(attrs):
            for attr in ids.ID_ATTRS:
                value = str(attrs.get(attr, "")).strip()
                if value and ids.number_at_start(value) == value:
                    oid = value
                    break
        if oid:
            found.append((tag, oid))
        return False

    walked = walk(root, on_text, on_tag, _MAYBE_CHROME, _WATCHED)
    return Mentions(found, chrome, walked)


def find_cards(root: Tag) -> list[Card]:
    """Every order's card under `root`, in document order: one per block that names a single order (a page
    that shows an order twice gives two cards)."""
    m = mentions(root)
    ids_below: dict[int, set[str]] = {}
    for el, oid in m.found:
        for p in _up(el, root):
            held = ids_below.setdefault(id(p), set())
            if oid in held:
                break  # this order was already counted from here up
            held.add(oid)
    cards: list[Card] = []
    seen: set[int] = set()
    for el, oid in m.found:  # a page that shows one order twice gets two cards: each is answered
        top = _climb(el, root, m.chrome, lambda p: ids_below.get(id(p), set()) <= {oid})
        if id(top) not in seen:
            seen.update(id(x) for x in _up(top, root))  # what encloses a card is no card of its own
            cards.append(Card(top, oid, m.walked))
    return cards


def main_block(root: Tag, m: Mentions) -> Tag:
    """The content of a one-order page (detail, dispute): climbed from where the order is named, or the
    page's <main>, or the root; never into site chrome."""
    if m.found:
        return _climb(m.found[0][0], root, m.chrome, lambda p: True)
    main = root.find("main") if root.name in ("[document]", "html", "body") else None
    return main or root.find("body") or root


def _up(el: Tag, root: Tag):
    while el is not None:
        yield el
        if el is root:
            return
        el = el.parent


def _climb(el: Tag, root: Tag, chrome: set[int], allowed) -> Tag:
    cur = el
    while cur is not root:
        parent = cur.parent
        if parent is None or parent is root or parent.name in ("body", "html", "[document]"):
            break
        if not allowed(parent) or (id(parent) in chrome and id(cur) not in chrome):
            break
        cur = parent
    return cur
