// Browser notifications for reminders. The helper decides what is due and claims it, once across browsers
// and restarts; this module only shows it. While the helper is connected it pushes `warnings`; when no
// AliExpress page keeps it connected, a periodic alarm wakes the worker and asks it what is `due`, and a
// one-shot alarm is set for the `next_at` it names. A click opens the order.
import { ask } from "./ask.js";
import { describe, notificationId, notificationTarget, toMs, wanted } from "./reminders.js";
import { load as loadSettings, resolveLang } from "../options/settings.js";
import { t } from "../popup/text.js";

import { api } from "../lib/exports.js";

export const ALARM = "aliwatch-reminders"; // every PERIOD_MINUTES
export const NEXT_ALARM = "aliwatch-reminders-next"; // one-shot, at the helper's next_at
export const PERIOD_MINUTES = 30;

async function context() {
  const settings = await loadSettings(api.storage.local);
  return { settings, lang: resolveLang(settings, api.i18n?.getUILanguage?.()) };
}

/** Shows each reminder the user wants; returns the notification ids shown. */
async function show(reminders, leadTimes, lang) {
  const now = Date.now();
  const shown = [];
  for (const r of wanted(reminders, leadTimes)) {
    const text = describe(r, now, lang);
    const id = notificationId(r);
    try {
      await api.notifications.create(id, {
        type: "basic",
        iconUrl: api.runtime.getURL("icons/icon-128.png"),
        title: text.title,
        message: [text.action, [t("order_label", text.orderId), text.store].filter(Boolean).join(" · "), text.when]
          .filter(Boolean)
          .join("\n"),
      });
      shown.push(id);
    } catch (e) {
      console.warn("AliWatch: could not show a notification", id, e);
    }
  }
  return shown;
}

/** The host's pushed `warnings`. */
export async function notifyWarnings(warnings) {
  const { settings, lang } = await context();
  return show(warnings, settings.leadTimes, lang);
}

/** The alarm's check: ask the host what is due now (it claims what it answers), show it, and wake again
 * at the next moment the host names. */
export async function checkReminders(transport) {
  const { settings, lang } = await context();
  if (!settings.leadTimes.length) return []; // reminders switched off: ask nothing, so nothing is claimed
  const frames = await ask(transport, { type: "due", ui_lang: lang }, 30_000);
  const shown = await show(frames.flatMap((f) => (Array.isArray(f.reminders) ? f.reminders : [])), settings.leadTimes, lang);
  const next = toMs(frames[0]?.next_at);
  if (next !== null) await api.alarms.create(NEXT_ALARM, { when: next + 1000 }); // just past the moment
  return shown;
}

async function ensureAlarm() {
  const existing = await api.alarms.get(ALARM);
  if (existing?.periodInMinutes !== PERIOD_MINUTES) {
    await api.alarms.create(ALARM, { delayInMinutes: 1, periodInMinutes: PERIOD_MINUTES });
  }
}

async function openFromNotification(id) {
  const url = notificationTarget(id);
  if (url === null && !String(id).startsWith("aliwatch|")) return; // someone else's notification
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
  // The dedupe records of versions that judged reminders themselves: the helper keeps them now.
  api.storage.local.remove(["notified", "reminderWatch"]).catch(() => {});
}
