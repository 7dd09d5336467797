"""Issue 9: warnings follow the facts, not just the dates. Each warning rule, once where it fires and once
with a fact beside it that says it must not (a parcel delivered before the promise is not late; a seller who
has answered owes no reply)."""
from datetime import datetime, timedelta, timezone

import pytest

from aliwatch import advice, deadlines
from aliwatch.model import Deadline, OrderFacts

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def codes(facts: OrderFacts) -> set[str]:
    return {w["code"] for w in advice.warnings(facts, deadlines.resolve(facts), NOW)}


def facts(status: str, *dls: tuple[str, timedelta], stage=None, events=None) -> OrderFacts:
    f = OrderFacts(order_id="8213000000000001", status=status, stage=stage)
    f.deadlines = [Deadline(kind, NOW + off, "stated", kind) for kind, off in dls]
    f.events = {k: NOW + v for k, v in (events or {}).items()}
    return f


# (warning code, facts where it fires, facts where a contradicting fact stops it)
CASES = [
    ("unrecognized", facts("unknown"), facts("completed")),
    ("dont_confirm_yet", facts("awaiting_delivery"), facts("completed", events={"delivered": -3 * DAY})),
    ("protection_ending", facts("awaiting_delivery", ("protection_ends", 3 * DAY)),
     facts("completed", ("protection_ends", 3 * DAY))),  # receipt confirmed: protection no longer matters
    ("dispute_window_closing", facts("completed", ("dispute_window_ends", 5 * DAY)),
     facts("completed", ("dispute_window_ends", -1 * DAY))),  # the window has closed
    ("seller_deadline", facts("in_dispute", ("seller_response_due", 2 * DAY)),
     facts("in_dispute", ("seller_response_due", 2 * DAY), stage="seller_responded")),  # the seller answered
    ("seller_deadline_missed", facts("in_dispute", ("seller_response_due", -2 * DAY)),
     facts("in_dispute", ("seller_response_due", -2 * DAY), stage="buyer_to_return")),  # answered: accepted
    ("dont_close_dispute", facts("in_dispute"), facts("refunded")),  # the money is granted: nothing to keep open
    ("return_ship_by", facts("in_dispute", ("return_ship_by", 4 * DAY)),
     facts("refunded", ("return_ship_by", 4 * DAY))),  # refunded already
    ("refund_overdue", facts("refunded", ("refund_expected_by", -DAY)),
     facts("refunded", ("refund_expected_by", 5 * DAY))),  # still within the 20 working days
    ("payment_due", facts("awaiting_payment", ("payment_due", DAY)),
     facts("closed", ("payment_due", DAY))),  # the order closed: nothing to pay
    ("seller_late_shipping", facts("awaiting_shipment", ("ship_by", -DAY)),
     facts("awaiting_delivery", ("ship_by", -DAY))),  # it shipped
    ("late_delivery_compensation", facts("awaiting_delivery", ("delivery_promised", -2 * DAY)),
     facts("awaiting_delivery", ("delivery_promised", -2 * DAY), events={"delivered": -4 * DAY})),  # delivered in time
]


def test_every_rule_is_covered():
    assert {c[0] for c in CASES} == {code for code, _fires, _kind in advice.RULES}


@pytest.mark.parametrize("code, fires, stopped", CASES, ids=[c[0] for c in CASES])
def test_a_contradicting_fact_stops_the_warning(code, fires, stopped):
    assert code in codes(fires)
    assert code not in codes(stopped)


def test_a_late_delivery_is_still_late():
    late = facts("awaiting_delivery", ("delivery_promised", -4 * DAY), events={"delivered": -2 * DAY})
    assert "late_delivery_compensation" in codes(late)


def test_an_answered_dispute_keeps_no_seller_deadline():
    answered = facts("in_dispute", ("seller_response_due", 2 * DAY), stage="seller_responded")
    assert "seller_response_due" not in {d.kind for d in deadlines.resolve(answered)}
