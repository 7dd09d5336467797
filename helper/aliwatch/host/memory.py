"""The host's use of the deadline store: record each analysed snapshot, read the deadlines, find the
reminders that are due (handlers/deadlines.py and due.py shape the replies). The deadlines are written in the analysis worker thread (dispatch.in_worker), so store
writes queue behind analyses instead of racing them, and the event loop never waits on the disk; the cards'
markup is scrubbed and kept by a separate store worker (_queue_keep), off the path of the next snapshot.

sqlite3 and the store are imported on first use: a host that only answers hello/ping never loads them."""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone


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


def ui_lang() -> str:
    """The language reminders speak when a request names none: the last snapshot's ui_lang."""
    return _ui_lang


def deadlines(include_past: bool, lang: str) -> tuple[datetime, list[dict]]:
    """(now, the stored deadlines annotated with their advice at now). Raises StoreUnavailable."""
    from aliwatch import reminders

    now = datetime.now(timezone.utc)
    rows = _get().deadlines(now, include_past=include_past)
    return now, reminders.annotate(rows, now, lang)


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
    from aliwatch import reminders

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


def claim_due(lang: str) -> tuple[datetime, list[dict], datetime | None]:
    """(now, the reminders due now that this call claimed, the next moment one becomes due), for `due`.
    Raises StoreUnavailable."""
    now = datetime.now(timezone.utc)
    due, upcoming = _claim_due(now, lang)
    return now, due, upcoming


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
