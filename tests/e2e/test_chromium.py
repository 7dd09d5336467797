"""Real-browser end-to-end: Debian Chromium (headless) + the built extension + the real `aliwatch host`,
registered with `aliwatch install --user-data-dir`, on fixture pages served under AliExpress host names.

Run: python -m pytest -q tests/e2e -s   (prints the screenshot path; $ALIWATCH_E2E_SHOTS keeps the PNGs)
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from .e2e_helpers import CHROMIUM, DETAIL_URL, DISPUTE_URL, LIST_URL, TIMEOUT_MS, install_host, load_truth

if not CHROMIUM.is_file():
    pytest.skip(f"{CHROMIUM} not found: install chromium (apt-get install chromium) to run the real-browser "
                "tests (or point ALIWATCH_CHROMIUM at a Chromium binary)", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402 (after the skip: no browser, no need)

pytestmark = pytest.mark.e2e
log = logging.getLogger("aliwatch.e2e")
BADGES = "aliwatch-badge[data-status]"  # a badge gets its data-status once the helper's reply is shown


def badge_info(page: Page) -> list[dict]:
    return page.locator("aliwatch-badge").evaluate_all(
        """hosts => hosts.map(h => ({
            key: h.getAttribute('data-aliwatch-for'), order_id: h.getAttribute('data-order-id'),
            status: h.getAttribute('data-status'), code: h.getAttribute('data-code'),
            severity: h.getAttribute('data-severity'), count: h.getAttribute('data-count'),
            title: h.getAttribute('title'),
            text: h.shadowRoot.querySelector('button.aw-badge .aw-title')?.textContent ?? null,
            more: h.shadowRoot.querySelector('button.aw-badge .aw-more')?.textContent ?? null,
            cls: h.shadowRoot.querySelector('button.aw-badge')?.className ?? null,
            card_text: document.querySelector(`[data-aliwatch-key="${h.getAttribute('data-aliwatch-for')}"]`)
                ?.textContent ?? null,
            in_card: Boolean(h.closest(`[data-aliwatch-key="${h.getAttribute('data-aliwatch-for')}"]`)),
        }))"""
    )


def open_panel(page: Page, key: str) -> dict:
    """Clicks the card's badge and reads the panel (warnings, deadlines, draft). Leaves it open."""
    page.locator(f'aliwatch-badge[data-aliwatch-for="{key}"] button.aw-badge').click()
    panel = page.locator("#aliwatch-panel")
    expect(panel.locator(".aw-dialog")).to_be_visible()
    expect(panel).to_have_attribute("data-aliwatch-for", key)
    warnings = panel.locator("li.aw-warning").evaluate_all(
        """els => els.map(e => ({code: e.dataset.code, severity: e.dataset.severity,
             title: e.querySelector('.aw-w-title')?.textContent ?? '',
             detail: e.querySelector('.aw-w-detail')?.textContent ?? ''}))""")
    deadlines = panel.locator("li.aw-deadline").evaluate_all(
        "els => els.map(e => ({kind: e.dataset.kind, basis: e.dataset.basis, text: e.textContent}))")
    return {"warnings": warnings, "deadlines": deadlines, "draft": panel.locator("textarea.aw-draft").input_value()}


def close_panel(page: Page) -> None:
    page.locator("#aliwatch-panel button.aw-close").click()
    expect(page.locator("aliwatch-panel")).to_have_count(0)


def test_list_page_badges_match_truth(launch, shots_dir) -> None:
    orders = load_truth("list_en_mixed")["orders"]
    s = launch()
    page = s.page
    page.goto(LIST_URL)
    expect(page.locator(BADGES)).to_have_count(len(orders), timeout=TIMEOUT_MS)
    expect(page.locator("aliwatch-notice")).to_have_count(0)

    shot = shots_dir / "list_en_mixed-badges.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f"\n[e2e] screenshot of the badged list page: {shot}")
    log.warning("screenshot of the badged list page: %s", shot)

    badges = badge_info(page)
    assert sorted(b["order_id"] for b in badges) == sorted(orders), badges
    assert len({b["key"] for b in badges}) == len(orders)
    for b in badges:
        oid, expected = b["order_id"], orders[b["order_id"]]
        where = f"card {b['key']} (order {oid}): {b}"
        assert b["in_card"] and oid in b["card_text"], where  # the badge sits in the card it describes
        assert b["status"] == expected["status"], where
        panel = open_panel(page, b["key"])
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
        close_panel(page)


def test_panel_lists_warning_draft_and_copy(launch) -> None:
    orders = load_truth("list_en_mixed")["orders"]
    oid = next(o for o, t in orders.items() if "dont_confirm_yet" in t["warnings"])
    s = launch()
    page = s.page
    page.goto(LIST_URL)
    badge = page.locator(f'aliwatch-badge[data-order-id="{oid}"]')
    expect(badge).to_have_attribute("data-code", "dont_confirm_yet", timeout=TIMEOUT_MS)
    expect(badge).to_have_attribute("data-severity", "warning")
    key = badge.get_attribute("data-aliwatch-for")

    panel_data = open_panel(page, key)
    panel = page.locator("#aliwatch-panel")
    expect(panel.locator("h2")).to_contain_text(f"Order {oid}")
    item = panel.locator('li.aw-warning[data-code="dont_confirm_yet"]')
    expect(item).to_have_count(1)
    expect(item.locator(".aw-w-title")).not_to_be_empty()
    expect(item.locator(".aw-w-detail")).not_to_be_empty()
    assert badge.get_attribute("title") == item.locator(".aw-w-detail").text_content()
    draft = panel_data["draft"]
    assert draft.strip() and oid in draft, draft
    expect(panel.locator("button.aw-close")).to_be_focused()

    panel.locator("button.aw-copy").click()
    # http pages have no navigator.clipboard, so this exercises the execCommand("copy") fallback; the
    # status says either "Copied" or how to finish by hand, never nothing.
    status = panel.locator("span.aw-copy-status")
    expect(status).to_have_text("Copied")

    close_panel(page)
    expect(badge.locator("button.aw-badge")).to_be_focused()  # focus goes back to the badge
    # Escape closes it too.
    open_panel(page, key)
    page.keyboard.press("Escape")
    expect(page.locator("aliwatch-panel")).to_have_count(0)


def test_detail_page_protection_and_deadlines(launch) -> None:
    truth = load_truth("detail_en_awaiting_delivery")
    (oid, expected), = truth["orders"].items()
    s = launch()
    page = s.page
    page.goto(DETAIL_URL)
    expect(page.locator(BADGES)).to_have_count(1, timeout=TIMEOUT_MS)
    (b,) = badge_info(page)
    assert (b["order_id"], b["status"]) == (oid, expected["status"]), b
    panel = open_panel(page, b["key"])
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
    close_panel(page)


def test_dispute_page_seller_countdown(launch) -> None:
    truth = load_truth("dispute_en_awaiting_seller")
    (oid, expected), = truth["orders"].items()
    s = launch()
    page = s.page
    page.goto(DISPUTE_URL)
    expect(page.locator(BADGES)).to_have_count(1, timeout=TIMEOUT_MS)
    (b,) = badge_info(page)
    assert (b["order_id"], b["status"]) == (oid, expected["status"]), b
    panel = open_panel(page, b["key"])
    codes = {w["code"]: w for w in panel["warnings"]}
    # A countdown ("3 days 23:10:02") is counted from the capture time, so these hold on any date.
    assert set(expected["warnings"]) <= set(codes), codes
    assert not set(expected["absent_warnings"]) & set(codes), codes
    for code, severity in expected.get("severities", {}).items():
        assert codes[code]["severity"] == severity, codes
    assert [(d["kind"], d["basis"]) for d in panel["deadlines"]] == [("seller_response_due", "countdown")]
    close_panel(page)


def test_helper_missing_shows_notice_then_recovers(launch) -> None:
    s = launch(with_host=False)
    page = s.page
    page.goto(LIST_URL)
    notice = page.locator("#aliwatch-notice")
    expect(notice.locator("p.aw-message")).to_contain_text("aliwatch install", timeout=TIMEOUT_MS)
    expect(notice.locator("p.aw-error")).to_contain_text("native messaging host")
    expect(page.locator("aliwatch-badge")).to_have_count(0)

    # Installing the host while the page is open: the extension reconnects (backoff), drops the notice
    # and sends the cards again, without a reload.
    install_host(s.user_data_dir, s.env)
    orders = load_truth("list_en_mixed")["orders"]
    expect(page.locator(BADGES)).to_have_count(len(orders), timeout=2 * TIMEOUT_MS)
    expect(page.locator("aliwatch-notice")).to_have_count(0)
