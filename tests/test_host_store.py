"""The real `python -m aliwatch host` with a store in a temp dir: snapshots are stored before they are
answered, `deadlines` answers from the store, and `warnings` are pushed once per deadline and threshold,
across two hosts (Chrome and Firefox) sharing one store."""
from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from aliwatch.store import Store
from helpers.host import HostProcess
from helpers.snapshots import detail_snapshot

HOST = [sys.executable, "-m", "aliwatch", "host"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "aliwatch.db"


def protection_result(order_id: str, at: datetime, now: datetime) -> dict:
    """An analysis as a browser's host stores it: an awaiting-delivery order whose protection ends at `at`."""
    return {"now": now.isoformat(), "page": "order_detail",
            "cards": [{"order_id": order_id, "status": "awaiting_delivery", "status_text": "Awaiting delivery",
                       "url": f"https://www.aliexpress.com/p/order/detail.html?orderId={order_id}",
                       "deadlines": [{"kind": "protection_ends", "at": at.isoformat(), "basis": "stated",
                                      "text": "Refund if no delivery before …"}]}]}


def day(moment: datetime) -> str:
    return f"{moment:%b} {moment.day}, {moment.year}"


def test_a_snapshot_is_stored_before_its_reply_and_pushes_its_reminder_once(db: Path) -> None:
    now = datetime.now(timezone.utc)
    protection = now + timedelta(days=2)  # a date two days ahead: inside the 3-day threshold
    snap = detail_snapshot("8213000000000101", day(protection), now=now.isoformat(), req_id=1)
    host = HostProcess(db)
    try:
        host.send(snap)
        analysis, _ = host.reply(1)
        assert analysis["type"] == "analysis" and analysis["stored"] is True
        with Store(db) as s:  # committed before the reply was written
            assert any(d["kind"] == "protection_ends" for o in s.orders() for d in o["deadlines"])
        pushed = host.pushes_within(10, until=1)
        assert len(pushed) == 1 and pushed[0]["type"] == "warnings"
        [w] = pushed[0]["warnings"]
        assert (w["order_id"], w["kind"], w["threshold"], w["code"]) == \
               ("8213000000000101", "protection_ends", "3d", "protection_ending")
        assert w["url"].endswith("orderId=8213000000000101") and w["title"] and w["action"]

        host.send({**snap, "id": 2})  # the same page again: the reminder was already shown
        host.reply(2)
        assert host.pushes_within(1.5) == []
    finally:
        code, err = host.close()
    assert code == 0, err
    with Store(db) as s:
        assert s.shown("8213000000000101") == {("8213000000000101", "protection_ending", "3d", w["due"])}


def test_a_deadline_crossing_the_next_threshold_while_connected_is_pushed_again(db: Path) -> None:
    now = datetime.now(timezone.utc)
    at = now + timedelta(days=3, seconds=3)  # "7d" now, "3d" three seconds from now
    with Store(db) as s:
        s.record({"cards": []}, protection_result("8213000000000102", at, now))
    host = HostProcess(db)
    try:
        host.send({"type": "ping", "id": 1})
        host.reply(1)
        pushed = [w for m in host.pushes_within(15, until=2) for w in m.get("warnings", [])]
        assert [w["threshold"] for w in pushed] == ["7d", "3d"]
        assert {w["order_id"] for w in pushed} == {"8213000000000102"}
    finally:
        host.close()


def test_two_hosts_on_one_store_push_each_reminder_once(db: Path) -> None:
    now = datetime.now(timezone.utc)
    with Store(db) as s:
        for i in range(5):
            s.record({"cards": []}, protection_result(f"821300000000020{i}", now + timedelta(days=1 + i), now))
    chrome, firefox = HostProcess(db, 0.1), HostProcess(db, 0.1)
    try:
        time.sleep(2)  # both hosts check many times meanwhile (every 0.1 s)
        got = chrome.pushes_within(0.5) + firefox.pushes_within(0.5)
        ids = sorted(w["order_id"] for m in got for w in m.get("warnings", []))
        assert ids == [f"821300000000020{i}" for i in range(5)]
    finally:
        assert chrome.close()[0] == 0
        assert firefox.close()[0] == 0


def test_due_claims_what_is_due_once_and_says_when_to_ask_again(db: Path) -> None:
    # A browser that was away: its alarm asks `due`; the host decides and claims, the extension only shows.
    now = datetime.now(timezone.utc)
    soon, later = now + timedelta(days=2), now + timedelta(days=5)  # "3d" crossed; "7d" crossed
    with Store(db) as s:
        s.record({"cards": []}, protection_result("8213000000000301", soon, now))
        s.record({"cards": []}, protection_result("8213000000000302", later, now))
        s.record({"cards": []}, protection_result("8213000000000303", now + timedelta(days=30), now))
    host = HostProcess(db, interval=3600)  # no timed check during the test: only `due` claims
    try:
        host.send({"type": "due", "id": 1, "ui_lang": "ru"})
        first, pushes = host.reply(1)
        assert [m for m in pushes if m["type"] != "forgotten"] == [] and first["type"] == "due" and (first["part"], first["parts"]) == (1, 1)
        got = {(r["order_id"], r["threshold"]) for r in first["reminders"]}
        assert got == {("8213000000000301", "3d"), ("8213000000000302", "7d")}
        assert all(r["code"] == "protection_ending" and r["url"] and r["title"] for r in first["reminders"])
        assert any("\u0430" <= ch <= "\u044f" for r in first["reminders"] for ch in r["title"])  # ui_lang: Russian
        # The next crossing: order 301 reaches "1d" 24 h before `soon`.
        expected = soon - timedelta(days=1)  # (the store keeps deadlines to the minute)
        assert abs(datetime.fromisoformat(first["next_at"]) - expected) < timedelta(minutes=1)

        host.send({"type": "due", "id": 2})  # asked again: already claimed, nothing to show twice
        second, _ = host.reply(2)
        assert second["reminders"] == [] and second["next_at"] == first["next_at"]
        host.send({"type": "due", "id": 3, "ui_lang": 5})
        bad, _ = host.reply(3)
        assert (bad["type"], bad["code"]) == ("error", "bad_argument")
    finally:
        code, err = host.close()
    assert code == 0, err
    pusher = HostProcess(db, 0.1)  # a connected browser's host pushes only what nobody claimed yet
    try:
        assert [m for m in pusher.pushes_within(1.5) if m["type"] != "forgotten"] == []  # no reminder twice
    finally:
        assert pusher.close()[0] == 0


def test_deadlines_answers_from_the_store_soonest_first(db: Path) -> None:
    now = datetime.now(timezone.utc)
    with Store(db) as s:
        s.record({"cards": []}, protection_result("8213000000000301", now + timedelta(days=20), now))
        s.record({"cards": []}, protection_result("8213000000000302", now + timedelta(days=2), now))
        s.record({"cards": []}, protection_result("8213000000000303", now - timedelta(days=1), now))
    host = HostProcess(db, interval=600)
    try:
        host.send({"type": "deadlines", "id": "d1"})
        reply, _ = host.reply("d1")
        assert reply["type"] == "deadlines" and (reply["part"], reply["parts"]) == (1, 1)
        assert [d["order_id"] for d in reply["deadlines"]] == ["8213000000000302", "8213000000000301"]
        soon = reply["deadlines"][0]
        assert soon["kind"] == "protection_ends" and soon["status"] == "awaiting_delivery"
        assert soon["title"].startswith("Protection ends") and "extend protection" in soon["action"]
        assert soon["url"] == "https://www.aliexpress.com/p/order/detail.html?orderId=8213000000000302"
        # Twenty days out, protection_ending does not fire yet: the deadline is listed with its kind's name.
        assert reply["deadlines"][1]["code"] is None and reply["deadlines"][1]["title"] == "Buyer protection ends"

        host.send({"type": "deadlines", "id": "d2", "include_past": True})
        reply, _ = host.reply("d2")
        assert [d["order_id"] for d in reply["deadlines"]][0] == "8213000000000303"
        assert len(reply["deadlines"]) == 3

        host.send({"type": "deadlines", "id": "d3", "include_past": 1})
        reply, _ = host.reply("d3")
        assert (reply["type"], reply["code"]) == ("error", "bad_argument")
    finally:
        assert host.close()[0] == 0


def test_a_broken_store_never_stops_the_host(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the store's directory should be")
    host = HostProcess(blocker / "aliwatch.db")
    try:
        now = datetime.now(timezone.utc)
        host.send(detail_snapshot("8213000000000401", day(now + timedelta(days=2)), now=now.isoformat(), req_id=1))
        analysis, _ = host.reply(1)
        assert analysis["type"] == "analysis" and analysis["stored"] is False
        assert analysis["cards"][0]["order_id"] == "8213000000000401"
        host.send({"type": "deadlines", "id": 2})
        reply, _ = host.reply(2)
        assert (reply["type"], reply["code"]) == ("error", "store_unavailable")
        host.send({"type": "ping", "id": 3})
        assert host.reply(3)[0]["type"] == "pong"
    finally:
        code, err = host.close()
    assert code == 0 and "Traceback" in err  # the failure is logged, not hidden


def test_a_host_that_only_answers_hello_never_loads_sqlite(db: Path) -> None:
    host = HostProcess(db, extra=["-X", "importtime"])
    host.send({"type": "hello", "id": 1})
    assert "deadlines" in host.reply(1)[0]["capabilities"]
    code, err = host.close()
    assert code == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in err.splitlines() if line.startswith("import time:")}
    assert "aliwatch.host.main" in imported
    assert not {"sqlite3", "aliwatch.store", "bs4"} & imported
    assert not db.exists()


def test_a_host_answering_a_snapshot_loads_no_event_loop_and_no_tls(db: Path) -> None:
    """The host is threads (issue 10: importing asyncio, and the ssl it pulls in, cost a cold start ~25 ms)."""
    host = HostProcess(db, extra=["-X", "importtime"])
    host.send(detail_snapshot("8213000000000109", "Dec 20, 2026", req_id=1))
    assert host.reply(1)[0]["type"] == "analysis"
    host.send({"type": "ping", "id": 2})
    assert host.reply(2)[0]["type"] == "pong"
    code, err = host.close()
    assert code == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in err.splitlines() if line.startswith("import time:")}
    assert {"bs4", "aliwatch.analysis", "sqlite3"} <= imported
    assert not {"asyncio", "ssl", "soupsieve"} & imported


def test_a_long_deadlines_reply_is_split_and_each_entry_encoded_once(monkeypatch) -> None:
    """The parts of a long `deadlines` reply: each a complete message under the cap, the entries in order,
    and each entry JSON-encoded once (its bytes size the part and then make its body; the codec sends that
    body as it is)."""
    import json as jsonlib

    from aliwatch.host import codec, parts as split

    entries = [{"order_id": f"8{i:015d}", "kind": "protection_ends", "text": "Защита " * (i % 40), "n": i}
               for i in range(3000)]
    calls = []
    real = codec.dumps

    def counting(obj):
        calls.append(obj)
        return real(obj)

    monkeypatch.setattr(split, "dumps", counting)
    monkeypatch.setattr(codec, "dumps", counting)
    limit = 64 * 1024
    parts = split.split_list(5, "deadlines", {"now": "2026-11-26T09:00:00+00:00"}, "deadlines", entries, limit)
    frames = [codec.encode(p, limit) for p in parts]
    assert len(parts) > 3
    assert sum(1 for c in calls if isinstance(c, dict) and c.get("kind") == "protection_ends") == len(entries)
    bodies = [jsonlib.loads(f[codec.PREFIX_SIZE:]) for f in frames]
    assert bodies == [dict(p) for p in parts]
    assert [b["part"] for b in bodies] == list(range(1, len(parts) + 1))
    assert all(b["parts"] == len(parts) and b["id"] == 5 and b["type"] == "deadlines" for b in bodies)
    assert [e for b in bodies for e in b["deadlines"]] == entries
    assert all(len(f) - codec.PREFIX_SIZE <= limit for f in frames)
