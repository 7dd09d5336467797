// Finds order cards by meaning, never needing a class name, so a redesign or a re-rolled CSS-module hash
// does not lose them. Pure: reads the document and the address it is given, changes nothing.
//
// An order id is anchored by an order link (orderId= / tradeOrderId= / parentOrderId=, aliexpress.ru's
// /order-list/<id>), an order-id attribute, a labelled number ("Order ID: …", "Номер заказа …": the labels
// of the helper's phrase tables, AW.vocab.order_id_labels from data/vocab.js) or a number grouped
// "5386 2471 0935 1128" (aliexpress.ru). On a list, a card is the largest block around an id's anchors that
// holds no other order id (and, with a single order on the page, no page chrome). Detail and dispute pages
// are one card: the page's main block. Known class names are a shortcut, taken only when they agree.
// The page kind comes from the helper's own rules (AW.vocab.page_urls), which the parser reads too.
(() => {
  const AW = (globalThis.AliWatch = globalThis.AliWatch || {});

  const RU_DETAIL_RE = /^\/order-list\/(\d{12,20})\/?$/; // aliexpress.ru: /order-list/<id>?filterName=…
  const LINK_ID_RE = /[?&](?:trade|parent)?orderId=(\d{12,20})(?!\d)/i;
  const PATH_ID_RE = /\/order-list\/(\d{12,20})(?=[/?#]|$)/;
  const ID_ATTRS = ["data-orderid", "orderid", "data-order-id"];
  const ID_RE = /^\d{12,20}$/;
  // "5386 2471 0935 1128": 15-16 digits in groups of four, as aliexpress.ru prints them (text normalised).
  const GROUPED_RE = /(?<!\d ?)\d{3,4}(?: \d{4}){3}(?! ?\d)/g;
  // The value right after a label: 12-20 digits, maybe grouped by spaces.
  const VALUE_RE = /^(\d(?: ?\d){11,19})(?! ?\d)/;
  const SKIP_TEXT = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "OPTION"]);
  // Page chrome a card never holds; it bounds the climb when the page names a single order. Besides these,
  // a row of at least LABEL_ROW short labels is chrome too: tabs and menus, whatever their markup.
  const CHROME = "header, nav, footer, aside, h1, form, select, textarea, input:not([type]), " +
    "input[type=text], input[type=search], [role=banner], [role=navigation], [role=contentinfo], " +
    "[role=search], [role=tablist], [role=menu]";
  const LABEL_ROW = 4;
  const SHORT_LABEL = 30; // characters
  // A child block is the page's main block when it holds at least this share of its parent's text.
  const MAIN_SHARE = 0.6;
  // The shortcut: class names seen on real pages (lists), and the current detail page's root.
  const KNOWN_LIST = "div.order-item, a.order-item-mobile, tbody.order-item-wraper, tbody.ae-order, " +
    "[class^='RedOrderList_OrderList__item__'], [class*=' RedOrderList_OrderList__item__']";
  const KNOWN_DETAIL = "div.order-wrap";

  let rules = null; // [page_urls array, compiled]: rebuilt only if the vocabulary changes
  function pageRules() {
    const table = AW.vocab?.page_urls ?? [];
    if (rules?.[0] !== table) rules = [table, table.map((r) => ({ ...r, re: new RegExp(r.path, "i") }))];
    return rules[1];
  }

  /**
   * "list" | "detail" | "legacy_detail" | "dispute" | "dispute_list", from the address only, by the helper's
   * rules (first match wins; no match: a list). "dispute_list": a dispute page listing one entry per order
   * (`"cards": "list"`, the list of returns and disputes), so one card per order, not the main block.
   */
  function pageKind(loc) {
    const rule = pageRules().find(({ re }) => re.test(loc.pathname));
    if (rule?.kind === "dispute") return rule.cards === "list" ? "dispute_list" : "dispute";
    if (rule?.kind === "order_detail") return /^trade\./i.test(loc.hostname) ? "legacy_detail" : "detail";
    return "list";
  }

  /** The order a detail page is about, from its address (null when the address does not say). */
  function pageOrderId(loc) {
    return RU_DETAIL_RE.exec(loc.pathname)?.[1] ?? LINK_ID_RE.exec(loc.search ?? "")?.[1] ?? null;
  }

  /** Case, width and spacing folded: NFKC turns no-break spaces into spaces, "：" into ":", "№" into "No". */
  const fold = (s) => (/[^\x00-\x7f]/.test(s) ? s.normalize("NFKC") : s).toLowerCase().replace(/\s+/g, " ");

  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  /** One regex for every label: on word edges, then up to two ":"/"#" ("주문번호::"), up to the value. */
  function labelRegex(labels) {
    const alts = [...new Set(labels.map((l) => fold(l).trim()).filter(Boolean))]
      .sort((a, b) => b.length - a.length)
      .map((l) => escape(l).replace(/ /g, " ?"));
    if (!alts.length) return null;
    return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join("|")})(?![\\p{L}\\p{N}]) ?[:#]{0,2} ?`, "u");
  }

  let compiled = null; // [labels array, regex]: rebuilt only if the labels change
  function defaultLabelRe() {
    const labels = Array.isArray(AW.vocab?.order_id_labels) ? AW.vocab.order_id_labels : [];
    if (compiled?.[0] !== labels) compiled = [labels, labelRegex(labels)];
    return compiled[1];
  }

  /** The order id in a link's address, or null. */
  function idFromHref(href) {
    if (!href) return null;
    return LINK_ID_RE.exec(href)?.[1] ?? PATH_ID_RE.exec(href)?.[1] ?? null;
  }

  /** The id printed after a label in `text` (folded), or "" when the label ends the text (value follows). */
  function idAfterLabel(text, labelRe) {
    const m = labelRe?.exec(text);
    if (!m) return null;
    const rest = text.slice(m.index + m[0].length);
    if (!rest.trim()) return "";
    const v = VALUE_RE.exec(rest);
    return v ? v[1].replace(/ /g, "") : null;
  }

  /** Ids written as "5386 2471 0935 1128" in `text` (folded). */
  const groupedIds = (text) => [...text.matchAll(GROUPED_RE)].map((m) => m[0].replace(/ /g, ""));

  function commonAncestor(a, b) {
    for (let n = a; n; n = n.parentElement) if (n.contains(b)) return n;
    return null;
  }

  /**
   * Every place the page names an order id: [{el, id}] in document order. `ignore`: a selector for
   * elements that are not the page's own (AliWatch's badges carry data-order-id).
   */
  function orderAnchors(doc, { ignore = AW.OWN_SELECTOR ?? "", labelRe = defaultLabelRe() } = {}) {
    const root = doc.body ?? doc.documentElement;
    if (!root) return [];
    const own = (el) => Boolean(ignore && el.closest(ignore));
    const found = [];
    for (const a of root.querySelectorAll("a[href], area[href]")) {
      const id = idFromHref(a.getAttribute("href"));
      if (id && !own(a)) found.push({ el: a, id });
    }
    for (const el of root.querySelectorAll(ID_ATTRS.map((n) => `[${n}]`).join(", "))) {
      const value = ID_ATTRS.map((n) => el.getAttribute(n)?.trim()).find((v) => v && ID_RE.test(v));
      if (value && !own(el)) found.push({ el, id: value });
    }
    const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */, {
      acceptNode: (t) => (t.parentElement && !SKIP_TEXT.has(t.parentElement.tagName) && /\S/.test(t.data) ? 1 : 3),
    });
    const texts = [];
    for (let t = walker.nextNode(); t; t = walker.nextNode()) texts.push(t);
    texts.forEach((t, i) => {
      const el = t.parentElement;
      const text = fold(t.data);
      const grouped = groupedIds(text);
      const id = idAfterLabel(text, labelRe);
      if ((!grouped.length && id === null) || own(el)) return; // own(): only where something was found
      for (const g of grouped) found.push({ el, id: g });
      if (id) found.push({ el, id });
      else if (id === "" && texts[i + 1]) {
        // "Order ID" in one element, the number in the next ("<dt>Order ID</dt><dd>8212…</dd>").
        const next = texts[i + 1];
        const v = VALUE_RE.exec(fold(next.data).trim());
        const at = v && commonAncestor(el, next.parentElement);
        if (at && !own(next.parentElement)) found.push({ el: at, id: v[1].replace(/ /g, "") });
      }
    });
    return found.sort((a, b) => (a.el === b.el ? 0 : a.el.compareDocumentPosition(b.el) & 4 ? -1 : 1));
  }

  const MANY = Symbol("many orders");

  /** element -> the one order id under it, or MANY; elements under no anchor are absent. */
  function ownerMap(anchors) {
    const owner = new Map();
    for (const { el, id } of anchors) {
      for (let n = el; n; n = n.parentElement) {
        const o = owner.get(n);
        if (o === id || o === MANY) break; // an earlier anchor already marked n and everything above it
        owner.set(n, o === undefined ? id : MANY);
      }
    }
    return owner;
  }

  /**
   * "View all · To pay · Processing · Shipped · Completed": tabs or a menu, whatever the markup: at least
   * LABEL_ROW children of one tag, each a short word label, none a button (a card's action row is buttons).
   */
  function isLabelRow(el) {
    const kids = el.children;
    if (kids.length < LABEL_ROW) return false;
    const tag = kids[0].tagName;
    for (const c of kids) {
      const t = c.textContent.trim();
      if (c.tagName !== tag || c.tagName === "BUTTON" || t.length > SHORT_LABEL || !/\p{L}{2}/u.test(t) ||
        c.querySelector("button, input")) return false;
    }
    return true;
  }

  /**
   * True where the climb must stop: the document's top; and, when the page names a single order (no other
   * id bounds the card), a block holding page chrome. Memoised per run.
   */
  function stopper(doc, single) {
    const memo = new Map();
    const chrome = (el) => el.matches(CHROME) || el.querySelector(CHROME) !== null || isLabelRow(el) ||
      [...el.querySelectorAll("*")].some(isLabelRow);
    return (el) => {
      if (el === doc.body || el === doc.documentElement) return true;
      if (!single) return false;
      if (!memo.has(el)) memo.set(el, chrome(el));
      return memo.get(el);
    };
  }

  const inDocumentOrder = (els) => els.sort((a, b) => (a.compareDocumentPosition(b) & 4 ? -1 : 1));

  /** List cards: per order id, the largest block around its anchors that holds no other order id. */
  function cardsByMeaning(doc, anchors) {
    const owner = ownerMap(anchors);
    const isStop = stopper(doc, new Set(anchors.map((a) => a.id)).size === 1);
    const votes = new Map(); // id -> Map(card -> anchors inside)
    for (const { el, id } of anchors) {
      if (owner.get(el) !== id) continue; // the anchor itself spans several orders: not a card's
      let card = el;
      while (card.parentElement && owner.get(card.parentElement) === id && !isStop(card.parentElement)) {
        card = card.parentElement;
      }
      if (!votes.has(id)) votes.set(id, new Map());
      votes.get(id).set(card, (votes.get(id).get(card) ?? 0) + 1);
    }
    // An id shown twice apart (a card and a banner): the block holding most of its anchors is the card.
    const cards = [...votes.values()].map((byCard) => [...byCard].reduce((a, b) => (b[1] > a[1] ? b : a))[0]);
    return inDocumentOrder([...new Set(cards)]);
  }

  /** Non-blank characters of the text a reader sees (no script or style source). */
  function textSize(el) {
    let n = 0;
    const walker = el.ownerDocument.createTreeWalker(el, 4, {
      acceptNode: (t) => (SKIP_TEXT.has(t.parentElement?.tagName) ? 3 : 1),
    });
    for (let t = walker.nextNode(); t; t = walker.nextNode()) n += t.data.replace(/\s+/g, "").length;
    return n;
  }

  /**
   * A detail or dispute page's main block: from <body> down, into the child that holds the order's anchors
   * and most of the text, until no child does (header, breadcrumb, menu and footer stay outside).
   */
  function mainBlock(doc, anchorEls = []) {
    let el = doc.body;
    while (el) {
      const total = textSize(el);
      const next = [...el.children].find((c) => anchorEls.every((a) => c.contains(a)) &&
        !SKIP_TEXT.has(c.tagName) && textSize(c) >= MAIN_SHARE * total);
      if (!next) return el;
      el = next;
    }
    return null;
  }

  /** The outermost elements matching the known card classes. */
  function knownCards(doc) {
    const all = [...doc.querySelectorAll(KNOWN_LIST)];
    return all.filter((el) => !all.some((o) => o !== el && o.contains(el)));
  }

  /** True when every id found lies in exactly one of `cards` and no card holds two ids. */
  function agrees(cards, anchors) {
    const set = new Set(cards);
    const idsOf = new Map(cards.map((c) => [c, new Set()]));
    const cardsOf = new Map();
    for (const { el, id } of anchors) {
      let c = el;
      while (c && !set.has(c)) c = c.parentElement;
      if (!cardsOf.has(id)) cardsOf.set(id, new Set());
      if (c) {
        idsOf.get(c).add(id);
        cardsOf.get(id).add(c);
      }
    }
    return [...idsOf.values()].every((ids) => ids.size <= 1) && [...cardsOf.values()].every((cs) => cs.size === 1);
  }

  const hasText = (el) => Boolean(el && el.textContent.trim());

  /**
   * The card elements of a page; [] means "send nothing". options: {ignore, labelRe, known: false to skip
   * the class-name shortcut (tests compare both ways)}.
   */
  function findCards(doc, loc, options = {}) {
    const kind = pageKind(loc);
    const anchors = orderAnchors(doc, options);
    const useKnown = options.known !== false;
    if (kind === "list" || kind === "dispute_list") {
      const known = useKnown ? knownCards(doc) : [];
      if (known.length && agrees(known, anchors)) return known;
      return cardsByMeaning(doc, anchors);
    }
    const ids = new Set(anchors.map((a) => a.id));
    const id = pageOrderId(loc) ?? (ids.size === 1 ? [...ids][0] : null);
    const mine = anchors.filter((a) => a.id === id).map((a) => a.el);
    const known = kind === "detail" && useKnown ? doc.querySelector(KNOWN_DETAIL) : null;
    const main = known && mine.every((a) => known.contains(a)) ? known : mainBlock(doc, mine);
    // An SPA root that has not rendered yet is not worth a snapshot; the observer will come back.
    return hasText(main) ? [main] : [];
  }

  AW.cardFinder = {
    pageKind, pageOrderId, fold, labelRegex, idFromHref, idAfterLabel, groupedIds, orderAnchors, cardsByMeaning,
    mainBlock, knownCards, findCards,
  };
})();
