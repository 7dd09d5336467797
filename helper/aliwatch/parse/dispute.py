"""Dispute, return and refund pages (trade.aliexpress.com/issue/…, /p/reverse-pages/…, /p/refund-dispute/…).

One order; the stage of the dispute, its timeline and its timers come from the text. A page that states no
status but says where the dispute stands ("Awaiting seller response") is in dispute."""
from __future__ import annotations

from bs4 import Tag

from aliwatch.model import Context, OrderFacts
from aliwatch.money import parse_money
from aliwatch.parse import order_detail
from aliwatch.parse.card import label_value, lookup, read_card
from aliwatch.parse.cards import Card
from aliwatch.text import text_of

KIND = "dispute"
_STAGE_LINES = 40  # where a page says its stage: the heading and the first rows, not the timeline's end

find_cards = order_detail.find_cards


def read(card: Card, ctx: Context) -> OrderFacts:
    s = card.scan()
    stage = None
    for line in s.lines[:_STAGE_LINES]:
        stage = lookup(line, lambda p: p.stages, ctx)
        if stage:
            break
    facts = read_card(card.tag, ctx, s, order_id=card.order_id, stage=stage)
    # The order's item is printed as text, not as a link, on dispute pages; a class naming it is a bonus.
    titled = [el for token, el in s.classes.items() if token.endswith("item-title")]
    if titled and not any(i.get("title") for i in facts.items):
        facts.items = [{**(facts.items[0] if facts.items else {}), "title": text_of(titled[0])}]
    requested = label_value(s.joined, "refund_amount", ctx)
    facts.requested = parse_money(requested) if requested else None
    if facts.status == "unknown" and facts.stage:
        facts.status = "refunded" if facts.stage == "refund_granted" else "in_dispute"
        facts.problems = [p for p in facts.problems if p.code != "unknown_status"]
    return facts
