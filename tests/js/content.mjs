// Loads the extension's content scripts under node. They are classic scripts sharing one global (as in the
// browser's isolated world), so they run in order in one vm context whose globals stand in for the few
// browser APIs they touch at load: chrome.i18n over the real _locales bundle, a document with no cards.
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const EXT = fileURLToPath(new URL("../../extension/", import.meta.url));
const FIRST = ["data/vocab.js", "lib/base.js", "content/shared.js"]; // as manifest.json loads them

/** chrome.i18n.getMessage over _locales/<bundle>/messages.json: named placeholders, then $1.. */
function i18n(bundle, uiLanguage) {
  const messages = JSON.parse(readFileSync(`${EXT}_locales/${bundle}/messages.json`, "utf-8"));
  return {
    getUILanguage: () => uiLanguage,
    getMessage(key, subs = []) {
      const entry = messages[key];
      if (!entry) return "";
      const holders = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([k, v]) => [k.toLowerCase(), v.content]));
      return entry.message
        .replace(/\$([A-Za-z0-9_]+)\$/g, (_, name) => holders[name.toLowerCase()] ?? "")
        .replace(/\$(\d)/g, (_, n) => String(subs[Number(n) - 1] ?? ""));
    },
  };
}

/** The AliWatch global after running `files` (after vocab.js, lib/base.js and shared.js). */
export function loadContentScripts(files = [], { bundle = "en", uiLanguage = "en-US" } = {}) {
  const noCards = { querySelectorAll: () => [], querySelector: () => null, implementation: { createHTMLDocument: () => ({}) } };
  const context = vm.createContext({
    chrome: { i18n: i18n(bundle, uiLanguage), runtime: {}, storage: {} },
    document: noCards,
    navigator: { language: uiLanguage },
    console,
    addEventListener() {},
  });
  for (const file of [...FIRST, ...files]) {
    vm.runInContext(readFileSync(EXT + file, "utf-8"), context, { filename: file });
  }
  return context.AliWatch;
}
