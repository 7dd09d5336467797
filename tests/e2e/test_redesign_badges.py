"""Real Chromium + the built extension + the real host, on pages the extension was not built on: the English
list after a redesign that removed every class attribute (tests/helpers/redesign.py), the aliexpress.ru "Red"
list and the mobile web list. Cards are found by meaning, so each still gets its own badge, and the helper
reads each card's status as the page says it (truth.json).

The pages are served by Playwright's router at their https addresses (truth.json), so the content script
sees the real host names and paths.
"""
from __future__ import annotations

import pytest

from .e2e_helpers import CHROMIUM, FIXTURES, TIMEOUT_MS, load_truth

if not CHROMIUM.is_file():
    pytest.skip(f"{CHROMIUM} not found: install chromium to run the real-browser tests", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402

from helpers.redesign import mutate  # noqa: E402

pytestmark = pytest.mark.e2e
BADGES = "aliwatch-badge[data-status]"

# Per badge: the card it sits in (by key) and what a reader sees in that card.
BADGES_JS = """hosts => hosts.map(h => {
  const card = document.querySelector(`[data-aliwatch-key="${h.getAttribute('data-aliwatch-for')}"]`);
  return {
    order_id: h.getAttribute('data-order-id'), status: h.getAttribute('data-status'),
    placement: h.getAttribute('data-placement'),
    in_card: Boolean(card && card.contains(h)),
    card_text: (card?.textContent ?? '').replace(/\\s+/g, ''),
    card_links: card ? [card, ...card.querySelectorAll('[href]')].map(e => e.getAttribute('href') ?? '').join(' ') : '',
    heading_text: (h.parentElement?.textContent ?? '').replace(/\\s+/g, ''),
  };
})"""

KEYED_JS = """els => els.map(c => ({
  text: c.textContent.replace(/\\s+/g, ''),
  links: [c, ...c.querySelectorAll('[href]')].map(e => e.getAttribute('href') ?? '').join(' '),
}))"""


def serve(page: Page, url: str, html: str) -> None:
    """The page at `url`; every other request (the saved page's CSS, images, scripts) fails offline."""
    body = html.encode("utf-8")
    page.route("**/*", lambda route: route.fulfill(status=200, body=body, content_type="text/html; charset=utf-8")
               if route.request.url == url else route.abort())
    page.goto(url)


def ids_in(text: str, links: str, truth_ids) -> set[str]:
    return {oid for oid in truth_ids if oid in text or oid in links}


def open_stripped_list(launch):
    truth = load_truth("list_en_mixed")
    saved = (FIXTURES / "list_en_mixed" / "page.html").read_text("utf-8")
    html = mutate(saved, "strip")
    assert saved.count("class=") > 100 and "class=" not in html.split("<body", 1)[1]
    s = launch()
    serve(s.page, truth["url"].replace("http://", "https://") + "?redesign=strip", html)
    expect(s.page.locator(BADGES)).to_have_count(len(truth["orders"]), timeout=TIMEOUT_MS)
    return truth["orders"], s.page.locator("aliwatch-badge").evaluate_all(BADGES_JS), s.page


def test_class_stripped_list_gets_one_badge_per_card(launch, shots_dir) -> None:
    orders, badges, page = open_stripped_list(launch)
    page.screenshot(path=str(shots_dir / "list_en_mixed-stripped-badges.png"), full_page=True)
    held = [ids_in(b["card_text"], b["card_links"], orders) for b in badges]
    assert all(b["in_card"] for b in badges) and all(len(ids) == 1 for ids in held), held
    assert sorted(next(iter(ids)) for ids in held) == sorted(orders)
    for b, ids in zip(badges, held):
        # Placed in the card's heading row, found without class names: the row with the order's number.
        assert b["placement"] == "header" and next(iter(ids)) in b["heading_text"], b


def test_class_stripped_list_badges_say_each_cards_status(launch) -> None:
    orders, badges, _ = open_stripped_list(launch)
    assert sorted(b["order_id"] for b in badges) == sorted(orders), badges
    for b in badges:
        oid = b["order_id"]
        where = f"order {oid}: {b['status']} vs {orders[oid]['status']}"
        assert b["in_card"] and ids_in(b["card_text"], b["card_links"], orders) == {oid}, where
        assert b["status"] == orders[oid]["status"], where


NEW_FRONTENDS = ["list_ru_red", "list_en_mobile"]


@pytest.mark.parametrize("case", NEW_FRONTENDS)
def test_new_frontend_lists_send_one_card_per_order(launch, case: str) -> None:
    """The extension's part, whatever the helper makes of it: one keyed card per order, each holding its own
    order id and no other."""
    truth = load_truth(case)
    orders = truth["orders"]
    s = launch()
    serve(s.page, truth["url"], (FIXTURES / case / "page.html").read_text("utf-8"))
    keyed = s.page.locator("[data-aliwatch-key]")
    expect(keyed).to_have_count(len(orders), timeout=TIMEOUT_MS)
    cards = keyed.evaluate_all(KEYED_JS)
    seen = [ids_in(c["text"], c["links"], orders) for c in cards]
    assert all(len(ids) == 1 for ids in seen), seen
    assert sorted(next(iter(ids)) for ids in seen) == sorted(orders)


@pytest.mark.parametrize("case", NEW_FRONTENDS)
def test_new_frontend_lists_get_one_badge_per_card_with_its_status(launch, case: str) -> None:
    truth = load_truth(case)
    orders = truth["orders"]
    s = launch()
    serve(s.page, truth["url"], (FIXTURES / case / "page.html").read_text("utf-8"))
    expect(s.page.locator(BADGES)).to_have_count(len(orders), timeout=TIMEOUT_MS)
    badges = s.page.locator("aliwatch-badge").evaluate_all(BADGES_JS)
    assert sorted(b["order_id"] for b in badges) == sorted(orders), badges
    for b in badges:  # each badge in the card of the order it names, saying that order's status
        oid = b["order_id"]
        where = f"{case} order {oid}: {b['status']} vs {orders[oid]['status']}"
        assert b["in_card"] and ids_in(b["card_text"], b["card_links"], orders) == {oid}, where
        assert b["status"] == orders[oid]["status"], where
