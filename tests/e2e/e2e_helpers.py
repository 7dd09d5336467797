"""Machinery for the real-browser tests: build the extension, register the real host, serve the fixture
pages under AliExpress host names, and the Chromium flags that make it all work headless and offline.

Recipe: /work/shared/design/e2e-recipe.md (Debian chromium through Playwright's executable_path, never
`playwright install`)."""
from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

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
LIST_URL = "http://www.aliexpress.com/p/order/index.html"
DETAIL_URL = "http://www.aliexpress.com/p/order/detail.html?orderId=8213004417736925"
DISPUTE_URL = ("http://trade.aliexpress.com/issue/fastissue/Detail.htm"
               "?tradeOrderLineId=8212985170366602&reverseOrderLineId=5019843306127745&from=1")


def load_truth(case: str) -> dict:
    return json.loads((FIXTURES / case / "truth.json").read_text("utf-8"))


class FixtureServer:
    """Plain-http server on 127.0.0.1 (ephemeral port) answering ROUTES; everything else is a 404."""

    def __init__(self, routes: dict[str, str] = ROUTES) -> None:
        self.requests: list[str] = []
        pages = {path: (FIXTURES / case / "page.html").read_bytes() for path, case in routes.items()}
        log = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                log.append(f"{self.headers.get('Host', '')}{self.path}")
                body = pages.get(urllib.parse.urlsplit(self.path).path)
                status = 200 if body is not None else 404
                body = body if body is not None else b"<!doctype html><title>404</title><p>not in the fixtures"
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="fixture-server", daemon=True)

    def __enter__(self) -> "FixtureServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def chromium_args(extension: Path, port: int) -> list[str]:
    """The recipe's flags. AliExpress names go to the fixture server; every other name fails at once, so
    the page's CDN images and scripts never reach the network (first matching rule wins)."""
    rules = f"MAP *.aliexpress.com 127.0.0.1:{port}, MAP aliexpress.com 127.0.0.1:{port}, MAP * ~NOTFOUND"
    return [
        f"--disable-extensions-except={extension}",
        f"--load-extension={extension}",
        f"--host-resolver-rules={rules}",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--disable-gpu",
        "--no-sandbox",
    ]


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
