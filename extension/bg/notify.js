// Browser notifications for deadlines: from the host's pushed `warnings` while it is connected, and from a
// periodic alarm that wakes the worker (no AliExpress page needs to be open), asks the host for the stored
// deadlines and fires what reminders.js says is due. What was shown is remembered in storage.local, so each
// deadline and threshold notifies once, across restarts and across both paths. A click opens the order.
import { ask } from "./ask.js";
import { describe, due_notifications, fresh_warnings, orderUrl, prune, toMs } from "./reminders.js";
import { load as loadSettings, resolveLang } from "../options/settings.js";

const api = globalThis.browser ?? globalThis.chrome;

export const ALARM = "aliwatch-reminders";
export const PERIOD_MINUTES = 30;
export const NOTIFIED = "notified"; // storage.local: {key: {at, fired, url, source, title}}
const ID_PREFIX = "aliwatch|"; // notification id = prefix + key

// One check at a time: an alarm and a push handled together must not both fire the same key.
let queue = Promise.resolve();
function serial(fn) {
  const run = queue.then(fn);
  queue = run.catch(() => {});
  return run;
}

async function loadNotified() {
  const stored = await api.storage.local.get(NOTIFIED);
  const value = stored?.[NOTIFIED];
  return value && typeof value === "object" ? value : {};
}

async function context() {
  const settings = await loadSettings(api.storage.local);
  return { settings, lang: resolveLang(settings, api.i18n?.getUILanguage?.()) };
}

/** Shows each item, records it, and returns the keys shown. A failed notification is not recorded. */
async function fire(items, notified, source, lang) {
  const now = Date.now();
  const shown = [];
  for (const { key, deadline } of items) {
    const text = describe(deadline, now, lang);
    try {
      await api.notifications.create(ID_PREFIX + key, {
        type: "basic",
        iconUrl: api.runtime.getURL("icons/icon-128.png"),
        title: text.title,
        message: [text.action, text.order, text.when].filter(Boolean).join("\n"),
      });
    } catch (e) {
      console.warn("AliWatch: could not show a notification", key, e);
      continue;
    }
    notified[key] = { at: toMs(deadline.at), fired: now, url: text.url, source, title: text.title };
    shown.push(key);
  }
  if (shown.length) await api.storage.local.set({ [NOTIFIED]: prune(notified, now) });
  return shown;
}

/** The host's pushed `warnings`: notify those not shown yet at an enabled lead time. */
export function notifyWarnings(warnings) {
  return serial(async () => {
    const { settings, lang } = await context();
    const notified = await loadNotified();
    return fire(fresh_warnings(warnings, settings.leadTimes, notified), notified, "push", lang);
  });
}

/** The alarm's check: ask the host for every stored deadline (past ones too, for "due") and notify. */
export function checkReminders(transport) {
  return serial(async () => {
    const { settings, lang } = await context();
    if (!settings.leadTimes.length) return []; // reminders switched off
    const frames = await ask(transport, { type: "deadlines", include_past: true, ui_lang: lang }, 30_000);
    const deadlines = frames.flatMap((f) => (Array.isArray(f.deadlines) ? f.deadlines : []));
    const notified = await loadNotified();
    return fire(due_notifications(deadlines, Date.now(), settings.leadTimes, notified), notified, "alarm", lang);
  });
}

async function ensureAlarm() {
  const existing = await api.alarms.get(ALARM);
  if (existing?.periodInMinutes !== PERIOD_MINUTES) {
    await api.alarms.create(ALARM, { delayInMinutes: 1, periodInMinutes: PERIOD_MINUTES });
  }
}

async function openFromNotification(id) {
  if (typeof id !== "string" || !id.startsWith(ID_PREFIX)) return;
  const key = id.slice(ID_PREFIX.length);
  const record = (await loadNotified())[key];
  const url = orderUrl({ url: record?.url, order_id: key.split("|")[0] });
  if (url) await api.tabs.create({ url });
  await api.notifications.clear(id);
}

async function onAlarm(alarm, transport) {
  if (alarm?.name !== ALARM) return;
  try {
    const shown = await checkReminders(transport);
    if (shown.length) console.info("AliWatch: reminders shown", shown);
  } catch (e) {
    // Helper missing or not answering: nothing to remind from; the next alarm tries again.
    console.warn("AliWatch: reminder check failed", e?.reason ?? "", e?.message ?? e);
  }
  await ensureAlarm(); // a one-shot alarm of this name ("check now") must not end the periodic one
}

/** Registers the listeners (call at the worker's top level, so an alarm or a click wakes it). */
export function installReminders(transport) {
  api.alarms.onAlarm.addListener((alarm) => onAlarm(alarm, transport));
  api.notifications.onClicked.addListener((id) => {
    openFromNotification(id).catch((e) => console.warn("AliWatch: could not open the order", e));
  });
  // After the browser was closed: catch up at once instead of at the next period.
  api.runtime.onStartup?.addListener(() => onAlarm({ name: ALARM }, transport));
  ensureAlarm().catch((e) => console.warn("AliWatch: could not schedule reminders", e));
}
