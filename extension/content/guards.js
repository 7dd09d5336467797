// Guards against the seller's tricks: on an order AliWatch says not to confirm yet (dont_confirm_yet), a
// click on "Confirm received" first shows a short check; while a dispute is open, so does "Cancel/Close
// dispute". The click is held in the capture phase, before the page's own handlers, and "Go on" replays it
// once: a guard never blocks for good. Button wordings per language: data/vocab.js `guards`, generated
// from the helper's phrase tables (buttons.awaiting_delivery and guard_buttons). On/off:
// the options page's confirmGuard (content/settings.js; default on; it covers both guards).
(() => {
  const AW = globalThis.AliWatch;

  const KINDS = ["confirm_received", "close_dispute"];
  const MAX_TEXT = 80; // a button's label, not a paragraph that happens to contain the words
  const CLIMB = 4; // the click lands on the label's <span>; the phrase may sit a few levels up
  const CLICKABLE = 'button, a, [role="button"], input[type="button"], input[type="submit"]';

  let entryFor = () => null;
  let replaying = null; // the target whose click "Go on" is letting through right now

  /** Case-folded, spaces collapsed, trailing punctuation dropped: "Confirm Received." -> "confirm received". */
  const norm = (s) =>
    String(s ?? "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").replace(/[\s.:!?…]+$/u, "").trim();

  function compile(data) {
    const out = {};
    for (const kind of KINDS) {
      out[kind] = new Set();
      for (const list of Object.values(data?.[kind] ?? {})) {
        for (const phrase of Array.isArray(list) ? list : []) out[kind].add(norm(phrase));
      }
    }
    return out;
  }

  const phrases = compile(AW.vocab.guards); // kind -> Set of normalised phrases

  /** The guard a button's text calls for ("confirm_received", "close_dispute"), or null. */
  function kindOf(text) {
    if (!text || text.length > MAX_TEXT) return null; // a button's label, not a paragraph
    const n = norm(text);
    return KINDS.find((kind) => phrases[kind].has(n)) ?? null;
  }

  /** {el, kind} when the click landed on a guarded button's label. */
  function guardedButton(target) {
    let el = target instanceof Element ? target : target?.parentElement;
    for (let depth = 0; el && depth < CLIMB; depth++, el = el.parentElement) {
      if (AW.cards.isOwn(el)) return null; // AliWatch's own UI is never guarded
      const kind = kindOf(el.matches("input") ? el.value : el.textContent);
      if (kind) return { el, kind };
      if (el.matches(CLICKABLE)) break; // don't climb out of the button into its toolbar
    }
    return null;
  }

  /** The analysis of the order the button belongs to: its card, or the page's only card (detail pages). */
  function entryOf(el) {
    const card = el.closest("[data-aliwatch-key]");
    if (card) return entryFor(card.getAttribute("data-aliwatch-key"));
    const cards = document.querySelectorAll("[data-aliwatch-key]");
    return cards.length === 1 ? entryFor(cards[0].getAttribute("data-aliwatch-key")) : null;
  }

  const hasWarning = (entry, code) => Array.isArray(entry?.warnings) && entry.warnings.some((w) => w?.code === code);

  function applies(kind, entry) {
    if (!entry) return false; // not analysed (yet): AliWatch knows nothing to warn about
    if (kind === "confirm_received") return hasWarning(entry, "dont_confirm_yet");
    return entry.status === "in_dispute" || hasWarning(entry, "dont_close_dispute");
  }

  const alive = () => {
    try {
      return Boolean(AW.api?.runtime?.id);
    } catch {
      return false;
    }
  };

  /** Lets the held click through: the same target gets a fresh click, which this guard ignores once. */
  function replay(target) {
    replaying = target;
    try {
      if (typeof target.click === "function") target.click();
      else target.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, composed: true }));
    } finally {
      replaying = null;
    }
  }

  function onClick(e) {
    if (!AW.settings.confirmGuard() || e.target === replaying || !alive()) return;
    const hit = guardedButton(e.target);
    if (!hit || !applies(hit.kind, entryOf(hit.el))) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    const target = e.target;
    AW.guardDialog.ask(hit.kind).then((goOn) => {
      if (goOn && target.isConnected) replay(target);
    });
  }

  /** lookup(key) -> the card's latest analysis entry. Called once by main.js. */
  function start(lookup) {
    entryFor = lookup;
    // On window, capture phase: before any listener the page put on the document or the button.
    addEventListener("click", onClick, true);
  }

  AW.guards = { start, norm, kindOf };
})();
