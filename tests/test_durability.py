"""SIGKILL the real host while it writes, many times: the store stays intact and every deadline whose
snapshot was answered (analysis reply with stored: true) is in it."""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from aliwatch.host.codec import TruncatedFrame, decode, read_frame
from helpers.snapshots import DETAIL_ID, detail_snapshot

ITERATIONS = 25
MONTHS = ["Dec", "Jan", "Feb", "Mar"]


def frames(template: str, first: int, count: int) -> list[tuple[bytes, str, str]]:
    """Snapshot frames for orders first…first+count, each with its own protection date: (frame, id, date)."""
    out = []
    for n in range(first, first + count):
        order_id = f"82139{n:011d}"
        month, dom = MONTHS[n % 4], 1 + n % 28
        body = template.replace(DETAIL_ID, order_id).replace("Dec 1, 2026", f"{month} {dom}, 2027")
        body = body.replace('"id": 1', f'"id": {n}', 1).encode()
        year_month = {"Dec": "2027-12", "Jan": "2027-01", "Feb": "2027-02", "Mar": "2027-03"}[month]
        out.append((struct.pack("=I", len(body)) + body, order_id, f"{year_month}-{dom:02d}"))
    return out


def test_sigkill_during_writes_loses_no_acknowledged_deadline(tmp_path: Path) -> None:
    db = tmp_path / "aliwatch.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
    env.update(ALIWATCH_DB=str(db), ALIWATCH_REMINDER_INTERVAL="0.05")  # reminder writes race snapshot writes
    template = json.dumps(detail_snapshot(DETAIL_ID, "Dec 1, 2026", req_id=1))
    rng = random.Random(5)
    acknowledged: dict[str, str] = {}  # order id -> the protection date its reply confirmed stored
    started = time.monotonic()

    for it in range(ITERATIONS):
        batch = frames(template, it * 1000, 60)
        proc = subprocess.Popen([sys.executable, "-m", "aliwatch", "host"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)

        def feed() -> None:
            try:
                for frame, _, _ in batch:
                    proc.stdin.write(frame)
                    proc.stdin.flush()
            except (BrokenPipeError, OSError):
                pass

        threading.Thread(target=feed, daemon=True).start()
        by_id = {n: (order_id, date) for n, (_, order_id, date) in enumerate(batch, start=it * 1000)}
        # Kill after a random number of answers plus a random slice of the next write.
        answers_before_kill = rng.randint(1, 4)
        answered = 0
        while answered < answers_before_kill:
            body = read_frame(proc.stdout)
            assert body is not None, "the host died on its own"
            msg = decode(body)
            if msg.get("type") == "analysis":
                assert msg["stored"] is True
                order_id, date = by_id[msg["id"]]
                acknowledged[order_id] = date
                answered += 1
        time.sleep(rng.uniform(0, 0.04))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        # A reply already on its way counts too: it was sent only after its commit.
        try:
            while (body := read_frame(proc.stdout)) is not None:
                msg = decode(body)
                if msg.get("type") == "analysis" and msg.get("stored"):
                    acknowledged[by_id[msg["id"]][0]] = by_id[msg["id"]][1]
        except TruncatedFrame:  # killed in the middle of writing a frame: that reply never arrived
            pass
        proc.stdout.close()
        proc.stdin.close()

        with sqlite3.connect(db) as conn:  # opening recovers the WAL, as the next host would
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = dict(conn.execute("SELECT order_id, substr(at, 1, 10) FROM deadlines "
                                       "WHERE kind = 'protection_ends' AND superseded_at IS NULL"))
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        assert fk == []
        missing = {k: v for k, v in acknowledged.items() if stored.get(k) != v}
        assert not missing, f"iteration {it}: acknowledged but not stored: {missing}"

    assert len(acknowledged) >= ITERATIONS
    assert time.monotonic() - started < 120  # the budget is ~30 s; this only catches a hang
