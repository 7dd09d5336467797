"""A redesign, simulated: the same page with its class names changed, every word, link and element kept.

AliExpress renames hashed CSS-module classes on every deploy and replaces whole layouts every few years, so
the parser (tests/test_redesign.py) and the content script's card finder (tests/e2e/test_find_cards.py,
test_redesign_badges.py) must read a page whatever its classes are. Three modes, from mild to total:
  reroll  every hashed suffix re-rolled ("RedOrderList_OrderItem__tag__1tjf5" → "…__tag__q8Zx2")
  random  every class token replaced by a random token (one token per original, as a CSS-modules build does)
  strip   every class attribute removed
The markup is rewritten as text so that nothing else about the page (comments, entities, whitespace) moves."""
from __future__ import annotations

import random
import re
import string

MODES = ("reroll", "random", "strip")
_CLASS_ATTR = re.compile(r"""(\s)class\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+)""", re.IGNORECASE)
# A hashed suffix: "__1tjf5", "--1Hlfkoj", "_a2315" (5 to 8 letters or digits, at least one digit).
_HASHED = re.compile(r"^(.+?(?:__|--|_))([A-Za-z0-9]{5,8})$")


def _token(rng: random.Random, n: int) -> str:
    return rng.choice(string.ascii_lowercase) + "".join(rng.choice(string.ascii_letters + string.digits)
                                                        for _ in range(n - 1))


def _hashed(tok: str) -> re.Match | None:
    """The match of a hashed class token (its suffix has a digit), else None."""
    m = _HASHED.match(tok)
    return m if m and any(c.isdigit() for c in m.group(2)) else None


def hashed_classes(html: str) -> set[str]:
    """The page's class tokens with a hashed suffix: what "reroll" changes (a page without any stays as it is)."""
    return {tok for m in _CLASS_ATTR.finditer(html) for tok in m.group(2).strip("\"'").split() if _hashed(tok)}


def mutate(html: str, mode: str, seed: int | str = 7) -> str:
    """The page with its classes changed by `mode`; deterministic for a given (page, mode, seed)."""
    if mode not in MODES:
        raise ValueError(mode)
    rng = random.Random(seed)
    mapping: dict[str, str] = {}

    def new_token(tok: str) -> str:
        if tok not in mapping:
            if mode == "random":
                mapping[tok] = _token(rng, 8)
            else:
                m = _hashed(tok)
                mapping[tok] = m.group(1) + _token(rng, len(m.group(2))) if m else tok
        return mapping[tok]

    def replace(m: re.Match) -> str:
        if mode == "strip":
            return m.group(1).rstrip() + " " if m.group(1) != " " else ""
        value = m.group(2)
        quote = value[0] if value[0] in "\"'" else ""
        tokens = value.strip("\"'").split()
        return f'{m.group(1)}class={quote or chr(34)}{" ".join(new_token(t) for t in tokens)}{quote or chr(34)}'

    out = _CLASS_ATTR.sub(replace, html)
    if mode == "strip":
        out = re.sub(r"<([A-Za-z][\w-]*)\s+>", r"<\1>", out)
    return out
