// The evidence checklist for the chosen problem. Ticks are remembered per order in storage.local under
// `evidence:<order_id>` as {item id: true}, so they survive closing the panel and reloading the page, and
// an item shared by two problems (the unboxing video) stays ticked when the problem changes.
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  const t = AW.t;

  const storage = () => AW.api.storage?.local;
  const keyFor = (orderId) => (orderId ? `evidence:${orderId}` : null);

  async function loadTicks(key) {
    if (!key || !storage()) return {};
    try {
      const got = await storage().get(key);
      const ticks = got?.[key];
      return ticks && typeof ticks === "object" ? ticks : {};
    } catch {
      return {};
    }
  }

  /** Read-modify-write of one item, so two open tabs don't overwrite each other's other ticks. */
  async function saveTick(key, id, on) {
    if (!key || !storage()) return;
    const ticks = await loadTicks(key);
    if (on) ticks[id] = true;
    else delete ticks[id];
    await (Object.keys(ticks).length ? storage().set({ [key]: ticks }) : storage().remove(key));
  }

  const items = (list) => (Array.isArray(list) ? list : []).filter((e) => e && typeof e.id === "string");

  AW.panelParts.evidence = (ctx) => {
    const key = keyFor(ctx.entry.order_id);
    const list = h("ul", { class: "aw-evidence" });
    const empty = h("p", { class: "aw-empty", text: t("evidence_none") });
    const ticks = loadTicks(key); // one read per panel; later renders reuse it plus local changes

    async function render(evidence) {
      const known = await ticks;
      if (!ctx.alive) return;
      list.replaceChildren(...evidence.map((e) => {
        const box = h("input", { type: "checkbox", class: "aw-evidence-check", value: e.id });
        box.checked = known[e.id] === true;
        box.addEventListener("change", () => {
          known[e.id] = box.checked || undefined;
          saveTick(key, e.id, box.checked).catch((err) => console.warn("AliWatch: could not save a tick", err));
        });
        return h("li", { class: "aw-evidence-item", "data-id": e.id }, [h("label", {}, [box, h("span", { text: e.text ?? e.id })])]);
      }));
      empty.hidden = evidence.length > 0;
    }

    render(items(ctx.entry.evidence));
    ctx.on("draft", (reply) => render(items(reply.evidence)));
    return AW.panelKit.section("evidence", t("h_evidence"), [
      empty,
      list,
      key ? h("p", { class: "aw-hint", text: t("evidence_hint") }) : null,
    ]);
  };
})();
