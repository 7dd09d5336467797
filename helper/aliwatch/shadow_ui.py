"""AliWatch's UI in its closed shadow roots, read and driven from outside the browser (the demo's screenshots,
the real-browser tests, the benchmark).

The badge, panel, guard and notice live in closed shadow roots, so neither a page script nor Playwright's
selectors (which run in the page's main world) reach them. The content script's isolated world can:
`chrome.dom.openOrClosedShadowRoot(host)`. AliWatchUI evaluates there over the DevTools protocol
(Runtime.evaluate with the isolated context's id) and clicks with the real mouse at the element's place, as a
user does. Chromium only; needs a Playwright page (not imported here)."""
from __future__ import annotations

import base64
import hashlib
import json
import time
from pathlib import Path

TIMEOUT_MS = 30_000


class UIError(AssertionError):
    """AliWatch's UI is not as expected (in time); an AssertionError, so a test reports it as a failure."""


def extension_id(manifest: Path) -> str:
    """Chromium's id for the extension: the first 128 bits of the SHA-256 of its manifest's key, in a-p."""
    key = base64.b64decode(json.loads(manifest.read_text("utf-8"))["key"])
    return "".join(chr(ord("a") + int(c, 16)) for c in hashlib.sha256(key).hexdigest()[:32])


# The `ui` every evaluation gets, in the isolated world. Selectors read `host selector >>> selector inside
# its root` (>>> again for a root inside that root); a selector without >>> is a plain document query.
_UI_JS = r"""(() => {
  const open = (el) => chrome.dom.openOrClosedShadowRoot(el);
  function all(selector) {
    const parts = selector.split(">>>").map((s) => s.trim());
    let scopes = [document];
    for (let i = 0; ; i++) {
      const found = scopes.flatMap((scope) => [...scope.querySelectorAll(parts[i])]);
      if (i === parts.length - 1) return found;
      scopes = found.map(open).filter(Boolean);
    }
  }
  /** The element that has the focus, through every root (open or closed) on the way. */
  function focused() {
    let el = document.activeElement;
    while (el && open(el)?.activeElement) el = open(el).activeElement;
    return el;
  }
  /** The innermost element at (x, y), through closed roots too: what a click there reaches. */
  function at(x, y) {
    let el = document.elementFromPoint(x, y);
    while (el && open(el)) {
      const inner = open(el).elementFromPoint(x, y);
      if (!inner || inner === el) break;
      el = inner;
    }
    return el;
  }
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  return { all, focused, at, visible };
})()"""


class AliWatchUI:
    """Reads and drives AliWatch's UI in its closed shadow roots from the content script's isolated world
    (the only place that can open them), for one Playwright page in Chromium."""

    def __init__(self, page, ext_id: str, timeout_ms: int = TIMEOUT_MS) -> None:
        self.page = page
        self.origin = f"chrome-extension://{ext_id}"
        self.timeout_ms = timeout_ms
        self._contexts: dict[int, dict] = {}
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.on("Runtime.executionContextCreated",
                    lambda e: self._contexts.__setitem__(e["context"]["id"], e["context"]))
        self.cdp.on("Runtime.executionContextDestroyed", lambda e: self._contexts.pop(e["executionContextId"], None))
        self.cdp.on("Runtime.executionContextsCleared", lambda e: self._contexts.clear())
        self.cdp.send("Runtime.enable")

    def _context_id(self) -> int:
        """The newest isolated world of the extension in the page's main frame (a new one per document)."""
        deadline = time.monotonic() + self.timeout_ms / 1000
        while True:
            main = self.cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
            ids = [cid for cid, c in self._contexts.items()
                   if c.get("auxData", {}).get("type") == "isolated" and c.get("origin") == self.origin
                   and c.get("auxData", {}).get("frameId") == main]
            if ids:
                return max(ids)
            if time.monotonic() > deadline:
                raise UIError(f"no isolated world of {self.origin} in the page: {list(self._contexts.values())}")
            self.page.wait_for_timeout(50)  # lets Playwright deliver the CDP events

    def evaluate(self, function: str, arg=None):
        """Runs `(function)(ui, arg)` in the extension's isolated world (ui: _UI_JS); returns its JSON value."""
        expression = f"({function})({_UI_JS}, {json.dumps(arg)})"
        for attempt in range(3):
            cid = self._context_id()
            try:
                reply = self.cdp.send("Runtime.evaluate", {"expression": expression, "contextId": cid,
                                                           "returnByValue": True, "awaitPromise": True})
            except Exception as e:  # the document (and its world) went away between the lookup and the call
                if "context" not in str(e).lower() or attempt == 2:
                    raise
                self._contexts.pop(cid, None)
                continue
            if "exceptionDetails" in reply:
                details = reply["exceptionDetails"]
                said = details.get("exception", {}).get("description") or details
                raise UIError(f"in the isolated world: {said}")
            return reply["result"].get("value")
        raise UIError("unreachable")

    def locator(self, selector: str) -> "UILocator":
        return UILocator(self, selector)

    def wait(self, check, describe: str):
        """Polls check() (a value, truthy when done) until the timeout; returns its last value."""
        deadline = time.monotonic() + self.timeout_ms / 1000
        while True:
            last = check()
            if last:
                return last
            if time.monotonic() > deadline:
                raise UIError(f"timed out after {self.timeout_ms} ms: {describe}")
            self.page.wait_for_timeout(100)


def _squash(text) -> str:
    return " ".join(str(text).split())


class UILocator:
    """Elements of AliWatch's UI by `host >>> inner` selector (see _UI_JS), queried afresh on every call.
    Reading is by value; actions are real input (mouse, keyboard), except select_option, which sets the
    value and fires input and change as Playwright does."""

    def __init__(self, ui: AliWatchUI, selector: str, index: int | None = None) -> None:
        self.ui, self.selector, self.index = ui, selector, index

    def __repr__(self) -> str:
        return f"UILocator({self.selector!r}{'' if self.index is None else f', nth={self.index}'})"

    def locator(self, selector: str) -> "UILocator":
        assert self.index is None, "no descendants of an nth() locator"
        joint = " " if ">>>" in self.selector else " >>> "  # a host's descendants are in its root
        return UILocator(self.ui, f"{self.selector}{joint}{selector}")

    def nth(self, index: int) -> "UILocator":
        return UILocator(self.ui, self.selector, index)

    @property
    def first(self) -> "UILocator":
        return self.nth(0)

    def evaluate_all(self, function: str, arg=None):
        """`(function)(elements, arg)` in the isolated world."""
        return self.ui.evaluate(f"(ui, a) => ({function})(ui.all(a.s), a.arg)", {"s": self.selector, "arg": arg})

    def _one(self, function: str, arg=None):
        """`(function)(element, arg, ui)` on the one element (strict, like Playwright), waiting for it."""
        js = f"""(ui, a) => {{
            const els = ui.all(a.s);
            const el = a.i === null ? (els.length === 1 ? els[0] : null) : els[a.i];
            return el ? {{ok: true, v: ({function})(el, a.arg, ui)}} : {{ok: false, n: els.length}};
        }}"""
        args = {"s": self.selector, "i": self.index, "arg": arg}
        last = {}

        def check():
            last.update(self.ui.evaluate(js, args))
            return last["ok"]

        try:
            self.ui.wait(check, f"{self}: one element")
        except AssertionError as e:
            raise UIError(f"{e} ({last.get('n')} found)") from None
        return last.get("v")  # undefined comes back as no key

    # --- reading ---
    def count(self) -> int:
        return self.evaluate_all("els => els.length")

    def text_content(self) -> str:
        return self._one("el => el.textContent")

    def all_text_contents(self) -> list[str]:
        return self.evaluate_all("els => els.map((e) => e.textContent)")

    def input_value(self) -> str:
        return self._one("el => el.value")

    def get_attribute(self, name: str):
        return self._one("(el, n) => el.getAttribute(n)", name)

    def is_checked(self) -> bool:
        return self._one("el => el.checked")

    def is_disabled(self) -> bool:
        return self._one("el => el.disabled")

    def is_visible(self) -> bool:
        return self._one("(el, _, ui) => ui.visible(el)")

    def is_focused(self) -> bool:
        return self._one("(el, _, ui) => ui.focused() === el")

    # --- actions: the real mouse and keyboard ---
    def click(self) -> None:
        """Scrolls the element into view and clicks its centre with the mouse, once nothing covers it."""
        js = """(el, _, ui) => {
            el.scrollIntoView({block: "center", inline: "center"});
            const r = el.getBoundingClientRect();
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            const hit = ui.at(x, y);
            return {x, y, ok: ui.visible(el) && Boolean(hit) && (hit === el || el.contains(hit)),
                    hit: hit ? hit.outerHTML.slice(0, 120) : null};
        }"""
        spot = self.ui.wait(lambda: (r := self._one(js))["ok"] and r, f"{self}: visible and not covered")
        self.ui.page.mouse.click(spot["x"], spot["y"])

    def focus(self) -> None:
        self._one("el => el.focus()")
        self.ui.wait(self.is_focused, f"{self}: focused")

    def press(self, key: str) -> None:
        self.focus()
        self.ui.page.keyboard.press(key)

    def fill(self, text: str) -> None:
        """Focus, select all, then type the text as one insertion (as Playwright's fill), or delete."""
        self.focus()
        self.ui.page.keyboard.press("Control+A")
        self.ui.page.keyboard.press("Delete")
        if text:
            self.ui.page.keyboard.insert_text(text)
        self.ui.wait(lambda: self.input_value() == text, f"{self}: value {text!r}")

    def select_option(self, value: str) -> None:
        ok = self._one("""(el, v) => {
            if (![...el.options].some((o) => o.value === v)) return false;
            el.value = v;
            el.dispatchEvent(new Event("input", {bubbles: true}));
            el.dispatchEvent(new Event("change", {bubbles: true}));
            return true;
        }""", value)
        assert ok, f"{self}: no option {value!r}"

    def set_checked(self, checked: bool) -> None:
        if self.is_checked() != checked:
            self.click()
        self.ui.wait(lambda: self.is_checked() == checked, f"{self}: checked={checked}")

    def check(self) -> None:
        self.set_checked(True)

    def uncheck(self) -> None:
        self.set_checked(False)

    # --- waiting assertions (expect(...) for the closed roots) ---
    def _expect(self, read, ok, what: str) -> None:
        seen = []

        def check():
            seen[:] = [read()]
            return ok(seen[0])

        try:
            self.ui.wait(check, f"{self}: expected {what}")
        except AssertionError as e:
            raise UIError(f"{e}; last seen {seen[0]!r}" if seen else str(e)) from None

    def _peek(self, function: str, arg=None):
        """`(function)(element, arg, ui)` on the one element now, or None when there isn't exactly one."""
        r = self.ui.evaluate("""(ui, a) => {
            const els = ui.all(a.s);
            const el = a.i === null ? (els.length === 1 ? els[0] : null) : els[a.i];
            return el ? ({fn})(el, a.arg, ui) : null;
        }""".replace("{fn}", function), {"s": self.selector, "i": self.index, "arg": arg})
        return r

    def expect_count(self, n: int) -> None:
        self._expect(self.count, lambda v: v == n, f"{n} elements")

    def expect_text(self, text: str) -> None:
        self._expect(lambda: self._peek("el => el.textContent"),
                     lambda v: v is not None and _squash(v) == _squash(text), f"text {text!r}")

    def expect_contains(self, text: str) -> None:
        self._expect(lambda: self._peek("el => el.textContent"),
                     lambda v: v is not None and _squash(text) in _squash(v), f"text containing {text!r}")

    def expect_not_empty(self) -> None:
        self._expect(lambda: self._peek("el => el.textContent"), lambda v: bool(v and v.strip()), "some text")

    def expect_value(self, value: str) -> None:
        self._expect(lambda: self._peek("el => el.value"), lambda v: v == value, f"value {value!r}")

    def expect_filled(self) -> None:
        self._expect(lambda: self._peek("el => el.value"), lambda v: bool(v), "a value")

    def expect_attribute(self, name: str, value: str) -> None:
        self._expect(lambda: self._peek("(el, n) => el.getAttribute(n)", name), lambda v: v == value,
                     f"{name}={value!r}")

    def expect_visible(self) -> None:
        self._expect(lambda: self._peek("(el, _, ui) => ui.visible(el)"), lambda v: v is True, "visible")

    def expect_focused(self) -> None:
        self._expect(lambda: self._peek("(el, _, ui) => ui.focused() === el"), lambda v: v is True, "focused")

    def expect_checked(self, checked: bool = True) -> None:
        self._expect(lambda: self._peek("el => el.checked"), lambda v: v is checked, f"checked={checked}")

    def expect_disabled(self) -> None:
        self._expect(lambda: self._peek("el => el.disabled"), lambda v: v is True, "disabled")
