// Requests a content script makes of the helper on the user's behalf (draft, calc, report, a taught word): a whitelist of
// types and fields, one transport request each, the reply (a report's parts joined in order) or an error,
// and a timeout so a panel never waits forever. Also answers one local question: the helper's
// capabilities (from its hello).

/** Per type: the fields passed on to the host (anything else a page might smuggle in is dropped). */
const FIELDS = {
  draft: ["order", "problem", "outcome", "percent", "lang"],
  calc: ["price", "percent", "currency", "postage", "weight", "fault"],
  report: ["url", "html"],
  phrase_override: ["lang", "text", "status"], // a panel only teaches: listing and removing are the options page's
};
const ORDER_FIELDS = ["order_id", "order_date", "status", "total", "items"]; // PROTOCOL.md `draft`
const TIMEOUT_MS = { draft: 20_000, calc: 20_000, report: 120_000, phrase_override: 60_000 }; // these queue behind analyses
const LOCAL = new Set(["capabilities"]);

function clean(msg) {
  const out = { type: msg.type };
  if (msg.type === "phrase_override") out.action = "set";
  for (const field of FIELDS[msg.type]) if (msg[field] !== undefined) out[field] = msg[field];
  if (msg.type === "draft" && out.order && typeof out.order === "object") {
    const order = {};
    for (const field of ORDER_FIELDS) if (out.order[field] !== undefined) order[field] = out.order[field];
    out.order = order;
  }
  return out;
}

/** The report's parts, joined into one reply once all have arrived. */
function joinParts(parts) {
  const first = parts[0];
  return { ...first, part: 1, parts: 1, html: parts.map((p) => String(p.html ?? "")).join("") };
}

export class HelperRequests {
  #transport;
  #pending = new Map(); // token -> {type, respond, timer, parts}
  #nextToken = 1;

  constructor(transport) {
    this.#transport = transport;
  }

  /** True for the messages this module answers. */
  handles(msg) {
    return Boolean(msg && typeof msg === "object" && (Object.hasOwn(FIELDS, msg.type) || LOCAL.has(msg.type)));
  }

  /** Handles one message from a content script; returns true (the answer comes later, by sendResponse). */
  handle(msg, sender, sendResponse) {
    if (msg.type === "capabilities") {
      sendResponse({ ok: true, reply: { capabilities: this.#transport.hello?.capabilities ?? null } });
      return true;
    }
    const token = this.#nextToken++;
    const timer = setTimeout(() => this.#finish(token, { ok: false, code: "timeout" }), TIMEOUT_MS[msg.type]);
    this.#pending.set(token, { type: msg.type, respond: sendResponse, timer, parts: [] });
    // tabId lets background.js tell this tab when the helper is gone, as it does for snapshots.
    this.#transport.request(clean(msg), { request: token, tabId: sender.tab?.id });
    return true;
  }

  /** A frame for one of our requests: returns true when it was ours (handled or stale). */
  onReply(frame, context) {
    if (!context || context.request === undefined) return false;
    const pending = this.#pending.get(context.request);
    if (!pending) return true; // timed out already: drop the late reply
    if (frame.type === "error") {
      this.#finish(context.request, { ok: false, code: frame.code ?? "internal", message: frame.message ?? "" });
    } else if (frame.type === pending.type) {
      pending.parts[Number(frame.part ?? 1) - 1] = frame;
      const total = Number(frame.parts ?? 1);
      const have = pending.parts.filter(Boolean).length;
      if (have >= total) this.#finish(context.request, { ok: true, reply: total > 1 ? joinParts(pending.parts) : frame });
    } else {
      this.#finish(context.request, { ok: false, code: "internal", message: `unexpected reply ${frame.type}` });
    }
    return true;
  }

  /** The connection dropped: every request still waiting fails now instead of at its timeout. */
  onLost(contexts, message) {
    for (const context of contexts) {
      if (context?.request !== undefined) {
        this.#finish(context.request, { ok: false, code: "helper_unavailable", message });
      }
    }
  }

  #finish(token, answer) {
    const pending = this.#pending.get(token);
    if (!pending) return;
    this.#pending.delete(token);
    clearTimeout(pending.timer);
    try {
      pending.respond(answer);
    } catch {
      // The tab went away; nobody is waiting.
    }
  }
}
