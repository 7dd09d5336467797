"""The reminder loop: while the browser is connected, push {"type": "warnings", "warnings": [...]} when a
stored deadline crosses a threshold (reminders.py). A thread of its own wakes on a timer and after each
snapshot and runs the check, pushes included, in the analysis worker (worker.py). This module imports nothing
heavy: the store loads on the first check."""
from __future__ import annotations

import logging
import os
import threading
from typing import Any

log = logging.getLogger("aliwatch.host")

DEFAULT_INTERVAL = 60.0  # seconds; ALIWATCH_REMINDER_INTERVAL overrides it (tests use a fraction of a second)
_PUSH_BATCH = 200  # warnings per pushed message: far below the 1 MiB a host may send


def interval() -> float:
    raw = os.environ.get("ALIWATCH_REMINDER_INTERVAL")
    if not raw:
        return DEFAULT_INTERVAL
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        log.warning("ALIWATCH_REMINDER_INTERVAL=%r is not a positive number; using %s s", raw, DEFAULT_INTERVAL)
        return DEFAULT_INTERVAL
    return value


class Reminders:
    """One per host connection. `poke()` asks for a check now (after a snapshot was stored)."""

    def __init__(self, host: Any) -> None:
        self._host = host
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="aliwatch-reminders", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """End run() after the check in progress, if any: interrupting it could claim a reminder (mark it
        shown in the store) and then drop the push."""
        self._stopping = True
        self._wake.set()

    def join(self, timeout: float | None = 30.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        # The first timed check waits a full interval: a fresh host answers the browser's first snapshot
        # without the store competing for the worker (the cold-start benchmark), and a snapshot pokes anyway.
        period = interval()
        while not self._stopping:
            self._wake.wait(timeout=period)
            self._wake.clear()
            if self._stopping:
                break
            self.check()

    def check(self) -> list[dict]:
        from aliwatch.host import worker

        try:
            return worker.run(self._check_now)
        except Exception:  # never let a reminder bug end the host
            log.exception("reminder check failed")
            return []

    def _check_now(self) -> list[dict]:
        """In the analysis worker, pushes included: a check's pushes are out before the worker takes its next
        job, so a snapshot's reply never overtakes them."""
        due = self._host.memory.due_reminders()
        for start in range(0, len(due), _PUSH_BATCH):
            self._host.push({"type": "warnings", "warnings": due[start:start + _PUSH_BATCH]})
        # Privacy (issue 13): after a `forget`, the extension drops what it keeps about forgotten orders.
        keep = self._host.memory.forgotten()
        if keep is not None:
            self._host.push({"type": "forgotten", "keep": keep})
        return due
