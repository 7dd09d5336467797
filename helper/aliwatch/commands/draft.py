"""`aliwatch draft PAGE.html --order ID --problem KIND`: the dispute messages for one order on a saved page.

The page goes through the analysis pipeline, and the order's card goes to the same composer the host's
`draft` message uses, so the command line shows what the extension's panel shows."""
from __future__ import annotations

import argparse
import json
import sys

from aliwatch.commands.pages import load_page


# Statuses for which no dispute can be opened, so a draft would only mislead.
NO_DISPUTE = {
    "closed": "a cancelled or expired order is refunded by AliExpress itself and cannot be disputed",
    "awaiting_payment": "the order is not paid yet, so there is nothing to dispute (cancel it instead)",
    "refunded": "the order has been refunded already",
}


def run(args: argparse.Namespace) -> int:
    from aliwatch import draft

    page = load_page(args.page)
    if page is None:
        return 2
    order_id = "".join(ch for ch in args.order if ch.isdigit())
    if not order_id:
        print(f"aliwatch: --order must be an order number, not {args.order!r}", file=sys.stderr)
        return 2
    from aliwatch.analysis import analyze_html
    from aliwatch.commands.common import stored_overrides

    try:
        result = analyze_html(page.text, url=args.url or page.url, tz=args.tz, overrides=stored_overrides())
    except ValueError as exc:
        print(f"aliwatch: {exc}", file=sys.stderr)
        return 2
    order = next((o for o in result["orders"] if o["order_id"] == order_id), None)
    if order is None:
        found = ", ".join(o["order_id"] for o in result["orders"] if o["order_id"]) or "none"
        print(f"aliwatch: order {order_id} is not on this page (orders found: {found})", file=sys.stderr)
        return 2
    why = NO_DISPUTE.get(order["status"])
    if why:
        print(f"aliwatch: order {order_id} is {order['status']} ({order['status_text']!r}): {why}; nothing drafted",
              file=sys.stderr)
        return 2
    try:
        composed = draft.compose(order, args.problem, outcome=args.outcome, percent=args.percent, lang=args.lang)
    except draft.DraftError as exc:
        print(f"aliwatch: --{exc.field}: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        json.dump({"order_id": order_id, **composed}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(summary(order_id, composed))
    return 0


def summary(order_id: str, d: dict) -> str:
    low, high = d["percent_range"]
    asked = "return and full refund" if d["outcome"] == "return" else f"refund only, {d['percent']}%"
    amount = d["amount"]["text"] if d["amount"] else "(no order total on the page)"
    out = [f"order {order_id} · {d['problem']} · {asked} · {amount}",
           f"suggested: {d['suggested_percent']}% (comparable: {low}–{high}%). {d['reason']}",
           "", "== To AliExpress (paste into the dispute) ==", d["to_admin"],
           "", "== To the seller ==", d["to_seller"],
           "", "== Evidence to collect =="]
    out += [f"[ ] {e['text']}" for e in d["evidence"]]
    return "\n".join(out) + "\n"
