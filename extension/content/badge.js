// One badge per card: a <aliwatch-badge> host at the top of the card (in its heading row when it has one,
// found by structure, not class names) with its UI in a shadow root.
// The host's data-* attributes carry the result for tests and curious users; the root is closed, so the
// page's scripts can see the result but not reach the button.
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  const t = AW.t;

  const STYLES = `
    :host { display: block; margin: 6px 0; }
    :host([data-placement="header"]) { display: inline-block; margin: 0 10px 0 0; vertical-align: middle; }
    .aw-badge { all: initial; box-sizing: border-box; display: inline-flex; align-items: center; gap: 6px;
      max-width: 100%; padding: 3px 10px; border-radius: 12px; cursor: pointer; color: #fff;
      font: 600 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .aw-badge:focus-visible { outline: 2px solid #000; outline-offset: 2px; }
    .aw-brand { font-weight: 400; opacity: .85; }
    .aw-title { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .aw-more { background: rgba(255,255,255,.25); border-radius: 8px; padding: 0 6px; }
    .aw-sev-expired { background: #212121; }
    .aw-sev-urgent { background: #c62828; }
    .aw-sev-warning { background: #e65100; }
    .aw-sev-info { background: #1565c0; }
    .aw-sev-none { background: #2e7d32; }
    .aw-sev-unknown { background: #546e7a; }
  `;

  // Closed roots (a page script finds no shadowRoot on our hosts, so it can't read or click the badge):
  // the only way back to a host's root is this map.
  const roots = new WeakMap();

  const hostFor = (card, key) => card.querySelector(`aliwatch-badge[data-aliwatch-for="${CSS.escape(key)}"]`);

  /** Number of columns of a table section, for the colspan of our own row. */
  function columnCount(tbody) {
    let max = 1;
    for (const row of tbody.rows) {
      let n = 0;
      for (const cell of row.cells) n += cell.colSpan || 1;
      max = Math.max(max, n);
    }
    return max;
  }

  const TABLE_PARTS = new Set(["TBODY", "THEAD", "TFOOT"]);
  const textSize = (el) => el.textContent.replace(/\s+/g, "").length;

  /**
   * The card's heading row, found by structure (class names change with every redesign): through
   * single-child wrappers, the first child when it is a short row of several parts (status, date, number)
   * and not a link, button or list. null: the badge goes on top of the card.
   */
  function headingOf(card) {
    let box = card;
    while (box.children.length === 1) box = box.firstElementChild;
    const first = [...box.children].find((c) => !c.matches(AW.OWN_SELECTOR));
    if (!first || first.matches("a, button, img, svg, input, select, textarea, table, ul, ol, dl")) return null;
    const size = textSize(first);
    return first.children.length > 1 && size > 0 && size * 2 <= textSize(card) ? first : null;
  }

  /** Creates the host (once) and puts it at the top of the card. */
  function ensureHost(card, key) {
    const existing = hostFor(card, key);
    if (existing && roots.has(existing)) return existing;
    existing?.remove(); // a look-alike the page made: it has no root of ours
    const [host, root] = AW.closedHost("aliwatch-badge", { class: "aliwatch-badge", "data-aliwatch-for": key });
    roots.set(host, root);
    const section = TABLE_PARTS.has(card.tagName) ? card : card.tagName === "TABLE" ? card.tBodies[0] : null;
    if (section) {
      // A bare element inside a table section is invalid; give the badge a row of its own.
      const td = h("td", { colspan: columnCount(section) }, [host]);
      section.insertBefore(h("tr", { class: "aliwatch-row", "data-aliwatch-row": "" }, [td]), section.firstChild);
    } else if (card.tagName === "TR") {
      const cell = card.cells[0] ?? card;
      cell.insertBefore(host, cell.firstChild);
    } else {
      const heading = headingOf(card);
      if (heading) host.setAttribute("data-placement", "header");
      const parent = heading ?? card;
      parent.insertBefore(host, parent.firstChild);
    }
    return host;
  }

  function paint(host, { severity, cls, brand, title, more, tooltip, onClick }) {
    const button = h("button", { class: `aw-badge aw-sev-${cls}`, type: "button", part: "badge" }, [
      brand ? h("span", { class: "aw-brand", text: "AliWatch" }) : null,
      h("span", { class: "aw-title", text: title }),
      more > 0 ? h("span", { class: "aw-more", text: `+${more}` }) : null,
    ]);
    if (onClick) button.addEventListener("click", (e) => {
      e.preventDefault();
      e.stopPropagation(); // the card may be a link or have its own click handler
      onClick(button);
    });
    roots.get(host).replaceChildren(AW.style(STYLES), button);
    host.setAttribute("data-severity", severity);
    if (tooltip) host.setAttribute("title", tooltip);
    else host.removeAttribute("title");
  }

  /** Shows the analysis of one card. onOpen(button) opens the panel. */
  function render(card, key, entry, onOpen) {
    const host = ensureHost(card, key);
    const warnings = AW.sortWarnings(entry.warnings);
    const top = warnings[0];
    host.setAttribute("data-order-id", entry.order_id ?? "");
    host.setAttribute("data-status", entry.status ?? "unknown");
    host.setAttribute("data-code", top?.code ?? "none");
    host.setAttribute("data-count", String(warnings.length));
    host.removeAttribute("data-error-code");
    if (top) {
      paint(host, {
        severity: top.severity ?? "info",
        cls: top.severity in { expired: 1, urgent: 1, warning: 1, info: 1 } ? top.severity : "info",
        // The helper's own titles may already name AliWatch ("AliWatch could not read this order").
        brand: !/^aliwatch\b/i.test(top.title ?? ""),
        title: top.title ?? top.code,
        more: warnings.length - 1,
        tooltip: top.detail ?? "",
        onClick: onOpen,
      });
    } else if (entry.status === "unknown" || !entry.status) {
      paint(host, {
        severity: "none",
        cls: "unknown",
        brand: false,
        title: t("badge_unreadable"),
        tooltip: t("badge_unreadable_tip"),
        onClick: onOpen,
      });
    } else {
      paint(host, {
        severity: "none",
        cls: "none",
        brand: false,
        title: t("badge_nothing"),
        tooltip: "",
        onClick: onOpen,
      });
    }
    return host;
  }

  /** The helper rejected the snapshot holding this card (an `error` frame). */
  function renderError(card, key, code, message) {
    const host = ensureHost(card, key);
    host.setAttribute("data-status", "error");
    host.setAttribute("data-code", "helper_error");
    host.setAttribute("data-error-code", String(code ?? "internal"));
    host.setAttribute("data-count", "0");
    paint(host, {
      severity: "none",
      cls: "unknown",
      brand: false,
      title: t("badge_helper_error"),
      tooltip: `${code ?? "error"}: ${message ?? ""}`,
    });
  }

  /** Removes badges (and their rows) whose card is gone or no longer a card. */
  function removeStale(liveKeys) {
    for (const host of document.querySelectorAll("aliwatch-badge")) {
      if (liveKeys.has(host.getAttribute("data-aliwatch-for"))) continue;
      (host.closest("[data-aliwatch-row]") ?? host).remove();
    }
  }

  const has = (card, key) => hostFor(card, key) !== null;

  AW.badge = { render, renderError, removeStale, has };
})();
