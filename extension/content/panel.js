// The details panel opened from a badge: every warning, the order's deadlines and an editable draft
// message with a Copy button. A fixed overlay in a shadow root so the page's CSS can't reach it.
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;

  const KIND_WORDS = {
    payment_due: "Payment due",
    ship_by: "Seller must ship by",
    delivery_promised: "Promised delivery",
    protection_ends: "Buyer protection ends",
    dispute_window_ends: "Last moment to open a dispute",
    return_window_ends: "Return window ends",
    seller_response_due: "Seller must respond by",
    return_ship_by: "Ship your return by",
    refund_expected_by: "Refund expected by",
  };

  const STYLES = `
    :host { all: initial; }
    .aw-overlay { position: fixed; inset: 0; z-index: 2147483647; background: rgba(0,0,0,.45);
      display: flex; align-items: flex-start; justify-content: center; overflow: auto;
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; }
    .aw-dialog { background: #fff; margin: 5vh 12px; padding: 18px 20px; border-radius: 10px;
      width: min(640px, 100%); box-shadow: 0 10px 40px rgba(0,0,0,.35); box-sizing: border-box; }
    .aw-head { display: flex; align-items: center; justify-content: space-between; gap: 12px; }
    h2 { font-size: 17px; margin: 0; }
    h3 { font-size: 14px; margin: 16px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: #555; }
    ul { margin: 0; padding: 0; list-style: none; }
    li { margin: 0 0 8px; padding: 8px 10px; border-radius: 6px; background: #f5f5f5; border-left: 4px solid #1565c0; }
    li[data-severity="expired"] { border-color: #212121; }
    li[data-severity="urgent"] { border-color: #c62828; }
    li[data-severity="warning"] { border-color: #ef6c00; }
    li.aw-deadline { border-color: #9e9e9e; }
    .aw-w-title { font-weight: 600; display: block; }
    .aw-w-detail, .aw-source { margin: 2px 0 0; color: #333; display: block; }
    .aw-basis { font-size: 12px; color: #555; background: #e0e0e0; border-radius: 4px; padding: 0 5px; margin-left: 6px; }
    .aw-empty { color: #555; margin: 0; }
    textarea { width: 100%; min-height: 160px; box-sizing: border-box; font: inherit; padding: 8px;
      border: 1px solid #bbb; border-radius: 6px; resize: vertical; }
    button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #888; background: #fff; padding: 4px 12px; }
    .aw-close { border: none; font-size: 22px; line-height: 1; padding: 2px 8px; background: transparent; }
    .aw-copy { margin-top: 8px; background: #1565c0; color: #fff; border-color: #1565c0; }
    .aw-copy-status { margin-left: 10px; color: #2e7d32; }
  `;

  let current = null; // { host, onKey, opener }

  function warningItems(warnings) {
    if (!warnings.length) return h("p", { class: "aw-empty", text: "Nothing to do now." });
    return h(
      "ul",
      { class: "aw-warnings" },
      warnings.map((w) =>
        h("li", { class: "aw-warning", "data-code": w.code, "data-severity": w.severity }, [
          h("span", { class: "aw-w-title", text: w.title ?? w.code ?? "" }),
          w.detail ? h("span", { class: "aw-w-detail", text: w.detail }) : null,
          w.due ? h("span", { class: "aw-source", text: `Due: ${AW.formatDate(w.due)}` }) : null,
        ]),
      ),
    );
  }

  function deadlineItems(deadlines) {
    if (!deadlines.length) return h("p", { class: "aw-empty", text: "No deadline found on this page." });
    return h(
      "ul",
      { class: "aw-deadlines" },
      deadlines.map((d) =>
        h("li", { class: "aw-deadline", "data-kind": d.kind, "data-basis": d.basis }, [
          h("span", { class: "aw-w-title" }, [
            `${KIND_WORDS[d.kind] ?? String(d.kind ?? "").replace(/_/g, " ")}: ${AW.formatDate(d.at)}`,
            d.basis ? h("span", { class: "aw-basis", text: d.basis }) : null,
          ]),
          d.text ? h("span", { class: "aw-source", text: `“${d.text}”` }) : null,
        ]),
      ),
    );
  }

  async function copy(textarea, status) {
    try {
      await navigator.clipboard.writeText(textarea.value);
      status.textContent = "Copied";
    } catch {
      // Clipboard API refused (permissions, non-secure page): fall back to the selection.
      textarea.focus();
      textarea.select();
      let ok = false;
      try {
        ok = document.execCommand("copy");
      } catch {}
      status.textContent = ok ? "Copied" : "Selected: press Ctrl+C to copy";
    }
  }

  function close() {
    if (!current) return;
    document.removeEventListener("keydown", current.onKey, true);
    current.host.remove();
    const opener = current.opener;
    current = null;
    opener?.focus?.();
  }

  /** entry: the card's analysis; key: its card key; opener: the element to refocus on close. */
  function open(entry, key, opener) {
    close();
    const warnings = AW.sortWarnings(entry?.warnings);
    const deadlines = (Array.isArray(entry?.deadlines) ? entry.deadlines : []).filter((d) => d && typeof d === "object");
    const draft = AW.draft.forEntry(entry);
    const order = entry?.order_id ? `Order ${entry.order_id}` : "This order";
    const status = AW.STATUS_WORDS[entry?.status] ?? entry?.status ?? "";

    const host = h("aliwatch-panel", {
      id: "aliwatch-panel",
      class: "aliwatch-panel",
      "data-aliwatch-for": key,
      "data-order-id": entry?.order_id ?? "",
    });
    const root = host.attachShadow({ mode: "open" });

    const closeBtn = h("button", { class: "aw-close", type: "button", "aria-label": "Close", title: "Close", text: "×" });
    const textarea = h("textarea", { class: "aw-draft", lang: draft.lang || undefined, spellcheck: "true" });
    textarea.value = draft.text;
    const copyStatus = h("span", { class: "aw-copy-status", role: "status" });
    const copyBtn = h("button", { class: "aw-copy", type: "button", text: "Copy" });
    const dialog = h("div", { class: "aw-dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": "aw-h" }, [
      h("div", { class: "aw-head" }, [
        h("h2", { id: "aw-h", text: `AliWatch · ${order}${status ? ` · ${status}` : ""}` }),
        closeBtn,
      ]),
      h("h3", { text: "Warnings" }),
      warningItems(warnings),
      h("h3", { text: "Deadlines" }),
      deadlineItems(deadlines),
      h("h3", { text: "Message to the seller (draft)" }),
      textarea,
      h("div", {}, [copyBtn, copyStatus]),
    ]);
    const overlay = h("div", { class: "aw-overlay" }, [dialog]);
    root.append(AW.style(STYLES), overlay);

    closeBtn.addEventListener("click", close);
    copyBtn.addEventListener("click", () => copy(textarea, copyStatus));
    overlay.addEventListener("click", (e) => {
      if (e.target === overlay) close(); // a click on the dimmed backdrop
    });
    const onKey = (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        close();
      }
    };
    document.addEventListener("keydown", onKey, true);

    // On <html>, outside <body>: a whole-page card (body) must not contain the panel.
    document.documentElement.append(host);
    current = { host, onKey, opener };
    closeBtn.focus();
    return host;
  }

  AW.panel = { open, close, isOpen: () => current !== null };
})();
