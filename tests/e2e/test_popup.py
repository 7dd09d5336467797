"""Real Chromium + the built extension + the real host and deadline store (temp data dir): browsing an order
page stores its deadline; the popup lists it; the options page saves the settings and exports; the host's
push and the reminder alarm (which asks the host what is `due`) each raise a browser notification, once per
deadline and lead time: the host decides and claims, the extension only shows.

Run: python -m pytest -q tests/e2e/test_popup.py
"""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from .e2e_helpers import CHROMIUM, DETAIL_URL, FIXTURES, NOT_IN_FIXTURES, TIMEOUT_MS

if not CHROMIUM.is_file():
    pytest.skip(f"{CHROMIUM} not found: install chromium (apt-get install chromium) to run the real-browser "
                "tests (or point ALIWATCH_CHROMIUM at a Chromium binary)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402

from aliwatch import CHROME_EXTENSION_ID  # noqa: E402
from aliwatch.commands.demo import SampleServer  # noqa: E402

pytestmark = pytest.mark.e2e
EXT = f"chrome-extension://{CHROME_EXTENSION_ID}"
BADGES = "aliwatch-badge[data-status]"
ORDER_ID = "8213004417736925"
ORDER_URL = f"https://www.aliexpress.com/p/order/detail.html?orderId={ORDER_ID}"
# 5 local days from today, as the page writes dates: local midnight then lies 4-5 days ahead, so the 7-day
# reminder is due and the 3-day one is not.
PROTECTION = (datetime.now().astimezone() + timedelta(days=5)).strftime("%b %-d, %Y")


def shifted_detail_server() -> SampleServer:
    """Serves the detail fixture, its protection date moved, at /p/order/detail.html; other paths 404.
    The host judges deadlines by the real clock, so the fixture's own date would pass."""
    page = (FIXTURES / "detail_en_awaiting_delivery" / "page.html").read_text("utf-8")
    assert page.count("Dec 1, 2026") >= 2
    body = page.replace("Dec 1, 2026", PROTECTION).encode("utf-8")
    return SampleServer({"/p/order/detail.html": body}, missing=NOT_IN_FIXTURES)


@pytest.fixture(scope="module")
def server():  # overrides conftest's: `launch` maps the AliExpress names to this one
    with shifted_detail_server() as srv:
        yield srv


def storage(page: Page, key: str):
    """storage.local[key], read from an extension page."""
    return page.evaluate("k => chrome.storage.local.get(k).then(r => r[k] ?? null)", key)


def wait_for(fn, what: str, seconds: float = TIMEOUT_MS / 1000):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = fn()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def service_worker(context):
    workers = [w for w in context.service_workers if w.url.startswith(EXT)]
    return workers[0] if workers else context.wait_for_event("serviceworker", timeout=TIMEOUT_MS)


def protection_notifications(sw) -> list[list[str]]:
    """The shown notifications about the order's protection deadline, as their ids' fields
    [order_id, kind, threshold, due, url] (bg/reminders.js notificationId)."""
    ids = sw.evaluate("() => chrome.notifications.getAll().then(all => Object.keys(all))")
    fields = [json.loads(i.removeprefix("aliwatch|")) for i in ids if i.startswith("aliwatch|")]
    return [f for f in fields if f[:2] == [ORDER_ID, "protection_ends"]]


def tab_address(context, page: Page) -> str:
    """The address a tab was sent to. The fixture server speaks plain http, so an https order page ends on
    Chrome's error page; the navigation entry keeps the address (Playwright does not see requests of a tab
    an extension opened)."""
    page.wait_for_load_state()
    history = context.new_cdp_session(page).send("Page.getNavigationHistory")
    return history["entries"][history["currentIndex"]]["url"]


def stop_dashboard(pid: int) -> None:
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists() and b"dashboard" in cmdline.read_bytes():
        os.kill(pid, signal.SIGTERM)


def open_popup(context) -> Page:
    popup = context.new_page()
    popup.goto(f"{EXT}/popup/popup.html")
    return popup


def test_popup_lists_the_stored_deadline_and_reminders_fire_once(launch) -> None:
    s = launch()
    s.page.goto(DETAIL_URL)
    expect(s.page.locator(BADGES)).to_have_count(1, timeout=TIMEOUT_MS)
    db = Path(s.env["XDG_DATA_HOME"]) / "aliwatch" / "aliwatch.db"
    assert db.is_file(), "the host kept no deadline store in the temp data dir"

    # The popup (as a tab): one entry, the order's protection deadline, soonest first.
    popup = open_popup(s.context)
    entry = popup.locator("li.entry")
    expect(entry).to_have_count(1)
    expect(entry).to_have_attribute("data-order-id", ORDER_ID)
    expect(entry).to_have_attribute("data-kind", "protection_ends")
    expect(entry.locator(".title")).to_have_text("Protection ends in 4 days")
    expect(entry.locator(".action")).to_have_text(
        f"Ask the seller to extend protection, or open a dispute before {PROTECTION}.")
    expect(entry.locator(".order-id")).to_have_text(f"Order {ORDER_ID}")
    expect(entry.locator(".store")).to_have_text("Sonicbay Audio Store")
    expect(entry.locator(".when")).to_contain_text("(in 4 days)")
    link = entry.locator("a.open")
    expect(link).to_have_attribute("href", ORDER_URL)
    with s.context.expect_page() as opened:
        link.click()
    assert tab_address(s.context, opened.value) == ORDER_URL
    opened.value.close()

    # The host pushed the 7-day reminder after storing the snapshot (and claimed it in its store): shown.
    sw = service_worker(s.context)
    pushed = wait_for(lambda: protection_notifications(sw), "the pushed 7-day reminder")
    assert [(n[2], n[4]) for n in pushed] == [("7d", ORDER_URL)], pushed

    # The alarm path, as when no AliExpress page keeps the helper connected: the host forgets its claim (as if
    # nobody had shown it), the notification goes, the reminder alarm fires and asks the host what is `due`.
    sw.evaluate("() => chrome.notifications.getAll().then(all => Promise.all(Object.keys(all)"
                ".map(id => chrome.notifications.clear(id))))")
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM warnings_shown")
    sw.evaluate("() => chrome.alarms.create('aliwatch-reminders', {when: Date.now() + 50})")
    fired = wait_for(lambda: protection_notifications(sw), "the alarm's reminder")
    assert fired == pushed, fired
    # The next lead time (3 days before) has its own one-shot alarm at the moment the host named (`next_at`),
    # so it is not up to 30 min late.
    protection_at = datetime.strptime(PROTECTION, "%b %d, %Y").astimezone()  # local midnight, as the host reads it
    next_alarm = wait_for(lambda: sw.evaluate("() => chrome.alarms.get('aliwatch-reminders-next')"), "next alarm")
    assert next_alarm["scheduledTime"] == (protection_at - timedelta(days=3)).timestamp() * 1000 + 1000, next_alarm
    # The periodic alarm is back after the one-shot, and another check shows nothing twice: the host has
    # claimed the reminder, whichever path showed it.
    alarm = wait_for(lambda: sw.evaluate("() => chrome.alarms.get('aliwatch-reminders')"), "the periodic alarm")
    assert alarm["periodInMinutes"] == 30, alarm
    sw.evaluate("() => chrome.notifications.getAll().then(all => Promise.all(Object.keys(all)"
                ".map(id => chrome.notifications.clear(id))))")
    sw.evaluate("() => chrome.alarms.create('aliwatch-reminders', {when: Date.now() + 50})")
    wait_for(lambda: (sw.evaluate("() => chrome.alarms.get('aliwatch-reminders')") or {}).get("periodInMinutes"),
             "the second check")
    time.sleep(1.5)
    assert protection_notifications(sw) == []
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT threshold FROM warnings_shown WHERE order_id = ?", (ORDER_ID,)).fetchall() == [("7d",)]

    # A click opens the order (orderUrl is unit-tested; a test cannot click a system notification).
    assert sw.evaluate("() => chrome.notifications.onClicked.hasListeners()")


def test_options_page_saves_settings_and_exports(launch) -> None:
    s = launch()
    s.page.goto(DETAIL_URL)
    expect(s.page.locator(BADGES)).to_have_count(1, timeout=TIMEOUT_MS)

    options = s.context.new_page()
    options.goto(f"{EXT}/options/options.html")
    expect(options.locator("body")).to_have_attribute("data-ready", "true")
    guard = options.locator("#confirm-guard")
    expect(guard).to_be_checked()  # on by default
    guard.uncheck()
    wait_for(lambda: (storage(options, "settings") or {}).get("confirmGuard") is False, "confirmGuard: false")
    options.locator('input[name="lead"][value="7d"]').uncheck()
    wait_for(lambda: (storage(options, "settings") or {}).get("leadTimes") == ["3d", "1d", "due"], "lead times")
    options.locator("#lang").select_option("es")
    wait_for(lambda: (storage(options, "settings") or {}).get("draftLang") == "es", "draftLang")
    options.reload()
    expect(options.locator("body")).to_have_attribute("data-ready", "true")
    expect(options.locator("#confirm-guard")).not_to_be_checked()
    expect(options.locator('input[name="lead"][value="7d"]')).not_to_be_checked()
    expect(options.locator("#lang")).to_have_value("es")
    guard = options.locator("#confirm-guard")
    guard.check()
    wait_for(lambda: (storage(options, "settings") or {}).get("confirmGuard") is True, "confirmGuard: true")

    # The popup now speaks the chosen language (the helper's catalogue).
    popup = open_popup(s.context)
    expect(popup.locator("li.entry .title")).to_have_text("La protección termina en 4 días")
    expect(popup.locator("li.entry .when")).to_contain_text("(dentro de 4 días)")

    # Export: the host's CSV, downloaded from the options page.
    with options.expect_download() as download:
        options.locator('button.export[data-format="csv"]').click()
    name = download.value.suggested_filename
    assert name.startswith("aliwatch-") and name.endswith(".csv"), name
    text = Path(download.value.path()).read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(r["order_id"], r["kind"]) for r in rows} >= {(ORDER_ID, "protection_ends"),
                                                          (ORDER_ID, "delivery_promised")}
    expect(options.locator("#export-status")).to_contain_text(name)
    with options.expect_download() as ics:
        options.locator('button.export[data-format="ics"]').click()
    assert Path(ics.value.path()).read_text("utf-8").startswith("BEGIN:VCALENDAR")

    # "Open dashboard": the host starts `aliwatch dashboard` (detached) and the page opens in a tab.
    state = Path(s.env["XDG_DATA_HOME"]) / "aliwatch" / "dashboard.json"
    try:
        with s.context.expect_page(timeout=2 * TIMEOUT_MS) as dash:
            options.locator("#open-dashboard").click()
        address = tab_address(s.context, dash.value)
        assert address.startswith("http://127.0.0.1:") and "?token=" in address, address
        expect(options.locator("#dashboard-status")).to_contain_text("127.0.0.1:")
        # The test browser resolves no address but the fixtures' (--host-resolver-rules), so the page itself
        # is fetched from here: it is the dashboard, and the token in the tab's address opens it.
        with urllib.request.urlopen(address, timeout=10) as resp:
            assert resp.status == 200 and "AliWatch: your order deadlines" in resp.read().decode("utf-8")
        pid = json.loads(state.read_text("utf-8"))["pid"]
        # Asked again, the running one is reused: the same address, no second process.
        with s.context.expect_page() as again:
            options.locator("#open-dashboard").click()
        assert tab_address(s.context, again.value) == address
        assert json.loads(state.read_text("utf-8"))["pid"] == pid
    finally:
        if state.exists():  # the dashboard outlives the browser by design: stop the one this test started
            stop_dashboard(json.loads(state.read_text("utf-8"))["pid"])


def test_popup_without_the_helper_says_how_to_install_it(launch) -> None:
    s = launch(with_host=False)
    popup = open_popup(s.context)
    state = popup.locator("section.state-unavailable")
    expect(state).to_be_visible(timeout=TIMEOUT_MS)
    expect(state.locator(".state-title")).to_have_text("The AliWatch helper is not installed or not reachable.")
    expect(state.locator("pre.command")).to_have_text("pip install aliwatch && aliwatch install")
    expect(state.locator(".said")).to_contain_text("native messaging host")


def test_popup_with_nothing_stored_says_so(launch) -> None:
    s = launch()
    popup = open_popup(s.context)
    expect(popup.locator("section.state-empty .state-title")).to_have_text("No upcoming deadlines.",
                                                                          timeout=TIMEOUT_MS)
    expect(popup.locator("li.entry")).to_have_count(0)
