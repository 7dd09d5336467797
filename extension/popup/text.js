// The popup's and options page's words, from the extension's _locales (English is the default_locale, so
// every key has at least its English text there: one copy).
import { api } from "../lib/exports.js";

export const INSTALL_COMMAND = "pip install aliwatch && aliwatch install";
export const UPDATE_COMMAND = "pip install -U aliwatch && aliwatch install";


/** The _locales message for `key`, or "" when this build has none. */
export function localMessage(key, ...subs) {
  try {
    return api.i18n.getMessage(key, subs.map((s) => String(s ?? ""))) || "";
  } catch {
    return ""; // orphaned after an extension update: the API is gone
  }
}

/** The message for `key`; the key itself when there is none (a missing key shows, rather than nothing). */
export function t(key, ...subs) {
  return localMessage(key, ...subs) || key;
}
