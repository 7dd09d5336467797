"""Host soak (issue 13): 1,000 mixed hostile and normal snapshots, and bad requests among them, on ONE real
`python -m aliwatch host` with its store in a temp dir. Every reply is strict JSON (no NaN, no Infinity) and
carries its request's id, none is `internal`, a ping sent every tenth request answers within 0.5 s, and the
host's resident memory stays flat after warm-up."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from aliwatch.host.codec import MAX_INBOUND, read_frame

SNAPSHOTS = 1000
IN_FLIGHT = 4
PING_LIMIT = 0.5
RSS_GROWTH_MB = 8.0  # after warm-up; hostile cards allocate strings of 100 KB and more, the allocator keeps some
LIST_URL = "https://www.aliexpress.com/p/order/index.html"


def card(order_id: str, title: str = "USB cable", total: str = "US $12.34", extra: str = "") -> str:
    return ('<div class="order-item"><div class="order-item-header">'
            '<span class="order-item-header-status-text">Awaiting delivery</span>'
            f'<div class="order-item-header-right-info">Order ID: {order_id}</div></div>'
            f'<div class="order-item-content"><a class="order-item-content-info-name">{title}</a>'
            f'<div class="order-item-content-opt-price-total">Total: {total}</div>{extra}'
            "<p>Refund if no delivery before Dec 31, 2026</p></div></div>")


def hostile_cards(rng: random.Random, n: int) -> list[str]:
    oid = f"82130044{n:08d}"
    choices = [
        lambda: card(oid, "x" * 400),
        lambda: card(oid, "a" * rng.choice([10_000, 100_000])),
        lambda: card(oid, "\u2022" * 10_000 + " 1234"),
        lambda: card(oid, "Phone case \ud83d broken \udc00"),
        lambda: card(oid, total="US $" + "9" * rng.randint(20, 400)),
        lambda: card(oid, total="US $1" + "0" * 26),
        lambda: card("٨٢١٣٠٠٤٤١٧٧٣٦٩٢٥"),
        lambda: card("８２１３００４４" + f"{n:08d}".translate(str.maketrans("0123456789", "０１２３４５６７８９"))),
        lambda: card(oid, "\u00a0" * 10_000 + "a"),
        lambda: card(oid, "1:" * 5000),
        lambda: card(oid, "a." * 5000 + "@x"),
        lambda: card(oid, extra="<b>" * 2000),
        lambda: '<div class="x' + card(oid),
        lambda: card(oid, "+1 " * 3000),
    ]
    return [rng.choice(choices)() for _ in range(rng.randint(1, 3))]


def bad_requests(rng: random.Random, req_id: int) -> dict:
    return rng.choice([
        {"type": [], "id": req_id}, {"type": {}, "id": req_id}, {"type": "nope", "id": req_id},
        {"type": "calc", "id": req_id, "price": 1e30, "percent": 50, "postage": 1},
        {"type": "calc", "id": req_id, "price": 12.5, "percent": 90, "postage": 4},
        {"type": "draft", "id": req_id, "problem": "not_received", "order": {
            "order_id": "8213004417736925", "status": "awaiting_delivery", "items": [{"title": "y" * 300_000}],
            "total": {"amount": 1e26, "currency": "USD"}}},
        {"type": "draft", "id": req_id, "problem": "not_received", "order": {
            "order_id": "٨٢١٣", "status": "awaiting_delivery"}},
        {"type": "snapshot", "id": req_id, "url": LIST_URL, "cards": [{"key": "a", "html": "<p>"}], "tz": []},
        {"type": "snapshot", "id": req_id, "url": LIST_URL, "cards": [], "captured_at": "x"},
    ])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


class Soak:
    def __init__(self, db: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
        env.update(ALIWATCH_DB=str(db), ALIWATCH_REMINDER_INTERVAL="0.5")
        self.proc = subprocess.Popen([sys.executable, "-m", "aliwatch", "host"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.lock = threading.Condition()
        self.sent: dict[object, float] = {}
        self.done: set[object] = set()
        self.replies: list[dict] = []
        self.problems: list[str] = []
        self.ping_times: list[float] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()  # never let stderr fill up

    def _read(self) -> None:
        while (body := read_frame(self.proc.stdout)) is not None:
            arrived = time.monotonic()
            try:
                msg = json.loads(body.decode("utf-8"), parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
            except ValueError as e:
                with self.lock:
                    self.problems.append(f"not strict JSON: {e}: {body[:200]!r}")
                continue
            with self.lock:
                if "id" not in msg:  # a push (warnings, forgotten)
                    continue
                rid = msg["id"]
                if rid not in self.sent:
                    self.problems.append(f"reply for an id never sent: {str(msg)[:200]}")
                if msg.get("code") == "internal":
                    self.problems.append(f"internal: {str(msg)[:300]}")
                if msg["type"] == "pong":
                    self.ping_times.append(arrived - self.sent[rid])
                if msg["type"] != "analysis" or msg["part"] == msg["parts"]:
                    self.done.add(rid)
                self.replies.append({"id": rid, "type": msg["type"], "code": msg.get("code")})
                self.lock.notify_all()

    def send(self, msg: dict) -> None:
        body = json.dumps(msg).encode("ascii")  # ensure_ascii: lone surrogates travel as \\u escapes
        assert len(body) <= MAX_INBOUND
        with self.lock:
            self.sent[msg["id"]] = time.monotonic()
        self.proc.stdin.write(len(body).to_bytes(4, sys.byteorder) + body)
        self.proc.stdin.flush()

    def wait_until(self, ok, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + timeout
        with self.lock:
            while not ok():
                left = end - time.monotonic()
                assert left > 0, f"no reply within {timeout} s; problems: {self.problems[:5]}"
                self.lock.wait(left)

    def pending(self) -> int:
        return sum(1 for rid in self.sent if rid not in self.done)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="RSS is read from /proc (Linux)")
def test_a_thousand_mixed_snapshots_on_one_host(tmp_path: Path) -> None:
    rng = random.Random(13)
    soak = Soak(tmp_path / "store" / "aliwatch.db")
    soak.send({"type": "hello", "id": "hello"})  # the process has started: pings measure answers, not start-up
    soak.wait_until(lambda: "hello" in soak.done)
    start = time.monotonic()
    rss: dict[int, float] = {}
    try:
        for n in range(SNAPSHOTS):
            soak.wait_until(lambda: soak.pending() < IN_FLIGHT)
            if n % 10 == 0:
                soak.send({"type": "ping", "id": f"p{n}"})
            if n % 25 == 7:
                soak.send(bad_requests(rng, n + 100_000))
            if rng.random() < 0.5:
                cards = hostile_cards(rng, n)
            else:
                cards = [card(f"82130044{n:08d}", total=f"US ${rng.randint(1, 999)}.{rng.randint(0, 99):02d}")]
            soak.send({"type": "snapshot", "id": n, "url": LIST_URL, "tz": "UTC",
                       "cards": [{"key": f"c{i}", "html": html} for i, html in enumerate(cards)]})
            if n + 1 in (200, SNAPSHOTS):
                soak.wait_until(lambda: soak.pending() == 0)
                rss[n + 1] = rss_mb(soak.proc.pid)
        soak.wait_until(lambda: soak.pending() == 0)
    finally:
        soak.proc.stdin.close()
        code = soak.proc.wait(60)
    took = time.monotonic() - start
    assert code == 0
    assert not soak.problems, "\n".join(soak.problems[:10])
    assert {r["id"] for r in soak.replies} == set(soak.sent)  # every request answered, with its own id
    assert len(soak.ping_times) == SNAPSHOTS // 10 and "hello" in soak.done
    assert max(soak.ping_times) <= PING_LIMIT, sorted(soak.ping_times)[-5:]
    assert rss[SNAPSHOTS] - rss[200] <= RSS_GROWTH_MB, rss
    print(f"soak: {SNAPSHOTS} snapshots in {took:.1f} s, slowest ping {max(soak.ping_times) * 1e3:.0f} ms, "
          f"RSS {rss}, slowest pings {[round(t * 1e3) for t in sorted(soak.ping_times)[-6:]]} ms")
