"""Property-based robustness of the analysis: random and mutated pages never crash analyze_html or
analyze_snapshot, the output always keeps the contract's shape and words, and what is not understood is
said in `problems`, never guessed.

Profiles (tests/conftest.py): "ci", the default, runs a fixed fast subset; a long exploration is
    HYPOTHESIS_PROFILE=long python3 -m pytest -q tests/test_properties.py
"""
from __future__ import annotations

import copy
import json
import re
import unicodedata
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from aliwatch import vocab
from aliwatch.analysis import SnapshotError, analyze_html, analyze_snapshot
from helpers.fixtures import load_case
from helpers.pages import (CASES, URLS, hostile_texts, html_fragments, mutate, parsed, scramble_numbers, serialise,
                           words)

# docs/contract.md §2-5 and the problem codes of docs/PROTOCOL.md / docs/CONTRACT-ADDITIONS.md.
PAGES = {"order_list", "order_detail", "dispute", "unknown"}
STATUSES = {*vocab.STATUSES, "unknown"}
DEADLINE_KINDS = set(vocab.DEADLINE_KINDS)
BASES = {"stated", "countdown", "rule"}
WARNINGS = {"dont_confirm_yet", "protection_ending", "dispute_window_closing", "seller_deadline",
            "seller_deadline_missed", "dont_close_dispute", "return_ship_by", "refund_overdue", "payment_due",
            "seller_late_shipping", "late_delivery_compensation", "unrecognized"}
SEVERITIES = {"info", "warning", "urgent", "expired"}
PROBLEMS = set(vocab.ANALYSIS_PROBLEMS)

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
ZONES = [None, "UTC", "Europe/Moscow", "America/Sao_Paulo", "Asia/Seoul", "Pacific/Kiritimati", "Pacific/Niue"]


# --- the contract every analysis keeps ------------------------------------------------------------------

def aware(value: str) -> bool:
    return datetime.fromisoformat(value).utcoffset() is not None


def check_contract(result: dict, orders_key: str = "orders") -> None:
    json.dumps(result, allow_nan=False)  # what the CLI and the host send: plain JSON, no NaN
    assert result["schema"] == 1
    assert result["page"] in PAGES
    assert aware(result["now"])
    page_problems = {p["code"] for p in result["problems"]}
    assert page_problems <= PROBLEMS
    assert all(isinstance(p["text"], str) for p in result["problems"])
    for order in result[orders_key]:
        assert order["status"] in STATUSES
        assert isinstance(order["status_text"], str)
        assert order["order_id"] is None or (isinstance(order["order_id"], str) and order["order_id"].isascii()
                                             and order["order_id"].isdigit() and len(order["order_id"]) <= 32)
        for money in (order["total"], order["requested_amount"]):
            assert money is None or (isinstance(money["amount"], (int, float)) and 0 <= money["amount"] <= 1e12)
        for d in order["deadlines"]:
            assert d["kind"] in DEADLINE_KINDS and d["basis"] in BASES and aware(d["at"])
            assert isinstance(d["text"], str)
        codes = set()
        for w in order["warnings"]:
            assert w["code"] in WARNINGS and w["severity"] in SEVERITIES
            assert w["due"] is None or aware(w["due"])
            assert isinstance(w["title"], str) and w["title"] and isinstance(w["detail"], str)
            codes.add(w["code"])
        problems = {p["code"] for p in order["problems"]}
        assert problems <= PROBLEMS and problems <= page_problems  # named at page level too
        if order["status"] == "unknown":  # not understood: said, never guessed
            assert "unrecognized" in codes
            assert problems & {"unknown_status", "no_card"}
        if order["order_id"] is None:
            assert problems & {"no_order_id", "no_card"}
    if result["page"] == "unknown":
        assert result[orders_key] == [] and "not_aliexpress" in page_problems


def analyse(page: str | bytes, url: str | None, tz: str | None = None, lang: str | None = None) -> dict:
    result = analyze_html(page, url=url, now=NOW, tz=tz, lang=lang)
    check_contract(result)
    return result


# --- the properties -------------------------------------------------------------------------------------

@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1")), html_fragments()),
       st.sampled_from(URLS), st.sampled_from(ZONES))
def test_random_text_and_markup(page: str, url: str | None, tz: str | None) -> None:
    analyse(page, url, tz)


@given(st.binary(max_size=2000), st.sampled_from(URLS))
def test_random_bytes_that_are_not_utf8(page: bytes, url: str | None) -> None:
    analyse(page, url)


@given(st.data())
def test_mutated_fixture_pages(data) -> None:
    case = data.draw(st.sampled_from(CASES))
    root, truth = parsed(case)
    root = copy.deepcopy(root)
    page = serialise(root, mutate(data.draw, root))
    if data.draw(st.booleans()):
        page = scramble_numbers(data.draw, page)
    url = data.draw(st.sampled_from([truth["url"], truth["url"], None, *URLS]))
    analyse(page, url, truth["tz"], data.draw(st.sampled_from([truth["lang"], None, "xx", "ko"])))


@given(st.data())
def test_fixture_pages_with_random_numbers_in_dates_and_countdowns(data) -> None:
    case = data.draw(st.sampled_from(CASES))
    page, truth = load_case(case)
    page = scramble_numbers(data.draw, page)
    analyse(page, truth["url"], truth["tz"], truth["lang"])


@given(st.data())
def test_fixture_pages_truncated_or_salted_with_bad_bytes(data) -> None:
    page, truth = load_case(data.draw(st.sampled_from(CASES)))
    raw = page.encode("utf-8")
    cut = data.draw(st.integers(0, len(raw)))
    if data.draw(st.booleans()):
        raw = raw[:cut]  # often inside a tag or a multi-byte character
    else:
        raw = raw[:cut] + data.draw(st.binary(min_size=1, max_size=16)) + raw[cut:]
    analyse(raw, truth["url"], truth["tz"], truth["lang"])


@given(st.integers(0, 2500), st.sampled_from(["div", "b", "span", "li", "table", "a href=x", "font", "dd"]),
       st.booleans())
def test_markup_nested_deeper_than_the_recursion_limit(depth: int, tag: str, closed: bool) -> None:
    """Unclosed <b>s or <div>s nest a card thousands deep; it is still read, not a RecursionError."""
    card = ('<div class="order-item"><div class="order-item-header"><span class="order-item-header-status-text">'
            "Awaiting delivery</span></div>" + f"<{tag}>" * depth
            + "Order ID: 8213004417736925 Refund if no delivery before Dec 1, 2026"
            + (f"</{tag.split()[0]}>" * depth if closed else "") + "</div>")
    result = analyse(f"<html><body>{card}</body></html>", URLS[0], "UTC", "en")
    assert [(o["order_id"], o["status"], [d["kind"] for d in o["deadlines"]]) for o in result["orders"]] == \
        [("8213004417736925", "awaiting_delivery", ["protection_ends"])]
    snap = analyze_snapshot({"url": URLS[0], "cards": [{"key": "aw0", "html": card}], "tz": "UTC"})
    check_contract(snap, "cards")
    assert [c["key"] for c in snap["cards"]] == ["aw0"]


@given(st.data())
def test_status_not_understood_is_a_problem_not_a_guess(data) -> None:
    """A fixture card whose status text is replaced by anything outside the phrase tables reads `unknown`,
    with `unknown_status` and `unrecognized`, and the other cards keep their status."""
    page, truth = load_case("list_en_unknown_status")
    word = data.draw(st.text(alphabet=st.characters(whitelist_categories=["Lu", "Ll"]), min_size=3, max_size=12))
    shown = unicodedata.normalize("NFKC", word)  # the page text as the parser reads it
    assume(all(shown.casefold() not in w and w not in shown.casefold() for w in words()))
    page = page.replace(">Zorbling<", f">{word}<")
    result = analyse(page, truth["url"], truth["tz"], truth["lang"])
    unknown = [o for o in result["orders"] if o["status"] == "unknown"]
    assert len(unknown) == 1 and unknown[0]["status_text"] == shown
    assert "unknown_status" in {p["code"] for p in unknown[0]["problems"]}
    known = {o["order_id"]: o["status"] for o in result["orders"] if o["status"] != "unknown"}
    assert known == {k: v["status"] for k, v in truth["orders"].items() if v["status"] != "unknown"}


@st.composite
def snapshots(draw) -> dict:
    cards = []
    for k in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            root, _ = parsed(draw(st.sampled_from(["list_en_mixed", "list_ru_mixed", "list_legacy_en", "list_ko"])))
            pick = [el for el in root.iter() if el.get("class") in ("order-item", "order-item-wraper")]
            el = copy.deepcopy(pick[draw(st.integers(0, len(pick) - 1))])
            markup = serialise(el, mutate(draw, el))
        else:
            markup = draw(html_fragments())
        cards.append({"key": f"aw{k}", "html": markup})
    captured = draw(st.one_of(st.none(), st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(8999, 12, 31),
                                                      timezones=st.just(timezone(timedelta(hours=draw(
                                                          st.integers(-12, 14)))))).map(datetime.isoformat)))
    return {"url": draw(st.sampled_from([u for u in URLS if u])), "cards": cards, "captured_at": captured,
            "lang": draw(st.sampled_from([None, "en", "ru", "ko", "pt-BR", "xx", ""])),
            "tz": draw(st.sampled_from(ZONES)), "ui_lang": draw(st.sampled_from([None, "en", "ru", "es", "pt", "fr"]))}


@given(snapshots())
def test_random_snapshots(snapshot: dict) -> None:
    result = analyze_snapshot(snapshot)
    check_contract(result, "cards")
    assert set(c.get("key") for c in result["cards"]) <= {c["key"] for c in snapshot["cards"]}
    if result["page"] != "unknown":  # every card the extension sent gets an answer
        assert {c["key"] for c in snapshot["cards"]} <= {c["key"] for c in result["cards"]}


@given(snapshots(), st.one_of(st.integers(-2**53, 2**53), st.text(max_size=20)),
       st.lists(hostile_texts, min_size=1, max_size=3))
def test_hostile_snapshots_through_the_host_edge(snapshot: dict, req_id: object, hostile: list[str]) -> None:
    """Issue 13: what the browser may send (lone surrogates as JSON escapes, huge and foreign numbers, long
    runs) is answered with strict JSON carrying the request's id, never `internal`."""
    from aliwatch.host import codec, dispatch

    cards = snapshot["cards"] + [{"key": f"h{i}", "html": f'<div class="order-item">{text}</div>'}
                                 for i, text in enumerate(hostile)]
    body = json.dumps({"type": "snapshot", "id": req_id, **snapshot, "cards": cards}).encode()
    replies = dispatch.handle(codec.decode(body))
    assert replies
    for reply in replies:
        assert reply["id"] == req_id and reply.get("code") != "internal", reply
        json.loads(codec.dumps(reply), parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    if replies[0]["type"] == "analysis":
        check_contract({**replies[0], "orders": replies[0]["cards"]})


@given(st.fixed_dictionaries({}, optional={
    "url": st.one_of(st.text(max_size=30), st.integers(), st.none()),
    "cards": st.one_of(st.lists(st.fixed_dictionaries({}, optional={
        "key": st.one_of(st.text(max_size=70), st.integers()), "html": st.one_of(st.text(max_size=50), st.none())}),
        max_size=3), st.text(max_size=5), st.none()),
    "tz": st.one_of(st.text(max_size=20), st.integers()),
    "captured_at": st.one_of(st.text(max_size=30), st.floats()),
    "lang": st.one_of(st.text(max_size=8), st.lists(st.text(max_size=2), max_size=2)),
    "ui_lang": st.text(max_size=5)}))
def test_malformed_snapshots_fail_with_a_stable_code(snapshot: dict) -> None:
    try:
        result = analyze_snapshot(snapshot)
    except SnapshotError as e:
        assert (e.field is None or isinstance(e.field, str)) and isinstance(e.message, str)
        return
    check_contract(result, "cards")


# --- what the fuzzing found (kept as plain tests, so they never come back) -------------------------------

def test_found_a_link_urlsplit_refuses() -> None:
    # list_en_mixed with one "[" inserted into a card's detail link: urlsplit raised "Invalid IPv6 URL".
    page, truth = load_case("list_en_mixed")
    page = page.replace('href="//www.aliexpress.com/p/order/detail.html',
                        'href="//www.aliexpress.com[/p/order/detail.html', 1)
    result = analyse(page, truth["url"], truth["tz"], truth["lang"])
    assert len(result["orders"]) == len(truth["orders"])


def test_found_a_damaged_saved_from_stamp() -> None:
    page, truth = load_case("list_en_mixed")
    page = page.replace("saved from url=(0045)https://www.", "saved from url=(0045)https://[www.")
    assert analyse(page, None, truth["tz"], truth["lang"])["page"] == "order_list"  # read from the markup


def test_found_a_card_left_open_swallowing_the_next() -> None:
    # The first card's unclosed <div> put the second card's wrapper inside the first: it got no answer.
    snap = analyze_snapshot({"url": URLS[0], "cards": [{"key": "aw0", "html": "<div>"}, {"key": "aw1", "html": ""}]})
    assert [c["key"] for c in snap["cards"]] == ["aw0", "aw1"]
    check_contract(snap, "cards")
    # A card left inside <script>, a comment or an open quote swallowed the wrappers after it.
    for opened in ("<script>", "<!--", "<textarea>", '<div class="x', "<plaintext>"):
        cards = [{"key": "aw0", "html": opened}, {"key": "aw1", "html": ""}, {"key": "aw2", "html": "<p>x</p>"}]
        snap = analyze_snapshot({"url": URLS[0], "cards": cards})
        assert [c["key"] for c in snap["cards"]] == ["aw0", "aw1", "aw2"], opened
        check_contract(snap, "cards")
    # …and markup carrying the wrapper's attribute itself does not make up a card.
    snap = analyze_snapshot({"url": URLS[0], "cards": [{"key": "aw0", "html": '<div data-aliwatch-key=""></div>'}]})
    assert [c["key"] for c in snap["cards"]] == ["aw0"]


def test_found_numbers_past_what_datetime_holds() -> None:
    # list_legacy_en with lefttime="99999999999999999999": timedelta raised OverflowError; a year-9999
    # capture time plus a countdown overflowed too. Such numbers are damage: unread, never a crash.
    page, truth = load_case("list_legacy_en")
    page = re.sub(r'lefttime="\d+"', 'lefttime="99999999999999999999"', page, count=1)
    page = page.replace("Dec", "Dec 31, 9999 Dec", 1)
    analyse(page, truth["url"], truth["tz"], truth["lang"])
    html = ('<div class="issue-wrap"><div class="issue-status-title">Awaiting seller response</div>'
            "<p>The seller has 99999999999999999999 days to respond</p></div>")
    result = analyse(html, URLS[4], "UTC", "en")
    assert not any(d["basis"] == "countdown" for o in result["orders"] for d in o["deadlines"])
    try:
        analyze_snapshot({"url": URLS[0], "cards": [{"key": "aw0", "html": "<p></p>"}],
                          "captured_at": "9999-12-31T23:59:59+00:00"})
    except SnapshotError as e:
        assert e.field == "captured_at"
    else:
        raise AssertionError("a capture time in year 9999 is not a moment to count from")
