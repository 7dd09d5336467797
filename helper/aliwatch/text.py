"""One pass over a card: its visible text as lines, its links, its buttons and its class hooks.

Block elements start a new line; inline elements join without a separator, exactly as the browser renders
them. That keeps AliExpress's one-span-per-character prices whole ("R$89,90") and sentences whose
countdown digits sit in their own spans readable ("The seller has 3 days 23:10:02 to respond").
Everything is collected in a single walk because CSS selectors over bs4 trees cost more than the parse.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from dataclasses import dataclass, field

from bs4 import NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

BLOCK_TAGS = frozenset(
    "address article aside blockquote br button dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul "
    "option select textarea".split()
)
SKIP_TAGS = frozenset("script style noscript template svg head title iframe object canvas".split())
# Attributes whose elements the page readers ask for (legacy ids and countdowns, status codes).
WATCHED_ATTRS = ("lefttime", "data-status", "data-orderid", "orderid", "data-order-id", "id", "data-pl", "role")
_WATCHED = frozenset(WATCHED_ATTRS)
_NON_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC (folds full-width colons and no-break spaces), collapsed whitespace, stripped."""
    if text.isascii():
        return _SPACES.sub(" ", text).strip()
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


@lru_cache(maxsize=8192)  # a list repeats its labels, buttons and statuses on every card
def fold(text: str) -> str:
    """The comparison key of a phrase: normalised, case-folded, ё read as е, and without the punctuation
    around it ("Concluído ", "Отменён.", "Completed!", "Order ID::" all meet their table entry)."""
    key = normalize(text).casefold().replace("ё", "е")
    start, end = 0, len(key)
    while start < end and not key[start].isalnum():  # a loop, not a regex: no backtracking on long runs
        start += 1
    while end > start and not key[end - 1].isalnum():
        end -= 1
    return key[start:end]


@dataclass
class Scan:
    lines: list[str]
    links: list[tuple[str, str, Tag]] = field(default_factory=list)  # (href, text, element)
    buttons: list[str] = field(default_factory=list)
    attrs: dict[str, list[Tag]] = field(default_factory=dict)  # watched attribute -> elements with it
    _classes: object = None  # class token -> first element with it; built on first use (few readers need it)

    @property
    def classes(self) -> dict[str, Tag]:
        if callable(self._classes):
            self._classes = self._classes()
        return self._classes or {}

    @property
    def joined(self) -> str:
        return "\n".join(self.lines)

    def first(self, *tokens: str) -> Tag | None:
        """The first element carrying one of the class tokens, trying tokens in the order given."""
        for token in tokens:
            el = self.classes.get(token)
            if el is not None:
                return el
        return None

    def with_attr(self, name: str, value: str | None = None) -> list[Tag]:
        found = self.attrs.get(name, [])
        return found if value is None else [el for el in found if el.get(name) == value]


def scan(el: Tag) -> Scan:
    return walk(el).scan(el)


def _split(parts: list[str]) -> list[str]:
    return [line for line in (normalize(x) for x in "".join(parts).split("\n")) if line]


def class_tokens(classes) -> list[str] | tuple:
    """An element's class tokens, from the one string soup.make_soup keeps or the list bs4's default builder
    makes."""
    if not classes:
        return ()
    return classes.split() if isinstance(classes, str) else classes


def _is_button(tag: Tag, classes) -> bool:
    if tag.name == "button":
        return True
    if not classes:
        return False
    if isinstance(classes, str):  # "btn" has no space: in the string exactly when in one of its tokens
        return "btn" in classes or "ui-button" in classes.split()
    return any("btn" in c or c == "ui-button" for c in classes)


@dataclass
class Walked:
    """One walk over a document: its text in render order, and where each element's text starts and ends in
    it, so every card's Scan is a slice of one walk instead of a walk of its own."""

    root: Tag
    parts: list[str]
    spans: dict[int, tuple[int, int]]  # id(element) -> [start, end) in parts
    links: list[tuple[int, int, str, Tag]]  # (start, end, href, element), by start
    buttons: list[tuple[int, int]]  # (start, end), by start
    classes: list[tuple[int, object, Tag]]  # (start, the element's class attribute, element) in document order
    attrs: dict[str, list[tuple[int, Tag]]]

    def scan(self, el: Tag) -> Scan:
        lo, hi = (0, len(self.parts)) if el is self.root else self.spans[id(el)]
        parts = self.parts
        out = Scan(lines=_split(parts[lo:hi]))
        i = bisect_left(self.links, lo, key=lambda x: x[0])
        while i < len(self.links) and self.links[i][0] < hi:
            a, b, href, tag = self.links[i]
            if b <= hi:
                out.links.append((href, normalize("".join(parts[a:b])), tag))
            i += 1
        i = bisect_left(self.buttons, (lo, lo))
        while i < len(self.buttons) and self.buttons[i][0] < hi:
            a, b = self.buttons[i]
            if b <= hi:
                out.buttons.append(normalize("".join(parts[a:b])))
            i += 1
        out._classes = lambda: self._classes_in(lo, hi)
        for name, found in self.attrs.items():
            i = bisect_left(found, lo, key=lambda x: x[0])
            inside = []
            while i < len(found) and found[i][0] < hi:
                inside.append(found[i][1])
                i += 1
            if inside:
                out.attrs[name] = inside
        return out


    def _classes_in(self, lo: int, hi: int) -> dict[str, Tag]:
        found: dict[str, Tag] = {}
        i = bisect_left(self.classes, lo, key=lambda x: x[0])
        while i < len(self.classes) and self.classes[i][0] < hi:
            for token in class_tokens(self.classes[i][1]):
                found.setdefault(token, self.classes[i][2])
            i += 1
        return found


def walk(root: Tag, on_text=None, on_tag=None, tag_names=frozenset(), tag_attrs=frozenset()) -> Walked:
    """Walk the document once. `on_text(string)` sees every visible text node; `on_tag(tag)` each element
    named in `tag_names` or carrying one of `tag_attrs`, as it is entered. A true answer from on_tag mutes both
    hooks inside that element (site chrome), not its text."""
    parts: list[str] = []
    out = Walked(root, parts, {}, [], [], [], {})
    spans, classes_at, watched = out.spans, out.classes, out.attrs
    # An explicit stack, not recursion: malformed pages (unclosed <div>s or <b>s) nest deeper than Python's
    # recursion limit. An element is entered when met and finished when its children run out.
    stack: list[tuple] = []
    children = iter(root.contents)  # the list itself: bs4's .children is a generator around it
    muted = False
    while True:
        for child in children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _NON_TEXT):
                    parts.append(str(child))
                    if on_text is not None and not muted:
                        on_text(child)
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in SKIP_TAGS:
                continue
            attrs = child.attrs
            block = name in BLOCK_TAGS
            if block:
                parts.append("\n")
            at = len(parts)
            classes = attrs.get("class") or ()
            if classes:
                classes_at.append((at, classes, child))
            for a in attrs:  # an element has one or two attributes; the watched list is longer
                if a in _WATCHED:
                    watched.setdefault(a, []).append((at, child))
            stack.append((child, children, at, block, classes, muted))
            if on_tag is not None and not muted and (name in tag_names or not tag_attrs.isdisjoint(attrs)) \
                    and on_tag(child):
                muted = True
            children = iter(child.contents)
            break
        else:
            if not stack:
                out.links.sort(key=lambda x: x[0])
                out.buttons.sort()
                return out
            child, children, start, block, classes, muted = stack.pop()
            end = len(parts)
            spans[id(child)] = (start, end)
            if child.name == "a" and "href" in child.attrs:
                out.links.append((start, end, str(child.attrs["href"]), child))
            if _is_button(child, classes):
                out.buttons.append((start, end))
            if block:
                parts.append("\n")


def lines(el: Tag) -> list[str]:
    """The element's visible text, one entry per rendered line, normalised, no empty lines."""
    return scan(el).lines


def text_of(el: Tag | None) -> str:
    """One-line visible text of an element ("" for None)."""
    if el is None:
        return ""
    parts: list[str] = []
    _text(el, parts)
    return normalize(" ".join(_split(parts)))


def _text(root: Tag, parts: list[str]) -> None:
    stack: list[tuple[object, bool]] = []  # explicit, like _walk: no recursion limit on nesting
    children = iter(root.children)
    while True:
        for child in children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _NON_TEXT):
                    parts.append(str(child))
            elif isinstance(child, Tag) and child.name not in SKIP_TAGS:
                block = child.name in BLOCK_TAGS
                if block:
                    parts.append("\n")
                stack.append((children, block))
                children = iter(child.children)
                break
        else:
            if not stack:
                return
            children, block = stack.pop()
            if block:
                parts.append("\n")


def find_tags(root: Tag, match) -> list[Tag]:
    """Elements under root for which match(tag) holds, in document order; faster than find_all/select."""
    return [e for e in root.descendants if isinstance(e, Tag) and match(e)]
