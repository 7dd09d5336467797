"""What hostile card text costs (issue 13, finding 1): the store's scrub of the issue's two cards, and a real
`aliwatch host` answering a ping and the next card after a snapshot carrying them.

The audit measured, before the fix: 400 x in an item title took 50 s to scrub, a 100,000-letter word 42 s,
and the next card's answer 14.5 s. Goal: each well under a second.

Usage: python bench/hostile.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "helper"))

from aliwatch.host.codec import decode, encode, read_frame  # noqa: E402
from aliwatch.store.scrub import scrub  # noqa: E402

TITLE = '<div class="order-item"><a class="title">' + "x" * 400 + "</a></div>"
WORD = '<div class="order-item"><p>' + "a" * 100_000 + "</p></div>"


def card(order_id: str, title: str) -> str:
    return ('<div class="order-item"><span class="order-item-header-status-text">Awaiting delivery</span>'
            f"<div>Order ID: {order_id}</div><a>{title}</a><p>Refund if no delivery before Dec 1, 2026</p></div>")


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def host_figures() -> tuple[float, float]:
    """(ping latency, next card's answer) right after a snapshot with both hostile cards."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ALIWATCH_DB": str(Path(tmp) / "aliwatch.db"),
               "PYTHONPATH": str(ROOT / "helper")}
        proc = subprocess.Popen([sys.executable, "-m", "aliwatch", "host"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)

        def ask(msg: dict) -> float:
            start = time.perf_counter()
            proc.stdin.write(encode(msg))
            proc.stdin.flush()
            while decode(read_frame(proc.stdout)).get("id") != msg["id"]:
                pass
            return time.perf_counter() - start

        url = "https://www.aliexpress.com/p/order/index.html"
        ask({"type": "snapshot", "id": 1, "url": url, "cards": [
            {"key": "a", "html": card("8213004417736925", "x" * 400)},
            {"key": "b", "html": card("8213004417736926", "a" * 100_000)}]})
        ping = ask({"type": "ping", "id": 2})
        nxt = ask({"type": "snapshot", "id": 3, "url": url,
                   "cards": [{"key": "c", "html": card("8213004417736927", "USB cable")}]})
        proc.stdin.close()
        proc.wait(60)
        return ping, nxt


def main() -> None:
    print(f"scrub, 400 x in a title:         {timed(lambda: scrub(TITLE)):8.3f} s   (audit: 50 s)")
    print(f"scrub, one 100,000-letter word:  {timed(lambda: scrub(WORD)):8.3f} s   (audit: 42 s)")
    ping, nxt = host_figures()
    print(f"host, ping after those cards:    {ping:8.3f} s")
    print(f"host, the next card's answer:    {nxt:8.3f} s   (audit: 14.5 s)")


if __name__ == "__main__":
    main()
