"""`calc` → `calc`: refund only or return ({price, percent, currency?, postage?, weight?, fault?})."""
from __future__ import annotations

from aliwatch.host import errors
from aliwatch.host.memory import Memory
from aliwatch.host.replies import Id, error


def reply(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
    from aliwatch import calc

    fault = msg.get("fault", "buyer")
    try:
        body = calc.compare(msg.get("price"), msg.get("percent"), msg.get("currency"), postage=msg.get("postage"),
                            weight=msg.get("weight"), fault=fault if fault is not None else "buyer")
    except calc.CalcError as e:
        return [error(req_id, errors.BAD_ARGUMENT, f"{e.field}: {e.message}", field=e.field)]
    return [{"type": "calc", "id": req_id, **body}]
