"""`aliwatch demo [--headless] [--screenshots DIR]`: the whole AliWatch chain on bundled sample pages.

It builds the extension from the checkout (build.py), creates a throw-away Chromium profile, registers this
helper as its native host (the same code as `aliwatch install`, but with the launcher and manifest in the
temporary directory, so nothing of yours is touched), serves the sample pages on 127.0.0.1 under the
AliExpress host names and opens Chromium on the sample order list.

The samples (aliwatch/samples/*.html) are copies of three test fixtures captured "on" SAMPLES_CAPTURED.
Their dates are shifted at serve time by (today - SAMPLES_CAPTURED), so the timers read relative to today
instead of all having run out. Countdowns ("3 days 23:10:02") are relative already and stay as they are.

With --screenshots DIR (or --headless, into ~/.cache/aliwatch/demo: outside the checkout) it saves two PNGs:
order-list.png (every card with its badge) and order-detail.png (the detail page with its panel open:
deadlines, warnings and the drafted message). docs/ holds committed copies; a test renders them again.

Needs Chromium (Debian: apt-get install chromium) and playwright (pip install 'aliwatch[demo]'); never
`playwright install`: the demo drives the system Chromium. Logs go to stderr; the screenshots' paths are
printed on stdout."""
from __future__ import annotations

import argparse
import http.server
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

import aliwatch

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLES_CAPTURED = date(2026, 11, 26)  # the fixtures' "now": every date in the samples is relative to it
CHROMIUM_PATHS = ("/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser")
CHROMIUM_NAMES = ("chromium", "chromium-browser")
TIMEOUT_MS = 30_000

# Request path -> sample file; the addresses the real pages have (the content script matches on them).
ROUTES = {
    "/p/order/index.html": "order_list.html",
    "/p/order/detail.html": "order_detail.html",
    "/issue/fastissue/Detail.htm": "dispute.html",
}
LIST_URL = "https://www.aliexpress.com/p/order/index.html"
DETAIL_URL = "https://www.aliexpress.com/p/order/detail.html?orderId=8213004417736925"
DISPUTE_URL = ("https://trade.aliexpress.com/issue/fastissue/Detail.htm"
               "?tradeOrderLineId=8212985170366602&reverseOrderLineId=5019843306127745&from=1")

EXIT_OK, EXIT_FAILED, EXIT_MISSING = 0, 1, 2


class DemoError(Exception):
    """A problem the user must fix; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def log(message: str) -> None:
    print(f"aliwatch demo: {message}", file=sys.stderr, flush=True)


# --- sample pages --------------------------------------------------------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EN_DATE = re.compile(r"\b(%s) (\d{1,2}), (\d{4})\b" % "|".join(_MONTHS))  # "Dec 1, 2026"
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")  # "2026-11-25" (also in "2026-11-25 08:10:02")


def shift_dates(text: str, days: int) -> str:
    """Moves every "Mon D, YYYY" and "YYYY-MM-DD" date in the page by `days` days, keeping its format."""
    if not days:
        return text
    delta = timedelta(days=days)

    def english(m: re.Match) -> str:
        try:
            d = date(int(m[3]), _MONTHS.index(m[1]) + 1, int(m[2])) + delta
        except ValueError:  # not a real date ("Feb 31, 2026"): leave it alone
            return m[0]
        return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"

    def iso(m: re.Match) -> str:
        try:
            d = date(int(m[1]), int(m[2]), int(m[3])) + delta
        except ValueError:
            return m[0]
        return d.isoformat()

    return _ISO_DATE.sub(iso, _EN_DATE.sub(english, text))


# The samples' pictures and stylesheets live on AliExpress's CDNs over https; the demo server speaks plain
# http on loopback, so those addresses are served as http (and drawn locally: demo_asset).
_CDN = re.compile(r"https://([\w.-]+\.(?:alicdn\.com|aliexpress-media\.com))/")


def sample_pages(today: date | None = None) -> dict[str, bytes]:
    """Request path -> page bytes, dates shifted so the samples were captured `today`, CDN addresses local."""
    days = ((today or date.today()) - SAMPLES_CAPTURED).days
    return {path: _CDN.sub(r"http://\1/", shift_dates((SAMPLES / name).read_text("utf-8"), days)).encode("utf-8")
            for path, name in ROUTES.items()}


_NOT_IN_DEMO = (
    "<!doctype html><meta charset=utf-8><title>AliWatch demo</title>"
    "<p>This page is not part of the AliWatch demo (it runs offline on three sample pages).</p>"
    f'<p><a href="{LIST_URL}">Sample order list</a> · <a href="{DETAIL_URL}">Sample order detail</a> · '
    f'<a href="{DISPUTE_URL}">Sample dispute</a></p>'
).encode("utf-8")


class _SniffingServer(http.server.ThreadingHTTPServer):
    """Speaks TLS to a client that opens with a TLS handshake and plain HTTP to one that does not (a proxy
    client's request, a CONNECT), all on one port."""

    daemon_threads = True
    tls: ssl.SSLContext | None = None

    def finish_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if self.tls is not None:
            try:
                request.settimeout(30)
                if request.recv(1, socket.MSG_PEEK) == b"\x16":  # a TLS ClientHello
                    request = self.tls.wrap_socket(request, server_side=True)
            except (OSError, ssl.SSLError):
                return
        super().finish_request(request, client_address)


# --- the look of the samples: local stand-ins for AliExpress's stylesheets and images ---------------------

ASSETS = SAMPLES / "assets"
_IMAGE = re.compile(r"\.(?:png|jpe?g|webp|gif|ico|avif)(?:_\w+\.\w+)?$", re.IGNORECASE)
# Product pictures: soft colours, one per picture (chosen by its address, so a reload shows the same).
_TINTS = ("#ffd8cc", "#d6e9ff", "#dff5e3", "#fff1c7", "#eadcff", "#ffdce9", "#d9f2f5", "#f0e6d8")

_LOGO_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="92" viewBox="0 0 400 92">'
             '<text x="0" y="68" font-family="Arial, sans-serif" font-size="64" font-weight="700" fill="#fd384f" '
             'letter-spacing="-2">AliExpress</text></svg>')
_STORE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="272" height="80" viewBox="0 0 272 80">'
              '<rect width="272" height="80" rx="16" fill="#fd384f"/><text x="136" y="56" text-anchor="middle" '
              'font-family="Arial, sans-serif" font-size="44" font-weight="700" fill="#fff">Store</text></svg>')
_ICON_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="54" height="54" viewBox="0 0 54 54">'
             '<circle cx="27" cy="27" r="25" fill="#e8f7f1"/><path d="M16 28l8 8 15-17" stroke="#00a862" '
             'stroke-width="5" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>')


def _product_svg(path: str) -> str:
    tint = _TINTS[sum(path.encode()) % len(_TINTS)]
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="220" height="220" viewBox="0 0 220 220">'
            f'<rect width="220" height="220" fill="{tint}"/>'
            '<rect x="55" y="70" width="110" height="95" rx="14" fill="#fff" opacity=".85"/>'
            '<path d="M80 70a30 30 0 0 1 60 0" stroke="#fff" stroke-width="10" fill="none" opacity=".85"/>'
            '<circle cx="110" cy="118" r="16" fill="' + tint + '"/></svg>')


def demo_asset(host: str, path: str) -> tuple[bytes, str] | None:
    """(body, content type) for a stylesheet or image request of the sample pages, else None. Every .css
    they link is the demo's stylesheet; every picture a local drawing (logo, store tag, icon or product)."""
    if path.endswith(".css"):
        return (ASSETS / "aliexpress.css").read_bytes(), "text/css; charset=utf-8"
    if not _IMAGE.search(path):
        return None
    if "400x92" in path:
        svg = _LOGO_SVG
    elif "272x80" in path:
        svg = _STORE_SVG
    elif "54x54" in path:
        svg = _ICON_SVG
    else:
        svg = _product_svg(path)
    return svg.encode("utf-8"), "image/svg+xml"


class SampleServer:
    """https (and plain http, for a proxy client) on 127.0.0.1 (a free port): `pages` by request path, "/"
    redirects to the list, then `assets(host, path)` when given (the demo's stylesheet and pictures), the rest
    404 with `missing`. `requests` records "host/path" of each request (the e2e tests log it). The content
    script runs on https pages only, so the pages are served over TLS with a throwaway certificate
    (demo_tls.py); CONNECT is answered too, for a browser that reaches the names through this server as its
    proxy (the Firefox tests)."""

    def __init__(self, pages: dict[str, bytes], missing: bytes = _NOT_IN_DEMO, assets=None) -> None:
        self.requests: list[str] = []
        seen = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                seen.append(f"{self.headers.get('Host', '')}{self.path}")
                path = urllib.parse.urlsplit(self.path).path
                if path in ("", "/"):
                    self.send_response(302)
                    self.send_header("Location", LIST_URL)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body, kind = pages.get(path), "text/html; charset=utf-8"
                if body is None and assets is not None:
                    body, kind = assets(self.headers.get("Host", ""), urllib.parse.unquote(path)) or (None, kind)
                self.send_response(200 if body is not None else 404)
                body = body if body is not None else missing
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def do_CONNECT(self) -> None:  # noqa: N802: a proxy client's tunnel; TLS is spoken inside it
                self.send_response(200, "Connection established")
                self.end_headers()
                self.wfile.flush()
                self.close_connection = True
                self.server.finish_request(self.connection, self.client_address)

            def log_message(self, *args) -> None:
                pass

        from aliwatch.commands.demo_tls import make_certificate

        cert, key = make_certificate()
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        self.httpd = _SniffingServer(("127.0.0.1", 0), Handler)
        self.httpd.tls = tls
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="aliwatch-demo-server", daemon=True)

    def __enter__(self) -> "SampleServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --- browser, extension, host ----------------------------------------------------------------------------

def find_chromium() -> Path:
    candidates = [os.environ.get("ALIWATCH_CHROMIUM", "")] + list(CHROMIUM_PATHS)
    candidates += [shutil.which(n) or "" for n in CHROMIUM_NAMES]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return Path(c)
    raise DemoError("Chromium not found; install chromium: apt-get install chromium "
                    "(or set ALIWATCH_CHROMIUM to a Chromium binary)", EXIT_MISSING)


def load_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise DemoError("playwright is not installed; pip install 'aliwatch[demo]' (or pip install playwright). "
                        "Do not run `playwright install`: the demo uses the system Chromium", EXIT_MISSING) from None
    return sync_playwright


def checkout_root() -> Path:
    return Path(aliwatch.__file__).resolve().parents[2]


def prepare_extension(out: Path) -> Path:
    """The unpacked Chrome build: built fresh from the checkout's build.py into `out` (so it is never
    stale), else the checkout's dist/chrome, else the build packaged in the wheel."""
    root = checkout_root()
    build = root / "build.py"
    if build.is_file():
        log(f"building the extension: {build} --out {out}")
        proc = subprocess.run([sys.executable, str(build), "--out", str(out)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise DemoError(f"build.py failed:\n{proc.stderr.strip() or proc.stdout.strip()}")
        return out / "chrome"
    dist = root / "dist" / "chrome"
    if (dist / "manifest.json").is_file():
        log(f"using the built extension in {dist}")
        return dist
    # An installed wheel carries the build (aliwatch/extension_dist); copied, so the browser gets a private dir.
    from aliwatch.install.extension import packaged

    built = packaged()
    if built and built.chrome_dir:
        log(f"using the extension packaged with the helper: {built.chrome_dir}")
        shutil.copytree(built.chrome_dir, out / "chrome")
        return out / "chrome"
    raise DemoError("the built extension was not found (no build.py next to the aliwatch package, no packaged "
                    "build): reinstall AliWatch (pip install --force-reinstall 'aliwatch[demo]')", EXIT_MISSING)


def register_host(directory: Path, user_data_dir: Path) -> Path:
    """`aliwatch install --browser chromium --user-data-dir UDD`, except that the launcher also goes into
    the temporary directory and no install record is written: the demo leaves nothing behind."""
    import json

    from aliwatch.install import MANIFEST_NAME, InstallError, check_manifest, manifest_for, write_launcher

    try:
        launcher = write_launcher(directory)
        manifest = user_data_dir / "NativeMessagingHosts" / MANIFEST_NAME
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps(manifest_for("chromium", launcher), indent=2) + "\n", encoding="utf-8")
        check_manifest(manifest, "chrome")
    except InstallError as e:
        raise DemoError(f"cannot register the helper: {e}") from None
    log(f"helper registered for the demo profile: {manifest} -> {launcher}")
    return manifest


def chromium_args(extension: Path, port: int) -> list[str]:
    # AliExpress names and its CDNs go to the sample server (which draws the pictures and serves the
    # stylesheet locally); every other name fails at once, so the demo never reaches the network. The first
    # matching rule wins.
    local = ("*.aliexpress.com", "aliexpress.com", "*.alicdn.com", "*.aliexpress-media.com")
    rules = ", ".join([f"MAP {name} 127.0.0.1:{port}" for name in local] + ["MAP * ~NOTFOUND"])
    return [
        f"--disable-extensions-except={extension}",
        f"--load-extension={extension}",
        f"--host-resolver-rules={rules}",
        "--ignore-certificate-errors",  # the sample server's throwaway certificate (every other name fails)
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
    ] + (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])


# --- the run ---------------------------------------------------------------------------------------------

_BADGES_OR_NOTICE = """n => document.querySelectorAll('aliwatch-badge[data-status]').length >= n
                            || document.querySelector('aliwatch-notice') !== null"""


def ui_of(page, ext_id: str):
    """AliWatch's UI on the page: its shadow roots are closed, so it is read from the extension's world."""
    from aliwatch.shadow_ui import AliWatchUI

    return AliWatchUI(page, ext_id, TIMEOUT_MS)


def wait_for_badges(page, ext_id: str) -> list[dict]:
    """Waits until every order card of the page has its badge; returns what the badges say."""
    cards = page.locator("div.order-item").count() or 1  # detail and dispute pages: one badge
    try:
        page.wait_for_function(_BADGES_OR_NOTICE, arg=cards, timeout=TIMEOUT_MS)
    except Exception as e:  # playwright's TimeoutError
        shown = page.locator("aliwatch-badge[data-status]").count()
        raise DemoError(f"only {shown} of {cards} badges appeared within {TIMEOUT_MS // 1000} s ({e})") from None
    notice = page.locator("#aliwatch-notice")
    if notice.count():
        said = notice.get_attribute("data-error") or ""
        raise DemoError(f"the extension could not reach the helper: {said}")
    return ui_of(page, ext_id).locator("aliwatch-badge").evaluate_all(
        """hosts => hosts.map(h => ({order_id: h.dataset.orderId, status: h.dataset.status,
              severity: h.dataset.severity, code: h.dataset.code,
              text: chrome.dom.openOrClosedShadowRoot(h).querySelector('.aw-title')?.textContent ?? ''}))""")


def _open_a_panel(page, ext_id: str) -> None:
    """Click the first badge that has advice, so the screenshot shows the panel too."""
    ui = ui_of(page, ext_id)
    badge = ui.locator("aliwatch-badge:not([data-code=none]) >>> button.aw-badge").first
    if badge.count():
        badge.click()
        ui.locator("#aliwatch-panel >>> textarea.aw-draft").first.expect_visible()


SHOT_NAMES = ("order-list.png", "order-detail.png")
LAYOUT_NAME = "screenshots.json"  # what each screenshot shows (docs/ keeps the committed one; a test compares)
SHOT_VIEWPORT = {"width": 1280, "height": 900}
MAX_SHOT_HEIGHT = 2400


def default_shots_dir() -> Path:
    """The user's own cache dir (~/.cache/aliwatch/demo on Linux): outside the checkout, and not a shared
    /tmp folder another user may already own."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("aliwatch", appauthor=False)) / "demo"


def take_screenshots(context, page, out: Path, ext_id: str) -> list[Path]:
    """order-list.png: the list with a badge on every card (panel closed); order-detail.png: the detail
    page with the panel of its badge open."""
    out.mkdir(parents=True, exist_ok=True)
    shots = [out / name for name in SHOT_NAMES]
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots[0]), full_page=True)  # all the cards, each with its badge
    detail = context.new_page()
    detail.set_viewport_size(SHOT_VIEWPORT)
    detail.goto(DETAIL_URL)
    wait_for_badges(detail, ext_id)
    _open_a_panel(detail, ext_id)
    # Tall enough for the panel down to the first drafted message (warnings, deadlines, draft).
    bottom = ui_of(detail, ext_id).locator("#aliwatch-panel >>> textarea.aw-draft").evaluate_all(
        "els => els.length ? els[0].getBoundingClientRect().bottom : null")
    if bottom is not None:
        height = min(MAX_SHOT_HEIGHT, int(bottom) + 32)
        detail.set_viewport_size({"width": SHOT_VIEWPORT["width"], "height": max(SHOT_VIEWPORT["height"], height)})
    detail.screenshot(path=str(shots[1]))
    layout = {"order-list.png": list_layout(page), "order-detail.png": detail_layout(detail, ext_id)}
    detail.close()
    for shot in shots:
        layout[shot.name]["size"] = png_size(shot)
    (out / LAYOUT_NAME).write_text(json.dumps(layout, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return shots


def png_size(path: Path) -> list[int]:
    """[width, height] from the PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise DemoError(f"{path} is not a PNG")
    return [int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")]


def list_layout(page) -> dict:
    """What the list screenshot shows, without pixels: per card, its status and its badge's severity."""
    return {"cards": page.locator("div.order-item").evaluate_all(
        """cards => cards.map(c => {
             const b = c.querySelector('aliwatch-badge');
             return {badge: b ? b.dataset.severity : null, status: b ? b.dataset.status : null};
           })""")}


def detail_layout(page, ext_id: str) -> dict:
    """What the detail screenshot shows: the panel's sections, warnings, deadlines and drafts."""
    panel = ui_of(page, ext_id).locator("#aliwatch-panel")
    return {
        "warnings": panel.locator("li.aw-warning").evaluate_all("ws => ws.map(w => w.dataset.code)"),
        "deadlines": panel.locator("li.aw-deadline").count(),
        "drafts": panel.locator("textarea.aw-draft").count(),
    }


def _has_display() -> bool:
    return not sys.platform.startswith("linux") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(args: argparse.Namespace) -> int:
    from aliwatch.shadow_ui import UIError

    headless = bool(getattr(args, "headless", False))
    shots = getattr(args, "screenshots", None)
    screenshot = Path(shots).expanduser().resolve() if shots else default_shots_dir() if headless else None
    try:
        sync_playwright = load_playwright()
        chromium = find_chromium()
        if not headless and not _has_display():
            raise DemoError("no display (DISPLAY/WAYLAND_DISPLAY unset); run `aliwatch demo --headless "
                            "--screenshots DIR` instead", EXIT_MISSING)
        with tempfile.TemporaryDirectory(prefix="aliwatch-demo-") as tmp:
            return _run(sync_playwright, chromium, Path(tmp), headless, screenshot)
    except DemoError as e:
        log(f"error: {e}")
        return e.code
    except UIError as e:  # a badge or the panel did not show as expected
        log(f"error: {e}")
        return EXIT_FAILED
    except KeyboardInterrupt:
        log("interrupted")
        return EXIT_OK


def _run(sync_playwright, chromium: Path, tmp: Path, headless: bool, screenshot: Path | None) -> int:
    from aliwatch.shadow_ui import extension_id

    extension = prepare_extension(tmp / "build")
    profile = tmp / "profile"
    profile.mkdir()
    register_host(tmp, profile)
    shift = (date.today() - SAMPLES_CAPTURED).days
    with SampleServer(sample_pages(), assets=demo_asset) as server, sync_playwright() as p:
        log(f"sample pages on 127.0.0.1:{server.port} (dates shifted by {shift:+d} days to read relative to today)")
        log(f"starting {chromium}{' (headless)' if headless else ''}")
        options = {"viewport": {"width": 1280, "height": 900}} if headless else {"no_viewport": True}
        # The host inherits the browser's environment: keep the sample orders out of the user's own store
        # (and any other AliWatch user data) by pointing both at the temporary directory.
        env = {**os.environ, "ALIWATCH_DB": str(tmp / "aliwatch.db"), "XDG_DATA_HOME": str(tmp / "data")}
        try:
            context = p.chromium.launch_persistent_context(
                str(profile), executable_path=str(chromium), headless=headless, env=env,
                args=chromium_args(extension, server.port), ignore_default_args=["--disable-extensions"],
                timeout=TIMEOUT_MS, **options)
        except Exception as e:
            raise DemoError(f"Chromium did not start: {e}") from None
        try:
            return _show(context, headless, screenshot, extension_id(extension / "manifest.json"))
        finally:
            try:
                context.close()
            except Exception:  # already gone (the user closed it, or Ctrl+C reached the browser too)
                pass


def _show(context, headless: bool, screenshot: Path | None, ext_id: str) -> int:
    context.set_default_timeout(TIMEOUT_MS)
    if not headless:
        # The detail and dispute samples in tabs of their own, the order list in front.
        for url in (DETAIL_URL, DISPUTE_URL):
            context.new_page().goto(url)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(LIST_URL)
    page.bring_to_front()
    badges = wait_for_badges(page, ext_id)
    for b in badges:
        log(f"order {b['order_id']}: {b['status']}: {b['text']} [{b['severity']}]")
    if screenshot:
        try:
            shots = take_screenshots(context, page, screenshot, ext_id)
        except OSError as e:
            raise DemoError(f"cannot write the screenshots to {screenshot}: {e.strerror or e}") from None
        for shot in shots:
            print(shot, flush=True)
    if headless:
        return EXIT_OK
    log("the browser stays open: click a badge for the details and the draft message; other tabs hold a "
        "sample order detail and a dispute. Close the browser window (or press Ctrl+C) to finish.")
    context.wait_for_event("close", timeout=0)
    log("the browser was closed; the demo profile is removed")
    return EXIT_OK
