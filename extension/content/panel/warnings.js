// The panel's warnings: title, detail, the one action to take now, when it is due, and for an overdue
// refund or ended protection the escalation ladder (the helper's words, else this extension's).
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  const t = AW.t;

  const LADDER = ["bank_statement", "customer_service", "paypal_claim", "chargeback"];

  /** The ladder's steps: from the warning when the helper sent them, else when the situation calls for it. */
  function ladderOf(w) {
    if (Array.isArray(w.escalation) && w.escalation.length) {
      return w.escalation
        .filter((s) => s && typeof s === "object")
        .map((s) => ({ id: String(s.id ?? ""), text: String(s.text ?? t(`escalation_${s.id}`)) }));
    }
    const needed = w.code === "refund_overdue" || (w.code === "protection_ending" && w.severity === "expired");
    return needed ? LADDER.map((id) => ({ id, text: t(`escalation_${id}`) })) : [];
  }

  function item(w) {
    const ladder = ladderOf(w);
    return h("li", { class: "aw-warning", "data-code": w.code, "data-severity": w.severity }, [
      h("span", { class: "aw-w-title", text: w.title ?? w.code ?? "" }),
      w.detail ? h("span", { class: "aw-w-detail", text: w.detail }) : null,
      w.action ? h("span", { class: "aw-w-action", text: t("warning_now", w.action) }) : null,
      w.due ? h("span", { class: "aw-source", text: t("warning_due", AW.formatDate(w.due), AW.relative(w.due)) }) : null,
      ladder.length ? h("span", { class: "aw-escalation-title", text: t("h_escalation") }) : null,
      ladder.length
        ? h("ol", { class: "aw-escalation" }, ladder.map((s, i) =>
            h("li", { "data-step": i + 1, "data-id": s.id, text: s.text })))
        : null,
    ]);
  }

  AW.panelParts.warnings = (ctx) => {
    const warnings = AW.sortWarnings(ctx.entry.warnings);
    const body = warnings.length
      ? h("ul", { class: "aw-warnings" }, warnings.map(item))
      : h("p", { class: "aw-empty", text: t("warnings_none") });
    return AW.panelKit.section("warnings", t("h_warnings"), [body]);
  };
})();
