"""`snapshot` → `analysis` (in parts): the cards analysed, stored, and split to fit the 1 MiB a host may send.
The analysis says which field of a snapshot it could not use; this maps it to a code: the snapshot's own
content (`url`, `cards`…) is `bad_snapshot`, an argument (`tz`, `lang`, `captured_at`, `ui_lang`)
`bad_argument`."""
from __future__ import annotations

from aliwatch.host import errors, parts
from aliwatch.host.codec import MessageTooLarge
from aliwatch.host.memory import Memory
from aliwatch.host.replies import Id, error

ARGUMENTS = ("lang", "tz", "captured_at", "ui_lang")


def reply(req_id: Id, msg: dict, memory: Memory) -> list[dict]:
    # Imported here, not at the top: the parser's imports (bs4, lxml, dateparser) are slow, and hello/ping
    # must answer at once after the browser starts the host.
    from aliwatch import analysis

    snapshot = {k: v for k, v in msg.items() if k not in ("type", "id")}
    try:
        result = analysis.analyze_snapshot(snapshot, overrides=memory.overrides())
    except analysis.SnapshotError as e:
        code = errors.BAD_ARGUMENT if e.field in ARGUMENTS else errors.BAD_SNAPSHOT
        return [error(req_id, code, e.message, field=e.field)]
    # Committed before the reply is built: an answered snapshot with stored: true is on disk.
    result["stored"] = memory.record(snapshot, result)
    try:
        messages, oversize = parts.split_analysis(req_id, result)
    except MessageTooLarge as e:
        return [error(req_id, errors.REPLY_TOO_LARGE, f"the page-level part of the analysis is too large: {e}")]
    if oversize:
        # After the parts, so a client that completes the request on its last part has all cards first.
        messages.append(error(req_id, errors.REPLY_TOO_LARGE,
                              f"{len(oversize)} card(s) too large to send, returned as unrecognized: "
                              + ", ".join(oversize[:20])))
    return messages
