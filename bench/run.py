"""AliWatch benchmarks (issue #10): every row of the issue's table, each with its goal and what this run
measured. Nothing here is a test; run it on a quiet machine to judge the goals.

Ratios are the median of interleaved pairs: ours, then the baseline, then ours again… and the median of the
per-pair ratios, so a busy moment of a shared machine hits both sides of a pair alike. The cold baseline is
spawning `python -c "import bs4, lxml.html"`. Snapshots are the exact message the real extension sent on the
60-order page (bench/data/snapshot_60.json, captured by `bench/chromium.py --capture`): the cards' markup
without img, svg, script, style or `style=`, with `ui_lang`.

Rows:
 1. cold host, spawn → reply to the extension's snapshot, 10 cards ÷ baseline      (goal <= 1.2x)
 2. the same, 60 cards ÷ baseline                                                   (goal <= 1.5x)
 3. cold `aliwatch analyze` of the 60-order page ÷ baseline                         (goal <= 2.0x)
 4. cold `analyze` of that page without any language ÷ with `--lang en`            (goal <= 1.05x)
 5. warm analysis of the 60-order page ÷ bare BeautifulSoup(html, "lxml")           (goal <= 1.2x)
    (and, for reference, bs4 ÷ bare lxml.etree.HTML: the parser's own wall)
 6. warm cost per card, 1,000-card page ÷ 60-card page                              (goal <= 1.15x)
 7. host memory after 300 snapshots of 60 cards: VmRSS and the peak VmHWM           (goal <= 50 MB)
 8. `aliwatch export --format ics` of 10,000 stored orders                          (goal <= 1 s)
 9. real Chromium, snapshot → all 60 badges, warm / cold host (bench/chromium.py)  (goal <= 150 / 350 ms)

Usage: python bench/run.py [--pairs N] [--rss-snapshots N] [--only 1,2,…] [--no-chromium]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
BIG = ROOT / "tests" / "fixtures" / "list_en_big"
SNAPSHOT = ROOT / "bench" / "data" / "snapshot_60.json"
URL = "https://www.aliexpress.com/p/order/index.html"
NOW = "2026-11-26T09:00:00+00:00"
PY = sys.executable


# --- measuring -------------------------------------------------------------------------------------------

def pairs(ours, base, n: int) -> tuple[float, float, float]:
    """(median ours, median base, median of ours/base per pair), the two run alternately n times."""
    a, b = [], []
    for _ in range(n):
        a.append(ours())
        b.append(base())
    return statistics.median(a), statistics.median(b), statistics.median(x / y for x, y in zip(a, b))


def clock(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def env_for(tmp: str) -> dict:
    """The host or CLI as a browser starts it: compiled .pyc files, a store and a log of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["ALIWATCH_DB"] = os.path.join(tmp, "bench.db")
    env["ALIWATCH_LOG"] = os.path.join(tmp, "host.log")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "helper"), env.get("PYTHONPATH")) if p)
    return env


def spawn(args: list[str], env: dict) -> float:
    return clock(lambda: subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def baseline(env: dict) -> float:
    return spawn([PY, "-c", "import bs4, lxml.html"], env)


# --- the extension's snapshot ----------------------------------------------------------------------------

def snapshot(cards: int = 60, req_id: int = 1) -> dict:
    msg = json.loads(SNAPSHOT.read_text("utf-8"))
    msg["cards"] = msg["cards"][:cards]
    msg["id"] = req_id
    return msg


def frame(obj: dict) -> bytes:
    body = json.dumps(obj).encode()
    return struct.pack("=I", len(body)) + body


def read_reply(stream, req_id) -> list[dict]:
    """Frames up to the last part of the reply to req_id (pushed frames without that id are skipped)."""
    out = []
    while True:
        head = stream.read(4)
        if len(head) < 4:
            raise SystemExit("the host closed stdout before replying")
        msg = json.loads(stream.read(struct.unpack("=I", head)[0]))
        if msg.get("id") != req_id:
            continue
        out.append(msg)
        if msg.get("type") != "analysis" or msg.get("part") == msg.get("parts"):
            return out


def host_reply(data: bytes, cards: int, env: dict) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "aliwatch", "host"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)
    proc.stdin.write(data)
    proc.stdin.flush()
    reply = read_reply(proc.stdout, 1)
    elapsed = time.perf_counter() - t0
    proc.stdin.close()
    proc.wait(timeout=30)
    got = sum(len(m.get("cards", [])) for m in reply if m.get("type") == "analysis")
    if got != cards:
        raise SystemExit(f"unexpected host reply: {str(reply)[:300]}")
    return elapsed


# --- the rows --------------------------------------------------------------------------------------------

def row_cold_host(n: int, cards: int, goal: float) -> str:
    data = frame(snapshot(cards))
    with tempfile.TemporaryDirectory(prefix="aliwatch-bench-") as tmp:
        env = env_for(tmp)
        host_reply(data, cards, env), baseline(env)  # fills the OS file cache and writes the .pyc files
        ours, base, ratio = pairs(lambda: host_reply(data, cards, env), lambda: baseline(env), n)
    return (f"cold host, spawn → reply to the extension's snapshot, {cards} cards: {ours * 1000:.0f} ms; "
            f"baseline {base * 1000:.0f} ms; ratio {ratio:.2f}x (goal <= {goal}x){_met(ratio <= goal)}")


def _analyze_cmd(page: Path, *extra: str) -> list[str]:
    return [PY, "-m", "aliwatch", "analyze", str(page), "--url", URL, "--now", NOW, "--tz", "UTC", "--json", *extra]


def row_cold_analyze(n: int) -> str:
    page = BIG / "page.html"
    with tempfile.TemporaryDirectory(prefix="aliwatch-bench-") as tmp:
        env = env_for(tmp)
        cmd = _analyze_cmd(page)
        spawn(cmd, env), baseline(env)
        ours, base, ratio = pairs(lambda: spawn(cmd, env), lambda: baseline(env), n)
    return (f"cold `aliwatch analyze` of the 60-order page: {ours * 1000:.0f} ms; baseline {base * 1000:.0f} ms; "
            f"ratio {ratio:.2f}x (goal <= 2.0x){_met(ratio <= 2.0)}")


def row_cold_no_lang(n: int) -> str:
    """The same page without `<html lang>` (so the language is guessed from its words) against it with --lang."""
    with tempfile.TemporaryDirectory(prefix="aliwatch-bench-") as tmp:
        env = env_for(tmp)
        page = Path(tmp) / "page.html"
        page.write_text(re.sub(r'<html lang="en"', "<html", (BIG / "page.html").read_text("utf-8"), count=1), "utf-8")
        guess, hint = _analyze_cmd(page), _analyze_cmd(page, "--lang", "en")
        out = json.loads(subprocess.run(guess, env=env, check=True, capture_output=True).stdout)
        if out["lang"] != "en":
            raise SystemExit(f"the page without lang was read as {out['lang']!r}")
        spawn(hint, env)
        ours, base, ratio = pairs(lambda: spawn(guess, env), lambda: spawn(hint, env), n)
    return (f"cold `analyze`, page with no lang: {ours * 1000:.0f} ms; with --lang en: {base * 1000:.0f} ms; "
            f"ratio {ratio:.2f}x (goal <= 1.05x){_met(ratio <= 1.05)}")


def row_warm(n: int) -> list[str]:
    from bs4 import BeautifulSoup
    from lxml import etree

    from aliwatch.analysis import analyze_html

    html = (BIG / "page.html").read_text("utf-8")
    now = datetime.fromisoformat(NOW)
    run = lambda: analyze_html(html, url=URL, now=now, tz="UTC", lang="en", ui_lang="en")  # noqa: E731
    soup = lambda: BeautifulSoup(html, "lxml")  # noqa: E731
    floor = lambda: etree.HTML(html)  # noqa: E731
    for _ in range(2):
        run(), soup(), floor()
    ours, bare, ratio = pairs(lambda: clock(run), lambda: clock(soup), n)
    bs4_t, lxml_t, wall = pairs(lambda: clock(soup), lambda: clock(floor), n)
    return [f"warm analysis of the 60-order page: {ours * 1000:.1f} ms; bare BeautifulSoup(html, 'lxml'): "
            f"{bare * 1000:.1f} ms; ratio {ratio:.2f}x (goal <= 1.2x){_met(ratio <= 1.2)}",
            f"  reference: BeautifulSoup(html, 'lxml') {bs4_t * 1000:.1f} ms ÷ bare lxml.etree.HTML "
            f"{lxml_t * 1000:.1f} ms = {wall:.1f}x (bs4's own cost, the wall under row 5)"]


def big_page(cards: int) -> str:
    """An order list of `cards` cards: the extension's 60 cards repeated, each copy with its own order ids."""
    source = [c["html"] for c in snapshot(60)["cards"]]
    ids = re.compile(r"\b(82\d{14})\b")
    parts = []
    for i in range(cards):
        copy_no = i // len(source)
        markup = source[i % len(source)]
        if copy_no:
            markup = ids.sub(lambda m: f"{int(m.group(1)) + copy_no * 7919:016d}", markup)
        parts.append(markup)
    return f'<html lang="en"><body><div class="order-main">{"".join(parts)}</div></body></html>'


def row_per_card(n: int) -> str:
    from aliwatch.analysis import analyze_html

    now = datetime.fromisoformat(NOW)
    small, large = big_page(60), big_page(1000)
    run = lambda html: analyze_html(html, url=URL, now=now, tz="UTC", lang="en")  # noqa: E731
    got = len(run(large)["orders"]), len(run(small)["orders"])
    if got != (1000, 60):
        raise SystemExit(f"the synthetic pages gave {got} orders, not (1000, 60)")
    per_large, per_small, ratio = pairs(lambda: clock(lambda: run(large)) / 1000,
                                        lambda: clock(lambda: run(small)) / 60, max(3, n // 2))
    return (f"warm cost per card: 1,000-card page {per_large * 1e6:.0f} µs; 60-card page {per_small * 1e6:.0f} µs; "
            f"ratio {ratio:.2f}x (goal <= 1.15x){_met(ratio <= 1.15)}")


def status_mb(pid: int) -> dict:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return out


def row_rss(count: int) -> str:
    if not Path("/proc/self/status").exists():
        return "host memory: SKIPPED (needs Linux /proc)"
    base = snapshot(60)
    with tempfile.TemporaryDirectory(prefix="aliwatch-bench-") as tmp:
        env = env_for(tmp)
        proc = subprocess.Popen([PY, "-m", "aliwatch", "host"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env)
        for n in range(1, count + 1):
            proc.stdin.write(frame({**base, "id": n}))
            proc.stdin.flush()
            read_reply(proc.stdout, n)
        mem = status_mb(proc.pid)
        proc.stdin.close()
        proc.wait(timeout=60)
    ok = mem["VmHWM"] <= 50
    return (f"host memory after {count} snapshots of 60 cards: VmRSS {mem['VmRSS']:.1f} MB, peak VmHWM "
            f"{mem['VmHWM']:.1f} MB (goal <= 50 MB){_met(ok)}")


def row_ics(n: int) -> str:
    from store import NOW as STORE_NOW, history

    from aliwatch.store import Store

    with tempfile.TemporaryDirectory(prefix="aliwatch-bench-") as tmp:
        env = env_for(tmp)
        with Store(Path(env["ALIWATCH_DB"])) as store:
            store.record({"cards": []}, history(10_000, 200))
        out = Path(tmp) / "out.ics"
        cmd = [PY, "-m", "aliwatch", "export", "--format", "ics", "-o", str(out), "--now", STORE_NOW.isoformat()]
        spawn(cmd, env)
        times = [spawn(cmd, env) for _ in range(max(3, n // 2))]
        events = out.read_text("utf-8").count("BEGIN:VEVENT")
    t = statistics.median(times)
    return (f"`aliwatch export --format ics`, 10,000 orders ({events} events): {t * 1000:.0f} ms "
            f"(median of {len(times)}; goal <= 1000 ms){_met(t <= 1.0)}")


def row_chromium(n: int) -> list[str]:
    import chromium

    return chromium.report(chromium.measure(n))


def _met(ok: bool) -> str:
    return ": met" if ok else ": NOT met"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=9, help="interleaved pairs per ratio (default 9)")
    ap.add_argument("--rss-snapshots", type=int, default=300)
    ap.add_argument("--only", help="comma-separated row numbers, e.g. 1,2,5")
    ap.add_argument("--no-chromium", action="store_true", help="skip row 9")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "helper"))
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "helper"), os.environ.get("PYTHONPATH")) if p)
    rows = {
        1: lambda: row_cold_host(args.pairs, 10, 1.2),
        2: lambda: row_cold_host(args.pairs, 60, 1.5),
        3: lambda: row_cold_analyze(args.pairs),
        4: lambda: row_cold_no_lang(args.pairs),
        5: lambda: row_warm(args.pairs * 3),
        6: lambda: row_per_card(args.pairs),
        7: lambda: row_rss(args.rss_snapshots),
        8: lambda: row_ics(args.pairs),
        9: lambda: ["real Chromium: SKIPPED (--no-chromium)"] if args.no_chromium else row_chromium(max(3, args.pairs // 2)),
    }
    only = {int(x) for x in args.only.split(",")} if args.only else set(rows)
    print(f"AliWatch benchmarks; ratios are medians of {args.pairs} interleaved pairs; baseline: "
          f"python -c 'import bs4, lxml.html'", flush=True)
    for number, row in rows.items():
        if number not in only:
            continue
        lines = row()
        for i, line in enumerate([lines] if isinstance(lines, str) else lines):
            print(f"{number}. {line}" if i == 0 else f"   {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
