"""Every error code the host answers with (docs/PROTOCOL.md, "Error codes"). An extension may match on any of
them, so codes are only ever appended, never renamed or removed; tests/test_errors.py holds PROTOCOL.md's
table to this list, and no other module of host/ spells a code out."""
from __future__ import annotations

BAD_JSON = "bad_json"
BAD_MESSAGE = "bad_message"
UNKNOWN_TYPE = "unknown_type"
MESSAGE_TOO_LARGE = "message_too_large"
BAD_SNAPSHOT = "bad_snapshot"
BAD_ARGUMENT = "bad_argument"
REPLY_TOO_LARGE = "reply_too_large"
INTERNAL = "internal"
STORE_UNAVAILABLE = "store_unavailable"  # the deadline store cannot be opened or written
DASHBOARD_FAILED = "dashboard_failed"  # the dashboard could not be started
NOT_FOUND = "not_found"  # phrase_override remove: no such taught word

# In the order they were added: append here, and to PROTOCOL.md's table.
CODES = (BAD_JSON, BAD_MESSAGE, UNKNOWN_TYPE, MESSAGE_TOO_LARGE, BAD_SNAPSHOT, BAD_ARGUMENT, REPLY_TOO_LARGE,
         INTERNAL, STORE_UNAVAILABLE, DASHBOARD_FAILED, NOT_FOUND)
