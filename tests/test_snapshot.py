"""The extension's snapshot as the helper reads it: one answer per card key, whatever the cards carry."""
from datetime import datetime

import pytest
from bs4 import BeautifulSoup

from aliwatch.analysis import SnapshotError, analyze_snapshot
from aliwatch.host.dispatch import handle
from helpers.fixtures import load_case

NOW = datetime.fromisoformat("2026-11-26T09:00:00+00:00")


def _cards(name: str, keep_key_attr: bool) -> list[dict]:
    html, _ = load_case(name)
    cards = BeautifulSoup(html, "lxml").find_all("div", class_="order-item")
    out = []
    for i, card in enumerate(cards):
        if keep_key_attr:  # the live card carries the key; a clone may keep it
            card["data-aliwatch-key"] = f"aw{i}"
        out.append({"key": f"aw{i}", "html": str(card)})
    return out


@pytest.mark.parametrize("keep_key_attr", [False, True])
def test_one_entry_per_card_key(keep_key_attr):
    _, truth = load_case("list_en_mixed")
    snap = {"url": truth["url"], "lang": "en", "tz": "UTC", "cards": _cards("list_en_mixed", keep_key_attr)}
    result = analyze_snapshot(snap, now=NOW)
    assert [c["key"] for c in result["cards"]] == [f"aw{i}" for i in range(8)]
    assert {c["order_id"]: c["status"] for c in result["cards"]} == {
        oid: o["status"] for oid, o in truth["orders"].items()}


def test_card_without_an_order_is_answered_as_unrecognized():
    snap = {"url": "https://www.aliexpress.com/p/order/index.html", "cards": [
        {"key": "ok", "html": _cards("list_en_mixed", False)[0]["html"]},
        {"key": "junk", "html": "<p>nothing to see</p>"}]}
    cards = {c["key"]: c for c in analyze_snapshot(snap, now=NOW)["cards"]}
    assert cards["ok"]["status"] == "awaiting_payment"
    assert cards["junk"]["status"] == "unknown"
    assert [w["code"] for w in cards["junk"]["warnings"]] == ["unrecognized"]
    assert cards["junk"]["problems"]


def test_legacy_tbody_cards_parse_inside_their_table():
    html, truth = load_case("list_legacy_en")
    rows = BeautifulSoup(html, "lxml").select("tbody.order-item-wraper")
    snap = {"url": truth["url"], "captured_at": truth["now"], "tz": truth["tz"],
            "cards": [{"key": f"r{i}", "html": str(r)} for i, r in enumerate(rows)]}
    cards = analyze_snapshot(snap)["cards"]
    assert {c["order_id"]: c["status"] for c in cards} == {k: v["status"] for k, v in truth["orders"].items()}


@pytest.mark.parametrize("snap,field,code", [
    ({"cards": [{"key": "a", "html": ""}]}, "url", "bad_snapshot"),
    ({"url": "https://www.aliexpress.com/p/order/index.html", "cards": []}, "cards", "bad_snapshot"),
    ({"url": "https://www.aliexpress.com/p/order/index.html", "cards": [{"key": "a b", "html": ""}]},
     "cards[0].key", "bad_snapshot"),
    ({"url": "https://www.aliexpress.com/p/order/index.html",
      "cards": [{"key": "a", "html": ""}, {"key": "a", "html": ""}]}, "cards[1].key", "bad_snapshot"),
    ({"url": "https://www.aliexpress.com/p/order/index.html", "tz": "Mars/Olympus",
      "cards": [{"key": "a", "html": ""}]}, "tz", "bad_argument"),
    ({"url": "https://www.aliexpress.com/p/order/index.html", "captured_at": "yesterday",
      "cards": [{"key": "a", "html": ""}]}, "captured_at", "bad_argument"),
])
def test_bad_snapshots_name_the_field_and_get_stable_codes(snap, field, code):
    with pytest.raises(SnapshotError) as err:
        analyze_snapshot(snap, now=NOW)
    assert err.value.field == field
    (reply,) = handle({"type": "snapshot", "id": 1, **snap, "captured_at": snap.get("captured_at", NOW.isoformat())})
    assert (reply["type"], reply["code"], reply["field"]) == ("error", code, field)
