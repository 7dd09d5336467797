// Building blocks the panel's sections share: a titled section, a labelled field, a Copy button, and the
// panel context (the card's analysis plus a small event bus, so the draft can tell the evidence list and
// the calculator what the user chose). Sections register themselves in AW.panelParts; frame.js orders them.
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  AW.panelParts = AW.panelParts || {};

  let ids = 0;

  /** <section class="aw-section aw-sec-NAME"> with an <h3> title. */
  const section = (name, title, children) =>
    h("section", { class: `aw-section aw-sec-${name}` }, [h("h3", { text: title }), ...children]);

  /** A label above its control; the control gets an id so the label points at it. */
  function field(label, control, cls = "") {
    if (!control.id) control.id = `aw-f${++ids}`;
    return h("div", { class: `aw-field ${cls}`.trim() }, [h("label", { for: control.id, text: label }), control]);
  }

  /** Copies the textarea's text; a page without the clipboard API (plain http) gets the selection path. */
  async function copy(textarea, status) {
    try {
      await navigator.clipboard.writeText(textarea.value);
      status.textContent = AW.t("copied");
    } catch {
      textarea.focus();
      textarea.select();
      let ok = false;
      try {
        ok = document.execCommand("copy");
      } catch {}
      status.textContent = ok ? AW.t("copied") : AW.t("copy_selected");
    }
  }

  /** A Copy button and its status line for one textarea; cls names both (e.g. aw-copy, aw-copy-status). */
  function copyRow(textarea, cls) {
    const status = h("span", { class: `${cls}-status aw-status`, role: "status" });
    const button = h("button", { class: `${cls} aw-primary`, type: "button", text: AW.t("copy") });
    button.addEventListener("click", () => copy(textarea, status));
    return h("div", { class: "aw-row" }, [button, status]);
  }

  /** The state one open panel shares between its sections. */
  function context(entry, key) {
    const listeners = new Map();
    return {
      entry: entry ?? {},
      key,
      alive: true, // false once the panel closed: late replies are dropped
      on(name, fn) {
        if (!listeners.has(name)) listeners.set(name, []);
        listeners.get(name).push(fn);
      },
      emit(name, value) {
        for (const fn of listeners.get(name) ?? []) fn(value);
      },
    };
  }

  AW.panelKit = { section, field, copyRow, context };
})();
