"""What an export holds, as text: the store's orders and their deadlines as JSON, CSV or an iCalendar file.
One renderer for `aliwatch export` (commands/export.py) and the host's `export` request (host/handlers/export.py)."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime

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
