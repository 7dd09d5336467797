"""The dashboard: a real websockets server on loopback, spoken to by real clients (http.client and the
websockets client), every refusal included; the token in a real keyring backend and in its file fallback."""
from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import stat
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from aliwatch.analysis import analyze_snapshot
from aliwatch.dashboard import server, token
from aliwatch.store import Store
from helpers.dashboard import PAGE_JS, TOKEN, dash, db, origin, record  # noqa: F401  (fixtures)
from helpers.snapshots import detail_snapshot, fixture_snapshot

def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


async def aget(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    return await asyncio.to_thread(get, port, path, headers)


# --- HTTP -----------------------------------------------------------------------------------------------

async def test_the_page_needs_the_token_and_is_locked_down(dash: server.Dashboard) -> None:
    status, headers, body = await aget(dash.port, f"/?token={TOKEN}")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"AliWatch" in body
    assert headers["referrer-policy"] == "no-referrer" and headers["cache-control"] == "no-store"
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "frame-ancestors 'none'" in csp
    assert f"connect-src ws://127.0.0.1:{dash.port}" in csp
    # The CSP hash matches the inline script that is served, so the page actually runs.
    import base64
    import hashlib

    script = re.search(rb"<script>(.*?)</script>", body, re.S).group(1)
    assert "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'" in csp


async def test_missing_and_wrong_tokens_are_refused(dash: server.Dashboard) -> None:
    for path, expected in (("/", 401), ("/calendar.ics", 401), (f"/?token={TOKEN}x", 403), ("/?token=", 401),
                           (f"/?token={TOKEN}&token=other", 403), ("/calendar.ics?token=nope", 403)):
        status, _, body = await aget(dash.port, path)
        assert status == expected, path
        assert b"BEGIN:VCALENDAR" not in body and b"<script>" not in body


async def test_a_foreign_origin_is_refused_and_no_origin_is_fine(dash: server.Dashboard) -> None:
    assert (await aget(dash.port, f"/?token={TOKEN}", {"Origin": "https://evil.example"}))[0] == 403
    assert (await aget(dash.port, f"/?token={TOKEN}", {"Origin": "null"}))[0] == 403
    assert (await aget(dash.port, f"/?token={TOKEN}", {"Origin": origin(dash)}))[0] == 200
    assert (await aget(dash.port, f"/?token={TOKEN}", {"Origin": f"http://localhost:{dash.port}"}))[0] == 200
    assert (await aget(dash.port, f"/?token={TOKEN}"))[0] == 200


async def test_a_rebinding_host_header_is_refused(dash: server.Dashboard) -> None:
    for host in ("evil.example", f"evil.example:{dash.port}", f"127.0.0.1.evil.example:{dash.port}",
                 f"127.0.0.1:{dash.port + 1}", ""):
        status, _, _ = await aget(dash.port, f"/?token={TOKEN}", {"Host": host})
        assert status == 421, host
    upgrade = {"Host": f"evil.example:{dash.port}", "Origin": origin(dash), "Upgrade": "websocket",
               "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"}
    assert (await aget(dash.port, "/ws", upgrade))[0] == 421
    assert (await aget(dash.port, f"/?token={TOKEN}", {"Host": f"localhost:{dash.port}"}))[0] == 200


async def test_the_calendar_lists_the_stored_deadlines(dash: server.Dashboard) -> None:
    status, headers, body = await aget(dash.port, f"/calendar.ics?token={TOKEN}")
    assert status == 200 and headers["content-type"].startswith("text/calendar")
    text = body.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "UID:8212985170346602-seller_response_due@aliwatch.org" in text
    assert "DTSTART:20261130T081002Z" in text


async def test_unknown_paths_are_404_even_with_the_token(dash: server.Dashboard) -> None:
    assert (await aget(dash.port, f"/../../etc/passwd?token={TOKEN}"))[0] == 404


# --- the WebSocket --------------------------------------------------------------------------------------

async def test_auth_then_the_deadlines_then_live_updates(dash: server.Dashboard, db: Path) -> None:
    async with connect(f"ws://127.0.0.1:{dash.port}/ws", origin=origin(dash), open_timeout=10) as ws:
        await ws.send(json.dumps({"type": "auth", "token": TOKEN}))
        first = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert first["type"] == "deadlines"
        assert [(d["order_id"], d["kind"]) for d in first["deadlines"]] == [("8212985170346602", "seller_response_due")]
        assert first["deadlines"][0]["title"] == "Seller deadline in 3 days"

        # Another process (a browser's host) stores a snapshot: the page hears about it.
        with Store(db) as other:
            record(other, detail_snapshot("8213000000000601", "Dec 1, 2026"))
        update = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert {d["order_id"] for d in update["deadlines"]} == {"8212985170346602", "8213000000000601"}
        assert [d["at"] for d in update["deadlines"]] == sorted(d["at"] for d in update["deadlines"])


async def test_a_wrong_token_in_the_first_frame_closes_the_socket(dash: server.Dashboard) -> None:
    for first in (json.dumps({"type": "auth", "token": "wrong"}), json.dumps({"type": "auth"}),
                  json.dumps({"type": "hello", "token": TOKEN}), "not json", json.dumps([TOKEN])):
        async with connect(f"ws://127.0.0.1:{dash.port}/ws", origin=origin(dash)) as ws:
            await ws.send(first)
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 10)
            assert closed.value.rcvd.code == 1008, first


async def test_a_binary_first_frame_is_not_auth(dash: server.Dashboard) -> None:
    async with connect(f"ws://127.0.0.1:{dash.port}/ws", origin=origin(dash)) as ws:
        await ws.send(json.dumps({"type": "auth", "token": TOKEN}).encode())
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
        assert closed.value.rcvd.code == 1008


async def test_an_oversize_frame_is_refused(dash: server.Dashboard) -> None:
    async with connect(f"ws://127.0.0.1:{dash.port}/ws", origin=origin(dash), max_size=None) as ws:
        await ws.send(json.dumps({"type": "auth", "token": TOKEN, "pad": "x" * 10_000}))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
        assert closed.value.rcvd.code == 1009  # message too big
    async with connect(f"ws://127.0.0.1:{dash.port}/ws", origin=origin(dash)) as ws:  # after auth too
        await ws.send(json.dumps({"type": "auth", "token": TOKEN}))
        await asyncio.wait_for(ws.recv(), 10)
        await ws.send("y" * (server.MAX_MESSAGE + 1))
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(ws.recv(), 10)
        assert closed.value.rcvd.code == 1009


async def test_a_websocket_from_a_foreign_or_missing_origin_is_refused(dash: server.Dashboard) -> None:
    for bad in ("https://evil.example", f"http://127.0.0.1:{dash.port + 1}", None):
        with pytest.raises(InvalidStatus) as refused:
            async with connect(f"ws://127.0.0.1:{dash.port}/ws", origin=bad):
                pass
        assert refused.value.response.status_code == 403, bad


async def test_the_server_listens_on_loopback_only(dash: server.Dashboard) -> None:
    import socket

    # Connecting through a non-loopback address of this machine must fail.
    outward = None
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET: no packet is sent for a UDP connect
            outward = probe.getsockname()[0]
        except OSError:
            pass
    if not outward or outward.startswith("127."):
        pytest.skip("this machine has no non-loopback IPv4 address")
    with pytest.raises(OSError):
        socket.create_connection((outward, dash.port), timeout=2).close()


def test_the_page_builds_its_dom_without_markup_strings() -> None:
    script = re.search(r"<script>(.*?)</script>", PAGE_JS.read_text("utf-8"), re.S).group(1)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in script
    assert "textContent" in script


# --- the token --------------------------------------------------------------------------------------------

class MemoryKeyring:
    """An OS-keyring stand-in through keyring's real backend API (no OS keyring runs in the test machine)."""

    @staticmethod
    def make():  # type: ignore[no-untyped-def]
        from keyring.backend import KeyringBackend

        class Memory(KeyringBackend):
            priority = 1  # type: ignore[assignment]

            def __init__(self) -> None:
                super().__init__()
                self.items: dict[tuple[str, str], str] = {}

            def get_password(self, service: str, username: str) -> str | None:
                return self.items.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                self.items[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                self.items.pop((service, username), None)

        return Memory()


@pytest.fixture
def keyring_backend(monkeypatch):
    """Sets the backend token.py loads (it loads one itself, once, without keyring's discovery)."""
    chosen: dict = {}
    monkeypatch.setattr(token, "_load_backend", lambda: chosen.get("backend"))
    return chosen


def test_the_token_lives_in_the_os_keyring_when_there_is_one(keyring_backend, tmp_path: Path) -> None:
    backend = keyring_backend["backend"] = MemoryKeyring.make()
    said: list[str] = []
    path = tmp_path / "data" / "dashboard-token"
    first = token.load(path=path, say=said.append)
    assert first.where == "keyring" and len(first.value) >= 43
    assert backend.get_password("aliwatch", "dashboard-token") == first.value
    assert token.load(path=path, say=said.append).value == first.value
    rotated = token.load(rotate=True, path=path, say=said.append)
    assert rotated.value != first.value and backend.get_password("aliwatch", "dashboard-token") == rotated.value
    assert not path.exists() and said == []


def test_without_a_keyring_the_token_is_a_private_file_and_that_is_said_once(keyring_backend, tmp_path: Path) -> None:
    keyring_backend["backend"] = None
    said: list[str] = []
    path = tmp_path / "data" / "dashboard-token"
    first = token.load(path=path, say=said.append)
    assert first.where == "file" and first.path == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == first.value
    assert len(said) == 1 and str(path) in said[0] and "keyring" in said[0]
    assert token.load(path=path, say=lambda m: None).value == first.value
    rotated = token.load(rotate=True, path=path, say=lambda m: None)
    assert rotated.value != first.value and path.read_text().strip() == rotated.value

    # Once a keyring exists, the file's token moves into it and the file goes.
    backend = keyring_backend["backend"] = MemoryKeyring.make()
    moved = token.load(path=path, say=lambda m: None)
    assert moved.where == "keyring" and moved.value == rotated.value and not path.exists()
    assert backend.get_password("aliwatch", "dashboard-token") == moved.value


def test_a_plaintext_keyring_is_never_the_tokens_home(keyring_backend, tmp_path: Path) -> None:
    """keyrings.alt (in the test extra) is a plain file outside AliWatch's data dir: refused, and said."""
    from keyrings.alt.file import PlaintextKeyring

    plain = PlaintextKeyring()
    plain.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")
    keyring_backend["backend"] = plain
    said: list[str] = []
    path = tmp_path / "data" / "dashboard-token"
    got = token.load(path=path, say=said.append)
    assert got.where == "file" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(said) == 1 and "PlaintextKeyring" in said[0] and "plain text" in said[0] and str(path) in said[0]
    assert not Path(plain.file_path).exists() or got.value not in Path(plain.file_path).read_text()


def test_loading_the_token_starts_no_process_and_probes_no_compiler(tmp_path: Path) -> None:
    """keyring's discovery imported its macOS backend, whose find_library ran gcc, ld and ldconfig."""
    code = """
import ctypes.util, subprocess, sys
calls = []
real_popen = subprocess.Popen.__init__
def popen(self, args, *a, **k):
    calls.append(args)
    return real_popen(self, args, *a, **k)
subprocess.Popen.__init__ = popen
real_find = ctypes.util.find_library
ctypes.util.find_library = lambda name: calls.append(("find_library", name)) or real_find(name)
from aliwatch.dashboard import token
token.load(say=lambda m: None)
token.load(say=lambda m: None)
print(repr(calls))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALIWATCH_", "PYTHON_KEYRING"))}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]", r.stdout


# --- the command ------------------------------------------------------------------------------------------

def test_the_command_prints_its_address_first_and_serves_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIWATCH_")}
    env.update(ALIWATCH_DB=str(tmp_path / "aliwatch.db"), XDG_DATA_HOME=str(tmp_path / "xdg"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    env.pop("DISPLAY", None)
    proc = subprocess.Popen([sys.executable, "-m", "aliwatch", "dashboard", "--port", "0", "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        first = proc.stdout.readline().strip()
        m = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]{43})", first)
        assert m, first
        port, secret = int(m.group(1)), m.group(2)
        assert get(port, f"/?token={secret}")[0] == 200
        assert get(port, "/?token=wrong")[0] == 403
        assert (tmp_path / "xdg" / "aliwatch" / "dashboard-token").read_text().strip() == secret
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    err = proc.stderr.read()
    assert err.count("dashboard token is kept in") == 1 and "Traceback" not in err
