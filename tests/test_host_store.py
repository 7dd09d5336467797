"""The real `python -m aliwatch host` with a store in a temp dir: snapshots are stored before they are
answered, `deadlines` answers from the store, and `warnings` are pushed once per deadline and threshold,
across two hosts (Chrome and Firefox) sharing one store."""
from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from aliwatch.host.codec import decode, encode, read_frame
from aliwatch.store import Store
from store_helpers import detail_snapshot

HOST = [sys.executable, "-m", "aliwatch", "host"]


class HostProcess:
    """A host subprocess with a reader thread, so frames can be awaited with a timeout."""

    def __init__(self, db: Path, interval: float = 0.2, extra: list[str] | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
        env.update(ALIWATCH_DB=str(db), ALIWATCH_REMINDER_INTERVAL=str(interval))
        cmd = [sys.executable, *(extra or []), "-m", "aliwatch", "host"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env)
        self.frames: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while (body := read_frame(self.proc.stdout)) is not None:
            self.frames.put(decode(body))

    def send(self, msg: dict) -> None:
        self.proc.stdin.write(encode(msg))
        self.proc.stdin.flush()

    def next(self, timeout: float = 60) -> dict:
        return self.frames.get(timeout=timeout)

    def reply(self, req_id: object, timeout: float = 60) -> tuple[dict, list[dict]]:
        """The reply with this id, and the pushes that arrived before it."""
        pushes = []
        while True:
            msg = self.next(timeout)
            if msg.get("id") == req_id and "id" in msg:
                return msg, pushes
            pushes.append(msg)

    def pushes_within(self, seconds: float, until: int | None = None) -> list[dict]:
        """Every frame that arrives within `seconds` (they must all be pushes); with `until`, stop early once
        that many warnings have arrived."""
        out, end = [], time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                out.append(self.next(left))
            except queue.Empty:
                break
            if until is not None and sum(len(m.get("warnings", [])) for m in out) >= until:
                break
        assert all("id" not in m for m in out), out
        return out

    def close(self) -> tuple[int, str]:
        self.proc.stdin.close()
        code = self.proc.wait(timeout=60)
        return code, self.proc.stderr.read().decode("utf-8", "replace")


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
