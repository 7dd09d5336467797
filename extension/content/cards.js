// The order "cards" of the page (found by content/find-cards.js), each turned into a compact snapshot for
// the helper. Lists: one card per order. Detail and dispute pages: the page's main block is the one card.
(() => {
  const AW = globalThis.AliWatch;

  // Removed from snapshots: heavy or active content the parser never reads.
  const STRIP = "img, picture, video, svg, script, style, noscript, iframe, link, canvas";
  const finder = AW.cardFinder; // content/find-cards.js: cards by meaning, class names only as a shortcut

  /** "list" | "detail" | "legacy_detail" | "dispute" | "dispute_list", from the address only (the helper's
   * rules, data/vocab.js page_urls). */
  const pageKind = (loc = location) => finder.pageKind(loc);

  /** The card elements of the current page; an empty list means "send nothing". */
  const findCards = (doc = document, loc = location) => finder.findCards(doc, loc, { ignore: AW.OWN_SELECTOR });

  // Keys are unique per page. If an earlier copy of this script (before an extension update) left
  // keys behind, continue after the highest one instead of clashing with it.
  let counter = 0;
  for (const el of document.querySelectorAll("[data-aliwatch-key]")) {
    const n = /^aw(\d+)$/.exec(el.getAttribute("data-aliwatch-key"))?.[1];
    if (n) counter = Math.max(counter, Number(n));
  }

  /** The card's stable key, set on the live element; `taken` guards against page-cloned keys. */
  function ensureKey(el, taken) {
    let key = el.getAttribute("data-aliwatch-key");
    if (!key || taken.has(key)) {
      key = `aw${++counter}`;
      el.setAttribute("data-aliwatch-key", key);
    }
    taken.add(key);
    return key;
  }

  /**
   * What "the card changed" means: its text with digit runs masked, so ticking countdowns don't
   * re-send the card every second, while new statuses, new orders and SPA navigation still do.
   */
  const fingerprint = (el) => el.textContent.replace(/\d+/g, "#").replace(/\s+/g, " ").trim();

  // An inert document: importing into it does not fetch images or run anything.
  const inert = document.implementation.createHTMLDocument("");

  /** The card's markup without media, scripts, styles, inline styles or AliWatch's own elements. */
  function snapshotHtml(el) {
    const clone = inert.importNode(el, true);
    for (const n of clone.querySelectorAll(`${STRIP}, ${AW.OWN_SELECTOR}`)) n.remove();
    clone.removeAttribute("style");
    for (const n of clone.querySelectorAll("[style]")) n.removeAttribute("style");
    // Our own key marks the live card; in the snapshot the helper's wrapper carries it, so drop every copy.
    for (const n of [clone, ...clone.querySelectorAll("[data-aliwatch-key]")]) n.removeAttribute("data-aliwatch-key");
    return clone.outerHTML;
  }

  /** True for a node AliWatch inserted (or a node inside one). */
  function isOwn(node) {
    const el = node?.nodeType === Node.ELEMENT_NODE ? node : node?.parentElement;
    return Boolean(el?.closest?.(AW.OWN_SELECTOR));
  }

  const byKey = (key) => document.querySelector(`[data-aliwatch-key="${CSS.escape(key)}"]`);

  AW.cards = { pageKind, findCards, ensureKey, fingerprint, snapshotHtml, isOwn, byKey };
})();
