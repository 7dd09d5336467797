// How a reminder or a deadline reads: pure functions shared by the background, the popup and node's test
// runner. No browser API and no reminder rules here: the helper decides what is due and claims it, once
// across browsers and restarts (PROTOCOL.md `due` and pushed `warnings`); the extension only presents it.
import { relative } from "../lib/exports.js";

const ORDER_HOSTS = /(^|\.)aliexpress\.(com|ru|us)$/;
const ID_PREFIX = "aliwatch|";

/** Milliseconds since the epoch, or null for anything that is not a date. */
export function toMs(value) {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return toMs(value.getTime());
  const t = Date.parse(typeof value === "string" ? value : "");
  return Number.isNaN(t) ? null : t;
}

/** The reminders the user wants shown: the lead times ticked on the options page (a presentation choice;
 * the helper has claimed the others all the same, so turning one back on never brings old news). */
export function wanted(reminders, leadTimes) {
  const enabled = new Set(Array.isArray(leadTimes) ? leadTimes : []);
  return (Array.isArray(reminders) ? reminders : []).filter(
    (r) => r && typeof r === "object" && r.order_id && r.kind && enabled.has(r.threshold),
  );
}

/** A notification's id: unique per deadline, moment and threshold, and carrying what a click needs. */
export function notificationId(r) {
  return ID_PREFIX + JSON.stringify([String(r?.order_id ?? ""), String(r?.kind ?? ""), String(r?.threshold ?? ""),
    String(r?.due ?? r?.at ?? ""), typeof r?.url === "string" ? r.url : ""]);
}

/** The order page a notification opens, or null for an id that is not ours. */
export function notificationTarget(id) {
  if (typeof id !== "string" || !id.startsWith(ID_PREFIX)) return null;
  try {
    const [orderId, , , , url] = JSON.parse(id.slice(ID_PREFIX.length));
    return orderUrl({ order_id: orderId, url });
  } catch {
    return null;
  }
}

/** The order's page: the host's url when it is an AliExpress https address, else the detail page by id. */
export function orderUrl(d) {
  try {
    const url = new URL(String(d?.url ?? ""));
    if (url.protocol === "https:" && ORDER_HOSTS.test(url.hostname)) return url.href;
  } catch {
    // not a URL: fall through
  }
  const id = String(d?.order_id ?? "");
  return /^\d{6,32}$/.test(id) ? `https://www.aliexpress.com/p/order/detail.html?orderId=${id}` : null;
}

/** "in 4 days", "3 hours ago", "now", as the host words its titles (lib/base.js). */
export const formatRelative = relative;

export function formatAbsolute(atMs, lang, timeZone) {
  const options = { dateStyle: "medium", timeStyle: "short" };
  if (timeZone) options.timeZone = timeZone;
  return new Intl.DateTimeFormat(lang || undefined, options).format(new Date(atMs));
}

/** What the popup and a notification say about one deadline entry or reminder. */
export function describe(d, nowMs, lang, timeZone) {
  const at = toMs(d?.at ?? d?.due);
  return {
    title: String(d?.title || d?.label || d?.kind || "Deadline"),
    action: String(d?.action || d?.detail || d?.text || ""),
    orderId: String(d?.order_id ?? "?"),
    store: d?.store ? String(d.store) : "",
    when: at === null ? "" : `${formatAbsolute(at, lang, timeZone)} (${formatRelative(at, nowMs, lang)})`,
    url: orderUrl(d),
  };
}

/** Soonest first; entries without a readable date last (the host sorts too, but parts may interleave). */
export function sortDeadlines(deadlines) {
  const at = (d) => toMs(d?.at) ?? Infinity;
  return (Array.isArray(deadlines) ? deadlines.filter((d) => d && typeof d === "object") : [])
    .slice()
    .sort((a, b) => at(a) - at(b));
}
