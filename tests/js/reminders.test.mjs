// The pure reminder logic (extension/bg/reminders.js): which notification fires when, once per deadline and
// lead time, across the alarm and the host's pushes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadExtensionModule } from "./extension.mjs";

const R = await loadExtensionModule("bg/reminders.js");
const { due_notifications, freshWarnings, prune, orderUrl, formatRelative, describe } = R;
const { withPassed, watchList, nextReminderAt } = R;

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse("2026-11-26T09:00:00Z");
const ALL = ["7d", "3d", "1d", "due"];

function deadline(at, extra = {}) {
  return {
    order_id: "8213004417736925", kind: "protection_ends",
    at: typeof at === "string" ? at : new Date(at).toISOString().replace(".000Z", "+00:00"), // the host's spelling
    code: "protection_ending", severity: "warning", title: "Protection ends soon", store: "Sonicbay Audio Store",
    action: "Ask the seller to extend protection, or open a dispute.",
    url: "https://www.aliexpress.com/p/order/detail.html?orderId=8213004417736925", ...extra,
  };
}

const thresholds = (items) => items.map((i) => i.threshold);

test("a deadline 4 days away fires its 7-day reminder once", () => {
  const d = deadline(NOW + 4 * DAY + 15 * HOUR);
  const first = due_notifications([d], NOW, ALL, {});
  assert.deepEqual(thresholds(first), ["7d"]);
  assert.equal(first[0].key, "8213004417736925|protection_ends|2026-12-01T00:00:00.000Z|7d");
  assert.equal(first[0].deadline, d);
  const notified = { [first[0].key]: { at: Date.parse(d.at) } };
  assert.deepEqual(due_notifications([d], NOW + HOUR, ALL, notified), []);
  assert.deepEqual(due_notifications([d], NOW + HOUR, ALL, new Set([first[0].key])), []);
});

test("checked every 30 minutes, each lead time fires exactly once, in order", () => {
  const at = NOW + 10 * DAY;
  const d = deadline(at);
  const notified = new Set();
  const fired = [];
  for (let t = NOW; t <= at + 5 * DAY; t += 30 * 60_000) {
    for (const item of due_notifications([d], t, ALL, notified)) {
      notified.add(item.key);
      fired.push([item.threshold, Math.round((at - t) / HOUR)]);
    }
  }
  assert.deepEqual(fired, [["7d", 168], ["3d", 72], ["1d", 24], ["due", 0]]);
});

/** One alarm check as notify.js runs it: the host lists only deadlines at or after now. */
function check(all, t, leadTimes, notified, watch) {
  const upcoming = all.filter((d) => Date.parse(d.at) >= t);
  const candidates = withPassed(upcoming, watch.list, t);
  const items = due_notifications(candidates, t, leadTimes, notified);
  for (const item of items) notified.add(item.key);
  watch.list = watchList(candidates, t);
  return { items, next: nextReminderAt(upcoming, t, leadTimes) };
}

test("with upcoming-only lists, the watch list still brings each deadline's due moment, once", () => {
  const at = NOW + 10 * DAY + 7 * 60_000;
  const d = deadline(at);
  const notified = new Set();
  const watch = { list: [] };
  const fired = [];
  for (let t = NOW; t <= at + 5 * DAY; t += 30 * 60_000) {
    for (const item of check([d], t, ALL, notified, watch).items) {
      fired.push([item.threshold, (t - (at - R.LEAD_TIMES[item.threshold])) / 60_000]); // minutes late
    }
  }
  assert.deepEqual(fired, [["7d", 23], ["3d", 23], ["1d", 23], ["due", 23]]); // at the first check after
  assert.deepEqual(watch.list, []); // forgotten once its due moment is old news
});

test("the one-shot alarm lands on the next lead time, and fires it on time", () => {
  const at = NOW + 10 * DAY;
  const d = deadline(at);
  assert.equal(nextReminderAt([d], NOW, ALL), at - 7 * DAY);
  assert.equal(nextReminderAt([d], at - 5 * DAY, ALL), at - 3 * DAY);
  assert.equal(nextReminderAt([d], at - 5 * DAY, ["due"]), at);
  assert.equal(nextReminderAt([d], at - 5 * DAY, []), null);
  assert.equal(nextReminderAt([deadline(at, { code: null })], NOW, ALL), null);
  const notified = new Set();
  const watch = { list: [] };
  let t = NOW;
  const fired = [];
  for (let step = 0; step < 10; step++) {
    const { items, next } = check([d], t, ALL, notified, watch);
    fired.push(...items.map((i) => [i.threshold, t - at]));
    if (next === null) break;
    t = next + 1000; // as notify.js schedules it
  }
  assert.deepEqual(fired, [["7d", -7 * DAY + 1000], ["3d", -3 * DAY + 1000], ["1d", -DAY + 1000], ["due", 1000]]);
});

test("a deadline replaced by a later date does not fire its old due moment", () => {
  const old = deadline(NOW + HOUR);
  const watch = { list: watchList([old], NOW) };
  assert.equal(watch.list.length, 1);
  const extended = deadline(NOW + 8 * DAY);
  const later = NOW + 2 * HOUR;
  assert.deepEqual(due_notifications(withPassed([extended], watch.list, later), later, ALL, {}), []);
  // Without the replacement, the old date's due moment fires.
  assert.deepEqual(thresholds(due_notifications(withPassed([], watch.list, later), later, ALL, {})), ["due"]);
  assert.deepEqual(withPassed([], [null, { at: "x" }, deadline(NOW + DAY)], later), []); // not passed: the host's list rules
});

test("after a week away only the latest crossed lead time fires", () => {
  const d = deadline(NOW + 20 * HOUR);
  assert.deepEqual(thresholds(due_notifications([d], NOW, ALL, {})), ["1d"]);
});

test("lead times turned off in the options do not fire", () => {
  const d = deadline(NOW + 5 * DAY);
  assert.deepEqual(due_notifications([d], NOW, ["3d", "due"], {}), []);
  assert.deepEqual(thresholds(due_notifications([d], NOW + 2 * DAY + HOUR, ["3d", "due"], {})), ["3d"]);
  // 1 day off: 20 h before, the latest enabled lead time is 3 days, unless that one was shown already.
  const soon = deadline(NOW + 20 * HOUR);
  const three = due_notifications([soon], NOW, ["7d", "3d"], {});
  assert.deepEqual(thresholds(three), ["3d"]);
  assert.deepEqual(due_notifications([soon], NOW, ["7d", "3d"], new Set([three[0].key])), []);
  assert.deepEqual(due_notifications([soon], NOW, [], {}), []);
});

test("due fires when the moment passes, not days later, and only if wanted", () => {
  assert.deepEqual(thresholds(due_notifications([deadline(NOW - HOUR)], NOW, ALL, {})), ["due"]);
  assert.deepEqual(due_notifications([deadline(NOW - 4 * DAY)], NOW, ALL, {}), []);
  // Passed and "due" is off: a "1 day before" reminder after the fact would be wrong.
  assert.deepEqual(due_notifications([deadline(NOW - HOUR)], NOW, ["7d", "3d", "1d"], {}), []);
});

test("deadlines with nothing to do, far away or unreadable fire nothing", () => {
  const far = deadline(NOW + 8 * DAY);
  const none = deadline(NOW + DAY, { code: null, action: null });
  const broken = [null, "x", deadline("not a date"), deadline(NOW + DAY, { order_id: null }), deadline(NOW + DAY, { kind: "" })];
  assert.deepEqual(due_notifications([far, none, ...broken], NOW, ALL, {}), []);
  assert.deepEqual(due_notifications("nope", NOW, ALL, {}), []);
  assert.deepEqual(due_notifications([deadline(NOW + DAY)], "not a time", ALL, {}), []);
});

test("a new date for the same deadline is a new deadline; spellings of one moment are one", () => {
  const old = deadline(Date.parse("2026-12-01T00:00:00Z"));
  const [item] = due_notifications([old], NOW, ALL, {});
  const extended = deadline(Date.parse("2026-12-15T00:00:00Z"));
  const later = Date.parse("2026-12-09T00:00:00Z");
  assert.deepEqual(thresholds(due_notifications([extended], later, ALL, new Set([item.key]))), ["7d"]);
  const zulu = { ...old, at: "2026-12-01T00:00:00Z" };
  assert.deepEqual(due_notifications([zulu], NOW, ALL, new Set([item.key])), []);
  assert.equal(due_notifications([old, { ...old }], NOW, ALL, {}).length, 1); // listed twice, shown once
});

test("pushed warnings: enabled lead times only, and never twice with the alarm", () => {
  const d = deadline(NOW + 2 * DAY);
  const push = { ...d, threshold: "3d", lead_seconds: 259200, due: d.at };
  const fromAlarm = due_notifications([d], NOW, ALL, {});
  assert.deepEqual(thresholds(fromAlarm), ["3d"]);
  assert.deepEqual(freshWarnings([push], ALL, new Set([fromAlarm[0].key])), []);
  const pushed = freshWarnings([push, { ...push }], ALL, {});
  assert.deepEqual(pushed.map((i) => i.key), [fromAlarm[0].key]);
  assert.equal(pushed[0].deadline.at, d.at);
  assert.deepEqual(due_notifications([d], NOW, ALL, new Set([pushed[0].key])), []);
  assert.deepEqual(freshWarnings([push], ["7d", "1d"], {}), []);
  assert.deepEqual(freshWarnings([{ ...push, threshold: "2d" }, { ...push, due: "bad" }, null], ALL, {}), []);
});

test("prune keeps recent records and drops those long past", () => {
  const kept = { a: { at: NOW - 10 * DAY, fired: NOW }, b: { at: NOW + DAY, fired: NOW } };
  const pruned = prune({ ...kept, old: { at: NOW - 40 * DAY }, junk: "x", noat: {} }, NOW);
  assert.deepEqual(Object.keys(pruned).sort(), ["a", "b"]);
  const many = Object.fromEntries(Array.from({ length: R.MAX_KEPT + 10 }, (_, i) => [`k${i}`, { at: NOW + i }]));
  const bounded = prune(many, NOW);
  assert.equal(Object.keys(bounded).length, R.MAX_KEPT);
  assert.ok(`k${R.MAX_KEPT + 9}` in bounded && !("k0" in bounded)); // the latest deadlines stay
});

test("the order link is the host's AliExpress address, else the detail page by id", () => {
  const id = "8213004417736925";
  const detail = `https://www.aliexpress.com/p/order/detail.html?orderId=${id}`;
  assert.equal(orderUrl({ order_id: id, url: "https://aliexpress.ru/order-list/123" }), "https://aliexpress.ru/order-list/123");
  for (const url of ["javascript:alert(1)", "http://www.aliexpress.com/x", "https://evil.example/aliexpress.com", null]) {
    assert.equal(orderUrl({ order_id: id, url }), detail, String(url));
  }
  assert.equal(orderUrl({ order_id: "<b>", url: "data:text/html,x" }), null);
});

test("when: absolute and relative, whole units toward zero", () => {
  assert.equal(formatRelative(NOW + 4 * DAY + 15 * HOUR, NOW, "en"), "in 4 days");
  assert.equal(formatRelative(NOW + 20 * HOUR, NOW, "en"), "in 20 hours");
  assert.equal(formatRelative(NOW + 47 * HOUR, NOW, "en"), "in 1 day"); // like the host: "in 1 day"
  assert.equal(formatRelative(NOW - 30 * HOUR, NOW, "en"), "1 day ago");
  assert.equal(formatRelative(NOW - 2 * DAY - HOUR, NOW, "en"), "2 days ago");
  assert.equal(formatRelative(NOW + 5 * 60_000, NOW, "en"), "in 5 minutes");
  assert.equal(formatRelative(NOW, NOW, "en"), "now");
  const text = describe(deadline(Date.parse("2026-12-01T00:00:00Z")), NOW, "en", "UTC");
  // ICU versions differ in the space before AM (U+202F or U+0020).
  assert.equal(text.when.replace(/[\u202f\u00a0]/g, " "), "Dec 1, 2026, 12:00 AM (in 4 days)");
  assert.deepEqual([text.orderId, text.store], ["8213004417736925", "Sonicbay Audio Store"]);
  assert.equal(text.title, "Protection ends soon");
  assert.match(text.action, /^Ask the seller/);
  const bare = describe({ order_id: "1", kind: "ship_by", label: "Seller ships by", at: "x" }, NOW, "en");
  assert.deepEqual([bare.title, bare.action, bare.when, bare.url], ["Seller ships by", "", "", null]);
});

test("sortDeadlines: soonest first, unreadable dates last", () => {
  const list = [deadline(NOW + 3 * DAY), { order_id: "2", at: "?" }, deadline(NOW + DAY), null];
  assert.deepEqual(R.sortDeadlines(list).map((d) => d.at ?? d), [list[2].at, list[0].at, "?"]);
});
