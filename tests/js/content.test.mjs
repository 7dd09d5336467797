// The content scripts' pure parts (extension/content/*.js), run as the browser runs them: classic scripts on
// one global (tests/js/content.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadContentScripts } from "./content.mjs";

const AW = loadContentScripts(["content/find-cards.js", "content/cards.js", "content/guards.js"]);
const HOUR = 3600_000;
const NOW = Date.parse("2026-11-26T09:00:00Z");
const iso = (ms) => new Date(ms).toISOString();

test("relative times read like the helper's titles: no 'in 1 day' beside 'in 38 hours'", () => {
  assert.equal(AW.relative(iso(NOW + 38 * HOUR), NOW), "in 1 day"); // advice.humanize: the largest whole unit
  assert.equal(AW.relative(iso(NOW + 4 * 24 * HOUR + 20 * HOUR), NOW), "in 4 days");
  assert.equal(AW.relative(iso(NOW + 5 * HOUR + 59 * 60_000), NOW), "in 5 hours");
  assert.equal(AW.relative(iso(NOW - 30 * HOUR), NOW), "1 day ago");
  assert.equal(AW.relative(iso(NOW + 20_000), NOW), "now");
  assert.equal(AW.relative("not a date", NOW), "");
});

test("the panel's language follows the _locales bundle, and texts come from it", () => {
  const ru = loadContentScripts([], { bundle: "ru", uiLanguage: "en-US" });
  assert.equal(ru.textLang, "ru");
  assert.equal(ru.relative(iso(NOW + 3 * 24 * HOUR), NOW), "через 3 дня");
  assert.equal(AW.statusWord("awaiting_delivery"), "Awaiting delivery");
  assert.equal(AW.statusWord("something_new"), "something_new"); // a status this build has no word for
  assert.equal(AW.money(720, "RUB").replace(/\u00a0/g, " "), "RUB 720.00");
  assert.equal(AW.money(Number.NaN, "RUB"), "");
});

test("warnings: most severe first, then the earliest due, undated last", () => {
  const w = (code, severity, due) => ({ code, severity, due });
  const sorted = AW.sortWarnings([w("a", "warning", "2026-12-03T00:00:00Z"), w("b", "urgent", null), null,
    w("c", "warning", "2026-12-01T00:00:00Z"), w("d", "warning", null), w("e", "expired", "2026-11-01T00:00:00Z")]);
  assert.deepEqual([...sorted.map((x) => x.code)], ["e", "b", "c", "a", "d"]);
});

test("the page kind comes from the address, by the helper's rules (tests/test_vocab.py has its side)", () => {
  const kind = (url) => AW.cards.pageKind(new URL(url));
  assert.equal(kind("https://www.aliexpress.com/p/order/index.html"), "list");
  assert.equal(kind("https://www.aliexpress.com/p/order/detail.html?orderId=1"), "detail");
  assert.equal(kind("https://trade.aliexpress.com/order_detail.htm?orderId=1"), "legacy_detail");
  assert.equal(kind("https://www.aliexpress.com/p/reverse-pages/detail.html"), "dispute");
  assert.equal(kind("https://trade.aliexpress.com/issue/fastissue/Detail.htm?x=1"), "dispute");
  assert.equal(kind("https://m.aliexpress.com/p/refund-amount/detail.html"), "dispute");
  assert.equal(kind("https://trade.aliexpress.com/orderList.htm"), "list");
  assert.equal(kind("https://aliexpress.ru/order-list"), "list");
  assert.equal(kind("https://aliexpress.ru/order-list/5386247109351128?filterName=archive"), "detail");
  assert.equal(kind("https://m.aliexpress.com/p/refund-dispute/list.html"), "dispute_list"); // a dispute rule, read as a list
  assert.equal(kind("https://aliexpress.ru/item/1005006.html"), "list"); // no rule: a list, the helper reads the markup
});

test("the guards know every table's confirm and close wordings (data/vocab.js), folded as on the page", () => {
  const { kindOf, norm } = AW.guards;
  assert.equal(norm("  Confirm   Received. "), "confirm received");
  for (const [text, kind] of [["Confirm received", "confirm_received"], ["CONFIRM RECEIPT OF GOODS!", "confirm_received"],
    ["Erhalt bestätigen", "confirm_received"], ["Teslim alındı onayla", "confirm_received"], ["구매확정", "confirm_received"],
    ["Confirmar entrega", "confirm_received"], ["Cancel dispute", "close_dispute"], ["İtirazı iptal et", "close_dispute"],
    ["Anuluj spór", "close_dispute"]]) {
    assert.equal(kindOf(text), kind, text);
  }
  assert.equal(kindOf("Confirm received and leave feedback for this seller"), null);
  assert.equal(kindOf("Track order"), null);
  assert.equal(kindOf(`Confirm received ${"x".repeat(100)}`), null);
  assert.equal(kindOf(""), null);
});

test("the draft panel offers the helper's problem kinds and languages", () => {
  assert.deepEqual([...AW.vocab.problems].slice(0, 3), ["not_received", "wrong_item", "not_as_described"]); // (another realm's array)
  assert.equal(AW.vocab.ui_languages.en, "English");
  assert.ok(Object.keys(AW.vocab.ui_languages).includes("ru"));
});
