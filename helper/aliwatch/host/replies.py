"""The shape every reply shares: the protocol version, the request id as sent, and the error reply (with the
bad field named in `field`). Each request's own reply is built by its handler (handlers/); parts.py splits
long ones."""
from __future__ import annotations

from typing import Any

# The error codes live in errors.py; replies.CODE stays a name for them (dispatch.py, main.py use it).
from aliwatch.host.errors import (  # noqa: F401
    BAD_ARGUMENT, BAD_JSON, BAD_MESSAGE, BAD_SNAPSHOT, INTERNAL, MESSAGE_TOO_LARGE, REPLY_TOO_LARGE, UNKNOWN_TYPE,
)
from aliwatch.host.errors import CODES as ERROR_CODES  # noqa: F401

PROTOCOL = 1


Id = Any  # str | int | float | None, as the request sent it


def error(req_id: Id, code: str, message: str, field: str | None = None) -> dict:
    """An error reply. `field`: the request field at fault (`percent`, `cards[2].key`), for a client to point
    at without reading `message`."""
    out = {"type": "error", "id": req_id, "code": code, "message": message}
    if field is not None:
        out["field"] = field
    return out

