"""`aliwatch reparse`: re-read the stored card snapshots with the current parser (after an upgrade) and
replace the deadlines they gave with what it finds now."""
from __future__ import annotations

import argparse
import sys

from aliwatch.commands.common import open_store

ATTEMPTS = 3  # a browser's host may store new snapshots meanwhile; then read again


def analyse(snap, overrides: dict | None = None) -> dict | None:  # type: ignore[no-untyped-def]
    """One stored card → its analysed order (None when the snapshot can no longer be read at all)."""
    from aliwatch.analysis import SnapshotError, analyze_snapshot

    snapshot = {"url": snap.url, "lang": snap.lang, "tz": snap.tz, "captured_at": snap.captured_at,
                "cards": [{"key": "aw1", "html": snap.html}]}
    try:
        cards = analyze_snapshot(snapshot, overrides=overrides)["cards"]
    except SnapshotError:
        return None
    return cards[0] if cards else None


def valid(store) -> dict[tuple[str, str], str]:  # type: ignore[no-untyped-def]
    return {(o["order_id"], d["kind"]): d["at"] for o in store.orders() for d in o["deadlines"]}


def run(args: argparse.Namespace) -> int:
    store = open_store()
    if store is None:
        return 1
    with store:
        before = valid(store)
        overrides = store.override_map()  # the words you taught apply to history too
        for _ in range(ATTEMPTS):
            high = store.max_snapshot_id()
            snaps = store.snapshots()
            results, unreadable = [], 0
            for snap in snaps:
                card = analyse(snap, overrides)
                if card is None:
                    unreadable += 1
                else:
                    results.append((snap, card))
            if store.rebuild(results, high) is not None:
                break
        else:
            print("aliwatch: the store kept changing while it was re-read; try again", file=sys.stderr)
            return 1
        after = valid(store)
    added = sum(1 for k in after if k not in before)
    changed = sum(1 for k in after if k in before and after[k] != before[k])
    gone = sum(1 for k in before if k not in after)
    orders = len({card.get("order_id") for _, card in results} - {None})
    print(f"Re-read {len(snaps)} stored card snapshot(s) of {orders} order(s): {added} deadline(s) added, "
          f"{changed} changed, {gone} gone." + (f" {unreadable} could not be read." if unreadable else ""))
    return 0
