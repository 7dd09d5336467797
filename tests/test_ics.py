"""The RFC 5545 calendar: read back with an independent unfolder/unescaper written here from the RFC."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from aliwatch import ics
from aliwatch.analysis import analyze_snapshot
from aliwatch.store import Store
from helpers.snapshots import detail_snapshot, fixture_snapshot

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


def unfold(text: str) -> list[str]:
    """RFC 5545 §3.1: a CRLF followed by one space or tab continues the previous line."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "bare LF"
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def components(text: str) -> list[dict]:
    """VEVENTs as {name: [values]}, with their VALARMs under "alarms"."""
    events, current, alarm = [], None, None
    for line in unfold(text):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {"alarms": []}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif line == "BEGIN:VALARM":
            alarm = {}
        elif line == "END:VALARM":
            current["alarms"].append(alarm)
            alarm = None
        elif alarm is not None:
            alarm.setdefault(name, []).append(value)
        elif current is not None:
            current.setdefault(name, []).append(value)
    return events


def test_text_is_escaped_and_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    assert ics.escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    line = "DESCRIPTION:" + "Защита заказа, 😀 заканчивается; " * 10
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join([pieces[0]] + [p[1:] for p in pieces[1:]]) == line
    assert ics.fold("SHORT:x") == "SHORT:x"


def test_alarm_durations() -> None:
    assert [ics.duration(timedelta(days=d)) for d in (7, 3, 1, 0)] == ["-P7D", "-P3D", "-P1D", "PT0S"]
    assert ics.duration(timedelta(hours=36)) == "-P1DT12H"
    assert ics.duration(timedelta(minutes=90)) == "-PT1H30M"


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "aliwatch.db") as s:
        for case in ("detail_en_awaiting_delivery", "dispute_en_awaiting_seller", "list_en_mixed"):
            snap, _ = fixture_snapshot(case)
            s.record(snap, analyze_snapshot(snap))
        yield s


def test_one_event_per_deadline_with_utc_start_alarms_action_and_link(store: Store) -> None:
    text = ics.deadlines_calendar(store.orders(), NOW)
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:-//AliWatch//") for line in lines)
    assert all(len(raw.encode()) <= 75 for raw in text.split("\r\n"))

    events = {ev["UID"][0]: ev for ev in components(text)}
    assert set(events) == {"8213004417736925-delivery_promised@aliwatch.org",
                           "8213004417736925-protection_ends@aliwatch.org",
                           "8212985170346602-seller_response_due@aliwatch.org"}
    protection = events["8213004417736925-protection_ends@aliwatch.org"]
    assert protection["DTSTART"] == ["20261201T000000Z"]
    assert protection["DTSTAMP"] == ["20261126T090000Z"]
    summary = unescape(protection["SUMMARY"][0])
    assert "Buyer protection ends" in summary and "8213004417736925" in summary and "Sonicbay Audio Store" in summary
    description = unescape(protection["DESCRIPTION"][0])
    assert "Ask the seller to extend protection" in description
    assert "Refund if no delivery before Dec 1, 2026" in description
    assert "https://www.aliexpress.com/p/order/detail.html?orderId=8213004417736925" in description
    assert protection["URL"] == ["https://www.aliexpress.com/p/order/detail.html?orderId=8213004417736925"]
    assert [a["TRIGGER"][0] for a in protection["alarms"]] == ["-P7D", "-P3D", "-P1D", "PT0S"]
    assert all(a["ACTION"] == ["DISPLAY"] and a["DESCRIPTION"] for a in protection["alarms"])
    countdown = events["8212985170346602-seller_response_due@aliwatch.org"]
    assert countdown["DTSTART"] == ["20261130T081002Z"]


def test_the_uid_stays_and_the_sequence_grows_when_a_date_moves(tmp_path: Path) -> None:
    with Store(tmp_path / "aliwatch.db") as s:
        for when, date in (("2026-11-20T09:00:00+00:00", "Dec 1, 2026"), ("2026-11-25T09:00:00+00:00", "Dec 8, 2026")):
            snap = detail_snapshot("8213000000000501", date, now=when)
            s.record(snap, analyze_snapshot(snap))
            events = {ev["UID"][0]: ev for ev in components(ics.deadlines_calendar(s.orders(), NOW))}
            ev = events["8213000000000501-protection_ends@aliwatch.org"]
            assert ev["DTSTART"] == ["20261201T000000Z" if date == "Dec 1, 2026" else "20261208T000000Z"]
            assert ev["SEQUENCE"] == (["0"] if date == "Dec 1, 2026" else ["1"])


def test_page_text_cannot_inject_calendar_lines(tmp_path: Path) -> None:
    with Store(tmp_path / "aliwatch.db") as s:
        s.record({"cards": []}, {"now": NOW.isoformat(), "page": "order_detail", "cards": [{
            "order_id": "8213000000000502", "status": "awaiting_delivery", "status_text": "x",
            "store": "Evil;Store,\r\nEND:VEVENT\r\nBEGIN:VEVENT", "url": "https://x.example/\r\nATTACH:evil",
            "deadlines": [{"kind": "protection_ends", "at": "2026-12-01T00:00:00+00:00", "basis": "stated",
                           "text": "line one\nDTSTART:19700101T000000Z"}]}]})
        text = ics.deadlines_calendar(s.orders(), NOW)
    lines = unfold(text)
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert not any(line.startswith(("ATTACH", "DTSTART:1970")) for line in lines)
    [event] = components(text)
    assert "Evil;Store," in unescape(event["SUMMARY"][0]) and "URL" not in event


def _without_past_alarms(text: str, now: datetime) -> str:
    """The calendar as the code before issue #10 wrote it, minus the one deliberate change: a deadline that has
    passed carries no VALARM (its reminders would only fire at once on import). Works on the raw lines:
    a folded DESCRIPTION inside a VALARM goes with it."""
    out, start, in_alarm = [], None, False
    for line in text.split("\r\n"):
        if line.startswith("DTSTART:"):
            start = datetime.strptime(line[8:], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
        if line == "BEGIN:VALARM" and start <= now:
            in_alarm = True
        if not in_alarm:
            out.append(line)
        if line == "END:VALARM":
            in_alarm = False
    return "\r\n".join(out)


@pytest.mark.parametrize("lang, name", [("en", "ics_store_before.ics"), ("ru", "ics_store_before_ru.ics")])
def test_export_of_a_fixed_store_is_byte_identical_to_before(tmp_path, lang, name) -> None:
    """tests/data/ics_store_before*.ics were written by the code before the export was made fast (issue #10)
    from this same store: the output is the same bytes, except that past deadlines lost their alarms."""
    from ics_store import NOW as STORE_NOW, record_history

    from aliwatch.export import render

    with Store(tmp_path / "aliwatch.db") as store:
        record_history(store)
        orders = store.orders()
    before = (Path(__file__).parent / "data" / name).read_bytes().decode("utf-8")
    after = render("ics", orders, STORE_NOW, lang)
    assert after.count("BEGIN:VEVENT") == before.count("BEGIN:VEVENT") > 250
    assert after.count("BEGIN:VALARM") < before.count("BEGIN:VALARM")
    assert after.encode("utf-8") == _without_past_alarms(before, STORE_NOW).encode("utf-8")
    # Deadlines still ahead keep their four alarms.
    ahead = [e for e in components(after) if e["DTSTART"][0] > ics.utc(STORE_NOW)]
    assert ahead and all(len(e["alarms"]) == 4 for e in ahead)


def test_fold_matches_a_character_by_character_fold() -> None:
    """The byte-cutting fold against the obvious per-character one, on lines of 1-4 octet characters
    around every cut position."""
    def slow(line: str) -> str:
        pieces, current, size, limit = [], [], 0, 75
        for ch in line:
            n = len(ch.encode("utf-8"))
            if size + n > limit:
                pieces.append("".join(current))
                current, size, limit = [" "], 1, 75
            current.append(ch)
            size += n
        pieces.append("".join(current))
        return "\r\n".join(pieces)

    alphabet = ["a", "é", "Ж", "中", "😀", ";"]
    for length in range(0, 260, 7):
        for shift in range(len(alphabet)):
            line = "".join(alphabet[(i * (shift + 1) + i // 3) % len(alphabet)] for i in range(length))
            assert ics.fold(line) == slow(line), line
