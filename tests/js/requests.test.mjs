// The content scripts' requests to the helper (extension/bg/requests.js): only whitelisted types and fields
// reach the host, a report's parts are joined in order, errors, timeouts and a lost connection all answer.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadExtensionModule } from "./extension.mjs";

const { HelperRequests } = await loadExtensionModule("bg/requests.js");
const TAB = { tab: { id: 7 } };

/** A NativeTransport stand-in: records what was sent and lets the test play the host. */
function fakeTransport(hello = null) {
  const sent = [];
  return {
    hello,
    sent,
    request(message, context) {
      sent.push({ message, context });
      return sent.length;
    },
  };
}

/** handle() with a sendResponse that resolves a promise. */
function call(requests, msg) {
  let respond;
  const answer = new Promise((resolve) => (respond = resolve));
  assert.equal(requests.handle(msg, TAB, respond), true); // the answer comes later
  return answer;
}

test("only draft, calc, report, a taught word and the two local questions are handled", () => {
  const r = new HelperRequests(fakeTransport());
  for (const type of ["draft", "calc", "report", "phrase_override", "capabilities"]) assert.ok(r.handles({ type }), type);
  for (const msg of [{ type: "snapshot" }, { type: "deadlines" }, { type: "toString" }, { type: "__proto__" }, null, "draft"]) {
    assert.ok(!r.handles(msg), JSON.stringify(msg));
  }
});

test("fields outside the protocol never reach the host, also inside the draft's order", async () => {
  const transport = fakeTransport();
  const r = new HelperRequests(transport);
  const answer = call(r, {
    type: "draft", problem: "damaged", percent: 80, lang: "ru", id: 999, cards: [], evil: 1,
    order: { order_id: "1", total: { amount: 5, currency: "USD" }, items: [], status: "completed", store: "x", html: "<b>" },
  });
  const { message, context } = transport.sent[0];
  assert.deepEqual(message, {
    type: "draft", problem: "damaged", percent: 80, lang: "ru",
    order: { order_id: "1", total: { amount: 5, currency: "USD" }, items: [], status: "completed" },
  });
  assert.equal(context.tabId, 7);
  r.onReply({ type: "draft", id: 1, to_admin: "Hello." }, context);
  assert.deepEqual(await answer, { ok: true, reply: { type: "draft", id: 1, to_admin: "Hello." } });
});

test("a page may only teach a word: the action is always set, and only lang, text and status go", async () => {
  const transport = fakeTransport();
  const r = new HelperRequests(transport);
  for (const action of [undefined, "remove", "list"]) {
    call(r, { type: "phrase_override", action, override_id: 3, lang: "en", text: "Zorbling", status: "completed", evil: 1 });
  }
  for (const { message } of transport.sent) {
    assert.deepEqual(message, { type: "phrase_override", action: "set", lang: "en", text: "Zorbling", status: "completed" });
  }
});

test("a report's parts are joined in part order, whatever order they arrive in", async () => {
  const transport = fakeTransport();
  const r = new HelperRequests(transport);
  const answer = call(r, { type: "report", url: "https://www.aliexpress.com/p/order/index.html", html: "<html>" });
  const { context } = transport.sent[0];
  assert.equal(r.onReply({ type: "report", id: 1, part: 2, parts: 3, html: "B" }, context), true);
  r.onReply({ type: "report", id: 1, part: 1, parts: 3, html: "A", url: "u" }, context);
  let settled = false;
  answer.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false); // two of three parts: still waiting
  r.onReply({ type: "report", id: 1, part: 3, parts: 3, html: "C" }, context);
  const { ok, reply } = await answer;
  assert.ok(ok);
  assert.equal(reply.html, "ABC");
  assert.equal(reply.url, "u");
});

test("a helper error, a lost connection and other frames answer with a code", async () => {
  const transport = fakeTransport();
  const r = new HelperRequests(transport);
  const bad = call(r, { type: "calc", price: -1, percent: 90 });
  r.onReply({ type: "error", id: 1, code: "bad_argument", message: "price: must be > 0" }, transport.sent[0].context);
  assert.deepEqual(await bad, { ok: false, code: "bad_argument", message: "price: must be > 0" });

  const lost = call(r, { type: "calc", price: 800, percent: 90, postage: 540 });
  r.onLost([{ tabId: 3, keys: ["aw1"] }, transport.sent[1].context], "Native host has exited.");
  assert.deepEqual(await lost, { ok: false, code: "helper_unavailable", message: "Native host has exited." });

  // Frames for snapshots (no request token) are not ours: background.js routes them to the tab.
  assert.equal(r.onReply({ type: "analysis", id: 5 }, { tabId: 3, keys: ["aw1"] }), false);
  // A late reply for a request that already ended is dropped, not routed elsewhere.
  assert.equal(r.onReply({ type: "calc", id: 2 }, transport.sent[1].context), true);
});

test("a request the host never answers times out", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const r = new HelperRequests(fakeTransport());
  const answer = call(r, { type: "calc", price: 800, percent: 90, postage: 540 });
  t.mock.timers.tick(20_000);
  assert.deepEqual(await answer, { ok: false, code: "timeout" });
});

test("capabilities come from the host's hello, null before it", async () => {
  assert.deepEqual(await call(new HelperRequests(fakeTransport()), { type: "capabilities" }),
    { ok: true, reply: { capabilities: null } });
  const hello = { type: "hello", capabilities: ["ping", "snapshot", "report"] };
  assert.deepEqual(await call(new HelperRequests(fakeTransport(hello)), { type: "capabilities" }),
    { ok: true, reply: { capabilities: ["ping", "snapshot", "report"] } });
});
