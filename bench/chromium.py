"""Real Chromium (issue #10): the built extension on the 60-order list_en_big page, timed from the moment the
content script snapshots the cards to the moment all 60 badges show their analysis, with a warm host (already
running) and a cold one (started by that snapshot). Also records the native messages the extension sends.

How it measures: an init script in the page records `performance.now()` when the content script first marks
an order card with its key (`data-aliwatch-key`, set in the same task that builds and sends the snapshot)
and when the last of the 60 badges gets its `data-status`. Cold: a fresh browser, whose extension starts
`aliwatch host` as it starts (hello), so the page's snapshot is the host's first: bs4, the parser, the phrase
tables and the store load for it. Warm: the same browser, the page reloaded, the host still running.
Cold and warm runs alternate (one browser per pair); the medians are printed.

--capture OUT writes the first `snapshot` message the real extension sent (the host's manifest points at a
recording wrapper that passes every frame through to the real host), e.g. bench/data/snapshot_60.json.

Usage: python bench/chromium.py [--pairs N] [--capture FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "helper"))

CASE = "list_en_big"
CARDS = 60
LIST_URL = "https://www.aliexpress.com/p/order/index.html"  # the content script runs on https only
GOAL_WARM_MS, GOAL_COLD_MS = 150.0, 350.0

# Runs in the page before its own scripts. Attribute changes made by the content script (an isolated world)
# are DOM mutations like any other, so a page-world observer sees them as they happen.
MARKS = """(() => {
  const marks = window.__aw = {snapshot: null, badges: null};
  new MutationObserver((records) => {
    for (const r of records) {
      if (marks.snapshot === null && r.attributeName === 'data-aliwatch-key' && r.target.matches?.('div.order-item'))
        marks.snapshot = performance.now();
    }
    if (marks.badges === null && marks.snapshot !== null
        && document.querySelectorAll('aliwatch-badge[data-status]').length >= %d)
      marks.badges = performance.now();
  }).observe(document, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ['data-aliwatch-key', 'data-status']});
})();""" % CARDS

# Passes frames both ways between the browser and the real launcher, writing the browser's frames to a file.
RECORDER = '''#!{python}
import json, os, struct, subprocess, sys, threading
real = subprocess.Popen([{launcher!r}] + sys.argv[1:], stdin=subprocess.PIPE, stdout=sys.stdout.buffer)
def pump():
    with open({log!r}, "a", encoding="utf-8") as log:
        while True:
            head = sys.stdin.buffer.read(4)
            if len(head) < 4:
                break
            body = sys.stdin.buffer.read(struct.unpack("=I", head)[0])
            log.write(body.decode("utf-8") + "\\n"); log.flush()
            real.stdin.write(head + body); real.stdin.flush()
    real.stdin.close()
threading.Thread(target=pump, daemon=True).start()
sys.exit(real.wait())
'''


def _wait_ms(page) -> float:
    page.wait_for_function("() => window.__aw && window.__aw.badges !== null", timeout=60_000)
    marks = page.evaluate("() => window.__aw")
    return marks["badges"] - marks["snapshot"]


def _launch(p, extension: Path, port: int, tmp: Path, n: int, record: Path | None = None):
    from e2e.e2e_helpers import chromium_args, install_host, isolated_env

    home, udd = tmp / f"home{n}", tmp / f"profile{n}"
    udd.mkdir()
    env = isolated_env(home)
    env.pop("ALIWATCH_LOGLEVEL", None)  # the host's default logging, as a user has it
    manifest = install_host(udd, env)
    if record is not None:
        data = json.loads(manifest.read_text("utf-8"))
        wrapper = tmp / f"recorder{n}.py"
        wrapper.write_text(RECORDER.format(python=sys.executable, launcher=data["path"], log=str(record)), "utf-8")
        wrapper.chmod(0o755)
        manifest.write_text(json.dumps({**data, "path": str(wrapper)}), "utf-8")
    from e2e.e2e_helpers import CHROMIUM

    context = p.chromium.launch_persistent_context(
        str(udd), executable_path=str(CHROMIUM), headless=True, args=chromium_args(extension, port),
        ignore_default_args=["--disable-extensions"], env=env, viewport={"width": 1280, "height": 900})
    page = context.pages[0] if context.pages else context.new_page()
    page.add_init_script(MARKS)
    return context, page


def measure(pairs: int, capture: Path | None = None) -> dict | None:
    """{"warm": [ms…], "cold": [ms…]} or None when Chromium or Playwright is missing."""
    from e2e.e2e_helpers import CHROMIUM, FixtureServer, build_extension

    if not CHROMIUM.is_file():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    cold, warm = [], []
    with tempfile.TemporaryDirectory(prefix="aliwatch-bench-chromium-") as tmpdir, \
            FixtureServer({"/p/order/index.html": CASE}) as server, sync_playwright() as p:
        tmp = Path(tmpdir)
        extension = build_extension(tmp / "build")
        record = tmp / "frames.jsonl" if capture else None
        for n in range(pairs + 1):  # run 0 warms the OS file cache and the .pyc files; not counted
            context, page = _launch(p, extension, server.port, tmp, n, record if n == 0 else None)
            try:
                page.goto(LIST_URL)
                first = _wait_ms(page)
                page.reload()
                second = _wait_ms(page)
            finally:
                context.close()
            if n:
                cold.append(first)
                warm.append(second)
        if capture:
            frames = [json.loads(line) for line in record.read_text("utf-8").splitlines()]
            snap = next(f for f in frames if f.get("type") == "snapshot")
            capture.parent.mkdir(parents=True, exist_ok=True)
            capture.write_text(json.dumps(snap, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return {"cold": cold, "warm": warm}


def report(result: dict | None) -> list[str]:
    if result is None:
        return ["real Chromium, snapshot → all 60 badges: SKIPPED (no Chromium at $ALIWATCH_CHROMIUM or "
                "/usr/lib/chromium/chromium, or no Playwright)"]
    w, c = statistics.median(result["warm"]), statistics.median(result["cold"])
    return [f"real Chromium, snapshot → all {CARDS} badges, warm host: {w:.0f} ms (median of {len(result['warm'])}; "
            f"goal <= {GOAL_WARM_MS:.0f} ms): {'met' if w <= GOAL_WARM_MS else 'NOT met'}",
            f"real Chromium, snapshot → all {CARDS} badges, cold host: {c:.0f} ms (median of {len(result['cold'])}; "
            f"goal <= {GOAL_COLD_MS:.0f} ms): {'met' if c <= GOAL_COLD_MS else 'NOT met'}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=5, help="cold/warm pairs, one browser each")
    ap.add_argument("--capture", type=Path, help="write the extension's first snapshot message here")
    args = ap.parse_args()
    os.environ.setdefault("PYTHONPATH", str(ROOT / "helper"))
    for line in report(measure(args.pairs, args.capture)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
