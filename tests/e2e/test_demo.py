"""`aliwatch demo`: its date shifting and error paths (no browser), and one real headless run."""
from __future__ import annotations

import argparse
import json
import subprocess
import urllib.parse
import sys
from datetime import datetime, timedelta

import pytest

from aliwatch.commands import demo
from aliwatch.analysis import analyze_html
from .e2e_helpers import CHROMIUM, FIXTURES, ROOT, isolated_env, load_truth

DOCS_SHOTS = ROOT / "docs" / "screenshots"

CASES = {"order_list.html": "list_en_mixed", "order_detail.html": "detail_en_awaiting_delivery",
         "dispute.html": "dispute_en_awaiting_seller"}


def test_samples_are_the_fixture_pages() -> None:
    # The demo shows exactly what the tests check; refresh the copies when a fixture changes.
    for name, case in CASES.items():
        assert (demo.SAMPLES / name).read_bytes() == (FIXTURES / case / "page.html").read_bytes(), name
    assert set(demo.ROUTES.values()) == set(CASES)
    assert all(load_truth(case)["now"].startswith(demo.SAMPLES_CAPTURED.isoformat()) for case in CASES.values())


def test_shift_dates() -> None:
    text = 'Nov 25, 2026 · "Dec 1, 2026" · 2026-11-25 08:10:02 · Feb 31, 2026 · 2026-13-40 · 8213004417736925'
    assert demo.shift_dates(text, 0) == text
    assert demo.shift_dates(text, 37) == (
        'Jan 1, 2027 · "Jan 7, 2027" · 2027-01-01 08:10:02 · Feb 31, 2026 · 2026-13-40 · 8213004417736925')
    assert demo.shift_dates(demo.shift_dates(text, 400), -400) == text


@pytest.mark.parametrize("days", [0, 45, 400])
@pytest.mark.parametrize("name", sorted(CASES))
def test_shifted_samples_read_like_the_fixtures(name: str, days: int) -> None:
    """Shifted by N days and read N days later, a sample gives the fixture's warnings and deadlines + N."""
    truth = load_truth(CASES[name])
    now = datetime.fromisoformat(truth["now"])
    today = demo.SAMPLES_CAPTURED + timedelta(days=days)
    path = next(p for p, n in demo.ROUTES.items() if n == name)
    page = demo.sample_pages(today)[path].decode("utf-8")

    def read(html: str, at: datetime) -> dict:
        result = analyze_html(html, url=truth["url"], now=at, tz=truth["tz"], lang=truth["lang"])
        return {o["order_id"]: o for o in result["orders"]}

    before = read((demo.SAMPLES / name).read_text("utf-8"), now)
    after = read(page, now + timedelta(days=days))
    assert set(before) == set(after) == set(truth["orders"])
    for oid, o in before.items():
        a = after[oid]
        assert a["status"] == o["status"], oid
        assert [(w["code"], w["severity"]) for w in a["warnings"]] == [(w["code"], w["severity"]) for w in o["warnings"]]
        moved = [(d["kind"], datetime.fromisoformat(d["at"]) + timedelta(days=days)) for d in o["deadlines"]]
        assert [(d["kind"], datetime.fromisoformat(d["at"])) for d in a["deadlines"]] == moved, oid


def _args(**kw) -> argparse.Namespace:
    return argparse.Namespace(**{"headless": True, "screenshots": None, **kw})


def test_demo_without_chromium_exits_2(monkeypatch, capsys) -> None:
    monkeypatch.delenv("ALIWATCH_CHROMIUM", raising=False)
    monkeypatch.setattr(demo, "CHROMIUM_PATHS", ())
    monkeypatch.setattr(demo.shutil, "which", lambda name: None)
    assert demo.run(_args()) == 2
    assert "install chromium: apt-get install chromium" in capsys.readouterr().err


def test_demo_without_playwright_exits_2(monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    assert demo.run(_args()) == 2
    assert "pip install 'aliwatch[demo]'" in capsys.readouterr().err


def test_demo_without_display_exits_2(monkeypatch, capsys) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("DISPLAY matters on Linux only")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(demo, "find_chromium", lambda: CHROMIUM)
    assert demo.run(_args(headless=False)) == 2
    assert "--headless --screenshots" in capsys.readouterr().err


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} not found: apt-get install chromium")
def test_demo_headless_screenshot(tmp_path) -> None:
    out = tmp_path / "shots"
    env = isolated_env(tmp_path / "home")
    proc = subprocess.run([sys.executable, "-m", "aliwatch", "demo", "--headless", "--screenshots", str(out)],
                          env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    shots = [out / name for name in demo.SHOT_NAMES]
    assert proc.stdout.strip().splitlines() == [str(s) for s in shots]
    for shot in shots:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    orders = load_truth("list_en_mixed")["orders"]
    shown = [line for line in proc.stderr.splitlines() if line.startswith("aliwatch demo: order ")]
    assert len(shown) == len(orders), proc.stderr
    for oid, expected in orders.items():
        assert any(f"order {oid}: {expected['status']}:" in line for line in shown), (oid, shown)
    # The committed screenshots (docs/screenshots, shown in the README) still show what the demo renders
    # today: the same cards and badges, the same panel sections; sizes within a tenth (the dates shift
    # daily, so pixels may not match). Refresh them with: aliwatch demo --headless --screenshots docs/screenshots
    committed = json.loads((DOCS_SHOTS / demo.LAYOUT_NAME).read_text("utf-8"))
    rendered = json.loads((out / demo.LAYOUT_NAME).read_text("utf-8"))
    assert set(committed) == set(rendered) == set(demo.SHOT_NAMES)
    for name in demo.SHOT_NAMES:
        want, got = dict(committed[name]), dict(rendered[name])
        (w0, h0), (w1, h1) = want.pop("size"), got.pop("size")
        assert want == got, (name, want, got)
        assert demo.png_size(DOCS_SHOTS / name) == [w0, h0]
        assert w1 == w0 and abs(h1 - h0) <= h0 / 10, (name, (w0, h0), (w1, h1))
    cards = rendered["order-list.png"]["cards"]
    assert cards and all(c["badge"] for c in cards)  # a badge on every card
    detail = rendered["order-detail.png"]
    assert len(detail["warnings"]) >= 2 and detail["deadlines"] >= 2 and detail["drafts"] >= 1
    print(f"\n[e2e] demo screenshots: {out}")


def test_the_readme_shows_the_committed_screenshots() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in demo.SHOT_NAMES:
        assert f"](docs/screenshots/{name})" in readme
        assert (DOCS_SHOTS / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sample_assets_are_local() -> None:
    """Every stylesheet and picture the samples ask for is answered by the demo itself, none over https
    (the demo maps AliExpress's CDN names to its own loopback server, which speaks http)."""
    import re
    import urllib.request

    pages = demo.sample_pages()
    with demo.SampleServer(pages, assets=demo.demo_asset) as server:
        refs = []
        for html in pages.values():
            text = html.decode("utf-8")
            refs += re.findall(r'(?:<link [^>]*href="|<img [^>]*src="|url\(&quot;)([^"&]+)', text)
        assert len(refs) > 10 and not [r for r in refs if r.startswith("https://")]
        for ref in refs:
            path = re.sub(r"^(?:https?:)?//[^/]+", "", ref)
            path = path if path.startswith("/") else "/p/order/" + path.lstrip("./")
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{urllib.parse.quote(path)}") as r:
                assert r.status == 200, ref
                assert r.headers["Content-Type"].split(";")[0] in ("text/css", "image/svg+xml"), ref


def test_default_screenshots_go_to_the_users_cache_not_the_checkout(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert demo.default_shots_dir() == tmp_path / "cache" / "aliwatch" / "demo"
    assert not demo.default_shots_dir().is_relative_to(ROOT)


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} not found: apt-get install chromium")
def test_demo_says_when_it_cannot_write_the_screenshots(tmp_path) -> None:
    blocked = tmp_path / "taken"
    blocked.write_text("a file where the folder should be")
    proc = subprocess.run([sys.executable, "-m", "aliwatch", "demo", "--headless", "--screenshots", str(blocked)],
                          env=isolated_env(tmp_path / "home"), capture_output=True, text=True, timeout=180)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"cannot write the screenshots to {blocked}" in proc.stderr
