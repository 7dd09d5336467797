"""RFC 5545 calendars of the stored deadlines (`aliwatch export --format ics`, the dashboard's
/calendar.ics): one VEVENT per deadline; a deadline still ahead gets a display alarm at each reminder lead
time.

Pure: (orders, now) → text. Content lines end in CRLF and are folded at 75 octets (never inside a UTF-8
sequence); TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.1, §3.3.11)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from aliwatch import __version__

PRODID = f"-//AliWatch//AliWatch {__version__}//EN"
LINE_OCTETS = 75
UID_DOMAIN = "aliwatch.org"


@dataclass
class Event:
    uid: str
    start: datetime  # aware
    summary: str
    description: str
    url: str | None = None
    sequence: int = 0
    alarms: list[timedelta] = field(default_factory=list)  # lead times before start


_SPECIAL = re.compile(r"[\\;,\r\n]")


def escape_text(value: str) -> str:
    if not _SPECIAL.search(value):  # most titles: nothing to escape, one scan instead of six replaces
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def fold(line: str) -> str:
    """One content line folded into CRLF-joined pieces of at most 75 octets each (continuations start with a
    space, which counts). Encoded once and cut on bytes: a cut moves back off UTF-8 continuation bytes
    (0b10xxxxxx), so no character is split; most lines are short and return at once."""
    if len(line) <= LINE_OCTETS and line.isascii():  # one octet per character
        return line
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return line
    pieces: list[bytes] = []
    start, room = 0, LINE_OCTETS
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:
            end -= 1
        pieces.append(data[start:end])
        start, room = end, LINE_OCTETS - 1  # the leading space of a continuation counts
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def utc(moment: datetime) -> str:
    """DATE-TIME in UTC form: 20261201T000000Z."""
    m = moment.astimezone(timezone.utc)
    return f"{m.year:04d}{m.month:02d}{m.day:02d}T{m.hour:02d}{m.minute:02d}{m.second:02d}Z"


def duration(lead: timedelta) -> str:
    """A negative DURATION for an alarm `lead` before the start: -P7D, -PT24H… (PT0S at the start)."""
    seconds = int(lead.total_seconds())
    if seconds == 0:
        return "PT0S"
    days, rest = divmod(seconds, 86400)
    if rest == 0:
        return f"-P{days}D"
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    time_part = "".join(f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if v)
    return f"-P{days}DT{time_part}" if days else f"-PT{time_part}"


def calendar(events: list[Event], now: datetime, name: str = "AliWatch deadlines") -> str:
    # Lines are folded as they are made, and only those that can be long (text and URIs): the fixed ones
    # (BEGIN, DTSTART, SEQUENCE…) never reach 75 octets, and an export has hundreds of thousands of lines.
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", fold(f"PRODID:{PRODID}"), "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             fold(f"X-WR-CALNAME:{escape_text(name)}")]
    stamp = utc(now)
    for ev in events:
        summary = escape_text(ev.summary)
        lines += ["BEGIN:VEVENT", fold(f"UID:{escape_text(ev.uid)}"), f"DTSTAMP:{stamp}", f"DTSTART:{utc(ev.start)}",
                  f"SEQUENCE:{ev.sequence}", fold(f"SUMMARY:{summary}"),
                  fold(f"DESCRIPTION:{escape_text(ev.description)}"), "TRANSP:TRANSPARENT"]
        if ev.url:
            lines.append(fold(f"URL:{ev.url}"))
        if ev.alarms:
            said = fold(f"DESCRIPTION:{summary}")
            for lead in ev.alarms:
                lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:{duration(lead)}", said, "END:VALARM"]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def deadline_events(orders: list[dict], now: datetime, lang: str = "en") -> list[Event]:
    """One event per valid stored deadline (store.orders()), titled by its kind and order, described by
    what to do (the advice at `now`), the page's own sentence and the order's link. Only deadlines still
    ahead of `now` carry alarms: a reminder for a date that has passed would only fire at once on import."""
    from aliwatch import reminders

    rows = [{**order, **d} for order in orders for d in order["deadlines"]]
    advice = reminders.advice_for(rows, now, lang)  # what annotate() says of each, without its other fields
    labels: dict[str, str] = {}
    leads = [lead for _, lead in reminders.THRESHOLDS]
    safe: dict[str | None, bool] = {}  # per order's link, not per deadline
    events = []
    for row in rows:
        kind = row["kind"]
        w = advice.get((row["order_id"], kind))
        label = labels.get(kind) or labels.setdefault(kind, reminders.label(kind, lang))
        store = f" ({row['store']})" if row.get("store") else ""
        summary = f"AliWatch: {label} - order {row['order_id']}{store}"
        link = row.get("url")
        parts = [p for p in ((w.get("action") or w.get("detail")) if w else None, row["text"], link) if p]
        if link not in safe:
            safe[link] = _safe_url(link)
        start = datetime.fromisoformat(row["at"])
        events.append(Event(uid=f"{row['order_id']}-{kind}@{UID_DOMAIN}", start=start, summary=summary,
                            description="\n\n".join(parts), url=link if safe[link] else None,
                            sequence=row.get("revision", 0), alarms=leads if start > now else []))
    events.sort(key=lambda e: (e.start, e.uid))
    return events


def _safe_url(url: str | None) -> bool:
    # A URI value is not escaped, so it must not be able to break the line.
    return bool(url) and url.startswith("https://") and not any(c in url for c in "\r\n\" <>")


def deadlines_calendar(orders: list[dict], now: datetime, lang: str = "en") -> str:
    return calendar(deadline_events(orders, now, lang), now)
