// The short check a guard shows before a risky click goes through: a title, one or two sentences, and
// "Go on" / "Not yet". A fixed overlay in a closed shadow root; "Not yet" has the focus (the safe default),
// Escape and a backdrop click mean "Not yet".
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  const t = AW.t;

  const STYLES = `
    .aw-overlay { position: fixed; inset: 0; z-index: 2147483647; background: rgba(0,0,0,.45);
      display: flex; align-items: center; justify-content: center;
      font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; }
    .aw-box { background: #fff; padding: 18px 20px; border-radius: 10px; width: min(420px, calc(100% - 24px));
      box-shadow: 0 10px 40px rgba(0,0,0,.35); border-top: 5px solid #e65100; box-sizing: border-box; }
    h2 { font-size: 17px; margin: 0 0 8px; }
    p { margin: 0 0 14px; }
    .aw-buttons { display: flex; gap: 10px; justify-content: flex-end; }
    button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #888; background: #fff; padding: 5px 14px; }
    .aw-guard-stop { background: #1565c0; color: #fff; border-color: #1565c0; }
  `;

  const TEXTS = {
    confirm_received: ["guard_confirm_title", "guard_confirm_text"],
    close_dispute: ["guard_dispute_title", "guard_dispute_text"],
  };

  let current = null; // { host, onKey, resolve }

  function finish(goOn) {
    if (!current) return;
    const { host, onKey, resolve } = current;
    current = null;
    document.removeEventListener("keydown", onKey, true);
    host.remove();
    resolve(goOn);
  }

  /** Shows the check for `kind`; resolves true for "Go on", false for "Not yet". */
  function ask(kind) {
    finish(false); // a second guarded click replaces an open check
    const [title, text] = TEXTS[kind];
    const [host, root] = AW.closedHost("aliwatch-guard", { id: "aliwatch-guard", class: "aliwatch-guard", "data-guard": kind });
    const go = h("button", { class: "aw-guard-go", type: "button", text: t("guard_go") });
    const stop = h("button", { class: "aw-guard-stop", type: "button", text: t("guard_stop") });
    const overlay = h("div", { class: "aw-overlay" }, [
      h("div", { class: "aw-box", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "aw-g-h", "aria-describedby": "aw-g-p" }, [
        h("h2", { id: "aw-g-h", text: t(title) }),
        h("p", { id: "aw-g-p", text: t(text) }),
        h("div", { class: "aw-buttons" }, [go, stop]),
      ]),
    ]);
    root.append(AW.style(STYLES), overlay);
    return new Promise((resolve) => {
      const onKey = (e) => {
        if (e.key !== "Escape" || !e.isTrusted) return; // only the user's own key, never a page script's
        e.stopPropagation();
        finish(false);
      };
      go.addEventListener("click", () => finish(true));
      stop.addEventListener("click", () => finish(false));
      overlay.addEventListener("click", (e) => {
        if (e.target === overlay) finish(false);
      });
      document.addEventListener("keydown", onKey, true);
      document.documentElement.append(host);
      current = { host, onKey, resolve };
      stop.focus();
    });
  }

  AW.guardDialog = { ask, isOpen: () => current !== null };
})();
