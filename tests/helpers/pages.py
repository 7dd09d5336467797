"""Generated and mutated pages for the property tests (tests/test_properties.py) and the anonymiser's
(tests/test_report.py): AliExpress's own hooks, the phrase tables' words and sentences, random nesting, and
random edits of the fixture pages."""
from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from pathlib import Path

import lxml.html
from hypothesis import strategies as st

from helpers.fixtures import fixture_cases, load_case

PHRASES = Path(__file__).resolve().parents[2] / "helper" / "aliwatch" / "phrases"
URLS = ["https://www.aliexpress.com/p/order/index.html",
        "https://www.aliexpress.com/p/order/detail.html?orderId=8213004417736925",
        "https://trade.aliexpress.com/orderList.htm", "https://trade.aliexpress.com/order_detail.htm?orderId=1",
        "https://trade.aliexpress.com/issue/fastissue/Detail.htm?reverseOrderLineId=5019771248830562",
        "https://aliexpress.ru/order-list", "https://pt.aliexpress.com/p/order/index.html",
        "https://shop.example.com/account/orders", None]

# --- what pages are made of -----------------------------------------------------------------------------

@lru_cache(maxsize=None)
def phrase_tables() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in PHRASES.glob("*.json") if p.stem != "codes"}


@lru_cache(maxsize=None)
def sentences() -> list[str]:
    """Every event and deadline sentence of every phrase table, with its slots still open."""
    return [e["says"].strip("^$") for t in phrase_tables().values()
            for e in t.get("events", []) + t.get("deadlines", [])]


@lru_cache(maxsize=None)
def words() -> list[str]:
    out = []
    for t in phrase_tables().values():
        for group in ("status", "buttons", "dispute_stages", "labels"):
            for phrases in t.get(group, {}).values():
                out.extend(phrases)
        out.extend(t.get("months", {}))
    return sorted(set(out))


# Issue 13: numbers of 20-400 digits, digits that are not ASCII, and runs of one character up to 10,000.
huge_numbers = st.integers(20, 400).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n).filter(lambda s: s[0] != "0"))
foreign_digits = st.text(alphabet=st.characters(whitelist_categories=["Nd"]), min_size=1, max_size=20)
numbers = st.one_of(st.integers(0, 99).map(str), st.integers(0, 10**12).map(str), st.sampled_from(
    ["0", "00", "-1", "31", "32", "29", "2026", "9999", "99999999999999999999", "１２", "٣"]), huge_numbers,
    foreign_digits)
RUN_UNITS = ["x", "X", "*", "\u2022", "a.", "1:", "\u00a0", " ", "1", "a", "\n", "@", "+1 ", "<", "&", "ж"]
runs = st.builds(lambda unit, n: unit * n, st.sampled_from(RUN_UNITS), st.integers(1, 10_000))
lone_surrogates = st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1,
                          max_size=4)
hostile_texts = st.one_of(runs, huge_numbers, foreign_digits,
                          st.tuples(st.text(max_size=10), lone_surrogates, st.text(max_size=10)).map("".join))


@st.composite
def dates(draw) -> str:
    """Date-like strings, well formed or not: "Feb 30, 2026", "2026-13-45 25:61:00", "31 нояб. 99999 г."."""
    month = draw(st.sampled_from(sorted({m for t in phrase_tables().values() for m in t.get("months", {})})))
    d, y = draw(numbers), draw(numbers)
    return draw(st.sampled_from([f"{month.title()} {d}, {y}", f"{d} {month}. {y} г.", f"{y}-{d}-{d} {d}:{d}:{d}",
                                 f"{y}년 {d}월 {d}일", f"{d}/{d}/{y}", f"{month} {d}", f"{y}", month,
                                 f"{d} {month} {y}"]))


@st.composite
def countdowns(draw) -> str:
    units = phrase_tables()[draw(st.sampled_from(sorted(phrase_tables())))].get("countdown_units", {})
    parts = [f"{draw(numbers)} {draw(st.sampled_from(v))}" for v in units.values() if v and draw(st.booleans())]
    clock = f"{draw(numbers)}:{draw(numbers)}:{draw(numbers)}"
    return " ".join(parts + ([clock] if draw(st.booleans()) else [])) or clock


@st.composite
def sentence(draw) -> str:
    s = draw(st.sampled_from(sentences()))
    return (s.replace("{date}", draw(dates())).replace("{countdown}", draw(countdowns()))
            .replace("{days}", draw(numbers)))


texts = st.one_of(st.text(max_size=40), st.sampled_from(words()) if words() else st.text(), sentence(), dates(),
                  countdowns(), hostile_texts)

CLASSES = ["order-item", "order-item-header-status-text", "order-item-header-right-info", "order-item-content",
           "order-item-store-name", "order-item-btns", "comet-btn", "expose-info", "order-block-title",
           "order-block-desc", "order-status-block", "order-detail-info", "issue-wrap", "issue-status",
           "issue-status-title", "issue-countdown", "order-item-wraper", "order-status", "f-left", "info-body",
           "store-info", "left-sendgoods-day", "order-reminder", "order-bd", "grid-c", "ui-button", "contact-info"]
DATA_PL = ["order_item_header_status", "order_item_header_info", "order_detail_status", "order_detail_gray_id",
           "order_item_header_detail", "contact_info"]
TAGS = ["div", "span", "a", "p", "li", "ul", "table", "tbody", "tr", "td", "th", "dl", "dt", "dd", "button", "b",
        "label", "br", "img", "script", "style", "svg", "font"]


@st.composite
def attributes(draw) -> str:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        name, value = draw(st.sampled_from([
            ("class", st.lists(st.sampled_from(CLASSES), max_size=3).map(" ".join)),
            ("data-pl", st.sampled_from(DATA_PL)),
            ("href", st.one_of(st.sampled_from([u for u in URLS if u]), numbers.map(
                lambda n: f"//www.aliexpress.com/p/order/detail.html?orderId={n}"), st.text(max_size=20))),
            ("lefttime", st.one_of(numbers, st.text(max_size=8))),
            ("data-orderid", numbers), ("orderid", numbers),
            ("data-status", st.sampled_from(["WAIT_BUYER_ACCEPT_GOODS", "FINISH", "PLACE_ORDER_SUCCESS", "x", ""])),
            ("id", st.sampled_from(["countdown", "remain-day", "remain-hour", "container", "TP_ProductTable", "root"])),
            ("data-aliwatch-key", st.text(max_size=10)),
        ]))
        text = draw(value).replace("&", "&amp;").replace('"', "&quot;")
        out.append(f' {name}="{text}"')
    return "".join(out)


@st.composite
def html_fragments(draw, depth: int = 0) -> str:
    """Nested markup from AliExpress's own hooks, phrases and sentences, in random order and nesting."""
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 1))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            inner = draw(html_fragments(depth + 1))
            closed = draw(st.sampled_from([True, True, True, False]))  # sometimes left open
            parts.append(f"<{tag}{draw(attributes())}>{inner}" + (f"</{tag}>" if closed else ""))
        else:
            parts.append(draw(texts).replace("<", "&lt;"))
    return "".join(parts)


# --- mutations of the fixture pages ---------------------------------------------------------------------

CASES = [c for c in fixture_cases() if c != "list_en_big"]  # the 60-card page is for benchmarks, not fuzzing


@lru_cache(maxsize=None)
def parsed(case: str):
    page, truth = load_case(case)
    return lxml.html.document_fromstring(page), truth


def mutate(draw, root) -> dict[str, str]:
    """Random edits in place. Text that lxml cannot hold (control characters, lone surrogates) goes in as a
    placeholder; put it back with `serialise`."""
    later: dict[str, str] = {}
    elements = [el for el in root.iter() if isinstance(el.tag, str) and el.getparent() is not None]
    for _ in range(draw(st.integers(1, 6))):
        if not elements:
            return later
        el = elements[draw(st.integers(0, len(elements) - 1))]
        parent = el.getparent()
        op = draw(st.sampled_from(["delete", "drop_tag", "duplicate", "shuffle", "text", "attr", "sentence",
                                   "drop_class", "rename_class"]))
        if parent is None:
            continue
        if op == "delete":
            parent.remove(el)
        elif op == "drop_tag":
            el.drop_tag()  # keep the content, lose the element
        elif op == "duplicate":
            el.addnext(copy.deepcopy(el))
        elif op == "shuffle":
            children = list(el)
            order = draw(st.permutations(range(len(children)))) if children else []
            for child in children:
                el.remove(child)
            for k in order:
                el.append(children[k])
        elif op == "text":
            text = draw(st.one_of(st.text(max_size=30), hostile_texts))
            if not _xml_ok(text):
                later[f"\ue000{len(later)}\ue001"] = text
                text = f"\ue000{len(later) - 1}\ue001"
            el.text = text
        elif op == "attr":
            name = draw(st.sampled_from(sorted(el.attrib) + ["class", "data-pl", "href", "lefttime", "data-orderid"]))
            el.set(name, draw(st.one_of(st.text(max_size=20).filter(_xml_ok), numbers, st.sampled_from(CLASSES),
                                        runs.filter(_xml_ok))))
        elif op == "sentence":
            el.text = draw(sentence())
        elif op == "drop_class":  # a redesign: the element keeps its words and links, not its class
            el.attrib.pop("class", None)
        elif op == "rename_class":
            el.set("class", draw(st.from_regex(r"[a-z][A-Za-z0-9_-]{3,12}", fullmatch=True)))
        elements = [e for e in root.iter() if isinstance(e.tag, str) and e.getparent() is not None]
    return later


def serialise(root, later: dict[str, str]) -> str:
    page = lxml.html.tostring(root, encoding="unicode")
    for placeholder, text in later.items():
        page = page.replace(placeholder, text.replace("&", "&amp;").replace("<", "&lt;"))
    return page


def _xml_ok(text: str) -> bool:
    # lxml refuses control characters and lone surrogates in attribute values; the bytes tests cover those.
    return all(c in "\t\n\r" or (ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF and c not in "\ufffe\uffff")
               for c in text)


DIGITS = re.compile(r"\d+")


def scramble_numbers(draw, page: str) -> str:
    """Random numbers wherever the page has digits: dates, countdowns, `lefttime`, ids, prices."""
    runs = list(DIGITS.finditer(page))
    picks = draw(st.lists(st.integers(0, max(0, len(runs) - 1)), max_size=8, unique=True)) if runs else []
    out, last = [], 0
    for k in sorted(picks):
        m = runs[k]
        out += [page[last:m.start()], draw(numbers)]
        last = m.end()
    return "".join(out) + page[last:]
