"""`hello` → `hello`: the host's version, protocol, request types and message caps."""
from __future__ import annotations

from aliwatch import __version__
from aliwatch.host.codec import MAX_INBOUND, MAX_OUTBOUND
from aliwatch.host.handlers import REQUESTS
from aliwatch.host.memory import Memory
from aliwatch.host.replies import PROTOCOL, Id


def reply(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
    return [{"type": "hello", "id": req_id, "version": __version__, "protocol": PROTOCOL,
             "capabilities": [k for k in REQUESTS if k != "hello"], "max_inbound": MAX_INBOUND,
             "max_outbound": MAX_OUTBOUND}]
