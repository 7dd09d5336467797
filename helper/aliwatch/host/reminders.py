"""The reminder loop: while the browser is connected, push {"type": "warnings", "warnings": [...]} when a
stored deadline crosses a threshold (reminders.py). Checks run on a timer and after each snapshot,
in the analysis worker thread (worker.py). This module imports nothing heavy: the store loads on the first check."""
from __future__ import annotations

import asyncio
import logging
import os
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
        self._wake = asyncio.Event()
        self._stopping = False

    def poke(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """End run() after the check in progress, if any: cancelling it could claim a reminder (mark it
        shown in the store) and then drop the push."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        # The first timed check waits a full interval: a fresh host answers the browser's first snapshot
        # without the store competing for the worker (the cold-start benchmark), and a snapshot pokes anyway.
        period = interval()
        while not self._stopping:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=period)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
            if self._stopping:
                break
            await self.check()

    async def check(self) -> list[dict]:
        from aliwatch.host import worker

        try:
            due = await worker.run(self._host.memory.due_reminders)
        except Exception:  # never let a reminder bug end the host
            log.exception("reminder check failed")
            return []
        for start in range(0, len(due), _PUSH_BATCH):
            await self._host.push({"type": "warnings", "warnings": due[start:start + _PUSH_BATCH]})
        await self._forgotten()
        return due

    async def _forgotten(self) -> None:
        """Privacy (issue 13): after a `forget`, the extension drops what it keeps about forgotten orders."""
        from aliwatch.host import worker

        try:
            keep = await worker.run(self._host.memory.forgotten)
        except Exception:
            log.exception("forgotten-orders check failed")
            return
        if keep is not None:
            await self._host.push({"type": "forgotten", "keep": keep})
