// The one "helper missing" notice: fixed at the top of the page, dismissible, in a closed shadow root.
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  const t = AW.t;

  const STYLES = `
    .aw-notice { position: fixed; top: 0; left: 0; right: 0; z-index: 2147483646; display: flex; gap: 12px;
      align-items: flex-start; padding: 10px 16px; background: #fff3e0; border-bottom: 3px solid #e65100;
      color: #1a1a1a; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      box-shadow: 0 2px 10px rgba(0,0,0,.2); }
    .aw-text { flex: 1; }
    .aw-message { margin: 0; font-weight: 600; }
    .aw-error { margin: 4px 0 0; color: #555; font-size: 13px; }
    .aw-close { font: inherit; font-size: 20px; line-height: 1; cursor: pointer; border: none; background: transparent; padding: 0 6px; }
  `;

  let host = null;
  let root = null; // closed: the page can't reach it through host.shadowRoot
  let dismissed = false; // once closed by the user, stay closed for this page

  function show(errorText) {
    if (dismissed) return;
    const error = String(errorText ?? "").trim();
    if (!host) {
      [host, root] = AW.closedHost("aliwatch-notice", { id: "aliwatch-notice", class: "aliwatch-notice" });
      // On <html>, outside <body>: a whole-page card (body) must not contain the notice.
      document.documentElement.append(host);
    }
    host.setAttribute("data-error", error);
    const close = h("button", { class: "aw-close", type: "button", "aria-label": t("dismiss"), title: t("dismiss"), text: "×" });
    close.addEventListener("click", () => {
      dismissed = true;
      hide();
    });
    root.replaceChildren(
      AW.style(STYLES),
      h("div", { class: "aw-notice", role: "alert" }, [
        h("div", { class: "aw-text" }, [
          h("p", { class: "aw-message", text: t("notice_missing") }),
          error ? h("p", { class: "aw-error", text: t("notice_browser_said", error) }) : null,
        ]),
        close,
      ]),
    );
  }

  function hide() {
    host?.remove();
    host = null;
    root = null;
  }

  AW.notice = { show, hide };
})();
