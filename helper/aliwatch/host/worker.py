"""The analysis worker: one thread that runs analyses and every use of the host's deadline store, so store
writes queue behind analyses instead of racing them, and the stdin reader never waits on the disk. main.py
runs slow requests here; reminders.py its checks (neither reaches into the other)."""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

_executor: ThreadPoolExecutor | None = None


def executor() -> ThreadPoolExecutor:
    # One worker: analyses queue up instead of competing for the GIL; the main thread stays free for pings.
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aliwatch-analysis")
    return _executor


def submit(fn, *args) -> Future:  # type: ignore[no-untyped-def]
    """Queue fn in the analysis worker thread (the one thread that uses the deadline store)."""
    return executor().submit(fn, *args)


def run(fn, *args):  # type: ignore[no-untyped-def]
    """fn's result, computed in the analysis worker thread; the caller waits."""
    return submit(fn, *args).result()
