// The tabs whose content script has talked to us, so host pushes and "helper is back" can reach them.
// Kept in storage.session because the service worker (or Firefox event page) is restarted often; this
// also avoids the "tabs" permission that tabs.query({url}) would need.
import { api } from "../lib/exports.js";
const KEY = "aliwatchTabs";
const area = api.storage?.session;

const tabs = new Set();
const loaded = (area ? area.get(KEY) : Promise.resolve({}))
  .then((stored) => {
    for (const id of stored?.[KEY] ?? []) tabs.add(id);
  })
  .catch(() => {});

function save() {
  // After loading, so an early write can't clobber the ids stored by the previous worker.
  loaded.then(() => area?.set({ [KEY]: [...tabs] })).catch(() => {});
}

export function rememberTab(tabId) {
  if (tabs.has(tabId)) return;
  tabs.add(tabId);
  save();
}

export function forgetTab(tabId) {
  if (tabs.delete(tabId)) save();
}

/** Sends to one tab; a tab that no longer runs our content script is forgotten. */
export async function sendToTab(tabId, message) {
  try {
    await api.tabs.sendMessage(tabId, message);
  } catch {
    forgetTab(tabId);
  }
}

export async function broadcast(message) {
  await loaded;
  await Promise.all([...tabs].map((id) => sendToTab(id, message)));
}

api.tabs.onRemoved.addListener((tabId) => forgetTab(tabId));
