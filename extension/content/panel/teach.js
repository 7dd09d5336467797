// For a card whose status AliWatch could not read (issue #11): "What does 'XYZ' mean?", the statuses in
// plain words, and the answer sent to the helper as a taught word (`phrase_override`, for the page's
// language). The helper then reads that exact text as that status on this page and every later one; the
// page's cards are sent again so the badge shows it at once. Hidden when the helper can't do it.
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  const t = AW.t;

  // The contract statuses a word may be taught as (helper: overrides.STATUSES), in the order of an order's life.
  const STATUSES = ["awaiting_payment", "awaiting_shipment", "awaiting_delivery", "delivered", "completed",
    "closed", "in_dispute", "refunded"];
  const MAX_TEXT = 200; // the helper refuses longer texts: they are not a status

  /** The unread status text, when the card has one worth asking about. */
  function unreadText(entry) {
    const unread = entry.status === "unknown" &&
      Array.isArray(entry.warnings) && entry.warnings.some((w) => w?.code === "unrecognized");
    const text = typeof entry.status_text === "string" ? entry.status_text.trim() : "";
    return unread && text && text.length <= MAX_TEXT ? text : null;
  }

  function choice(status, group) {
    const input = h("input", { type: "radio", name: group, value: status });
    return h("li", { class: "aw-teach-choice", "data-status": status }, [
      h("label", {}, [
        input,
        h("span", {}, [
          h("span", { class: "aw-teach-word", text: AW.statusWord(status) }),
          h("span", { class: "aw-teach-plain aw-hint", text: t(`teach_plain_${status}`) }),
        ]),
      ]),
    ]);
  }

  AW.panelParts.teach = (ctx) => {
    const text = unreadText(ctx.entry);
    const lang = typeof ctx.entry.page_lang === "string" ? ctx.entry.page_lang : null;
    if (!text || !lang) return null;
    const group = `aw-teach-${ctx.key}`;
    const list = h("ul", { class: "aw-teach-choices" }, STATUSES.map((s) => choice(s, group)));
    const button = h("button", { class: "aw-teach-save aw-primary", type: "button", disabled: true, text: t("teach_button") });
    const status = h("p", { class: "aw-teach-status aw-hint", role: "status" });
    const part = AW.panelKit.section("teach", t("h_teach"), [
      h("p", { class: "aw-teach-question", text: t("teach_question", text) }),
      h("p", { class: "aw-hint", text: t("teach_hint") }),
      list,
      h("div", { class: "aw-row" }, [button]),
      status,
    ]);
    const picked = () => list.querySelector("input:checked")?.value ?? null;
    list.addEventListener("change", () => (button.disabled = !picked()));

    AW.ask({ type: "capabilities" })
      .then((r) => {
        if (Array.isArray(r?.capabilities) && !r.capabilities.includes("phrase_override")) part.hidden = true;
      })
      .catch(() => {});

    button.addEventListener("click", async () => {
      const chosen = picked();
      if (!chosen) return;
      button.disabled = true;
      status.className = "aw-teach-status aw-hint";
      status.textContent = t("teach_working");
      try {
        await AW.ask({ type: "phrase_override", lang, text, status: chosen });
        status.textContent = t("teach_saved", text, AW.statusWord(chosen));
        status.setAttribute("data-taught", chosen);
        AW.resend?.(); // the helper reads the page again with the new word: the badge follows
      } catch (e) {
        status.className = "aw-teach-status aw-hint aw-error";
        status.textContent = AW.askError(e);
        button.disabled = false;
      }
    });
    return part;
  };
})();
