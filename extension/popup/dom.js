// DOM helpers of the popup and the options page. h() builds elements without parsing markup (the helper's
// texts come from web pages); it lives in lib/base.js, shared with the content scripts.
export { h } from "../lib/exports.js";

/** Fills every [data-i18n] element from the extension's _locales when they have the key; the page's own
 * (English) text stays otherwise. */
export function localize(root, localMessage) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    const text = localMessage(el.dataset.i18n);
    if (text) el.textContent = text;
  }
}
