"""Reading one order card: what every page kind shares.

The page modules say where the status and the card are; this module reads meaning from the card's
visible text with the phrase tables (status words, labels, deadline sentences) and from links, so that a
renamed CSS class or a relabelled field does not break it.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from bs4 import Tag

from aliwatch import phrases
from aliwatch.dates import MAX_COUNTDOWN, DateError, parse_countdown, parse_date
from aliwatch.model import Context, Deadline, OrderFacts, Problem, Window
from aliwatch.money import parse_money
from aliwatch.text import Scan, normalize

_ORDER_ID = re.compile(r"(?:^|[?&])(?:orderId|tradeOrderId|order_id)=(\d{10,20})(?:&|$)", re.IGNORECASE)
_ID_TEXT = re.compile(r"\d{12,20}")
_ITEM_ID = re.compile(r"/item/(\d+)\.html")


def langs(ctx: Context) -> list[str]:
    """The page's table first, then English: AliExpress leaves English strings on translated pages."""
    return [ctx.lang] if ctx.lang == phrases.FALLBACK else [ctx.lang, phrases.FALLBACK]


def status_key(text: str) -> str:
    return normalize(text).casefold().strip(" .:!")


def lookup(text: str, table_of, ctx: Context, *, everywhere: bool = False) -> str | None:
    """Match text against a phrase table: exact phrase first, then the longest phrase it contains.

    `everywhere` also tries every other language, for a page in a language we were not told about."""
    key = status_key(text)
    if not key:
        return None
    groups = [langs(ctx)]
    if everywhere:  # the other tables are loaded and tried only when the page's own table and English fail
        groups.append([lang for lang in phrases.available() if lang not in groups[0]])
    for order in groups:
        found = _match(key, table_of, order)
        if found:
            return found
    return None


def _match(key: str, table_of, order: list[str]) -> str | None:
    for lang in order:
        table = table_of(phrases.load(lang))
        if key in table:
            return table[key]
    best: tuple[int, str] | None = None
    for lang in order:
        for phrase, value in table_of(phrases.load(lang)).items():
            if len(phrase) > (best[0] if best else 0) and _contains(key, phrase):
                best = (len(phrase), value)
        if best:
            return best[1]
    return None


def _contains(text: str, phrase: str) -> bool:
    i = text.find(phrase)
    if i < 0:
        return False
    if not phrase[0].isascii() and not phrase[0].isalpha():
        return True
    # Alphabetic phrases must sit on word boundaries ("closed" must not match "disclosed").
    before = text[i - 1] if i else " "
    after = text[i + len(phrase)] if i + len(phrase) < len(text) else " "
    return not (before.isalnum() or after.isalnum()) or ord(phrase[0]) > 0x3000


def classify(status_texts: list[str], override_texts: list[str], buttons: list[str], code: str | None,
             ctx: Context) -> tuple[str, str]:
    """(status, the text it came from). Phrases first, then AliExpress's internal code, then buttons."""
    status = None
    shown = next((t for t in status_texts if t), "")
    for text in status_texts:
        status = status or lookup(text, lambda p: p.status, ctx, everywhere=True)
    # A refund block under the card outranks the header: "Refund in progress" on an "Awaiting delivery" card.
    for text in override_texts:
        over = lookup(text, lambda p: p.status, ctx, everywhere=True)
        if over in ("in_dispute", "refunded"):
            return over, text
    if status:
        return status, shown
    if code and code.upper() in phrases.internal_codes():
        return phrases.internal_codes()[code.upper()], shown or code
    for text in buttons:
        by_button = lookup(text, lambda p: p.buttons, ctx, everywhere=True)
        if by_button:
            return by_button, shown
    return "unknown", shown


def _query(href: str) -> str:
    try:
        return urlsplit(href).query
    except ValueError:  # "//host[/x": urlsplit refuses unbalanced brackets (invalid IPv6); not our link
        return ""


def order_id_from_links(card: Tag, s: Scan) -> str | None:
    for href, _text, _el in s.links:
        m = _ORDER_ID.search(_query(href).replace("&amp;", "&"))
        if m:
            return m.group(1)
    for attr in ("data-orderid", "orderid", "data-order-id"):
        for node in [card, *s.with_attr(attr)]:
            value = str(node.get(attr, "")).strip()
            if _ID_TEXT.fullmatch(value):
                return value
    return None


def order_id_from_url(url: str | None) -> str | None:
    if not url:
        return None
    values = parse_qs(urlsplit(url).query).get("orderId")
    return values[0] if values and values[0].isdigit() else None


def label_value(joined: str, label: str, ctx: Context) -> str | None:
    """The value printed after a label ("Order ID: 8183…", "Итого:" + next line), in the page languages."""
    for lang in langs(ctx):
        rx = phrases.load(lang).label_res.get(label)
        if rx is None:
            continue
        for m in rx.finditer(joined):
            value = m.group("value").strip()
            if value:
                return value
            nxt = joined[m.end():].lstrip("\n").split("\n", 1)[0]  # the value sits on the next line
            if nxt:
                return nxt
    return None


def read_card(card: Tag, ctx: Context, s: Scan, *, status_texts: list[str], override_texts: list[str] = (),
              code: str | None = None, url_id: str | None = None) -> OrderFacts:
    """Read one card; `s` is its scan (the page module already walked it to find its hooks)."""
    joined = s.joined
    facts = OrderFacts()
    facts.order_id = order_id_from_links(card, s)
    if facts.order_id is None:
        value = label_value(joined, "order_id", ctx)
        m = _ID_TEXT.search(value or "")
        facts.order_id = m.group(0) if m else url_id
    facts.status, facts.status_text = classify(status_texts, list(override_texts), s.buttons, code, ctx)
    if facts.status == "unknown":
        shown = facts.status_text or "(no status text)"
        facts.problems.append(Problem("unknown_status", f"status {shown!r} matches no known phrase"))
    if facts.order_id is None:
        facts.problems.append(Problem("no_order_id", "no order id in the card's links or labels"))
    _read_events(joined, ctx, facts)
    _read_deadlines(joined, ctx, facts)
    facts.order_date = facts.events.get("placed")
    facts.store = _store(s)
    facts.items = _items(s)
    total = label_value(joined, "total", ctx)
    facts.total = parse_money(total) if total else None
    return facts


def _read_events(joined: str, ctx: Context, facts: OrderFacts) -> None:
    for lang in langs(ctx):
        table = phrases.load(lang)
        for s in table.events:
            if s.name in facts.events:
                continue
            for _m, _slot, value in s.find(joined, table.countdown):
                try:
                    facts.events[s.name] = parse_date(value, lang, ctx.tz)
                    break
                except DateError:
                    continue


def _read_deadlines(joined: str, ctx: Context, facts: OrderFacts) -> None:
    if not any(c.isdigit() for c in joined):
        return
    for lang in langs(ctx):
        table = phrases.load(lang)
        for s in table.deadlines:
            for m, slot, value in s.find(joined, table.countdown):
                said = _sentence(joined, m)
                try:
                    if slot == "date":
                        facts.deadlines.append(Deadline(s.name, parse_date(value, lang, ctx.tz), "stated", said))
                    elif slot == "countdown":
                        left = parse_countdown(value, table.units)
                        facts.deadlines.append(Deadline(s.name, ctx.now + left, "countdown", said))
                    elif slot == "days" and s.anchor:
                        if int(value) > MAX_COUNTDOWN.days:
                            raise DateError(f"a window of {value} days is longer than any AliExpress rule")
                        facts.windows.append(Window(s.name, int(value), s.anchor, said))
                except DateError as exc:
                    facts.problems.append(Problem("unparsed_date", f"{said!r}: {exc}"))


# Where a sentence ends: a line break, a "·" list separator, or .!? before a capital (no space needed:
# "Order complete.If there are any problems" is how the 2026 reminder is written).
_BOUNDARY = re.compile(r"\n|·|[.!?。](?=\s*[A-ZА-ЯЁ]|\s*$)", re.MULTILINE)


def _sentence(joined: str, m: re.Match) -> str:
    """The page sentence around a match, for the deadline's `text` (what the user can find on the page)."""
    start = 0
    for b in _BOUNDARY.finditer(joined, 0, m.start()):
        start = b.end()
    after = _BOUNDARY.search(joined, m.end())
    end = after.end() if after and after.group() not in ("\n", "·") else (after.start() if after else len(joined))
    return normalize(joined[start:end])[:300]



def _store(s: Scan) -> str | None:
    for href, text, _el in s.links:
        if "/store/" in href and text:
            return text
    return None


def _items(s: Scan) -> list[dict]:
    seen: dict[str, dict] = {}
    for href, text, el in s.links:
        m = _ITEM_ID.search(href)
        if not m:
            continue
        title = text or normalize(str(el.get("title", "")))
        item = seen.setdefault(m.group(1), {"item_id": m.group(1), "title": ""})
        if title and not item["title"]:
            item["title"] = title
    return [i for i in seen.values() if i["title"]] or list(seen.values())
