"""The one analysis path: markup → parse → deadlines → warnings → JSON (contract §1). This module checks the
snapshot and runs the pipeline; langguess.py chooses the phrase table, shape.py writes the JSON.

`aliwatch analyze` and the native host both call these functions, so the CLI shows exactly what the
extension's badges show."""
from __future__ import annotations

import contextlib
import gc
import html as htmllib
import re
from datetime import datetime, timezone

from aliwatch.model import Context, FieldError
from aliwatch.shape import SCHEMA, to_json  # noqa: F401  (SCHEMA: the analysis's schema version)

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


class SnapshotError(FieldError):
    """A snapshot the analysis cannot use, naming the field at fault (`url`, `cards[2].key`, `tz`…; None: the
    snapshot itself). The host's snapshot handler turns it into a protocol code."""


def analyze_html(html: str | bytes, *, url: str | None = None, now: datetime | None = None, tz: str | None = None,
                 lang: str | None = None, ui_lang: str = "en", overrides: dict | None = None) -> dict:
    """The analysis (contract §1). A card names the problem its draft would assume (`draft_problem`); the
    composed messages come on request (the host's `draft`), or from draft.attach (the CLI's analysis).
    overrides: the words the user taught ({(lang, folded status text): status}, overrides.py), applied to
    orders whose status is unknown; the caller loads them (the host and the CLI from the store)."""
    from aliwatch.parse import parse_page
    from aliwatch.parse.detect import saved_from
    from aliwatch.soup import make_soup

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
        soup = make_soup(html)
        ctx = _context(soup, url, now, tz, lang)
        page = parse_page(soup, ctx, keyed="data-aliwatch-key" in html)
        del soup  # unreachable before the collector is back: its first pass frees the tree, in one walk
        return to_json(page, ctx, ui_lang, overrides)


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
    """The phrase table to read the page with (langguess.choose), marked `lang_known=False` when it is only
    the closest table, so the result says so (a `problems` entry) instead of guessing silently."""
    from aliwatch import langguess

    html_el = soup.find("html")
    page_lang = html_el.get("lang") if html_el is not None else None
    lang, known = langguess.choose(hint, page_lang, url, lambda: langguess.visible_text(soup))
    return Context(url, now, tz, lang, lang_known=known)


def snapshot_html(snapshot: dict) -> str:
    """The extension's cards as one document: each card inside a wrapper carrying its key."""
    cards = snapshot.get("cards")
    if not isinstance(cards, list) or not cards:
        raise SnapshotError("cards", "cards must be a non-empty list")
    if len(cards) > MAX_CARDS:
        raise SnapshotError("cards", f"at most {MAX_CARDS} cards per snapshot")
    seen = set()
    parts = []
    for i, card in enumerate(cards):
        if not isinstance(card, dict):
            raise SnapshotError(f"cards[{i}]", f"cards[{i}] is not an object")
        key, markup = card.get("key"), card.get("html")
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise SnapshotError(f"cards[{i}].key", f"cards[{i}].key must match [A-Za-z0-9_-]{{1,64}}")
        if key in seen:
            raise SnapshotError(f"cards[{i}].key", f"cards[{i}].key {key!r} is repeated")
        if not isinstance(markup, str):
            raise SnapshotError(f"cards[{i}].html", f"cards[{i}].html must be a string")
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
        raise SnapshotError(None, "the snapshot must be an object")
    url = snapshot.get("url")
    if not isinstance(url, str) or not url:
        raise SnapshotError("url", "url must be a non-empty string")
    for name in ("lang", "tz", "captured_at", "ui_lang"):
        if snapshot.get(name) is not None and not isinstance(snapshot[name], str):
            raise SnapshotError(name, f"{name} must be a string")
    markup = snapshot_html(snapshot)
    if snapshot.get("captured_at"):
        try:
            now = datetime.fromisoformat(snapshot["captured_at"].replace("Z", "+00:00"))
        except ValueError:
            raise SnapshotError("captured_at", "captured_at must be ISO 8601") from None
        if now.tzinfo is None:
            raise SnapshotError("captured_at", "captured_at must carry a UTC offset")
    from aliwatch.dates import zone

    try:
        zone(snapshot.get("tz") or None)
    except ValueError as exc:
        raise SnapshotError("tz", str(exc)) from None
    try:
        result = analyze_html(markup, url=url, now=now, tz=snapshot.get("tz") or None,
                              lang=snapshot.get("lang") or None, ui_lang=snapshot.get("ui_lang") or "en",
                              overrides=overrides)
    except ValueError as exc:  # a capture time too far out to count from
        raise SnapshotError("captured_at", str(exc)) from None
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
