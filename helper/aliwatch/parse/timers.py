"""Timers however the page renders them: a sentence ("The seller has 3 days 23:10:02 to respond"), one element
per digit or unit, a label in a sibling element, a `role="timer"` element, or the legacy pages' millisecond
`lefttime` attributes and day/hour/minute/second `remain-*` spans."""
from __future__ import annotations

import re
from datetime import timedelta

from aliwatch.dates import MAX_COUNTDOWN, DateError, parse_countdown
from aliwatch.model import Context, Deadline
from aliwatch.text import Scan, fold, text_of

# What a bare countdown counts down to follows the order's state ("left-sendgoods-day" is reused on the legacy
# list for both the seller's shipping time and the buyer's confirmation time).
COUNTDOWN_KIND = {
    "awaiting_payment": "payment_due",
    "awaiting_shipment": "ship_by",
    "awaiting_delivery": "protection_ends",
    "delivered": "protection_ends",
}
STAGE_KIND = {"seller_to_respond": "seller_response_due", "buyer_to_return": "return_ship_by"}
_PARTS = {"remain-day": 86400, "remain-hour": 3600, "remain-min": 60, "remain-sec": 1}
_FRAGMENT = re.compile(r"[\d:\s.]{1,12}")


def _is_fragment(line: str, units: dict[str, int], countdown: re.Pattern) -> bool:
    if len(line) > 16:
        return False
    return bool(_FRAGMENT.fullmatch(line)) or (len(line) <= 8 and fold(line) in units) or bool(
        countdown.fullmatch(line))


def _join(run: list[str]) -> str:
    """"1","2","дн","0","5",":","3","2" → "12 дн 05:32": digits of one number and clock parts close up."""
    out, single = "", False
    for t in (x.strip() for x in run):
        if not out:
            out = t
        elif t.startswith(":") or out.endswith(":") or (single and len(t) == 1 and t.isdigit()):
            out += t
        else:
            out += " " + t
        single = t.isdigit() and len(t) == 1
    return out


def split_timer_lines(lines: list[str], units: dict[str, int], countdown: re.Pattern) -> list[str]:
    """Extra lines that put a timer broken over several elements back into its sentence: the line before
    the run, the run closed up, the line after it. Read only for deadlines, never for the status."""
    extra: list[str] = []
    i = 0
    while i < len(lines):
        if not _is_fragment(lines[i], units, countdown) or not any(c.isdigit() for c in lines[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and _is_fragment(lines[j + 1], units, countdown):
            j += 1
        before = lines[i - 1] if i else ""
        after = lines[j + 1] if j + 1 < len(lines) else ""
        extra.append(" ".join(x for x in (before, _join(lines[i:j + 1]), after) if x))
        i = j + 1
    return extra


def kind_for(status: str, stage: str | None) -> str | None:
    return COUNTDOWN_KIND.get(status) or STAGE_KIND.get(stage or "")


def element_timers(s: Scan, ctx: Context, kind: str | None, countdown: re.Pattern, units: dict[str, int]) -> list[Deadline]:
    """Countdowns the markup marks as such; `kind` is what they count down to (None: not knowable, skipped)."""
    if kind is None:
        return []
    found = []
    for el in s.with_attr("lefttime"):
        try:
            left = timedelta(milliseconds=int(el["lefttime"]))
        except (ValueError, OverflowError, TypeError):
            continue
        if timedelta(0) <= left <= MAX_COUNTDOWN:  # otherwise damage, not a timer
            found.append(Deadline(kind, ctx.now + left, "countdown", text_of(el) or "countdown"))
    ids = {el.get("id"): el for el in s.with_attr("id")}
    if "countdown" in ids:
        seconds = sum(int(text_of(ids[i])) * unit for i, unit in _PARTS.items()
                      if i in ids and text_of(ids[i]).isdecimal() and text_of(ids[i]).isascii())
        if 0 < seconds <= MAX_COUNTDOWN.total_seconds():
            found.append(Deadline(kind, ctx.now + timedelta(seconds=seconds), "countdown", text_of(ids["countdown"])))
    for el in s.with_attr("role", "timer"):
        said = text_of(el)
        m = countdown.search(said)
        if not m or not m.group(0).strip():
            continue
        try:
            left = parse_countdown(m.group(0), units)
        except DateError:
            continue
        if left:
            found.append(Deadline(kind, ctx.now + left, "countdown", said))
    return found
