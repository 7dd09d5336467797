"""One request in, its replies out. Validates the envelope, routes by `type`, and maps every failure to a
stable error code, so no request can end the host. No frame I/O here: main.py reads and writes the frames;
the deadline store is reached through memory.py, in the analysis worker thread."""
from __future__ import annotations

import asyncio
import logging
import math
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from aliwatch import __version__
from aliwatch.host import replies
from aliwatch.host.codec import MAX_INBOUND, MAX_OUTBOUND, BadJson, CodecError, FrameTooLarge, MessageTooLarge, decode
from aliwatch.host.replies import Id, error

log = logging.getLogger("aliwatch.host")

_executor: ThreadPoolExecutor | None = None
_DECODE_INLINE = 256 * 1024


class _Reject(Exception):
    """An envelope problem, carried up to the single place that turns it into an error reply."""

    def __init__(self, req_id: Id, code: str, message: str) -> None:
        super().__init__(message)
        self.req_id, self.code, self.message = req_id, code, message


MAX_ID_CHARS = 256  # an id is echoed in every reply, so it must stay small


def _valid_id(value: object) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_ID_CHARS
    if isinstance(value, bool):  # bool is an int in Python, but not an id
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (str, int))


def _envelope(msg: object) -> tuple[Id, str]:
    """Return (id, type) or raise _Reject. The id is read first so even a bad message can be answered by id."""
    if not isinstance(msg, dict):
        raise _Reject(None, replies.BAD_MESSAGE, f"a message must be a JSON object, not {type(msg).__name__}")
    req_id = msg.get("id")
    if "id" in msg and not _valid_id(req_id):
        raise _Reject(None, replies.BAD_MESSAGE,
                      f"'id' must be a number or a string of at most {MAX_ID_CHARS} characters")
    kind = msg.get("type")
    if not isinstance(kind, str):
        raise _Reject(req_id, replies.BAD_MESSAGE, "the message has no string 'type'")
    if kind not in _HANDLERS:
        raise _Reject(req_id, replies.UNKNOWN_TYPE, f"unknown message type {kind[:64]!r}")
    if "id" not in msg:
        raise _Reject(None, replies.BAD_MESSAGE, f"a {kind!r} request needs an 'id'")
    return req_id, kind


def _hello(req_id: Id, msg: dict) -> list[dict]:
    return [{"type": "hello", "id": req_id, "version": __version__, "protocol": replies.PROTOCOL,
             "capabilities": [k for k in _HANDLERS if k != "hello"], "max_inbound": MAX_INBOUND,
             "max_outbound": MAX_OUTBOUND}]


def _ping(req_id: Id, msg: dict) -> list[dict]:
    return [{"type": "pong", "id": req_id, "time": datetime.now(timezone.utc).isoformat()}]


def _snapshot(req_id: Id, msg: dict) -> list[dict]:
    # Imported here, not at the top: the parser's imports (bs4, lxml, dateparser) are slow, and hello/ping
    # must answer at once after the browser starts the host.
    from aliwatch import analysis

    from aliwatch.host import memory

    snapshot = {k: v for k, v in msg.items() if k not in ("type", "id")}
    try:
        result = analysis.analyze_snapshot(snapshot, overrides=memory.overrides())
    except analysis.SnapshotError as e:
        code = e.code if e.code in (replies.BAD_SNAPSHOT, replies.BAD_ARGUMENT) else replies.BAD_SNAPSHOT
        return [error(req_id, code, e.message)]
    # Committed before the reply is built: an answered snapshot with stored: true is on disk.
    result["stored"] = memory.record(snapshot, result)
    try:
        messages, oversize = replies.split_analysis(req_id, result)
    except MessageTooLarge as e:
        return [error(req_id, replies.REPLY_TOO_LARGE, f"the page-level part of the analysis is too large: {e}")]
    if oversize:
        # After the parts, so a client that completes the request on its last part has all cards first.
        messages.append(error(req_id, replies.REPLY_TOO_LARGE,
                              f"{len(oversize)} card(s) too large to send, returned as unrecognized: "
                              + ", ".join(oversize[:20])))
    return messages


def _deadlines(req_id: Id, msg: dict) -> list[dict]:
    from aliwatch.host import memory

    return memory.deadlines_reply(req_id, msg)


def _due(req_id: Id, msg: dict) -> list[dict]:
    from aliwatch.host import memory

    return memory.due_reply(req_id, msg)


def _draft(req_id: Id, msg: dict) -> list[dict]:
    from aliwatch import draft  # lazy, like the parser: startup imports the standard library only

    try:
        return [{"type": "draft", "id": req_id, **draft.from_request(msg)}]
    except draft.DraftError as e:
        return [error(req_id, replies.BAD_ARGUMENT, f"{e.field}: {e.message}")]


def _calc(req_id: Id, msg: dict) -> list[dict]:
    from aliwatch import calc

    try:
        return [{"type": "calc", "id": req_id, **calc.from_request(msg)}]
    except calc.CalcError as e:
        return [error(req_id, replies.BAD_ARGUMENT, f"{e.field}: {e.message}")]


def _report(req_id: Id, msg: dict) -> list[dict]:
    from aliwatch import report  # lazy: the anonymiser is loaded only when the user asks for a copy

    page, url = msg.get("html"), msg.get("url")
    if not isinstance(page, str):
        return [error(req_id, replies.BAD_ARGUMENT, "html must be a string (the page's outerHTML)")]
    if url is not None and not isinstance(url, str):
        return [error(req_id, replies.BAD_ARGUMENT, "url must be a string")]
    from aliwatch.host import memory

    try:  # the taught words that apply to the page ride in the copy (report.py)
        return report.report_messages(req_id, page, url, overrides=memory.overrides())
    except MessageTooLarge as e:
        return [error(req_id, replies.REPLY_TOO_LARGE, f"even an empty report part is too large: {e}")]


def _phrase_override(req_id: Id, msg: dict) -> list[dict]:
    from aliwatch.host import phrases  # the words the user taught (issue #11)

    return phrases.reply(req_id, msg)


def _dashboard(req_id: Id, msg: dict) -> list[dict]:
    from aliwatch.host import dashboard_launcher  # lazy: loads the token (keyring) only when asked

    return dashboard_launcher.reply(req_id, msg)


def _export(req_id: Id, msg: dict) -> list[dict]:
    from aliwatch.host import exporter

    return exporter.reply(req_id, msg)


_HANDLERS = {"hello": _hello, "ping": _ping, "snapshot": _snapshot, "deadlines": _deadlines,
             "draft": _draft, "calc": _calc, "report": _report, "dashboard": _dashboard, "export": _export,
             "due": _due, "phrase_override": _phrase_override}
# Run off the event loop, so pings answer during an analysis (or while a dashboard starts).
_SLOW = {"snapshot", "deadlines", "report", "dashboard", "due", "phrase_override"}
# Run off the loop too, but in a thread of their own, not the analysis worker: an export of a long history
# takes a while and opens its own store connection, and the next snapshot must not queue behind it.
_OWN_THREAD = {"export"}


def handle(msg: object) -> list[dict]:
    """Replies to one decoded message (synchronous; the analysis runs in the calling thread)."""
    req_id: Id = None
    kind = "?"
    try:
        req_id, kind = _envelope(msg)
        return _HANDLERS[kind](req_id, msg)  # type: ignore[arg-type]
    except _Reject as r:
        return [error(r.req_id, r.code, r.message)]
    except Exception as e:  # a bug: say so, keep serving
        log.exception("internal error while handling %s request id=%r", kind, req_id)
        return [error(req_id, replies.INTERNAL, f"internal error: {type(e).__name__}")]


def _analysis_executor() -> ThreadPoolExecutor:
    # One worker: analyses queue up instead of competing for the GIL; the loop stays free for pings.
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aliwatch-analysis")
    return _executor


async def in_worker(fn, *args):  # type: ignore[no-untyped-def]
    """Run fn in the analysis worker thread (the one thread that uses the deadline store)."""
    return await asyncio.get_running_loop().run_in_executor(_analysis_executor(), fn, *args)


async def dispatch(msg: object) -> list[dict]:
    """Like handle(), but slow requests run in the analysis worker thread, an export in a thread of its own."""
    kind = msg.get("type") if isinstance(msg, dict) and isinstance(msg.get("type"), str) else None  # {"type": []}
    if kind in _SLOW:
        return await asyncio.get_running_loop().run_in_executor(_analysis_executor(), handle, msg)
    if kind in _OWN_THREAD:
        return await asyncio.to_thread(handle, msg)
    return handle(msg)


async def dispatch_body(body: bytes) -> list[dict]:
    """Replies to one frame body, including the bad_json error for an undecodable one."""
    try:
        # A big body (a snapshot) takes a while to parse: do it off the loop so pings still answer.
        msg = decode(body) if len(body) < _DECODE_INLINE else await asyncio.to_thread(decode, body)
    except BadJson as e:
        return [error(None, replies.BAD_JSON, str(e))]
    return await dispatch(msg)


def frame_error(exc: CodecError) -> dict:
    """The reply to a frame the codec refused before it could be decoded."""
    if isinstance(exc, FrameTooLarge):
        return error(None, replies.MESSAGE_TOO_LARGE, str(exc))
    return error(None, replies.BAD_JSON, str(exc))
