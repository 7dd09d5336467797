"""Personal data out of a card's markup before it is stored for `aliwatch reparse`.

Not the bug-report anonymiser (aliwatch.report): that one may replace order ids, dates and amounts, which a
re-parse needs intact. This one removes only what identifies the buyer and nothing the parser reads:
the shipping contact and address blocks, a dispute's return address (the seller's), the greeting with the
masked user name ("Hi, b***r"), tracking numbers, typed-in form values, and e-mail addresses, international
phone numbers, masked card numbers and masked names anywhere in the text or attributes. A deadline needs
none of them (issue 13)."""
from __future__ import annotations

import re

REMOVED = "[removed]"

# Blocks whose whole content is the buyer's identity (aliexpress-pages.md: current and legacy detail pages).
_BLOCKS = [
    "//*[starts-with(@data-pl, 'contact_info')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' contact-info ')]",
    "//*[@id = 'user-shipping' or contains(concat(' ', normalize-space(@class), ' '), ' user-shipping ')]",
    # Tracking numbers open the carrier's page with the recipient's name and city.
    "//table[contains(concat(' ', normalize-space(@class), ' '), ' shipping-table ')]"
    "//td[contains(concat(' ', normalize-space(@class), ' '), ' no ')]",
    # A dispute's return address (issue-return-address) and any delivery address block (aliexpress.ru's
    # RedOrderDetailsDeliveryV2_Delivery__address__…): the seller's or the buyer's, never a deadline.
    "//*[contains(@class, 'return-address') or contains(@class, '__address__')]",
    # The greeting and account name in a page header ("Hi, A***", pc-header--welcome--…).
    # (Not "user-name": the legacy detail page labels its store with it.)
    "//*[contains(@class, 'welcome') or contains(@class, 'account-name') or contains(@class, 'nick-name')"
    " or contains(@class, 'nickname')]",
]
# Linear time on any text (issue 13): each pattern starts only where its run starts (the lookbehind), and
# its runs are possessive (`++`), so a long word or a run of `x` is scanned once, not once per character.
_TEXT = [
    (re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+"), "[email]"),
    (re.compile(r"(?<![\w+])\+\d[\d ()./-]{6,}\d"), "[phone]"),
    (re.compile(r"(?<![*•xX])[*•xX]{2,}+(?:[ -]?+[*•xX]{2,}+){0,2}+[ -]?\d{2,4}\b"), "****"),
    # A masked user name: "b***r", "A***", "Иван***".
    (re.compile(r"(?<![\w*])[^\W\d_]{1,4}\*{2,}+[^\W\d_]{0,4}(?![\w*])"), "[name]"),
]


def _text(value: str) -> str:
    for pattern, replacement in _TEXT:
        value = pattern.sub(replacement, value)
    return value


def scrub(markup: str) -> str:
    """The card's markup without the buyer's personal data, as HTML that parses to the same orders."""
    from lxml import etree

    wrapper = "aliwatch-scrub"
    # A legacy card is a bare <tbody>: keep it inside a table, as analysis.snapshot_html does.
    body = f"<table>{markup}</table>" if re.match(r"^\s*<(tbody|thead|tfoot|tr)\b", markup, re.I) else markup
    root = etree.fromstring(f'<html><body><div id="{wrapper}">{body}</div></body></html>', etree.HTMLParser())
    if root is None:
        return ""
    holder = root.find(f".//div[@id='{wrapper}']")
    for xpath in _BLOCKS:
        for el in holder.xpath("." + xpath):
            tail = el.tail
            el.clear()  # children, text and attributes: the class names too may hold nothing personal
            el.text, el.tail = REMOVED, tail
    for el in holder.iter():
        if not isinstance(el.tag, str):  # comments and processing instructions carry nothing we need
            continue
        if el.tag in ("input", "textarea"):
            el.attrib.pop("value", None)
            if el.tag == "textarea":
                el.text = None
        for name, value in el.attrib.items():
            el.set(name, _text(value))
        if el.text:
            el.text = _text(el.text)
        if el.tail and el is not holder:
            el.tail = _text(el.tail)
    parts = [holder.text or ""] + [etree.tostring(child, encoding="unicode", method="html") for child in holder]
    return "".join(parts)
