"""`report` → `report` (in parts): an anonymised copy of the page the user is on (report.py's Anonymiser)."""
from __future__ import annotations

from aliwatch.host import errors, parts
from aliwatch.host.codec import MAX_OUTBOUND, MessageTooLarge
from aliwatch.host.memory import Memory
from aliwatch.host.replies import Id, error


def reply(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
    page, url = msg.get("html"), msg.get("url")
    if not isinstance(page, str):
        return [error(req_id, errors.BAD_ARGUMENT, "html must be a string (the page's outerHTML)", field="html")]
    if url is not None and not isinstance(url, str):
        return [error(req_id, errors.BAD_ARGUMENT, "url must be a string", field="url")]
    try:  # the taught words that apply to the page ride in the copy (report/taught.py)
        return messages(req_id, page, url, overrides=memory.overrides())
    except MessageTooLarge as e:
        return [error(req_id, errors.REPLY_TOO_LARGE, f"even an empty report part is too large: {e}")]


def messages(req_id: Id, page: str, url: str | None = None, *, limit: int | None = None,
             seed: str | None = None, overrides: dict | None = None) -> list[dict]:
    """The anonymised page in parts: {"type": "report", "id", ["url"], "part", "parts", "html"}; the parts'
    `html` strings concatenated are the page. Raises MessageTooLarge when even a part with no html is over
    the limit."""
    from aliwatch.report import Anonymiser, taught_words, with_taught_words  # lazy: only when asked for a copy

    anonymiser = Anonymiser(seed)
    out = with_taught_words(anonymiser.page(page, url), taught_words(page, url, overrides))
    head: dict = {"type": "report", "id": req_id}
    if url:
        head["url"] = anonymiser.url(url)
    return parts.split_text(lambda part, parts_, piece: {**head, "part": part, "parts": parts_, "html": piece},
                            out, MAX_OUTBOUND if limit is None else limit)
