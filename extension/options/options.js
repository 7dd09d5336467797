// The options page: lead times, language, confirm guard (each saved to storage.local `settings` on change),
// and requests to the helper through the background: open the dashboard, export a file, list the words the
// user taught (and remove one).
import { MESSAGES } from "../bg/popup-api.js";
import { h, localize } from "../popup/dom.js";
import { INSTALL_COMMAND, UPDATE_COMMAND, localMessage, t } from "../popup/text.js";
import { LANGUAGES, load, save } from "./settings.js";

import { api } from "../lib/exports.js";
const $ = (id) => document.getElementById(id);
const MIME = { json: "application/json", csv: "text/csv;charset=utf-8", ics: "text/calendar;charset=utf-8" };

let savedTimer = null;
async function saveAndSay(patch) {
  await save(api.storage.local, patch);
  $("saved").textContent = t("options_saved");
  clearTimeout(savedTimer);
  savedTimer = setTimeout(() => ($("saved").textContent = ""), 2000);
}

function problem(answer) {
  if (answer?.reason === "unavailable") return t("options_no_helper", answer.message || "", INSTALL_COMMAND);
  if (answer?.code === "unknown_type") return t("options_outdated", UPDATE_COMMAND);
  return answer?.message || answer?.code || "unknown error";
}

async function ask(message) {
  try {
    return await api.runtime.sendMessage(message);
  } catch (e) {
    return { ok: false, reason: "error", message: String(e?.message ?? e) };
  }
}

async function openDashboard(button) {
  button.disabled = true;
  $("dashboard-status").textContent = t("options_dashboard_opening");
  const answer = await ask({ type: MESSAGES.dashboard });
  $("dashboard-status").textContent = answer?.ok
    ? t("options_dashboard_opened", new URL(answer.url).host)
    : t("options_failed", problem(answer));
  button.disabled = false;
}

function download(filename, text, mime) {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function exportAs(format, buttons) {
  for (const b of buttons) b.disabled = true;
  $("export-status").textContent = t("options_export_working");
  const answer = await ask({ type: MESSAGES.export, format });
  if (answer?.ok) {
    download(answer.filename, answer.content, MIME[format]);
    const size = new Blob([answer.content]).size;
    $("export-status").textContent = t("options_export_done", answer.filename, `${(size / 1024).toFixed(1)} KiB`);
  } else {
    $("export-status").textContent = t("options_failed", problem(answer));
  }
  for (const b of buttons) b.disabled = false;
}

/** The taught words, each with a Remove button; page text, so textContent only (h()). */
function showPhrases(overrides) {
  const list = $("phrases");
  list.dataset.loaded = "true";
  if (!overrides.length) {
    list.replaceChildren(h("li", { class: "none", text: t("options_phrases_none") }));
    return;
  }
  list.replaceChildren(...overrides.map((o) => {
    const remove = h("button", { type: "button", class: "remove-phrase", text: t("options_phrases_remove") });
    remove.addEventListener("click", () => removePhrase(o, remove));
    const word = localMessage(`status_${o.status}`) || String(o.status);
    return h("li", { class: "phrase", "data-id": String(o.id), "data-lang": String(o.lang), "data-status": String(o.status) }, [
      h("span", { class: "phrase-text", text: `“${o.text}” (${o.lang}) → ${word} ` }),
      remove,
    ]);
  }));
}

async function loadPhrases(message = { type: MESSAGES.phrases, action: "list" }) {
  const answer = await ask(message);
  if (answer?.ok) showPhrases(answer.overrides);
  else $("phrases-status").textContent = t("options_failed", problem(answer));
  return answer;
}

async function removePhrase(override, button) {
  button.disabled = true;
  const answer = await loadPhrases({ type: MESSAGES.phrases, action: "remove", override_id: override.id });
  if (answer?.ok) $("phrases-status").textContent = t("options_phrases_removed", override.text);
  else button.disabled = false;
}

async function main() {
  localize(document, localMessage);
  const settings = await load(api.storage.local);

  const boxes = [...document.querySelectorAll('input[name="lead"]')];
  for (const box of boxes) {
    box.checked = settings.leadTimes.includes(box.value);
    box.addEventListener("change", () => saveAndSay({ leadTimes: boxes.filter((b) => b.checked).map((b) => b.value) }));
  }

  const select = $("lang");
  select.replaceChildren(
    h("option", { value: "auto", text: t("options_lang_auto", api.i18n.getUILanguage()) }),
    ...Object.entries(LANGUAGES).map(([code, name]) => h("option", { value: code, text: `${name} (${code})` })),
  );
  select.value = settings.draftLang;
  select.addEventListener("change", () => saveAndSay({ draftLang: select.value }));

  const guard = $("confirm-guard");
  guard.checked = settings.confirmGuard;
  guard.addEventListener("change", () => saveAndSay({ confirmGuard: guard.checked }));

  const dashboard = $("open-dashboard");
  dashboard.addEventListener("click", () => openDashboard(dashboard));
  const exports = [...document.querySelectorAll("button.export")];
  for (const b of exports) b.addEventListener("click", () => exportAs(b.dataset.format, exports));
  loadPhrases();
  document.body.dataset.ready = "true"; // for tests: the controls show the stored settings
}

main();
