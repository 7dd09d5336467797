"""A running dashboard on loopback for the dashboard tests (fixtures `db` and `dash`)."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from pathlib import Path

import pytest

from aliwatch.analysis import analyze_snapshot
from aliwatch.dashboard import server
from aliwatch.store import Store
from helpers.snapshots import fixture_snapshot

TOKEN = "t" * 43
PAGE_JS = Path(server.__file__).with_name("page.html")


def record(store: Store, snapshot: dict) -> None:
    store.record(snapshot, analyze_snapshot(snapshot))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "aliwatch.db"


@pytest.fixture
async def dash(db: Path):
    """A running dashboard on a free port, its store holding one order with an upcoming deadline."""
    store = Store(db)
    snap, _ = fixture_snapshot("dispute_en_awaiting_seller")  # seller must respond by Nov 30, 2026
    record(store, snap)
    d = server.Dashboard(store, TOKEN, clock=lambda: datetime(2026, 11, 26, 9, tzinfo=timezone.utc))
    bound = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(server.run(d, 0, bound.set_result))
    await asyncio.wait_for(bound, 10)
    yield d
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    store.close()


def origin(d: server.Dashboard) -> str:
    return f"http://127.0.0.1:{d.port}"
