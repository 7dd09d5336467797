"""`aliwatch forget ORDER|--all`: delete an order (or everything) for real: the rows go, deleted pages are
zeroed (secure_delete), the file is rebuilt (VACUUM) and the write-ahead log emptied."""
from __future__ import annotations

import argparse
import re
import sys

from aliwatch.commands.common import open_store


def _confirmed(store) -> bool:  # type: ignore[no-untyped-def]
    """Asks on the terminal before deleting everything; without a terminal to ask, --yes is needed."""
    counts = store.counts()
    question = (f"Delete all {counts.get('orders', 0)} orders and {counts.get('deadlines', 0)} deadlines in "
                f"{store.path}? This cannot be undone. [y/N] ")
    if not sys.stdin.isatty():
        print("aliwatch: forget --all deletes everything; add --yes to confirm", file=sys.stderr)
        return False
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def run(args: argparse.Namespace) -> int:
    if args.order is not None and not re.fullmatch(r"[0-9]{1,32}", args.order):
        print(f"aliwatch: {args.order!r} is not an order id (digits only)", file=sys.stderr)
        return 2
    store = open_store()
    if store is None:
        return 1
    if args.all and not getattr(args, "yes", False) and not _confirmed(store):
        store.close()
        print("aliwatch: nothing deleted", file=sys.stderr)
        return 1
    with store:
        deleted = store.forget_all() if args.all else store.forget(args.order)
        if not args.all and deleted == 0:
            print(f"aliwatch: no order {args.order} in the store", file=sys.stderr)
            return 1
        clean = store.compact()
    what = "everything" if args.all else f"order {args.order}"
    print(f"Forgot {what}: {deleted} row(s) deleted and the store file rebuilt ({store.path}).")
    if not clean:
        print("aliwatch: another AliWatch process (a browser's host or the dashboard) is reading the store; "
              "its write-ahead log is emptied when that process next writes or closes.", file=sys.stderr)
    return 0
