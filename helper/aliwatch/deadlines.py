"""From what the page says to the full set of deadlines: windows anchored on events, then the published
rules for what the page does not state. A date stated on the page always wins over a rule."""
from __future__ import annotations

from datetime import datetime, timedelta

from aliwatch.dates import add_working_days
from aliwatch.model import Deadline, OrderFacts

_BASIS_RANK = {"stated": 0, "countdown": 1, "rule": 2}


def _fmt(moment: datetime) -> str:
    return f"{moment:%b} {moment.day}, {moment.year}"


# kind -> (applies to these facts, event it counts from, how far, rule text). Contract §4.
RULES = [
    ("dispute_window_ends", lambda f: f.status == "completed", "completed",
     lambda at: at + timedelta(days=15), "Rule: a dispute can be opened until 15 days after completion ({date})"),
    ("seller_response_due", lambda f: f.status == "in_dispute" and f.stage == "seller_to_respond", "dispute_opened",
     lambda at: at + timedelta(days=5), "Rule: the seller has 5 days to respond after the dispute opened ({date})"),
    ("return_ship_by", lambda f: f.status == "in_dispute" and f.stage == "buyer_to_return", "return_accepted",
     lambda at: at + timedelta(days=10), "Rule: ship the return within 10 days after it was accepted ({date})"),
    ("refund_expected_by", lambda f: f.status == "refunded" or f.stage == "refund_granted", "refund_granted",
     lambda at: add_working_days(at, 20), "Rule: a granted refund arrives within 20 working days ({date})"),
]


# Dispute stages in which the seller has answered: a seller deadline the page still shows is no longer pending.
SELLER_ANSWERED = ("seller_responded", "buyer_to_return", "refund_granted")


def resolve(facts: OrderFacts) -> list[Deadline]:
    found = list(facts.deadlines)
    if facts.stage in SELLER_ANSWERED:
        found = [d for d in found if d.kind != "seller_response_due"]
    for w in facts.windows:
        anchor = facts.events.get(w.anchor)
        if anchor is not None:
            found.append(Deadline(w.kind, anchor + timedelta(days=w.days), "stated", w.text))
    best: dict[str, Deadline] = {}
    for d in found:
        cur = best.get(d.kind)
        if cur is None or (_BASIS_RANK[d.basis], d.at) < (_BASIS_RANK[cur.basis], cur.at):
            best[d.kind] = d
    for kind, applies, event, compute, text in RULES:
        anchor = facts.events.get(event)
        if kind not in best and anchor is not None and applies(facts):
            best[kind] = Deadline(kind, compute(anchor), "rule", text.format(date=_fmt(anchor)))
    return sorted(best.values(), key=lambda d: d.at)
