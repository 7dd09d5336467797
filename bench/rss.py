"""Host memory over a long session (issue #5): the resident set of a real `aliwatch host` after 100, 500 and
1,000 snapshots (goal: at most 60 MB after 1,000, and no growth after warm-up).

Each snapshot is a new order's detail page with its own protection date (so the store grows by an order, its
deadlines and a scrubbed card every time); every tenth is a 10-card page of the big order list. The host
runs with a store in a temp dir and a 50 ms reminder interval, so reminder checks run throughout. RSS is
VmRSS from /proc/PID/status (Linux).

Usage: python bench/rss.py [--snapshots N]
"""
from __future__ import annotations

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

GOAL_MB = 60.0
GROWTH_MB = 2.0  # "not growing": 500 → 1,000 snapshots may add at most this (allocator noise)
CHECKPOINTS = (100, 500, 1000)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def read_frame(stream) -> dict:
    size = struct.unpack("=I", stream.read(4))[0]
    return json.loads(stream.read(size))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--snapshots", type=int, default=1000)
    args = ap.parse_args()
    from run import snapshot
    from store_helpers import DETAIL_ID, detail_snapshot

    detail = json.dumps(detail_snapshot(DETAIL_ID, "Dec 1, 2026"))
    listing = snapshot(10)
    checkpoints = [c for c in CHECKPOINTS if c <= args.snapshots] or [args.snapshots]
    with tempfile.TemporaryDirectory(prefix="aliwatch-rss-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
        env.update(ALIWATCH_DB=str(Path(tmp) / "aliwatch.db"), ALIWATCH_REMINDER_INTERVAL="0.05")
        proc = subprocess.Popen([sys.executable, "-m", "aliwatch", "host"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        figures = {}
        t0 = time.perf_counter()
        for n in range(1, args.snapshots + 1):
            if n % 10 == 0:
                msg = {**listing, "id": n}
            else:
                body = detail.replace(DETAIL_ID, f"82139{n:011d}").replace("Dec 1, 2026", f"Dec {1 + n % 28}, 2026")
                msg = {**json.loads(body), "id": n}
            data = json.dumps(msg).encode()
            proc.stdin.write(struct.pack("=I", len(data)) + data)
            proc.stdin.flush()
            while True:  # skip pushed warnings; the reply carries our id
                reply = read_frame(proc.stdout)
                if reply.get("id") == n:
                    break
            if reply.get("type") != "analysis" or not reply.get("stored"):
                raise SystemExit(f"snapshot {n}: unexpected reply {str(reply)[:200]}")
            if n in checkpoints:
                figures[n] = rss_mb(proc.pid)
                print(f"after {n:>5} snapshots: host RSS {figures[n]:.1f} MB "
                      f"({time.perf_counter() - t0:.0f} s)", flush=True)
        proc.stdin.close()
        proc.wait(timeout=60)
    last = figures[checkpoints[-1]]
    growth = last - figures[checkpoints[1]] if len(checkpoints) > 2 else 0.0
    ok = last <= GOAL_MB and growth <= GROWTH_MB
    print(f"goal: <= {GOAL_MB:.0f} MB after {checkpoints[-1]} snapshots ({last:.1f} MB) and no growth after "
          f"warm-up ({growth:+.1f} MB from {checkpoints[1] if len(checkpoints) > 2 else '-'} to {checkpoints[-1]}, "
          f"at most {GROWTH_MB:+.0f}): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
