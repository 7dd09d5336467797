"""The deadline store at scale (issue #5): with 10,000 orders stored, how long the "upcoming deadlines" query
takes (goal <= 10 ms). Also prints what the host's whole `deadlines` reply costs on top (the advice for each
upcoming deadline), for information.

A heavy buyer's history: 10,000 orders, each with the deadlines a real order has (promised delivery, buyer
protection, dispute window); 200 placed in the last 60 days, so about 450 deadlines lie ahead, the rest
over five years, all passed. They are written through Store.record, in one transaction. The same query on
a tenth of the history shows that its cost follows the deadlines ahead, not the history's size.

Usage: python bench/store.py [--orders N] [--active N] [--repeat N]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "helper"))

from aliwatch import reminders  # noqa: E402
from aliwatch.store import Store  # noqa: E402

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
GOAL_MS = 10.0


def history(n: int, active: int, seed: int = 2026) -> dict:
    """An analysis-shaped result: n orders, `active` of them placed in the last 60 days (their deadlines are
    still ahead) and the rest over the five years before (all their deadlines have passed)."""
    rng = random.Random(seed)
    cards = []
    for i in range(n):
        days_ago = rng.uniform(0, 60) if i < active else rng.uniform(90, 5 * 365)
        placed = NOW - timedelta(days=days_ago)
        status = ("awaiting_shipment" if days_ago < 5 else "awaiting_delivery" if days_ago < 30
                  else "completed" if rng.random() < 0.9 else "closed")
        deadlines = [
            {"kind": "delivery_promised", "at": (placed + timedelta(days=25)).isoformat(), "basis": "stated",
             "text": "Apply for a coupon if delayed"},
            {"kind": "protection_ends", "at": (placed + timedelta(days=60)).isoformat(), "basis": "stated",
             "text": "Refund if no delivery before the date"},
        ]
        if status == "completed":
            deadlines.append({"kind": "dispute_window_ends", "at": (placed + timedelta(days=75)).isoformat(),
                              "basis": "rule", "text": "Rule: 15 days after completion"})
        order_id = f"8{i:015d}"
        cards.append({"order_id": order_id, "status": status, "status_text": status.replace("_", " "),
                      "store": f"Store {rng.randint(1, 400)}", "order_date": placed.date().isoformat(),
                      "url": f"https://www.aliexpress.com/p/order/detail.html?orderId={order_id}",
                      "deadlines": deadlines})
    return {"now": NOW.isoformat(), "page": "order_list", "cards": cards}


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm: page cache, statement cache
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def measure(orders: int, active: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="aliwatch-bench-") as tmp:
        with Store(Path(tmp) / "aliwatch.db") as store:
            store.record({"cards": []}, history(orders, active))
            sql = ("EXPLAIN QUERY PLAN SELECT order_id, kind, at FROM deadlines INDEXED BY deadlines_upcoming "
                   "WHERE superseded_at IS NULL AND at >= ?")
            plan = store.conn.execute(sql, (NOW.isoformat(),)).fetchall()[0][-1]
            query = timed(lambda: store.deadlines(NOW), repeat)
            reply = timed(lambda: reminders.annotate(store.deadlines(NOW), NOW), max(repeat // 10, 5))
            return {"counts": store.counts(), "upcoming": len(store.deadlines(NOW)), "plan": plan,
                    "median": statistics.median(query), "p95": sorted(query)[int(len(query) * 0.95) - 1],
                    "reply": statistics.median(reply)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=10_000)
    ap.add_argument("--active", type=int, default=200, help="orders placed in the last 60 days")
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    small = measure(args.orders // 10, args.active, args.repeat)
    big = measure(args.orders, args.active, args.repeat)
    for m in (small, big):
        print(f"{m['counts']['orders']:>6} orders, {m['counts']['deadlines']:>6} deadlines, {m['upcoming']} upcoming: "
              f"upcoming-deadlines query median {m['median']:.2f} ms, p95 {m['p95']:.2f} ms; "
              f"whole `deadlines` reply (+ advice) median {m['reply']:.1f} ms")
    # Judged on the median: on a shared 2-core machine the tail mostly measures other processes.
    met = big["median"] <= GOAL_MS
    print(f"plan: {big['plan']}")
    print(f"goal: with {big['counts']['orders']} orders stored, the query takes {big['median']:.2f} ms "
          f"(median; p95 {big['p95']:.2f} ms) <= {GOAL_MS:.0f} ms: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
