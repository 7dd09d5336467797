// Builds elements without parsing markup (the helper's texts come from web pages): attributes through
// setAttribute, text through textContent. Shared by the popup and the options page.

/** h(tag, {text, ...attributes}, children): children are nodes or strings (strings become text nodes). */
export function h(tag, attrs = {}, children = []) {
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

/** Fills every [data-i18n] element from the extension's _locales when they have the key; the page's own
 * (English) text stays otherwise. */
export function localize(root, localMessage) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    const text = localMessage(el.dataset.i18n);
    if (text) el.textContent = text;
  }
}
