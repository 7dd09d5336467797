// The popup's and options page's words: the extension's _locales when they have the key (so a translation
// needs no code change), else the English here. $1, $2 are substitutions, as in messages.json.
const api = globalThis.browser ?? globalThis.chrome;

export const INSTALL_COMMAND = "pip install aliwatch && aliwatch install";
export const UPDATE_COMMAND = "pip install -U aliwatch && aliwatch install";

const EN = {
  popup_loading: "Asking the AliWatch helper…",
  popup_empty_title: "No upcoming deadlines.",
  popup_empty_hint:
    "AliWatch remembers a deadline when you open your AliExpress orders (the order list or an order's page) " +
    "with the helper installed.",
  popup_unavailable_title: "The AliWatch helper is not installed or not reachable.",
  popup_unavailable_hint: "Install it, then open this window again:",
  popup_outdated_title: "The AliWatch helper is too old for this extension.",
  popup_outdated_hint: "Update it:",
  popup_store_title: "The helper cannot open its deadline store.",
  popup_error_title: "The helper did not answer.",
  popup_browser_said: "Browser said: $1",
  popup_retry: "Try again",
  popup_open_order: "Open order",
  order_label: "Order $1",
  popup_count: "$1 upcoming",
  options_saved: "Saved.",
  options_lang_auto: "Automatic (browser: $1)",
  options_dashboard_opening: "Starting the dashboard…",
  options_dashboard_opened: "Opened $1",
  options_export_working: "Exporting…",
  options_export_done: "Saved $1 ($2).",
  options_failed: "Failed: $1",
  options_no_helper: "the helper is not installed or not reachable ($1). Install it with: $2",
  options_outdated: "the helper is too old for this. Update it with: $1",
};

/** The _locales message for `key`, or "" when this build has none. */
export function localMessage(key, ...subs) {
  try {
    return api.i18n.getMessage(key, subs.map((s) => String(s ?? ""))) || "";
  } catch {
    return ""; // orphaned after an extension update: the API is gone
  }
}

/** The message for `key`: _locales first, else the English above. */
export function t(key, ...subs) {
  return localMessage(key, ...subs) || (EN[key] ?? key).replace(/\$(\d)/g, (_, n) => String(subs[Number(n) - 1] ?? ""));
}
