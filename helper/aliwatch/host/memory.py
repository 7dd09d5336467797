"""The host's use of the deadline store: record each analysed snapshot, answer `deadlines`, find the
reminders that are due. The deadlines are written in the analysis worker thread (dispatch.in_worker), so store
writes queue behind analyses instead of racing them, and the event loop never waits on the disk; the cards'
markup is scrubbed and kept by a separate store worker (_queue_keep), off the path of the next snapshot.

sqlite3 and the store are imported on first use: a host that only answers hello/ping never loads them."""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone

from aliwatch.host.codec import MAX_OUTBOUND, Encoded, dumps
from aliwatch.host.errors import STORE_UNAVAILABLE
from aliwatch.host.replies import BAD_ARGUMENT, Id, error

log = logging.getLogger("aliwatch.host")


_store = None
_ui_lang = "en"  # reminders speak the language of the last snapshot's ui_lang


class StoreUnavailable(Exception):
    pass


def _get():
    global _store
    if _store is None:
        from aliwatch.store import Store

        try:
            _store = Store()
        except Exception as e:
            raise StoreUnavailable(f"cannot open the deadline store: {type(e).__name__}: {e}") from e
    return _store


def store():  # type: ignore[no-untyped-def]
    """The host's store connection (StoreUnavailable when it cannot be opened)."""
    return _get()


def overrides() -> dict:
    """The words the user taught, for the analysis: {} when the store cannot be read (logged), so a page is
    still analysed, only without them."""
    try:
        return _get().override_map()
    except Exception:
        log.exception("could not read the taught words from the deadline store")
        return {}


def record(snapshot: dict, result: dict) -> bool:
    """Store one analysis before it is answered, so an `analysis` reply with `stored: true` means the
    deadlines are on disk. A failing store is logged and reported as stored: false, never fatal."""
    global _ui_lang
    if isinstance(snapshot.get("ui_lang"), str) and snapshot["ui_lang"]:
        _ui_lang = snapshot["ui_lang"]
    try:
        recorded = _get().record(snapshot, result)
    except Exception:
        log.exception("could not record a snapshot in the deadline store")
        return False
    if recorded.new_deadlines:
        log.info("stored %d new deadline(s)", len(recorded.new_deadlines))
    _queue_keep(snapshot, result)
    return True


# The markup (for reparse) is scrubbed and stored by a store worker of its own, so neither the next
# snapshot's analysis nor a ping waits on it (issue 13). Its queue is bounded: under a flood of snapshots
# the markup of the newest ones is not kept (reparse is a convenience; the deadlines are already stored).
MAX_PENDING_KEEPS = 8
_keeper = None
_pending = 0
_pending_lock = threading.Lock()


def _queue_keep(snapshot: dict, result: dict) -> None:
    global _keeper, _pending
    with _pending_lock:
        if _pending >= MAX_PENDING_KEEPS:
            log.warning("store worker busy: not keeping this snapshot's markup for reparse")
            return
        _pending += 1
        if _keeper is None:
            from concurrent.futures import ThreadPoolExecutor

            _keeper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aliwatch-store")
    _keeper.submit(_keep, snapshot, result)


def _keep(snapshot: dict, result: dict) -> None:
    global _pending
    try:
        _get().keep_snapshots(snapshot, result)
    except Exception:
        log.exception("could not keep a snapshot's markup for reparse")
    finally:
        with _pending_lock:
            _pending -= 1


def drain_keeps(timeout: float | None = None) -> None:
    """Wait for the markup queued so far to be stored (tests, and `forget` before it deletes)."""
    if _keeper is not None:
        _keeper.submit(lambda: None).result(timeout)


def deadlines_reply(req_id: Id, msg: dict) -> list[dict]:
    include_past = msg.get("include_past", False)
    if not isinstance(include_past, bool):
        return [error(req_id, BAD_ARGUMENT, "include_past must be true or false")]
    lang = msg.get("ui_lang", _ui_lang)
    if not isinstance(lang, str):
        return [error(req_id, BAD_ARGUMENT, "ui_lang must be a string")]
    from aliwatch.store import reminders

    now = datetime.now(timezone.utc)
    try:
        rows = _get().deadlines(now, include_past=include_past)
    except StoreUnavailable as e:
        return [error(req_id, STORE_UNAVAILABLE, str(e))]
    entries = reminders.annotate(rows, now, lang)
    return split_list(req_id, "deadlines", {"now": now.isoformat()}, "deadlines", entries)


def due_reminders(now: datetime | None = None) -> list[dict]:
    """The reminders due now that no host has pushed yet, claimed in the store so no host pushes them again."""
    now = now or datetime.now(timezone.utc)
    try:
        return _claim_due(now, _ui_lang)[0]
    except StoreUnavailable as e:  # already logged with its traceback when a snapshot could not be stored
        log.warning("no reminders: %s", e)
    except Exception:
        log.exception("reminder check failed")
    return []


def _claim_due(now: datetime, lang: str) -> tuple[list[dict], datetime | None]:
    """(the reminders due at `now` that this call claimed, the next moment one becomes due). The one place
    that decides what is due: the pushes and the `due` request both come here."""
    from aliwatch.store import reminders

    store = _get()
    rows = store.deadlines_between(*reminders.window(now))
    candidates = reminders.due(rows, now, lang)
    upcoming = reminders.next_at(reminders.annotate(rows, now, lang), now)
    if not candidates:
        return [], upcoming
    keys = [(c["order_id"], c["code"], c["threshold"], c["due"]) for c in candidates]
    shown = store.shown()
    fresh = [(k, c) for k, c in zip(keys, candidates) if k not in shown]
    won = store.claim_warnings([k for k, _ in fresh], now)
    return [c for k, c in fresh if k in won], upcoming


def due_reply(req_id: Id, msg: dict) -> list[dict]:
    """`due`: what a browser that was not connected should show now, claimed like a push, and when to ask
    again. The extension's alarm asks this; it keeps no reminder rules of its own."""
    lang = msg.get("ui_lang", _ui_lang)
    if not isinstance(lang, str):
        return [error(req_id, BAD_ARGUMENT, "ui_lang must be a string")]
    now = datetime.now(timezone.utc)
    try:
        due, upcoming = _claim_due(now, lang)
    except StoreUnavailable as e:
        return [error(req_id, STORE_UNAVAILABLE, str(e))]
    fields = {"now": now.isoformat(), "next_at": upcoming.isoformat() if upcoming else None}
    return split_list(req_id, "due", fields, "reminders", due)


# The order ids this host saw in the store at its last check. None: no check yet.
_known_ids: set[str] | None = None
MAX_KEEP_IDS = 40_000  # a `forgotten` push of more would pass the 1 MiB a host may send


def forgotten() -> list[str] | None:
    """The stored order ids, when the extension should drop what it keeps about every other order (evidence
    ticks, notified reminders): at this host's first check (a `forget` may have run while no browser was
    open) and whenever an order this host saw is gone (`aliwatch forget` in a terminal). Else None."""
    global _known_ids
    try:
        ids = _get().order_ids()
    except Exception:  # no store: nothing to compare with, and never a reason to drop the user's ticks
        log.exception("could not read the stored order ids")
        return None
    changed = _known_ids is None or not _known_ids <= ids
    _known_ids = ids
    if not changed:
        return None
    if len(ids) > MAX_KEEP_IDS:
        log.warning("%d stored orders: too many to tell the extension which to keep", len(ids))
        return None
    return sorted(ids)


def split_list(req_id: Id, kind: str, fields: dict, key: str, items: list[dict],
               limit: int = MAX_OUTBOUND) -> list[dict]:
    """One reply, or several parts (`part`/`parts`, like `analysis`) when the list would exceed the
    browser's 1 MiB per message. Items keep their order; nothing is dropped. Each item is JSON-encoded once:
    its bytes size the parts and then make the part's body (codec.Encoded), which is sent as it is."""
    def message(part: int, parts: int, chunk: list[dict]) -> dict:
        return {"type": kind, "id": req_id, "part": part, "parts": parts, **fields, key: chunk}

    encoded = [dumps(item) for item in items]
    base = len(dumps(message(len(items) or 1, len(items) or 1, [])))
    groups: list[list[int]] = [[]]
    used = 0
    for i, body in enumerate(encoded):
        size = len(body) + 1
        if groups[-1] and base + used + size > limit:
            groups.append([])
            used = 0
        groups[-1].append(i)
        used += size
    out = []
    for part, group in enumerate(groups, start=1):
        msg = message(part, len(groups), [items[i] for i in group])
        empty = dumps(message(part, len(groups), []))  # ends with `"<key>":[]}`: the list is the last key
        out.append(Encoded(msg, empty[:-2] + b",".join(encoded[i] for i in group) + b"]}"))
    return out
