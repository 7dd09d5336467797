"""The scenarios every browser must pass, written once and run on real Chromium (Playwright) and real Firefox
ESR (WebDriver BiDi) through the BrowserDriver of tests/e2e/drivers.py: the built extension + the real
`aliwatch host` registered with `aliwatch install`, on the fixture pages served under AliExpress host names.

One browser per module and browser for the scenarios that only read the page (a fresh page load each);
a fresh profile and HOME for the one that needs no host registered. Browser-specific checks stay in
test_chromium.py and test_firefox.py.

Run: python -m pytest -q tests/e2e/test_both_browsers.py -s   ($ALIWATCH_E2E_SHOTS keeps the screenshots)
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from .drivers import WAIT_S, BrowserDriver, browser_missing, chromium_driver, firefox_driver
from .e2e_helpers import DETAIL_URL, DISPUTE_URL, LIST_URL, load_truth

pytestmark = pytest.mark.e2e
log = logging.getLogger("aliwatch.e2e")

# http pages have no navigator.clipboard, so Copy runs the execCommand("copy") fallback: Chromium copies;
# headless Firefox may refuse, and then the status says how to finish by hand (never nothing).
COPY_STATUS = {"chromium": ("Copied",), "firefox": ("Copied", "Selected: press Ctrl+C to copy")}


@pytest.fixture(scope="module", params=["chromium", "firefox"])
def browser(request) -> str:
    if why := browser_missing(request.param):
        pytest.skip(why)
    return request.param


def _driver(name: str, request, extension, firefox_build, server, where, with_host: bool = True):
    if name == "chromium":
        return chromium_driver(request.getfixturevalue("playwright"), extension, server, where, with_host)
    return firefox_driver(firefox_build, server, where, with_host)


@pytest.fixture(scope="module")
def shared(browser, request, extension, firefox_build, server, tmp_path_factory) -> BrowserDriver:
    """One browser with the host registered, shared by the scenarios that only read pages."""
    with _driver(browser, request, extension, firefox_build, server, tmp_path_factory.mktemp(browser)) as d:
        yield d
    log.info("server requests: %s", server.requests)


@pytest.fixture
def driver(shared: BrowserDriver) -> BrowserDriver:
    """The shared browser, with no panel left open by the test before."""
    if shared.count("aliwatch-panel"):
        shared.close_panel()
    return shared


@pytest.fixture
def no_host(browser, request, extension, firefox_build, server, tmp_path) -> BrowserDriver:
    """A browser of its own on a fresh profile and HOME, with no host registered (yet)."""
    with _driver(browser, request, extension, firefox_build, server, tmp_path, with_host=False) as d:
        yield d


def test_list_page_badges_match_truth(driver, shots_dir) -> None:
    orders = load_truth("list_en_mixed")["orders"]
    driver.goto(LIST_URL)
    driver.wait_badges(len(orders))
    assert driver.count("aliwatch-notice") == 0

    shot = driver.screenshot(shots_dir / f"{driver.name}-list_en_mixed-badges.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    print(f"\n[e2e] {driver.name} screenshot of the badged list page: {shot}")

    badges = driver.badges()
    assert sorted(b["order_id"] for b in badges) == sorted(orders), badges
    assert len({b["key"] for b in badges}) == len(orders)
    for b in badges:
        oid, expected = b["order_id"], orders[b["order_id"]]
        where = f"card {b['key']} (order {oid}): {b}"
        assert b["in_card"] and oid in b["card_text"], where  # the badge sits in the card it describes
        assert b["status"] == expected["status"], where
        panel = driver.open_panel(b["key"])
        codes = [w["code"] for w in panel["warnings"]]
        assert set(expected["warnings"]) <= set(codes), (where, codes)
        assert not set(expected["absent_warnings"]) & set(codes), (where, codes)
        assert b["count"] == str(len(codes)), where
        if codes:  # the badge shows the most severe warning, its detail as tooltip, +N for the rest
            top = panel["warnings"][0]
            assert b["code"] == top["code"] and b["severity"] == top["severity"], where
            assert b["title"] == top["detail"] and b["text"] == top["title"], where
            assert b["more"] == (f"+{len(codes) - 1}" if len(codes) > 1 else None), where
            assert f"aw-sev-{top['severity']}" in b["cls"], where
            assert all(w["title"] and w["detail"] for w in panel["warnings"]), panel
        if not expected["warnings"]:
            # The list states no deadline, so nothing depends on the clock: these cards need nothing.
            assert (b["code"], b["severity"], b["text"]) == ("none", "none", "AliWatch: nothing to do now"), where
            assert "aw-sev-none" in b["cls"], where
        assert panel["deadlines"] == [], (where, panel["deadlines"])  # no card on the list states one
        driver.close_panel()


def test_panel_lists_warning_draft_copy_and_closes(driver) -> None:
    orders = load_truth("list_en_mixed")["orders"]
    oid = next(o for o, t in orders.items() if "dont_confirm_yet" in t["warnings"])
    driver.goto(LIST_URL)
    driver.badge_attr(oid, "data-code", "dont_confirm_yet")
    assert driver.badge_attr(oid, "data-severity") == "warning"
    key = driver.badge_attr(oid, "data-aliwatch-for")

    panel = driver.open_panel(key)
    assert f"Order {oid}" in panel["heading"], panel["heading"]
    item = [w for w in panel["warnings"] if w["code"] == "dont_confirm_yet"]
    assert len(item) == 1 and item[0]["title"] and item[0]["detail"], panel["warnings"]
    assert driver.badge_attr(oid, "title") == item[0]["detail"]
    assert panel["draft"].strip() and oid in panel["draft"], panel["draft"]
    assert panel["focused"] == "aw-close", panel["focused"]
    driver.expect_focused("#aliwatch-panel", "button.aw-close")

    status = driver.copy_draft()
    assert status in COPY_STATUS[driver.name], status

    driver.close_panel()
    driver.expect_focused(f'aliwatch-badge[data-order-id="{oid}"]', "button.aw-badge")  # back to the badge
    driver.open_panel(key)  # Escape closes it too
    driver.press_escape()
    driver.wait_count("aliwatch-panel", 0)


def open_the_only_order(driver, case: str, url: str) -> tuple[str, dict, dict]:
    """A one-order page (detail, dispute): its one badge reads the truth's order and status; its panel opened.
    Returns (order id, the truth's expectations, the panel)."""
    (oid, expected), = load_truth(case)["orders"].items()
    driver.goto(url)
    driver.wait_badges(1)
    (b,) = driver.badges()
    assert (b["order_id"], b["status"]) == (oid, expected["status"]), b
    return oid, expected, driver.open_panel(b["key"])


def test_detail_page_protection_and_deadlines(driver) -> None:
    oid, expected, panel = open_the_only_order(driver, "detail_en_awaiting_delivery", DETAIL_URL)
    codes = {w["code"] for w in panel["warnings"]}
    # The helper counts from the real clock, not truth["now"]: assert only what holds on any date.
    assert "dont_confirm_yet" in codes, codes
    assert not {"seller_late_shipping", "payment_due"} & codes, codes
    if datetime.now(timezone.utc) > datetime(2026, 10, 31, tzinfo=timezone.utc):  # promised Oct 30 has passed
        assert "late_delivery_compensation" in codes, codes
    kinds = {d["kind"]: d for d in panel["deadlines"]}
    assert set(expected["deadlines"]) <= set(kinds), panel["deadlines"]
    assert kinds["protection_ends"]["basis"] == "stated" and "Buyer protection ends" in kinds["protection_ends"]["text"]
    assert kinds["delivery_promised"]["basis"] == "stated" and "Promised delivery" in kinds["delivery_promised"]["text"]
    assert oid in panel["draft"], panel["draft"]
    driver.close_panel()


def test_dispute_page_seller_countdown(driver) -> None:
    oid, expected, panel = open_the_only_order(driver, "dispute_en_awaiting_seller", DISPUTE_URL)
    codes = {w["code"]: w for w in panel["warnings"]}
    # A countdown ("3 days 23:10:02") is counted from the capture time, so these hold on any date.
    assert set(expected["warnings"]) <= set(codes), codes
    assert not set(expected["absent_warnings"]) & set(codes), codes
    for code, severity in expected.get("severities", {}).items():
        assert codes[code]["severity"] == severity, codes
    assert [(d["kind"], d["basis"]) for d in panel["deadlines"]] == [("seller_response_due", "countdown")]
    driver.close_panel()


def test_helper_missing_shows_notice_then_recovers(no_host) -> None:
    driver = no_host
    driver.goto(LIST_URL)
    notice = driver.notice()
    assert "aliwatch install" in notice["message"], notice
    assert driver.missing_host_error in notice["error"], notice  # the browser's own words
    assert driver.count("aliwatch-badge") == 0

    # Installing the host while the page is open: the extension reconnects (backoff), drops the notice
    # and sends the cards again, without a reload.
    driver.install_host()
    orders = load_truth("list_en_mixed")["orders"]
    driver.wait_badges(len(orders), 2 * WAIT_S)
    assert driver.count("aliwatch-notice") == 0
