"""The dashboard page in real Chromium: its "What to do" column gives advice, never the deadline's name
again (issue #11). A real `aliwatch dashboard` on loopback, a real store, the token from a file."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from aliwatch.store import Store
from .e2e_helpers import CHROMIUM, TIMEOUT_MS


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} not found: apt-get install chromium")
def test_what_to_do_is_advice_not_the_deadline_name(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    now = datetime.now(timezone.utc).replace(microsecond=0)
    db = tmp_path / "aliwatch.db"
    with Store(db) as s:  # two orders: one with advice about its deadline, one with none
        s.record({}, {"now": now.isoformat(), "cards": [
            {"order_id": "8213000000000001", "status": "completed", "status_text": "Completed", "deadlines": [
                {"kind": "delivery_promised", "at": (now + timedelta(days=9)).isoformat(), "basis": "stated",
                 "text": "Delivery by"}]},
            {"order_id": "8213000000000002", "status": "awaiting_delivery", "status_text": "Awaiting delivery",
             "deadlines": [{"kind": "protection_ends", "at": (now + timedelta(days=2)).isoformat(),
                            "basis": "stated", "text": "Buyer protection"}]}]})
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
    env.update(ALIWATCH_DB=str(db), XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    proc = subprocess.Popen([sys.executable, "-m", "aliwatch", "dashboard", "--no-browser", "--port", "0"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), proc.stderr.read() if proc.poll() is not None else url
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(url, timeout=TIMEOUT_MS)
            # A locator wait, not wait_for_function: the page's CSP forbids the eval that one may use.
            page.locator("#rows tr").nth(1).wait_for(timeout=TIMEOUT_MS)
            assert page.locator("#rows tr").count() == 2
            rows = page.locator("#rows tr").evaluate_all(
                "trs => trs.map(tr => [...tr.cells].map(td => td.textContent))")
            browser.close()
    finally:  # stopping it is not what this test checks: terminate, and kill if that is not enough
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    by_order = {r[2]: r for r in rows}
    advised = by_order["8213000000000002"]
    assert advised[1] == "Buyer protection ends" and advised[3] and advised[3] != advised[1]
    quiet = by_order["8213000000000001"]
    assert quiet[1] == "Promised delivery" and quiet[3] == "—", quiet
