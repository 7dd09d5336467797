"""Dispute, return and refund pages (trade.aliexpress.com/issue/…, /p/reverse-pages/…, refund details).

No public capture of these pages exists, so nothing here depends on their class names beyond an optional
status title: the stage of the dispute, its timeline and its timers come from the text."""
from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from aliwatch.model import Context, OrderFacts
from aliwatch.parse.card import first, lookup, read_card
from aliwatch.text import lines, text_of

KIND = "dispute"


def matches(soup: BeautifulSoup) -> bool:
    return soup.select_one(".issue-wrap, .issue-status, [class*=reverse], [class*=refund-detail]") is not None


def find_cards(soup: BeautifulSoup | Tag) -> list[Tag]:
    main = soup.select_one(".issue-wrap, #root") or soup.find("body") or soup
    return [main]


def read(card: Tag, ctx: Context) -> OrderFacts:
    status_el = first(card, ".issue-status-title", "[class*=status-title]")
    heading = text_of(status_el) if status_el is not None else ""
    facts = read_card(card, ctx, status_texts=[heading])
    facts.stage = lookup(heading, lambda p: p.stages, ctx, everywhere=True) if heading else None
    if facts.stage is None:
        for line in lines(card)[:40]:
            facts.stage = lookup(line, lambda p: p.stages, ctx)
            if facts.stage:
                break
    if facts.status == "unknown" and facts.stage:  # no heading we know, but the page says where it stands
        facts.status = "refunded" if facts.stage == "refund_granted" else "in_dispute"
        facts.problems = [p for p in facts.problems if p.code != "unknown_status"]
    return facts
