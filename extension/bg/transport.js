// Native-messaging transport: the one port to `aliwatch host`, request ids, the hello handshake and
// reconnection. It knows nothing about tabs: every request carries an opaque `context` that comes back
// with its replies (or with the loss of the connection), and background.js decides where things go.
import { api } from "../lib/exports.js";

export const HOST_NAME = "org.aliwatch.helper";
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

export class NativeTransport {
  #port = null;
  #nextId = 1;
  #inflight = new Map(); // id -> context, until the final frame of the reply arrives
  #helloId = null;
  #delay = FIRST_DELAY_MS;
  #timer = null;
  #handlers;

  /** handlers: onReply(frame, context), onLost(contexts, message), onPush(frame), onUp(helloFrame) */
  constructor(handlers) {
    this.#handlers = handlers;
    this.lastError = "";
    this.hello = null; // the host's last hello reply (version, protocol, capabilities)
  }

  get connected() {
    return this.#port !== null;
  }

  connect() {
    clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#port) return;
    let port;
    try {
      port = api.runtime.connectNative(HOST_NAME);
    } catch (e) {
      // Some builds throw at once (e.g. no nativeMessaging support); treat it like a disconnect.
      this.#lost(String(e?.message ?? e));
      return;
    }
    this.#port = port;
    port.onMessage.addListener((frame) => this.#receive(port, frame));
    port.onDisconnect.addListener((p) => this.#disconnected(port, p));
    this.#helloId = this.#nextId++;
    this.#post(port, { type: "hello", id: this.#helloId });
  }

  /** Sends a request with a fresh id; replies come back to onReply with `context`. Returns the id. */
  request(message, context) {
    const id = this.#nextId++;
    this.#inflight.set(id, context);
    // A snapshot while disconnected reconnects now instead of waiting for the backoff timer.
    if (!this.#port) this.connect();
    if (this.#port) this.#post(this.#port, { ...message, id });
    return id;
  }

  #post(port, frame) {
    try {
      port.postMessage(frame);
    } catch (e) {
      // The port died between checks; onDisconnect may not fire for it, so clean up here.
      this.#disconnected(port, { error: e });
    }
  }

  #receive(port, frame) {
    if (port !== this.#port || !frame || typeof frame !== "object") return;
    this.#delay = FIRST_DELAY_MS; // the host answers: the next outage starts a fresh backoff
    if (frame.id === this.#helloId && this.#helloId !== null) {
      this.#helloId = null;
      this.hello = frame.type === "hello" ? frame : null;
      this.lastError = "";
      this.#handlers.onUp?.(frame);
      return;
    }
    if (frame.id === undefined) {
      this.#handlers.onPush?.(frame); // unsolicited (e.g. "warnings")
      return;
    }
    if (!this.#inflight.has(frame.id)) {
      console.warn("AliWatch: reply for an unknown request", frame.type, frame.id, frame.code ?? "");
      return;
    }
    const context = this.#inflight.get(frame.id);
    // Analyses, reports and deadline lists may come in several parts with the same id; only the last one
    // ends the request (an error always does).
    const final = frame.type === "error" || Number(frame.part ?? 1) >= Number(frame.parts ?? 1);
    if (final) this.#inflight.delete(frame.id);
    this.#handlers.onReply?.(frame, context);
  }

  #disconnected(port, p) {
    if (port !== this.#port) return;
    // Chrome reports the reason in runtime.lastError (reading it also silences the console warning);
    // Firefox puts it on port.error.
    const message =
      api.runtime.lastError?.message ??
      p?.error?.message ??
      "The AliWatch helper closed the connection.";
    this.#port = null;
    this.#helloId = null;
    this.#lost(message);
  }

  #lost(message) {
    this.lastError = message;
    const contexts = [...this.#inflight.values()];
    this.#inflight.clear();
    this.#handlers.onLost?.(contexts, message);
    this.#timer = setTimeout(() => this.connect(), this.#delay);
    this.#delay = Math.min(this.#delay * 2, MAX_DELAY_MS);
  }
}
