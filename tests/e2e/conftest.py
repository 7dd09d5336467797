"""Fixtures for the real-browser tests: one extension build and one fixture server per session; a fresh
Chromium profile (with or without the real host registered) for each test that writes extension storage or
host state (launch), one shared Chromium per module with a fresh tab for the others (fresh_page)."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from .e2e_helpers import TIMEOUT_MS, FixtureServer, Session, build_extension, start_chromium, watched

log = logging.getLogger("aliwatch.e2e")


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


def report(sessions: list[Session], server) -> None:
    for s in sessions:
        # Shown by pytest only when the test fails (captured log): what the page and the host said.
        log.info("page console:\n%s", "\n".join(s.console) or "(empty)")
        log.info("host log (%s):\n%s", s.env["ALIWATCH_LOG"], s.host_log())
    log.info("server requests: %s", server.requests)


def close(session: Session) -> None:
    try:
        session.context.close()
    except Exception as e:  # a crashed browser must not hide the test's own failure
        log.warning("closing the browser failed: %s", e)


@pytest.fixture
def launch(playwright, extension, server, tmp_path):
    """launch(with_host=True, unpacked=None) -> Session: a browser of the test's own on a fresh profile (for
    tests that write extension storage or host state, or need no host)."""
    sessions: list[Session] = []

    def _launch(with_host: bool = True, unpacked: Path | None = None) -> Session:
        n = len(sessions)
        sessions.append(start_chromium(playwright, extension, server, tmp_path / f"home{n}", tmp_path / f"profile{n}",
                                       with_host, unpacked))
        return sessions[-1]

    yield _launch
    report(sessions, server)
    for s in sessions:
        close(s)


@pytest.fixture(scope="module")
def shared_chromium(playwright, extension, server, tmp_path_factory):
    """One Chromium per module, the host registered, for the tests that need only a fresh page (fresh_page)."""
    where = tmp_path_factory.mktemp("shared-chromium")
    session = start_chromium(playwright, extension, server, where / "home", where / "profile")
    yield session
    close(session)


@pytest.fixture
def fresh_page(shared_chromium, server):
    """A new tab of the module's shared Chromium, as a Session; closed after the test. Only for tests that
    write no extension storage and no host state (they would leak into the next test)."""
    s = shared_chromium
    session = watched(Session(s.context, s.context.new_page(), s.env, s.home, s.user_data_dir))
    yield session
    report([session], server)
    session.page.close()
