// How reminders read (extension/bg/reminders.js). What is due is the helper's decision (tests/test_host_store.py
// and tests/test_store.py); the extension filters by the user's lead times, words and links the reminder.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadExtensionModule } from "./extension.mjs";

const R = await loadExtensionModule("bg/reminders.js");
const { orderUrl, formatRelative, describe, wanted, notificationId, notificationTarget } = R;

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse("2026-11-26T09:00:00Z");

function deadline(at, extra = {}) {
  return {
    order_id: "8213004417736925", kind: "protection_ends",
    at: typeof at === "string" ? at : new Date(at).toISOString().replace(".000Z", "+00:00"), // the host's spelling
    code: "protection_ending", severity: "warning", title: "Protection ends soon", store: "Sonicbay Audio Store",
    action: "Ask the seller to extend protection, or open a dispute.",
    url: "https://www.aliexpress.com/p/order/detail.html?orderId=8213004417736925", ...extra,
  };
}

test("only the lead times ticked in the options are shown", () => {
  const pushed = ["7d", "3d", "1d", "due"].map((threshold) => ({ ...deadline(NOW + DAY), threshold }));
  assert.deepEqual(wanted(pushed, ["3d", "due"]).map((r) => r.threshold), ["3d", "due"]);
  assert.deepEqual(wanted(pushed, []), []);
  assert.deepEqual(wanted([null, { threshold: "7d" }, "x"], ["7d"]), []); // no order or kind: nothing to show
  assert.deepEqual(wanted(undefined, ["7d"]), []);
});

test("a notification id is one per deadline, moment and threshold, and a click opens its order", () => {
  const r = { ...deadline(NOW + DAY), threshold: "1d", due: "2026-11-27T09:00:00+00:00",
              url: "https://aliexpress.ru/order-list/123" };
  const ids = new Set([notificationId(r), notificationId({ ...r, threshold: "due" }),
                       notificationId({ ...r, due: "2026-11-28T09:00:00+00:00" }), notificationId({ ...r, kind: "ship_by" })]);
  assert.equal(ids.size, 4);
  assert.equal(notificationTarget(notificationId(r)), "https://aliexpress.ru/order-list/123");
  // The host's url is used only when it is an AliExpress https address.
  assert.equal(notificationTarget(notificationId({ ...r, url: "javascript:alert(1)" })),
               "https://www.aliexpress.com/p/order/detail.html?orderId=8213004417736925");
  assert.equal(notificationTarget("someone-else|x"), null);
  assert.equal(notificationTarget("aliwatch|not json"), null);
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
