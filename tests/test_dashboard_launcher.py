"""The host's `dashboard` request: it starts the real `aliwatch dashboard --no-browser` as a detached process
(temp user data dir, temp store, token in the 0600 file fallback), returns the address the dashboard printed,
reuses a running one, and replaces one that died or no longer accepts the token."""
from __future__ import annotations

import json
import os
import signal
import socket
import stat
import time
import urllib.request
from pathlib import Path

import pytest

from aliwatch.dashboard import token as dashboard_token
from aliwatch.host import dashboard_launcher as launcher
from aliwatch.host.dispatch import handle


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A user data dir of its own; the token lives in its file fallback, for this process and the child."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("ALIWATCH_DB", str(tmp_path / "aliwatch.db"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")  # the child's keyring
    monkeypatch.setattr(dashboard_token, "_usable_keyring", lambda: None)  # ours (keyring may be loaded)
    monkeypatch.setattr(launcher, "DEFAULT_PORT", 0)  # any free port: never a real dashboard's 47800
    yield launcher.data_dir()
    for proc in launcher._children:  # the dashboards these tests started, by their Popen handles
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    launcher._children.clear()


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.status, resp.read().decode("utf-8")


def alive(pid: int) -> bool:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return bool(args)  # a zombie (exited, not yet reaped) has an empty command line


def wait_gone(pid: int, seconds: float = 10) -> None:
    end = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < end:
        time.sleep(0.05)
    assert not alive(pid), f"pid {pid} still running"


def state(data_dir: Path) -> dict:
    return json.loads((data_dir / launcher.STATE_FILE).read_text("utf-8"))


def test_starts_a_detached_dashboard_then_reuses_it(data_dir) -> None:
    url = launcher.ensure(start_if_needed=True)
    secret = dashboard_token.load(say=lambda _: None).value
    assert url is not None and url.startswith("http://127.0.0.1:") and url.endswith(f"/?token={secret}")
    status, page = fetch(url)
    assert status == 200 and "<html" in page.lower()

    first = state(data_dir)
    assert f":{first['port']}/" in url
    assert alive(first["pid"]) and os.getsid(first["pid"]) == first["pid"]  # its own session: outlives the host
    assert stat.S_IMODE((data_dir / launcher.STATE_FILE).stat().st_mode) == 0o600
    assert not (data_dir / launcher.OUT_FILE).exists()  # the address (with the token) is not left in a file

    assert launcher.ensure(start_if_needed=True) == url  # running: the same one, no second process
    assert launcher.ensure(start_if_needed=False) == url
    assert state(data_dir) == first
    assert len(launcher._children) == 1


def test_without_start_nothing_is_started(data_dir) -> None:
    assert launcher.ensure(start_if_needed=False) is None
    assert launcher._children == []
    assert not (data_dir / launcher.STATE_FILE).exists()
    assert handle({"type": "dashboard", "id": 3}) == [{"type": "dashboard", "id": 3, "url": None}]


def test_a_dead_dashboard_is_replaced(data_dir) -> None:
    url = launcher.ensure(start_if_needed=True)
    old = state(data_dir)
    os.kill(old["pid"], signal.SIGKILL)
    launcher._children[0].wait(10)
    assert launcher.ensure(start_if_needed=False) is None  # it no longer answers: not "running"

    new_url = launcher.ensure(start_if_needed=True)
    new = state(data_dir)
    assert new["pid"] != old["pid"] and alive(new["pid"])
    assert fetch(new_url)[0] == 200
    assert new_url.split("?")[1] == url.split("?")[1]  # same token


def test_a_rotated_token_stops_the_old_dashboard_and_starts_one_that_accepts_it(data_dir) -> None:
    launcher.ensure(start_if_needed=True)
    old = state(data_dir)
    rotated = dashboard_token.load(rotate=True, say=lambda _: None).value  # what `--rotate-token` does
    url = launcher.ensure(start_if_needed=True)
    assert url.endswith(f"?token={rotated}")
    wait_gone(old["pid"])
    assert fetch(url)[0] == 200


def test_a_port_held_by_something_else_gives_a_free_one(data_dir, monkeypatch) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        monkeypatch.setattr(launcher, "DEFAULT_PORT", taken)
        url = launcher.ensure(start_if_needed=True)
        assert f":{taken}/" not in url
        assert fetch(url)[0] == 200


def test_the_request_through_dispatch(data_dir) -> None:
    (reply,) = handle({"type": "dashboard", "id": "d1", "start": True})
    assert reply["type"] == "dashboard" and reply["id"] == "d1"
    assert fetch(reply["url"])[0] == 200
    (bad,) = handle({"type": "dashboard", "id": "d2", "start": "yes"})
    assert (bad["type"], bad["code"]) == ("error", "bad_argument") and bad["message"].startswith("start")


def test_a_dashboard_that_cannot_start_is_an_error_with_its_reason(data_dir, tmp_path, monkeypatch) -> None:
    unusable = tmp_path / "not-a-db"
    unusable.mkdir()  # a directory where the store file should be: the dashboard cannot open it
    monkeypatch.setenv("ALIWATCH_DB", str(unusable))
    (reply,) = handle({"type": "dashboard", "id": 5, "start": True})
    assert (reply["type"], reply["id"], reply["code"]) == ("error", 5, "dashboard_failed")
    assert "exited with code 1" in reply["message"] and "cannot open the deadline store" in reply["message"]
    assert not (data_dir / launcher.STATE_FILE).exists()
    assert handle({"type": "ping", "id": 6})[0]["type"] == "pong"  # the host keeps serving


# --- issue 13: the token goes only to our own dashboard -------------------------------------------------

class StandIn:
    """Something else on loopback that looks like a dashboard: 200 text/html to every GET, a made-up proof,
    and a record of every request line and header it received."""

    def __init__(self) -> None:
        import http.server
        import threading

        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                seen.append(self.requestline + "\n" + str(self.headers))
                body = (b'{"proof": "' + b"0" * 64 + b'"}' if self.path.startswith("/aliwatch-proof")
                        else b"<html><body>AliWatch</body></html>")
                self.send_response(200)
                self.send_header("Content-Type", "application/json" if body[:1] == b"{" else "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_stand_in_on_the_port_never_receives_the_token(data_dir, monkeypatch) -> None:
    secret = dashboard_token.load(say=lambda _: None).value
    stand_in = StandIn()
    try:
        # Recorded as our dashboard (its pid owns the socket, but it is not `aliwatch dashboard`), and on the
        # default port: neither is trusted, and neither gets the token.
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / launcher.STATE_FILE).write_text(json.dumps({"pid": os.getpid(), "port": stand_in.port}))
        monkeypatch.setattr(launcher, "DEFAULT_PORT", stand_in.port)
        assert launcher.ensure(start_if_needed=False) is None
        url = launcher.ensure(start_if_needed=True)  # a real dashboard, on a free port
        assert f":{stand_in.port}/" not in url and secret in url
        assert fetch(url)[0] == 200
        assert launcher.ensure(start_if_needed=False) == url  # ours is recognised
        assert not any(secret in request for request in stand_in.seen), stand_in.seen
        # A stand-in that passes for `aliwatch dashboard` by its command line still cannot prove the token:
        # it gets a random challenge, never the token.
        (data_dir / launcher.STATE_FILE).write_text(json.dumps({"pid": os.getpid(), "port": stand_in.port}))
        monkeypatch.setattr(launcher, "_is_our_dashboard", lambda pid: True)
        assert launcher.ensure(start_if_needed=False) is None
        assert any("/aliwatch-proof?challenge=" in request for request in stand_in.seen)
        assert not any(secret in request for request in stand_in.seen), stand_in.seen
    finally:
        stand_in.close()


def test_the_proof_is_an_hmac_of_the_token_the_server_and_launcher_agree_on() -> None:
    from aliwatch.dashboard import server

    challenge = "ab" * 16
    assert server.proof("t" * 43, challenge) == launcher._proof("t" * 43, challenge)
    assert server.proof("t" * 43, challenge) != server.proof("u" * 43, challenge)
    assert "t" * 43 not in server.proof("t" * 43, challenge)
