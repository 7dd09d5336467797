"""Drafted dispute messages: one to AliExpress administration, one to the seller. Pure and data-driven.

Sentences come from drafts/<lang>.json and stay at 12 words or fewer, because sellers and moderators
read them through machine translation. Facts only: order number, date, what was ordered, what went wrong
(a bracketed placeholder the buyer fills in), the evidence attached (evidence.json for the problem kind)
and the outcome asked for, with the amount in the order's currency. The input is an analysis card (the
same object the extension holds), so `aliwatch draft`, the host's `draft` message and the analysis's
per-card draft are one code path."""
from __future__ import annotations

import json
import os
from datetime import date
from functools import lru_cache

from aliwatch import calc, catalog, vocab
from aliwatch.drafts import default_problem, problems_table
from aliwatch.ids import is_order_id
from aliwatch.model import FieldError
from aliwatch.money import MAX_AMOUNT

PROBLEMS = vocab.PROBLEMS
OUTCOMES = ("refund", "return")
MAX_WORDS = 12
MAX_TITLE_CHARS = 300
MAX_ITEMS = 3  # items named in the message; the rest are counted
FALLBACK = "en"
_HERE = os.path.dirname(__file__)
_DRAFTS = os.path.join(_HERE, "drafts")


class DraftError(FieldError):
    """A request the composer cannot honour, naming the field (CLI: exit 2; host: bad_argument)."""


@lru_cache(maxsize=None)
def _json(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def evidence_table() -> dict:
    return _json(os.path.join(_HERE, "evidence.json"))


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    return tuple(sorted(f[:-5] for f in os.listdir(_DRAFTS) if f.endswith(".json") and f != "problems.json"))


def resolve_lang(lang: str | None) -> str:
    """The draft language used for a UI language: its base tag when there are templates, else English."""
    base = catalog.base_lang(lang)
    return base if base in languages() else FALLBACK


@lru_cache(maxsize=None)  # raises for unknown names, and exceptions are not cached: bounded by the files
def templates(lang: str) -> dict:
    if lang not in languages():
        raise DraftError("lang", f"no draft templates for {lang!r} (available: {', '.join(languages())})")
    return _json(os.path.join(_DRAFTS, f"{lang}.json"))


def suggestion(problem: str) -> dict:
    row = problems_table()["kinds"][problem]
    return {"percent": row["percent"], "range": list(row["range"]), "outcomes": list(row["outcomes"])}


def evidence(problem: str, lang: str) -> list[dict]:
    """The checklist for a problem kind: [{id, text}] with stable ids, in the language's words."""
    words = templates(lang)["evidence"]
    return [{"id": i, "text": words[i]["check"]} for i in evidence_table()["kinds"][problem]]


def compose(order: dict, problem: str, *, outcome: str | None = None, percent: int | None = None,
            lang: str = "en") -> dict:
    """Both messages for one order card.

    order: an analysis card, or the subset {order_id, order_date (YYYY-MM-DD), total {amount, currency},
    items [{title}], status}. Returns {lang, problem, outcome, percent, suggested_percent, percent_range,
    reason, amount, to_admin, to_seller, text, evidence}; `text` repeats `to_admin` for older panels."""
    if problem not in PROBLEMS:
        raise DraftError("problem", f"problem must be one of {', '.join(PROBLEMS)}")
    t = templates(lang)
    hint = suggestion(problem)
    outcome = outcome or hint["outcomes"][0]
    if outcome not in OUTCOMES:
        raise DraftError("outcome", f"outcome must be one of {', '.join(OUTCOMES)}")
    if outcome not in hint["outcomes"]:
        raise DraftError("outcome", f"{outcome} does not fit {problem} (possible: {', '.join(hint['outcomes'])})")
    if outcome == "return":
        if percent is not None and percent != 100:
            raise DraftError("percent", "a return is refunded in full: --percent applies to a refund only")
        percent = 100
    else:
        try:
            percent = hint["percent"] if percent is None else calc.check_percent(percent)
        except calc.CalcError as exc:
            raise DraftError("percent", exc.message) from None
    facts = _facts(order)
    amount = _amount(facts["total"], percent, t["number"])
    fill = t["fill"]
    values = {
        "order_id": facts["order_id"] or fill["order_id"],
        "order_date": _date(facts["order_date"], lang) or fill["order_date"],
        "arrived": fill["arrived"], "defect": fill["defect"], "fault": fill["fault"], "missing": fill["missing"],
        "percent": percent, "amount": amount["text"] if amount else "",
    }
    to_admin = _admin(t, problem, outcome, percent, amount, facts, values)
    return {
        "lang": lang,
        "problem": problem,
        "outcome": outcome,
        "percent": percent,
        "suggested_percent": hint["percent"],
        "percent_range": hint["range"],
        "reason": t["reasons"][problem],
        "amount": amount,
        "to_admin": to_admin,
        "to_seller": _seller(t, problem, outcome, percent, amount, values),
        "evidence": evidence(problem, lang),
        "text": to_admin,
    }


def _facts(order: dict) -> dict:
    """The fields a draft reads, type-checked: the order may come from the extension."""
    if not isinstance(order, dict):
        raise DraftError("order", "order must be an object")
    order_id = order.get("order_id")
    if order_id is not None and not is_order_id(order_id):  # ASCII only: "٨٢١٣" is not an order id
        raise DraftError("order", "order.order_id must be a string of 1 to 32 ASCII digits")
    raw_date = order.get("order_date")
    order_date = None
    if raw_date is not None:
        try:
            order_date = date.fromisoformat(raw_date[:10]) if isinstance(raw_date, str) else None
        except ValueError:
            order_date = None
        if order_date is None:
            raise DraftError("order", "order.order_date must be YYYY-MM-DD")
    total = order.get("total")
    if total is not None:
        amount, currency = (total.get("amount"), total.get("currency")) if isinstance(total, dict) else (None, 1)
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0 \
                or (currency is not None and not isinstance(currency, str)):
            raise DraftError("order", "order.total must be {amount: number, currency: string}")
        if not amount <= MAX_AMOUNT:  # also refuses NaN and infinity
            raise DraftError("order", f"order.total.amount must be at most {MAX_AMOUNT:,.0f}")
        total = {"amount": float(amount), "currency": currency}
    items = order.get("items") or []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise DraftError("order", "order.items must be a list of objects")
    # A title is cut to MAX_TITLE_CHARS first: a 2 MB one-word title made a reply over the 1 MiB cap.
    titles = [" ".join(i["title"][:MAX_TITLE_CHARS].split()) for i in items
              if isinstance(i.get("title"), str) and i["title"].strip()]
    return {"order_id": order_id, "order_date": order_date, "total": total, "titles": titles}


def _date(day: date | None, lang: str) -> str | None:
    return catalog.format_date(catalog.load(lang), day) if day else None


def _amount(total: dict | None, percent: int, number: dict) -> dict | None:
    if not total or not total["amount"]:
        return None
    value = calc.round_money(total["amount"] * percent / 100, total["currency"])
    text = calc.format_amount(value, total["currency"], decimal=number["decimal"], group=number["group"])
    return {"amount": value, "currency": total["currency"], "text": text}


def _outcome_key(outcome: str, percent: int, amount: dict | None) -> str:
    key = "return" if outcome == "return" else "refund_full" if percent == 100 else "refund_partial"
    return key if amount else key + "_no_amount"


def _fit(template: str, **values: object) -> str:
    """Fill a template whose `{item}` is a product title, cutting the title so the sentence stays short."""
    room = MAX_WORDS - len(template.replace("{item}", "").split())
    words = str(values.pop("item")).rstrip(" .!?;:").split()
    if len(words) <= room:
        return template.format(item=" ".join(words), **values)
    cut = " ".join(words[:max(1, room - 1)]) + "…"
    return template.format(item=cut, **values).replace("….", "…")


def _admin(t: dict, problem: str, outcome: str, percent: int, amount: dict | None, facts: dict,
           values: dict) -> str:
    a = t["admin"]
    lines = [a["greeting"], a["order"].format(**values), a["date"].format(**values)]
    titles = facts["titles"] or [t["fill"]["ordered"]]
    lines += [_fit(a["ordered"], item=title) for title in titles[:MAX_ITEMS]]
    if len(titles) > MAX_ITEMS:
        lines.append(a["more_items"].format(n=len(titles) - MAX_ITEMS))
    lines += [s.format(**values) for s in a["problem"][problem]]
    lines.append(a["evidence"])
    words = t["evidence"]
    lines += [a["evidence_item"].format(text=words[i]["attached"]) for i in evidence_table()["kinds"][problem]]
    lines.append(a["outcome"][_outcome_key(outcome, percent, amount)].format(**values))
    if outcome == "return":
        lines.append(a["outcome"]["return_postage"])
    lines.append(a["closing"])
    return "\n".join(lines)


def _seller(t: dict, problem: str, outcome: str, percent: int, amount: dict | None, values: dict) -> str:
    s = t["seller"]
    lines = [s["greeting"], s["order"].format(**values), s["problem"][problem],
             s["evidence_not_received"] if problem == "not_received" else s["evidence"],
             s["outcome"][_outcome_key(outcome, percent, amount)].format(**values),
             s["dispute"], s["closing"]]
    return "\n".join(lines)


def for_card(order: dict, ui_lang: str | None) -> dict | None:
    """The draft an analysis card carries: the default problem for its status, in the UI language (English
    when there are no templates for it; `lang` says which). None when no dispute makes sense yet."""
    problem = default_problem(order.get("status"))
    if problem is None or not order.get("order_id"):
        return None
    return compose(order, problem, lang=resolve_lang(ui_lang))


def attach(orders: list[dict], ui_lang: str | None) -> None:
    """Compose each analysed order's draft in place (`aliwatch analyze --json`, `add`, `draft`): the card's
    `draft_problem` becomes the draft for it and its evidence checklist. The host's reply leaves it named only
    (the panel asks for the draft when it opens)."""
    for order in orders:
        if "draft_problem" not in order:
            continue
        del order["draft_problem"]
        card_draft = for_card(order, ui_lang)
        if card_draft is not None:
            order["evidence"] = card_draft.pop("evidence")  # checklist for the default problem
            order["draft"] = card_draft
