"""The `report` request: an anonymised copy of the page the user is on (report.py's Anonymiser), sent in as
many parts as the 1 MiB a host may send needs."""
from __future__ import annotations

from aliwatch.host import replies
from aliwatch.host.codec import MAX_OUTBOUND, MessageTooLarge, dumps
from aliwatch.host.replies import Id, error


def reply(req_id: Id, msg: dict) -> list[dict]:
    page, url = msg.get("html"), msg.get("url")
    if not isinstance(page, str):
        return [error(req_id, replies.BAD_ARGUMENT, "html must be a string (the page's outerHTML)")]
    if url is not None and not isinstance(url, str):
        return [error(req_id, replies.BAD_ARGUMENT, "url must be a string")]
    try:
        return messages(req_id, page, url)
    except MessageTooLarge as e:
        return [error(req_id, replies.REPLY_TOO_LARGE, f"even an empty report part is too large: {e}")]


def messages(req_id: Id, page: str, url: str | None = None, *, limit: int | None = None,
             seed: str | None = None) -> list[dict]:
    """The `report` reply: the anonymised page in as many parts as the 1 MiB a host may send needs.

    Each part is {"type": "report", "id", "part", "parts", "html", ["url"]}; the parts' `html` strings
    concatenated are the page. Raises MessageTooLarge when even a part with no html is over the limit."""
    limit = MAX_OUTBOUND if limit is None else limit
    from aliwatch.report import Anonymiser  # lazy: loaded only when the user asks for a copy

    anonymiser = Anonymiser(seed)
    out = anonymiser.page(page, url)
    head: dict = {"type": "report", "id": req_id}
    if url:
        head["url"] = anonymiser.url(url)
    widest = max(1, len(out))  # part numbers never exceed the characters, so this sizes them from above

    def size(chunk: str) -> int:
        return len(dumps({**head, "part": widest, "parts": widest, "html": chunk}))

    empty = size("")
    if empty > limit:
        raise MessageTooLarge(empty)
    chunks: list[str] = []
    start = 0
    while start < len(out):
        end = min(len(out), start + limit)  # a character is at least one byte
        while (n := size(out[start:end])) > limit:
            if end - start == 1:
                raise MessageTooLarge(n)  # a limit too small for one escaped character
            # Shrink in proportion to the overshoot (escapes and UTF-8 make bytes > characters).
            end = start + max(1, min(end - start - 1, (end - start) * (limit - empty) // (n - empty)))
        chunks.append(out[start:end])
        start = end
    chunks = chunks or [""]
    return [{**head, "part": k, "parts": len(chunks), "html": c} for k, c in enumerate(chunks, start=1)]
