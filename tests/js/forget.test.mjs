// Privacy (issue 13): the `forgotten` push drops what storage.local keeps about every order the helper no
// longer stores (extension/bg/forget.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadExtensionModule } from "./extension.mjs";

globalThis.chrome ??= {}; // notify.js reads the browser API at import; the plan itself is pure
const { forgetPlan } = await loadExtensionModule("bg/forget.js");

const KEPT = "8213004417736925";
const GONE = "8213004417736926";

test("evidence ticks, notified reminders and watched deadlines of forgotten orders go; the rest stays", () => {
  const items = {
    settings: { lang: "en" },
    [`evidence:${KEPT}`]: { photo: true },
    [`evidence:${GONE}`]: { video: true },
    notified: {
      [`${KEPT}|protection_ends|2026-12-01T00:00:00.000Z|1d`]: { title: "Kept order", url: "u1" },
      [`${GONE}|protection_ends|2026-12-01T00:00:00.000Z|1d`]: { title: "Forgotten order title", url: "u2" },
    },
    reminderWatch: [{ order_id: KEPT, kind: "protection_ends" }, { order_id: GONE, kind: "ship_by" }],
  };
  const { remove, set } = forgetPlan(items, [KEPT]);
  assert.deepEqual(remove, [`evidence:${GONE}`]);
  assert.deepEqual(Object.keys(set.notified), [`${KEPT}|protection_ends|2026-12-01T00:00:00.000Z|1d`]);
  assert.deepEqual(set.reminderWatch, [{ order_id: KEPT, kind: "protection_ends" }]);
  assert.ok(!JSON.stringify(set).includes(GONE));
});

test("forget --all (an empty keep list) drops every order's data but not the settings", () => {
  const items = { settings: { lang: "en" }, [`evidence:${KEPT}`]: { a: true }, notified: { [`${KEPT}|k|t|1d`]: {} } };
  const { remove, set } = forgetPlan(items, []);
  assert.deepEqual(remove, [`evidence:${KEPT}`]);
  assert.deepEqual(set, { notified: {} });
});

test("nothing to drop changes nothing", () => {
  const items = { [`evidence:${KEPT}`]: { a: true }, notified: { [`${KEPT}|k|t|1d`]: {} }, reminderWatch: [] };
  assert.deepEqual(forgetPlan(items, [KEPT]), { remove: [], set: {} });
});
