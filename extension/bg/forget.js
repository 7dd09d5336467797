// Privacy (issue 13): when the helper forgets orders (`aliwatch forget`), it pushes
// {"type": "forgotten", "keep": [order ids still stored]} and this drops everything storage.local keeps about
// any other order: its evidence ticks (`evidence:<order_id>`). Reminders are the helper's alone (one
// reminder engine), so the only per-order records of older versions ("notified", "reminderWatch") go whole.
const api = globalThis.browser ?? globalThis.chrome;
const EVIDENCE = "evidence:";
const LEGACY = ["notified", "reminderWatch"];

/** The storage.local keys to remove so that only `keep`'s orders remain. */
export function forgetPlan(items, keep) {
  const kept = new Set((Array.isArray(keep) ? keep : []).filter((id) => typeof id === "string"));
  const remove = [];
  for (const key of Object.keys(items ?? {})) {
    if (key.startsWith(EVIDENCE) && !kept.has(key.slice(EVIDENCE.length))) remove.push(key);
    else if (LEGACY.includes(key)) remove.push(key);
  }
  return remove;
}

/** Applies forgetPlan to storage.local. */
export async function forgetOrders(keep) {
  if (!Array.isArray(keep)) return;
  const remove = forgetPlan(await api.storage.local.get(null), keep);
  if (remove.length) await api.storage.local.remove(remove);
}
