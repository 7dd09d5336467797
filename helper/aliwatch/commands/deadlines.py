"""`aliwatch deadlines`: the stored deadlines as a table, soonest first (what the popup lists)."""
from __future__ import annotations

import argparse
import shutil
import sys
from datetime import datetime

from aliwatch.commands.common import read_store


def when(at: datetime, now: datetime, texts: dict) -> str:
    """'26 ноября 2026 09:00 (через 3 дня)': the date in the catalogue's language, in the machine's zone."""
    from aliwatch.advice import humanize
    from aliwatch.catalog import format_date

    local = at.astimezone()  # the machine's zone: the buyer's clock
    return f"{format_date(texts, local.date())} {local:%H:%M} ({humanize(at - now, texts)})"


def what_to_do(entry: dict) -> str:
    """The advice for a deadline; '-' when there is none (its title is then only the deadline's name)."""
    if entry.get("action"):
        return entry["action"]
    title = entry.get("title") or ""
    return title if title and title != entry.get("label") else "-"


def table(entries: list[dict], now: datetime, lang: str, width: int | None) -> str:
    from aliwatch import catalog

    texts = catalog.load(lang)
    head = ("ORDER", "DEADLINE", "WHEN", "WHAT TO DO")
    rows = [(e["order_id"], e["label"], when(datetime.fromisoformat(e["at"]), now, texts),
             what_to_do(e)) for e in entries]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
    out = []
    for r in [head, *rows]:
        line = "  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3]
        if width and len(line) > width:
            line = line[:max(width - 1, 0)] + "…"
        out.append(line.rstrip())
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    from aliwatch import reminders

    def read(store, now: datetime) -> tuple[list[dict], object]:  # type: ignore[no-untyped-def]
        return reminders.annotate(store.deadlines(now, include_past=args.include_past), now, args.lang), store.path

    code, now, found = read_store(args.now, read)
    if code or now is None or found is None:
        return code
    entries, path = found
    if not entries:
        what = "deadlines" if args.include_past else "upcoming deadlines"
        print(f"No {what} stored. AliWatch records them when you open your AliExpress orders with the "
              f"extension installed (store: {path}).")
        return 0
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    sys.stdout.write(table(entries, now, args.lang, width))
    return 0
