// The toolbar popup: upcoming deadlines across orders, soonest first, from the helper's deadline store
// (asked through the background). Each entry: what is due, what to do, when, the order, a link to it.
import { describe, sortDeadlines, toMs } from "../bg/reminders.js";
import { MESSAGES } from "../bg/popup-api.js";
import { load as loadSettings, resolveLang } from "../options/settings.js";
import { h, localize } from "./dom.js";
import { INSTALL_COMMAND, UPDATE_COMMAND, localMessage, t } from "./text.js";

import { api } from "../lib/exports.js";
const content = document.getElementById("content");

function state(name, title, ...rest) {
  content.dataset.state = name;
  content.replaceChildren(h("section", { class: `state state-${name}` }, [h("p", { class: "state-title", text: title }), ...rest]));
}

function command(text) {
  return h("pre", { class: "command" }, [h("code", { text })]);
}

function retryButton() {
  const button = h("button", { type: "button", class: "retry", text: t("popup_retry") });
  button.addEventListener("click", () => show());
  return button;
}

/** Opens the order in a new tab; the popup (not this page opened as a tab) closes itself. */
async function openOrder(event, url) {
  event.preventDefault();
  await api.tabs.create({ url });
  if (!(await api.tabs.getCurrent?.())) window.close();
}

function entry(d, now, lang) {
  const text = describe(d, now, lang);
  const link = text.url ? h("a", { class: "open", href: text.url, text: t("popup_open_order") }) : null;
  link?.addEventListener("click", (e) => openOrder(e, text.url));
  return h("li", {
    class: `entry sev-${d.severity ?? "none"}`,
    "data-order-id": d.order_id, "data-kind": d.kind, "data-severity": d.severity ?? "none",
  }, [
    h("p", { class: "when" }, [h("time", { datetime: d.at, text: text.when })]),
    h("p", { class: "title", text: text.title }),
    text.action ? h("p", { class: "action", text: text.action }) : null,
    h("p", { class: "order" }, [
      h("span", { class: "order-id", text: t("order_label", text.orderId) }),
      text.store ? h("span", { class: "store", text: text.store }) : null,
      link,
    ]),
  ]);
}

function failure(answer) {
  const said = answer?.message ? h("p", { class: "said", text: t("popup_browser_said", answer.message) }) : null;
  if (answer?.reason === "unavailable") {
    return state("unavailable", t("popup_unavailable_title"), h("p", { text: t("popup_unavailable_hint") }),
      command(INSTALL_COMMAND), said, retryButton());
  }
  if (answer?.code === "unknown_type") {
    return state("outdated", t("popup_outdated_title"), h("p", { text: t("popup_outdated_hint") }), command(UPDATE_COMMAND));
  }
  if (answer?.code === "store_unavailable") {
    return state("store", t("popup_store_title"), h("p", { class: "said", text: answer.message }), retryButton());
  }
  return state("error", t("popup_error_title"), said, retryButton());
}

async function show() {
  state("loading", t("popup_loading"));
  const lang = resolveLang(await loadSettings(api.storage.local), api.i18n.getUILanguage());
  let answer;
  try {
    answer = await api.runtime.sendMessage({ type: MESSAGES.deadlines });
  } catch (e) {
    answer = { ok: false, reason: "error", message: String(e?.message ?? e) };
  }
  if (!answer?.ok) return failure(answer);
  const now = Date.now();
  // The host lists deadlines at or after its "now"; one may pass while the popup was being built.
  const upcoming = sortDeadlines(answer.deadlines).filter((d) => (toMs(d.at) ?? 0) >= now - 60_000);
  if (!upcoming.length) return state("empty", t("popup_empty_title"), h("p", { text: t("popup_empty_hint") }));
  content.dataset.state = "list";
  content.replaceChildren(
    h("p", { class: "count", text: t("popup_count", upcoming.length) }),
    h("ol", { class: "deadlines" }, upcoming.map((d) => entry(d, now, lang))),
  );
}

localize(document, localMessage);
document.getElementById("options").addEventListener("click", () => api.runtime.openOptionsPage());
show();
