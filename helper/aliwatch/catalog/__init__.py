"""The helper's message catalogue: warning titles, details and actions, the escalation ladder, relative
times and dates, per UI language (one JSON file each). Adding a language adds a file; no code changes."""
from __future__ import annotations

import json
import os
import re
from datetime import date
from functools import lru_cache
from typing import Callable

FALLBACK = "en"
_HERE = os.path.dirname(__file__)
_LANG = re.compile(r"[a-z]{2,3}")

# CLDR plural categories, reduced to the forms the catalogues use. The catalogue names its rule.
PLURAL_RULES: dict[str, Callable[[int], str]] = {
    "one_other": lambda n: "one" if n == 1 else "other",  # en, es, pt
    "zero_one_other": lambda n: "one" if n in (0, 1) else "other",  # fr: 0 and 1 are singular
    "east_slavic": lambda n: ("one" if n % 10 == 1 and n % 100 != 11
                              else "few" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "many"),  # ru
}


def base_lang(lang: str | None) -> str:
    """'pt-BR' → 'pt'. Anything that is not a plain language tag is the fallback, never a file path."""
    base = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return base if _LANG.fullmatch(base) else FALLBACK


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    return tuple(sorted(f[:-5] for f in os.listdir(_HERE) if f.endswith(".json")))


def load(lang: str | None) -> dict:
    return _load(resolve(lang))


@lru_cache(maxsize=64)  # asked once per order by an export of thousands; a few distinct tags in practice
def resolve(lang: str | None) -> str:
    """The catalogue language that will be used for `lang` (the fallback when there is no file)."""
    base = base_lang(lang)
    return base if base in available() else FALLBACK


@lru_cache(maxsize=None)  # keyed by resolved names only, so the cache is bounded by the files
def _load(base: str) -> dict:
    with open(os.path.join(_HERE, f"{base}.json"), encoding="utf-8") as f:
        return json.load(f)


def count(texts: dict, unit: str, n: int) -> str:
    """'3 days', '3 дня', '1 jour': a number with its unit in the catalogue's plural form."""
    forms = texts["units"][unit]
    category = PLURAL_RULES[texts["plural"]](n)
    return forms.get(category, forms.get("other", forms.get("many", ""))).format(n=n)


def format_date(texts: dict, day: date) -> str:
    """A date the way the language writes it, with month names from the catalogue (no locale module)."""
    first = texts.get("first_day") if day.day == 1 else None  # French writes "1er décembre"
    return texts["date"].format(day=first or day.day, month=texts["months"][day.month - 1], year=day.year)
