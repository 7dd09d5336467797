// The dispute messages: problem kind, refund-only (with a percentage) or return, and language. Every change
// asks the helper's `draft` (the composer `aliwatch draft` uses) and refills both editable messages: the
// one for AliExpress administration and the short one for the seller. The analysis names the card's
// default problem (`draft_problem`) but carries no composed draft: opening the panel asks for it.
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  const t = AW.t;
  const { section, field, copyRow } = AW.panelKit;

  const PROBLEMS = AW.vocab.problems; // the helper's (data/vocab.js)
  // The languages the helper writes messages in, each named in itself.
  const LANGS = Object.entries(AW.vocab.ui_languages); // [code, name]: the helper's draft languages

  const draftLang = (tag) => {
    const base = String(tag ?? "").toLowerCase().split(/[-_]/)[0];
    return LANGS.some(([code]) => code === base) ? base : "en";
  };

  /** The order facts the host's `draft` reads (PROTOCOL.md), from the card's analysis. */
  const orderOf = (entry) => ({
    order_id: entry.order_id ?? null,
    order_date: entry.order_date ?? null,
    status: entry.status ?? null,
    total: entry.total && typeof entry.total.amount === "number"
      ? { amount: entry.total.amount, currency: entry.total.currency ?? null }
      : null,
    items: (Array.isArray(entry.items) ? entry.items : []).map((i) => ({ title: String(i?.title ?? "") })),
  });

  const select = (cls, options, value) => {
    const el = h("select", { class: cls }, options.map(([v, label]) => h("option", { value: v, text: label })));
    el.value = value;
    return el;
  };

  function reasonText(d) {
    const amount = d?.amount?.text ? t("draft_amount", d.amount.text) : "";
    return [d?.reason ?? "", amount].filter(Boolean).join(" ");
  }

  AW.panelParts.draft = (ctx) => {
    const entry = ctx.entry;
    // A composed draft on the card (`aliwatch analyze --json` shape, older helpers) is shown as it is.
    const base = entry.draft && typeof entry.draft === "object" && typeof entry.draft.problem === "string"
      ? entry.draft : null;
    const preset = base?.problem ?? (PROBLEMS.includes(entry.draft_problem) ? entry.draft_problem : "");

    const problem = select("aw-problem",
      [...(preset ? [] : [["", t("draft_problem_choose")]]), ...PROBLEMS.map((p) => [p, t(`problem_${p}`)])],
      preset);
    const outcome = select("aw-outcome", [["refund", t("outcome_refund")], ["return", t("outcome_return")]],
      base?.outcome === "return" ? "return" : "refund");
    const percent = h("input", { class: "aw-percent", type: "number", min: 1, max: 100, step: 1, inputmode: "numeric" });
    percent.value = base?.percent ?? "";
    const lang = select("aw-lang", LANGS, draftLang(base?.lang ?? AW.settings.lang()));

    const reason = h("p", { class: "aw-reason", text: reasonText(base) });
    const status = h("p", { class: "aw-draft-status aw-hint", role: "status" });
    const admin = h("textarea", { id: "aw-draft-admin", class: "aw-draft", spellcheck: "true", placeholder: t("draft_choose_first") });
    const seller = h("textarea", { id: "aw-draft-seller", class: "aw-draft-seller", spellcheck: "true", placeholder: t("draft_choose_first") });
    admin.value = base?.to_admin ?? base?.text ?? "";
    seller.value = base?.to_seller ?? "";
    for (const area of [admin, seller]) if (base?.lang) area.lang = base.lang;

    let percentTouched = false; // a typed percentage survives other changes; a new problem resets it
    let seq = 0; // only the latest request's reply is shown

    /** Nothing to send back when nothing arrived; a return is refunded in full (no percentage). */
    function syncControls() {
      const returnOption = outcome.querySelector('option[value="return"]');
      returnOption.disabled = problem.value === "not_received";
      if (returnOption.disabled && outcome.value === "return") outcome.value = "refund";
      percent.disabled = outcome.value === "return";
    }

    function apply(reply) {
      if (PROBLEMS.includes(reply.problem)) problem.value = reply.problem;
      if (reply.outcome === "refund" || reply.outcome === "return") outcome.value = reply.outcome;
      syncControls();
      admin.value = reply.to_admin ?? "";
      seller.value = reply.to_seller ?? "";
      for (const area of [admin, seller]) area.lang = reply.lang ?? "";
      percent.value = reply.outcome === "refund" ? (reply.percent ?? "") : "";
      reason.textContent = reasonText(reply);
      ctx.emit("draft", reply);
    }

    async function refresh() {
      if (!problem.value) return;
      const msg = { type: "draft", order: orderOf(entry), problem: problem.value, outcome: outcome.value, lang: lang.value };
      if (outcome.value === "refund" && percentTouched) {
        const n = Number(percent.value);
        if (!Number.isInteger(n) || n < 1 || n > 100) {
          status.className = "aw-draft-status aw-hint aw-error";
          status.textContent = t("draft_percent_invalid");
          return;
        }
        msg.percent = n;
      }
      const mine = ++seq;
      status.className = "aw-draft-status aw-hint";
      status.textContent = t("draft_writing");
      try {
        const reply = await AW.ask(msg);
        if (mine !== seq || !ctx.alive) return;
        status.textContent = "";
        apply(reply);
      } catch (e) {
        if (mine !== seq || !ctx.alive) return;
        status.className = "aw-draft-status aw-hint aw-error";
        status.textContent = AW.askError(e);
      }
    }

    problem.addEventListener("change", () => {
      percentTouched = false; // the new problem's suggestion
      syncControls();
      refresh();
    });
    outcome.addEventListener("change", () => {
      syncControls();
      refresh();
    });
    percent.addEventListener("change", () => {
      percentTouched = true;
      refresh();
    });
    lang.addEventListener("change", refresh);
    syncControls();
    if (!base && preset) refresh(); // the default problem's draft, asked now that the panel is open

    return section("draft", t("h_draft"), [
      h("div", { class: "aw-controls" }, [
        field(t("draft_problem"), problem),
        field(t("draft_outcome"), outcome),
        field(t("draft_percent"), percent),
        field(t("draft_language"), lang),
      ]),
      reason,
      status,
      h("label", { class: "aw-msg-label", for: admin.id, text: t("draft_to_admin") }),
      admin,
      copyRow(admin, "aw-copy"),
      h("label", { class: "aw-msg-label", for: seller.id, text: t("draft_to_seller") }),
      seller,
      copyRow(seller, "aw-copy-seller"),
      h("p", { class: "aw-hint", text: t("draft_edit_hint") }),
    ]);
  };
})();
