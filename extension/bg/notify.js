// Browser notifications for deadlines: from the host's pushed `warnings` while it is connected, and from a
// periodic alarm that wakes the worker (no AliExpress page needs to be open), asks the host for the stored
// deadlines and fires what reminders.js says is due. What was shown is remembered in storage.local, so each
// deadline and threshold notifies once, across restarts and across both paths. A click opens the order.
import { ask } from "./ask.js";
import {
  describe, due_notifications, freshWarnings, nextReminderAt, orderUrl, prune, toMs, watchList, withPassed,
} from "./reminders.js";
import { load as loadSettings, resolveLang } from "../options/settings.js";
import { t } from "../popup/text.js";

import { api } from "../lib/exports.js";

export const ALARM = "aliwatch-reminders"; // every PERIOD_MINUTES
export const NEXT_ALARM = "aliwatch-reminders-next"; // one-shot, at the next lead time a deadline crosses
export const PERIOD_MINUTES = 30;
export const NOTIFIED = "notified"; // storage.local: {key: {at, fired, url, source, title}}
export const WATCH = "reminderWatch"; // storage.local: the last check's deadlines within 7 days
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
    // A watched deadline that has passed still carries the title of the check before ("… in 20 minutes").
    if (source === "alarm" && toMs(deadline.at) <= now && deadline.label) text.title = deadline.label;
    try {
      await api.notifications.create(ID_PREFIX + key, {
        type: "basic",
        iconUrl: api.runtime.getURL("icons/icon-128.png"),
        title: text.title,
        message: [text.action, [t("order_label", text.orderId), text.store].filter(Boolean).join(" · "), text.when]
          .filter(Boolean)
          .join("\n"),
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
    return fire(freshWarnings(warnings, settings.leadTimes, notified), notified, "push", lang);
  });
}

/** The alarm's check: ask the host for the upcoming deadlines, add the watched ones that have just passed
 * (for "due"), notify what is due, remember the watch list, and set an alarm for the next lead time. */
export function checkReminders(transport) {
  return serial(async () => {
    const { settings, lang } = await context();
    if (!settings.leadTimes.length) return []; // reminders switched off
    const frames = await ask(transport, { type: "deadlines", ui_lang: lang }, 30_000);
    const upcoming = frames.flatMap((f) => (Array.isArray(f.deadlines) ? f.deadlines : []));
    const now = Date.now();
    const stored = await api.storage.local.get([NOTIFIED, WATCH]);
    const notified = stored?.[NOTIFIED] && typeof stored[NOTIFIED] === "object" ? stored[NOTIFIED] : {};
    const candidates = withPassed(upcoming, stored?.[WATCH], now);
    const shown = await fire(due_notifications(candidates, now, settings.leadTimes, notified), notified, "alarm", lang);
    await api.storage.local.set({ [WATCH]: watchList(candidates, now) });
    const next = nextReminderAt(upcoming, now, settings.leadTimes);
    if (next !== null) await api.alarms.create(NEXT_ALARM, { when: next + 1000 }); // just past the moment
    return shown;
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
  if (alarm?.name !== ALARM && alarm?.name !== NEXT_ALARM) return;
  try {
    const shown = await checkReminders(transport);
    if (shown.length) console.info("AliWatch: reminders shown", shown);
  } catch (e) {
    // Helper missing or not answering: nothing to remind from; the next alarm tries again.
    console.warn("AliWatch: reminder check failed", e?.reason ?? "", e?.message ?? e);
  }
  // A one-shot alarm of this name ("check now") must not end the periodic one.
  await ensureAlarm().catch((e) => console.warn("AliWatch: could not schedule reminders", e));
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
