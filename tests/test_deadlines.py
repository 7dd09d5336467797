"""The rule-derived deadlines of contract §4, each named in its text, and "a date stated on the page always
wins over a rule" (deadlines.resolve, pure)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from aliwatch.deadlines import resolve
from aliwatch.model import Deadline, OrderFacts, Window

UTC = timezone.utc


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def by_kind(facts: OrderFacts) -> dict[str, Deadline]:
    found = resolve(facts)
    kinds = [d.kind for d in found]
    assert len(kinds) == len(set(kinds)), f"one deadline per kind: {kinds}"
    return {d.kind: d for d in found}


# --- each rule ------------------------------------------------------------------------------------------

def test_dispute_window_ends_15_days_after_completion() -> None:
    facts = OrderFacts(order_id="1", status="completed", events={"completed": at(2026, 11, 3, 14, 30)})
    d = by_kind(facts)["dispute_window_ends"]
    assert d.at == at(2026, 11, 18, 14, 30)
    assert d.basis == "rule"
    assert "15 days after completion" in d.text and "Nov 3, 2026" in d.text


def test_dispute_window_rule_needs_a_completed_order() -> None:
    facts = OrderFacts(order_id="1", status="awaiting_delivery", events={"completed": at(2026, 11, 3)})
    assert "dispute_window_ends" not in by_kind(facts)


def test_seller_response_due_5_days_after_the_dispute_opened() -> None:
    facts = OrderFacts(order_id="1", status="in_dispute", stage="seller_to_respond",
                       events={"dispute_opened": at(2026, 11, 27, 8)})
    d = by_kind(facts)["seller_response_due"]
    assert (d.at, d.basis) == (at(2026, 12, 2, 8), "rule")
    assert "5 days" in d.text and "dispute opened" in d.text


def test_no_seller_deadline_once_the_seller_has_answered() -> None:
    facts = OrderFacts(order_id="1", status="in_dispute", stage="buyer_to_return",
                       events={"dispute_opened": at(2026, 11, 27)})
    assert "seller_response_due" not in by_kind(facts)


def test_return_ship_by_10_days_after_the_return_was_accepted() -> None:
    facts = OrderFacts(order_id="1", status="in_dispute", stage="buyer_to_return",
                       events={"return_accepted": at(2026, 12, 28, 23, 59)})
    d = by_kind(facts)["return_ship_by"]
    assert (d.at, d.basis) == (at(2027, 1, 7, 23, 59), "rule")  # across the year end
    assert "10 days" in d.text and "accepted" in d.text


@pytest.mark.parametrize(("granted", "expected", "why"), [
    (at(2026, 11, 19, 10), at(2026, 12, 17, 10), "Thursday: four weeks of weekdays, ends on a Thursday"),
    (at(2026, 11, 20, 10), at(2026, 12, 18, 10), "Friday: the first working day counted is Monday"),
    (at(2026, 11, 21, 10), at(2026, 12, 18, 10), "Saturday: the weekend adds nothing"),
    (at(2026, 11, 22, 10), at(2026, 12, 18, 10), "Sunday: the same Friday as Saturday"),
    (at(2026, 12, 24, 9), at(2027, 1, 21, 9), "across the year end (no holidays are counted)"),
])
def test_refund_expected_by_20_working_days_after_granting(granted, expected, why) -> None:
    facts = OrderFacts(order_id="1", status="refunded", events={"refund_granted": granted})
    d = by_kind(facts)["refund_expected_by"]
    assert d.at == expected, why
    assert d.at.weekday() < 5, "a working-day deadline never lands on a weekend"
    assert d.at - granted > timedelta(days=20), "20 working days are more than 20 calendar days"
    assert d.basis == "rule" and "20 working days" in d.text


def test_refund_rule_also_applies_to_a_granted_refund_still_shown_as_a_dispute() -> None:
    facts = OrderFacts(order_id="1", status="in_dispute", stage="refund_granted",
                       events={"refund_granted": at(2026, 11, 19)})
    assert by_kind(facts)["refund_expected_by"].at == at(2026, 12, 17)


def test_no_rule_without_its_event() -> None:
    facts = OrderFacts(order_id="1", status="in_dispute", stage="seller_to_respond")
    assert by_kind(facts) == {}


# --- a stated date wins ---------------------------------------------------------------------------------

def test_stated_deadline_wins_over_the_rule_even_when_later() -> None:
    stated = Deadline("dispute_window_ends", at(2026, 12, 2), "stated", "open a dispute within 90 days")
    facts = OrderFacts(order_id="1", status="completed", events={"completed": at(2026, 11, 3)}, deadlines=[stated])
    assert by_kind(facts)["dispute_window_ends"] == stated  # the rule would say Nov 18


def test_stated_window_wins_over_the_rule() -> None:
    facts = OrderFacts(order_id="1", status="completed",
                       events={"completed": at(2026, 11, 3), "order_placed": at(2026, 9, 3)},
                       windows=[Window("dispute_window_ends", 90, "order_placed", "within 90 days after order")])
    d = by_kind(facts)["dispute_window_ends"]
    assert (d.at, d.basis, d.text) == (at(2026, 12, 2), "stated", "within 90 days after order")


def test_countdown_wins_over_the_rule() -> None:
    countdown = Deadline("seller_response_due", at(2026, 11, 30, 8, 10), "countdown", "3 days 23:10:02")
    facts = OrderFacts(order_id="1", status="in_dispute", stage="seller_to_respond",
                       events={"dispute_opened": at(2026, 11, 20)}, deadlines=[countdown])
    assert by_kind(facts)["seller_response_due"] == countdown


def test_stated_wins_over_countdown_and_earliest_stated_wins_among_equals() -> None:
    facts = OrderFacts(order_id="1", status="awaiting_delivery", deadlines=[
        Deadline("protection_ends", at(2026, 12, 1), "countdown", "4 days left"),
        Deadline("protection_ends", at(2026, 12, 5), "stated", "Refund if no delivery before Dec 5, 2026"),
        Deadline("protection_ends", at(2026, 12, 3), "stated", "Refund if no delivery before Dec 3, 2026"),
    ])
    d = by_kind(facts)["protection_ends"]
    assert (d.at, d.basis) == (at(2026, 12, 3), "stated")


def test_rule_fills_only_the_kinds_the_page_does_not_state() -> None:
    stated = Deadline("return_ship_by", at(2027, 1, 5), "stated", "Ship it by Jan 5, 2027")
    facts = OrderFacts(order_id="1", status="in_dispute", stage="buyer_to_return",
                       events={"return_accepted": at(2026, 12, 20), "refund_granted": at(2026, 12, 21)},
                       deadlines=[stated])
    found = by_kind(facts)
    assert found["return_ship_by"] == stated
    assert "refund_expected_by" not in found  # its rule applies to a refunded order or a granted stage only
    assert [d.at for d in resolve(facts)] == sorted(d.at for d in resolve(facts))
