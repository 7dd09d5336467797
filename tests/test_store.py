"""The deadline store on a real SQLite file in a temp dir: schema, merging snapshots, forgetting for real,
two processes at once, scrubbed snapshots and reparse, and which reminders are due."""
from __future__ import annotations

import multiprocessing
import sqlite3
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from aliwatch.analysis import analyze_snapshot
from aliwatch import reminders
from aliwatch.store import Store, schema
from aliwatch.store.scrub import scrub
from helpers.snapshots import FIXTURES, detail_snapshot, fixture_snapshot, page_snapshot

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "aliwatch.db"


@pytest.fixture
def store(db: Path):
    with Store(db) as s:
        yield s


def record(store: Store, snapshot: dict, keep: bool = False) -> dict:
    result = analyze_snapshot(snapshot)
    store.record(snapshot, result)
    if keep:
        store.keep_snapshots(snapshot, result)
    return result


def valid(store: Store) -> dict[tuple[str, str], str]:
    return {(o["order_id"], d["kind"]): d["at"] for o in store.orders() for d in o["deadlines"]}


def order(store: Store, order_id: str) -> dict:
    return next(o for o in store.orders() if o["order_id"] == order_id)


# --- the file -------------------------------------------------------------------------------------------

def test_a_new_store_is_private_wal_and_at_the_latest_schema(db: Path) -> None:
    with Store(db) as s:
        c = s.conn
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert c.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert c.execute("SELECT max(version) FROM schema_version").fetchone()[0] == schema.LATEST
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"orders", "deadlines", "warnings_shown", "snapshots", "schema_version"} <= tables
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    with Store(db) as again:  # reopening applies nothing twice
        assert again.conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(schema.MIGRATIONS)


def test_default_path_follows_xdg_data_home_and_aliwatch_db(monkeypatch, tmp_path: Path) -> None:
    from aliwatch.store import default_path

    monkeypatch.delenv("ALIWATCH_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "aliwatch" / "aliwatch.db"
    monkeypatch.setenv("ALIWATCH_DB", str(tmp_path / "x.db"))
    assert default_path() == tmp_path / "x.db"


def test_a_store_from_a_newer_aliwatch_is_refused_untouched(db: Path) -> None:
    Store(db).close()
    with sqlite3.connect(db) as c:
        c.execute("INSERT INTO schema_version VALUES (?, 'later')", (schema.LATEST + 1,))
    with pytest.raises(schema.SchemaTooNew):
        Store(db)
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT max(version) FROM schema_version").fetchone()[0] == schema.LATEST + 1


# --- merging snapshots ----------------------------------------------------------------------------------

def test_the_list_page_after_the_detail_page_keeps_the_detail_deadlines(store: Store) -> None:
    detail, _ = fixture_snapshot("detail_en_awaiting_delivery", now="2026-11-26T09:00:00+00:00")
    record(store, detail)
    before = valid(store)
    assert before[("8213004417736925", "protection_ends")] == "2026-12-01T00:00:00+00:00"

    # The list shows the same order (its card's id swapped in), later, with no deadlines at all.
    html = (FIXTURES / "list_en_mixed" / "page.html").read_text("utf-8").replace("8213190044628357",
                                                                                  "8213004417736925")
    listing = page_snapshot(html, "https://www.aliexpress.com/p/order/index.html", now="2026-11-27T10:00:00+00:00")
    result = record(store, listing)
    card = next(c for c in result["cards"] if c["order_id"] == "8213004417736925")
    assert card["deadlines"] == []

    assert valid(store) == before  # nothing lost
    o = order(store, "8213004417736925")
    assert o["last_seen"] == "2026-11-27T10:00:00+00:00" and o["first_seen"] == "2026-11-26T09:00:00+00:00"
    assert o["status"] == "awaiting_delivery"
    upcoming = store.deadlines(NOW)
    assert [(d["order_id"], d["kind"]) for d in upcoming] == [("8213004417736925", "protection_ends")]


def test_a_newer_date_supersedes_and_the_old_one_is_kept_as_history(store: Store) -> None:
    record(store, detail_snapshot("8213000000000001", "Dec 1, 2026", now="2026-11-20T09:00:00+00:00"))
    record(store, detail_snapshot("8213000000000001", "Dec 8, 2026", now="2026-11-25T09:00:00+00:00"))  # extended
    assert valid(store)[("8213000000000001", "protection_ends")] == "2026-12-08T00:00:00+00:00"
    rows = store.conn.execute("SELECT at, superseded_at FROM deadlines WHERE kind = 'protection_ends' ORDER BY id")
    assert rows.fetchall() == [("2026-12-01T00:00:00+00:00", "2026-11-25T09:00:00+00:00"),
                               ("2026-12-08T00:00:00+00:00", None)]
    d = next(d for d in order(store, "8213000000000001")["deadlines"] if d["kind"] == "protection_ends")
    assert d["revision"] == 1
    # A late copy of the older page (another browser) does not undo the extension.
    record(store, detail_snapshot("8213000000000001", "Dec 1, 2026", now="2026-11-21T09:00:00+00:00"))
    assert valid(store)[("8213000000000001", "protection_ends")] == "2026-12-08T00:00:00+00:00"
    assert order(store, "8213000000000001")["last_seen"] == "2026-11-25T09:00:00+00:00"


def test_the_same_page_again_changes_nothing_but_last_seen(store: Store) -> None:
    record(store, detail_snapshot("8213000000000002", "Dec 1, 2026", now="2026-11-20T09:00:00+00:00"))
    record(store, detail_snapshot("8213000000000002", "Dec 1, 2026", now="2026-11-22T09:00:00+00:00"))
    rows = store.conn.execute("SELECT first_seen, last_seen, superseded_at FROM deadlines "
                              "WHERE kind = 'protection_ends'").fetchall()
    assert rows == [("2026-11-20T09:00:00+00:00", "2026-11-22T09:00:00+00:00", None)]


def test_a_countdown_recounted_seconds_apart_is_the_same_deadline(store: Store) -> None:
    first, _ = fixture_snapshot("dispute_en_awaiting_seller")
    record(store, first)
    # The same countdown text, captured 7 seconds later, gives a moment 7 seconds later.
    later, _ = fixture_snapshot("dispute_en_awaiting_seller", now="2026-11-26T09:00:07+00:00")
    record(store, later)
    rows = store.conn.execute("SELECT at, superseded_at FROM deadlines").fetchall()
    assert rows == [("2026-11-30T08:10:02+00:00", None)]


def test_an_unreadable_status_does_not_erase_the_known_one(store: Store) -> None:
    record(store, detail_snapshot("8213000000000003", "Dec 1, 2026", now="2026-11-20T09:00:00+00:00"))
    later = {"now": "2026-11-21T09:00:00+00:00", "page": "order_list",
             "cards": [{"order_id": "8213000000000003", "status": "unknown", "status_text": "???", "deadlines": []}]}
    store.record({"cards": []}, later)
    o = order(store, "8213000000000003")
    assert (o["status"], o["status_text"], o["last_seen"]) == ("awaiting_delivery", "Awaiting delivery",
                                                               "2026-11-21T09:00:00+00:00")


# --- forgetting -----------------------------------------------------------------------------------------

def _raw(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))


def test_forget_deletes_the_order_for_real_and_leaves_the_others(store: Store, db: Path) -> None:
    record(store, detail_snapshot("8213000000000004", "Dec 1, 2026"), keep=True)
    record(store, detail_snapshot("8213000000000005", "Dec 9, 2026"), keep=True)
    store.claim_warnings([("8213000000000004", "protection_ending", "7d", "2026-12-01T00:00:00+00:00")], NOW)
    assert b"8213000000000004" in _raw(db) and b"Sonicbay Audio Store" in _raw(db)

    assert store.forget("8213000000000004") > 0
    assert store.compact() is True
    for table in ("orders", "deadlines", "warnings_shown", "snapshots"):
        n = store.conn.execute(f"SELECT count(*) FROM {table} WHERE order_id = '8213000000000004'").fetchone()[0]
        assert n == 0, table
    assert b"8213000000000004" not in _raw(db)  # not in free pages, not in the WAL
    assert set(valid(store)) == {("8213000000000005", "delivery_promised"), ("8213000000000005", "protection_ends")}

    store.forget_all()
    store.compact()
    assert store.counts() == {"orders": 0, "deadlines": 0, "warnings_shown": 0, "snapshots": 0}
    raw = _raw(db)
    assert b"8213000000000005" not in raw and b"Sonicbay Audio Store" not in raw and b"Refund if no" not in raw


# --- two processes --------------------------------------------------------------------------------------

def _writer(path: str, first: int, count: int) -> None:
    from aliwatch.store import Store as S

    with S(path) as s:
        for i in range(first, first + count):
            at = (NOW + timedelta(days=1 + i % 20)).isoformat()
            result = {"now": (NOW + timedelta(seconds=i)).isoformat(), "page": "order_detail",
                      "cards": [{"order_id": f"9{i:015d}", "status": "awaiting_delivery", "status_text": "x",
                                 "deadlines": [{"kind": "protection_ends", "at": at, "basis": "stated",
                                                "text": f"Refund if no delivery before {at}"}]}]}
            s.record({"cards": []}, result)
            s.claim_warnings([(f"9{i:015d}", "protection_ending", "7d", at)], NOW)


def test_two_processes_writing_at_once_lose_nothing(db: Path) -> None:
    Store(db).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(db), n * 1000, 60)) for n in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with Store(db) as s:
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert s.counts()["orders"] == 120 and s.counts()["deadlines"] == 120 and s.counts()["warnings_shown"] == 120


def test_a_reminder_is_claimed_by_one_connection_only(db: Path) -> None:
    a, b = Store(db), Store(db)
    try:
        record(a, detail_snapshot("8213000000000006", "Dec 1, 2026"))
        claim = ("8213000000000006", "protection_ending", "7d", "2026-12-01T00:00:00+00:00")
        assert a.claim_warnings([claim], NOW) == {claim}
        assert b.claim_warnings([claim], NOW) == set()
        assert b.claim_warnings([("0000", "x", "7d", "2026-12-01T00:00:00+00:00")], NOW) == set()  # no such order
    finally:
        a.close()
        b.close()


# --- snapshots kept for reparse -------------------------------------------------------------------------

PERSONAL = {
    "detail_en_awaiting_delivery": ["Marina Teste", "900000000", "Rua das Flores"],
    "detail_en_completed": ["Alex Example", "5550100042", "123 Sample Street"],
    "detail_ru_awaiting_delivery": ["Алексей Пример", "7000000000", "Примерная"],
    "detail_legacy_en": ["Sam Example", "42 Sample Lane", "5550100000", "97477", "LP00137720945518"],
    # Issue 13: the seller's return address on a dispute page is not kept either.
    "dispute_en_return_accepted": ["Li Wei", "Longhua", "518000", "13000000000"],
}


@pytest.mark.parametrize("case", sorted(p.parent.name for p in FIXTURES.glob("*/truth.json")))
def test_scrubbed_cards_read_the_same_and_hold_no_personal_data(case: str) -> None:
    snapshot, _ = fixture_snapshot(case)
    if not snapshot["cards"]:
        pytest.skip("no cards on this page")
    before = analyze_snapshot(snapshot)
    clean = {**snapshot, "cards": [{"key": c["key"], "html": scrub(c["html"])} for c in snapshot["cards"]]}
    after = analyze_snapshot(clean)
    fields = ("order_id", "status", "status_text", "deadlines", "store", "order_date")
    assert [{k: c.get(k) for k in fields} for c in after["cards"]] == \
           [{k: c.get(k) for k in fields} for c in before["cards"]]
    text = " ".join(c["html"] for c in clean["cards"])
    for secret in PERSONAL.get(case, []):
        assert secret in " ".join(c["html"] for c in snapshot["cards"])
        assert secret not in text


def test_scrub_removes_emails_phones_and_card_numbers_anywhere() -> None:
    html = ('<div class="order-item"><p title="mail jane.doe@example.com">Call +34 612 345 678 or write to '
            'jane.doe@example.com</p><span>Visa ****1234</span><input value="LP123456789CN">'
            '<span>Order ID: 8213004417736925</span></div>')
    out = scrub(html)
    for secret in ("jane.doe", "612 345 678", "1234", "LP123456789CN"):
        assert secret not in out
    assert "8213004417736925" in out


def test_identical_resends_are_kept_once_and_old_ones_are_pruned(store: Store) -> None:
    snap = detail_snapshot("8213000000000007", "Dec 1, 2026", now="2026-11-20T09:00:00+00:00")
    record(store, snap, keep=True)
    record(store, {**snap, "captured_at": "2026-11-21T09:00:00+00:00"}, keep=True)
    assert [s.captured_at for s in store.snapshots()] == ["2026-11-21T09:00:00+00:00"]
    for day in range(10):
        record(store, detail_snapshot("8213000000000007", f"Dec {day + 1}, 2026",
                                      now=f"2026-11-{day + 10:02d}T09:00:00+00:00"), keep=True)
    kept = store.snapshots()
    assert len(kept) == 5 and kept[-1].captured_at == "2026-11-21T09:00:00+00:00"


def test_rebuild_replaces_what_an_old_parser_got_wrong(store: Store) -> None:
    record(store, detail_snapshot("8213000000000008", "Dec 1, 2026"), keep=True)
    # What a buggy parser might have stored: a wrong date and a kind the page never stated.
    store.conn.execute("UPDATE deadlines SET at = '2026-12-31T00:00:00+00:00' WHERE kind = 'protection_ends'")
    store.conn.execute("INSERT INTO deadlines (order_id, kind, at, basis, text, first_seen, last_seen) VALUES "
                       "('8213000000000008', 'ship_by', '2026-11-28T00:00:00+00:00', 'stated', 'x', 'a', 'a')")
    results = []
    for snap in store.snapshots():
        s = {"url": snap.url, "lang": snap.lang, "tz": snap.tz, "captured_at": snap.captured_at,
             "cards": [{"key": "aw1", "html": snap.html}]}
        results.append((snap, analyze_snapshot(s)["cards"][0]))
    assert store.rebuild(results, store.max_snapshot_id() + 1) is None  # stale read: nothing changes
    assert ("8213000000000008", "ship_by") in valid(store)
    assert store.rebuild(results, store.max_snapshot_id()) is not None
    assert valid(store) == {("8213000000000008", "delivery_promised"): "2026-10-30T00:00:00+00:00",
                            ("8213000000000008", "protection_ends"): "2026-12-01T00:00:00+00:00"}


@pytest.mark.parametrize("case", sorted(p.parent.name for p in FIXTURES.glob("*/truth.json")))
def test_advice_on_a_deadline_depends_only_on_that_deadline_and_the_status(case: str) -> None:
    """reminders.annotate judges stored deadlines without the order's others (the query stays one index scan);
    this holds while every dated rule of advice.py reads only the deadline of its own kind."""
    from aliwatch import advice
    from aliwatch.model import Deadline, OrderFacts

    snapshot, truth = fixture_snapshot(case)
    if not snapshot["cards"]:
        pytest.skip("no cards on this page")
    cards = analyze_snapshot(snapshot)["cards"]
    start = datetime.fromisoformat(truth["now"])
    for now in (start, start + timedelta(days=10), start + timedelta(days=40)):
        for card in cards:
            facts = OrderFacts(order_id=card["order_id"], status=card["status"])
            found = [Deadline(d["kind"], datetime.fromisoformat(d["at"]), d["basis"], d["text"])
                     for d in card["deadlines"]]
            together = {(w["code"], w["due"], w["title"]) for w in advice.warnings(facts, found, now) if w["due"]}
            alone = {(w["code"], w["due"], w["title"]) for d in found
                     for w in advice.warnings(facts, [d], now) if w["due"]}
            assert together == alone


# --- what is due ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("left, expected", [
    (timedelta(days=8), None), (timedelta(days=7), "7d"), (timedelta(days=3, seconds=1), "7d"),
    (timedelta(days=3), "3d"), (timedelta(hours=24, seconds=1), "3d"), (timedelta(hours=24), "1d"),
    (timedelta(seconds=1), "1d"), (timedelta(0), "due"), (timedelta(days=-2), "due"),
])
def test_threshold_is_the_latest_one_crossed(left: timedelta, expected: str | None) -> None:
    assert reminders.threshold(NOW + left, NOW) == expected


def test_next_at_is_the_next_threshold_a_deadline_with_advice_crosses() -> None:
    def row(at: datetime, code: str | None) -> dict:
        return {"at": at.isoformat(), "code": code}

    soon = NOW + timedelta(days=2, hours=5)  # 3d crossed; 1d at +1 day 5 h
    far = NOW + timedelta(days=7, hours=2)  # 7d at +2 h
    assert reminders.next_at([row(soon, "protection_ending"), row(far, "dispute_window_closing")], NOW) == \
        NOW + timedelta(hours=2)
    assert reminders.next_at([row(soon, "protection_ending")], NOW) == NOW + timedelta(days=1, hours=5)
    assert reminders.next_at([row(far, None)], NOW) is None  # nothing to say about it: no reminder to wake for
    assert reminders.next_at([row(NOW - timedelta(days=1), "payment_due")], NOW) is None  # all crossed


def test_due_reminders_follow_the_advice_and_skip_stale_and_irrelevant_ones(store: Store) -> None:
    record(store, detail_snapshot("8213000000000009", "Nov 28, 2026"))  # awaiting delivery: protection matters
    completed, _ = fixture_snapshot("detail_en_completed")  # dispute window Dec 2; protection ended Oct 24
    record(store, completed)
    rows = store.deadlines_between(*reminders.window(NOW))
    due = {(d["order_id"], d["kind"]): d for d in reminders.due(rows, NOW)}
    assert set(due) == {("8213000000000009", "protection_ends"), ("8212553908147761", "dispute_window_ends")}
    assert due[("8213000000000009", "protection_ends")]["threshold"] == "3d"
    assert due[("8213000000000009", "protection_ends")]["code"] == "protection_ending"
    assert due[("8212553908147761", "dispute_window_ends")]["threshold"] == "7d"
    # The promised delivery (Oct 30) is 27 days past: shown by the badge, not pushed as news.
    later = NOW + timedelta(days=3)
    rows = store.deadlines_between(*reminders.window(later))
    assert {(d["order_id"], d["kind"], d["threshold"]) for d in reminders.due(rows, later)} == {
        ("8213000000000009", "protection_ends", "due"), ("8212553908147761", "dispute_window_ends", "3d")}
