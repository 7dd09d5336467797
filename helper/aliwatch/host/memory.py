"""The host's use of the deadline store: record each analysed snapshot, read the deadlines, find the
reminders that are due (handlers/deadlines.py and due.py shape the replies). One `Memory` per Host: the store
connection, the UI language reminders speak and what the extension was last told are its fields, not the
process's. Its store calls run in the analysis worker thread (worker.py); the cards' markup is scrubbed and
kept by a store worker of its own (_queue_keep), off the path of the next snapshot.

sqlite3 and the store are imported on first use: a host that only answers hello/ping never loads them."""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone

log = logging.getLogger("aliwatch.host")

# The markup (for reparse) is scrubbed and stored by a store worker of its own, so neither the next
# snapshot's analysis nor a ping waits on it (issue 13). Its queue is bounded: under a flood of snapshots
# the markup of the newest ones is not kept (reparse is a convenience; the deadlines are already stored).
MAX_PENDING_KEEPS = 8
MAX_KEEP_IDS = 40_000  # a `forgotten` push of more would pass the 1 MiB a host may send


class StoreUnavailable(Exception):
    pass


class Memory:
    def __init__(self, hold_keeps: bool = False) -> None:
        """hold_keeps: keep the markup only when release_keeps() says so (a Host, once the reply is written:
        scrubbing a page while the reply goes out would slow the reply, one GIL between them)."""
        self._store = None
        self._hold = hold_keeps
        self._held: list[tuple[dict, dict]] = []
        self.ui_lang = "en"  # reminders speak the language of the last snapshot's ui_lang
        self._keeper = None
        self._pending = 0
        self._pending_lock = threading.Lock()
        # The order ids this host saw in the store at its last check. None: no check yet.
        self._known_ids: set[str] | None = None

    def store(self):  # type: ignore[no-untyped-def]
        if self._store is None:
            from aliwatch.store import Store

            try:
                self._store = Store()
            except Exception as e:
                raise StoreUnavailable(f"cannot open the deadline store: {type(e).__name__}: {e}") from e
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def overrides(self) -> dict:
        """The words the user taught, for the analysis: {} when the store cannot be read (logged), so a page
        is still analysed, only without them."""
        try:
            return self.store().override_map()
        except Exception:
            log.exception("could not read the taught words from the deadline store")
            return {}

    def record(self, snapshot: dict, result: dict) -> bool:
        """Store one analysis before it is answered, so an `analysis` reply with `stored: true` means the
        deadlines are on disk. A failing store is logged and reported as stored: false, never fatal."""
        if isinstance(snapshot.get("ui_lang"), str) and snapshot["ui_lang"]:
            self.ui_lang = snapshot["ui_lang"]
        try:
            recorded = self.store().record(snapshot, result)
        except Exception:
            log.exception("could not record a snapshot in the deadline store")
            return False
        if recorded.new_deadlines:
            log.info("stored %d new deadline(s)", len(recorded.new_deadlines))
        self._queue_keep(snapshot, result)
        return True

    def release_keeps(self) -> None:
        """Hand the markup held since the last call to the store worker."""
        with self._pending_lock:
            held, self._held = self._held, []
        for snapshot, result in held:
            self._submit_keep(snapshot, result)

    def _queue_keep(self, snapshot: dict, result: dict) -> None:
        if self._hold:
            with self._pending_lock:
                self._held.append((snapshot, result))
            return
        self._submit_keep(snapshot, result)

    def _submit_keep(self, snapshot: dict, result: dict) -> None:
        with self._pending_lock:
            if self._pending >= MAX_PENDING_KEEPS:
                log.warning("store worker busy: not keeping this snapshot's markup for reparse")
                return
            self._pending += 1
            if self._keeper is None:
                from concurrent.futures import ThreadPoolExecutor

                self._keeper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aliwatch-store")
        self._keeper.submit(self._keep, snapshot, result)

    def _keep(self, snapshot: dict, result: dict) -> None:
        try:
            self.store().keep_snapshots(snapshot, result)
        except Exception:
            log.exception("could not keep a snapshot's markup for reparse")
        finally:
            with self._pending_lock:
                self._pending -= 1

    def drain_keeps(self, timeout: float | None = None) -> None:
        """Wait for the markup queued so far to be stored (tests, and `forget` before it deletes)."""
        if self._keeper is not None:
            self._keeper.submit(lambda: None).result(timeout)

    def deadlines(self, include_past: bool, lang: str) -> tuple[datetime, list[dict]]:
        """(now, the stored deadlines annotated with their advice at now). Raises StoreUnavailable."""
        from aliwatch import reminders

        now = datetime.now(timezone.utc)
        rows = self.store().deadlines(now, include_past=include_past)
        return now, reminders.annotate(rows, now, lang)

    def due_reminders(self, now: datetime | None = None) -> list[dict]:
        """The reminders due now that no host has pushed yet, claimed in the store so no host pushes them
        again."""
        now = now or datetime.now(timezone.utc)
        try:
            return self._claim_due(now, self.ui_lang)[0]
        except StoreUnavailable as e:  # already logged with its traceback when a snapshot could not be stored
            log.warning("no reminders: %s", e)
        except Exception:
            log.exception("reminder check failed")
        return []

    def _claim_due(self, now: datetime, lang: str) -> tuple[list[dict], datetime | None]:
        """(the reminders due at `now` that this call claimed, the next moment one becomes due). The one place
        that decides what is due: the pushes and the `due` request both come here."""
        from aliwatch import reminders

        store = self.store()
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

    def claim_due(self, lang: str) -> tuple[datetime, list[dict], datetime | None]:
        """(now, the reminders due now that this call claimed, the next moment one becomes due), for `due`.
        Raises StoreUnavailable."""
        now = datetime.now(timezone.utc)
        due, upcoming = self._claim_due(now, lang)
        return now, due, upcoming

    def forgotten(self) -> list[str] | None:
        """The stored order ids, when the extension should drop what it keeps about every other order
        (evidence ticks, notified reminders): at this host's first check (a `forget` may have run while no
        browser was open) and whenever an order this host saw is gone (`aliwatch forget` in a terminal).
        Else None."""
        try:
            ids = self.store().order_ids()
        except Exception:  # no store: nothing to compare with, and never a reason to drop the user's ticks
            log.exception("could not read the stored order ids")
            return None
        changed = self._known_ids is None or not self._known_ids <= ids
        self._known_ids = ids
        if not changed:
            return None
        if len(ids) > MAX_KEEP_IDS:
            log.warning("%d stored orders: too many to tell the extension which to keep", len(ids))
            return None
        return sorted(ids)


_shared: Memory | None = None


def shared_memory() -> Memory:
    """The Memory of callers that have no Host (dispatch.handle called directly: tests, tools). A Host
    brings its own."""
    global _shared
    if _shared is None:
        _shared = Memory()
    return _shared
