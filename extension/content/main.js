// Wiring: scan the page for cards, send new or changed ones to the background, show what comes back,
// and watch the page (debounced) for cards added later ("View orders", SPA navigation).
(() => {
  const AW = globalThis.AliWatch;
  if (AW.started) return; // injected twice: the first copy already runs
  AW.started = true;
  const api = AW.api;

  const DEBOUNCE_MS = 400;
  const MAX_WAIT_MS = 2000; // a page that never stops mutating still gets scanned
  const BATCH = 200; // cards per snapshot (the protocol allows 1-500)

  const sent = new Map(); // key -> fingerprint last sent
  const analyses = new Map(); // key -> last analysis entry for the card
  let href = location.href;
  let timer = null;
  let firstPending = 0;
  let observer = null;

  const alive = () => {
    try {
      return Boolean(api?.runtime?.id);
    } catch {
      return false;
    }
  };

  // After an extension update or reload this copy is orphaned: stop touching the page.
  function shutdown() {
    observer?.disconnect();
    clearTimeout(timer);
  }

  function scan() {
    timer = null;
    firstPending = 0;
    if (!alive()) return shutdown();
    if (location.href !== href) {
      href = location.href; // SPA navigation: everything on the new page is new
      sent.clear();
    }
    const taken = new Set();
    const toSend = [];
    for (const card of AW.cards.findCards()) {
      const key = AW.cards.ensureKey(card, taken);
      const print = AW.cards.fingerprint(card);
      if (sent.get(key) !== print) {
        sent.set(key, print);
        toSend.push({ key, html: AW.cards.snapshotHtml(card) });
      } else if (analyses.has(key) && !AW.badge.has(card, key)) {
        show(card, key, analyses.get(key)); // the page re-rendered and dropped our badge
      }
    }
    for (const key of [...sent.keys()]) if (!taken.has(key)) sent.delete(key);
    for (const key of [...analyses.keys()]) if (!taken.has(key)) analyses.delete(key);
    AW.badge.removeStale(taken);
    for (let i = 0; i < toSend.length; i += BATCH) send(toSend.slice(i, i + BATCH));
  }

  async function send(cards) {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const message = {
      type: "snapshot",
      url: location.href,
      captured_at: new Date().toISOString(),
      cards,
    };
    // Optional fields are left out rather than sent empty.
    if (document.documentElement.lang) message.lang = document.documentElement.lang;
    if (tz) message.tz = tz;
    await AW.settings.ready;
    message.ui_lang = AW.settings.lang(); // warnings and drafts: the chosen or the browser's language
    try {
      await api.runtime.sendMessage(message);
    } catch (e) {
      // Background unreachable: forget these cards so a later scan tries again.
      for (const c of cards) sent.delete(c.key);
      if (!alive()) shutdown();
      else console.warn("AliWatch: could not reach the background", e);
    }
  }

  function schedule(delay = DEBOUNCE_MS) {
    const now = Date.now();
    if (!firstPending) firstPending = now;
    clearTimeout(timer);
    timer = setTimeout(scan, Math.min(delay, Math.max(0, firstPending + MAX_WAIT_MS - now)));
  }

  // Every card again, now (the panel after a taught word: the helper reads them with it).
  AW.resend = () => {
    sent.clear();
    schedule(0);
  };

  function openPanel(key, opener) {
    AW.panel.open(analyses.get(key), key, opener);
  }

  function show(card, key, entry) {
    AW.badge.render(card, key, entry, (button) => openPanel(key, button));
  }

  function apply(entry, pageLang) {
    if (!entry || typeof entry !== "object" || typeof entry.key !== "string") return;
    const card = AW.cards.byKey(entry.key);
    if (!card) return; // gone since the snapshot
    // The language the helper read the page in: a word taught in the panel is taught for it.
    if (typeof pageLang === "string") entry = { ...entry, page_lang: pageLang };
    analyses.set(entry.key, entry);
    show(card, entry.key, entry);
  }

  api.runtime.onMessage.addListener((msg) => {
    switch (msg?.type) {
      case "analysis":
        AW.notice.hide();
        for (const entry of Array.isArray(msg.cards) ? msg.cards : []) apply(entry, msg.lang);
        break;
      case "error":
        console.warn("AliWatch helper error:", msg.code, msg.message);
        for (const key of Array.isArray(msg.keys) ? msg.keys : []) {
          const card = AW.cards.byKey(key);
          if (card) AW.badge.renderError(card, key, msg.code, msg.message);
        }
        break;
      case "helper_unavailable":
        // Cards stay marked as sent: re-sending on every mutation would just hit the missing host again.
        AW.notice.show(msg.message);
        break;
      case "helper_available":
        AW.notice.hide();
        sent.clear();
        schedule(0);
        break;
    }
  });

  // Mutations made by AliWatch itself (badges, rows, panel, notice) must not trigger a scan.
  function isOwnRecord(record) {
    if (AW.cards.isOwn(record.target)) return true;
    if (record.type !== "childList") return false;
    const nodes = [...record.addedNodes, ...record.removedNodes];
    return nodes.length > 0 && nodes.every((n) => AW.cards.isOwn(n));
  }

  observer = new MutationObserver((records) => {
    if (records.some((r) => !isOwnRecord(r))) schedule();
  });
  observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  addEventListener("popstate", () => schedule());
  AW.guards.start((key) => analyses.get(key));

  scan();
})();
