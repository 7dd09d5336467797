// Background (Chrome service worker / Firefox event page): routes snapshots from content scripts to the
// helper and the helper's frames back to the tab that asked. The port itself lives in bg/transport.js.
import { NativeTransport } from "./bg/transport.js";
import { broadcast, rememberTab, sendToTab } from "./bg/tabs.js";
import { HelperRequests } from "./bg/requests.js";
import { installPageApi } from "./bg/popup-api.js";
import { installReminders, notifyWarnings } from "./bg/notify.js";
import { forgetOrders } from "./bg/forget.js";

import { api } from "./lib/exports.js";
const VERSION = api.runtime.getManifest().version;
const KEY_RE = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_CARDS = 500; // PROTOCOL.md: 1-500 cards per snapshot

let toldUnavailable = false; // some tab shows the "helper missing" notice

const transport = new NativeTransport({
  onUp(hello) {
    if (hello.type === "hello" && (hello.version !== VERSION || hello.protocol !== 1)) {
      console.warn(`AliWatch: helper ${hello.version} (protocol ${hello.protocol}), extension ${VERSION}`);
    }
    if (toldUnavailable) {
      toldUnavailable = false;
      broadcast({ type: "helper_available" }); // tabs drop the notice and send their cards again
    }
  },
  onReply(frame, context) {
    if (requests.onReply(frame, context)) return; // a panel's draft, calc or report
    if (context?.onFrame) return void context.onFrame(frame); // popup, options, reminders (bg/ask.js)
    if (frame.type === "analysis") {
      sendToTab(context.tabId, frame);
    } else if (frame.type === "error") {
      console.warn("AliWatch: helper error", frame.code, frame.message);
      // The keys let the tab mark exactly the cards of the failed snapshot.
      sendToTab(context.tabId, { ...frame, keys: context.keys });
    }
  },
  onLost(contexts, message) {
    requests.onLost(contexts, message);
    for (const c of contexts) c?.onLost?.(message); // bg/ask.js requests (no tab)
    const tabIds = new Set(contexts.map((c) => c.tabId).filter((id) => id !== undefined));
    if (tabIds.size) toldUnavailable = true;
    for (const tabId of tabIds) sendToTab(tabId, { type: "helper_unavailable", message });
  },
  onPush(frame) {
    if (frame.type === "error") {
      console.warn("AliWatch: helper error without id", frame.code, frame.message);
      return;
    }
    if (frame.type === "warnings") {
      // Reminders are notifications; no page shows them.
      notifyWarnings(frame.warnings).catch((e) => console.warn("AliWatch: notification failed", e));
      return;
    }
    if (frame.type === "forgotten") {
      // Order ids only: nothing for the tabs.
      forgetOrders(frame.keep).catch((e) => console.warn("AliWatch: could not forget orders", e));
      return;
    }
    broadcast(frame);
  },
});

/** Copies only the protocol's snapshot fields, so a page can't make us send anything else. */
function cleanSnapshot(msg) {
  if (typeof msg.url !== "string" || !Array.isArray(msg.cards)) return null;
  const cards = msg.cards
    .filter((c) => c && typeof c.key === "string" && KEY_RE.test(c.key) && typeof c.html === "string")
    .map((c) => ({ key: c.key, html: c.html }));
  if (cards.length === 0 || cards.length > MAX_CARDS) return null;
  const out = { type: "snapshot", url: msg.url, cards };
  for (const field of ["lang", "tz", "captured_at", "ui_lang"]) {
    if (typeof msg[field] === "string" && msg[field]) out[field] = msg[field];
  }
  return out;
}

// Registered synchronously at top level so the worker wakes up for it.
api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const tabId = sender.tab?.id;
  if (sender.id === api.runtime.id && tabId !== undefined && requests.handles(msg)) {
    return requests.handle(msg, sender, sendResponse); // true: the answer comes later
  }
  if (sender.id !== api.runtime.id || tabId === undefined || msg?.type !== "snapshot") return;
  const snapshot = cleanSnapshot(msg);
  if (!snapshot) {
    sendResponse({ ok: false, error: "bad snapshot" });
    return;
  }
  rememberTab(tabId);
  transport.request(snapshot, { tabId, keys: snapshot.cards.map((c) => c.key) });
  // Answer at once: results arrive later through tabs.sendMessage.
  sendResponse({ ok: true });
});

const requests = new HelperRequests(transport);
installPageApi(transport); // the popup's and options page's requests
installReminders(transport); // alarms and notification clicks

transport.connect();
