"""Fixtures for the real-browser tests: one extension build and one fixture server per session, and a
fresh Chromium profile (with or without the real host registered) per test."""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .e2e_helpers import CHROMIUM, TIMEOUT_MS, FixtureServer, build_extension, chromium_args, install_host, \
    isolated_env

log = logging.getLogger("aliwatch.e2e")


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


@pytest.fixture(scope="session")
def extension(tmp_path_factory) -> Path:
    return build_extension(tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="session")
def firefox_build(extension: Path) -> Path:
    """The Firefox half of the session's build (build.py writes chrome/ and firefox/ side by side)."""
    path = extension.parent / "firefox"
    assert json.loads((path / "manifest.json").read_text("utf-8"))["browser_specific_settings"]["gecko"]["id"]
    return path


@pytest.fixture(scope="session")
def server():
    with FixtureServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def playwright():
    # Module scope, not session: the sync API keeps an event loop running in this thread while it is
    # open, which would break later asyncio tests (pytest-asyncio's Runner) in the same session.
    # Not skipped when missing: CI has it (`pip install -e .[test]`); never `playwright install`.
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # assertions wait as long as everything else (default 5 s)
    with sync_playwright() as p:
        yield p


@pytest.fixture
def shots_dir(tmp_path) -> Path:
    """Where screenshots go: $ALIWATCH_E2E_SHOTS if set (kept after the run), else the test's tmp dir."""
    target = Path(os.environ["ALIWATCH_E2E_SHOTS"]) if os.environ.get("ALIWATCH_E2E_SHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.fixture
def launch(playwright, extension, server, tmp_path):
    """launch(with_host=True, unpacked=None) -> Session: a fresh profile, the real host registered through
    `aliwatch install --user-data-dir` unless with_host is False, and headless Chromium on it with the
    session's build, or with the extension folder `unpacked` as it is."""
    sessions: list[Session] = []

    def _launch(with_host: bool = True, unpacked: Path | None = None) -> Session:
        n = len(sessions)
        home = tmp_path / f"home{n}"
        udd = tmp_path / f"profile{n}"
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
        session = Session(context, page, env, home, udd)
        page.on("console", lambda m: session.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: session.console.append(f"pageerror: {e}"))
        sessions.append(session)
        return session

    yield _launch
    for s in sessions:
        # Shown by pytest only when the test fails (captured log): what the page and the host said.
        log.info("page console:\n%s", "\n".join(s.console) or "(empty)")
        log.info("host log (%s):\n%s", s.env["ALIWATCH_LOG"], s.host_log())
        log.info("server requests: %s", server.requests)
        try:
            s.context.close()
        except Exception as e:  # a crashed browser must not hide the test's own failure
            log.warning("closing the browser failed: %s", e)
