"""Visible text of a card as lines, the way a reader sees it.

Block elements start a new line; inline elements join without a separator, exactly as the browser renders
them. That keeps AliExpress's one-span-per-character prices whole ("R$89,90") and sentences whose
countdown digits sit in their own spans readable ("The seller has 3 days 23:10:02 to respond").
"""
from __future__ import annotations

import re
import unicodedata

from bs4 import NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

BLOCK_TAGS = frozenset(
    "address article aside blockquote br button dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul "
    "option select textarea".split()
)
SKIP_TAGS = frozenset("script style noscript template svg head title iframe object canvas".split())
_NON_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC (folds full-width colons and no-break spaces), collapsed whitespace, stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def lines(el: Tag) -> list[str]:
    """The element's visible text, one entry per rendered line, normalised, no empty lines."""
    parts: list[str] = []
    _walk(el, parts)
    out = []
    for line in "".join(parts).split("\n"):
        line = normalize(line)
        if line:
            out.append(line)
    return out


def _walk(el: Tag, parts: list[str]) -> None:
    for child in el.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, _NON_TEXT):
                parts.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in SKIP_TAGS:
            continue
        if name in BLOCK_TAGS:
            parts.append("\n")
            _walk(child, parts)
            parts.append("\n")
        else:
            _walk(child, parts)


def text_of(el: Tag | None) -> str:
    """One-line visible text of an element ("" for None)."""
    if el is None:
        return ""
    return " ".join(lines(el))
