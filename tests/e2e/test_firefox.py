"""Real-Firefox end-to-end: Debian's firefox-esr (headless, WebDriver BiDi over `websockets`, no geckodriver)
+ the built Firefox extension as a temporary add-on + the real `aliwatch host`, registered with
`aliwatch install --browser firefox` under a temporary HOME, on the fixture pages served under the
AliExpress host names through the proxy prefs. The same badges and panel as the Chromium test.

Run: python -m pytest -q tests/e2e/test_firefox.py -s   ($ALIWATCH_E2E_SHOTS keeps the screenshots)
"""
from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from .e2e_helpers import DETAIL_URL, DISPUTE_URL, LIST_URL, isolated_env, load_truth
from .firefox_bidi import ALIWATCH_HOSTS, ESCAPE, FIREFOX, Firefox

if not FIREFOX.is_file():
    pytest.skip(f"{FIREFOX} not found: install Firefox ESR (apt-get install firefox-esr) to run the real-Firefox "
                "tests (or point ALIWATCH_FIREFOX at a Firefox binary)", allow_module_level=True)

pytestmark = pytest.mark.e2e
log = logging.getLogger("aliwatch.e2e")
WAIT_S = 45.0
BADGES = "aliwatch-badge[data-status]"  # a badge gets its data-status once the helper's reply is shown

BADGE_INFO = """[...document.querySelectorAll('aliwatch-badge')].map(h => ({
    key: h.getAttribute('data-aliwatch-for'), order_id: h.getAttribute('data-order-id'),
    status: h.getAttribute('data-status'), code: h.getAttribute('data-code'),
    severity: h.getAttribute('data-severity'), count: h.getAttribute('data-count'),
    title: h.getAttribute('title'),
    text: shadowOf(h)?.querySelector('button.aw-badge .aw-title')?.textContent ?? null,
    more: shadowOf(h)?.querySelector('button.aw-badge .aw-more')?.textContent ?? null,
    cls: shadowOf(h)?.querySelector('button.aw-badge')?.className ?? null,
    card_text: document.querySelector(`[data-aliwatch-key="${h.getAttribute('data-aliwatch-for')}"]`)
        ?.textContent ?? null,
    in_card: Boolean(h.closest(`[data-aliwatch-key="${h.getAttribute('data-aliwatch-for')}"]`)),
}))"""

PANEL = "document.querySelector('#aliwatch-panel')"
PANEL_INFO = f"""(() => {{
    const host = {PANEL}; const root = shadowOf(host);
    if (!root || !root.querySelector('.aw-dialog')) return null;
    if (root.querySelector('p.aw-draft-status')?.textContent) return null;  // the draft is being asked for
    return {{
        key: host.getAttribute('data-aliwatch-for'),
        heading: root.querySelector('h2')?.textContent ?? '',
        warnings: [...root.querySelectorAll('li.aw-warning')].map(e => ({{code: e.dataset.code,
            severity: e.dataset.severity, title: e.querySelector('.aw-w-title')?.textContent ?? '',
            detail: e.querySelector('.aw-w-detail')?.textContent ?? ''}})),
        deadlines: [...root.querySelectorAll('li.aw-deadline')].map(e => ({{kind: e.dataset.kind,
            basis: e.dataset.basis, text: e.textContent}})),
        draft: root.querySelector('textarea.aw-draft')?.value ?? '',
        focused: root.activeElement?.className ?? null,
    }};
}})()"""


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


@pytest.fixture
def firefox_build(extension: Path) -> Path:
    """The Firefox half of the session's build (build.py writes chrome/ and firefox/ side by side)."""
    path = extension.parent / "firefox"
    assert json.loads((path / "manifest.json").read_text("utf-8"))["browser_specific_settings"]["gecko"]["id"]
    return path


@pytest.fixture
def launch_firefox(firefox_build: Path, server, tmp_path: Path):
    """launch_firefox(with_host=True) -> a Firefox (not started yet) on a fresh profile and temporary HOME,
    with the real host registered through `aliwatch install --browser firefox` unless with_host is False."""
    started: list[tuple[Firefox, dict]] = []

    def _launch(with_host: bool = True) -> Firefox:
        n = len(started)
        env = isolated_env(tmp_path / f"home{n}")
        if with_host:
            install_firefox_host(env)
        ff = Firefox(tmp_path / f"profile{n}", env, server.port)
        started.append((ff, env))
        return ff

    yield _launch
    for ff, env in started:  # shown by pytest only when the test fails
        host_log = Path(env["ALIWATCH_LOG"])
        log.info("host log:\n%s", host_log.read_text("utf-8", "replace") if host_log.exists() else "(never started)")
        log.info("firefox stderr (last 40 lines):\n%s", "\n".join(ff.stderr[-40:]))
        log.info("server requests: %s", server.requests)


@contextlib.asynccontextmanager
async def running(ff: Firefox, build: Path):
    """Firefox started, the extension installed as a temporary add-on; closed on the way out."""
    async with ff:
        assert await ff.install_extension(build) == "aliwatch@aliwatch.org"
        yield ff


async def open_panel(ff: Firefox, key: str) -> dict:
    await ff.click(f"""shadowOf(document.querySelector('aliwatch-badge[data-aliwatch-for="{key}"]'))
                       .querySelector('button.aw-badge')""")
    panel = await ff.wait_for(PANEL_INFO, what=f"the panel of {key}")
    assert panel["key"] == key
    return panel


async def close_panel(ff: Firefox) -> None:
    await ff.click(f"shadowOf({PANEL}).querySelector('button.aw-close')")
    await ff.wait_for("document.querySelector('aliwatch-panel') === null", what="the panel to close")


async def test_list_page_badges_match_truth(launch_firefox, firefox_build, shots_dir) -> None:
    orders = load_truth("list_en_mixed")["orders"]
    async with running(launch_firefox(), firefox_build) as ff:
        await ff.goto(LIST_URL)
        await ff.wait_for(f"document.querySelectorAll('{BADGES}').length === {len(orders)}", WAIT_S,
                          f"{len(orders)} badges")
        assert await ff.js("document.querySelectorAll('aliwatch-notice').length") == 0

        shot = await ff.screenshot(shots_dir / "firefox-list_en_mixed-badges.png")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
        print(f"\n[e2e] Firefox screenshot of the badged list page: {shot}")

        badges = await ff.js(BADGE_INFO)
        assert sorted(b["order_id"] for b in badges) == sorted(orders), badges
        assert len({b["key"] for b in badges}) == len(orders)
        for b in badges:
            oid, expected = b["order_id"], orders[b["order_id"]]
            where = f"card {b['key']} (order {oid}): {b}"
            assert b["in_card"] and oid in b["card_text"], where  # the badge sits in the card it describes
            assert b["status"] == expected["status"], where
            panel = await open_panel(ff, b["key"])
            codes = [w["code"] for w in panel["warnings"]]
            assert set(expected["warnings"]) <= set(codes), (where, codes)
            assert not set(expected["absent_warnings"]) & set(codes), (where, codes)
            assert b["count"] == str(len(codes)), where
            if codes:  # the badge shows the most severe warning, its detail as tooltip, +N for the rest
                top = panel["warnings"][0]
                assert b["code"] == top["code"] and b["severity"] == top["severity"], where
                assert b["title"] == top["detail"] and b["text"] == top["title"], where
                assert b["more"] == (f"+{len(codes) - 1}" if len(codes) > 1 else None), where
                assert f"aw-sev-{top['severity']}" in b["cls"], where
                assert all(w["title"] and w["detail"] for w in panel["warnings"]), panel
            if not expected["warnings"]:
                assert (b["code"], b["severity"], b["text"]) == ("none", "none", "AliWatch: nothing to do now"), where
                assert "aw-sev-none" in b["cls"], where
            assert panel["deadlines"] == [], (where, panel["deadlines"])  # no card on the list states one
            await close_panel(ff)


async def test_panel_lists_warning_draft_copy_and_closes(launch_firefox, firefox_build) -> None:
    orders = load_truth("list_en_mixed")["orders"]
    oid = next(o for o, t in orders.items() if "dont_confirm_yet" in t["warnings"])
    async with running(launch_firefox(), firefox_build) as ff:
        await ff.goto(LIST_URL)
        badge = f'document.querySelector(\'aliwatch-badge[data-order-id="{oid}"]\')'
        key = await ff.wait_for(f"{badge}?.getAttribute('data-code') === 'dont_confirm_yet' && "
                                f"{badge}.getAttribute('data-aliwatch-for')", WAIT_S, "the dont_confirm_yet badge")
        assert await ff.js(f"{badge}.getAttribute('data-severity')") == "warning"
        panel = await open_panel(ff, key)
        assert f"Order {oid}" in panel["heading"]
        item = [w for w in panel["warnings"] if w["code"] == "dont_confirm_yet"]
        assert len(item) == 1 and item[0]["title"] and item[0]["detail"]
        assert await ff.js(f"{badge}.getAttribute('title')") == item[0]["detail"]
        assert panel["draft"].strip() and oid in panel["draft"], panel["draft"]
        assert panel["focused"] == "aw-close"

        # The page's own scripts see the hosts but no root (closed), so neither the draft nor a button.
        seen = await ff.page_js(f"""(() => {{
            const hosts = {ALIWATCH_HOSTS};
            return {{hosts: hosts.map((h) => h.localName), open: hosts.filter((h) => h.shadowRoot !== null).length,
                     text: document.documentElement.innerText,
                     html: document.documentElement.getHTML({{serializableShadowRoots: true}})}};
        }})()""")
        secret = max(panel["draft"].splitlines(), key=len)
        assert "aliwatch-panel" in seen["hosts"] and seen["hosts"].count("aliwatch-badge") == len(orders), seen["hosts"]
        assert seen["open"] == 0, seen["open"]
        assert secret not in seen["text"] and secret not in seen["html"]

        await ff.click(f"shadowOf({PANEL}).querySelector('button.aw-copy')")
        # http pages have no navigator.clipboard: the execCommand("copy") fallback runs; the status says
        # either "Copied" or how to finish by hand, never nothing.
        status = await ff.wait_for(f"shadowOf({PANEL}).querySelector('span.aw-copy-status').textContent",
                                   what="the copy status")
        assert status in ("Copied", "Selected: press Ctrl+C to copy"), status

        await close_panel(ff)
        assert await ff.js(f"shadowOf({badge}).activeElement?.className ?? null") == \
            await ff.js(f"shadowOf({badge}).querySelector('button.aw-badge').className")  # focus is back
        await open_panel(ff, key)
        await ff.press(ESCAPE)
        await ff.wait_for("document.querySelector('aliwatch-panel') === null", what="Escape to close the panel")


async def test_detail_page_protection_and_deadlines(launch_firefox, firefox_build) -> None:
    truth = load_truth("detail_en_awaiting_delivery")
    (oid, expected), = truth["orders"].items()
    async with running(launch_firefox(), firefox_build) as ff:
        await ff.goto(DETAIL_URL)
        await ff.wait_for(f"document.querySelectorAll('{BADGES}').length === 1", WAIT_S, "the badge")
        (b,) = await ff.js(BADGE_INFO)
        assert (b["order_id"], b["status"]) == (oid, expected["status"]), b
        panel = await open_panel(ff, b["key"])
        codes = {w["code"] for w in panel["warnings"]}
        assert "dont_confirm_yet" in codes, codes  # the helper counts from the real clock: date-proof checks only
        assert not {"seller_late_shipping", "payment_due"} & codes, codes
        if datetime.now(timezone.utc) > datetime(2026, 10, 31, tzinfo=timezone.utc):  # promised Oct 30 has passed
            assert "late_delivery_compensation" in codes, codes
        kinds = {d["kind"]: d for d in panel["deadlines"]}
        assert set(expected["deadlines"]) <= set(kinds), panel["deadlines"]
        assert kinds["protection_ends"]["basis"] == "stated" and "Buyer protection ends" in kinds["protection_ends"]["text"]
        assert kinds["delivery_promised"]["basis"] == "stated"
        assert oid in panel["draft"], panel["draft"]


async def test_dispute_page_seller_countdown(launch_firefox, firefox_build) -> None:
    truth = load_truth("dispute_en_awaiting_seller")
    (oid, expected), = truth["orders"].items()
    async with running(launch_firefox(), firefox_build) as ff:
        await ff.goto(DISPUTE_URL)
        await ff.wait_for(f"document.querySelectorAll('{BADGES}').length === 1", WAIT_S, "the badge")
        (b,) = await ff.js(BADGE_INFO)
        assert (b["order_id"], b["status"]) == (oid, expected["status"]), b
        panel = await open_panel(ff, b["key"])
        codes = {w["code"]: w for w in panel["warnings"]}
        assert set(expected["warnings"]) <= set(codes), codes
        assert not set(expected["absent_warnings"]) & set(codes), codes
        for code, severity in expected.get("severities", {}).items():
            assert codes[code]["severity"] == severity, codes
        assert [(d["kind"], d["basis"]) for d in panel["deadlines"]] == [("seller_response_due", "countdown")]


async def test_helper_missing_shows_notice_then_recovers(launch_firefox, firefox_build) -> None:
    async with running(launch_firefox(with_host=False), firefox_build) as ff:
        await ff.goto(LIST_URL)
        notice = "shadowOf(document.querySelector('#aliwatch-notice'))"
        message = await ff.wait_for(f"{notice}?.querySelector('p.aw-message')?.textContent", WAIT_S, "the notice")
        assert "aliwatch install" in message
        error = await ff.js(f"{notice}.querySelector('p.aw-error')?.textContent ?? ''")
        assert "No such native application org.aliwatch.helper" in error, error  # Firefox's own words
        assert await ff.js("document.querySelectorAll('aliwatch-badge').length") == 0

        # Installing the host while the page is open: the extension reconnects (backoff), drops the notice
        # and sends the cards again, without a reload.
        install_firefox_host(ff.env)
        orders = load_truth("list_en_mixed")["orders"]
        await ff.wait_for(f"document.querySelectorAll('{BADGES}').length === {len(orders)}", 2 * WAIT_S,
                          "the badges after installing the helper")
        assert await ff.js("document.querySelectorAll('aliwatch-notice').length") == 0
