"""Order cards found by meaning, not by class names.

A card is the largest block that holds exactly one order: every element that names an order (a link with its
id, a labelled order number, a number grouped like an order id) is climbed from, up to the last ancestor that
names no other order. Page chrome (navigation, banners, footers, side menus) is never climbed into, so a page
with a single order gets its content block, not the site header. Known class names are only a fast path
(`fast_cards`), and tests check that it finds the same cards as this generic search."""
from __future__ import annotations

from dataclasses import dataclass

from bs4 import NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from aliwatch.parse import ids
from aliwatch.text import SKIP_TAGS, fold

_NON_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_CHROME_TAGS = frozenset(("nav", "aside"))
_CHROME_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search", "tablist", "menu",
                           "menubar"))
_SECTIONING = ("article", "section", "main")


@dataclass
class Card:
    tag: Tag
    order_id: str | None


def is_chrome(tag: Tag) -> bool:
    """Site navigation rather than content: <nav>, <aside>, ARIA landmarks, and a page-level header/footer
    (inside an article or section those are the card's own header and footer)."""
    if tag.name in _CHROME_TAGS or str(tag.attrs.get("role", "")).lower() in _CHROME_ROLES:
        return True
    return tag.name in ("header", "footer") and tag.find_parent(_SECTIONING) is None


@dataclass
class Mentions:
    """One walk's findings: (element, order id) in document order, and which elements hold chrome."""
    found: list[tuple[Tag, str]]
    chrome: set[int]  # id() of chrome elements and of every ancestor of one


def mentions(root: Tag) -> Mentions:
    found: list[tuple[Tag, str]] = []
    chrome: set[int] = set()
    awaiting_number: Tag | None = None  # the element of a label whose number is in the next text
    stack = [iter(root.children)]
    chrome_depth: list[int] = []  # stack depths at which a chrome element was entered
    path: list[Tag] = [root]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            path.pop()
            if chrome_depth and chrome_depth[-1] == len(stack):
                chrome_depth.pop()
            continue
        if isinstance(node, NavigableString):
            if isinstance(node, _NON_TEXT) or chrome_depth:
                continue
            text = str(node)
            if not text.strip():
                continue
            key = fold(text)
            if awaiting_number is not None:
                number = ids.number_at_start(key)
                if number:
                    found.append((node.parent, number))
                    awaiting_number = None
                    continue
            awaiting_number = None
            is_label, number = ids.labelled(key)
            if number:
                found.append((node.parent, number))
            elif is_label:
                awaiting_number = node.parent
            elif g := ids.grouped(key):
                found.append((node.parent, g))
            continue
        if not isinstance(node, Tag) or node.name in SKIP_TAGS:
            continue
        if is_chrome(node):
            chrome.add(id(node))
            chrome.update(id(p) for p in path)
            chrome_depth.append(len(stack))
        elif not chrome_depth:
            href = node.attrs.get("href")
            oid = ids.from_href(str(href)) if href and node.name in ("a", "area") else None
            for attr in ids.ID_ATTRS:
                value = str(node.attrs.get(attr, "")).strip()
                if not oid and value and ids.number_at_start(value) == value:
                    oid = value
            if oid:
                found.append((node, oid))
        stack.append(iter(node.children))
        path.append(node)
    return Mentions(found, chrome)


def find_cards(root: Tag) -> list[Card]:
    """Every order's card under `root`, in document order (one per distinct order id)."""
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
            cards.append(Card(top, oid))
    return cards


def main_block(root: Tag, m: Mentions | None = None) -> Tag:
    """The content of a one-order page (detail, dispute): climbed from where the order is named, or the
    page's <main>, or the root; never into site chrome."""
    m = m or mentions(root)
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


# The fast path: the class names AliExpress's layouts have used (current, mobile, legacy, aliexpress.ru Red).
def fast_cards(root: Tag) -> list[Tag]:
    out = []
    for el in root.descendants:
        if not isinstance(el, Tag):
            continue
        classes = el.attrs.get("class") or ()
        if (el.name in ("div", "a") and "order-item" in classes) or (
                el.name == "tbody" and ("order-item-wraper" in classes or "ae-order" in classes)) or any(
                c.startswith("RedOrderList_OrderList__item__") for c in classes):
            out.append(el)
    return out
