// Asks the helper something on the user's behalf (draft, calc, report) through the background, which
// matches the reply by id and gives up after a timeout. Rejects with an Error whose `code` is the
// protocol's error code, or timeout / helper_unavailable / unreachable.
(() => {
  const AW = globalThis.AliWatch;

  function fail(code, message) {
    const e = new Error(message || code);
    e.code = code;
    return e;
  }

  AW.ask = async (message) => {
    let answer;
    try {
      answer = await AW.api.runtime.sendMessage(message);
    } catch (e) {
      throw fail("unreachable", String(e?.message ?? e));
    }
    if (!answer || typeof answer !== "object") throw fail("unreachable", "no answer from the background");
    if (!answer.ok) throw fail(String(answer.code ?? "internal"), String(answer.message ?? ""));
    return answer.reply;
  };

  /** What to show the user for a failed ask: our own words for our codes, the helper's for its own. */
  AW.askError = (e) => {
    const code = e?.code ?? "internal";
    if (code === "timeout" || code === "helper_unavailable" || code === "unreachable") return AW.t(`error_${code}`);
    return AW.t("error_generic", e?.message || code);
  };
})();
