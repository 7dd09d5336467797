// Shared helpers for the content scripts. They are classic scripts sharing one isolated-world global, so
// each file wraps itself in an IIFE and publishes its part on globalThis.AliWatch.
globalThis.AliWatch = globalThis.AliWatch || {};

(() => {
  const AW = globalThis.AliWatch;
  AW.api = globalThis.browser ?? globalThis.chrome;

  // Everything AliWatch inserts into the page; snapshots drop it and the observer ignores it.
  AW.OWN_SELECTOR = "aliwatch-badge, aliwatch-panel, aliwatch-notice, [data-aliwatch-row]";

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

  /**
   * Builds an element without ever parsing markup: attributes via setAttribute, text via textContent.
   * attrs: {class, text, ...attributes}; children: nodes or strings (strings become text nodes).
   */
  AW.h = (tag, attrs = {}, children = []) => {
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
  };

  /** A <style> element from a static stylesheet string (no data ever goes into it). */
  AW.style = (css) => {
    const style = document.createElement("style");
    style.textContent = css;
    return style;
  };

  AW.formatDate = (iso) => {
    const t = Date.parse(iso ?? "");
    return Number.isNaN(t) ? String(iso ?? "") : new Date(t).toLocaleString();
  };

  AW.STATUS_WORDS = {
    awaiting_payment: "Awaiting payment",
    awaiting_shipment: "Awaiting shipment",
    awaiting_delivery: "Awaiting delivery",
    delivered: "Delivered",
    completed: "Completed",
    closed: "Closed",
    in_dispute: "In dispute",
    refunded: "Refunded",
    unknown: "Unknown",
  };
})();
