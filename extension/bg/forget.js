// Privacy (issue 13): when the helper forgets orders (`aliwatch forget`), it pushes
// {"type": "forgotten", "keep": [order ids still stored]} and this drops everything storage.local keeps about
// any other order: evidence ticks (`evidence:<order_id>`), notified reminders (`notified`, keyed
// "<order_id>|kind|at|threshold", with titles and URLs) and the watched deadlines (`reminderWatch`).
import { NOTIFIED, WATCH } from "./notify.js";

const api = globalThis.browser ?? globalThis.chrome;
const EVIDENCE = "evidence:";

/** What to change in storage.local ({remove: [keys], set: {key: value}}) so only `keep`'s orders remain. */
export function forgetPlan(items, keep) {
  const kept = new Set((Array.isArray(keep) ? keep : []).filter((id) => typeof id === "string"));
  const remove = [];
  const set = {};
  for (const key of Object.keys(items ?? {})) {
    if (key.startsWith(EVIDENCE) && !kept.has(key.slice(EVIDENCE.length))) remove.push(key);
  }
  const notified = items?.[NOTIFIED];
  if (notified && typeof notified === "object") {
    const left = Object.fromEntries(Object.entries(notified).filter(([k]) => kept.has(k.split("|")[0])));
    if (Object.keys(left).length !== Object.keys(notified).length) set[NOTIFIED] = left;
  }
  const watched = items?.[WATCH];
  if (Array.isArray(watched)) {
    const left = watched.filter((d) => kept.has(d?.order_id));
    if (left.length !== watched.length) set[WATCH] = left;
  }
  return { remove, set };
}

/** Applies forgetPlan to storage.local. */
export async function forgetOrders(keep) {
  if (!Array.isArray(keep)) return;
  const items = await api.storage.local.get(null);
  const { remove, set } = forgetPlan(items, keep);
  if (remove.length) await api.storage.local.remove(remove);
  if (Object.keys(set).length) await api.storage.local.set(set);
}
