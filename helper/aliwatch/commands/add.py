"""`aliwatch add PAGE...`: put the orders and deadlines of saved order pages into the deadline store, so
`deadlines`, `export` and `dashboard` work without the extension. Each page goes through the same analysis
as `analyze` and is recorded like a snapshot from the extension (a newer capture updates an order, an older
one only widens what is known). The markup itself is not kept.

A saved page's countdowns ("3 days 23:10:02 left") count from when it was saved, so the default capture
time is the file's modification time, not the time of this command."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone

from aliwatch.commands.common import open_store, parse_now
from aliwatch.commands.pages import load_page


def _saved_at(path: str) -> datetime:
    if path == "-":
        return datetime.now(timezone.utc)
    return datetime.fromtimestamp(os.stat(path).st_mtime, timezone.utc).replace(microsecond=0)


def run(args: argparse.Namespace) -> int:
    try:
        fixed_now = parse_now(args.now) if args.now else None
    except ValueError as exc:
        print(f"aliwatch: {exc}", file=sys.stderr)
        return 2
    from aliwatch.analysis import analyze_html
    from aliwatch.dates import zone

    try:
        zone(args.tz)
    except ValueError as exc:
        print(f"aliwatch: --tz: {exc}", file=sys.stderr)
        return 2
    from aliwatch.commands.common import stored_overrides

    overrides = stored_overrides()
    analysed = []
    failed = 0
    for path in args.pages:
        page = load_page(path)
        if page is None:
            failed += 1
            continue
        now = fixed_now or _saved_at(path)
        result = analyze_html(page.text, url=args.url or page.url, now=now, tz=args.tz, lang=args.lang,
                              overrides=overrides)
        cards = [o for o in result["orders"] if o["order_id"]]
        if not cards:
            why = "; ".join(f"{p['code']}: {p['text']}" for p in result["problems"]) or "no order numbers"
            print(f"aliwatch: {path}: no orders to add ({why})", file=sys.stderr)
            failed += 1
            continue
        analysed.append((path, now, result, cards))
    if not analysed:
        return 2
    store = open_store()
    if store is None:
        return 1
    with store:
        for path, now, result, cards in analysed:
            recorded = store.record({}, {"now": result["now"], "cards": cards})
            unknown = sum(1 for c in cards if c["status"] == "unknown")
            print(f"{path}: {len(cards)} order(s) from the {result['page']} page saved {now:%Y-%m-%d %H:%M} UTC, "
                  f"{len(recorded.new_deadlines)} new deadline(s)"
                  + (f", {unknown} with a status AliWatch could not read" if unknown else ""))
    print(f"stored in {store.path}; see them with `aliwatch deadlines`")
    return 1 if failed else 0
