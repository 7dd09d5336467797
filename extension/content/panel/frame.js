// The details panel opened from a badge: a fixed overlay in a closed shadow root (neither the page's CSS
// nor its scripts reach it), a heading, a close button, Escape and backdrop click to close, focus back to
// the badge. The sections themselves are the other files of this folder, shown in ORDER.
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  const t = AW.t;

  const ORDER = ["warnings", "teach", "timeline", "draft", "evidence", "calc", "report"];

  let current = null; // { host, onKey, opener, ctx }

  function close() {
    if (!current) return;
    document.removeEventListener("keydown", current.onKey, true);
    current.ctx.alive = false;
    current.host.remove();
    const opener = current.opener;
    current = null;
    opener?.focus?.();
  }

  function sections(ctx) {
    const out = [];
    for (const name of ORDER) {
      try {
        const node = AW.panelParts[name]?.(ctx);
        if (node) out.push(node);
      } catch (e) {
        // One broken section must not take the warnings down with it.
        console.warn(`AliWatch: the panel's ${name} section failed`, e);
      }
    }
    return out;
  }

  /** entry: the card's analysis; key: its card key; opener: the element to refocus on close. */
  function open(entry, key, opener) {
    close();
    entry = entry && typeof entry === "object" ? entry : {};
    const order = entry.order_id ? t("panel_order", entry.order_id) : t("panel_this_order");
    const status = AW.statusWord(entry.status);

    const [host, root] = AW.closedHost("aliwatch-panel", {
      id: "aliwatch-panel",
      class: "aliwatch-panel",
      "data-aliwatch-for": key,
      "data-order-id": entry.order_id ?? "",
    });
    const ctx = AW.panelKit.context(entry, key);
    ctx.root = root;

    const closeBtn = h("button", { class: "aw-close", type: "button", "aria-label": t("close"), title: t("close"), text: "×" });
    const dialog = h("div", { class: "aw-dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": "aw-h" }, [
      h("div", { class: "aw-head" }, [h("h2", { id: "aw-h", text: `AliWatch · ${order}${status ? ` · ${status}` : ""}` }), closeBtn]),
      ...sections(ctx),
    ]);
    const overlay = h("div", { class: "aw-overlay" }, [dialog]);
    root.append(AW.style(AW.panelStyles), overlay);

    closeBtn.addEventListener("click", close);
    overlay.addEventListener("click", (e) => {
      if (e.target === overlay) close(); // a click on the dimmed backdrop
    });
    const onKey = (e) => {
      if (e.key === "Escape" && e.isTrusted) { // a page script's synthetic Escape does not drive our UI
        e.stopPropagation();
        close();
      }
    };
    document.addEventListener("keydown", onKey, true);

    // On <html>, outside <body>: a whole-page card (body) must not contain the panel.
    document.documentElement.append(host);
    current = { host, onKey, opener, ctx };
    closeBtn.focus();
    return host;
  }

  AW.panel = { open, close, isOpen: () => current !== null };
})();
