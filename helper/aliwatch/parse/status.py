"""An order's status from all the evidence on its card, never from where the card puts it.

Evidence, strongest first (each step only runs when the ones above left a question open):
  1. the status phrase: the first line that is a status word ("Awaiting delivery", "Status: Refunded"),
     tolerant of case, no-break spaces, punctuation and small inflections ("Отправлено" for "отправлен");
  2. a refund or dispute block: a line saying a refund or dispute is under way or done outranks a status
     it supersedes ("Refund in progress" under "Awaiting delivery" is in_dispute);
  3. the last tracking event: "Delivered" on an order still marked awaiting shipment or delivery is delivered;
  4. close wording: a status word inside a short line ("Your order has been cancelled");
  5. AliExpress's internal status code (legacy `data-status`);
  6. the deadline and event sentences ("The seller has 3 days to respond" is a dispute);
  7. the buttons ("Confirm received" is only offered while awaiting delivery).
Nothing matched: `unknown`, and the card says why. A guess is never made."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from aliwatch import phrases
from aliwatch.dateshapes import DATE_RE
from aliwatch.text import fold

# A refund or dispute supersedes an earlier stage; a granted refund supersedes the dispute.
_RANK = {"in_dispute": 1, "refunded": 2}
_SUPERSEDES = ("awaiting_payment", "awaiting_shipment", "awaiting_delivery", "delivered", "completed", "closed")
IMPLIED_BY_DEADLINE = {"payment_due": "awaiting_payment", "ship_by": "awaiting_shipment",
                       "seller_response_due": "in_dispute", "return_ship_by": "in_dispute"}
IMPLIED_BY_EVENT = {"refund_granted": "refunded", "dispute_opened": "in_dispute", "return_accepted": "in_dispute"}
_UPGRADABLE = ("awaiting_shipment", "awaiting_delivery")
_SHORT = 60  # a status is a few words; longer lines are sentences, titles and addresses
_LEADING_STAMP = re.compile(r"[\d\s:.,/-]{1,40}")


@dataclass
class Evidence:
    lines: list[str]  # the card's lines, without item titles and store names
    buttons: list[str] = field(default_factory=list)
    code: str | None = None
    deadline_kinds: tuple[str, ...] = ()
    events: tuple[str, ...] = ()


def stem(word: str, endings: tuple[str, ...]) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _stem_key(key: str, endings: tuple[str, ...]) -> str:
    return " ".join(stem(w, endings) for w in key.split())


@lru_cache(maxsize=None)
def _stemmed(lang: str, group: str) -> dict[str, str]:
    table = phrases.load(lang)
    return {_stem_key(k, table.endings): v for k, v in getattr(table, group).items()}


def exact(key: str, group: str, langs: list[str]) -> str | None:
    """The value of a phrase the key is, in the first table that has it; inflections tolerated."""
    for lang in langs:
        table = phrases.load(lang)
        found = getattr(table, group).get(key)
        if found is None and table.endings:
            found = _stemmed(lang, group).get(_stem_key(key, table.endings))
        if found:
            return found
    return None


def _contained(key: str, group: str, langs: list[str]) -> str | None:
    """The longest phrase inside the key, on word boundaries; phrases of one short word are too common."""
    best: tuple[int, str] | None = None
    for lang in langs:
        for phrase, value in getattr(phrases.load(lang), group).items():
            if (len(phrase) >= 6 or " " in phrase) and len(phrase) > (best[0] if best else 0) and _within(key, phrase):
                best = (len(phrase), value)
        if best:
            return best[1]
    return None


def _within(text: str, phrase: str) -> bool:
    i = text.find(phrase)
    if i < 0:
        return False
    if ord(phrase[0]) > 0x3000:  # Hangul, CJK: no spaces between words to bound them
        return True
    before = text[i - 1] if i else " "
    after = text[i + len(phrase)] if i + len(phrase) < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def _block(key: str, langs: list[str]) -> str | None:
    """A refund/dispute line: the phrase alone or followed by an amount ("환불 완료 ₩11,110")."""
    status = exact(key, "status", langs)
    if status is None:
        first = key.split(" ", 1)[0]
        for lang in langs:
            for phrase, value in _blocks_by_first_word(lang).get(first, ()):
                if key.startswith(phrase + " ") and _is_amount(key[len(phrase):]):
                    return value
    return status if status in _RANK else None


def _is_amount(rest: str) -> bool:
    """"US $12.74", "₩11,110", "812,40 руб.": a number with at most a currency word, not a sentence."""
    return any(c.isdigit() for c in rest) and all(len(w) <= 3 for w in re.findall(r"[^\W\d_]+", rest))


@lru_cache(maxsize=None)
def _blocks_by_first_word(lang: str) -> dict[str, tuple[tuple[str, str], ...]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for phrase, value in phrases.load(lang).status.items():
        if value in _RANK:
            out.setdefault(phrase.split(" ", 1)[0], []).append((phrase, value))
    return {k: tuple(v) for k, v in out.items()}


def _status_label(line: str, next_line: str, langs: list[str]) -> str | None:
    for lang in langs:
        rx = phrases.load(lang).label_res.get("status")
        m = rx.match(line) if rx else None
        if m:
            return m.group("value").strip() or next_line
    return None


def _after_stamp(key: str) -> str:
    """A tracking event without the date and time it starts with ("25 ноября, 04:12Прибыла…")."""
    m = DATE_RE.match(key)
    if m:
        key = key[m.end():]
    m = _LEADING_STAMP.match(key)
    return fold(key[m.end():] if m else key)


def decide(ev: Evidence, langs: list[str], all_langs: list[str]) -> tuple[str, str]:
    """(status, the text it was read from)."""
    keys = [fold(line) if len(line) <= _SHORT * 2 else "" for line in ev.lines]
    status, shown, at = None, "", -1
    for groups in (langs, all_langs):  # the page's table and English first; every table for a stray page
        status, shown, at = _heading(ev.lines, keys, groups)
        if status or not all_langs:
            break
    blocks = [(_RANK[b], b, ev.lines[i]) for i, k in enumerate(keys) if k and i != at and (b := _block(k, langs))]
    if blocks:
        best = max(blocks)
        if status is None or status in _SUPERSEDES or _RANK.get(status, 0) < best[0]:
            return best[1], best[2] if status is None else shown or best[2]
    if status in _UPGRADABLE and _tracked_delivered(keys, at, langs):
        return "delivered", shown
    if status:
        return status, shown
    for i, line in enumerate(ev.lines):
        if keys[i] and len(line) <= _SHORT and (found := _contained(keys[i], "status", langs)):
            return found, line
    if ev.code and ev.code.upper() in phrases.internal_codes():
        return phrases.internal_codes()[ev.code.upper()], ev.code
    for kind in ev.deadline_kinds:
        if kind in IMPLIED_BY_DEADLINE:
            return IMPLIED_BY_DEADLINE[kind], ""
    for event in ("refund_granted", "return_accepted", "dispute_opened"):
        if event in ev.events:
            return IMPLIED_BY_EVENT[event], ""
    for text in [*ev.buttons, *ev.lines]:
        key = fold(text)
        if key and len(text) <= _SHORT and (found := exact(key, "buttons", langs)):
            return found, ""
    return "unknown", _first_short(ev.lines)


def _heading(lines: list[str], keys: list[str], groups: list[str]) -> tuple[str | None, str, int]:
    """A labelled status ("Status: Awaiting Receipt") first: it outranks a progress bar's "Order Complete"
    step above it. Then the first line that is a status word."""
    for i, line in enumerate(lines):
        if keys[i] and len(line) <= _SHORT:
            value = _status_label(line, lines[i + 1] if i + 1 < len(lines) else "", groups)
            if value and (found := exact(fold(value), "status", groups)):
                return found, value, i + (0 if fold(value) in keys[i] else 1)
    for i, line in enumerate(lines):
        if keys[i] and len(line) <= _SHORT and (found := exact(keys[i], "status", groups)):
            return found, line, i
    return None, "", -1


def _tracked_delivered(keys: list[str], heading: int, langs: list[str]) -> bool:
    for i, key in enumerate(keys):
        if i != heading and key and exact(_after_stamp(key), "tracking", langs) == "delivered":
            return True
    return False


def _first_short(lines: list[str]) -> str:
    """The text most likely meant as the status: the first short line that is no label and holds no number."""
    plain = (line for line in lines if len(line) <= _SHORT and ":" not in line and not any(c.isdigit() for c in line))
    return next(plain, next((line for line in lines if len(line) <= _SHORT), ""))
