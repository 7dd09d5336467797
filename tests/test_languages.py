"""Reading AliExpress pages in every language, by data (issue #3).

The shared English fixtures are translated by tests/lang_cases/<lang>.json: pairs of English page text and
what the localised page says instead, plus the language's month names and date shapes. A translated page
must read exactly as its English original (same order ids, statuses, order dates, deadlines with their
moment and basis, warning codes) and still meet the original truth.json. The order links are removed from
every translated page, so the order ids come from the localised labels. Then: the language found from the
text alone, statuses from buttons alone, every countdown shape, an unknown language that is never guessed,
the schema of every phrase table, and a new language added as one file.
"""
from __future__ import annotations

import itertools
import json
import re
import shutil
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from aliwatch import dates, dateshapes, langguess, phrases, vocab
from aliwatch.analysis import analyze_html
from aliwatch.soup import make_soup
from aliwatch.text import scan
from helpers.fixtures import load_case

CASES = Path(__file__).parent / "lang_cases"
REQUIRED = ("en", "ru", "es", "pt", "fr", "de", "pl", "it", "tr", "ko", "nl")
PAGES = ("list_en_mixed", "detail_en_awaiting_delivery", "detail_en_completed", "dispute_en_awaiting_seller",
         "dispute_en_return_accepted", "dispute_en_refund_granted")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EN_DATE = r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}\b"
_EN_DATE_PARTS = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}), (\d{4})\b")
_ORDER_LINK = re.compile(r"\b(?:trade)?orderId=", re.IGNORECASE)
_STATUS_SPAN = re.compile(r'(<span class="order-item-header-status-text">)[^<]*(</span>)')
_COUNTDOWN_SPAN = re.compile(r'<span class="issue-countdown">.*?</span></span>', re.DOTALL)
# Every countdown shape must be read on every page, whatever the page's language.
UNIVERSAL_COUNTDOWNS = {"12 days 05:32:11": 1056731, "12D 05:32:11": 1056731, "05:32:11": 19931,
                        "2 days 3 hours": 183600}
CONTRACT_STATUSES = set(vocab.STATUSES)
CONTRACT_KINDS = set(vocab.DEADLINE_KINDS)
EVENTS = {"placed", "paid", "shipped", "completed", "delivered", "dispute_opened", "return_accepted", "refund_granted"}
STAGES = {"seller_to_respond", "seller_responded", "buyer_to_return", "refund_granted"}
TABLE_KEYS = {"lang", "name", "status", "buttons", "dispute_stages", "labels", "events", "deadlines", "countdown_units",
              "months", "tracking", "inflections", "guard_buttons", "personal_labels"}


# --- building the translated pages ------------------------------------------------------------------------

@lru_cache(maxsize=None)
def case(lang: str) -> dict:
    return json.loads((CASES / f"{lang}.json").read_text("utf-8"))


def known_langs() -> list[str]:
    return sorted(p.stem for p in CASES.glob("*.json") if not case(p.stem).get("unknown"))


def translated_cases() -> list[tuple[str, str]]:
    return [(lang, name) for lang in known_langs() for name in case(lang).get("pages", PAGES)]


@lru_cache(maxsize=None)
def _pattern(english: str) -> re.Pattern:
    """English text with slots: {date} is an English date, any other {name} is kept as it stands."""
    out = []
    for piece in re.split(r"(\{\w+\})", english):
        if piece == "{date}":
            out.append(f"(?P<date>{_EN_DATE})")
        elif re.fullmatch(r"\{\w+\}", piece):
            out.append(f"(?P<{piece[1:-1]}>.+?)")
        elif piece:
            out.append(re.escape(piece))
    return re.compile("".join(out), re.DOTALL)


def translate(html: str, data: dict, used: set[int] | None = None) -> str:
    """Replace the English strings (longest first, so sentences go before their words), then the dates."""
    pairs = sorted(enumerate(data["replace"]), key=lambda p: len(p[1][0]), reverse=True)
    for i, (english, local) in pairs:
        def put(m: re.Match, local: str = local) -> str:
            return re.sub(r"\{(\w+)\}", lambda k: m.group(k[1]), local)

        html, n = _pattern(english).subn(put, html)
        if n and used is not None:
            used.add(i)
    turn = itertools.count()

    def date(m: re.Match) -> str:
        month, day = EN_MONTHS.index(m[1]) + 1, int(m[2])
        fmt = data["date_formats"][next(turn) % len(data["date_formats"])]
        mon = data["months"][month - 1] if data["months"] else ""  # Korean dates have no month names
        return fmt.format(d=day, dd=f"{day:02d}", m=month, mm=f"{month:02d}", mon=mon, y=m[3])

    return _EN_DATE_PARTS.sub(date, html)


def page(name: str, lang: str, *, with_lang: bool = True, links: bool = False) -> tuple[str, dict]:
    html, truth = load_case(name)
    data = case(lang)
    html = translate(html if links else _ORDER_LINK.sub("ref=", html), data)
    html = html.replace('<html lang="en"', f'<html lang="{data["html_lang"]}"' if with_lang else "<html", 1)
    return html, truth


def run(html: str, truth: dict, *, lang: str | None = None) -> dict:
    """Analyse as the extension would on a page of unknown address: no orderId in the URL, no subdomain."""
    return analyze_html(html, url=truth["url"].split("?")[0], now=datetime.fromisoformat(truth["now"]),
                        tz=truth["tz"], lang=lang)


def summary(result: dict) -> dict:
    return {o["order_id"]: {"status": o["status"], "order_date": o["order_date"],
                            "deadlines": sorted((d["kind"], d["at"], d["basis"]) for d in o["deadlines"]),
                            "warnings": sorted(w["code"] for w in o["warnings"])} for o in result["orders"]}


@lru_cache(maxsize=None)
def original(name: str) -> dict:
    html, truth = load_case(name)
    return analyze_html(html, url=truth["url"], now=datetime.fromisoformat(truth["now"]), tz=truth["tz"])


def meets_truth(result: dict, truth: dict) -> None:
    assert result["page"] == truth["page"]
    got = {o["order_id"]: o for o in result["orders"]}
    assert set(got) == set(truth["orders"])
    for oid, want in truth["orders"].items():
        order = got[oid]
        assert order["status"] == want["status"], oid
        kinds = {d["kind"]: d["at"] for d in order["deadlines"]}
        assert set(kinds) == set(want.get("deadlines", kinds)), oid
        for kind, when in want.get("deadlines", {}).items():
            at = datetime.fromisoformat(kinds[kind])
            if "T" in when:
                assert abs((at - datetime.fromisoformat(when)).total_seconds()) <= 1, (oid, kind)
            else:
                assert at.astimezone(ZoneInfo(truth["tz"])).date().isoformat() == when, (oid, kind)
        codes = {w["code"]: w["severity"] for w in order["warnings"]}
        assert set(want.get("warnings", [])) <= set(codes), oid
        assert not set(want.get("absent_warnings", [])) & set(codes), oid
        for code, sev in want.get("severities", {}).items():
            assert codes[code] == sev, (oid, code)


def english_left(html: str) -> list[str]:
    """English event and deadline sentences still readable on a translated page: none may be, or the
    English table (always consulted after the page's own) would do the work the translation should."""
    text = scan(make_soup(html).body).joined
    en = phrases.load("en")
    return [s.source for s in en.events + en.deadlines if any(True for _ in s.find(text, en.countdown))]


# --- every language reads the shared pages ----------------------------------------------------------------

def test_every_required_language_has_a_table_and_cases():
    assert set(REQUIRED) <= set(phrases.available())
    assert set(REQUIRED) <= set(known_langs())


@pytest.mark.parametrize("lang,name", translated_cases())
def test_translated_page_reads_like_the_original(lang, name):
    html, truth = page(name, lang)
    result = run(html, truth)
    assert result["lang"] == lang
    assert not [p for p in result["problems"] if p["code"] == "unknown_language"]
    assert summary(result) == summary(original(name))
    meets_truth(result, truth)
    if lang != "en":
        english = {o["order_id"]: o["status_text"] for o in original(name)["orders"]}
        for order in result["orders"]:
            assert order["status_text"] != english[order["order_id"]], "the status must be read in the page language"
        assert english_left(html) == []


@pytest.mark.parametrize("lang", [x for x in known_langs() if x != "en"])
def test_every_translation_pair_is_used(lang):
    used: set[int] = set()
    for name in case(lang).get("pages", PAGES):
        translate(load_case(name)[0], case(lang), used)
    unused = [pair[0] for i, pair in enumerate(case(lang)["replace"]) if i not in used]
    assert unused == [], "these English strings are not on the fixture pages any more"


@pytest.mark.parametrize("lang,name", translated_cases())
def test_language_is_found_from_the_text_alone(lang, name):
    html, truth = page(name, lang, with_lang=False)
    assert "<html lang" not in html
    result = run(html, truth)
    assert result["lang"] == lang
    assert not [p for p in result["problems"] if p["code"] == "unknown_language"]
    assert summary(result) == summary(original(name))


@pytest.mark.parametrize("lang", known_langs())
def test_buttons_alone_give_the_status(lang):
    """With every status text blanked, "Pay now" and "Confirm received" still say where the order stands."""
    html, truth = page("list_en_mixed", lang)
    blank = run(_STATUS_SPAN.sub(r"\1\2", html), truth)
    english, en_truth = load_case("list_en_mixed")
    baseline = run(_STATUS_SPAN.sub(r"\1\2", english), en_truth)
    statuses = {o["order_id"]: o["status"] for o in blank["orders"]}
    assert statuses == {o["order_id"]: o["status"] for o in baseline["orders"]}
    assert {"awaiting_payment", "awaiting_delivery"} <= set(statuses.values())
    for order in blank["orders"]:
        if order["status"] == "unknown":
            assert "unrecognized" in {w["code"] for w in order["warnings"]}


def countdown_cases() -> list[tuple[str, str, int]]:
    return [(lang, shown, secs) for lang in known_langs()
            for shown, secs in {**UNIVERSAL_COUNTDOWNS, **case(lang).get("countdowns", {})}.items()]


@pytest.mark.parametrize("lang,shown,seconds", countdown_cases())
def test_countdown_shapes(lang, shown, seconds):
    html, truth = page("dispute_en_awaiting_seller", lang)
    html, n = _COUNTDOWN_SPAN.subn(shown, html)
    assert n == 1
    (order,) = run(html, truth)["orders"]
    due = [d for d in order["deadlines"] if d["kind"] == "seller_response_due"]
    assert [d["basis"] for d in due] == ["countdown"], shown
    now = datetime.fromisoformat(truth["now"])
    assert datetime.fromisoformat(due[0]["at"]) == now + timedelta(seconds=seconds)


def date_cases() -> list[tuple[str, str, str]]:
    return [(lang, shown, want) for lang in known_langs() for shown, want in case(lang).get("date_shapes", {}).items()]


@pytest.mark.parametrize("lang,shown,expected", date_cases())
def test_date_shapes_are_read_on_the_fast_path(lang, shown, expected):
    """Each language's usual shapes fill a {date} slot (DATE_RE) and are read without dateparser, which costs
    a third of a second to import and is only the fallback."""
    assert dateshapes.DATE_RE.fullmatch(shown)
    assert dates._fast(shown, lang) == datetime.fromisoformat(expected)
    assert dates.parse_date(shown, lang, "Europe/Warsaw") == datetime.fromisoformat(expected).replace(
        tzinfo=ZoneInfo("Europe/Warsaw"))


@pytest.mark.parametrize("lang", [x for x in known_langs() if case(x)["months"]])
def test_month_names_are_read(lang):
    data = case(lang)
    for names in (data["months"], data.get("months_full", [])):
        for number, name in enumerate(names, start=1):
            assert dates.month_number(name, lang) == number, name


# --- a language we have no table for ----------------------------------------------------------------------

def _unknown_cases() -> list[str]:
    return sorted(p.stem for p in CASES.glob("*.json") if case(p.stem).get("unknown"))


@pytest.mark.parametrize("lang", _unknown_cases())
@pytest.mark.parametrize("with_lang", [True, False])
def test_unknown_language_is_never_guessed(lang, with_lang):
    assert lang not in phrases.available()
    html, truth = page("list_en_mixed", lang, with_lang=with_lang, links=True)  # ids from links: no language
    result = run(html, truth)
    assert {o["order_id"] for o in result["orders"]} == set(truth["orders"])
    for order in result["orders"]:
        assert order["status"] == "unknown", order["status_text"]
        assert "unrecognized" in {w["code"] for w in order["warnings"]}
        assert any(p["code"] == "unknown_status" for p in order["problems"])
    page_problems = {p["code"] for p in result["problems"]}
    assert "unknown_status" in page_problems
    assert "unknown_language" in page_problems
    assert result["lang"] == phrases.FALLBACK  # no table claims a page whose status words it does not know


# --- the tables are data: schema, consistency, and a new language as one file -----------------------------

def table_files() -> list[Path]:
    return sorted(p for p in Path(phrases.__file__).parent.glob("*.json") if p.stem != "codes")


@pytest.mark.parametrize("path", table_files(), ids=lambda p: p.stem)
def test_phrase_table_schema(path):
    raw = json.loads(path.read_text("utf-8"))
    assert {k for k in raw if not k.startswith("_")} <= TABLE_KEYS
    assert raw["lang"] == path.stem
    assert set(raw["status"]) <= CONTRACT_STATUSES
    assert set(raw.get("buttons", {})) <= CONTRACT_STATUSES
    assert set(raw.get("dispute_stages", {})) <= STAGES
    assert set(raw.get("labels", {})) <= {"order_id", "total", "refund_amount", "status"} and raw["labels"].get("order_id")
    assert set(raw.get("tracking", {})) <= {"delivered"}  # a tracking event only ever proves delivery
    assert all(isinstance(e, str) and e for e in raw.get("inflections", []))
    for group in ("status", "buttons", "dispute_stages"):
        keys = [phrases._key(p) for ps in raw.get(group, {}).values() for p in ps]
        assert len(keys) == len(set(keys)), f"{group}: a phrase is listed twice or under two values"
    for e in raw.get("events", []):
        assert e["event"] in EVENTS
        assert _slots(e["says"]) == ["date"], e["says"]
    for d in raw.get("deadlines", []):
        assert d["kind"] in CONTRACT_KINDS
        slots = _slots(d["says"])
        assert len(slots) == 1 and slots[0] in ("date", "days", "countdown"), d["says"]
        assert ("from" in d) == (slots == ["days"]), f"{d['says']}: a {{days}} window needs a known 'from' event"
        assert d.get("from", "placed") in EVENTS
    units = raw.get("countdown_units", {})
    assert set(units) <= {"days", "hours", "minutes", "seconds"}
    seconds = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
    for kind, words in units.items():
        for w in words:  # a table may add unit words, never give an English one another meaning
            assert dateshapes.BASE_UNITS.get(w.casefold(), seconds[kind]) == seconds[kind], w
    months = raw.get("months", {})
    assert not months or set(months.values()) == set(range(1, 13)), "months: all twelve or none"
    for stem in months:
        assert 3 <= len(stem) <= 5 and stem == stem.casefold(), f"{stem}: prefix matching reads 3 to 5 letters"
    guards = raw["guard_buttons"]  # the extension's guards intercept these (build.py writes them out)
    assert set(guards) == {"confirm_received", "close_dispute"} and guards["close_dispute"]
    confirm = {phrases._key(p) for p in raw.get("buttons", {}).get("awaiting_delivery", [])}
    assert confirm.isdisjoint(phrases._key(p) for p in guards["confirm_received"]), "listed in buttons already"
    assert confirm | set(guards["confirm_received"]), "no confirm-received wording at all"
    personal = raw["personal_labels"]  # the anonymiser (report/) replaces what follows these
    assert set(personal) == {"value", "column"} and personal["value"]
    for label in personal["value"] + personal["column"]:
        assert label == label.lower().strip() and not label.endswith(":"), label
    table = phrases.load(path.stem)  # every template and label compiles
    assert len(table.events) == len(raw.get("events", [])) and len(table.deadlines) == len(raw.get("deadlines", []))


def _slots(template: str) -> list[str]:
    stray = re.sub(r"\{(date|days|countdown)\}", "", template)
    assert "{" not in stray and "}" not in stray, template
    return re.findall(r"\{(\w+)\}", template)


def test_a_phrase_means_the_same_in_every_table():
    """Statuses are looked up in every table when the page's own fails: a phrase shared by two languages
    ("cancelado", "total") must not mean two things."""
    for group in ("status", "buttons", "stages"):
        seen: dict[str, tuple[str, str]] = {}
        for lang in phrases.available():
            for key, value in getattr(phrases.load(lang), group).items():
                first = seen.setdefault(key, (lang, value))
                assert first[1] == value, f"{group} {key!r}: {first[0]} says {first[1]}, {lang} says {value}"


def test_every_template_reads_its_own_sentence():
    """Each deadline and event template, with a date, a day count or a countdown put into its slot, is read
    back by its own table with that value (catches a template that can never match, e.g. a typo'd slot)."""
    fill = {"date": "2026-12-01", "days": "15", "countdown": "3 days 04:05:06"}
    for lang in phrases.available():
        table = phrases.load(lang)
        for s in table.events + table.deadlines:
            slot = _slots(s.source)[0]
            text = re.sub(r"\{\w+\}", fill[slot], s.source.lstrip("^").replace("…", " 5,00 € "))
            got = [(name, value) for _m, name, value in s.find(text, table.countdown)]
            assert (slot, fill[slot]) in got, f"{lang}: {s.source!r} does not read {text!r}"


@pytest.fixture
def tables_in(tmp_path, monkeypatch):
    """A copy of the phrase tables that a test may add to; every cache built from the tables is reset."""
    for p in Path(phrases.__file__).parent.glob("*.json"):
        shutil.copy(p, tmp_path / p.name)

    def reset() -> None:
        for cached in (phrases.available, phrases.load, phrases._codes, langguess.phrase_index, dates._parse_naive):
            cached.cache_clear()

    reset()
    monkeypatch.setattr(phrases, "_DIR", str(tmp_path))
    yield tmp_path
    monkeypatch.undo()
    reset()


def test_a_new_language_is_one_file(tables_in):
    """Swedish is unknown (see above) until its table is dropped in; then the same page reads, no code."""
    shutil.copy(CASES / "new_table" / "sv.json", tables_in / "sv.json")
    assert "sv" in phrases.available()
    for with_lang in (True, False):
        html, truth = page("list_en_mixed", "sv", with_lang=with_lang)
        result = run(html, truth)
        assert result["lang"] == "sv"
        assert summary(result) == summary(original("list_en_mixed"))
        meets_truth(result, truth)
