// One request to the helper as a promise: all its frames (parts in order), or a rejection that says why —
// {reason: "unavailable" | "error" | "timeout", code?, message}. The context object rides through
// NativeTransport and comes back to background.js, which hands frames and losses to it.

/** Sends `message` through `transport`; resolves once every part (`part`/`parts`) has arrived. */
export function ask(transport, message, timeoutMs) {
  return new Promise((resolve, reject) => {
    const frames = [];
    let settled = false;
    const settle = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(value);
    };
    const timer = setTimeout(() => {
      const parts = Number(frames[0]?.parts ?? 0);
      const message = frames.length
        ? `The helper's reply arrived incomplete (${frames.length} of ${parts} parts).`
        : `The helper did not answer within ${Math.round(timeoutMs / 1000)} s.`;
      settle(reject, { reason: "timeout", message });
    }, timeoutMs);
    const context = {
      onFrame(frame) {
        if (frame?.type === "error") {
          settle(reject, { reason: "error", code: String(frame.code ?? ""), message: String(frame.message ?? "") });
          return;
        }
        frames.push(frame);
        if (frames.length >= Number(frame?.parts ?? 1)) {
          settle(resolve, frames.slice().sort((a, b) => Number(a.part ?? 1) - Number(b.part ?? 1)));
        }
      },
      onLost(message) {
        settle(reject, { reason: "unavailable", message: String(message ?? "") });
      },
    };
    try {
      transport.request(message, context);
    } catch (e) {
      settle(reject, { reason: "unavailable", message: String(e?.message ?? e) });
    }
  });
}

/** A rejection (or any thrown value) as the plain object extension pages receive. */
export function failure(e) {
  if (e && typeof e === "object" && typeof e.reason === "string") return { ok: false, ...e };
  return { ok: false, reason: "error", code: "extension", message: String(e?.message ?? e) };
}
