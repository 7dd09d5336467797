"""Taught words (issue #11): the store's phrase_overrides table, the analysis applying them (exact folded text,
unknown statuses only, never a deadline, the page's language only), the host's `phrase_override` request,
`aliwatch phrases`, and the anonymised report naming the words that apply."""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from aliwatch import analysis, deadlines, report, shape
from aliwatch.host import errors
from aliwatch.host.dispatch import handle
from aliwatch.host.handlers.report import messages as report_messages
from aliwatch.host.memory import Memory, StoreUnavailable
from aliwatch.model import Context, OrderFacts
from aliwatch.store import Store, schema
from helpers.fixtures import FIXTURES

NOW = datetime(2026, 11, 26, 9, tzinfo=timezone.utc)
CASE = "list_en_unknown_status"
URL = "https://www.aliexpress.com/p/order/index.html"
PAGE = (FIXTURES / CASE / "page.html").read_text("utf-8")
TRUTH = json.loads((FIXTURES / CASE / "truth.json").read_text("utf-8"))
UNREAD = next(o for o, t in TRUTH["orders"].items() if t["status"] == "unknown")
KNOWN = next(o for o, t in TRUTH["orders"].items() if t["status"] != "unknown")


def analyse(overrides: dict | None, page: str = PAGE, lang: str | None = None) -> dict:
    result = analysis.analyze_html(page, url=URL, now=NOW, tz="UTC", lang=lang, overrides=overrides)
    return {o["order_id"]: o for o in result["orders"]} | {"": result}


def codes(order: dict) -> list[str]:
    return [w["code"] for w in order["warnings"]]


# --- the store ------------------------------------------------------------------------------------------

def test_the_table_keeps_one_word_per_language_and_text(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        first = store.set_override("en", "zorbling", "Zorbling", "awaiting_delivery", NOW)
        assert first["id"] >= 1 and first["created_at"] == "2026-11-26T09:00:00+00:00"
        store.set_override("ru", "zorbling", "Zorbling", "completed", NOW)
        again = store.set_override("en", "zorbling", "ZORBLING", "delivered", NOW)  # taught again: replaced
        assert again["id"] == first["id"] and again["status"] == "delivered" and again["text"] == "ZORBLING"
        assert [(r["lang"], r["status"]) for r in store.overrides()] == [("en", "delivered"), ("ru", "completed")]
        assert store.override_map() == {("en", "zorbling"): "delivered", ("ru", "zorbling"): "completed"}
        assert store.remove_override(lang="en", key="zorbling") == 1
        assert store.remove_override(lang="en", key="zorbling") == 0
        ru = store.overrides()[0]
        assert store.remove_override(override_id=ru["id"]) == 1
        assert store.overrides() == [] and store.override_map() == {}


def test_a_store_made_before_taught_words_gains_the_table_and_keeps_its_orders(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    for statement in schema._statements(schema.MIGRATIONS[0][1]):  # the store as version 1 left it
        conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (1, 'then')")
    conn.execute("INSERT INTO orders VALUES ('8213055827194406', 'unknown', 'Zorbling', NULL, NULL, NULL, 'a', 'b')")
    conn.close()
    with Store(path) as store:
        assert schema.version(store.conn) == schema.LATEST >= 2
        assert store.counts()["orders"] == 1
        store.set_override("en", "zorbling", "Zorbling", "completed", NOW)
        assert store.override_map() == {("en", "zorbling"): "completed"}


# --- applying them --------------------------------------------------------------------------------------

def test_a_taught_word_reads_the_unknown_status_and_its_warnings_follow() -> None:
    before = analyse(None)
    assert before[UNREAD]["status"] == "unknown" and "unrecognized" in codes(before[UNREAD])
    after = analyse({("en", "zorbling"): "awaiting_delivery"})
    taught = after[UNREAD]
    assert taught["status"] == "awaiting_delivery" and taught["status_taught"] is True
    assert taught["status_text"] == "Zorbling"  # the page's own words are kept
    assert "unrecognized" not in codes(taught) and "dont_confirm_yet" in codes(taught)
    assert not [p for p in taught["problems"] if p["code"] == "unknown_status"]
    assert not [p for p in after[""]["problems"] if p["code"] == "unknown_status"]
    assert taught["deadlines"] == before[UNREAD]["deadlines"]
    assert after[KNOWN] == before[KNOWN]  # the readable card is untouched


@pytest.mark.parametrize("text", ["zorbl", "zorbling now", "zorblings", "Zorbling Zorbling"])
def test_only_the_exact_folded_text_matches(text: str) -> None:
    from aliwatch.overrides import key

    got = analyse({("en", key(text)): "completed"})
    assert got[UNREAD]["status"] == "unknown" and "status_taught" not in got[UNREAD]


@pytest.mark.parametrize("taught", [" ZORBLING.", "zorbling", "Ｚｏｒｂｌｉｎｇ!"])
def test_case_width_and_punctuation_around_it_are_the_same_word(taught: str) -> None:
    from aliwatch.overrides import key

    assert analyse({("en", key(taught)): "completed"})[UNREAD]["status"] == "completed"


def test_a_known_status_is_never_overridden() -> None:
    # The readable card says "Awaiting shipment": a taught word for those exact words changes nothing.
    before = analyse(None)
    got = analyse({("en", "awaiting shipment"): "refunded", ("en", "zorbling"): "completed"})
    assert got[KNOWN] == before[KNOWN] and got[KNOWN]["status"] == "awaiting_shipment"


def test_another_language_is_not_affected() -> None:
    got = analyse({("ru", "zorbling"): "completed", ("es", "zorbling"): "completed"})
    assert got[""]["lang"] == "en" and got[UNREAD]["status"] == "unknown"
    # The same page read as Spanish (a hint) takes the Spanish word, not an English one.
    spanish = analyse({("es", "zorbling"): "completed", ("en", "zorbling"): "refunded"}, lang="es")
    assert spanish[UNREAD]["status"] == "completed"


def test_a_taught_status_never_makes_or_moves_a_deadline() -> None:
    # Facts whose status were "completed" would get the 15-day dispute-window rule from the completion date;
    # taught as "completed", the order's deadlines stay what the page gave (none).
    def facts() -> OrderFacts:
        return OrderFacts(key=None, order_id="8213055827194406", status="unknown", status_text="Zorbling",
                          events={"completed": datetime(2026, 11, 10, tzinfo=timezone.utc)})

    known = facts()
    known.status = "completed"
    assert [d.kind for d in deadlines.resolve(known)] == ["dispute_window_ends"]  # what a real status would do
    page = SimpleNamespace(kind="order_list", orders=[facts()], problems=[])
    out = shape.to_json(page, Context(URL, NOW, "UTC", "en"), "en", overrides={("en", "zorbling"): "completed"})
    order = out["orders"][0]
    assert order["status"] == "completed" and order["status_taught"] is True
    assert order["deadlines"] == []


def test_the_snapshot_path_applies_them_too() -> None:
    card = re.search(r'<div class="order-item">.*?Zorbling.*?</button></div></div></div></div></div>', PAGE, re.S)
    snap = {"url": URL, "lang": "en", "tz": "UTC", "captured_at": NOW.isoformat(), "cards": [{"key": "aw1", "html": card.group()}]}
    assert analysis.analyze_snapshot(snap)["cards"][0]["status"] == "unknown"
    got = analysis.analyze_snapshot(snap, overrides={("en", "zorbling"): "in_dispute"})["cards"][0]
    assert got["status"] == "in_dispute" and got["draft_problem"] == "not_as_described"


# --- the host request -----------------------------------------------------------------------------------

@pytest.fixture
def host_memory(tmp_path: Path):
    """A Host's Memory whose store connection is a real file in tmp."""
    mem = Memory()
    mem._store = Store(tmp_path / "host.db")
    yield mem
    mem.drain_keeps(10)
    mem.close()


@pytest.fixture
def host_store(host_memory: Memory) -> Store:
    return host_memory.store()


def one(msg: dict, mem: Memory) -> dict:
    replies = handle(msg, mem)
    assert len(replies) == 1, replies
    return replies[0]


def test_set_list_and_remove_through_the_host(host_memory: Memory, host_store: Store) -> None:
    r = one({"type": "phrase_override", "id": 1, "action": "set", "lang": "en", "text": " Zorbling ",
             "status": "awaiting_delivery"}, host_memory)
    assert r["type"] == "phrase_override" and r["id"] == 1 and r["action"] == "set"
    assert {k: r["override"][k] for k in ("lang", "key", "text", "status")} == \
        {"lang": "en", "key": "zorbling", "text": "Zorbling", "status": "awaiting_delivery"}
    assert host_store.override_map() == {("en", "zorbling"): "awaiting_delivery"}
    listed = one({"type": "phrase_override", "id": 2, "action": "list"}, host_memory)
    assert listed["parts"] == 1 and [o["id"] for o in listed["overrides"]] == [r["override"]["id"]]
    # The next snapshot is read with it, and stored with the taught status.
    card = re.search(r'<div class="order-item">.*?Zorbling.*?</button></div></div></div></div></div>', PAGE, re.S)
    snap = {"type": "snapshot", "id": 3, "url": URL, "lang": "en", "tz": "UTC", "captured_at": NOW.isoformat(),
            "cards": [{"key": "aw1", "html": card.group()}]}
    analysed = handle(snap, host_memory)[0]
    assert analysed["cards"][0]["status"] == "awaiting_delivery" and analysed["stored"] is True
    assert {o["order_id"]: o["status"] for o in host_store.orders()} == {UNREAD: "awaiting_delivery"}
    gone = one({"type": "phrase_override", "id": 4, "action": "remove", "lang": "en", "text": "ZORBLING"},
               host_memory)
    assert gone == {"type": "phrase_override", "id": 4, "action": "remove", "removed": 1}
    missing = one({"type": "phrase_override", "id": 5, "action": "remove", "override_id": r["override"]["id"]},
                  host_memory)
    assert missing["type"] == "error" and missing["code"] == errors.NOT_FOUND and missing["id"] == 5
    assert one({"type": "hello", "id": 6}, host_memory)["capabilities"][-1] == "phrase_override"


@pytest.mark.parametrize("fields, field", [
    ({}, "action"),
    ({"action": "teach"}, "action"),
    ({"action": ["set"]}, "action"),
    ({"action": "set", "text": "Zorbling", "status": "completed"}, "lang"),
    ({"action": "set", "lang": "xx", "text": "Zorbling", "status": "completed"}, "lang"),
    ({"action": "set", "lang": "EN", "text": "Zorbling", "status": "completed"}, "lang"),
    ({"action": "set", "lang": 7, "text": "Zorbling", "status": "completed"}, "lang"),
    ({"action": "set", "lang": "en", "status": "completed"}, "text"),
    ({"action": "set", "lang": "en", "text": 12, "status": "completed"}, "text"),
    ({"action": "set", "lang": "en", "text": " ... ", "status": "completed"}, "text"),
    ({"action": "set", "lang": "en", "text": "z" * 201, "status": "completed"}, "text"),
    ({"action": "set", "lang": "en", "text": "Zorbling"}, "status"),
    ({"action": "set", "lang": "en", "text": "Zorbling", "status": "unknown"}, "status"),
    ({"action": "set", "lang": "en", "text": "Zorbling", "status": "Completed"}, "status"),
    ({"action": "set", "lang": "en", "text": "Zorbling", "status": ["completed"]}, "status"),
    ({"action": "remove", "override_id": "1"}, "override_id"),
    ({"action": "remove", "override_id": True}, "override_id"),
    ({"action": "remove", "override_id": 0}, "override_id"),
    ({"action": "remove", "override_id": 1.5}, "override_id"),
    ({"action": "remove", "lang": "en"}, "text"),
    ({"action": "remove", "text": "Zorbling"}, "lang"),
])
def test_a_bad_field_is_bad_argument_naming_it(host_memory: Memory, host_store: Store, fields: dict,
                                                field: str) -> None:
    r = one({"type": "phrase_override", "id": "x", **fields}, host_memory)
    assert r["type"] == "error" and r["id"] == "x" and r["code"] == errors.BAD_ARGUMENT, r
    assert r["field"] == field and r["message"].startswith(f"{field}: "), r
    assert host_store.overrides() == []  # nothing half-written


def test_no_store_is_store_unavailable(monkeypatch) -> None:
    def broken():  # type: ignore[no-untyped-def]
        raise StoreUnavailable("cannot open the deadline store: PermissionError")

    mem = Memory()
    monkeypatch.setattr(mem, "store", broken)
    r = one({"type": "phrase_override", "id": 9, "action": "list"}, mem)
    assert r["code"] == errors.STORE_UNAVAILABLE and "PermissionError" in r["message"]


# --- the report -----------------------------------------------------------------------------------------

def test_the_report_names_the_taught_words_that_apply_and_no_others() -> None:
    words = {("en", "zorbling"): "awaiting_delivery", ("en", "blorp"): "completed", ("ru", "zorbling"): "closed"}
    parts = report_messages(1, PAGE, URL, seed="s", overrides=words)
    copy = "".join(p["html"] for p in parts)
    first, second = copy.split("\n")[:2]
    assert first.startswith("<!-- saved from url=(")  # the stamp stays first: the copy is still the same page kind
    m = re.fullmatch(r"<!-- aliwatch-taught-words: (.*) -->", second)
    assert m, second
    assert json.loads(m.group(1)) == {"phrase_overrides": [{"lang": "en", "text": "Zorbling",
                                                             "status": "awaiting_delivery"}]}
    plain = "".join(p["html"] for p in report_messages(1, PAGE, URL, seed="s"))
    assert "aliwatch-taught-words" not in plain
    assert copy.replace(second + "\n", "", 1) == plain  # nothing else changes
    # The copy alone still analyses as the page it was.
    assert analysis.analyze_html(copy, now=NOW, tz="UTC")["page"] == "order_list"


def test_page_text_cannot_end_the_comment() -> None:
    block = report.with_taught_words("<html></html>", [{"lang": "en", "text": "a --> <b>x</b>", "status": "closed"}])
    comment = block.split("\n")[0]
    assert comment.count("-->") == 1 and comment.endswith("-->") and "<b>" not in comment
    body = re.fullmatch(r"<!-- aliwatch-taught-words: (.*) -->", comment).group(1)
    assert json.loads(body)["phrase_overrides"][0]["text"] == "a --> <b>x</b>"


# --- the command line -----------------------------------------------------------------------------------

def aliwatch(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
    env.update(ALIWATCH_DB=str(db), TZ="UTC")
    return subprocess.run([sys.executable, "-m", "aliwatch", *args], capture_output=True, text=True, timeout=120,
                          env=env)


def test_phrases_lists_adds_and_removes_and_analyze_uses_them(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    page = tmp_path / "page.html"
    page.write_text(PAGE, "utf-8")
    analyze = ("analyze", str(page), "--url", URL, "--now", NOW.isoformat(), "--tz", "UTC", "--json")
    r = aliwatch(db, *analyze)
    assert r.returncode == 0, r.stderr
    assert not db.exists()  # reading the taught words never creates a store
    assert {o["order_id"]: o["status"] for o in json.loads(r.stdout)["orders"]}[UNREAD] == "unknown"

    r = aliwatch(db, "phrases")
    assert r.returncode == 0 and "No taught words" in r.stdout
    r = aliwatch(db, "phrases", "--add", "en", "Zorbling", "awaiting_delivery")
    assert r.returncode == 0, r.stderr
    r = aliwatch(db, "phrases", "--json")
    rows = json.loads(r.stdout)
    assert [(x["lang"], x["text"], x["status"]) for x in rows] == [("en", "Zorbling", "awaiting_delivery")]
    listing = aliwatch(db, "phrases").stdout
    assert "Zorbling" in listing and "awaiting_delivery" in listing and listing.startswith(f"{rows[0]['id']} ")

    r = aliwatch(db, *analyze)
    assert {o["order_id"]: o["status"] for o in json.loads(r.stdout)["orders"]}[UNREAD] == "awaiting_delivery"
    r = aliwatch(db, "report", str(page), "-o", "-", "--url", URL)
    assert r.returncode == 0 and '"text": "Zorbling", "status": "awaiting_delivery"' in r.stdout.split("\n")[1]

    r = aliwatch(db, "phrases", "--remove", "en", "zorbling")
    assert r.returncode == 0, r.stderr
    assert aliwatch(db, "phrases", "--json").stdout.strip() == "[]"
    r = aliwatch(db, "phrases", "--remove", str(rows[0]["id"]))
    assert r.returncode == 1 and "no taught word" in r.stderr
    r = aliwatch(db, *analyze)
    assert {o["order_id"]: o["status"] for o in json.loads(r.stdout)["orders"]}[UNREAD] == "unknown"


@pytest.mark.parametrize("args, says", [
    (["--add", "xx", "Zorbling", "completed"], "lang:"),
    (["--add", "en", "Zorbling", "unknown"], "status:"),
    (["--add", "en", "!!", "completed"], "text:"),
    (["--remove", "abc"], "--remove:"),
    (["--remove", "en", "a", "b"], "--remove:"),
])
def test_phrases_refuses_bad_input_clearly(tmp_path: Path, args: list[str], says: str) -> None:
    r = aliwatch(tmp_path / "x.db", "phrases", *args)
    assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr, r.stderr
