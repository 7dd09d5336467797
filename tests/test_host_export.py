"""The host's `export` request: the same JSON, CSV and calendar as `aliwatch export`, read from a real store
in a temp file, split into parts of at most 1 MiB that join back to the exact text, refused clearly when
even the parts would be too many."""
from __future__ import annotations

import csv
import io
import json

import pytest

from aliwatch import analysis
from aliwatch.commands import export as export_cmd
from aliwatch.commands.common import parse_now
from aliwatch.host.handlers import export as exporter
from aliwatch.host.codec import MAX_OUTBOUND, dumps
from aliwatch.host.dispatch import handle
from aliwatch.store import Store
from helpers.snapshots import DETAIL_ID, detail_snapshot


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "aliwatch.db"
    monkeypatch.setenv("ALIWATCH_DB", str(path))
    return path


def remember(db, snapshot: dict) -> None:
    with Store(db) as store:
        store.record(snapshot, analysis.analyze_snapshot(snapshot))


def joined(replies: list[dict]) -> str:
    assert [r["part"] for r in replies] == list(range(1, len(replies) + 1))
    assert all(r["parts"] == len(replies) for r in replies)
    return "".join(r["content"] for r in replies)


def test_csv_json_and_calendar_hold_the_stored_order(db) -> None:
    remember(db, detail_snapshot(DETAIL_ID, "Dec 1, 2026"))

    replies = handle({"type": "export", "id": 1, "format": "csv"})
    assert {(r["type"], r["id"], r["format"]) for r in replies} == {("export", 1, "csv")}
    assert replies[0]["filename"].startswith("aliwatch-") and replies[0]["filename"].endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(joined(replies))))
    protection = [r for r in rows if r["kind"] == "protection_ends"]
    assert [(r["order_id"], r["at"][:10], r["basis"]) for r in protection] == [(DETAIL_ID, "2026-12-01", "stated")]
    assert protection[0]["store"] == "Sonicbay Audio Store"

    data = json.loads(joined(handle({"type": "export", "id": 2, "format": "json"})))
    (order,) = data["orders"]
    assert order["order_id"] == DETAIL_ID
    assert {d["kind"] for d in order["deadlines"]} >= {"protection_ends", "delivery_promised"}

    ics = joined(handle({"type": "export", "id": 3, "format": "ics", "ui_lang": "es"}))
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.rstrip().endswith("END:VCALENDAR")
    assert DETAIL_ID in ics.replace("\r\n ", "")  # unfolded


def test_bad_arguments_are_errors(db) -> None:
    for msg, field in (({"format": "xml"}, "format"), ({}, "format"), ({"format": "csv", "ui_lang": 3}, "ui_lang")):
        (r,) = handle({"type": "export", "id": 9, **msg})
        assert (r["type"], r["code"]) == ("error", "bad_argument") and r["message"].startswith(field), r


def test_an_unreadable_store_is_store_unavailable(tmp_path, monkeypatch) -> None:
    (tmp_path / "dir.db").mkdir()
    monkeypatch.setenv("ALIWATCH_DB", str(tmp_path / "dir.db"))
    (r,) = handle({"type": "export", "id": 4, "format": "json"})
    assert (r["type"], r["id"], r["code"]) == ("error", 4, "store_unavailable")


def test_parts_fit_the_cap_and_join_back_exactly() -> None:
    # Escapes (quotes, control characters, a lone surrogate) and multi-byte text make characters ≠ bytes.
    line = 'row "quoted"\t\x01 Привет 😀 \ud800 ' * 40 + "\r\n"
    text = line * 3000 + "x" * 5000  # ~1.6 MB of lines, plus a tail
    limit = 64 * 1024
    msgs = exporter.messages("e1", "csv", "a.csv", text, limit=limit)
    assert len(msgs) > 10
    assert all(len(dumps(m)) <= limit for m in msgs)
    assert joined(msgs) == text
    assert all(m["content"].endswith("\r\n") for m in msgs[:-2])  # cut between lines


def test_a_line_longer_than_a_part_is_cut_between_characters() -> None:
    text = "é" * 50_000 + "\n" + "short\n"
    msgs = exporter.messages(7, "json", "a.json", text, limit=8 * 1024)
    assert all(len(dumps(m)) <= 8 * 1024 for m in msgs)
    assert joined(msgs) == text
    assert exporter.messages(7, "csv", "a.csv", "", limit=MAX_OUTBOUND)[0]["content"] == ""


def test_an_export_beyond_the_part_limit_is_refused_with_the_terminal_command(db, monkeypatch) -> None:
    for i in range(3):
        remember(db, detail_snapshot(f"82130044177369{i:02d}", "Dec 1, 2026", req_id=i))
    monkeypatch.setattr(exporter, "MAX_OUTBOUND", 1500)  # a part holds ~1 KiB: the export needs several
    monkeypatch.setattr(exporter, "MAX_PARTS", 2)
    (r,) = handle({"type": "export", "id": 8, "format": "json"})
    assert (r["type"], r["code"]) == ("error", "reply_too_large")
    assert "aliwatch export --format json -o FILE" in r["message"]
    monkeypatch.setattr(exporter, "MAX_PARTS", 1000)
    text = joined(handle({"type": "export", "id": 8, "format": "json"}))
    assert len(json.loads(text)["orders"]) == 3
    with Store(db) as store:  # the same text the CLI writes (exported_at aside)
        cli = json.loads(export_cmd.render("json", store.orders(), parse_now(None)))
    assert cli["orders"] == json.loads(text)["orders"]


def test_export_does_not_wait_for_the_analysis_worker(db) -> None:
    """An export runs in a thread of its own: with the analysis worker busy (a long analysis), the host still
    answers it, and the next snapshot never queues behind an export."""
    import threading

    from aliwatch.host import codec, worker
    from aliwatch.host.main import Host

    remember(db, detail_snapshot(DETAIL_ID, "Dec 1, 2026"))
    release = threading.Event()
    busy = worker.executor().submit(release.wait, 30)
    out = io.BytesIO()
    host = Host(io.BytesIO(), out)
    try:
        host._on_frame(json.dumps({"type": "export", "id": 7, "format": "ics"}).encode())  # as the reader queues it
        host._answering[-1].result(timeout=20)  # raises TimeoutError if it waited for the worker
        assert not busy.done()  # answered while the worker was still busy
    finally:
        release.set()
        busy.result(timeout=30)
    frames = io.BytesIO(out.getvalue())
    replies = []
    while (body := codec.read_frame(frames)) is not None:
        replies.append(json.loads(body))
    assert replies[0]["type"] == "export" and DETAIL_ID in joined(replies)
