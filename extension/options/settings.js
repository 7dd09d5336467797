// The user's settings, kept in storage.local under `settings` (one object, shared with other parts of the
// extension: content/guards.js reads `confirmGuard`). Pure normalisation plus a merge-on-save, so a page
// saving one setting never drops keys it does not know.
import { vocab } from "../lib/exports.js";

export const KEY = "settings";

// Languages the helper has draft templates and message catalogues for (data/vocab.js, from the helper).
export const LANGUAGES = vocab.ui_languages;

export const DEFAULTS = Object.freeze({
  leadTimes: [...vocab.lead_times], // 7 d, 3 d, 1 d (24 h), due
  draftLang: "auto", // auto = the browser's UI language
  confirmGuard: true,
});

/** The lead-time names, cleaned: the helper's thresholds only, once each, earliest first. */
export function cleanLeadTimes(leadTimes) {
  const wanted = new Set(Array.isArray(leadTimes) ? leadTimes : []);
  return vocab.lead_times.filter((name) => wanted.has(name));
}

/** Every known setting with a valid value (defaults for missing or broken ones); unknown keys kept. */
export function normalize(raw) {
  const s = raw && typeof raw === "object" && !Array.isArray(raw) ? raw : {};
  return {
    ...s,
    leadTimes: Array.isArray(s.leadTimes) ? cleanLeadTimes(s.leadTimes) : [...DEFAULTS.leadTimes],
    draftLang: s.draftLang === "auto" || Object.hasOwn(LANGUAGES, s.draftLang) ? s.draftLang : DEFAULTS.draftLang,
    confirmGuard: typeof s.confirmGuard === "boolean" ? s.confirmGuard : DEFAULTS.confirmGuard,
  };
}

/** The language tag to send the helper (`ui_lang`, draft `lang`): auto → the browser's, e.g. "pt-BR". */
export function resolveLang(settings, browserLang) {
  const chosen = normalize(settings).draftLang;
  return chosen === "auto" ? String(browserLang || "en") : chosen;
}

export async function load(area) {
  const stored = await area.get(KEY);
  return normalize(stored?.[KEY]);
}

/** Merges `patch` into what is stored now (read just before writing) and returns the result. */
export async function save(area, patch) {
  const stored = await area.get(KEY);
  const next = normalize({ ...(stored?.[KEY] ?? {}), ...patch });
  await area.set({ [KEY]: next });
  return next;
}
