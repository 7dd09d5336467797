"""Headless Firefox ESR driven over WebDriver BiDi with `websockets` (no geckodriver), for the real-Firefox
end-to-end test. Recipe: docs/notes/e2e-firefox.md.

Firefox gets a fresh profile whose user.js routes every http(s) request through the fixture server as a
proxy, so www.aliexpress.com and trade.aliexpress.com are served from the fixtures and nothing reaches the
network. The extension is installed as a temporary add-on (webExtension.install); native messaging finds
the host through $HOME/.mozilla/native-messaging-hosts, so HOME is the test's temporary home.

AliWatch's UI is in closed shadow roots. Firefox's BiDi has no content-script realm to evaluate in
(script.getRealms knows no "content-script" type, and a sandbox has no openOrClosedShadowRoot), but it
serialises closed roots when asked (includeShadowTree: "all"): js() and click() get them as shadowOf(host)."""
from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

FIREFOX = Path(os.environ.get("ALIWATCH_FIREFOX") or shutil.which("firefox-esr") or "/usr/bin/firefox-esr")
BANNER = re.compile(r"WebDriver BiDi listening on (ws://\S+)")
START_TIMEOUT_S = 60  # CI runs on 2 slow cores
COMMAND_TIMEOUT_S = 60


def prefs(proxy_port: int) -> dict:
    return {
        "remote.active-protocols": 1,  # BiDi only
        "browser.shell.checkDefaultBrowser": False,
        "browser.aboutwelcome.enabled": False,
        "browser.startup.page": 0,  # a blank first tab: no home page to load before the session starts
        "browser.startup.homepage_override.mstone": "ignore",
        "startup.homepage_welcome_url": "",
        "browser.newtabpage.enabled": False,
        "browser.newtabpage.activity-stream.feeds.system.topstories": False,
        "browser.topsites.contile.enabled": False,
        "browser.search.update": False,
        "media.gmp-manager.updateEnabled": False,
        "browser.ping-centre.telemetry": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "datareporting.healthreport.uploadEnabled": False,
        "toolkit.telemetry.enabled": False,
        "app.update.enabled": False,
        "app.update.auto": False,
        "app.normandy.enabled": False,
        "browser.safebrowsing.malware.enabled": False,
        "browser.safebrowsing.phishing.enabled": False,
        "extensions.update.enabled": False,
        "extensions.getAddons.cache.enabled": False,
        "extensions.autoDisableScopes": 0,
        "xpinstall.signatures.required": False,
        "network.captive-portal-service.enabled": False,
        "network.connectivity-service.enabled": False,
        "dom.security.https_first": False,
        "network.trr.mode": 5,  # no DNS over HTTPS
        # Everything goes to the fixture server, which answers absolute-URI requests like a proxy.
        "network.proxy.type": 1,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": proxy_port,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": proxy_port,
        "network.proxy.no_proxies_on": "",
    }


class BiDiError(Exception):
    pass


class Firefox:
    """One headless Firefox process and its BiDi session. Use as `async with Firefox(...) as ff:`."""

    def __init__(self, profile: Path, env: dict[str, str], proxy_port: int) -> None:
        self.profile = profile
        self.env = {**env, "MOZ_CRASHREPORTER_DISABLE": "1"}
        self.proxy_port = proxy_port
        self.stderr: list[str] = []
        self.proc: subprocess.Popen | None = None
        self.ws = None
        self.context = ""
        self._next = 0

    async def __aenter__(self) -> "Firefox":
        from websockets.asyncio.client import connect

        self.profile.mkdir(parents=True, exist_ok=True)
        (self.profile / "user.js").write_text(
            "".join(f'user_pref("{k}", {json.dumps(v)});\n' for k, v in prefs(self.proxy_port).items()))
        self.proc = subprocess.Popen(
            [str(FIREFOX), "--headless", "--no-remote", "--profile", str(self.profile), "--remote-debugging-port", "0"],
            env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            errors="replace")
        try:
            url = await asyncio.get_running_loop().run_in_executor(None, self._wait_for_banner)
            self.ws = await connect(url + "/session", max_size=None, open_timeout=COMMAND_TIMEOUT_S)
            await self.cmd("session.new", capabilities={"alwaysMatch": {"acceptInsecureCerts": True}})
            tree = await self.cmd("browsingContext.getTree")
            self.context = tree["contexts"][0]["context"]
            await self.cmd("browsingContext.setViewport", context=self.context,
                           viewport={"width": 1280, "height": 900})
        except BaseException:
            await self.__aexit__(None, None, None)  # never leave a Firefox behind
            raise
        return self

    def _wait_for_banner(self) -> str:
        assert self.proc and self.proc.stderr
        deadline = time.monotonic() + START_TIMEOUT_S
        found: list[str] = []

        def read() -> None:
            for line in self.proc.stderr:  # type: ignore[union-attr]
                self.stderr.append(line.rstrip())
                if not found and (m := BANNER.search(line)):
                    found.append(m.group(1))
            # keeps draining until Firefox exits, so its stderr pipe never fills up

        threading.Thread(target=read, name="firefox-stderr", daemon=True).start()
        while not found:
            if self.proc.poll() is not None:
                raise BiDiError(f"Firefox exited with {self.proc.returncode}:\n" + "\n".join(self.stderr[-30:]))
            if time.monotonic() > deadline:
                raise BiDiError("no WebDriver BiDi banner within "
                                f"{START_TIMEOUT_S} s:\n" + "\n".join(self.stderr[-30:]))
            time.sleep(0.05)
        return found[0]

    async def __aexit__(self, *exc) -> None:
        try:
            if self.ws is not None:
                try:
                    await asyncio.wait_for(self.cmd("browser.close"), 15)
                except Exception:
                    pass
                await self.ws.close()
        finally:
            if self.proc is not None:
                try:
                    self.proc.wait(15)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()

    async def cmd(self, method: str, **params) -> dict:
        self._next += 1
        n = self._next
        await self.ws.send(json.dumps({"id": n, "method": method, "params": params}))

        async def reply() -> dict:
            while True:
                msg = json.loads(await self.ws.recv())
                if msg.get("id") == n:  # events and other replies are skipped
                    return msg

        msg = await asyncio.wait_for(reply(), COMMAND_TIMEOUT_S)
        if msg.get("type") == "error":
            raise BiDiError(f"{method}: {msg.get('error')}: {msg.get('message')}")
        return msg["result"]

    # --- what the tests use ------------------------------------------------------------------------------

    async def install_extension(self, path: Path) -> str:
        result = await self.cmd("webExtension.install", extensionData={"type": "path", "path": str(path)})
        return result["extension"]

    async def goto(self, url: str) -> None:
        await self.cmd("browsingContext.navigate", context=self.context, url=url, wait="complete")

    async def _aliwatch_roots(self) -> list[dict]:
        """AliWatch's hosts and their closed shadow roots, as BiDi arguments: a page script can't reach these
        roots, but WebDriver BiDi serialises them when asked for every shadow tree (includeShadowTree: all)."""
        result = await self.cmd("script.evaluate", target={"context": self.context}, awaitPromise=False,
                                expression=ALIWATCH_HOSTS,
                                serializationOptions={"maxDomDepth": 0, "includeShadowTree": "all"})
        nodes = result["result"]["value"]
        hosts = [{"sharedId": n["sharedId"]} for n in nodes]
        roots = [{"sharedId": n["value"]["shadowRoot"]["sharedId"]} if n["value"].get("shadowRoot")
                 else {"type": "null"} for n in nodes]
        return [{"type": "array", "value": hosts}, {"type": "array", "value": roots}]

    async def _call(self, body: str, ownership: str = "none") -> dict:
        """Runs `body` as a function in the page, where shadowOf(host) is the closed root of AliWatch's host
        (null for any other element), as chrome.dom.openOrClosedShadowRoot is for the content script."""
        result = await self.cmd(
            "script.callFunction", target={"context": self.context}, awaitPromise=True, resultOwnership=ownership,
            functionDeclaration="async function (hosts, roots) { const shadowOf = (el) => "
                                f"(el && hosts.indexOf(el) >= 0 ? roots[hosts.indexOf(el)] : null); {body} }}",
            arguments=await self._aliwatch_roots())
        if result.get("type") == "exception":
            raise BiDiError(f"{body[:80]}…: {result['exceptionDetails'].get('text')}")
        return result["result"]

    async def js(self, expression: str):
        """The JSON value of an expression evaluated in the page (wrap objects in JSON.stringify-able form);
        shadowOf(host) opens AliWatch's closed roots (see _call)."""
        value = (await self._call(f"return JSON.stringify(await ({expression}));")).get("value")
        return None if value is None else json.loads(value)

    async def page_js(self, expression: str):
        """The JSON value of an expression evaluated as the page's own scripts would: nothing more."""
        result = await self.cmd("script.evaluate", target={"context": self.context}, awaitPromise=True,
                                expression=f"(async () => JSON.stringify(await ({expression})))()")
        if result.get("type") == "exception":
            raise BiDiError(f"{expression[:80]}…: {result['exceptionDetails'].get('text')}")
        value = result["result"].get("value")
        return None if value is None else json.loads(value)

    async def wait_for(self, expression: str, timeout: float = 30.0, what: str = ""):
        """Polls until the expression is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = await self.js(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:g} s waiting for {what or expression}; last: {value!r}")
            await asyncio.sleep(0.1)

    async def _node(self, expression: str) -> dict:
        node = await self._call(f"return ({expression});", ownership="root")
        if node.get("type") != "node":
            raise BiDiError(f"{expression} is not an element: {node}")
        return {"sharedId": node["sharedId"]}

    async def click(self, expression: str) -> None:
        """A real mouse click (pointer actions) on the element the expression returns, shadow DOM included;
        scrolled into view first, as a user (or Playwright) would."""
        await self.js(f"({expression}).scrollIntoView({{block: 'center', inline: 'center'}})")
        element = await self._node(expression)
        await self.cmd("input.performActions", context=self.context, actions=[{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "x": 0, "y": 0, "origin": {"type": "element", "element": element}},
                        {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]}])

    async def press(self, key: str) -> None:
        await self.cmd("input.performActions", context=self.context, actions=[{
            "type": "key", "id": "keyboard", "actions": [{"type": "keyDown", "value": key},
                                                          {"type": "keyUp", "value": key}]}])

    async def screenshot(self, path: Path) -> Path:
        data = await self.cmd("browsingContext.captureScreenshot", context=self.context, origin="document")
        path.write_bytes(base64.b64decode(data["data"]))
        return path


ESCAPE = "\ue00c"  # WebDriver's key code for Escape
# AliWatch's hosts, each with a closed root: every <aliwatch-*> element (badge, panel, guard, notice, …).
ALIWATCH_HOSTS = "[...document.querySelectorAll('*')].filter((e) => e.localName.startsWith('aliwatch-'))"
