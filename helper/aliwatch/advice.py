"""Warnings: what the buyer should do now, from (order facts, deadlines, now). Pure; contract §5.

Each rule is one row of RULES: the warning code, when it fires, and the deadline it is about. The words
(title, detail, action, and their variants once the deadline has passed) come from catalog/<lang>.json."""
from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from aliwatch import catalog
from aliwatch.deadlines import SELLER_ANSWERED
from aliwatch.model import Deadline, OrderFacts

NOT_RECEIVED = ("awaiting_shipment", "awaiting_delivery")
PROTECTION_MATTERS = ("awaiting_payment", "awaiting_shipment", "awaiting_delivery", "delivered")
NEAR = timedelta(days=14)  # protection_ending: 14 days away or less


def severity(due: datetime | None, now: datetime) -> str:
    if due is None:
        return "warning"  # advice with no clock (don't confirm, don't close) is a caution, always shown
    left = due - now
    if left < timedelta(0):
        return "expired"
    if left <= timedelta(hours=48):
        return "urgent"
    if left <= timedelta(days=7):
        return "warning"
    return "info"


def _past(d: Deadline | None, now: datetime) -> bool:
    return d is not None and d.at < now


def _future(d: Deadline | None, now: datetime) -> bool:
    return d is not None and d.at >= now


def _delivered_in_time(f: OrderFacts, d: dict) -> bool:
    """A parcel delivered before the promised date was not late, whatever the status heading says."""
    delivered = f.events.get("delivered")
    return delivered is not None and "delivery_promised" in d and delivered <= d["delivery_promised"].at


# (code, fires(facts, deadlines by kind, now), the deadline kind it is about or None)
RULES = [
    ("unrecognized", lambda f, d, now: f.status == "unknown", None),
    ("dont_confirm_yet", lambda f, d, now: f.status in ("awaiting_delivery", "delivered"), "protection_ends"),
    ("protection_ending", lambda f, d, now: f.status in PROTECTION_MATTERS and "protection_ends" in d
     and d["protection_ends"].at - now <= NEAR, "protection_ends"),
    ("dispute_window_closing", lambda f, d, now: f.status == "completed" and _future(d.get("dispute_window_ends"), now),
     "dispute_window_ends"),
    ("seller_deadline", lambda f, d, now: f.status == "in_dispute" and f.stage not in SELLER_ANSWERED
     and _future(d.get("seller_response_due"), now), "seller_response_due"),
    ("seller_deadline_missed", lambda f, d, now: f.status == "in_dispute" and f.stage not in SELLER_ANSWERED
     and _past(d.get("seller_response_due"), now), "seller_response_due"),
    ("dont_close_dispute", lambda f, d, now: f.status == "in_dispute", None),
    ("return_ship_by", lambda f, d, now: f.status == "in_dispute" and "return_ship_by" in d, "return_ship_by"),
    ("refund_overdue", lambda f, d, now: _past(d.get("refund_expected_by"), now), "refund_expected_by"),
    ("payment_due", lambda f, d, now: f.status == "awaiting_payment" and "payment_due" in d, "payment_due"),
    ("seller_late_shipping", lambda f, d, now: f.status == "awaiting_shipment" and _past(d.get("ship_by"), now),
     "ship_by"),
    ("late_delivery_compensation", lambda f, d, now: f.status in NOT_RECEIVED
     and _past(d.get("delivery_promised"), now) and not _delivered_in_time(f, d), "delivery_promised"),
]
# Advice with no clock is not about a deadline, even when one is known (dont_confirm_yet only mentions it).
_NO_DUE = {"dont_confirm_yet"}
_ORDER = {"expired": 0, "urgent": 1, "warning": 2, "info": 3}


def _needs_ladder(code: str, due: datetime | None, now: datetime) -> bool:
    """The escalation ladder (bank statement → customer service → PayPal → chargeback) is the next step
    once the refund is overdue or buyer protection has run out."""
    return code == "refund_overdue" or (code == "protection_ending" and due is not None and due < now)


def warnings(facts: OrderFacts, deadlines: list[Deadline], now: datetime, lang: str = "en",
             tz: tzinfo | None = None) -> list[dict]:
    """Contract §5 warnings, each with title, detail and `action` (the one thing to do now), in `lang`."""
    by_kind = {d.kind: d for d in deadlines}
    texts = catalog.load(lang)
    out = []
    for code, fires, kind in RULES:
        if not fires(facts, by_kind, now):
            continue
        about = by_kind.get(kind) if kind and code not in _NO_DUE else None
        due = about.at if about else None
        title, detail, action = _words(texts, code, about, now, tz)
        warning = {"code": code, "severity": severity(due, now), "due": due.isoformat() if due else None,
                   "title": title, "detail": detail, "action": action}
        if _needs_ladder(code, due, now):
            warning["escalation"] = ladder(texts)
        out.append(warning)
    out.sort(key=lambda w: (_ORDER[w["severity"]], w["due"] is None, w["due"] or ""))
    return out


def ladder(texts: dict) -> list[dict]:
    """The four escalation steps, in order: [{step, id, text}]."""
    return [{"step": i, "id": s["id"], "text": s["text"]} for i, s in enumerate(texts["escalation"], 1)]


def _words(texts: dict, code: str, about: Deadline | None, now: datetime,
           tz: tzinfo | None) -> tuple[str, str, str]:
    entry = texts["warnings"][code]
    if about is None:  # advice with no clock: its texts have no placeholders
        return entry["title"], entry["detail"], entry["action"]
    left = about.at - now
    title, detail, action = entry["title"], entry["detail"], entry["action"]
    if left < timedelta(0):  # a passed deadline changes what to do, not only the tense
        title, detail = entry.get("title_past", title), entry.get("detail_past", detail)
        action = entry.get("action_past", action)
    elif "title_soon" in entry and left < timedelta(days=2):
        title = entry["title_soon"]
    local = about.at.astimezone(tz) if tz else about.at
    date = catalog.format_date(texts, local.date())
    days = catalog.count(texts, "day", max(0, left.days))
    when = humanize(left, texts)
    return title.format(when=when, days=days), detail.format(date=date), action.format(date=date)


def humanize(left: timedelta, texts: dict) -> str:
    """'in 3 days', 'через 3 дня', 'il y a 2 heures': the largest whole unit, in the catalogue's words."""
    when = texts["when"]
    past = left < timedelta(0)
    span = -left if past else left
    if span >= timedelta(days=1):
        n, unit = span.days, "day"
    elif span >= timedelta(hours=1):
        n, unit = span.seconds // 3600, "hour"
    elif span >= timedelta(minutes=1):
        n, unit = span.seconds // 60, "minute"
    else:
        return when["now"]
    return when["past" if past else "future"].format(span=catalog.count(texts, unit, n))
