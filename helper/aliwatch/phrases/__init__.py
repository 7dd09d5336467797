"""Phrase tables: one JSON file per language, compiled once into matchers.

Adding a language means adding `<lang>.json` here; no code changes. The files hold what AliExpress says
(status words, labels, deadline sentences, countdown units, month names); this module only turns the
sentence templates into regular expressions:
  {date}       a calendar date in any common shape      {days}  a whole number of days
  {countdown}  a remaining time ("3 days 23:10:02")      …       up to 60 characters of anything
  ^            at the start of a line                   ":"     optional colon(s)
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
import os

from aliwatch.dates import DATE_PATTERN, countdown_pattern

FALLBACK = "en"
_DIR = os.path.dirname(__file__)  # os.path, not importlib.resources: pathlib costs the host ~20 ms at start


def _read(name: str) -> dict:
    with open(os.path.join(_DIR, name), encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class Sentence:
    name: str  # deadline kind or event name
    regex: re.Pattern
    source: str  # the template, for problems and tests
    anchor: str | None = None  # event a {days} window counts from


@dataclass(frozen=True)
class Phrases:
    lang: str
    status: dict[str, str]  # normalised phrase -> status
    buttons: dict[str, str]
    stages: dict[str, str]
    labels: dict[str, list[str]]
    events: list[Sentence]
    deadlines: list[Sentence]
    units: dict[str, int]  # unit word -> seconds
    months: dict[str, int]
    label_res: dict[str, re.Pattern] = field(default_factory=dict)


@lru_cache(maxsize=None)
def available() -> tuple[str, ...]:
    names = [n[:-5] for n in os.listdir(_DIR) if n.endswith(".json")]
    return tuple(sorted(n for n in names if n != "codes"))


def resolve(hint: str | None) -> str | None:
    """'pt-BR', 'en_US', 'RU' -> the table to use, or None when there is none."""
    if not hint:
        return None
    base = re.split(r"[-_]", hint.strip().lower())[0]
    return base if base in available() else None


@lru_cache(maxsize=None)
def load(lang: str) -> Phrases:
    raw = _read(f"{lang}.json")
    units = _units(raw.get("countdown_units", {}))
    cd = countdown_pattern(units)
    flip = lambda table: {_key(p): k for k, phrases in table.items() for p in phrases}  # noqa: E731
    labels = {k: [_key(p) for p in v] for k, v in raw.get("labels", {}).items()}
    return Phrases(
        lang=lang,
        status=flip(raw.get("status", {})),
        buttons=flip(raw.get("buttons", {})),
        stages=flip(raw.get("dispute_stages", {})),
        labels=labels,
        events=[Sentence(e["event"], _compile(e["says"], cd), e["says"]) for e in raw.get("events", [])],
        deadlines=[
            Sentence(d["kind"], _compile(d["says"], cd), d["says"], d.get("from")) for d in raw.get("deadlines", [])
        ],
        units=units,
        months={k.casefold(): v for k, v in raw.get("months", {}).items()},
        label_res={k: _label_re(v) for k, v in labels.items()},
    )


def _key(phrase: str) -> str:
    from aliwatch.text import normalize

    return normalize(phrase).casefold().rstrip(" .:")


_UNIT_SECONDS = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}


def _units(table: dict[str, list[str]]) -> dict[str, int]:
    return {w.casefold(): _UNIT_SECONDS[k] for k, words in table.items() for w in words}


def _compile(template: str, countdown: str) -> re.Pattern:
    anchored = template.startswith("^")
    out = []
    for piece in re.split(r"(\{date\}|\{days\}|\{countdown\}|…)", template.lstrip("^")):
        if piece == "{date}":
            out.append(r"[\s:]*(?P<date>" + DATE_PATTERN + r")")
        elif piece == "{days}":
            out.append(r"(?P<days>\d{1,3})")
        elif piece == "{countdown}":
            out.append(r"[\s:]*(?P<countdown>" + countdown + r")")
        elif piece == "…":
            out.append(r".{0,60}?")
        elif piece:
            lit = re.escape(piece.strip())
            lit = lit.replace(r"\ ", r"\s+").replace(":", r"\s*:{0,2}")
            lead = r"\s*" if piece[:1].isspace() and out else ""
            trail = r"\s*" if piece[-1:].isspace() else ""
            out.append(lead + lit + trail)
    body = "".join(out)
    return re.compile(("^" if anchored else "") + body, re.IGNORECASE | re.MULTILINE)


def _label_re(labels: list[str]) -> re.Pattern:
    alts = "|".join(re.escape(lbl).replace(r"\ ", r"\s*") for lbl in sorted(labels, key=len, reverse=True))
    return re.compile(r"^(?:" + alts + r")\s*[:：#]{0,2}\s*(?P<value>.*)$", re.IGNORECASE | re.MULTILINE)


def internal_codes() -> dict[str, str]:
    return _codes()


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    raw = _read("codes.json")
    return {k: v for k, v in raw.items() if not k.startswith("_")}
