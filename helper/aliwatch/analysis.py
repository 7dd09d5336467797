"""The one analysis path: markup → parse → deadlines → warnings → JSON (contract §1).

`aliwatch analyze` and the native host both call these functions, so the CLI shows exactly what the
extension's badges show."""
from __future__ import annotations

import contextlib
import functools
import gc
import html as htmllib
import re
from datetime import datetime, timezone

from aliwatch import phrases
from aliwatch.model import Context

SCHEMA = 1
MAX_CARDS = 500
# What one card may cost: a real card is under 100 KB of markup. A bigger one is not read (its answer says
# so with `card_too_large`), so no single card can hold the analysis worker for long (issue 13).
MAX_CARD_CHARS = 1_000_000
_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TABLE_OPEN = re.compile(r"^\s*<(tbody|thead|tfoot|tr)\b", re.IGNORECASE)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_KEY_IN_CARD = re.compile(r"data-aliwatch-key", re.IGNORECASE)  # only the wrappers below may carry it
# A card left inside a comment or a raw-text element (`<script>`, `<textarea>`…) would swallow the wrappers
# after it. Closing them is invisible when none is open: stray end tags are ignored, `<!-- -->` is empty.
_CLOSE_RAW = "<!-- --></script></style></textarea></title></xmp></iframe></noembed></noframes></noscript>"


class SnapshotError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def analyze_html(html: str | bytes, *, url: str | None = None, now: datetime | None = None, tz: str | None = None,
                 lang: str | None = None, ui_lang: str = "en", drafts: bool = True,
                 overrides: dict | None = None) -> dict:
    """The analysis (contract §1). drafts=False (the host's snapshot reply): a card names the problem its draft
    would assume (`draft_problem`) instead of carrying the composed messages; the panel asks for them.
    overrides: the words the user taught ({(lang, folded status text): status}, overrides.py), applied to
    orders whose status is unknown; the caller loads them (the host and the CLI from the store)."""
    from bs4 import BeautifulSoup

    from aliwatch.parse import parse_page
    from aliwatch.parse.detect import saved_from

    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    elif not html.isascii():
        html = _LONE_SURROGATE.sub("\ufffd", html)  # a broken emoji: lxml cannot hold it (issue 13)
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise ValueError("now must carry a UTC offset")
    if not 1970 <= now.year <= 9000:  # countdowns are added to it; near year 9999 that overflows
        raise ValueError(f"now must be between the years 1970 and 9000, not {now.year}")
    from aliwatch.dates import zone

    zone(tz)  # an unknown zone is the caller's error, said before any work
    url = url or saved_from(html)
    with _collector_paused():
        soup = BeautifulSoup(html, "lxml")
        ctx = _context(soup, url, now, tz, lang)
        page = parse_page(soup, ctx, keyed="data-aliwatch-key" in html)
        del soup  # unreachable before the collector is back: its first pass frees the tree, in one walk
        return _to_json(page, ctx, ui_lang, drafts, overrides)


@contextlib.contextmanager
def _collector_paused():
    """The cycle collector off while a tree is built and read. bs4 makes tens of thousands of objects that
    all live until the analysis ends, and each automatic collection would walk every one of them again: on a
    1,000-card page that made a card cost 1.6 times what it costs on a 60-card one. Reference counting still
    frees what it can; the tree (full of parent/child cycles) goes in one collection afterwards. Process-wide,
    so it is only re-enabled if it was on, and only for the length of one analysis."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _context(soup, url: str | None, now: datetime, tz: str | None, hint: str | None) -> Context:
    """The phrase table to read the page with: the caller's hint, `<html lang>`, the URL's subdomain, then the
    page's own words. A page that names a language we have no table for is read with the closest table but
    marked `lang_known=False`, so the result says so (a `problems` entry) instead of guessing silently."""
    html_el = soup.find("html")
    page_lang = html_el.get("lang") if html_el is not None else None
    for candidate in (hint, page_lang, _lang_from_url(url)):
        resolved = phrases.resolve(candidate)
        if resolved:
            return Context(url, now, tz, resolved)
    said = hint or page_lang
    guessed = _lang_from_text(soup)
    if guessed:
        return Context(url, now, tz, guessed, lang_known=not said)
    return Context(url, now, tz, phrases.FALLBACK, lang_known=False)


_URL_LANG = re.compile(r"^(?:https?:)?//([a-z]{2})\.aliexpress\.")
_URL_RU = re.compile(r"^(?:https?:)?//[^/]*aliexpress\.ru")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def _lang_from_url(url: str | None) -> str | None:
    if not url:
        return None
    m = _URL_LANG.match(url)
    if m and m.group(1) not in ("www",):
        return m.group(1)
    return "ru" if _URL_RU.match(url) else None


_SAMPLE_CHARS = 20_000  # the header, the tabs and the first cards: enough words, bounded cost
_MIN_HITS = 2
_WORDS = re.compile(r"[^\W\d_]+")


def _lang_from_text(soup) -> str | None:
    """The table whose words the page says most often, if some of them are status words, buttons or dispute
    stages (labels alone are shared too widely: "Ordernummer" is Dutch and Swedish); failing that, the script
    (Hangul → ko, Cyrillic → ru). A tie or a near-empty page gives None: no table is better than a wrong one."""
    sample = _visible_text(soup, _SAMPLE_CHARS)
    words = _WORDS.findall(_fold(sample))
    index = _phrase_index()
    hits: dict[str, int] = {}
    status_hits: dict[str, int] = {}
    for i, word in enumerate(words):
        for lang, phrase, is_status in index.get(word, ()):
            if len(phrase) == 1 or tuple(words[i:i + len(phrase)]) == phrase:
                hits[lang] = hits.get(lang, 0) + 1
                status_hits[lang] = status_hits.get(lang, 0) + is_status
    ranked = sorted(hits.items(), key=lambda kv: kv[1], reverse=True) + [("", 0), ("", 0)]
    (best, n), (_, runner_up) = ranked[0], ranked[1]
    if n >= _MIN_HITS and n > runner_up and status_hits.get(best):
        return best
    if _HANGUL.search(sample):
        return "ko"
    if len(_CYRILLIC.findall(sample)) > 20:
        return "ru"
    return None


def _visible_text(soup, limit: int) -> str:
    root = soup.body or soup
    parts: list[str] = []
    size = 0
    for piece in root.strings:  # bs4 leaves out script, style and comments
        parts.append(piece)
        size += len(piece)
        if size >= limit:
            break
    return " ".join(parts)


def _fold(text: str) -> str:
    from aliwatch.langguess import fold

    return fold(text)


@functools.lru_cache(maxsize=1)
def _phrase_index():
    """First word → (language, phrase words, is status) for every table: built at build time (langguess.py)."""
    from aliwatch import langguess

    return langguess.index()


def _to_json(page, ctx: Context, ui_lang: str, drafts: bool = True, overrides: dict | None = None) -> dict:
    from aliwatch import advice, deadlines, draft
    from aliwatch.dates import zone

    tzinfo = zone(ctx.tz)
    from aliwatch import ids

    orders = []
    for facts in page.orders:
        found = deadlines.resolve(facts)  # before any taught status: an override never moves a deadline
        taught = _teach(facts, ctx.lang, overrides)
        order_id = ids.order_id(facts.order_id)  # ASCII digits, or none: never ٨٢١٣ in a URL or the store
        if facts.order_id and order_id is None and not any(p.code == "no_order_id" for p in facts.problems):
            from aliwatch.model import Problem

            facts.problems.append(Problem("no_order_id", f"the order id {facts.order_id[:40]!r} is not ASCII digits"))
        facts.order_id = order_id
        order = {
            "order_id": facts.order_id,
            "status": facts.status,
            "status_text": facts.status_text,
            "deadlines": [d.to_json() for d in found],
            "warnings": advice.warnings(facts, found, ctx.now, ui_lang, tzinfo),
            "problems": [p.to_json() for p in facts.problems],
            "order_date": facts.order_date.date().isoformat() if facts.order_date else None,
            "store": facts.store,
            "items": facts.items,
            "total": facts.total,
            "requested_amount": facts.requested,
        }
        if taught:
            order["status_taught"] = True  # the user's word, not a phrase table's (the panel says so)
        _bound_amounts(order)
        if facts.key is not None:
            order["key"] = facts.key
        if facts.order_id:
            order["url"] = f"https://www.aliexpress.com/p/order/detail.html?orderId={facts.order_id}"
            if not drafts:  # composed on request (`draft`): most cards' panels are never opened
                order["draft_problem"] = draft.default_problem(facts.status)
                orders.append(order)
                continue
            card_draft = draft.for_card(order, ui_lang)  # the same composer as `aliwatch draft` and the host
            if card_draft is not None:
                order["evidence"] = card_draft.pop("evidence")  # checklist for the default problem
                order["draft"] = card_draft
        orders.append(order)
    problems = [p.to_json() for p in page.problems]
    for order in orders:  # the contract wants every unreadable order named at page level too
        for p in order["problems"]:
            problems.append({"code": p["code"], "text": f"order {order['order_id'] or order.get('key')}: {p['text']}"})
    return {"schema": SCHEMA, "page": page.kind, "lang": ctx.lang, "now": ctx.now.isoformat(), "orders": orders,
            "problems": problems}


def _teach(facts, lang: str, overrides: dict | None) -> bool:
    """Read an unknown status with the user's taught word, if one matches its exact folded text. The
    warnings and the draft's problem then follow from that status, as for any status."""
    from aliwatch.overrides import taught

    status = taught(overrides, lang, facts.status, facts.status_text)
    if status is None:
        return False
    facts.status = status
    facts.problems = [p for p in facts.problems if p.code != "unknown_status"]
    return True


def _bound_amounts(order: dict) -> None:
    """An amount past what an order can cost (money.MAX_AMOUNT) is left out and said, never sent as a
    number: 1e26 broke the draft, 400 digits became Infinity, which is not JSON (issue 13)."""
    for name in ("total", "requested_amount"):
        value = order[name]
        if isinstance(value, dict) and value.get("amount") is None:
            order[name] = None
            order["problems"].append({"code": "amount_out_of_range",
                                      "text": f"the {name.replace('_', ' ')} {value['text'][:40]!r} is not a "
                                              "readable amount"})


def snapshot_html(snapshot: dict) -> str:
    """The extension's cards as one document: each card inside a wrapper carrying its key."""
    cards = snapshot.get("cards")
    if not isinstance(cards, list) or not cards:
        raise SnapshotError("bad_snapshot", "cards must be a non-empty list")
    if len(cards) > MAX_CARDS:
        raise SnapshotError("bad_snapshot", f"at most {MAX_CARDS} cards per snapshot")
    seen = set()
    parts = []
    for i, card in enumerate(cards):
        if not isinstance(card, dict):
            raise SnapshotError("bad_snapshot", f"cards[{i}] is not an object")
        key, markup = card.get("key"), card.get("html")
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise SnapshotError("bad_snapshot", f"cards[{i}].key must match [A-Za-z0-9_-]{{1,64}}")
        if key in seen:
            raise SnapshotError("bad_snapshot", f"cards[{i}].key {key!r} is repeated")
        if not isinstance(markup, str):
            raise SnapshotError("bad_snapshot", f"cards[{i}].html must be a string")
        seen.add(key)
        if len(markup) > MAX_CARD_CHARS:
            markup = ""  # answered as unread, with card_too_large (analyze_snapshot)
        markup = _KEY_IN_CARD.sub("data-aliwatch-card-key", markup)
        if _TABLE_OPEN.match(markup):  # a legacy tbody only parses inside a table
            markup = f"<table>{markup}</table>"
        parts.append(f'<div data-aliwatch-key="{key}">{markup}{_CLOSE_RAW}</div>')
    lang = snapshot.get("lang") or ""
    return f'<html lang="{htmllib.escape(str(lang), quote=True)}"><body>{"".join(parts)}</body></html>'


def analyze_snapshot(snapshot: dict, now: datetime | None = None, overrides: dict | None = None) -> dict:
    """A `snapshot` message → the `analysis` reply body (without type/id/part framing). Cards carry
    `draft_problem`, not the composed draft: the panel asks the host's `draft` when it opens."""
    if not isinstance(snapshot, dict):
        raise SnapshotError("bad_snapshot", "the snapshot must be an object")
    url = snapshot.get("url")
    if not isinstance(url, str) or not url:
        raise SnapshotError("bad_snapshot", "url must be a non-empty string")
    for name in ("lang", "tz", "captured_at", "ui_lang"):
        if snapshot.get(name) is not None and not isinstance(snapshot[name], str):
            raise SnapshotError("bad_argument", f"{name} must be a string")
    markup = snapshot_html(snapshot)
    if snapshot.get("captured_at"):
        try:
            now = datetime.fromisoformat(snapshot["captured_at"].replace("Z", "+00:00"))
        except ValueError:
            raise SnapshotError("bad_argument", "captured_at must be ISO 8601") from None
        if now.tzinfo is None:
            raise SnapshotError("bad_argument", "captured_at must carry a UTC offset")
    try:
        result = analyze_html(markup, url=url, now=now, tz=snapshot.get("tz") or None,
                              lang=snapshot.get("lang") or None, ui_lang=snapshot.get("ui_lang") or "en",
                              drafts=False, overrides=overrides)
    except ValueError as exc:  # unknown tz
        raise SnapshotError("bad_argument", str(exc)) from None
    cards = result.pop("orders")
    result["cards"] = cards
    if result["page"] != "unknown":
        _answer_swallowed(snapshot, result, overrides)
        _say_too_large(snapshot, result)
    return result


def _say_too_large(snapshot: dict, result: dict) -> None:
    big = {c["key"] for c in snapshot["cards"] if len(c["html"]) > MAX_CARD_CHARS}
    for card in result["cards"]:
        if card.get("key") in big:
            text = f"the card's markup is over {MAX_CARD_CHARS} characters: not read"
            card["problems"].append({"code": "card_too_large", "text": text})
            result["problems"].append({"code": "card_too_large", "text": f"order {card['key']}: {text}"})


def _answer_swallowed(snapshot: dict, result: dict, overrides: dict | None = None) -> None:
    """Every card gets an answer: a card whose markup left a quote open (`<div class="x>`) swallowed the
    wrappers after it, so those cards are read again, each on its own, and put back in their place."""
    answered = {c.get("key") for c in result["cards"]}
    missing = [card for card in snapshot["cards"] if card["key"] not in answered]
    now = datetime.fromisoformat(result["now"])
    for card in missing:
        alone = analyze_snapshot({**snapshot, "cards": [card]}, now, overrides)
        result["cards"] += alone["cards"]
        result["problems"] += [p for p in alone["problems"] if p not in result["problems"]]
    if missing:
        place = {card["key"]: i for i, card in enumerate(snapshot["cards"])}
        result["cards"].sort(key=lambda c: place.get(c.get("key"), len(place)))
