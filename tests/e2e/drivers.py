"""One small driver interface over the two real browsers, so a scenario is written once and run on both:
Chromium through Playwright's Page (AliWatch's closed roots read in the content script's isolated world,
aliwatch.shadow_ui) and Firefox through the WebDriver BiDi client (closed roots as shadowOf(host),
firefox_bidi). Every read waits as long as the browsers' own assertions do; clicks are real mouse clicks."""
from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Protocol

from .e2e_helpers import CHROMIUM, aliwatch_ui, install_host, isolated_env, start_chromium
from .firefox_bidi import ESCAPE, FIREFOX, Firefox

BADGES = "aliwatch-badge[data-status]"  # a badge gets its data-status once the helper's reply is shown
WAIT_S = 45.0  # Firefox on 2 slow cores takes longer than Chromium to first badges

# What each badge host says (data-* in the page) and shows (inside its closed root); ROOT(h) is the root.
_BADGE_INFO = """[...document.querySelectorAll('aliwatch-badge')].map(h => ({
    key: h.getAttribute('data-aliwatch-for'), order_id: h.getAttribute('data-order-id'),
    status: h.getAttribute('data-status'), code: h.getAttribute('data-code'),
    severity: h.getAttribute('data-severity'), count: h.getAttribute('data-count'),
    title: h.getAttribute('title'),
    text: ROOT(h)?.querySelector('button.aw-badge .aw-title')?.textContent ?? null,
    more: ROOT(h)?.querySelector('button.aw-badge .aw-more')?.textContent ?? null,
    cls: ROOT(h)?.querySelector('button.aw-badge')?.className ?? null,
    card_text: document.querySelector(`[data-aliwatch-key="${h.getAttribute('data-aliwatch-for')}"]`)
        ?.textContent ?? null,
    in_card: Boolean(h.closest(`[data-aliwatch-key="${h.getAttribute('data-aliwatch-for')}"]`)),
}))"""

# The open panel, once its draft has arrived (null before): heading, warnings, deadlines, draft, focus.
_PANEL_INFO = """(() => {
    const host = document.querySelector('#aliwatch-panel'); const root = ROOT(host);
    if (!root || !root.querySelector('.aw-dialog')) return null;
    if (root.querySelector('p.aw-draft-status')?.textContent) return null;  // the draft is being asked for
    return {
        key: host.getAttribute('data-aliwatch-for'),
        heading: root.querySelector('h2')?.textContent ?? '',
        warnings: [...root.querySelectorAll('li.aw-warning')].map(e => ({code: e.dataset.code,
            severity: e.dataset.severity, title: e.querySelector('.aw-w-title')?.textContent ?? '',
            detail: e.querySelector('.aw-w-detail')?.textContent ?? ''})),
        deadlines: [...root.querySelectorAll('li.aw-deadline')].map(e => ({kind: e.dataset.kind,
            basis: e.dataset.basis, text: e.textContent})),
        draft: root.querySelector('textarea.aw-draft')?.value ?? '',
        focused: root.activeElement?.className ?? null,
    };
})()"""


def _in_root(host: str, inner: str) -> str:
    return f"ROOT(document.querySelector({json.dumps(host)}))?.querySelector({json.dumps(inner)})"


class BrowserDriver(Protocol):
    """What a shared scenario does with a browser running AliWatch and (unless told) the real host."""

    name: str
    missing_host_error: str  # the browser's own words when no native host is registered

    def goto(self, url: str) -> None: ...
    def wait_badges(self, n: int, timeout_s: float = WAIT_S) -> None:
        """Waits until exactly n badges carry the helper's reply."""
    def count(self, selector: str) -> int:
        """Elements matching selector in the page (hosts, not what is inside their roots)."""
    def wait_count(self, selector: str, n: int) -> None: ...
    def badges(self) -> list[dict]:
        """Every badge: key, order_id, status, code, severity, count, title, text, more, cls, card_text, in_card."""
    def badge_attr(self, order_id: str, name: str, value: str | None = None) -> str | None:
        """The attribute of the order's badge; with value, waits until it has that value first."""
    def open_panel(self, key: str) -> dict:
        """Clicks the card's badge; the panel once its draft arrived: key, heading, warnings, deadlines,
        draft, focused (class of the focused element inside). Leaves it open."""
    def close_panel(self) -> None: ...
    def press_escape(self) -> None: ...
    def copy_draft(self) -> str:
        """Clicks the panel's Copy button; returns the copy status once it says something."""
    def expect_focused(self, host: str, inner: str) -> None:
        """Waits until `inner` inside the closed root of `host` has the focus."""
    def notice(self) -> dict:
        """The helper-missing notice once shown: {message, error}."""
    def install_host(self) -> None:
        """Registers the real host with `aliwatch install` for this browser, while it runs."""
    def screenshot(self, path: Path) -> Path: ...


class ChromiumDriver:
    name = "chromium"
    missing_host_error = "native messaging host"

    def __init__(self, context, page, env: dict, user_data_dir: Path) -> None:
        from playwright.sync_api import expect

        self.context, self.page, self.env, self.user_data_dir = context, page, env, user_data_dir
        self.ui = aliwatch_ui(page)
        self._expect = expect

    def _eval(self, expression: str):
        return self.ui.evaluate(f"() => {{ const ROOT = (h) => h ? chrome.dom.openOrClosedShadowRoot(h) : null; "
                                f"return {expression}; }}")

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def wait_badges(self, n: int, timeout_s: float = WAIT_S) -> None:
        self._expect(self.page.locator(BADGES)).to_have_count(n, timeout=int(timeout_s * 1000))

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def wait_count(self, selector: str, n: int) -> None:
        self._expect(self.page.locator(selector)).to_have_count(n)

    def badges(self) -> list[dict]:
        return self._eval(_BADGE_INFO)

    def badge_attr(self, order_id: str, name: str, value: str | None = None) -> str | None:
        badge = self.page.locator(f'aliwatch-badge[data-order-id="{order_id}"]')
        if value is not None:
            self._expect(badge).to_have_attribute(name, value)
        return badge.get_attribute(name)

    def open_panel(self, key: str) -> dict:
        self.ui.locator(f'aliwatch-badge[data-aliwatch-for="{key}"] >>> button.aw-badge').click()
        panel = self.ui.wait(lambda: self._eval(_PANEL_INFO), f"the panel of {key}")
        assert panel["key"] == key, panel
        return panel

    def close_panel(self) -> None:
        self.ui.locator("#aliwatch-panel >>> button.aw-close").click()
        self.wait_count("aliwatch-panel", 0)

    def press_escape(self) -> None:
        self.page.keyboard.press("Escape")

    def copy_draft(self) -> str:
        self.ui.locator("#aliwatch-panel >>> button.aw-copy").click()
        status = self.ui.locator("#aliwatch-panel >>> span.aw-copy-status")
        status.expect_not_empty()
        return status.text_content()

    def expect_focused(self, host: str, inner: str) -> None:
        self.ui.locator(f"{host} >>> {inner}").expect_focused()

    def notice(self) -> dict:
        self.ui.locator("#aliwatch-notice >>> p.aw-message").expect_not_empty()
        return {"message": self._eval(f"{_in_root('#aliwatch-notice', 'p.aw-message')}?.textContent ?? ''"),
                "error": self._eval(f"{_in_root('#aliwatch-notice', 'p.aw-error')}?.textContent ?? ''")}

    def install_host(self) -> None:
        install_host(self.user_data_dir, self.env)

    def screenshot(self, path: Path) -> Path:
        self.page.screenshot(path=str(path), full_page=True)
        return path


def install_firefox_host(env: dict[str, str]) -> Path:
    """`aliwatch install --browser firefox` with the real CLI under the temporary HOME."""
    proc = subprocess.run([sys.executable, "-m", "aliwatch", "install", "--browser", "firefox"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"aliwatch install failed:\n{proc.stdout}\n{proc.stderr}"
    manifest = Path(env["HOME"]) / ".mozilla" / "native-messaging-hosts" / "org.aliwatch.helper.json"
    assert f"firefox: wrote {manifest}" in proc.stdout, proc.stdout
    launcher = Path(json.loads(manifest.read_text("utf-8"))["path"])
    assert Path(env["XDG_DATA_HOME"]) in launcher.parents, f"launcher outside the temp home: {launcher}"
    return manifest


class FirefoxDriver:
    """The async BiDi client behind a synchronous face: its event loop runs in a thread of its own, so it
    never meets the loop Playwright's sync API keeps in the test thread."""

    name = "firefox"
    missing_host_error = "No such native application org.aliwatch.helper"  # Firefox's own words

    def __init__(self, ff: Firefox, run) -> None:
        self.ff, self._run, self.env = ff, run, ff.env

    def _js(self, expression: str):
        return self._run(self.ff.js(f"(() => {{ const ROOT = shadowOf; return {expression}; }})()"))

    def _wait(self, expression: str, what: str, timeout_s: float = WAIT_S):
        return self._run(self.ff.wait_for(f"(() => {{ const ROOT = shadowOf; return {expression}; }})()",
                                          timeout_s, what))

    def _click(self, host: str, inner: str) -> None:
        self._run(self.ff.click(_in_root(host, inner).replace("ROOT(", "shadowOf(")))

    def goto(self, url: str) -> None:
        self._run(self.ff.goto(url))

    def wait_badges(self, n: int, timeout_s: float = WAIT_S) -> None:
        self._wait(f"document.querySelectorAll('{BADGES}').length === {n}", f"{n} badges", timeout_s)

    def count(self, selector: str) -> int:
        return self._js(f"document.querySelectorAll({json.dumps(selector)}).length")

    def wait_count(self, selector: str, n: int) -> None:
        self._wait(f"document.querySelectorAll({json.dumps(selector)}).length === {n}", f"{n} × {selector}")

    def badges(self) -> list[dict]:
        return self._js(_BADGE_INFO)

    def badge_attr(self, order_id: str, name: str, value: str | None = None) -> str | None:
        read = f"document.querySelector('aliwatch-badge[data-order-id=\"{order_id}\"]')?.getAttribute('{name}')"
        if value is not None:
            self._wait(f"({read}) === {json.dumps(value)}", f"{name}={value} on the badge of {order_id}")
        return self._js(f"{read} ?? null")

    def open_panel(self, key: str) -> dict:
        self._click(f'aliwatch-badge[data-aliwatch-for="{key}"]', "button.aw-badge")
        panel = self._wait(_PANEL_INFO, f"the panel of {key}")
        assert panel["key"] == key, panel
        return panel

    def close_panel(self) -> None:
        self._click("#aliwatch-panel", "button.aw-close")
        self.wait_count("aliwatch-panel", 0)

    def press_escape(self) -> None:
        self._run(self.ff.press(ESCAPE))

    def copy_draft(self) -> str:
        self._click("#aliwatch-panel", "button.aw-copy")
        return self._wait(f"{_in_root('#aliwatch-panel', 'span.aw-copy-status')}?.textContent", "the copy status")

    def expect_focused(self, host: str, inner: str) -> None:
        root = f"ROOT(document.querySelector({json.dumps(host)}))"
        self._wait(f"{root}?.activeElement != null && {root}.activeElement === {_in_root(host, inner)}",
                   f"the focus on {inner} in {host}")

    def notice(self) -> dict:
        message = self._wait(f"{_in_root('#aliwatch-notice', 'p.aw-message')}?.textContent", "the notice")
        return {"message": message, "error": self._js(f"{_in_root('#aliwatch-notice', 'p.aw-error')}?.textContent ?? ''")}

    def install_host(self) -> None:
        install_firefox_host(self.env)

    def screenshot(self, path: Path) -> Path:
        return self._run(self.ff.screenshot(path))

    def page_js(self, expression: str):
        """Evaluated as the page's own scripts would (no way into closed roots): Firefox-only checks."""
        return self._run(self.ff.page_js(expression))


def browser_missing(name: str) -> str | None:
    """Why `name` can't run here, or None."""
    binary = {"chromium": CHROMIUM, "firefox": FIREFOX}[name]
    return None if binary.is_file() else f"{binary} not found: install {name} to run its real-browser tests"


@contextlib.contextmanager
def chromium_driver(playwright, extension: Path, server, where: Path, with_host: bool = True):
    """Headless Chromium on a fresh profile under `where`, the session's build loaded, the real host
    registered through `aliwatch install --user-data-dir` unless with_host is False."""
    s = start_chromium(playwright, extension, server, where / "home", where / "profile", with_host)
    try:
        yield ChromiumDriver(s.context, s.page, s.env, s.user_data_dir)
    finally:
        s.context.close()


@contextlib.contextmanager
def firefox_driver(firefox_build: Path, server, where: Path, with_host: bool = True):
    """Headless Firefox on a fresh profile and temporary HOME, the Firefox build installed as a temporary
    add-on, the real host registered through `aliwatch install --browser firefox` unless with_host is False."""
    env = isolated_env(where / "home")
    if with_host:
        install_firefox_host(env)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="firefox-bidi", daemon=True)
    thread.start()

    def run(coro):
        return asyncio.run_coroutine_threadsafe(coro, loop).result()

    ff = Firefox(where / "profile", env, server.port)
    try:
        run(ff.__aenter__())
        try:
            assert run(ff.install_extension(firefox_build)) == "aliwatch@aliwatch.org"
            yield FirefoxDriver(ff, run)
        finally:
            run(ff.__aexit__(None, None, None))
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(15)
        loop.close()
