"""`aliwatch export --format json|csv|ics [-o FILE]`: everything the store knows about your orders and
their deadlines, for a spreadsheet, another tool or a calendar."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile

from aliwatch.commands.common import read_store
from aliwatch.export import render

def write_private(path: str, data: str) -> None:
    """Write atomically, readable by the user only: the export holds the buyer's orders."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".aliwatch-export-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run(args: argparse.Namespace) -> int:
    code, now, orders = read_store(args.now, lambda store, _: store.orders())
    if code or now is None or orders is None:
        return code
    data = render(args.format, orders, now, args.lang)
    if args.output in (None, "-"):
        sys.stdout.buffer.write(data.encode("utf-8"))  # bytes: the ICS's CRLFs must reach the file as they are
        sys.stdout.flush()
        return 0
    try:
        write_private(args.output, data)
    except OSError as e:
        print(f"aliwatch: cannot write {args.output}: {e.strerror}", file=sys.stderr)
        return 1
    count = sum(len(o["deadlines"]) for o in orders)
    print(f"Wrote {len(orders)} order(s) and {count} deadline(s) to {args.output}.", file=sys.stderr)
    return 0
