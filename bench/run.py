"""AliWatch benchmarks (issue #2). Prints two ratios, each measured within one run of this script:

1. warm `analyze` of tests/fixtures/list_en_big ÷ bare BeautifulSoup(html, "lxml") of the same bytes
   (goal ≤ 1.5×): what parsing, deadlines and advice add on top of building the tree.
2. cold start: spawning `aliwatch host` until its reply to a 10-card snapshot ÷ spawning
   `python -c "import bs4, lxml.html"` (goal ≤ 1.5×): the host imports lazily and reads common date
   formats without dateparser.

Usage: python bench/run.py [--repeat N]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIG = ROOT / "tests" / "fixtures" / "list_en_big"
URL = "https://www.aliexpress.com/p/order/index.html"


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def warm_ratio(repeat: int) -> tuple[float, float, float]:
    from bs4 import BeautifulSoup

    from aliwatch.analysis import analyze_html

    html = (BIG / "page.html").read_bytes()
    truth = json.loads((BIG / "truth.json").read_text())
    now = datetime.fromisoformat(truth["now"])
    run = lambda: analyze_html(html, url=URL, now=now, tz="UTC", lang="en")  # noqa: E731
    run()  # warm: imports, phrase tables, date cache
    bare = best_of(lambda: BeautifulSoup(html, "lxml"), repeat)
    ours = best_of(run, repeat)
    return ours, bare, ours / bare


def ten_card_snapshot() -> dict:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((BIG / "page.html").read_bytes(), "lxml")
    cards = [c for c in soup.find_all("div", class_="order-item")][:10]
    return {"type": "snapshot", "id": 1, "url": URL, "lang": "en", "tz": "UTC",
            "captured_at": "2026-11-26T09:00:00Z",
            "cards": [{"key": f"aw{i}", "html": str(c)} for i, c in enumerate(cards)]}


def frame(obj: dict) -> bytes:
    body = json.dumps(obj).encode()
    return struct.pack("=I", len(body)) + body


def host_env(tmp: str) -> dict:
    """A browser's host runs from compiled .pyc files and writes to its own store: never the user's."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["ALIWATCH_DB"] = os.path.join(tmp, "bench.db")
    return env


def host_reply_time(snapshot: bytes, env: dict) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "aliwatch", "host"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    proc.stdin.write(snapshot)
    proc.stdin.flush()
    size = struct.unpack("=I", proc.stdout.read(4))[0]
    reply = json.loads(proc.stdout.read(size))
    elapsed = time.perf_counter() - t0
    proc.stdin.close()
    proc.wait(timeout=10)
    if reply.get("type") != "analysis" or len(reply.get("cards", [])) != 10:
        raise SystemExit(f"unexpected host reply: {str(reply)[:300]}")
    return elapsed


def import_time(env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import bs4, lxml.html"], check=True, env=env)
    return time.perf_counter() - t0


def cold_ratio(repeat: int) -> tuple[float, float, float]:
    snapshot = frame(ten_card_snapshot())
    with tempfile.TemporaryDirectory() as tmp:
        env = host_env(tmp)
        host_reply_time(snapshot, env)  # first run fills the OS file cache and .pyc files, like any later start
        import_time(env)
        ours, base = [], []
        for _ in range(repeat):  # interleaved, so a busy moment of the machine hits both sides
            ours.append(host_reply_time(snapshot, env))
            base.append(import_time(env))
    return statistics.median(ours), statistics.median(base), statistics.median(ours) / statistics.median(base)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    ours, bare, ratio = warm_ratio(max(args.repeat, 3))
    print(f"warm analyze list_en_big: {ours * 1000:.1f} ms; bare BeautifulSoup(lxml): {bare * 1000:.1f} ms; "
          f"ratio {ratio:.2f}x (goal <= 1.5x)")
    ours, base, ratio = cold_ratio(args.repeat)
    print(f"cold host reply to a 10-card snapshot: {ours * 1000:.0f} ms; python -c 'import bs4, lxml.html': "
          f"{base * 1000:.0f} ms; ratio {ratio:.2f}x (goal <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
