"""One request in, its replies out. Validates the envelope and routes by `type` to its handler (handlers/),
turning an envelope problem or a bug into a stable error code, so no request can end the host. No frame I/O
here: main.py reads and writes the frames; the deadline store is reached through memory.py, in the analysis
worker thread."""
from __future__ import annotations

import importlib
import logging
import math

from aliwatch.host import replies
from aliwatch.host.codec import BadJson, CodecError, FrameTooLarge, decode
from aliwatch.host.handlers import REQUESTS
from aliwatch.host.memory import Memory, shared_memory
from aliwatch.host.replies import Id, error

log = logging.getLogger("aliwatch.host")

DECODE_INLINE = 256 * 1024  # a bigger body (a snapshot) is decoded off the reader's path (main.py)


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


def _route(kind: str):  # type: ignore[no-untyped-def]
    """The handler of one request type, imported on its first request: hello and ping load nothing heavy."""
    def handler(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
        return importlib.import_module(f"aliwatch.host.handlers.{kind}").reply(req_id, msg, memory)

    return handler


_HANDLERS = {kind: _route(kind) for kind in REQUESTS}
# Where a request runs (main.py schedules it): INLINE on the thread that read it (hello, ping: answered at
# once, even during an analysis), WORKER in the analysis worker (analyses and the deadline store, one at a
# time), OWN in a thread of its own: an export of a long history takes a while and opens its own store
# connection, and the next snapshot must not queue behind it.
INLINE, WORKER, OWN = "inline", "worker", "own"
_SLOW = {"snapshot", "deadlines", "report", "dashboard", "due", "phrase_override"}
_OWN_THREAD = {"export"}


def lane(msg: object) -> str:
    kind = msg.get("type") if isinstance(msg, dict) and isinstance(msg.get("type"), str) else None  # {"type": []}
    return WORKER if kind in _SLOW else OWN if kind in _OWN_THREAD else INLINE


def handle(msg: object, memory: Memory | None = None) -> list[dict]:
    """Replies to one decoded message (synchronous; the analysis runs in the calling thread). `memory`: the
    Host's use of the deadline store (None: the process's own, for callers without a Host)."""
    req_id: Id = None
    kind = "?"
    try:
        req_id, kind = _envelope(msg)
        return _HANDLERS[kind](req_id, msg, memory or shared_memory())  # type: ignore[arg-type]
    except _Reject as r:
        return [error(r.req_id, r.code, r.message)]
    except Exception as e:  # a bug: say so, keep serving
        log.exception("internal error while handling %s request id=%r", kind, req_id)
        return [error(req_id, replies.INTERNAL, f"internal error: {type(e).__name__}")]


def decode_body(body: bytes) -> tuple[object, list[dict]]:
    """(the message, []) or (None, the bad_json error reply) for an undecodable frame body."""
    try:
        return decode(body), []
    except BadJson as e:
        return None, [error(None, replies.BAD_JSON, str(e))]


def frame_error(exc: CodecError) -> dict:
    """The reply to a frame the codec refused before it could be decoded."""
    if isinstance(exc, FrameTooLarge):
        return error(None, replies.MESSAGE_TOO_LARGE, str(exc))
    return error(None, replies.BAD_JSON, str(exc))
