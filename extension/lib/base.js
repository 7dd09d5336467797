// What every part of the extension needs, written once: the WebExtension API, h() and the relative-time
// wording. Loaded two ways: first among the content scripts (classic scripts, manifest.json) and through
// lib/exports.js by the background, popup and options modules. To be both a classic script and a module it
// declares nothing at the top level and exports nothing: it sets one frozen global, AliWatchBase.
globalThis.AliWatchBase ??= (() => {
  /** Builds an element without parsing markup (page and helper texts are untrusted): attributes through
   * setAttribute, text through textContent. attrs: {text, ...attributes}; children: nodes or strings. */
  function h(tag, attrs = {}, children = []) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") el.textContent = String(value);
      else el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      el.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }

  const UNITS = [["day", 86_400_000], ["hour", 3_600_000], ["minute", 60_000]];

  /** "in 4 days", "3 hours ago", "now": the largest whole unit, toward zero, as the helper words its titles
   * (advice.humanize), so a title and a date beside it never disagree. An unknown language: English. */
  function relative(atMs, nowMs, lang) {
    const diff = atMs - nowMs;
    const abs = Math.abs(diff);
    const format = (value, unit, numeric) => {
      try {
        return new Intl.RelativeTimeFormat(lang || undefined, { numeric }).format(value, unit);
      } catch {
        return new Intl.RelativeTimeFormat("en", { numeric }).format(value, unit);
      }
    };
    for (const [unit, size] of UNITS) {
      if (abs >= size) return format(Math.sign(diff) * Math.floor(abs / size), unit, "always");
    }
    return format(0, "second", "auto"); // "now"
  }

  return Object.freeze({
    /** Firefox's promise-based `browser`, else Chrome's `chrome` (read when asked: tests install fakes). */
    get api() {
      return globalThis.browser ?? globalThis.chrome;
    },
    h,
    relative,
  });
})();
