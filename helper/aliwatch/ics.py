"""RFC 5545 calendars of the stored deadlines (`aliwatch export --format ics`, the dashboard's
/calendar.ics): one VEVENT per deadline; a deadline still ahead gets a display alarm at each reminder lead
time.

Pure: (orders, now) → text. Content lines end in CRLF and are folded at 75 octets (never inside a UTF-8
sequence); TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.1, §3.3.11)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from operator import attrgetter

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
    if line.isascii():  # one octet per character: cut the text itself
        if len(line) <= LINE_OCTETS:
            return line
        return "\r\n ".join([line[:LINE_OCTETS]] + [line[i:i + LINE_OCTETS - 1]
                                                    for i in range(LINE_OCTETS, len(line), LINE_OCTETS - 1)])
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
    # Each event is one string, and the alarm lines that do not depend on the event are made once per list
    # of lead times (every event of an export shares one): an export has tens of thousands of events.
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", fold(f"PRODID:{PRODID}"), "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             fold(f"X-WR-CALNAME:{escape_text(name)}")]
    stamp = f"DTSTAMP:{utc(now)}"
    alarm_pieces: dict[tuple[timedelta, ...], list[str]] = {}
    for ev in events:
        summary = escape_text(ev.summary)
        text = (f"BEGIN:VEVENT\r\n{fold(f'UID:{escape_text(ev.uid)}')}\r\n{stamp}\r\nDTSTART:{utc(ev.start)}\r\n"
                f"SEQUENCE:{ev.sequence}\r\n{fold(f'SUMMARY:{summary}')}\r\n"
                f"{fold(f'DESCRIPTION:{escape_text(ev.description)}')}\r\nTRANSP:TRANSPARENT")
        if ev.url:
            text += f"\r\n{fold(f'URL:{ev.url}')}"
        if ev.alarms:
            leads = tuple(ev.alarms)
            pieces = alarm_pieces.get(leads) or alarm_pieces.setdefault(leads, _alarm_pieces(leads))
            # The pieces around each alarm's DESCRIPTION line, joined by it.
            text += "\r\n" + f"\r\n{fold(f'DESCRIPTION:{summary}')}\r\n".join(pieces)
        lines.append(text + "\r\nEND:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _alarm_pieces(leads: tuple[timedelta, ...]) -> list[str]:
    """The VALARM lines for `leads`, cut where each alarm's DESCRIPTION goes."""
    pieces, before = [], ""
    for lead in leads:
        pieces.append(f"{before}BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:{duration(lead)}")
        before = "END:VALARM\r\n"
    return pieces + ["END:VALARM"]


def deadline_events(orders: list[dict], now: datetime, lang: str = "en") -> list[Event]:
    """One event per valid stored deadline (store.orders()), titled by its kind and order, described by
    what to do (the advice at `now`), the page's own sentence and the order's link. Only deadlines still
    ahead of `now` carry alarms: a reminder for a date that has passed would only fire at once on import."""
    from aliwatch import reminders
    from aliwatch.model import Deadline, OrderFacts

    judge = reminders.judge_at(now, lang)  # what annotate() says of each, without its other fields
    labels: dict[str, str] = {}
    leads = [lead for _, lead in reminders.THRESHOLDS]
    events = []
    for order in orders:
        if not order["deadlines"]:
            continue
        order_id, link = order["order_id"], order.get("url")
        url = link if _safe_url(link) else None  # per order's link, not per deadline
        store = f" ({order['store']})" if order.get("store") else ""
        starts = [datetime.fromisoformat(d["at"]) for d in order["deadlines"]]
        found = [Deadline(d["kind"], at, d["basis"], d["text"]) for d, at in zip(order["deadlines"], starts)]
        advice = judge(OrderFacts(order_id=order_id, status=order["status"],
                                  status_text=order.get("status_text") or ""), found)
        for d, start in zip(order["deadlines"], starts):
            kind = d["kind"]
            w = advice.get(kind)
            label = labels.get(kind) or labels.setdefault(kind, reminders.label(kind, lang))
            said = (w.get("action") or w.get("detail")) if w else None
            description = "\n\n".join(p for p in (said, d["text"], link) if p)
            events.append(Event(uid=f"{order_id}-{kind}@{UID_DOMAIN}", start=start,
                                summary=f"AliWatch: {label} - order {order_id}{store}", description=description,
                                url=url, sequence=d.get("revision", 0), alarms=leads if start > now else []))
    events.sort(key=attrgetter("start", "uid"))
    return events


_UNSAFE_URL = re.compile(r'[\r\n" <>]')


def _safe_url(url: str | None) -> bool:
    # A URI value is not escaped, so it must not be able to break the line.
    return bool(url) and url.startswith("https://") and not _UNSAFE_URL.search(url)


def deadlines_calendar(orders: list[dict], now: datetime, lang: str = "en") -> str:
    return calendar(deadline_events(orders, now, lang), now)
