"""Machinery for the real-browser tests: build the extension, register the real host, serve the fixture
pages under AliExpress host names, and the Chromium flags that make it all work headless and offline.

Recipe: docs/notes/e2e-chromium.md (Debian chromium through Playwright's executable_path, never
`playwright install`)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from aliwatch.commands.demo import SampleServer
from aliwatch.commands.demo import chromium_args as demo_chromium_args
from aliwatch.shadow_ui import AliWatchUI, UILocator, extension_id  # noqa: F401 (for the tests)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CHROMIUM = Path(os.environ.get("ALIWATCH_CHROMIUM", "/usr/lib/chromium/chromium"))
TIMEOUT_MS = 30_000  # generous: CI runs this on 2 slow cores

# Request path -> fixture case. The pages are served as-is, under the addresses their truth.json names.
ROUTES = {
    "/p/order/index.html": "list_en_mixed",
    "/p/order/detail.html": "detail_en_awaiting_delivery",
    "/issue/fastissue/Detail.htm": "dispute_en_awaiting_seller",
}
LIST_URL = "https://www.aliexpress.com/p/order/index.html"
DETAIL_URL = "https://www.aliexpress.com/p/order/detail.html?orderId=8213004417736925"
DISPUTE_URL = ("https://trade.aliexpress.com/issue/fastissue/Detail.htm"
               "?tradeOrderLineId=8212985170366602&reverseOrderLineId=5019843306127745&from=1")


NOT_IN_FIXTURES = b"<!doctype html><title>404</title><p>not in the fixtures"


def load_truth(case: str) -> dict:
    return json.loads((FIXTURES / case / "truth.json").read_text("utf-8"))


class FixtureServer(SampleServer):
    """The demo's sample server, answering ROUTES with the fixture pages as they are; the rest is a 404."""

    def __init__(self, routes: dict[str, str] = ROUTES) -> None:
        super().__init__({path: (FIXTURES / case / "page.html").read_bytes() for path, case in routes.items()},
                         missing=NOT_IN_FIXTURES)


def chromium_args(extension: Path, port: int) -> list[str]:
    """The demo's flags (AliExpress names to the fixture server, every other name fails at once, so nothing
    reaches the network) plus the recipe's --disable-gpu and --no-sandbox for CI."""
    args = demo_chromium_args(extension, port)
    return args + [flag for flag in ("--disable-gpu", "--no-sandbox") if flag not in args]


def build_extension(out: Path) -> Path:
    """`python build.py --out OUT`; returns OUT/chrome (the unpacked Chrome build)."""
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"build.py failed:\n{proc.stdout}\n{proc.stderr}"
    chrome = out / "chrome"
    assert (chrome / "manifest.json").is_file(), proc.stdout
    return chrome


def isolated_env(home: Path) -> dict[str, str]:
    """The environment for `aliwatch install` and for the browser (the host inherits it from the
    browser): HOME and the XDG dirs point into tmp, so the launcher and install record land there and
    nothing touches the real ~/.config or ~/.local."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
    dirs = {"HOME": home, "XDG_CONFIG_HOME": home / ".config", "XDG_DATA_HOME": home / ".local" / "share",
            "XDG_CACHE_HOME": home / ".cache"}
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["ALIWATCH_LOG"] = str(home / "aliwatch-host.log")
    env["ALIWATCH_LOGLEVEL"] = "INFO"
    return env


def install_host(user_data_dir: Path, env: dict[str, str]) -> Path:
    """Registers the real host with the real CLI; returns the manifest path it wrote."""
    cmd = [sys.executable, "-m", "aliwatch", "install", "--browser", "chromium",
           "--user-data-dir", str(user_data_dir)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"aliwatch install failed:\n{proc.stdout}\n{proc.stderr}"
    manifest = user_data_dir / "NativeMessagingHosts" / "org.aliwatch.helper.json"
    assert manifest.is_file(), proc.stdout
    launcher = Path(json.loads(manifest.read_text("utf-8"))["path"])
    assert Path(env["XDG_DATA_HOME"]) in launcher.parents, f"launcher outside the temp home: {launcher}"
    return manifest


def aliwatch_ui(page, timeout_ms: int = TIMEOUT_MS) -> AliWatchUI:
    """AliWatch's UI on `page` (closed shadow roots), for the extension built from this checkout."""
    return AliWatchUI(page, extension_id(ROOT / "extension" / "manifest.json"), timeout_ms)


@dataclass
class Session:
    context: object  # playwright BrowserContext
    page: object  # playwright Page
    env: dict
    home: Path
    user_data_dir: Path
    console: list[str] = field(default_factory=list)

    def host_log(self) -> str:
        path = Path(self.env["ALIWATCH_LOG"])
        return path.read_text("utf-8", "replace") if path.exists() else "(no host log: the host never started)"


def start_chromium(playwright, extension: Path, server, home: Path, udd: Path, with_host: bool = True,
                   unpacked: Path | None = None) -> Session:
    """Headless Chromium on the fresh profile `udd` with the session's build (or the extension folder
    `unpacked` as it is), the real host registered through `aliwatch install --user-data-dir` unless
    with_host is False."""
    udd.mkdir()
    env = isolated_env(home)
    if with_host:
        install_host(udd, env)
    context = playwright.chromium.launch_persistent_context(
        str(udd),
        executable_path=str(CHROMIUM),
        headless=True,
        args=chromium_args(unpacked or extension, server.port),
        ignore_default_args=["--disable-extensions"],
        env=env,
        viewport={"width": 1280, "height": 900},
        timeout=TIMEOUT_MS,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.pages[0] if context.pages else context.new_page()
    return watched(Session(context, page, env, home, udd))


def watched(session: Session) -> Session:
    page = session.page
    page.on("console", lambda m: session.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: session.console.append(f"pageerror: {e}"))
    return session
