"""Every reply that may be split into parts: a host may send at most 1 MiB (codec.MAX_OUTBOUND) per message,
so a long reply goes out as `part` 1…`parts` messages that the client joins. Two shapes, one algorithm each:

- a list (`analysis` cards, `deadlines`, `due` reminders): items packed greedily in their order
  (`groups`), an item too big for any part replaced or refused by the caller's rule;
- a text (`export` content, `report` html): cut between lines where possible, a line longer than a part
  cut between characters (`text_chunks`); the parts' strings concatenated are the text.

Sizes are measured on the encoded JSON (codec.dumps), escapes and UTF-8 included."""
from __future__ import annotations

from typing import Callable

from aliwatch.host.codec import MAX_OUTBOUND, Encoded, MessageTooLarge, dumps
from aliwatch.host.replies import Id


def groups(sizes: list[int], base_first: int, base_rest: int, limit: int) -> list[list[int]]:
    """Indexes of the items in each part: greedy, in order. `sizes` are the items' encoded sizes; a part's
    message is its base (the message with an empty list) plus its items and the commas between them. An
    item alone over the room still gets a part of its own (the caller decides what such an item becomes)."""
    out: list[list[int]] = [[]]
    used = 0  # bytes of items (and commas) in the current part
    for i, size in enumerate(sizes):
        base = base_first if len(out) == 1 else base_rest
        extra = size + (1 if out[-1] else 0)  # a comma between items
        if out[-1] and base + used + extra > limit:
            out.append([])
            used, extra = 0, size
        out[-1].append(i)
        used += extra
    return out


def split_list(req_id: Id, kind: str, fields: dict, key: str, items: list[dict],
               limit: int = MAX_OUTBOUND) -> list[dict]:
    """One reply, or several parts (`part`/`parts`, like `analysis`) when the list would exceed the
    browser's 1 MiB per message. Items keep their order; nothing is dropped. Each item is JSON-encoded once:
    its bytes size the parts and then make the part's body (codec.Encoded), which is sent as it is."""
    def message(part: int, parts: int, chunk: list[dict]) -> dict:
        return {"type": kind, "id": req_id, "part": part, "parts": parts, **fields, key: chunk}

    encoded = [dumps(item) for item in items]
    base = len(dumps(message(len(items) or 1, len(items) or 1, [])))
    packed = groups([len(body) for body in encoded], base, base, limit)
    out = []
    for part, group in enumerate(packed, start=1):
        msg = message(part, len(packed), [items[i] for i in group])
        empty = dumps(message(part, len(packed), []))  # ends with `"<key>":[]}`: the list is the last key
        out.append(Encoded(msg, empty[:-2] + b",".join(encoded[i] for i in group) + b"]}"))
    return out


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
    oversize: list[str] = []
    sizes = []
    for i, card in enumerate(cards):
        size = len(dumps(card))
        if size > room:
            cards[i] = card = too_large_card(card, size)
            size = len(dumps(card))
            oversize.append(str(card["key"]))
        sizes.append(size)
    packed = groups(sizes, base_first, base_rest, limit)
    return [message(i, len(packed), [cards[k] for k in group], i == 1)
            for i, group in enumerate(packed, start=1)], oversize


def _size(text: str) -> int:
    """Bytes `text` takes inside a JSON string of a frame (escapes included, quotes excluded)."""
    return len(dumps(text)) - 2


def _cut(line: str, room: int) -> list[str]:
    """A line over `room` in pieces that each fit, shrinking a guess in proportion to the overshoot (escapes
    and UTF-8 make bytes > characters; a character is at least one byte, so `room` characters is the most)."""
    pieces = []
    start = 0
    while start < len(line):
        end = min(len(line), start + room)
        while (n := _size(line[start:end])) > room:
            if end - start == 1:
                raise MessageTooLarge(n)  # a limit too small for one escaped character
            end = start + max(1, min(end - start - 1, (end - start) * room // n))
        pieces.append(line[start:end])
        start = end
    return pieces


def text_chunks(text: str, room: int) -> list[str]:
    """Split text into pieces whose JSON-string size is at most `room` bytes; "".join() gives text back.
    Cuts fall between lines where possible (a line longer than `room` is cut between characters)."""
    if room < 1 and text:
        raise MessageTooLarge(-room)
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for line in text.splitlines(keepends=True):
        size = _size(line)
        if used and used + size > room:
            pieces.append("".join(current))
            current, used = [], 0
        if size > room:
            pieces += _cut(line, room)
            continue
        current.append(line)
        used += size
    if current:
        pieces.append("".join(current))
    return pieces or [""]


def split_text(message: Callable[[int, int, str], dict], text: str, limit: int = MAX_OUTBOUND) -> list[dict]:
    """The parts of a text reply: `message(part, parts, piece)` builds one. Raises MessageTooLarge when even
    a part with no text is over the limit."""
    widest = max(1, len(text))  # part numbers never exceed the characters, so this sizes them from above
    empty = len(dumps(message(widest, widest, "")))
    if empty > limit:
        raise MessageTooLarge(empty)
    pieces = text_chunks(text, limit - empty)
    return [message(i, len(pieces), piece) for i, piece in enumerate(pieces, start=1)]
