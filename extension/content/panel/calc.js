// The refund-vs-return calculator: price (the order total), return postage typed in or estimated from the
// parcel's weight, whose fault it is, and the refund-only percentage. The helper's `calc` (the same
// computation as `aliwatch calc`) says what each option leaves and which is better; the two tips explain
// who should pay the return postage and how to judge a seller's counter-offer (the break-even share).
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  const t = AW.t;
  const { section, field } = AW.panelKit;

  const numberInput = (cls, attrs = {}) => h("input", { class: cls, type: "number", min: 0, step: "any", ...attrs });
  const valueOf = (input) => (input.value.trim() === "" ? null : Number(input.value));

  function tip(cls, title, text) {
    return h("details", { class: cls }, [h("summary", { text: title }), h("p", { text })]);
  }

  AW.panelParts.calc = (ctx) => {
    const entry = ctx.entry;
    const price = numberInput("aw-calc-price");
    const currency = h("input", { class: "aw-calc-currency", type: "text", maxlength: 3, autocomplete: "off" });
    const postage = numberInput("aw-calc-postage");
    const weight = numberInput("aw-calc-weight", { step: 1 });
    const fault = h("select", { class: "aw-calc-fault" }, [
      h("option", { value: "buyer", text: t("fault_buyer") }),
      h("option", { value: "seller", text: t("fault_seller") }),
    ]);
    const percent = numberInput("aw-calc-percent", { min: 1, max: 100, step: 1 });
    const run = h("button", { class: "aw-calc-run aw-primary", type: "submit", text: t("calc_run") });
    const status = h("p", { class: "aw-calc-status aw-hint", role: "status" });
    const result = h("div", { class: "aw-calc-result", hidden: true, "aria-live": "polite" });

    if (typeof entry.total?.amount === "number") price.value = String(entry.total.amount);
    currency.value = entry.total?.currency ?? "";
    let percentTouched = false;
    if (entry.draft?.outcome === "refund" && entry.draft.percent) percent.value = String(entry.draft.percent);
    percent.addEventListener("change", () => (percentTouched = true));
    // Follow the draft's percentage until the user types one here.
    ctx.on("draft", (reply) => {
      if (!percentTouched && reply.outcome === "refund" && reply.percent) percent.value = String(reply.percent);
    });

    function fail(text) {
      status.className = "aw-calc-status aw-hint aw-error";
      status.textContent = text;
    }

    function show(r) {
      const money = (n) => AW.money(n, r.currency ?? undefined);
      const best = r.recommendation;
      const paid = r.postage_paid_by === "buyer" && typeof r.postage === "number" && r.postage > 0;
      result.setAttribute("data-recommendation", best);
      // replaceChildren would write a null as the text "null": drop the parts that don't apply.
      result.replaceChildren(...[
        h("p", { class: "aw-calc-return", "data-net": r.return?.net, "data-best": String(best === "return") }, [
          t("calc_return", money(r.return?.net)),
          paid ? ` (${t("calc_return_postage", money(r.postage))})` : "",
        ]),
        h("p", { class: "aw-calc-refund", "data-net": r.refund_only?.net, "data-best": String(best === "refund_only"),
          text: t("calc_refund", r.percent, money(r.refund_only?.net)) }),
        r.estimate
          ? h("p", { class: "aw-calc-estimate aw-hint",
              text: t("calc_estimate", money(r.postage), r.estimate.up_to, r.estimate.source ?? "") })
          : null,
        h("p", { class: "aw-calc-reco", text: r.advantage === 0
          ? t("calc_reco_tie")
          : t(best === "return" ? "calc_reco_return" : "calc_reco_refund_only", money(r.advantage)) }),
        // The haggling rule of thumb with these numbers: a counter-offer below this share loses to a return.
        typeof r.break_even_percent === "number"
          ? h("p", { class: "aw-calc-break-even", "data-percent": r.break_even_percent,
              text: t("tip_haggle_break_even", r.break_even_percent, money(r.return?.net)) })
          : null,
      ].filter(Boolean));
      result.hidden = false;
    }

    async function calculate() {
      const msg = { type: "calc", price: valueOf(price), percent: valueOf(percent), fault: fault.value };
      if (!(msg.price > 0)) return fail(t("calc_need_price"));
      if (!Number.isInteger(msg.percent) || msg.percent < 1 || msg.percent > 100) return fail(t("draft_percent_invalid"));
      const code = currency.value.trim().toUpperCase();
      if (code) msg.currency = code;
      const typed = valueOf(postage);
      const grams = valueOf(weight);
      if (typed !== null) msg.postage = typed;
      else if (grams !== null) msg.weight = grams;
      else if (fault.value === "buyer") return fail(t("calc_need_postage"));
      status.className = "aw-calc-status aw-hint";
      status.textContent = "";
      run.disabled = true;
      try {
        const reply = await AW.ask(msg);
        if (ctx.alive) show(reply);
      } catch (e) {
        if (ctx.alive) fail(AW.askError(e));
      } finally {
        run.disabled = false;
      }
    }

    const form = h("form", { class: "aw-calc" }, [
      h("div", { class: "aw-controls" }, [
        field(t("calc_price"), price),
        field(t("calc_currency"), currency),
        field(t("calc_postage"), postage),
        field(t("calc_weight"), weight),
        field(t("calc_percent"), percent),
        field(t("calc_fault"), fault, "aw-field-wide"),
      ]),
      h("div", { class: "aw-row" }, [run]),
    ]);
    form.addEventListener("submit", (e) => {
      e.preventDefault(); // never submit anything to the page
      calculate();
    });

    return section("calc", t("h_calc"), [
      form,
      status,
      result,
      tip("aw-tip-postage", t("tip_postage_title"), t("tip_postage")),
      tip("aw-tip-haggle", t("tip_haggle_title"), t("tip_haggle")),
    ]);
  };
})();
