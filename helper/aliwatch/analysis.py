"""The one analysis path: markup → parse → deadlines → warnings → JSON (contract §1).

`aliwatch analyze` and the native host both call these functions, so the CLI shows exactly what the
extension's badges show."""
from __future__ import annotations

import html as htmllib
import re
from datetime import datetime, timezone

from aliwatch import phrases
from aliwatch.model import Context

SCHEMA = 1
MAX_CARDS = 500
_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TABLE_OPEN = re.compile(r"^\s*<(tbody|thead|tfoot|tr)\b", re.IGNORECASE)


class SnapshotError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def analyze_html(html: str | bytes, *, url: str | None = None, now: datetime | None = None, tz: str | None = None,
                 lang: str | None = None, ui_lang: str = "en") -> dict:
    from bs4 import BeautifulSoup

    from aliwatch.parse import parse_page
    from aliwatch.parse.detect import saved_from

    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise ValueError("now must carry a UTC offset")
    from aliwatch.dates import zone

    zone(tz)  # an unknown zone is the caller's error, said before any work
    url = url or saved_from(html)
    soup = BeautifulSoup(html, "lxml")
    ctx = _context(soup, url, now, tz, lang)
    page = parse_page(soup, ctx)
    return _to_json(page, ctx, ui_lang)


def _context(soup, url: str | None, now: datetime, tz: str | None, hint: str | None) -> Context:
    html_el = soup.find("html")
    page_lang = html_el.get("lang") if html_el is not None else None
    for candidate in (hint, page_lang, _lang_from_url(url)):
        resolved = phrases.resolve(candidate)
        if resolved:
            return Context(url, now, tz, resolved)
    said = hint or page_lang
    guessed = _lang_from_script(soup)
    if guessed:
        return Context(url, now, tz, guessed, lang_known=not said)
    return Context(url, now, tz, phrases.FALLBACK, lang_known=not said)


def _lang_from_url(url: str | None) -> str | None:
    if not url:
        return None
    m = re.match(r"^(?:https?:)?//([a-z]{2})\.aliexpress\.", url)
    if m and m.group(1) not in ("www",):
        return m.group(1)
    return "ru" if re.match(r"^(?:https?:)?//[^/]*aliexpress\.ru", url) else None


def _lang_from_script(soup) -> str | None:
    sample = soup.get_text(" ")[:4000]
    if re.search(r"[\uac00-\ud7a3]", sample):
        return "ko"
    if len(re.findall(r"[а-яё]", sample, re.IGNORECASE)) > 20:
        return "ru"
    return None


def _to_json(page, ctx: Context, ui_lang: str) -> dict:
    from aliwatch import advice, deadlines
    from aliwatch.dates import zone
    from aliwatch.draft import draft

    tzinfo = zone(ctx.tz)
    orders = []
    for facts in page.orders:
        found = deadlines.resolve(facts)
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
        }
        if facts.key is not None:
            order["key"] = facts.key
        if facts.order_id:
            order["url"] = f"https://www.aliexpress.com/p/order/detail.html?orderId={facts.order_id}"
            order["draft"] = draft(facts)
        orders.append(order)
    problems = [p.to_json() for p in page.problems]
    for order in orders:  # the contract wants every unreadable order named at page level too
        for p in order["problems"]:
            problems.append({"code": p["code"], "text": f"order {order['order_id'] or order.get('key')}: {p['text']}"})
    return {"schema": SCHEMA, "page": page.kind, "lang": ctx.lang, "now": ctx.now.isoformat(), "orders": orders,
            "problems": problems}


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
        if _TABLE_OPEN.match(markup):  # a legacy tbody only parses inside a table
            markup = f"<table>{markup}</table>"
        parts.append(f'<div data-aliwatch-key="{key}">{markup}</div>')
    lang = snapshot.get("lang") or ""
    return f'<html lang="{htmllib.escape(str(lang), quote=True)}"><body>{"".join(parts)}</body></html>'


def analyze_snapshot(snapshot: dict, now: datetime | None = None) -> dict:
    """A `snapshot` message → the `analysis` reply body (without type/id/part framing)."""
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
                              lang=snapshot.get("lang") or None, ui_lang=snapshot.get("ui_lang") or "en")
    except ValueError as exc:  # unknown tz
        raise SnapshotError("bad_argument", str(exc)) from None
    cards = result.pop("orders")
    result["cards"] = cards
    return result
