"""Real-Firefox end-to-end, what only Firefox needs checking: Debian's firefox-esr (headless, WebDriver BiDi
over `websockets`, no geckodriver) + the built Firefox extension as a temporary add-on + the real `aliwatch
host`, registered with `aliwatch install --browser firefox` under a temporary HOME. The scenarios both
browsers share (badges, panel, detail and dispute pages, helper missing) are in test_both_browsers.py.

Run: python -m pytest -q tests/e2e/test_firefox.py -s
"""
from __future__ import annotations

import pytest

from .drivers import browser_missing, firefox_driver
from .e2e_helpers import LIST_URL, load_truth
from .firefox_bidi import ALIWATCH_HOSTS

if why := browser_missing("firefox"):
    pytest.skip(why, allow_module_level=True)

pytestmark = pytest.mark.e2e


def test_a_page_script_cannot_read_aliwatch(firefox_build, server, tmp_path) -> None:
    """The page's own scripts see AliWatch's hosts but no root (closed), so neither the draft nor a button;
    BiDi (like the content script) reaches inside, which is how the panel is read here at all."""
    orders = load_truth("list_en_mixed")["orders"]
    oid = next(o for o, t in orders.items() if "dont_confirm_yet" in t["warnings"])
    with firefox_driver(firefox_build, server, tmp_path) as driver:
        driver.goto(LIST_URL)
        driver.wait_badges(len(orders))
        panel = driver.open_panel(driver.badge_attr(oid, "data-aliwatch-for"))
        assert panel["draft"].strip() and oid in panel["draft"], panel["draft"]

        seen = driver.page_js(f"""(() => {{
            const hosts = {ALIWATCH_HOSTS};
            return {{hosts: hosts.map((h) => h.localName), open: hosts.filter((h) => h.shadowRoot !== null).length,
                     text: document.documentElement.innerText,
                     html: document.documentElement.getHTML({{serializableShadowRoots: true}})}};
        }})()""")
        secret = max(panel["draft"].splitlines(), key=len)
        assert "aliwatch-panel" in seen["hosts"] and seen["hosts"].count("aliwatch-badge") == len(orders), seen["hosts"]
        assert seen["open"] == 0, seen["open"]
        assert secret not in seen["text"] and secret not in seen["html"]
        driver.close_panel()
