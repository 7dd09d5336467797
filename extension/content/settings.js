// The user's settings as the content scripts need them, from storage.local `settings` (written by the
// options page, options/settings.js): whether the guards are on, and the language for the helper's
// texts (warnings, drafts). Kept current while the page is open.
(() => {
  const AW = globalThis.AliWatch;
  const KEY = "settings";
  let current = {};

  const ready = (async () => {
    try {
      const got = await AW.api.storage?.local?.get(KEY);
      const stored = got?.[KEY];
      if (stored && typeof stored === "object") current = stored;
    } catch {
      // No storage (or orphaned): the defaults hold.
    }
  })();

  try {
    AW.api.storage?.onChanged?.addListener((changes, area) => {
      if (area === "local" && changes[KEY]) current = changes[KEY].newValue ?? {};
    });
  } catch {}

  AW.settings = {
    ready,
    /** Both guards (confirm received, close dispute); on unless the user turned it off. */
    confirmGuard: () => current.confirmGuard !== false,
    /** The language of the helper's texts: the options page's choice, else the browser's (AW.textLang). */
    lang: () => (typeof current.draftLang === "string" && current.draftLang && current.draftLang !== "auto"
      ? current.draftLang
      : AW.textLang),
  };
})();
