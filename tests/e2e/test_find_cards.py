"""The content script's card finder (extension/content/find-cards.js) in real Chromium, on every fixture page
as saved and after three redesigns (tests/helpers/redesign.py): hashed class suffixes re-rolled, every class
replaced by a random token, every class attribute removed. Each must give the truth's cards: one per order
id on a list, one card holding the order on a detail or dispute page. Where the known class names find
cards, the generic result must be the very same elements.

Each page is served at its truth.json address (so the finder reads the real `location`), with the
vocabulary build.py generates from the helper's data (data/vocab.js: the page-kind rules and the phrase
tables' order-id labels), and nothing of the extension but these two scripts.
A fifth mode also drops every link address, so the cards are found by labelled and grouped numbers alone.
Run with -s to see the counts per fixture and mode.
"""
from __future__ import annotations

import pytest

from .e2e_helpers import CHROMIUM, FIXTURES, ROOT, TIMEOUT_MS, load_truth

if not CHROMIUM.is_file():
    pytest.skip(f"{CHROMIUM} not found: install chromium to run the real-browser tests", allow_module_level=True)

from helpers.redesign import MODES, hashed_classes, mutate  # noqa: E402

pytestmark = pytest.mark.e2e
CASES = sorted(p.parent.name for p in FIXTURES.glob("*/truth.json"))
FINDER = (ROOT / "extension" / "content" / "find-cards.js").read_text("utf-8")
# The committed vocabulary (tests/test_build.py keeps it equal to what build.py generates), published as
# content/shared.js publishes it.
VOCAB = (ROOT / "extension" / "data" / "vocab.js").read_text("utf-8") + \
    "\nglobalThis.AliWatch = {vocab: globalThis.AliWatchVocab};\n"

# Runs in the page: the generic cards (known class names off), the shortcut's, and what each card holds.
REPORT = r"""() => {
  const F = AliWatch.cardFinder;
  const generic = F.findCards(document, location, {known: false});
  const runtime = F.findCards(document, location);
  const kind = F.pageKind(location);
  const known = kind === "list" ? F.knownCards(document)
    : kind === "detail" ? [...document.querySelectorAll("div.order-wrap")] : [];
  const anchors = F.orderAnchors(document);
  const same = (a, b) => a.length === b.length && a.every((el, i) => el === b[i]);
  return {
    kind,
    cards: generic.map((c) => ({
      ids: [...new Set(anchors.filter((a) => c.contains(a.el)).map((a) => a.id))],
      // What a reader of the card sees, for checking ids independently of the finder's own reading.
      text: c.textContent.replace(/\s+/g, ""),
      hrefs: [c, ...c.querySelectorAll("[href]")].map((e) => e.getAttribute("href") ?? "").join(" "),
      body: c === document.body || c === document.documentElement,
      chrome: c.querySelector("h1, [role=tablist], header, footer") !== null,
    })),
    known: known.length,
    knownSame: same(known, generic),
    runtimeSame: same(runtime, generic),
  };
}"""


@pytest.fixture(scope="module")
def finder_page(playwright):
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    serving: dict[str, str] = {}

    def handle(route) -> None:
        if route.request.url in serving:
            route.fulfill(status=200, body=serving[route.request.url], content_type="text/html; charset=utf-8")
        else:
            route.abort()  # the saved pages' CSS, images and scripts: nothing leaves the machine

    page.route("**/*", handle)

    def run(url: str, html: str, prepare: str | None = None) -> dict:
        serving.clear()
        serving[url] = html
        page.goto(url, wait_until="domcontentloaded")
        page.add_script_tag(content=VOCAB + FINDER)
        if prepare:
            page.evaluate(prepare)
        return page.evaluate(REPORT)

    run.page = page
    yield run
    browser.close()


def _ids_seen(card: dict, truth_ids) -> set[str]:
    """The truth ids a reader finds in the card: in its text (spaces dropped) or its links."""
    return {oid for oid in truth_ids if oid in card["text"] or oid in card["hrefs"]}


COUNTS: dict[tuple[str, str], int] = {}


# "strip_unlinked": classes removed and every link's address too, so only the labelled or grouped numbers
# in the text say which order a card is.
ALL_MODES = ("as_saved", *MODES, "strip_unlinked")
UNLINK = "() => { for (const e of document.querySelectorAll('[href]')) e.removeAttribute('href'); }"


@pytest.mark.parametrize("mode", ALL_MODES)
@pytest.mark.parametrize("case", CASES)
def test_cards_by_meaning_match_the_truth(finder_page, case: str, mode: str) -> None:
    truth = load_truth(case)
    html = (FIXTURES / case / "page.html").read_text("utf-8")
    if mode != "as_saved":
        saved, html = html, mutate(html, mode.split("_")[0], seed=case)
        # Every mode changes the page, except a re-roll of a page without hashed class names.
        assert html != saved or mode == "reroll" and not hashed_classes(saved), (case, mode)
    r = finder_page(truth["url"], html, prepare=UNLINK if mode == "strip_unlinked" else None)
    cards, want = r["cards"], sorted(truth["orders"])
    COUNTS[(case, mode)] = len(cards)
    print(f"\n[find-cards] {case:30} {mode:9} kind={r['kind']:14} cards={len(cards)} truth={len(want)}", end="")
    if truth["page"] == "order_list" or truth["page"] == "unknown":
        assert r["kind"] == "list" or truth["page"] == "unknown", r["kind"]
        assert len(cards) == len(want), (case, mode, [c["ids"] for c in cards])
        assert all(len(c["ids"]) == 1 for c in cards), (case, mode, [c["ids"] for c in cards])
        assert sorted(c["ids"][0] for c in cards) == want, (case, mode)
        for c in cards:  # each card holds its own order and no other, as a reader sees it
            assert _ids_seen(c, want) == set(c["ids"]), (case, mode, c["ids"], _ids_seen(c, want))
            assert not c["chrome"], (case, mode, c["ids"])
    else:
        assert r["kind"] in ("detail", "legacy_detail", "dispute"), r["kind"]
        (card,) = cards
        assert _ids_seen(card, want) == set(want), (case, mode)
        assert not card["body"], (case, mode)  # the main block, not the whole page with its chrome
    # The class-name shortcut is only a shortcut: where it finds cards, they are the generic ones.
    if r["known"]:
        assert r["knownSame"], (case, mode)
    assert r["runtimeSame"], (case, mode)
    if mode == "as_saved" and truth["page"] == "order_list":
        assert r["known"] == len(want), (case, "the known class names should find every card as saved")


def test_the_list_of_disputes_is_read_as_a_list(finder_page) -> None:
    """m.aliexpress.com/p/refund-dispute/list.html names one order per entry: one card each, not one page."""
    orders = sorted(load_truth("list_en_mixed")["orders"])
    html = mutate((FIXTURES / "list_en_mixed" / "page.html").read_text("utf-8"), "strip")
    r = finder_page("https://m.aliexpress.com/p/refund-dispute/list.html", html)
    assert r["kind"] == "dispute_list"
    assert sorted(c["ids"][0] for c in r["cards"]) == orders and all(len(c["ids"]) == 1 for c in r["cards"])


def test_every_mode_was_measured() -> None:
    """Runs last in this module: the figures the issue asks for, one line per mode (printed with -s)."""
    if len(COUNTS) < len(CASES) * len(ALL_MODES):
        pytest.skip("run with the whole module to get the per-mode figures")
    for mode in ALL_MODES:
        found = sum(COUNTS[(c, mode)] for c in CASES)
        print(f"\n[find-cards] {mode:9}: {found} cards on {len(CASES)} pages", end="")


LISTS = [c for c in CASES if load_truth(c)["page"] == "order_list"]
# Keep one card of the saved page, mark it, then remove every class: what the finder returns must be that
# card, give or take a line of the list around it ("View orders"), never the tabs, menu or header.
ONE_CARD = """(i) => {
  const known = AliWatch.cardFinder.knownCards(document);
  const keep = known[i];
  keep.setAttribute("data-test-card", "");
  for (const c of known) if (c !== keep) c.remove();
  for (const e of [...document.querySelectorAll("[class]")]) e.removeAttribute("class");
  const size = (el) => el.textContent.replace(/\\s+/g, "").length;
  const cards = AliWatch.cardFinder.findCards(document, location, {known: false});
  return {n: cards.length, holds: cards.length === 1 && cards[0].contains(keep),
          extra: cards.length === 1 ? size(cards[0]) - size(keep) : null};
}"""


@pytest.mark.parametrize("case", LISTS)
def test_a_list_with_one_order_left_gives_that_card(finder_page, case: str) -> None:
    """With one order, no other id bounds the card: the climb stops below the page chrome (semantic
    elements, text fields, or a row of short labels such as tabs and menus). Every card of the page in turn."""
    truth = load_truth(case)
    html = (FIXTURES / case / "page.html").read_text("utf-8")
    indexes = [len(truth["orders"]) // 2] if len(truth["orders"]) > 10 else range(len(truth["orders"]))
    results = []
    for i in indexes:
        finder_page(truth["url"], html)
        results.append(finder_page.page.evaluate(ONE_CARD, i))
    print(f"\n[find-cards] one card left on {case}: +{max(r['extra'] for r in results)} characters at most", end="")
    assert all(r["n"] == 1 and r["holds"] and r["extra"] <= 40 for r in results), results
