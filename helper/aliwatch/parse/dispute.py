"""Dispute, return and refund pages (trade.aliexpress.com/issue/…, /p/reverse-pages/…, refund details).

No public capture of these pages exists, so nothing here depends on their class names beyond an optional
status title: the stage of the dispute, its timeline and its timers come from the text."""
from __future__ import annotations

from bs4 import Tag

from aliwatch.model import Context, OrderFacts
from aliwatch.money import parse_money
from aliwatch.parse.card import label_value, lookup, read_card
from aliwatch.parse.marks import Marks
from aliwatch.text import find_tags, has_class, scan, text_of

KIND = "dispute"


def matches(marks: Marks) -> bool:
    return bool({"issue-wrap", "issue-status"} & marks.classes) or any(
        "reverse" in c or "refund-detail" in c for c in marks.classes)


def find_cards(root: Tag) -> list[Tag]:
    main = find_tags(root, lambda e: has_class(e, "issue-wrap") or e.get("id") == "root")
    return main[:1] or [root.find("body") or root]


def read(card: Tag, ctx: Context) -> OrderFacts:
    s = scan(card)
    heading = text_of(s.first("issue-status-title") or next(
        (el for token, el in s.classes.items() if "status-title" in token), None))
    facts = read_card(card, ctx, s, status_texts=[heading])
    facts.stage = lookup(heading, lambda p: p.stages, ctx, everywhere=True) if heading else None
    if facts.stage is None:
        for line in s.lines[:40]:
            facts.stage = lookup(line, lambda p: p.stages, ctx)
            if facts.stage:
                break
    # The order's item is printed as text, not as a link, on dispute pages.
    titled = [el for token, el in s.classes.items() if token.endswith("item-title")]
    if titled and not any(i.get("title") for i in facts.items):
        facts.items = [{**(facts.items[0] if facts.items else {}), "title": text_of(titled[0])}]
    requested = label_value(s.joined, "refund_amount", ctx)
    facts.requested = parse_money(requested) if requested else None
    if facts.status == "unknown" and facts.stage:  # no heading we know, but the page says where it stands
        facts.status = "refunded" if facts.stage == "refund_granted" else "in_dispute"
        facts.problems = [p for p in facts.problems if p.code != "unknown_status"]
    return facts
