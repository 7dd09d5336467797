"""`ping` → `pong`, with the host's clock."""
from __future__ import annotations

from datetime import datetime, timezone

from aliwatch.host.memory import Memory
from aliwatch.host.replies import Id


def reply(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
    return [{"type": "pong", "id": req_id, "time": datetime.now(timezone.utc).isoformat()}]
