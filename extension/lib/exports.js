// The ES-module face of lib/base.js and data/vocab.js, for the background, popup and options pages (the
// content scripts, classic scripts, read the same globals directly).
import "./base.js";
import "../data/vocab.js";

const base = globalThis.AliWatchBase;
export const { h, relative } = base;
export const vocab = globalThis.AliWatchVocab;
/** The WebExtension API (`browser` in Firefox, `chrome` in Chrome). */
export const api = base.api;
