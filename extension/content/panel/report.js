// For a card AliWatch could not read: save an anonymised copy of the page for a bug report. The helper's
// `report` replaces personal data with fakes of the same shape (a large page comes back in parts, joined
// by the background); the copy is downloaded through a Blob URL. Hidden when the helper can't do it.
(() => {
  const AW = globalThis.AliWatch;
  const h = AW.h;
  const t = AW.t;

  const unreadable = (entry) =>
    entry.status === "unknown" || (Array.isArray(entry.warnings) && entry.warnings.some((w) => w?.code === "unrecognized"));

  // An inert document: importing into it runs nothing and loads nothing.
  const inert = document.implementation.createHTMLDocument("");

  /** The page as the user sees it, minus AliWatch's own elements and keys. */
  function pageHtml() {
    const clone = inert.importNode(document.documentElement, true);
    for (const n of clone.querySelectorAll(AW.OWN_SELECTOR)) n.remove();
    for (const n of clone.querySelectorAll("[data-aliwatch-key]")) n.removeAttribute("data-aliwatch-key");
    return `${document.doctype ? "<!DOCTYPE html>\n" : ""}${clone.outerHTML}`;
  }

  /** A name with the time only: the order id would put personal data back into the file's name. */
  function fileName() {
    const stamp = new Date().toISOString().slice(0, 16).replace(/:/g, "");
    return `aliwatch-report-${stamp}.html`;
  }

  function download(html, name, parent) {
    const url = URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" }));
    const link = h("a", { href: url, download: name, hidden: true });
    parent.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000); // the download has long started by then
  }

  AW.panelParts.report = (ctx) => {
    if (!unreadable(ctx.entry)) return null;
    const button = h("button", { class: "aw-report aw-primary", type: "button", text: t("report_button") });
    const status = h("p", { class: "aw-report-status aw-hint", role: "status" });
    const part = AW.panelKit.section("report", t("h_report"), [
      h("p", { class: "aw-hint", text: t("report_hint") }),
      h("div", { class: "aw-row" }, [button]),
      status,
    ]);

    // An older helper without `report`: no button that can only fail. Unknown (not connected yet): keep it.
    AW.ask({ type: "capabilities" })
      .then((r) => {
        if (Array.isArray(r?.capabilities) && !r.capabilities.includes("report")) part.hidden = true;
      })
      .catch(() => {});

    button.addEventListener("click", async () => {
      button.disabled = true;
      status.className = "aw-report-status aw-hint";
      status.textContent = t("report_working");
      try {
        const reply = await AW.ask({ type: "report", url: location.href, html: pageHtml() });
        if (typeof reply?.html !== "string") throw Object.assign(new Error("no html in the reply"), { code: "internal" });
        const name = fileName();
        download(reply.html, name, ctx.root);
        status.textContent = t("report_saved", name);
        status.setAttribute("data-file", name);
      } catch (e) {
        status.className = "aw-report-status aw-hint aw-error";
        status.textContent = AW.askError(e);
      } finally {
        button.disabled = false;
      }
    });
    return part;
  };
})();
