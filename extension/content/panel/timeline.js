// The order's deadlines as a timeline: soonest first, past ones greyed, "in 3 days" / "2 days ago", and
// where each date comes from (the page's own date, its countdown, or an AliExpress rule with its text).
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  const t = AW.t;

  const at = (d) => {
    const ms = Date.parse(d.at ?? "");
    return Number.isNaN(ms) ? Infinity : ms;
  };

  function kindWord(kind) {
    const word = t(`kind_${kind}`);
    return word === `kind_${kind}` ? String(kind ?? "").replace(/_/g, " ") : word;
  }

  function item(d, now) {
    const past = at(d) < now;
    const basis = d.basis ? t(`basis_${d.basis}`) : "";
    return h("li", {
      class: `aw-deadline${past ? " aw-past" : ""}`,
      "data-kind": d.kind,
      "data-basis": d.basis,
      "data-past": String(past),
    }, [
      h("span", { class: "aw-w-title" }, [
        `${kindWord(d.kind)}: ${AW.formatDate(d.at)}`,
        h("span", { class: "aw-when", text: AW.relative(d.at, now) }),
        basis ? h("span", { class: "aw-basis", text: basis === `basis_${d.basis}` ? d.basis : basis }) : null,
      ]),
      d.text ? h("span", { class: "aw-source", text: t("deadline_source", d.text) }) : null,
    ]);
  }

  AW.panelParts.timeline = (ctx) => {
    const now = Date.now();
    const deadlines = (Array.isArray(ctx.entry.deadlines) ? ctx.entry.deadlines : [])
      .filter((d) => d && typeof d === "object")
      .sort((a, b) => (at(a) === at(b) ? 0 : at(a) < at(b) ? -1 : 1)); // undated (Infinity) last
    const body = deadlines.length
      ? h("ul", { class: "aw-deadlines" }, deadlines.map((d) => item(d, now)))
      : h("p", { class: "aw-empty", text: t("deadlines_none") });
    return AW.panelKit.section("timeline", t("h_deadlines"), [body]);
  };
})();
