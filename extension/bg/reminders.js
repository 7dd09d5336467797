// Which reminders are due, and how a deadline reads: pure functions of (deadlines, now, lead times, what was
// already notified), shared by the background, the popup and node's test runner. No browser API here.
//
// Lead times are the host's thresholds (PROTOCOL.md, pushed `warnings`): 7d, 3d, 1d (= 24 h) and due. Like
// the host, only the latest threshold a deadline has crossed fires, so a browser that was closed for a
// week shows one notification per deadline, not three.

import { relative, vocab } from "../lib/exports.js";

const DAY = 24 * 3600 * 1000;

export const LEAD_TIMES = Object.freeze({ "7d": 7 * DAY, "3d": 3 * DAY, "1d": DAY, due: 0 });
export const LEAD_ORDER = vocab.lead_times; // earliest first
export const STALE_DUE_MS = 3 * DAY; // the host's STALE_DUE: "it is due" is not news days later
export const KEEP_MS = 30 * DAY; // notified records outlive their deadline this long, then are pruned
export const MAX_KEPT = 5000;

const ORDER_HOSTS = /(^|\.)aliexpress\.(com|ru|us)$/;

/** Milliseconds since the epoch, or null for anything that is not a date. */
export function toMs(value) {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return toMs(value.getTime());
  const t = Date.parse(typeof value === "string" ? value : "");
  return Number.isNaN(t) ? null : t;
}

/** One key per order, deadline kind, moment and threshold: a new date for a deadline is a new deadline. */
export function notificationKey(orderId, kind, at, threshold) {
  const t = toMs(at);
  return [orderId, kind, t === null ? String(at) : new Date(t).toISOString(), threshold].join("|");
}

/** The lead-time names, cleaned: known ones only, once each, in LEAD_ORDER. */
export function cleanLeadTimes(leadTimes) {
  const wanted = new Set(Array.isArray(leadTimes) ? leadTimes : []);
  return LEAD_ORDER.filter((name) => wanted.has(name));
}

/** The latest enabled threshold `atMs` has crossed at `nowMs`, or null. */
export function latestThreshold(atMs, nowMs, leadTimes) {
  let crossed = null;
  for (const name of cleanLeadTimes(leadTimes)) if (nowMs >= atMs - LEAD_TIMES[name]) crossed = name;
  return crossed;
}

const asSet = (notified) =>
  notified instanceof Set ? new Set(notified) : new Set(Object.keys(notified && typeof notified === "object" ? notified : {}));

/**
 * The notifications to fire now for `deadlines` (entries of the host's `deadlines` reply): for each deadline
 * the advice engine has something to say about (non-null `code`), its latest crossed enabled threshold,
 * unless that key is in `alreadyNotified` (a Set of keys or an object keyed by them).
 * Returns [{key, threshold, deadline}] in the deadlines' order.
 */
export function due_notifications(deadlines, now, leadTimes, alreadyNotified) {
  const nowMs = toMs(now);
  const seen = asSet(alreadyNotified);
  const out = [];
  if (nowMs === null) return out;
  for (const d of Array.isArray(deadlines) ? deadlines : []) {
    if (!d || typeof d !== "object" || !d.code || !d.order_id || !d.kind) continue;
    const at = toMs(d.at);
    if (at === null) continue;
    const threshold = latestThreshold(at, nowMs, leadTimes);
    if (threshold === null) continue;
    // Passed, and "due" is not wanted: a "3 days before" reminder after the fact would be wrong.
    if (at <= nowMs && threshold !== "due") continue;
    if (threshold === "due" && nowMs - at > STALE_DUE_MS) continue;
    const key = notificationKey(d.order_id, d.kind, at, threshold);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, threshold, deadline: d });
  }
  return out;
}

/**
 * The host's pushed warnings worth a notification: a known, enabled threshold, not notified yet (by an
 * earlier push or by our own alarm), each once. Same shape as due_notifications().
 */
export function freshWarnings(warnings, leadTimes, alreadyNotified) {
  const enabled = new Set(cleanLeadTimes(leadTimes));
  const seen = asSet(alreadyNotified);
  const out = [];
  for (const w of Array.isArray(warnings) ? warnings : []) {
    if (!w || typeof w !== "object" || !w.order_id || !w.kind || !enabled.has(w.threshold)) continue;
    const at = toMs(w.due ?? w.at);
    if (at === null) continue;
    const key = notificationKey(w.order_id, w.kind, at, w.threshold);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, threshold: w.threshold, deadline: { ...w, at: w.at ?? w.due } });
  }
  return out;
}

/**
 * The alarm asks the host for upcoming deadlines only (cheap: a heavy buyer's whole history is megabytes),
 * so a deadline that has just passed is no longer in the list when its "due" moment is checked. The
 * previous check's watch list (watchList) supplies it: a watched deadline that has passed comes back,
 * unless the fresh list has the same order and kind (a new date replaced it).
 */
export function withPassed(upcoming, watched, now) {
  const nowMs = toMs(now);
  const list = Array.isArray(upcoming) ? upcoming.filter((d) => d && typeof d === "object") : [];
  const current = new Set(list.map((d) => `${d.order_id}|${d.kind}`));
  const passed = (Array.isArray(watched) ? watched : []).filter((w) => {
    const at = toMs(w?.at);
    return at !== null && nowMs !== null && at <= nowMs && !current.has(`${w.order_id}|${w.kind}`);
  });
  return [...list, ...passed];
}

/** What to remember for the next check (pass withPassed's list): the deadlines with advice from the last
 * STALE_DUE_MS to the longest lead time ahead; a passed one stays until its "due" can no longer fire. */
export function watchList(deadlines, now) {
  const nowMs = toMs(now);
  return (Array.isArray(deadlines) ? deadlines : []).filter((d) => {
    const at = toMs(d?.at);
    return d?.code && at !== null && nowMs !== null && at >= nowMs - STALE_DUE_MS && at <= nowMs + LEAD_TIMES["7d"];
  });
}

/** The next moment a deadline crosses an enabled lead time (for a precise one-shot alarm), or null. */
export function nextReminderAt(deadlines, now, leadTimes) {
  const nowMs = toMs(now);
  let next = null;
  for (const d of Array.isArray(deadlines) ? deadlines : []) {
    const at = toMs(d?.at);
    if (!d?.code || at === null || nowMs === null) continue;
    for (const name of cleanLeadTimes(leadTimes)) {
      const moment = at - LEAD_TIMES[name];
      if (moment > nowMs && (next === null || moment < next)) next = moment;
    }
  }
  return next;
}

/** The notified records still worth keeping (bounded: the newest MAX_KEPT by deadline). */
export function prune(notified, nowMs) {
  const entries = Object.entries(notified && typeof notified === "object" ? notified : {}).filter(
    ([, v]) => v && typeof v === "object" && typeof v.at === "number" && v.at >= nowMs - KEEP_MS,
  );
  entries.sort((a, b) => b[1].at - a[1].at);
  return Object.fromEntries(entries.slice(0, MAX_KEPT));
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

/** What the popup and a notification say about one deadline entry. */
export function describe(d, nowMs, lang, timeZone) {
  const at = toMs(d?.at);
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
