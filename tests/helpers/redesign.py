"""A page "after a redesign": the same words, links and elements, with its class names changed the way
AliExpress deploys change them. One place for every redesign test (the parser's in Python, the content
script's in Chromium):

    from helpers.redesign import MODES, redesign
    html, changed = redesign(page_html, "strip")

Modes:
- ``rehash``: every hashed class suffix re-rolled, as a new CSS-modules build does
  (``RedOrderList_OrderItem__tag__1tjf5`` -> ``RedOrderList_OrderItem__tag__q81zd``; the same old hash gets
  the same new one everywhere on the page);
- ``random``: every class token replaced by a random token (the same token by the same random one);
- ``strip``: every class attribute removed.

Only start tags are rewritten (found with the standard library's HTML tokenizer, so text, scripts and
styles that merely mention ``class=`` are left alone); every other byte of the page stays as it was.
Deterministic: the same page, mode and seed give the same result.
"""
from __future__ import annotations

import random
import re
import string
from html.parser import HTMLParser

MODES = ("rehash", "random", "strip")

# class="…", class='…' or class=bare, with the whitespace before it (kept unless the attribute goes).
_CLASS_ATTR = re.compile(r"""(\s+)class\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)
# A hashed suffix: the last "__" or "--" part, 4-10 letters and digits with at least one digit.
_HASHED = re.compile(r"^(.*(?:__|--))([A-Za-z0-9]{4,10})$")
_ALNUM = string.ascii_letters + string.digits


class _StartTags(HTMLParser):
    """(offset, length) of every start tag in the page, in order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.tags: list[tuple[int, int]] = []

    def _start(self) -> None:
        line, col = self.getpos()
        raw = self.get_starttag_text() or ""
        self.tags.append((self._line_starts[line - 1] + col, len(raw)))

    def handle_starttag(self, tag, attrs) -> None:
        self._start()

    def handle_startendtag(self, tag, attrs) -> None:
        self._start()


class _Roller:
    def __init__(self, mode: str, rng: random.Random) -> None:
        self.mode, self.rng = mode, rng
        self.seen: dict[str, str] = {}

    def _fresh(self, length: int, first: str) -> str:
        while True:
            new = self.rng.choice(string.ascii_lowercase if first.isalpha() else string.digits) + "".join(
                self.rng.choice(_ALNUM) for _ in range(length - 1))
            if new not in self.seen.values():
                return new

    def token(self, token: str) -> str:
        if self.mode == "random":
            if token not in self.seen:
                self.seen[token] = self._fresh(8, "x")
            return self.seen[token]
        m = _HASHED.match(token)
        if not m or not any(c.isdigit() for c in m.group(2)):
            return token  # not hashed: BEM names like order-item-header stay
        old = m.group(2)
        if old not in self.seen:
            self.seen[old] = self._fresh(len(old), old[0])
        return m.group(1) + self.seen[old]


def redesign(html: str, mode: str, seed: int | str = 9) -> tuple[str, int]:
    """(the page with its classes changed by `mode`, how many class attributes were changed)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    parser = _StartTags(html)
    parser.feed(html)
    parser.close()
    roller = _Roller(mode, random.Random(f"{seed}:{mode}"))
    changed = 0

    def rewrite(m: re.Match) -> str:
        nonlocal changed
        if mode == "strip":
            changed += 1
            return ""
        value = m.group(2)
        quoted = value[0] in "\"'"
        tokens = (value[1:-1] if quoted else value).split()
        new = " ".join(roller.token(t) for t in tokens)
        changed += new != " ".join(tokens)
        quote = value[0] if quoted else '"'
        return f"{m.group(1)}class={quote}{new}{quote}"

    out, last = [], 0
    for start, length in parser.tags:
        out.append(html[last:start])
        out.append(_CLASS_ATTR.sub(rewrite, html[start:start + length]))
        last = start + length
    out.append(html[last:])
    return "".join(out), changed
