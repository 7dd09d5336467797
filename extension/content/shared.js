// Shared helpers for the content scripts. They are classic scripts sharing one isolated-world global, so
// each file wraps itself in an IIFE and publishes its part on globalThis.AliWatch. What the extension's
// pages need too (the API, h(), relative times) lives in lib/base.js; the vocabulary in data/vocab.js.
globalThis.AliWatch = globalThis.AliWatch || {};

(() => {
  const AW = globalThis.AliWatch;
  const base = globalThis.AliWatchBase;
  AW.api = base.api;
  AW.vocab = globalThis.AliWatchVocab; // generated from the helper's data by build.py

  // Everything AliWatch inserts into the page; snapshots drop it and the observer ignores it.
  AW.OWN_SELECTOR = "aliwatch-badge, aliwatch-panel, aliwatch-notice, aliwatch-guard, [data-aliwatch-row]";

  const RANK = { expired: 4, urgent: 3, warning: 2, info: 1 };

  const dueTime = (w) => {
    const t = Date.parse(w?.due ?? "");
    return Number.isNaN(t) ? Infinity : t;
  };

  /** Most severe first; ties by earliest due (warnings without a due date last). */
  AW.sortWarnings = (warnings) =>
    (Array.isArray(warnings) ? warnings.filter((w) => w && typeof w === "object") : [])
      .slice()
      .sort((a, b) => (RANK[b.severity] ?? 0) - (RANK[a.severity] ?? 0) || dueTime(a) - dueTime(b));

  AW.h = base.h; // builds elements without parsing markup

  /** A <style> element from a static stylesheet string (no data ever goes into it), after the reset every
   *  AliWatch host needs: the page's own styles must not reach into the closed root. */
  AW.style = (css) => {
    const style = document.createElement("style");
    style.textContent = `:host { all: initial; }\n${css}`;
    return style;
  };

  /** An AliWatch host element (built by h(), not parsed) and its CLOSED shadow root: the page sees the host
   *  and its data-* attributes, never what is inside. Returns [host, root]. */
  AW.closedHost = (tag, attrs) => {
    const host = AW.h(tag, attrs);
    return [host, host.attachShadow({ mode: "closed" })];
  };

  /** A UI string from _locales (the browser's UI language); the key itself if it is missing. */
  AW.t = (key, ...subs) => {
    try {
      return AW.api.i18n.getMessage(key, subs.map(String)) || key;
    } catch {
      return key; // orphaned after an extension update: the API is gone
    }
  };

  /** The browser's UI language ("en-US"), as i18n.getUILanguage() reports it. */
  AW.uiLang = (() => {
    try {
      return AW.api.i18n.getUILanguage() || navigator.language || "en";
    } catch {
      return navigator.language || "en";
    }
  })();

  /**
   * The language of AliWatch's own texts: the _locales bundle the browser chose ("ru"), in its regional
   * form ("pt-BR") when that is the UI language. The helper's warnings and drafts follow it, so they match
   * the panel around them (headless Chromium's --lang switches the bundle but not getUILanguage()); dates
   * and amounts are written its way too.
   */
  AW.textLang = (() => {
    const bundle = AW.t("locale");
    if (!bundle || bundle === "locale") return AW.uiLang;
    return AW.uiLang.toLowerCase().split(/[-_]/)[0] === bundle ? AW.uiLang : bundle;
  })();

  AW.formatDate = (iso) => {
    const t = Date.parse(iso ?? "");
    if (Number.isNaN(t)) return String(iso ?? "");
    const d = new Date(t);
    // A date stated without a time is local midnight: "Dec 1, 2026", not "Dec 1, 2026, 12:00 AM".
    const dateOnly = d.getHours() === 0 && d.getMinutes() === 0;
    return d.toLocaleString(AW.textLang, dateOnly ? { dateStyle: "medium" } : { dateStyle: "medium", timeStyle: "short" });
  };

  /** "in 3 days", "2 days ago", "in 5 hours": worded like the helper's titles (lib/base.js). */
  AW.relative = (iso, now = Date.now()) => {
    const t = Date.parse(iso ?? "");
    return Number.isNaN(t) ? "" : base.relative(t, now, AW.textLang);
  };

  /** An amount in its currency, the UI language's way ("720 ₽", "RUB 720.00"). */
  AW.money = (amount, currency) => {
    if (typeof amount !== "number" || !Number.isFinite(amount)) return "";
    try {
      return new Intl.NumberFormat(AW.textLang, { style: "currency", currency }).format(amount);
    } catch {
      return currency ? `${amount} ${currency}` : String(amount); // no or unknown currency code
    }
  };

  AW.statusWord = (status) => {
    if (!status) return "";
    const word = AW.t(`status_${status}`);
    return word === `status_${status}` ? String(status) : word; // a status this build has no word for
  };
})();
