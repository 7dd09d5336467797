"""`dashboard` → `dashboard`: the local dashboard's address, started first when `start` is true."""
from __future__ import annotations

import logging

from aliwatch.host import errors
from aliwatch.host.memory import Memory
from aliwatch.host.replies import Id, error

log = logging.getLogger("aliwatch.host")


def reply(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
    """{"type": "dashboard", "id", "start"?} → {"type": "dashboard", "id", "url"} (url null: not running)."""
    start_if_needed = msg.get("start", False)
    if not isinstance(start_if_needed, bool):
        return [error(req_id, errors.BAD_ARGUMENT, "start: must be true or false", field="start")]
    from aliwatch.host import dashboard_launcher  # lazy: loads the token (keyring) only when asked

    try:
        url = dashboard_launcher.ensure(start_if_needed=start_if_needed)
    except dashboard_launcher.LaunchError as e:
        log.warning("dashboard: %s", e)
        return [error(req_id, errors.DASHBOARD_FAILED, str(e))]
    return [{"type": "dashboard", "id": req_id, "url": url}]
