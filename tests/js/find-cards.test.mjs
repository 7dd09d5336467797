// The card finder's reading of addresses and text (extension/content/find-cards.js), without a DOM: page
// kinds, order ids in links, labelled and grouped numbers. The DOM part runs in real Chromium on every
// fixture page: tests/e2e/test_find_cards.py.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { loadContentScripts } from "./content.mjs";

const root = new URL("../../", import.meta.url);
// As the manifest loads it: after data/vocab.js (page rules, order-id labels), lib/base.js and shared.js.
const AW = loadContentScripts(["content/find-cards.js"]);
const F = AW.cardFinder;

// Every phrase table's labels.order_id: what build.py puts into data/vocab.js as order_id_labels.
const phrases = new URL("helper/aliwatch/phrases/", root);
const LABELS = readdirSync(phrases)
  .filter((n) => n.endsWith(".json") && n !== "codes.json")
  .flatMap((n) => JSON.parse(readFileSync(new URL(n, phrases), "utf8")).labels?.order_id ?? []);
const RE = F.labelRegex(AW.vocab.order_id_labels);
const after = (text) => F.idAfterLabel(F.fold(text), RE);
// The scripts run in their own vm context (tests/js/content.mjs): copy arrays into this realm to compare them.
const grouped = (text) => [...F.groupedIds(F.fold(text))];

test("page kinds from the address: aliexpress.ru, mobile web, and the existing ones", () => {
  const kind = (u) => F.pageKind(new URL(u));
  assert.equal(kind("https://aliexpress.ru/order-list?filterName=active"), "list");
  assert.equal(kind("https://aliexpress.ru/order-list?filterName=archive"), "list");
  assert.equal(kind("https://aliexpress.ru/order-list/5386190244718830?filterName=active"), "detail");
  assert.equal(kind("https://m.aliexpress.com/p/order/index.html"), "list");
  assert.equal(kind("https://m.aliexpress.com/p/order/detail.html?orderId=8213327740198823"), "detail");
  assert.equal(kind("https://m.aliexpress.com/p/refund-dispute/list.html"), "dispute_list");
  assert.equal(kind("https://www.aliexpress.com/p/refund-dispute/index.html"), "dispute_list");
  assert.equal(kind("https://m.aliexpress.com/p/refund-dispute/detail.html?reverseOrderId=1"), "dispute");
  assert.equal(kind("https://www.aliexpress.com/p/order/index.html"), "list");
  assert.equal(kind("https://www.aliexpress.com/p/order/detail.html?orderId=8213004417736925"), "detail");
  assert.equal(kind("https://trade.aliexpress.com/order_detail.htm?orderId=8003566148203912"), "legacy_detail");
  assert.equal(kind("https://trade.aliexpress.com/orderList.htm"), "list");
  assert.equal(kind("https://trade.aliexpress.com/issue/fastissue/Detail.htm?tradeOrderLineId=1"), "dispute");
  assert.equal(kind("https://www.aliexpress.com/p/reverse-pages/start.html"), "dispute");
});

test("the order a detail page is about comes from its address; a dispute's order line id is not it", () => {
  const id = (u) => F.pageOrderId(new URL(u));
  assert.equal(id("https://aliexpress.ru/order-list/5386190244718830?filterName=active"), "5386190244718830");
  assert.equal(id("https://m.aliexpress.com/p/order/detail.html?orderId=8213327740198823&spm=a2g0n.x"), "8213327740198823");
  assert.equal(id("https://trade.aliexpress.com/issue/fastissue/Detail.htm?tradeOrderLineId=8212985170366602"), null);
  assert.equal(id("https://aliexpress.ru/order-list?filterName=active"), null);
});

test("order ids in links: orderId=, tradeOrderId=, parentOrderId=, /order-list/<id>; nothing else", () => {
  const cases = {
    "//www.aliexpress.com/p/order/detail.html?orderId=8213385519047716&spm=a2g0o.x": "8213385519047716",
    "//www.aliexpress.com/p/tracking/index.html?_addShare=no&tradeOrderId=8212978406135587": "8212978406135587",
    "https://feedback.aliexpress.com/management/leaveFeedback.htm?parentOrderId=3041111111111111": "3041111111111111",
    "https://aliexpress.ru/order-list/5386247109351128?filterName=active": "5386247109351128",
    "https://aliexpress.ru/order-list/5386247109351128": "5386247109351128",
    "https://trade.aliexpress.com/issue/fastissue/Detail.htm?tradeOrderLineId=8212985170366602": null,
    "//www.aliexpress.com/item/1005006123456789.html": null,
    "//www.aliexpress.com/store/1102997912?orderId=": null,
    "//www.aliexpress.com/p/order/detail.html?orderId=82133855190": null, // 11 digits
    "//www.aliexpress.com/p/order/detail.html?orderId=821338551904771612345": null, // 21 digits
    "https://aliexpress.ru/order-list?filterName=archive": null,
    "": null,
  };
  for (const [href, id] of Object.entries(cases)) assert.equal(F.idFromHref(href), id, href);
});

test("the vocabulary carries every phrase table's order-id labels, once each, longest first", () => {
  // The finder's default labels (AW.vocab.order_id_labels); tests/e2e/test_find_cards.py reads pages with them.
  const labels = AW.vocab.order_id_labels;
  assert.deepEqual(new Set(labels), new Set(LABELS.map((l) => l.trim())));
  assert.equal(labels.length, new Set(labels).size);
  assert.deepEqual(labels.map((l) => l.length), labels.map((l) => l.length).sort((a, b) => b - a));
});

test("labelled numbers in every table's wording, with real pages' colons, spaces and no-break spaces", () => {
  assert.ok(LABELS.length >= 40, LABELS.length);
  assert.equal(after("Order ID: 8183947261530122Copy"), "8183947261530122");
  assert.equal(after("Ref. Number: 8211549687890032"), "8211549687890032");
  assert.equal(after("주문번호:: 1120739318868050"), "1120739318868050"); // ko 2026, double colon
  assert.equal(after("주문 ID: 8213268493015726"), "8213268493015726");
  assert.equal(after("Nº de pedido:\u00a08196987604675426"), "8196987604675426"); // es detail: NBSP after colon
  assert.equal(after("N.º de pedido: 8196987604675426"), "8196987604675426");
  assert.equal(after("Número do pedido: 8211279521850032"), "8211279521850032");
  assert.equal(after("Номер заказа 5386 2471 0935 1128"), "5386247109351128");
  assert.equal(after("№ заказа: 5386247109351128"), "5386247109351128");
  assert.equal(after("ORDER NUMBER：8213004417736925"), "8213004417736925"); // full-width colon
});

test("a label at the end of its text says the number follows; other words and short numbers are no id", () => {
  assert.equal(after("Order ID"), "");
  assert.equal(after("Номер заказа:"), "");
  assert.equal(after("Reorder ID: 8183947261530122"), null); // a label must start a word
  assert.equal(after("Order ID: 12345"), null);
  assert.equal(after("Order IDs can be found in the order details"), null);
  assert.equal(after("Tracking number: LP00137720945518"), null);
  assert.equal(after("Order date: Nov 3, 2023"), null);
  assert.equal(F.idAfterLabel("order id: 8183947261530122", null), null); // no labels: nothing read
});

test("numbers grouped in fours, as aliexpress.ru prints its order ids", () => {
  assert.deepEqual(grouped("5386 2471 0935 1128"), ["5386247109351128"]);
  assert.deepEqual(grouped("Заказ 5386\u00a01902\u00a04471\u00a08830 от 3 ноября"), ["5386190244718830"]);
  assert.deepEqual(grouped("538 6190 2447 1883"), ["538619024471883"]); // 15 digits
  assert.deepEqual(grouped("4111 1111 1111 1111 2222"), []); // longer than an order id
  assert.deepEqual(grouped("12 5386 2471 0935"), []);
  assert.deepEqual(grouped("Итого 3 146,00 ₽ · +7 916 123 4567"), []);
});

test("no reading of text is super-linear (safety bound, not a benchmark)", () => {
  const hostile = [
    "order id ".repeat(20_000),
    "Order ID: " + "1 ".repeat(50_000),
    "1111 ".repeat(50_000),
    "номер заказа".repeat(10_000) + "x",
  ];
  for (const text of hostile) {
    const t0 = performance.now();
    F.idAfterLabel(F.fold(text), RE);
    F.groupedIds(F.fold(text));
    assert.ok(performance.now() - t0 < 2000, `${text.slice(0, 20)}… took ${performance.now() - t0} ms`);
  }
});
