"""What the stored deadlines mean now: the advice for each (the same advice.py the badges use, judged at
`now` against the order's stored status), and which reminder threshold each has crossed. Pure functions of
(store rows, now); the host and the CLI do the I/O.

Thresholds: 7 days, 3 days, 1 day and due. The issue lists both "1 day" and "24 hours": they are the same
lead time, so they are one threshold, `1d`, exactly 24 h before. Two pushes for one lead time would arrive
together for every date-only deadline (those fall at local midnight, where "the day before" starts exactly
24 h earlier) and an hour or so apart for the rest: a duplicate, not a reminder."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable

from aliwatch import vocab

if TYPE_CHECKING:
    from aliwatch.model import Deadline, OrderFacts

THRESHOLDS: list[tuple[str, timedelta]] = [(name, timedelta(seconds=s)) for name, s in vocab.THRESHOLDS]
LEAD = {name: lead for name, lead in THRESHOLDS}
# A deadline that passed longer ago than this (e.g. first seen long after it) is not pushed as "due": the
# badge and the popup still show it, but a notification about old news is noise.
STALE_DUE = timedelta(seconds=vocab.STALE_DUE_SECONDS)


def threshold(at: datetime, now: datetime) -> str | None:
    """The latest threshold `at` has crossed at `now` (None: more than 7 days away)."""
    crossed = None
    for name, lead in THRESHOLDS:
        if now >= at - lead:
            crossed = name
    return crossed


def advice_for(rows: list[dict], now: datetime, lang: str) -> dict[tuple[str, str], dict]:
    """(order_id, kind) → the warning advice.py gives about that deadline at `now`.

    Each order is judged by its status and the deadlines among `rows`, not by every deadline it has: each
    dated rule of advice.py reads only the deadline of its own kind (tests/test_store.py checks this on
    every fixture), and the store's "upcoming" query stays one index scan."""
    from aliwatch.model import Deadline, OrderFacts

    judge = judge_at(now, lang)
    by_order: dict[str, list[dict]] = {}
    for row in rows:
        by_order.setdefault(row["order_id"], []).append(row)
    out: dict[tuple[str, str], dict] = {}
    for order_id, own in by_order.items():
        facts = OrderFacts(order_id=order_id, status=own[0]["status"], status_text=own[0].get("status_text") or "")
        found = [Deadline(d["kind"], datetime.fromisoformat(d["at"]), d["basis"], d["text"]) for d in own]
        for kind, w in judge(facts, found).items():
            out[(order_id, kind)] = w
    return out


def judge_at(now: datetime, lang: str) -> Callable[[OrderFacts, list[Deadline]], dict[str, dict]]:
    """A function (order facts, its deadlines) → {kind: the warning advice.py gives about that kind of
    deadline at `now`}, the first by advice.py's order: advice_for() for one order, for callers (the ICS
    export) that already hold the store's deadlines grouped by order."""
    from aliwatch import advice

    kind_of = {code: kind for code, _, kind in advice.RULES if kind}
    warnings = advice.warnings

    def judge(facts: OrderFacts, found: list[Deadline]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for w in warnings(facts, found, now, lang):
            kind = kind_of.get(w["code"])
            if kind and w.get("due"):  # advice with a clock, about this kind of deadline
                out.setdefault(kind, w)
        return out

    return judge


def label(kind: str, lang: str) -> str:
    from aliwatch import catalog

    return catalog.load(lang).get("kinds", {}).get(kind, kind)


def annotate(rows: list[dict], now: datetime, lang: str = "en") -> list[dict]:
    """The `deadlines` entries: each stored deadline with its order and, when the advice engine has
    something to say about it at the order's status, the warning's code, severity, title and action."""
    advice = advice_for(rows, now, lang)
    labels: dict[str, str] = {}  # per kind: an export annotates tens of thousands of rows
    out = []
    for row in rows:
        w = advice.get((row["order_id"], row["kind"]))
        kind_label = labels.get(row["kind"]) or labels.setdefault(row["kind"], label(row["kind"], lang))
        out.append({
            "order_id": row["order_id"], "kind": row["kind"], "label": kind_label,
            "at": row["at"], "basis": row["basis"], "text": row["text"],
            "status": row["status"], "status_text": row.get("status_text"), "store": row.get("store"),
            "url": row.get("url"),
            "code": w["code"] if w else None, "severity": w["severity"] if w else None,
            "title": w["title"] if w else kind_label,
            "action": (w.get("action") or w.get("detail")) if w else None,
            "detail": w.get("detail") if w else None,
        })
    return out


def due(rows: list[dict], now: datetime, lang: str = "en") -> list[dict]:
    """Reminders that are due at `now`: one per deadline whose advice applies and that has crossed a
    threshold, with that threshold. The caller drops those already shown (store.claim_warnings)."""
    out = []
    for entry in annotate(rows, now, lang):
        if entry["code"] is None:  # nothing to do about it at this status (e.g. protection after completion)
            continue
        at = datetime.fromisoformat(entry["at"])
        name = threshold(at, now)
        if name is None or (name == "due" and now - at > STALE_DUE):
            continue
        out.append({**entry, "threshold": name, "lead_seconds": int(LEAD[name].total_seconds()),
                    "due": entry["at"]})
    return out


def next_at(rows: list[dict], now: datetime) -> datetime | None:
    """The next moment after `now` at which one of `rows` with advice crosses a threshold (None: none in
    rows), so a browser can wake exactly then and ask what is `due`. `rows`: annotate()'s entries."""
    moments = [datetime.fromisoformat(r["at"]) - lead for r in rows if r["code"] for _, lead in THRESHOLDS]
    return min((m for m in moments if m > now), default=None)


# How far past the 7-day threshold a check looks, for next_at: a deadline further out crosses no threshold
# within a day, and the extension's periodic alarm asks again long before that.
NEXT_HORIZON = timedelta(days=1)


def window(now: datetime) -> tuple[datetime, datetime]:
    """The range of `at` values a reminder check must look at (due now, or crossing a threshold soon)."""
    return now - STALE_DUE, now + THRESHOLDS[0][1] + NEXT_HORIZON
