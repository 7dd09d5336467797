"""One pass over a card: its visible text as lines, its links, its buttons and its class hooks.

Block elements start a new line; inline elements join without a separator, exactly as the browser renders
them. That keeps AliExpress's one-span-per-character prices whole ("R$89,90") and sentences whose
countdown digits sit in their own spans readable ("The seller has 3 days 23:10:02 to respond").
Everything is collected in a single walk because CSS selectors over bs4 trees cost more than the parse.
"""
from __future__ import annotations

import re
import unicodedata
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
WATCHED_ATTRS = ("lefttime", "data-status", "data-orderid", "orderid", "data-order-id", "id", "data-pl")
_NON_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC (folds full-width colons and no-break spaces), collapsed whitespace, stripped."""
    if text.isascii():
        return _SPACES.sub(" ", text).strip()
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


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
    classes: dict[str, Tag] = field(default_factory=dict)  # class token -> first element with it
    attrs: dict[str, list[Tag]] = field(default_factory=dict)  # watched attribute -> elements with it

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
    parts: list[str] = []
    out = Scan(lines=[])
    _walk(el, parts, out)
    out.lines = _split(parts)
    return out


def _split(parts: list[str]) -> list[str]:
    return [line for line in (normalize(x) for x in "".join(parts).split("\n")) if line]


def _is_button(tag: Tag, classes) -> bool:
    if tag.name == "button":
        return True
    return any("btn" in c or c == "ui-button" for c in classes)


def _walk(root: Tag, parts: list[str], out: Scan) -> None:
    # An explicit stack, not recursion: malformed pages (unclosed <div>s or <b>s) nest deeper than Python's
    # recursion limit. An element is entered when met and finished when its children run out.
    stack: list[tuple[Tag, object, int, bool, object]] = []
    children = iter(root.children)
    while True:
        for child in children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _NON_TEXT):
                    parts.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in SKIP_TAGS:
                continue
            attrs = child.attrs
            classes = attrs.get("class") or ()
            for token in classes:
                out.classes.setdefault(token, child)
            for a in WATCHED_ATTRS:
                if a in attrs:
                    out.attrs.setdefault(a, []).append(child)
            block = name in BLOCK_TAGS
            if block:
                parts.append("\n")
            stack.append((child, children, len(parts), block, classes))
            children = iter(child.children)
            break
        else:
            if not stack:
                return
            child, children, start, block, classes = stack.pop()
            if child.name == "a" and "href" in child.attrs:
                out.links.append((str(child.attrs["href"]), normalize("".join(parts[start:])), child))
            if _is_button(child, classes):
                out.buttons.append(normalize("".join(parts[start:])))
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


def has_class(tag: Tag, token: str) -> bool:
    return token in (tag.attrs.get("class") or ())
