"""`aliwatch analyze PAGE.html`: the offline entry point (contract §1)."""
from __future__ import annotations

import argparse
import json
import sys

from aliwatch.commands.common import now_option
from aliwatch.commands.pages import load_page


def run(args: argparse.Namespace) -> int:
    now = now_option(args.now)  # the current time without --now
    if now is None:
        return 2
    page = load_page(args.page)
    if page is None:
        return 2
    from aliwatch import draft
    from aliwatch.analysis import analyze_html
    from aliwatch.commands.common import stored_overrides

    ui_lang = getattr(args, "ui_lang", None) or "en"
    try:
        result = analyze_html(page.text, url=args.url or page.url, now=now, tz=args.tz, lang=args.lang,
                              ui_lang=ui_lang, overrides=stored_overrides())
    except ValueError as exc:
        print(f"aliwatch: {exc}", file=sys.stderr)
        return 2
    draft.attach(result["orders"], ui_lang)  # the offline analysis carries each card's draft (contract §1)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(summary(result))
    return 0


def summary(result: dict) -> str:
    out = [f"page: {result['page']} ({len(result['orders'])} orders)"]
    for order in result["orders"]:
        out.append(f"\n{order['order_id'] or '(no id)'}  {order['status']}  {order['status_text']!r}")
        for d in order["deadlines"]:
            out.append(f"  {d['kind']:<20} {d['at']}  [{d['basis']}] {d['text']}")
        for w in order["warnings"]:
            out.append(f"  ! {w['severity']:<8} {w['title']}")
    for p in result["problems"]:
        out.append(f"problem: {p['code']}: {p['text']}")
    return "\n".join(out) + "\n"
