"""`aliwatch forget ORDER|--all`: delete an order (or everything) for real: the rows go, deleted pages are
zeroed (secure_delete), the file is rebuilt (VACUUM) and the write-ahead log emptied."""
from __future__ import annotations

import argparse
import re
import sys

from aliwatch.commands.deadlines import open_store


def run(args: argparse.Namespace) -> int:
    if args.order is not None and not re.fullmatch(r"[0-9]{1,32}", args.order):
        print(f"aliwatch: {args.order!r} is not an order id (digits only)", file=sys.stderr)
        return 2
    store = open_store()
    if store is None:
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
