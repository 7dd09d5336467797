"""The analysis worker: one thread that runs analyses and every use of the host's deadline store, so store
writes queue behind analyses instead of racing them, and the event loop never waits on the disk. dispatch.py
runs slow requests here; reminders.py its checks (neither reaches into the other)."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

_executor: ThreadPoolExecutor | None = None


def executor() -> ThreadPoolExecutor:
    # One worker: analyses queue up instead of competing for the GIL; the loop stays free for pings.
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aliwatch-analysis")
    return _executor


async def run(fn, *args):  # type: ignore[no-untyped-def]
    """Run fn in the analysis worker thread (the one thread that uses the deadline store)."""
    return await asyncio.get_running_loop().run_in_executor(executor(), fn, *args)
