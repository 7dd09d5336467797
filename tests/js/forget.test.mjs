// Privacy (issue 13): the `forgotten` push drops what storage.local keeps about every order the helper no
// longer stores (extension/bg/forget.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadExtensionModule } from "./extension.mjs";

globalThis.chrome ??= {};
const { forgetPlan } = await loadExtensionModule("bg/forget.js");

const KEPT = "8213004417736925";
const GONE = "8213004417736926";

test("evidence ticks of forgotten orders go, and older versions' reminder records with them; the rest stays", () => {
  const items = {
    settings: { lang: "en" },
    [`evidence:${KEPT}`]: { photo: true },
    [`evidence:${GONE}`]: { video: true },
    notified: { [`${GONE}|protection_ends|2026-12-01T00:00:00.000Z|1d`]: { title: "Forgotten order title" } },
    reminderWatch: [{ order_id: GONE, kind: "ship_by" }],
  };
  assert.deepEqual(forgetPlan(items, [KEPT]).sort(), [`evidence:${GONE}`, "notified", "reminderWatch"].sort());
});

test("forget --all (an empty keep list) drops every order's data but not the settings", () => {
  const items = { settings: { lang: "en" }, [`evidence:${KEPT}`]: { a: true } };
  assert.deepEqual(forgetPlan(items, []), [`evidence:${KEPT}`]);
});

test("nothing to drop changes nothing", () => {
  assert.deepEqual(forgetPlan({ settings: {}, [`evidence:${KEPT}`]: { a: true } }, [KEPT]), []);
});
