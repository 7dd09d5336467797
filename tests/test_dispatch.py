"""The dispatcher as a pure function: envelope checks, routing, error codes, and the splitting of an
analysis into frames that fit the browser's 1 MiB limit."""
from __future__ import annotations

import logging
import types
from datetime import datetime, timedelta, timezone

import pytest

import aliwatch
from aliwatch.host import dispatch as dispatch_mod
from aliwatch.host import parts, replies
from aliwatch.host.codec import MAX_INBOUND, MAX_OUTBOUND, FrameTooLarge, dumps, encode
from aliwatch.host.dispatch import decode_body, frame_error, handle
from helpers.snapshots import fixture_snapshot



def only(replies_: list[dict]) -> dict:
    assert len(replies_) == 1, replies_
    return replies_[0]


# --- envelope and simple requests ---------------------------------------------------------------------

def test_hello_reports_version_protocol_and_limits() -> None:
    r = only(handle({"type": "hello", "id": 1}))
    caps = r.pop("capabilities")
    assert r == {"type": "hello", "id": 1, "version": aliwatch.__version__, "protocol": 1,
                 "max_inbound": MAX_INBOUND, "max_outbound": MAX_OUTBOUND}
    # Every request type the host answers is announced, so the extension can hide what the host lacks.
    assert {"ping", "snapshot", "draft", "calc", "deadlines"} <= set(caps)
    for cap in caps:
        assert all(r.get("code") != "unknown_type" for r in handle({"type": cap, "id": 9})), cap


def test_ping_answers_pong_with_current_time_and_same_id() -> None:
    r = only(handle({"type": "ping", "id": "abc"}))
    assert r["type"] == "pong" and r["id"] == "abc"
    t = datetime.fromisoformat(r["time"])
    assert t.tzinfo is not None
    assert abs(datetime.now(timezone.utc) - t) < timedelta(seconds=5)


def test_a_frame_body_decodes_to_the_message_it_carries() -> None:
    msg, bad = decode_body(b'{"type":"ping","id":10}')
    assert (msg, bad) == ({"type": "ping", "id": 10}, [])
    assert handle(msg)[0]["id"] == 10


@pytest.mark.parametrize("msg, where", [({"type": "ping", "id": 1}, "inline"), ({"type": "hello", "id": 1}, "inline"),
                                        ({"type": "snapshot", "id": 1}, "worker"), ({"type": "due", "id": 1}, "worker"),
                                        ({"type": "export", "id": 1}, "own"), ({"type": [], "id": 1}, "inline"),
                                        ("ping", "inline")])
def test_each_request_has_its_lane(msg: object, where: str) -> None:
    from aliwatch.host.dispatch import lane

    assert lane(msg) == where


@pytest.mark.parametrize("msg", [[1, 2], "ping", 3, None, True])
def test_non_object_is_bad_message(msg: object) -> None:
    r = only(handle(msg))
    assert (r["type"], r["id"], r["code"]) == ("error", None, "bad_message")


@pytest.mark.parametrize("msg", [{"id": 4}, {"id": 4, "type": 5}, {"id": 4, "type": None}])
def test_missing_or_non_string_type_is_bad_message_with_id(msg: dict) -> None:
    r = only(handle(msg))
    assert (r["id"], r["code"]) == (4, "bad_message")


def test_unknown_type_repeats_the_id() -> None:
    r = only(handle({"type": "launch_rockets", "id": 5}))
    assert (r["type"], r["id"], r["code"]) == ("error", 5, "unknown_type")
    assert "launch_rockets" in r["message"]


@pytest.mark.parametrize("bad_id", [True, {"a": 1}, [1], "x" * 257])
def test_unusable_id_is_bad_message(bad_id: object) -> None:
    r = only(handle({"type": "ping", "id": bad_id}))
    assert (r["id"], r["code"]) == (None, "bad_message")


def test_request_without_id_is_bad_message() -> None:
    r = only(handle({"type": "ping"}))
    assert (r["id"], r["code"]) == (None, "bad_message")


def test_undecodable_frames_are_bad_json() -> None:
    for body in (b"{oops", b"\xc3\x28", b""):
        msg, bad = decode_body(body)
        r = only(bad)
        assert msg is None
        assert (r["type"], r["id"], r["code"]) == ("error", None, "bad_json")


def test_oversize_frame_error() -> None:
    r = frame_error(FrameTooLarge(MAX_INBOUND + 1))
    assert (r["type"], r["id"], r["code"]) == ("error", None, "message_too_large")


def test_a_bug_becomes_internal_logged_and_the_next_request_works(monkeypatch, caplog) -> None:
    def broken(req_id, msg, memory):
        raise KeyError("boom")

    monkeypatch.setitem(dispatch_mod._HANDLERS, "hello", broken)
    with caplog.at_level(logging.ERROR, logger="aliwatch.host"):
        r = only(handle({"type": "hello", "id": 11}))
    assert (r["id"], r["code"]) == (11, "internal")
    assert any(rec.exc_info and "boom" in str(rec.exc_info[1]) for rec in caplog.records)  # traceback logged
    assert only(handle({"type": "ping", "id": 12}))["type"] == "pong"


# --- splitting analyses -------------------------------------------------------------------------------

def fake_card(key: str, pad: int) -> dict:
    return {"key": key, "order_id": "8" + key[2:].zfill(15), "status": "awaiting_delivery",
            "status_text": "Awaiting delivery", "deadlines": [], "warnings": [], "problems": [],
            "notes": "é" * pad}


def fake_result(cards: list[dict]) -> dict:
    return {"page": "order_list", "now": "2026-11-26T09:00:00+00:00", "cards": cards,
            "problems": [{"code": "unknown_language", "text": "no phrase table"}]}


def test_small_analysis_is_one_part_with_everything() -> None:
    result = fake_result([fake_card("aw1", 10), fake_card("aw2", 10)])
    messages, oversize = parts.split_analysis(3, result)
    assert oversize == []
    assert messages == [{"type": "analysis", "id": 3, "part": 1, "parts": 1, **result}]


def test_big_analysis_is_split_into_parts_under_the_cap() -> None:
    cards = [fake_card(f"aw{i}", 20_000) for i in range(150)]  # ~6 MB of JSON (é is 2 bytes)
    messages, oversize = parts.split_analysis(7, fake_result(cards))
    assert oversize == []
    assert len(messages) > 4
    n = len(messages)
    for i, m in enumerate(messages, start=1):
        assert (m["type"], m["id"], m["part"], m["parts"]) == ("analysis", 7, i, n)
        assert m["page"] == "order_list" and m["now"] == "2026-11-26T09:00:00+00:00"
        assert len(dumps(m)) <= MAX_OUTBOUND
        encode(m)  # the real encoder accepts it
        assert m["problems"] == ([{"code": "unknown_language", "text": "no phrase table"}] if i == 1 else [])
    got = [c for m in messages for c in m["cards"]]
    assert got == cards  # every card, once, in order
    # Greedy packing: no part could have taken the next part's first card.
    for a, b in zip(messages, messages[1:], strict=False):
        assert len(dumps({**a, "cards": a["cards"] + [b["cards"][0]]})) > MAX_OUTBOUND


@pytest.mark.parametrize("extra, per_part", [(0, 2), (1, 1)])
def test_parts_are_filled_to_the_byte(extra: int, per_part: int) -> None:
    # Two cards fill a part exactly; one byte more and only one fits. Keys and ids have equal widths.
    def card(i: int, pad: int) -> dict:
        return {**fake_card(f"aw{i}", 0), "notes": "x" * pad}

    def result(cards: list[dict]) -> dict:
        return {"page": "order_list", "now": "2026-11-26T09:00:00+00:00", "cards": cards, "problems": []}

    base = len(dumps({"type": "analysis", "id": 1, "part": 1, "parts": 1, **result([])}))
    pad = (MAX_OUTBOUND - base - 1) // 2 - len(dumps(card(0, 0)))
    assert MAX_OUTBOUND - 1 <= base + 2 * len(dumps(card(0, pad))) + 1 <= MAX_OUTBOUND  # at the cap
    pad += extra
    cards = [card(i, pad) for i in range(4)]
    messages, oversize = parts.split_analysis(1, result(cards))
    assert oversize == []
    assert [len(m["cards"]) for m in messages] == [per_part] * (4 // per_part)
    assert all(len(dumps(m)) <= MAX_OUTBOUND for m in messages)
    assert [c["key"] for m in messages for c in m["cards"]] == ["aw0", "aw1", "aw2", "aw3"]


def test_card_too_big_alone_is_replaced_not_dropped() -> None:
    cards = [fake_card("aw0", 10), fake_card("aw1", MAX_OUTBOUND), fake_card("aw2", 10)]
    messages, oversize = parts.split_analysis(4, fake_result(cards))
    assert oversize == ["aw1"]
    got = {c["key"]: c for m in messages for c in m["cards"]}
    assert list(got) == ["aw0", "aw1", "aw2"]
    stand_in = got["aw1"]
    assert stand_in["status"] == "unknown" and stand_in["order_id"] == cards[1]["order_id"]
    assert [w["code"] for w in stand_in["warnings"]] == ["unrecognized"]
    assert [p["code"] for p in stand_in["problems"]] == ["card_too_large"]
    assert all(len(dumps(m)) <= MAX_OUTBOUND for m in messages)


@pytest.fixture
def fake_analysis(monkeypatch):
    """Stand-in for aliwatch.analysis so the snapshot route can be tested for its own behaviour."""
    mod = types.ModuleType("aliwatch.analysis")

    class SnapshotError(Exception):
        def __init__(self, field, message: str) -> None:
            super().__init__(message)
            self.field, self.message = field, message

    mod.SnapshotError = SnapshotError
    mod.calls = []
    monkeypatch.setitem(__import__("sys").modules, "aliwatch.analysis", mod)
    monkeypatch.setattr(aliwatch, "analysis", mod, raising=False)
    return mod


def test_snapshot_route_passes_the_snapshot_and_reports_oversize_after_parts(fake_analysis) -> None:
    def analyze_snapshot(snapshot, now=None, overrides=None):
        fake_analysis.calls.append(snapshot)
        return fake_result([fake_card("aw0", 10), fake_card("aw1", MAX_OUTBOUND)])

    fake_analysis.analyze_snapshot = analyze_snapshot
    msg = {"type": "snapshot", "id": "s1", "url": "https://www.aliexpress.com/p/order/index.html",
           "cards": [{"key": "aw0", "html": "<div></div>"}]}
    out = handle(msg)
    assert fake_analysis.calls == [{"url": msg["url"], "cards": msg["cards"]}]  # no envelope fields
    assert [m["type"] for m in out] == ["analysis", "error"]
    assert (out[-1]["id"], out[-1]["code"]) == ("s1", "reply_too_large")
    assert "aw1" in out[-1]["message"]


@pytest.mark.parametrize("field, expected", [("cards[2].key", "bad_snapshot"), ("url", "bad_snapshot"),
                                             ("tz", "bad_argument"), ("captured_at", "bad_argument"),
                                             ("lang", "bad_argument"), ("ui_lang", "bad_argument")])
def test_the_handler_maps_the_field_at_fault_to_a_code(fake_analysis, field: str, expected: str) -> None:
    """The analysis names the field it cannot use; the snapshot handler alone knows protocol codes."""
    def analyze_snapshot(snapshot, now=None, overrides=None):
        raise fake_analysis.SnapshotError(field, f"{field} is missing")

    fake_analysis.analyze_snapshot = analyze_snapshot
    r = only(handle({"type": "snapshot", "id": 8, "url": "u", "cards": []}))
    assert r == {"type": "error", "id": 8, "code": expected, "message": f"{field} is missing", "field": field}


def test_a_snapshot_that_is_not_usable_as_a_whole_names_no_field(fake_analysis) -> None:
    def analyze_snapshot(snapshot, now=None, overrides=None):
        raise fake_analysis.SnapshotError(None, "the snapshot must be an object")

    fake_analysis.analyze_snapshot = analyze_snapshot
    r = only(handle({"type": "snapshot", "id": 8, "url": "u", "cards": []}))
    assert r == {"type": "error", "id": 8, "code": "bad_snapshot", "message": "the snapshot must be an object"}


# --- with the real analysis ---------------------------------------------------------------------------

@pytest.mark.parametrize("msg", [
    {"type": "snapshot", "id": 1, "url": "https://www.aliexpress.com/p/order/index.html"},
    {"type": "snapshot", "id": 1, "cards": [{"key": "aw1", "html": "<div></div>"}]},
    {"type": "snapshot", "id": 1, "url": "https://www.aliexpress.com/p/order/index.html", "cards": []},
    {"type": "snapshot", "id": 1, "url": "https://www.aliexpress.com/p/order/index.html",
     "cards": [{"key": "bad key!", "html": "<div></div>"}]},
    {"type": "snapshot", "id": 1, "url": "https://www.aliexpress.com/p/order/index.html",
     "cards": [{"key": "aw1", "html": 5}]},
    {"type": "snapshot", "id": 1, "url": "https://www.aliexpress.com/p/order/index.html",
     "cards": [{"key": "aw1", "html": "<div></div>"}, {"key": "aw1", "html": "<div></div>"}]},
])
def test_invalid_snapshot_is_bad_snapshot(msg: dict) -> None:
    r = only(handle(msg))
    assert (r["type"], r["id"], r["code"]) == ("error", 1, "bad_snapshot"), r


def test_unknown_zone_is_bad_argument() -> None:
    snapshot, _ = fixture_snapshot("list_en_mixed", req_id=3)
    r = only(handle({**snapshot, "tz": "Mars/Olympus_Mons"}))
    assert (r["id"], r["code"]) == (3, "bad_argument")


def test_real_snapshot_gives_one_entry_per_card() -> None:
    snapshot, truth = fixture_snapshot("list_en_mixed", req_id=3)
    out = handle(snapshot)
    r = only(out)
    assert (r["type"], r["id"], r["part"], r["parts"]) == ("analysis", 3, 1, 1)
    assert r["page"] == "order_list"
    keys = [c["key"] for c in r["cards"]]
    assert sorted(keys) == sorted(c["key"] for c in snapshot["cards"])
    assert {c["order_id"]: c["status"] for c in r["cards"]} == {k: v["status"] for k, v in truth["orders"].items()}
    assert len(dumps(r)) <= MAX_OUTBOUND


@pytest.mark.parametrize("msg, field", [
    ({"type": "draft", "id": 1}, "order"),
    ({"type": "draft", "id": 1, "order": {"status": "in_dispute"}, "problem": 3}, "problem"),
    ({"type": "calc", "id": 1, "percent": 30}, "price"),
    ({"type": "calc", "id": 1, "price": 10, "percent": "x"}, "percent"),
    ({"type": "report", "id": 1}, "html"),
    ({"type": "report", "id": 1, "html": "<p></p>", "url": 4}, "url"),
    ({"type": "export", "id": 1, "format": "xml"}, "format"),
    ({"type": "export", "id": 1, "format": "csv", "ui_lang": 3}, "ui_lang"),
    ({"type": "dashboard", "id": 1, "start": "yes"}, "start"),
    ({"type": "snapshot", "id": 1, "url": "https://www.aliexpress.com/p/order/index.html",
      "cards": [{"key": "aw1", "html": 5}]}, "cards[0].html"),
])
def test_a_bad_field_is_named_in_the_error(msg: dict, field: str) -> None:
    r = only(handle(msg))
    assert (r["type"], r["id"], r["field"]) == ("error", 1, field), r
    assert r["code"] in ("bad_argument", "bad_snapshot")
