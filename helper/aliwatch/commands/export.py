"""`aliwatch export --format json|csv|ics [-o FILE]`: everything the store knows about your orders and
their deadlines, for a spreadsheet, another tool or a calendar."""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from datetime import datetime

from aliwatch.commands.deadlines import open_store, parse_now

CSV_COLUMNS = ["order_id", "status", "status_text", "store", "order_date", "url", "kind", "at", "basis", "text",
               "first_seen", "last_seen"]


def to_json(orders: list[dict], now: datetime) -> str:
    return json.dumps({"schema": 1, "exported_at": now.isoformat(), "orders": orders}, ensure_ascii=False,
                      indent=2) + "\n"


def _cell(value: object) -> str:
    # Text comes from web pages: a cell starting with = + - @ would run as a formula in a spreadsheet.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(orders: list[dict]) -> str:
    """One row per deadline; an order with none still gets one row (with the deadline columns empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for order in orders:
        for d in order["deadlines"] or [{}]:
            row = {**order, "first_seen": d.get("first_seen", order["first_seen"]),
                   "last_seen": d.get("last_seen", order["last_seen"]),
                   **{k: d.get(k) for k in ("kind", "at", "basis", "text")}}
            writer.writerow([_cell(row.get(c)) for c in CSV_COLUMNS])
    return out.getvalue()


def render(fmt: str, orders: list[dict], now: datetime, lang: str = "en") -> str:
    if fmt == "json":
        return to_json(orders, now)
    if fmt == "csv":
        return to_csv(orders)
    from aliwatch.ics import deadlines_calendar

    return deadlines_calendar(orders, now, lang)


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
    try:
        now = parse_now(args.now)
    except ValueError as e:
        print(f"aliwatch: {e}", file=sys.stderr)
        return 2
    store = open_store()
    if store is None:
        return 1
    with store:
        orders = store.orders()
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
