"""`aliwatch deadlines | export | forget | reparse` as a user runs them, on a store in a temp dir."""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from aliwatch.analysis import analyze_snapshot
from aliwatch.store import Store
from helpers.snapshots import detail_snapshot, fixture_snapshot

NOW = "2026-11-26T09:00:00+00:00"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "aliwatch.db"
    with Store(path) as s:
        for case in ("detail_en_awaiting_delivery", "dispute_en_awaiting_seller", "list_en_mixed"):
            snap, _ = fixture_snapshot(case)
            result = analyze_snapshot(snap)
            s.record(snap, result)
            s.keep_snapshots(snap, result)
    return path


def aliwatch(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
    env.update(ALIWATCH_DB=str(db), TZ="UTC")
    return subprocess.run([sys.executable, "-m", "aliwatch", *args], capture_output=True, timeout=120, env=env)


def test_deadlines_prints_a_table_soonest_first(db: Path) -> None:
    r = aliwatch(db, "deadlines", "--now", NOW)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert lines[0].split() == ["ORDER", "DEADLINE", "WHEN", "WHAT", "TO", "DO"]
    assert lines[1].startswith("8212985170346602  Seller must respond by")
    assert "Nov 30, 2026 08:10 (in 3 days)" in lines[1] and "Keep the dispute open" in lines[1]
    assert lines[2].startswith("8213004417736925  Buyer protection ends")
    assert "Dec 1, 2026 00:00 (in 4 days)" in lines[2] and "extend protection" in lines[2]
    assert len(lines) == 3  # the late-delivery date (Oct 30) has passed

    past = aliwatch(db, "deadlines", "--now", NOW, "--include-past").stdout.decode().splitlines()
    assert len(past) == 4 and "Promised delivery" in past[1] and "27 days ago" in past[1]


def test_deadlines_on_an_empty_store_says_how_it_fills(tmp_path: Path) -> None:
    r = aliwatch(tmp_path / "empty.db", "deadlines")
    assert r.returncode == 0 and b"No upcoming deadlines stored" in r.stdout


def test_export_json_csv_and_ics(db: Path, tmp_path: Path) -> None:
    data = json.loads(aliwatch(db, "export", "--format", "json", "--now", NOW).stdout)
    assert data["schema"] == 1 and len(data["orders"]) == 10
    by_id = {o["order_id"]: o for o in data["orders"]}
    assert [(d["kind"], d["at"]) for d in by_id["8213004417736925"]["deadlines"]] == [
        ("delivery_promised", "2026-10-30T00:00:00+00:00"), ("protection_ends", "2026-12-01T00:00:00+00:00")]
    assert by_id["8213004417736925"]["store"] == "Sonicbay Audio Store"

    out = tmp_path / "out" / "deadlines.csv"
    out.parent.mkdir()
    r = aliwatch(db, "export", "--format", "csv", "-o", str(out))
    assert r.returncode == 0 and r.stdout == b""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert len(rows) == 3 + 8  # three deadlines, plus one row for each list order without any
    row = next(r for r in rows if r["kind"] == "seller_response_due")
    assert (row["order_id"], row["at"]) == ("8212985170346602", "2026-11-30T08:10:02+00:00")

    ics = aliwatch(db, "export", "--format", "ics", "--now", NOW).stdout
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and ics.count(b"BEGIN:VEVENT") == 3


def test_export_neutralises_spreadsheet_formulas(tmp_path: Path) -> None:
    path = tmp_path / "aliwatch.db"
    with Store(path) as s:
        s.record({"cards": []}, {"now": NOW, "page": "order_list", "cards": [
            {"order_id": "8213000000000701", "status": "completed", "status_text": "Completed",
             "store": "=HYPERLINK(\"http://evil.example\")", "deadlines": []}]})
    rows = list(csv.DictReader(io.StringIO(aliwatch(path, "export", "--format", "csv").stdout.decode())))
    assert rows[0]["store"] == "'=HYPERLINK(\"http://evil.example\")"


def test_forget_one_order_then_everything(db: Path) -> None:
    r = aliwatch(db, "forget", "8213004417736925")
    assert r.returncode == 0, r.stderr
    assert b"Forgot order 8213004417736925" in r.stdout
    raw = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))
    assert b"8213004417736925" not in raw and b"Sonicbay" not in raw
    listed = aliwatch(db, "deadlines", "--now", NOW, "--include-past").stdout.decode()
    assert "8213004417736925" not in listed and "8212985170346602" in listed

    again = aliwatch(db, "forget", "8213004417736925")
    assert again.returncode == 1 and b"no order 8213004417736925" in again.stderr
    assert aliwatch(db, "forget", "12; DROP TABLE orders").returncode == 2
    assert aliwatch(db, "forget").returncode == 2  # an order or --all is required

    refused = aliwatch(db, "forget", "--all")  # no terminal to ask on: --yes is needed
    assert refused.returncode == 1 and b"add --yes to confirm" in refused.stderr
    assert b"8212985170346602" in aliwatch(db, "deadlines", "--now", NOW).stdout
    assert aliwatch(db, "forget", "--all", "--yes").returncode == 0
    with sqlite3.connect(db) as c:
        assert [c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("orders", "deadlines", "snapshots", "warnings_shown")] == [0, 0, 0, 0]


def test_reparse_restores_what_the_current_parser_reads(db: Path) -> None:
    # What an older, buggier parser might have left: a wrong date, a deadline the page never gave.
    with sqlite3.connect(db) as c:
        c.execute("UPDATE deadlines SET at = '2027-01-01T00:00:00+00:00' WHERE kind = 'protection_ends'")
        c.execute("INSERT INTO deadlines (order_id, kind, at, basis, text, first_seen, last_seen) VALUES "
                  "('8213406718822531', 'payment_due', '2026-11-27T00:00:00+00:00', 'stated', 'x', ?, ?)", (NOW, NOW))
    r = aliwatch(db, "reparse")
    assert r.returncode == 0, r.stderr
    assert b"Re-read 10 stored card snapshot(s) of 10 order(s)" in r.stdout
    assert b"0 deadline(s) added, 1 changed, 1 gone" in r.stdout
    data = json.loads(aliwatch(db, "export").stdout)
    valid = {(o["order_id"], d["kind"]): d["at"] for o in data["orders"] for d in o["deadlines"]}
    assert valid == {("8213004417736925", "delivery_promised"): "2026-10-30T00:00:00+00:00",
                     ("8213004417736925", "protection_ends"): "2026-12-01T00:00:00+00:00",
                     ("8212985170346602", "seller_response_due"): "2026-11-30T08:10:02+00:00"}


def test_reparse_reads_a_card_an_older_parser_could_not(tmp_path: Path) -> None:
    """A card stored without an order id (unreadable then) becomes an order once the parser reads it."""
    path = tmp_path / "aliwatch.db"
    snap = detail_snapshot("8213000000000702", "Dec 1, 2026", now=NOW)
    result = analyze_snapshot(snap)
    result["cards"][0] = {**result["cards"][0], "order_id": None, "status": "unknown", "deadlines": []}
    with Store(path) as s:  # as an older parser would have stored it
        s.record(snap, result)
        s.keep_snapshots(snap, result)
        assert s.counts()["orders"] == 0 and s.counts()["snapshots"] == 1
    assert aliwatch(path, "reparse").returncode == 0
    data = json.loads(aliwatch(path, "export").stdout)
    assert [(o["order_id"], [d["kind"] for d in o["deadlines"]]) for o in data["orders"]] == [
        ("8213000000000702", ["delivery_promised", "protection_ends"])]
