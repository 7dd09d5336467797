"""Hostile input (issue 13): no card can stall the helper, no value can break a reply.

Most tests talk to a real `python -m aliwatch host` over its pipes, with its store in a temp dir."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from aliwatch.host.codec import decode, encode
from helpers.host import HostProcess

LIST_URL = "https://www.aliexpress.com/p/order/index.html"


def card(order_id: str = "8213004417736925", title: str = "USB cable") -> str:
    return ('<div class="order-item"><div class="order-item-header">'
            '<span class="order-item-header-status-text">Awaiting delivery</span>'
            f'<div class="order-item-header-right-info">Order ID: {order_id}</div></div>'
            f'<div class="order-item-content"><a class="order-item-content-info-name">{title}</a>'
            "<p>Refund if no delivery before Dec 1, 2026</p></div></div>")


def snapshot(req_id: object, *cards: str, **extra: object) -> dict:
    return {"type": "snapshot", "id": req_id, "url": LIST_URL, "tz": "UTC",
            "cards": [{"key": f"c{i}", "html": html} for i, html in enumerate(cards)], **extra}


@pytest.fixture
def host(tmp_path: Path):
    h = HostProcess(tmp_path / "store" / "aliwatch.db")
    yield h
    h.close()


def send_big(host: HostProcess, msg: dict) -> None:
    """A request over the host's 1 MiB outbound cap (the browser may send up to 64 MiB)."""
    host.proc.stdin.write(encode(msg, max_length=64 * 1024 * 1024))
    host.proc.stdin.flush()


def all_parts(host: HostProcess, req_id: object, timeout: float = 60) -> list[dict]:
    first, _ = host.reply(req_id, timeout)
    parts = [first]
    while first.get("type") == "analysis" and len(parts) < first["parts"]:
        parts.append(host.reply(req_id, timeout)[0])
    return parts


# --- finding 1: super-linear regexes ---------------------------------------------------------------------

def test_a_hostile_card_stalls_neither_the_next_card_nor_pings(host: HostProcess) -> None:
    """400 x in a title took 50 s to scrub and 100,000 letters 42 s, in the only worker, holding the GIL."""
    host.send({"type": "hello", "id": 0})
    host.reply(0)
    host.send(snapshot(1, card(title="x" * 400), card("8213004417736926", "a" * 100_000),
                       card("8213004417736927", "\u2022" * 5000 + " 1234")))
    assert host.reply(1)[0]["type"] == "analysis"
    start = time.monotonic()
    host.send({"type": "ping", "id": 2})
    assert host.reply(2, timeout=5)[0]["type"] == "pong"
    assert time.monotonic() - start <= 0.5
    start = time.monotonic()
    host.send(snapshot(3, card("8213004417736928")))
    reply = host.reply(3, timeout=30)[0]
    assert reply["type"] == "analysis" and reply["cards"][0]["order_id"] == "8213004417736928"
    assert time.monotonic() - start < 3.0  # 14.5 s in the audit


def test_keeping_markup_does_not_delay_the_next_snapshot(tmp_path: Path, monkeypatch) -> None:
    """Scrubbing and storing a card's markup runs in a store worker of its own, not before the next analysis."""
    monkeypatch.setenv("ALIWATCH_DB", str(tmp_path / "aliwatch.db"))
    from aliwatch.host import dispatch
    from aliwatch.host.memory import Memory
    from aliwatch.store import scrub

    memory = Memory()  # a Host's own: its store opens at ALIWATCH_DB
    real = scrub.scrub

    def slow_scrub(markup: str) -> str:
        time.sleep(1.5)  # a slow disk or a big card
        return real(markup)

    monkeypatch.setattr(scrub, "scrub", slow_scrub)

    def two() -> float:
        dispatch.handle(snapshot(1, card()), memory)
        start = time.monotonic()
        replies = dispatch.handle(snapshot(2, card("8213004417736926")), memory)
        assert replies[0]["type"] == "analysis" and replies[0]["stored"] is True
        return time.monotonic() - start

    took = two()
    memory.drain_keeps(30)
    assert took < 1.0, f"the second snapshot waited {took:.2f} s for the first one's markup"
    assert memory.store().counts()["snapshots"] == 2
    memory.close()


def test_a_card_over_the_size_bound_is_answered_unread(host: HostProcess) -> None:
    from aliwatch.analysis import MAX_CARD_CHARS

    host.send(snapshot(1, card(), "<p>" + "y" * MAX_CARD_CHARS + "</p>", card("8213004417736926")))
    (reply,) = all_parts(host, 1)
    cards = {c["key"]: c for c in reply["cards"]}
    assert cards["c0"]["order_id"] == "8213004417736925" and cards["c2"]["order_id"] == "8213004417736926"
    assert "card_too_large" in {p["code"] for p in cards["c1"]["problems"]}
    assert cards["c1"]["status"] == "unknown"


# --- finding 2: lone UTF-16 surrogates -------------------------------------------------------------------

def raw_frame(body: str) -> bytes:
    data = body.encode("ascii")
    return len(data).to_bytes(4, "little") + data


def test_a_lone_surrogate_in_one_card_does_not_cost_the_page(host: HostProcess) -> None:
    """A broken emoji ("\\ud83d" alone, as Chrome passes it) made the whole snapshot `bad_argument`."""
    cards = [{"key": "c0", "html": card(title="Phone case \ud83d broken")},
             {"key": "c1", "html": card("8213004417736926", "\udc00\ud800 cable")},
             {"key": "c2", "html": card("8213004417736927")}]
    msg = {"type": "snapshot", "id": "s\ud800", "url": LIST_URL, "tz": "UTC", "cards": cards}
    host.proc.stdin.write(raw_frame(json.dumps(msg)))  # ensure_ascii: the surrogates travel as \\u escapes
    host.proc.stdin.flush()
    reply, _ = host.reply("s\ud800")  # the id is echoed exactly as sent
    assert reply["type"] == "analysis", reply
    assert [c["order_id"] for c in reply["cards"]] == ["8213004417736925", "8213004417736926", "8213004417736927"]
    assert all(c["status"] == "awaiting_delivery" for c in reply["cards"])
    json.dumps(reply, allow_nan=False).encode("utf-8")  # nothing unencodable came back


# --- finding 3: huge numbers ------------------------------------------------------------------------------

def with_total(order_id: str, total: str) -> str:
    return card(order_id).replace("</div></div>", f'<div class="order-item-content-opt-price-total">Total: {total}'
                                                  "</div></div></div>")


def strict(frame_body: dict) -> None:
    """What a browser's JSON.parse accepts: no NaN, no Infinity."""
    json.loads(json.dumps(frame_body), parse_constant=lambda name: pytest.fail(f"{name} in a reply"))


def test_huge_totals_are_problems_not_a_lost_page(host: HostProcess) -> None:
    """A total >= 1e26 with a draft was `internal` for the whole snapshot (0 of 200 cards); 400 digits became
    Infinity, which is not JSON."""
    cards = [with_total(f"82130044177{i:05d}", "US $" + ("1" + "0" * 26 if i % 2 else "9" * 400))
             for i in range(200)]
    host.send(snapshot(1, *cards))
    parts = all_parts(host, 1)
    answered = [c for p in parts for c in p["cards"]]
    for p in parts:
        assert p["type"] == "analysis", p
        strict(p)
    assert len(answered) == 200
    assert all(c["order_id"] and c["status"] == "awaiting_delivery" and c["total"] is None for c in answered)
    assert all("amount_out_of_range" in {p["code"] for p in c["problems"]} for c in answered)
    host.send(snapshot(2, with_total("8213004417736925", "US $12.34")))
    (reply,) = all_parts(host, 2)
    assert reply["cards"][0]["total"]["amount"] == 12.34 and reply["cards"][0]["problems"] == []


def test_huge_numbers_typed_into_calc_and_draft_are_bad_arguments(host: HostProcess) -> None:
    asks = [{"type": "calc", "id": 1, "price": 1e30, "percent": 50, "postage": 1},
            {"type": "calc", "id": 2, "price": 10, "percent": 50, "postage": 1e300},
            {"type": "calc", "id": 3, "price": 10, "percent": 50, "weight": 1e20, "currency": "RUB"},
            {"type": "draft", "id": 4, "problem": "not_received", "order": {
                "order_id": "8213004417736925", "status": "awaiting_delivery",
                "total": {"amount": 1e26, "currency": "USD"}}}]
    for ask in asks:
        host.send(ask)
        reply, _ = host.reply(ask["id"])
        assert (reply["type"], reply["code"]) == ("error", "bad_argument"), reply
    host.send({"type": "calc", "id": 5, "price": 999_999_999_999, "percent": 50, "postage": 1})
    reply, _ = host.reply(5)
    assert reply["type"] == "calc" and reply["price"] == 999_999_999_999
    strict(reply)


def test_the_encoder_refuses_what_is_not_json() -> None:
    from aliwatch.host import codec

    for bad in (float("inf"), float("-inf"), float("nan")):
        with pytest.raises(ValueError):
            codec.encode({"type": "x", "value": bad})


def test_a_hosts_markup_is_kept_only_once_its_reply_is_out(tmp_path: Path, monkeypatch) -> None:
    """A Host holds a snapshot's markup until its reply is written (the scrub would compete with the reply
    for the one GIL), then keeps it: nothing is lost, and no snapshot of another request is held back."""
    monkeypatch.setenv("ALIWATCH_DB", str(tmp_path / "aliwatch.db"))
    from aliwatch.host import dispatch
    from aliwatch.host.memory import Memory

    memory = Memory(hold_keeps=True)
    replies = dispatch.handle(snapshot(1, card()), memory)
    assert replies[0]["stored"] is True  # the deadlines are on disk before the reply
    memory.drain_keeps(30)
    assert memory.store().counts()["snapshots"] == 0  # the markup waits for the reply
    memory.release_keeps()
    memory.drain_keeps(30)
    assert memory.store().counts()["snapshots"] == 1
    memory.release_keeps()  # nothing held: nothing happens twice
    memory.drain_keeps(30)
    assert memory.store().counts()["snapshots"] == 1
    memory.close()


def test_a_reply_holding_infinity_goes_out_as_an_internal_error_with_its_id() -> None:
    """Should a bug ever put Infinity in a reply, the browser gets valid JSON with the id, not a dropped frame."""
    import io

    from aliwatch.host.main import Host

    out = io.BytesIO()

    Host(io.BytesIO(), out).send({"type": "calc", "id": 9, "net": float("inf")})
    body = out.getvalue()[4:]
    reply = decode(body)
    assert (reply["id"], reply["code"]) == (9, "internal")


# --- finding 5: protocol errors carry the request's id ----------------------------------------------------

def test_bad_input_is_answered_with_its_id_and_never_internal(host: HostProcess) -> None:
    asks = [({"type": [], "id": 1}, "bad_message"), ({"type": {}, "id": 2}, "bad_message"),
            ({"type": None, "id": 3}, "bad_message"), ({"type": 7, "id": "s"}, "bad_message"),
            ({"type": "nope", "id": 5}, "unknown_type"), ({"type": "calc", "id": 6, "price": []}, "bad_argument"),
            ({"type": "report", "id": 7, "html": []}, "bad_argument"),
            ({"type": "snapshot", "id": 8, "url": LIST_URL, "cards": [], "tz": []}, "bad_argument")]
    for ask, code in asks:
        host.send(ask)
        reply, _ = host.reply(ask["id"], timeout=20)
        assert (reply["type"], reply["code"]) == ("error", code), (ask, reply)
    # A draft whose reply would be over the 1 MiB cap: a 2 MB one-word item title.
    send_big(host, {"type": "draft", "id": 9, "problem": "not_received", "order": {
        "order_id": "8213004417736925", "status": "awaiting_delivery", "items": [{"title": "a" * 2_000_000}]}})
    reply, _ = host.reply(9, timeout=20)
    assert reply["type"] == "draft" and len(json.dumps(reply)) < 100_000


def test_an_oversized_reply_is_reply_too_large_with_its_id() -> None:
    import io

    from aliwatch.host.main import Host

    out = io.BytesIO()
    Host(io.BytesIO(), out).send({"type": "draft", "id": "d1", "text": "a" * 2_000_000})
    reply = decode(out.getvalue()[4:])
    assert (reply["type"], reply["id"], reply["code"]) == ("error", "d1", "reply_too_large")


# --- finding 6: order ids are ASCII digits ---------------------------------------------------------------

ARABIC_INDIC = "٨٢١٣٠٠٤٤١٧٧٣٦٩٢٥"
FULL_WIDTH = "８２１３００４４１７７３６９２６"


def test_non_ascii_digits_never_reach_a_reply_the_store_or_a_url(tmp_path: Path) -> None:
    db = tmp_path / "store" / "aliwatch.db"
    host = HostProcess(db)
    try:
        host.send(snapshot(1, card(ARABIC_INDIC), card(FULL_WIDTH), card("8213004417736927")))
        (reply,) = all_parts(host, 1)
        arabic, full, plain = reply["cards"]
        assert arabic["order_id"] is None and "url" not in arabic
        assert {"no_order_id", "no_card"} & {p["code"] for p in arabic["problems"]}  # no order a reader can name
        assert full["order_id"] == "8213004417736926"  # NFKC: the same digits, in ASCII
        assert full["url"].endswith("orderId=8213004417736926")
        assert plain["order_id"] == "8213004417736927"
        host.send({"type": "draft", "id": 2, "problem": "not_received",
                   "order": {"order_id": ARABIC_INDIC, "status": "awaiting_delivery"}})
        reply, _ = host.reply(2)
        assert (reply["type"], reply["code"]) == ("error", "bad_argument")
        host.send({"type": "deadlines", "id": 3, "include_past": True})
        reply, _ = host.reply(3)
        assert {d["order_id"] for d in reply["deadlines"]} == {"8213004417736926", "8213004417736927"}
    finally:
        host.close()
    from aliwatch.store import Store

    with Store(db) as store:
        stored = [o["order_id"] for o in store.orders()]
        snaps = [s.order_id for s in store.snapshots()]
    assert sorted(stored) == ["8213004417736926", "8213004417736927"]
    assert all(o is None or (o.isascii() and o.isdigit()) for o in snaps)


def test_forget_refuses_non_ascii_digits() -> None:
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "aliwatch", "forget", ARABIC_INDIC], capture_output=True, text=True)
    assert r.returncode == 2 and "not an order id" in r.stderr


# --- finding 9: privacy --------------------------------------------------------------------------------

def test_forget_tells_the_extension_which_orders_to_keep(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "store" / "aliwatch.db"
    host = HostProcess(db, interval=0.2)
    try:
        host.send(snapshot(1, card("8213004417736925"), card("8213004417736926")))
        all_parts(host, 1)
        pushes = host.pushes_within(5, until=None)
        told = [m for m in pushes if m["type"] == "forgotten"]
        assert told and told[-1]["keep"] == ["8213004417736925", "8213004417736926"]
        env = {**__import__("os").environ, "ALIWATCH_DB": str(db)}
        r = subprocess.run([sys.executable, "-m", "aliwatch", "forget", "8213004417736926"], env=env,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        pushes = host.pushes_within(5)
        told = [m for m in pushes if m["type"] == "forgotten"]
        assert told == [{"type": "forgotten", "keep": ["8213004417736925"]}]
        assert host.pushes_within(1) == []  # said once, not at every check
    finally:
        host.close()


def test_the_store_keeps_no_return_address_user_name_or_time_zone(tmp_path: Path) -> None:
    from helpers.snapshots import fixture_snapshot

    from aliwatch.store import Store

    db = tmp_path / "store" / "aliwatch.db"
    snap, _ = fixture_snapshot("dispute_en_return_accepted", req_id=1)
    snap["tz"] = "Europe/Madrid"
    snap["cards"][0]["html"] = '<span class="pc-header--welcome--3RcnJy8">Hi, b***r</span>' + snap["cards"][0]["html"]
    host = HostProcess(db)
    try:
        host.send(snap)
        (reply,) = all_parts(host, 1)
        assert reply["cards"][0]["order_id"] and reply["stored"] is True
    finally:
        host.close()  # the store worker finishes the markup before the host exits
    with Store(db) as store:
        kept = store.snapshots()
    assert kept
    for s in kept:
        assert s.tz is None
        for secret in ("Li Wei", "Longhua", "518000", "13000000000", "b***r", "Return address"):
            assert secret not in s.html, secret
