// The options' settings (extension/options/settings.js): defaults, cleaning, and a save that merges.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadExtensionModule } from "./extension.mjs";

const S = await loadExtensionModule("options/settings.js");

function memoryArea(initial = {}) {
  const data = structuredClone(initial);
  return {
    data,
    async get(key) {
      return key in data ? { [key]: structuredClone(data[key]) } : {};
    },
    async set(items) {
      Object.assign(data, structuredClone(items));
    },
  };
}

test("defaults: every lead time, automatic language, guard on", () => {
  assert.deepEqual(S.normalize(undefined), { leadTimes: ["7d", "3d", "1d", "due"], draftLang: "auto", confirmGuard: true });
  assert.deepEqual(S.normalize([1, 2]), S.normalize({}));
});

test("bad values fall back, unknown keys survive, no lead time at all is a choice", () => {
  const s = S.normalize({ leadTimes: ["due", "2d", "7d", "due"], draftLang: "../../etc", confirmGuard: "no", other: 1 });
  assert.deepEqual(s, { leadTimes: ["7d", "due"], draftLang: "auto", confirmGuard: true, other: 1 });
  assert.deepEqual(S.normalize({ leadTimes: [], draftLang: "ru", confirmGuard: false }).leadTimes, []);
  assert.equal(S.normalize({ draftLang: "ru" }).draftLang, "ru");
});

test("the language sent to the helper: the choice, or the browser's", () => {
  assert.equal(S.resolveLang({ draftLang: "auto" }, "pt-BR"), "pt-BR");
  assert.equal(S.resolveLang({}, undefined), "en");
  assert.equal(S.resolveLang({ draftLang: "fr" }, "pt-BR"), "fr");
});

test("save merges into what is stored (other parts' keys are kept)", async () => {
  const area = memoryArea({ settings: { leadTimes: ["3d"], panelWidth: 420 }, notified: { k: 1 } });
  const next = await S.save(area, { confirmGuard: false });
  assert.deepEqual(area.data.settings, { leadTimes: ["3d"], panelWidth: 420, draftLang: "auto", confirmGuard: false });
  assert.deepEqual(next, area.data.settings);
  assert.deepEqual(area.data.notified, { k: 1 });
  assert.deepEqual(await S.load(area), area.data.settings);
  assert.deepEqual(await S.load(memoryArea()), S.normalize({}));
});
