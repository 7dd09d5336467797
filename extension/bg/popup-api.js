// What AliWatch's own pages (the popup and the options page) may ask the helper, through the background's
// one native port: the upcoming deadlines, the dashboard's address, an export, the words the user taught
// (listed, or one removed). Content scripts can't: the
// sender must be one of our extension pages, because an export holds every order the buyer has.
import { ask, failure } from "./ask.js";
import { load as loadSettings, resolveLang } from "../options/settings.js";

import { api } from "../lib/exports.js";

export const MESSAGES = Object.freeze({
  deadlines: "aliwatch:deadlines",
  dashboard: "aliwatch:dashboard",
  export: "aliwatch:export",
  phrases: "aliwatch:phrases",
});
const FORMATS = new Set(["json", "csv", "ics"]);

async function uiLang() {
  return resolveLang(await loadSettings(api.storage.local), api.i18n?.getUILanguage?.());
}

async function deadlines(transport) {
  const frames = await ask(transport, { type: "deadlines", ui_lang: await uiLang() }, 20_000);
  return {
    ok: true,
    now: frames[0]?.now ?? null,
    deadlines: frames.flatMap((f) => (Array.isArray(f.deadlines) ? f.deadlines : [])),
  };
}

/** Starts the dashboard if needed and opens it in a tab; only a loopback http address is opened. */
async function dashboard(transport) {
  const [reply] = await ask(transport, { type: "dashboard", start: true }, 40_000);
  let url;
  try {
    url = new URL(String(reply?.url ?? ""));
  } catch {
    return { ok: false, reason: "error", code: "bad_reply", message: "The helper sent no dashboard address." };
  }
  if (url.protocol !== "http:" || !["127.0.0.1", "localhost"].includes(url.hostname)) {
    return { ok: false, reason: "error", code: "bad_reply", message: `Not a local address: ${url.origin}` };
  }
  await api.tabs.create({ url: url.href });
  return { ok: true, url: url.href };
}

async function exportData(transport, msg) {
  if (!FORMATS.has(msg.format)) return { ok: false, reason: "error", code: "bad_argument", message: "format" };
  const frames = await ask(transport, { type: "export", format: msg.format, ui_lang: await uiLang() }, 60_000);
  return {
    ok: true,
    format: msg.format,
    filename: String(frames[0]?.filename || `aliwatch.${msg.format}`),
    content: frames.map((f) => (typeof f.content === "string" ? f.content : "")).join(""),
  };
}

/** The taught words (`phrase_override` list), or one removed by its id and the list after it. */
async function phrases(transport, msg) {
  if (msg.action === "remove") {
    if (!Number.isSafeInteger(msg.override_id) || msg.override_id < 1) {
      return { ok: false, reason: "error", code: "bad_argument", message: "override_id" };
    }
    await ask(transport, { type: "phrase_override", action: "remove", override_id: msg.override_id }, 20_000);
  }
  const frames = await ask(transport, { type: "phrase_override", action: "list" }, 20_000);
  return { ok: true, overrides: frames.flatMap((f) => (Array.isArray(f.overrides) ? f.overrides : [])) };
}

const HANDLERS = {
  [MESSAGES.deadlines]: deadlines,
  [MESSAGES.dashboard]: dashboard,
  [MESSAGES.export]: exportData,
  [MESSAGES.phrases]: phrases,
};

function fromOwnPage(sender) {
  return sender?.id === api.runtime.id && typeof sender.url === "string" && sender.url.startsWith(api.runtime.getURL(""));
}

/** Registers the listener; call at the worker's top level, so a message from the popup wakes it. */
export function installPageApi(transport) {
  api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    const handler = HANDLERS[msg?.type];
    if (!handler || !fromOwnPage(sender)) return undefined; // someone else's message
    handler(transport, msg).then(sendResponse, (e) => sendResponse(failure(e)));
    return true; // the answer comes asynchronously
  });
}
