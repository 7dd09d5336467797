"""Shapes of the host's replies, and the splitting of an analysis into frames that each fit the 1 MiB a
host may send. Splitting is about the analysis message, not about framing, so it lives here."""
from __future__ import annotations

from typing import Any

from aliwatch.host.codec import MAX_OUTBOUND, MessageTooLarge, dumps
# The error codes live in errors.py; replies.CODE stays a name for them (dispatch.py, main.py use it).
from aliwatch.host.errors import (  # noqa: F401
    BAD_ARGUMENT, BAD_JSON, BAD_MESSAGE, BAD_SNAPSHOT, INTERNAL, MESSAGE_TOO_LARGE, REPLY_TOO_LARGE, UNKNOWN_TYPE,
)
from aliwatch.host.errors import CODES as ERROR_CODES  # noqa: F401

PROTOCOL = 1


Id = Any  # str | int | float | None, as the request sent it


def error(req_id: Id, code: str, message: str) -> dict:
    return {"type": "error", "id": req_id, "code": code, "message": message}


def too_large_card(card: dict, size: int) -> dict:
    """Stand-in for a card whose analysis alone is over the cap: kept visible as unrecognized, not dropped."""
    order_id = card.get("order_id")
    if not (isinstance(order_id, str) and len(order_id) <= 64):
        order_id = None
    return {
        "key": card.get("key"),
        "order_id": order_id,
        "status": "unknown",
        "status_text": None,
        "deadlines": [],
        "warnings": [{
            "code": "unrecognized", "severity": "warning", "due": None,
            "title": "This order could not be read",
            "detail": "Its analysis was too large to send to the browser.",
        }],
        "problems": [{
            "code": "card_too_large",
            "text": f"the analysis of this card is {size} bytes; a host may send at most {MAX_OUTBOUND}",
        }],
    }


def split_analysis(req_id: Id, result: dict, limit: int = MAX_OUTBOUND) -> tuple[list[dict], list[str]]:
    """Turn analyze_snapshot()'s result into `analysis` messages whose bodies are each <= limit bytes.

    Returns (messages, keys of cards that were replaced by too_large_card()). Cards keep their order and
    are packed greedily; page-level `problems` ride on part 1 only. Raises MessageTooLarge if even an
    empty part 1 is over the limit (page-level fields alone too big)."""
    cards: list[dict] = list(result.get("cards") or [])
    page = {k: v for k, v in result.items() if k != "cards"}
    # part/parts never exceed the card count, so sizing with that number as placeholder is an upper bound.
    widest = max(1, len(cards))

    def message(part: int, parts: int, part_cards: list[dict], first: bool) -> dict:
        msg = {"type": "analysis", "id": req_id, "part": part, "parts": parts, **page, "cards": part_cards}
        if not first and "problems" in msg:
            msg["problems"] = []
        return msg

    base_first = len(dumps(message(widest, widest, [], True)))
    base_rest = len(dumps(message(widest, widest, [], False)))
    if base_first > limit:
        raise MessageTooLarge(base_first)
    room = limit - max(base_first, base_rest)  # what a card may take in any empty part

    groups: list[list[dict]] = [[]]
    used = 0  # bytes of cards (and commas) in the current group
    oversize: list[str] = []
    for card in cards:
        size = len(dumps(card))
        if size > room:
            card = too_large_card(card, size)
            size = len(dumps(card))
            oversize.append(str(card["key"]))
        base = base_first if len(groups) == 1 else base_rest
        extra = size + (1 if groups[-1] else 0)  # a comma between cards
        if groups[-1] and base + used + extra > limit:
            groups.append([])
            used, extra = 0, size
        groups[-1].append(card)
        used += extra

    parts = len(groups)
    return [message(i, parts, group, i == 1) for i, group in enumerate(groups, start=1)], oversize
