"""The shared vocabulary (helper/aliwatch/vocab.json) is the contract's (docs/contract.md), and every part
reads it from there: the parser's page kinds by URL, the draft and evidence data, the reminder rules."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from aliwatch import draft, vocab
from aliwatch.parse import detect
from aliwatch import reminders

CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "contract.md"


def contract_table(heading: str) -> list[str]:
    """The first column's `words` of the table under `## N. heading` in docs/contract.md."""
    text = CONTRACT.read_text("utf-8")
    section = re.search(rf"^## \d+\. {re.escape(heading)}\n(.*?)(?=^## )", text, re.S | re.M)
    assert section, heading
    return re.findall(r"^\| `(\w+)` \|", section.group(1), re.M)


def test_statuses_and_deadline_kinds_are_the_contracts() -> None:
    assert list(vocab.STATUSES) + ["unknown"] == contract_table("Order statuses")
    assert list(vocab.DEADLINE_KINDS) == contract_table("Deadline kinds")


def test_problem_kinds_have_drafts_and_evidence() -> None:
    assert draft.PROBLEMS == vocab.PROBLEMS
    assert set(draft.problems_table()["kinds"]) == set(vocab.PROBLEMS)
    assert set(draft.evidence_table()["kinds"]) == set(vocab.PROBLEMS)


def test_reminder_thresholds_are_read_from_the_vocabulary() -> None:
    assert [(n, lead.total_seconds()) for n, lead in reminders.THRESHOLDS] == list(vocab.THRESHOLDS)
    assert [n for n, _ in vocab.THRESHOLDS] == ["7d", "3d", "1d", "due"]  # earliest first: threshold() relies on it
    assert reminders.STALE_DUE == timedelta(seconds=vocab.STALE_DUE_SECONDS)


# The extension reads the same rules (tests/js/content.test.mjs checks its side with these addresses).
@pytest.mark.parametrize("url, kind", [
    ("https://www.aliexpress.com/p/order/index.html", "order_list"),
    ("https://trade.aliexpress.com/orderList.htm", "order_list"),
    ("https://www.aliexpress.com/p/order/detail.html?orderId=1", "order_detail"),
    ("https://trade.aliexpress.com/order_detail.htm?orderId=1", "order_detail"),
    ("https://www.aliexpress.com/p/reverse-pages/detail.html", "dispute"),
    ("https://trade.aliexpress.com/issue/fastissue/Detail.htm?x=1", "dispute"),
    ("https://m.aliexpress.com/p/refund-amount/detail.html", "dispute"),
    ("https://aliexpress.ru/order-list?filterName=active", "order_list"),
    ("https://aliexpress.ru/order-list/5386247109351128?filterName=archive", "order_detail"),
    ("https://m.aliexpress.com/p/order/index.html", "order_list"),
    ("https://m.aliexpress.com/p/order/detail.html?orderId=1", "order_detail"),
    # The list of returns and disputes: a dispute page (each card the extension sends is read as one) whose
    # rule says "cards": "list", so the extension sends one card per order.
    ("https://m.aliexpress.com/p/refund-dispute/list.html", "dispute"),
    ("https://www.aliexpress.com/p/refund-dispute/index.html", "dispute"),
    ("https://m.aliexpress.com/p/refund-dispute/detail.html?reverseOrderId=1", "dispute"),
    ("https://aliexpress.ru/item/1005006.html", None),
])
def test_page_kind_by_address(url: str, kind: str | None) -> None:
    assert detect.kind_from_url(url) == kind
