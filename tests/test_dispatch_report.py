"""The `report` message: the extension sends a page's outerHTML, the host answers with the anonymised copy,
split into parts when it would pass the 1 MiB a host may send."""
from __future__ import annotations

import re
from datetime import datetime

import pytest

from aliwatch.analysis import analyze_html
from aliwatch.host.codec import MAX_OUTBOUND, dumps, encode
from aliwatch.host.dispatch import handle
from aliwatch.host.handlers.report import messages as report_messages
from aliwatch.report import anonymise
from helpers.fixtures import load_case
from helpers.host import run_host

DETAIL_URL = "https://www.aliexpress.com/p/order/detail.html?orderId=8213004417736925"


def joined(parts: list[dict], req_id) -> str:
    assert [p["type"] for p in parts] == ["report"] * len(parts)
    assert [p["id"] for p in parts] == [req_id] * len(parts)
    assert [(p["part"], p["parts"]) for p in parts] == [(k, len(parts)) for k in range(1, len(parts) + 1)]
    for p in parts:
        encode(p)  # raises if a frame would pass the browser's 1 MiB
    return "".join(p["html"] for p in parts)


def test_hello_offers_report() -> None:
    assert "report" in handle({"type": "hello", "id": 1})[0]["capabilities"]


def test_a_page_comes_back_anonymised_with_its_url() -> None:
    page, truth = load_case("detail_en_awaiting_delivery")
    parts = handle({"type": "report", "id": "r1", "url": DETAIL_URL, "html": page})
    html = joined(parts, "r1")
    assert len(parts) == 1
    for personal in ("Marina Teste", "+55 41 900000000", "Rua das Flores", "8213004417736925"):
        assert personal not in html and personal not in parts[0]["url"]
    fake = re.fullmatch(r"https://www\.aliexpress\.com/p/order/detail\.html\?orderId=(\d{16})", parts[0]["url"])
    assert fake and fake.group(1) in html  # the url and the page share their fakes
    now = datetime.fromisoformat(truth["now"])
    before = analyze_html(page, url=DETAIL_URL, now=now, tz=truth["tz"])
    after = analyze_html(html, url=parts[0]["url"], now=now, tz=truth["tz"])
    assert [(o["status"], [d["at"] for d in o["deadlines"]]) for o in after["orders"]] == \
           [(o["status"], [d["at"] for d in o["deadlines"]]) for o in before["orders"]]


def test_a_snapshot_without_a_stamp_gets_one_so_the_copy_analyses_alone() -> None:
    page, truth = load_case("list_en_mixed")
    outer = page[page.index("<html"):]  # what document.documentElement.outerHTML gives: no "saved from"
    parts = handle({"type": "report", "id": 2, "url": truth["url"], "html": outer})
    html = joined(parts, 2)
    assert html.startswith(f"<!-- saved from url=({len(truth['url']):04d}){truth['url']} -->")
    result = analyze_html(html, now=datetime.fromisoformat(truth["now"]), tz=truth["tz"])
    assert result["page"] == "order_list" and len(result["orders"]) == len(truth["orders"])


def test_a_page_over_1_mib_is_split_into_parts_that_join_to_the_copy() -> None:
    page, truth = load_case("list_en_big")
    big = page.replace("</body>", page[page.index("<body"):page.index("</body>")] * 4 + "</body>")  # ~1.2 MB
    parts = handle({"type": "report", "id": 3, "url": truth["url"], "html": big})
    assert len(parts) >= 2
    assert all(len(dumps(p)) <= MAX_OUTBOUND for p in parts)
    html = joined(parts, 3)
    assert "Hi, A***" not in html and not set(re.findall(r"orderId=(\d+)", big)) & set(re.findall(r"\d{16}", html))
    result = analyze_html(html, url=parts[0]["url"], now=datetime.fromisoformat(truth["now"]), tz=truth["tz"])
    assert len(result["orders"]) == 5 * len(truth["orders"])


@pytest.mark.parametrize("filler", ["é", '"', "\n", "\u2028", "\U0001F600", "a"])
def test_parts_fit_the_limit_whatever_the_escapes(filler: str) -> None:
    page = f"<html><body><p>{filler * 5000}</p><p>Order ID: 8213004417736925</p></body></html>"
    limit = 4096
    parts = report_messages(7, page, "https://www.aliexpress.com/p/order/index.html", limit=limit, seed="s")
    assert len(parts) > 1
    assert all(len(dumps(p)) <= limit for p in parts)
    assert joined(parts, 7) == anonymise(page, "s", url="https://www.aliexpress.com/p/order/index.html")


def test_an_empty_page_is_one_empty_part() -> None:
    assert report_messages(8, "") == [{"type": "report", "id": 8, "part": 1, "parts": 1, "html": ""}]


@pytest.mark.parametrize("msg, field", [
    ({"type": "report", "id": 4}, "html"),
    ({"type": "report", "id": 4, "html": 5}, "html"),
    ({"type": "report", "id": 4, "html": "<p></p>", "url": ["x"]}, "url"),
])
def test_bad_fields_are_bad_argument(msg: dict, field: str) -> None:
    [r] = handle(msg)
    assert (r["type"], r["id"], r["code"]) == ("error", 4, "bad_argument") and field in r["message"]


def test_a_url_too_large_for_any_part_is_reply_too_large() -> None:
    [r] = handle({"type": "report", "id": 5, "html": "<p></p>",
                  "url": "https://www.aliexpress.com/p/order/index.html?q=" + "x" * MAX_OUTBOUND})
    assert (r["type"], r["id"], r["code"]) == ("error", 5, "reply_too_large")


def test_the_real_host_answers_a_report_over_its_pipes() -> None:
    page, truth = load_case("detail_legacy_en")
    stdin = encode({"type": "report", "id": 9, "url": truth["url"], "html": page}) + \
        encode({"type": "ping", "id": 10})
    code, frames, err = run_host(stdin)
    assert code == 0, err
    reports = [f for f in frames if f["type"] == "report"]
    html = joined(reports, 9)
    assert "Sam Example" not in html and "LP00137720945518" not in html and "Contact Name:" in html
    assert any(f["type"] == "pong" for f in frames)
