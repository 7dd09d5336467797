"""Reading one order card, whatever page it is on: its id, status, dates, timers, store, items and total.

Everything comes from the card's visible text and links, read with the phrase tables (status words, labels,
deadline and event sentences). No class name is needed, so a redesign that renames or drops every class
reads the same."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from bs4 import Tag

from aliwatch import phrases
from aliwatch.dates import MAX_COUNTDOWN, DateError, parse_countdown, parse_date
from aliwatch.model import Context, Deadline, OrderFacts, Problem, Window
from aliwatch.money import parse_money
from aliwatch.parse import ids, status, timers
from aliwatch.text import Scan, fold, normalize

_ITEM_ID = re.compile(r"/item/([0-9]+)\.html")
_YEAR = re.compile(r"[0-9]{4}")
_DIGIT = re.compile(r"[0-9]")


def langs(ctx: Context) -> list[str]:
    """The page's table first, then English: AliExpress leaves English strings on translated pages."""
    return [ctx.lang] if ctx.lang == phrases.FALLBACK else [ctx.lang, phrases.FALLBACK]


def lookup(text: str, table_of, ctx: Context) -> str | None:
    """A phrase table's value for a text, in the page's languages: the phrase it is, or failing that the
    longest one it contains on word boundaries."""
    key = fold(text)
    if not key:
        return None
    order = langs(ctx)
    for lang in order:
        found = table_of(phrases.load(lang)).get(key)
        if found:
            return found
    best: tuple[int, str] | None = None
    for lang in order:
        for phrase, value in table_of(phrases.load(lang)).items():
            if len(phrase) > (best[0] if best else 0) and status._within(key, phrase):
                best = (len(phrase), value)
        if best:
            return best[1]
    return None


def order_id_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    values = parse_qs(parts.query).get("orderId")
    if values and values[0].isascii() and values[0].isdigit():
        return values[0]
    return ids.from_href(parts.path)


def label_value(joined: str, label: str, ctx: Context) -> str | None:
    """The value printed after a label ("Total: US $9.87", "Итого" + next line), in the page languages."""
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


def read_card(card: Tag, ctx: Context, s: Scan, *, order_id: str | None = None, url_id: str | None = None,
              stage: str | None = None) -> OrderFacts:
    """Read one card; `s` is its scan, `order_id` what the card search found it by."""
    facts = OrderFacts()
    facts.order_id = order_id or url_id
    table = phrases.load(ctx.lang)
    joined = "\n".join([*s.lines, *timers.split_timer_lines(s.lines, table.units, table.countdown)])
    _read_events(joined, ctx, facts)
    _read_deadlines(joined, ctx, facts)
    named = {text for href, text, _el in s.links if "/item/" in href or "/store/" in href}
    evidence = status.Evidence(lines=[line for line in s.lines if line not in named], buttons=s.buttons,
                               code=_code(s), deadline_kinds=tuple(d.kind for d in facts.deadlines),
                               events=tuple(facts.events))
    everywhere = [x for x in phrases.available() if x not in langs(ctx)]
    facts.status, facts.status_text = status.decide(evidence, langs(ctx), everywhere)
    facts.stage = stage
    if not any(d.basis == "countdown" for d in facts.deadlines):
        kind = timers.kind_for(facts.status, stage)
        facts.deadlines += timers.element_timers(s, ctx, kind, table.countdown, table.units)
    if facts.status == "unknown":
        shown = facts.status_text or "(no status text)"
        facts.problems.append(Problem("unknown_status", f"status {shown!r} matches no known phrase"))
    if facts.order_id is None:
        facts.problems.append(Problem("no_order_id", "no order id in the card's links or labels"))
    facts.order_date = facts.events.get("placed")
    facts.store = _store(s)
    facts.items = _items(s)
    total = label_value(s.joined, "total", ctx)
    facts.total = parse_money(total) if total else None
    return facts


def _code(s: Scan) -> str | None:
    coded = s.with_attr("data-status")
    return str(coded[0].get("data-status")) if coded else None


def _read_events(joined: str, ctx: Context, facts: OrderFacts) -> None:
    for lang in langs(ctx):
        table = phrases.load(lang)
        for sentence in table.events:
            if sentence.name in facts.events:
                continue
            for _m, _slot, value in sentence.find(joined, table.countdown):
                try:
                    facts.events[sentence.name] = parse_date(value, lang, ctx.tz, ctx.now, past=True)
                    break
                except DateError:
                    continue


def _read_deadlines(joined: str, ctx: Context, facts: OrderFacts) -> None:
    if _DIGIT.search(joined) is None:
        return
    seen: set[tuple[str, object]] = set()
    for lang in langs(ctx):
        table = phrases.load(lang)
        for sentence in table.deadlines:
            for m, slot, value in sentence.find(joined, table.countdown):
                said = _sentence(joined, m)
                try:
                    if slot == "date":
                        found = Deadline(sentence.name, parse_date(value, lang, ctx.tz, ctx.now), "stated", said)
                    elif slot == "countdown":
                        left = parse_countdown(value, table.units)
                        found = Deadline(sentence.name, ctx.now + left, "countdown", said)
                    elif slot == "days" and sentence.anchor:
                        if int(value) > MAX_COUNTDOWN.days:
                            raise DateError(f"a window of {value} days is longer than any AliExpress rule")
                        facts.windows.append(Window(sentence.name, int(value), sentence.anchor, said))
                        continue
                    else:
                        continue
                except DateError as exc:
                    if slot == "date" and not _YEAR.search(value):
                        continue  # "3 items" is not a date without a year: nothing was said, nothing to report
                    facts.problems.append(Problem("unparsed_date", f"{said!r}: {exc}"))
                    continue
                if (found.kind, found.at) not in seen:  # a timer line rebuilt from its parts says it again
                    seen.add((found.kind, found.at))
                    facts.deadlines.append(found)


# Where a sentence ends: a line break, a "·" list separator, or .!? before a capital (no space needed:
# "Order complete.If there are any problems" is how the 2026 reminder is written).
_BOUNDARY = re.compile(r"\n|·|[.!?。](?=\s*[A-ZА-ЯЁ]|\s*$)", re.MULTILINE)


def _sentence(joined: str, m: re.Match) -> str:
    """The page sentence around a match, for the deadline's `text` (what the user can find on the page)."""
    start = joined.rfind("\n", 0, m.start()) + 1
    for b in _BOUNDARY.finditer(joined, start, m.start()):
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
