"""Dates and remaining times as AliExpress writes them, turned into absolute moments (their shapes as regular
expressions are in dateshapes.py).

A fast path reads the shapes AliExpress uses (month names from the phrase tables, ISO, Korean, numeric)
without dateparser; anything else goes to dateparser with the page language as a hint. Both are cached,
because a list page repeats the same few dates on every card.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from aliwatch.dateshapes import BASE_UNITS, WORD as _WORD

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_KO = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일$")
_NUM = re.compile(r"(\d{1,2})([./-])(\d{1,2})[./-](\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DMY = re.compile(r"(\d{1,2})(?:er)?\.?\s+(?:de\s+)?(" + _WORD + r")\.?,?\s+(?:de\s+)?(\d{4})(?:\s*г\.?|\s*r\.)?"
                  r"(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DM = re.compile(r"(\d{1,2})(?:er)?\.?\s+(?:de\s+)?(" + _WORD + r")\.?$")
_MD = re.compile(r"(" + _WORD + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?$")
_MDY = re.compile(r"(" + _WORD + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


class DateError(ValueError):
    """A date-shaped text that does not name a real date."""


def zone(tz: str | None) -> ZoneInfo:
    if not tz:
        return _local_zone()
    try:
        return ZoneInfo(tz)
    except Exception as exc:  # ZoneInfoNotFoundError, ValueError on odd keys
        raise ValueError(f"unknown time zone: {tz!r}") from exc


@lru_cache(maxsize=1)
def _local_zone() -> ZoneInfo:
    """The machine's zone by name, on every OS: tzlocal reads $TZ, /etc/localtime or timedatectl on Linux,
    the system settings on macOS and the registry on Windows (where there is no /etc/localtime)."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
        if name:
            return ZoneInfo(name)
    except Exception:  # no tzlocal, or a zone it cannot name: UTC rather than a guess
        pass
    return ZoneInfo("UTC")


# No AliExpress date or timer lies outside these; beyond them a number is damage, not a deadline (and
# datetime arithmetic near year 9999 overflows).
YEARS = range(2000, 2201)
MAX_COUNTDOWN = timedelta(days=3650)


def parse_date(text: str, lang: str, tz: str | None, now: datetime | None = None, *, past: bool = False) -> datetime:
    """The moment a stated date means: local midnight in `tz` for a bare date, the local time if given.

    A date printed without its year ("9 января") is read in the year that puts it nearest to `now`: a promise
    made in November for "9 января" is next January, "21 ноября" this November. An event (`past`: the order
    was placed, paid…) has happened, so it takes the latest such date not after tomorrow. Raises DateError
    when the text cannot be read (or has no year and no `now` is given)."""
    text = text.strip()
    month_day = _yearless(text, lang)
    if month_day is not None:
        if now is None:
            raise DateError(f"the date {text!r} has no year")
        return _nearest_year(*month_day, now.astimezone(zone(tz)), past).replace(tzinfo=zone(tz))
    naive = _parse_naive(text, lang)
    if naive.year not in YEARS:
        raise DateError(f"the year {naive.year} in {text!r} is not a plausible order date")
    return naive.replace(tzinfo=zone(tz))


@lru_cache(maxsize=1024)
def _yearless(text: str, lang: str) -> tuple[int, int] | None:
    """(month, day) of a date written without a year, or None when the text has a year (or is no date)."""
    if any(ch.isdigit() for ch in text) and not re.search(r"\d{4}", text):
        if m := _DM.match(text):
            month, day = month_number(m[2], lang), int(m[1])
        elif m := _MD.match(text):
            month, day = month_number(m[1], lang), int(m[2])
        else:
            return None
        if month is None or not 1 <= day <= 31:
            raise DateError(f"cannot read the date {text!r}")
        return month, day
    return None


def _nearest_year(month: int, day: int, now: datetime, past: bool) -> datetime:
    today = now.replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(datetime(year, month, day))
        except ValueError:  # 29 February in a common year
            continue
    if not candidates:
        raise DateError(f"no year has the date {day}.{month}")
    if past:
        before = [c for c in candidates if c <= today + timedelta(days=1)]
        return max(before) if before else min(candidates)
    return min(candidates, key=lambda c: abs(c - today))


@lru_cache(maxsize=4096)
def _parse_naive(text: str, lang: str) -> datetime:
    got = _fast(text, lang)
    if got is None:
        got = _slow(text, lang)
    if got is None:
        raise DateError(f"cannot read the date {text!r}")
    return got


def _fast(text: str, lang: str) -> datetime | None:
    try:
        if m := _ISO.match(text):
            return _mk(m[1], m[2], m[3], m[4], m[5], m[6])
        if m := _KO.match(text):
            return _mk(m[1], m[2], m[3])
        if m := _NUM.match(text):
            a, b = int(m[1]), int(m[3])
            month_first = m[2] == "/" and lang == "en"
            day, month = (b, a) if month_first else (a, b)
            return _mk(m[4], month, day, m[5], m[6], m[7])
        if m := _DMY.match(text):
            month = month_number(m[2], lang)
            return _mk(m[3], month, m[1], m[4], m[5], m[6]) if month else None
        if m := _MDY.match(text):
            month = month_number(m[1], lang)
            return _mk(m[3], month, m[2], m[4], m[5], m[6]) if month else None
    except ValueError as exc:  # 31 Feb and the like
        raise DateError(str(exc)) from exc
    return None


def _mk(y, mo, d, h=None, mi=None, s=None) -> datetime:
    return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))


def month_number(word: str, lang: str) -> int | None:
    from aliwatch import phrases

    w = word.casefold().rstrip(".")
    langs = [lang] if lang in phrases.available() else []
    for table in [phrases.load(x).months for x in langs + [phrases.FALLBACK]]:
        for n in range(min(len(w), 5), 2, -1):
            if w[:n] in table:
                return table[w[:n]]
    return None


def _slow(text: str, lang: str) -> datetime | None:
    import dateparser  # imported only when the fast path fails: it costs ~0.3 s

    langs = [lang] if lang == "en" else [lang, "en"]
    try:
        got = dateparser.parse(text, languages=langs, settings={"PREFER_DAY_OF_MONTH": "first"})
    except Exception:
        return None
    return got.replace(tzinfo=None) if got else None


_PAIR = re.compile(r"(\d{1,4})\s*([^\W\d_]+)\.?")
_CLOCK = re.compile(r"(\d{1,3}):(\d{2})(?::(\d{2}))?")


def parse_countdown(text: str, units: dict[str, int]) -> timedelta:
    total = 0
    rest = text
    if m := _CLOCK.search(text):
        total += int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3] or 0)
        rest = text[: m.start()]
    for num, word in _PAIR.findall(rest):
        secs = units.get(word.casefold()) or BASE_UNITS.get(word.casefold())
        if secs is None:
            raise DateError(f"unknown time unit {word!r} in {text!r}")
        total += int(num) * secs
    if total > MAX_COUNTDOWN.total_seconds():
        raise DateError(f"the countdown {text!r} is longer than any AliExpress timer")
    return timedelta(seconds=total)


def add_working_days(start: datetime, days: int) -> datetime:
    """`days` working days (Monday to Friday, no holidays) after `start`, keeping the time of day."""
    d = start
    left = days
    while left:
        d += timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


def local_date(moment: datetime, tz: str | None) -> date:
    return moment.astimezone(zone(tz)).date()
