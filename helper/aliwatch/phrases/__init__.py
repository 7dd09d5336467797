"""Phrase tables: one JSON file per language, compiled once into matchers.

Adding a language means adding `<lang>.json` here; no code changes. The files hold what AliExpress says
(status words, labels, deadline sentences, countdown units, month names); this module only turns the
sentence templates into regular expressions:
  {date}       a calendar date in any common shape      {days}  a whole number of days
  {countdown}  a remaining time ("3 days 23:10:02")      …       up to 60 characters of anything
  ^            at the start of a line                   ":"     optional colon(s)
The words of a template match on one line. A template may open with its {date} ("{date} tarihine kadar…",
"{date}까지…"): the date that ends the slot is read, whatever clause precedes it on the line.
Tests: tests/test_languages.py checks every table's schema and reads translated fixture pages with it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
import os

from aliwatch.dateshapes import DATE_RE, countdown_pattern, date_at_end

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

    def find(self, text: str, countdown: re.Pattern):
        """(match, slot name, slot text) for each place the sentence is said with a readable slot."""
        for m in self.regex.finditer(text):
            groups = m.groupdict()
            if groups.get("date"):
                # A sentence that opens with its date may follow another clause on its line: take the date
                # that ends the slot ("… 19 Kas 2026 tarihinde"), not whatever starts it.
                leads = self.source.lstrip("^").startswith("{date}")
                got = (date_at_end if leads else DATE_RE.match)(groups["date"])
                if got:
                    yield m, "date", got.group(0)
            elif groups.get("countdown"):
                got = countdown.match(groups["countdown"])
                if got and got.group(0).strip():
                    yield m, "countdown", got.group(0)
            elif groups.get("days"):
                yield m, "days", groups["days"]


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
    countdown: re.Pattern | None = None
    label_res: dict[str, re.Pattern] = field(default_factory=dict)
    tracking: dict[str, str] = field(default_factory=dict)  # normalised tracking event -> status it proves
    endings: tuple[str, ...] = ()  # inflection endings, longest first: "отправлено" reads as "отправлен"


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


def table(lang: str) -> dict:
    """One table's JSON as written, for the keys other modules read (report/personal.py: personal_labels)."""
    return _read(f"{lang}.json")


@lru_cache(maxsize=None)
def load(lang: str) -> Phrases:
    raw = _read(f"{lang}.json")
    units = _units(raw.get("countdown_units", {}))
    flip = lambda table: {_key(p): k for k, phrases in table.items() for p in phrases}  # noqa: E731
    labels = {k: [_key(p) for p in v] for k, v in raw.get("labels", {}).items()}
    return Phrases(
        lang=lang,
        status=flip(raw.get("status", {})),
        buttons=flip(raw.get("buttons", {})),
        stages=flip(raw.get("dispute_stages", {})),
        labels=labels,
        events=[Sentence(e["event"], _compile(e["says"]), e["says"]) for e in raw.get("events", [])],
        deadlines=[Sentence(d["kind"], _compile(d["says"]), d["says"], d.get("from")) for d in raw.get("deadlines", [])],
        countdown=re.compile(countdown_pattern(units), re.IGNORECASE),
        units=units,
        months={k.casefold(): v for k, v in raw.get("months", {}).items()},
        label_res={k: _label_re(v) for k, v in labels.items()},
        tracking=flip(raw.get("tracking", {})),
        endings=tuple(sorted(raw.get("inflections", []), key=len, reverse=True)),
    )


def _key(phrase: str) -> str:
    from aliwatch.text import fold

    return fold(phrase)


@lru_cache(maxsize=1)
def order_id_labels() -> tuple[str, ...]:
    """Every table's order-number labels ("Order ID", "Номер заказа", "주문번호"), read without compiling the
    tables: a card is found by its labelled number before the page's language is known to matter."""
    found = {_key(p) for lang in available() for p in _read(f"{lang}.json").get("labels", {}).get("order_id", [])}
    return tuple(sorted(found, key=len, reverse=True))


_UNIT_SECONDS = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}


def _units(table: dict[str, list[str]]) -> dict[str, int]:
    return {w.casefold(): _UNIT_SECONDS[k] for k, words in table.items() for w in words}


def _compile(template: str) -> re.Pattern:
    """Template → regex. Slots capture loosely (up to the end of the clause); `Sentence.find` then reads
    the slot with the one compiled date or countdown pattern. Compiling the date pattern into every
    template made loading a table cost a quarter of a second, which the host pays at every start."""
    anchored = template.startswith("^")
    pieces = [x for x in re.split(r"(\{date\}|\{days\}|\{countdown\}|…)", template.lstrip("^")) if x]
    out = []
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        if piece in ("{date}", "{countdown}"):
            name = piece[1:-1]
            # Possessive `*+`, and a leading slot starts only where a blank run starts: a run of spaces is
            # then read once, not once per character (issue 13: linear time on any text).
            lead = "" if out else r"(?<![\s:])"
            out.append(lead + r"[\s:]*+(?P<" + name + r">[^\n·]{1,60}" + ("" if last else "?") + ")")
        elif piece == "{days}":
            out.append(r"(?P<days>\d{1,3})")
        elif piece == "…":
            out.append(r".{0,60}?")
        else:
            lit = re.escape(piece.strip())
            # Words of one phrase sit on one line: "accordé\nLe litige…" is not "accordé le".
            lit = lit.replace(r"\ ", r"[^\S\n]+").replace(":", r"\s*:{0,2}")
            lead = r"\s*" if piece[:1].isspace() and out else ""
            trail = r"\s*" if piece[-1:].isspace() else ""
            out.append(lead + lit + trail)
    return re.compile(("^" if anchored else "") + "".join(out), re.IGNORECASE | re.MULTILINE)


def _label_re(labels: list[str]) -> re.Pattern:
    alts = "|".join(re.escape(lbl).replace(r"\ ", r"\s*") for lbl in sorted(labels, key=len, reverse=True))
    return re.compile(r"^(?:" + alts + r")\s*[:：#]{0,2}\s*(?P<value>.*)$", re.IGNORECASE | re.MULTILINE)


def internal_codes() -> dict[str, str]:
    return _codes()


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    raw = _read("codes.json")
    return {k: v for k, v in raw.items() if not k.startswith("_")}
