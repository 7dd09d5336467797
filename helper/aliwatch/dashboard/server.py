"""The live dashboard: ONE `websockets` server on 127.0.0.1 that serves plain HTTP through process_request
(the page at /, the calendar at /calendar.ics) and a WebSocket at /ws for live updates.

Security, because any web page the user visits can make the browser talk to 127.0.0.1:
- bound to loopback only;
- the Host header must be 127.0.0.1 or localhost (with our port): a DNS-rebinding page has its own name;
- an Origin, when present, must be the dashboard's own; the WebSocket must carry one (browsers always do);
- every HTTP request carries ?token=, the WebSocket's first frame is {"type": "auth", "token": …}; both are
  compared with hmac.compare_digest;
- incoming WebSocket messages are capped at MAX_MESSAGE bytes, and the first must come within AUTH_TIMEOUT;
- at most MAX_CLIENTS WebSockets at once, authenticated or still waiting for their auth frame;
- only GET and HEAD: any other method is 405;
- /aliwatch-proof?challenge=… answers proof(token, challenge), an HMAC, never the token: the host's launcher
  identifies its own dashboard with it before it hands the token's address to the browser.

Live updates: one poller reads the store's PRAGMA data_version every POLL seconds (it changes when any other
process commits, e.g. a browser's host storing a snapshot) and sends the deadlines to every authenticated
client when it does, and every REFRESH seconds anyway (deadlines pass with time)."""
from __future__ import annotations

import asyncio
import base64
import email.utils
import hashlib
import hmac
import http
import json
import logging
import re
from datetime import datetime, timezone
from importlib import resources
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

log = logging.getLogger("aliwatch.dashboard")

BIND = "127.0.0.1"
DEFAULT_PORT = 47800  # fixed, so a calendar subscription keeps working across restarts
MAX_MESSAGE = 4096  # the only message a client sends is the auth frame
AUTH_TIMEOUT = 10.0
POLL = 1.0
REFRESH = 60.0
MAX_CLIENTS = 32
POLICY_VIOLATION = 1008


PROOF_PATH = "/aliwatch-proof"
_CHALLENGE = re.compile(r"[0-9a-f]{32,128}")


def proof(token: str, challenge: str) -> str:
    """What a dashboard holding `token` answers to `challenge`: proves the token without revealing it."""
    return hmac.new(token.encode(), b"aliwatch-dashboard-proof\0" + challenge.encode(), hashlib.sha256).hexdigest()


def _page() -> tuple[bytes, str]:
    """The page and its Content-Security-Policy source hashes (its one inline script and style)."""
    text = resources.files("aliwatch.dashboard").joinpath("page.html").read_text("utf-8")
    hashes = {}
    for tag in ("script", "style"):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", text, re.S)
        digest = hashlib.sha256(body.group(1).encode()).digest() if body else b""
        hashes[tag] = "'sha256-" + base64.b64encode(digest).decode() + "'"
    csp = (f"default-src 'none'; script-src {hashes['script']}; style-src {hashes['style']}; "
           "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    return text.encode("utf-8"), csp


class Dashboard:
    """The request policy and the live-update fan-out, given a store and the token."""

    def __init__(self, store, token: str, *, lang: str = "en",  # type: ignore[no-untyped-def]
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.store = store
        self.token = token
        self.lang = lang
        self.clock = clock
        self.port = 0  # set once the socket is bound
        self.clients: set[ServerConnection] = set()  # authenticated: they get the live updates
        self.sockets: set[ServerConnection] = set()  # every open WebSocket, counted against MAX_CLIENTS
        self._page, self._csp = _page()

    # --- the checks every request goes through -------------------------------------------------------

    def _hosts(self) -> set[str]:
        return {BIND, "localhost", f"{BIND}:{self.port}", f"localhost:{self.port}"}

    def _origins(self) -> set[str]:
        return {f"http://{BIND}:{self.port}", f"http://localhost:{self.port}"}

    def token_ok(self, given: object) -> bool:
        if not isinstance(given, str):
            return False
        return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), self.token.encode())

    def _refuse(self, status: http.HTTPStatus, text: str) -> Response:
        body = (text + "\n").encode()
        headers = Headers([("Date", email.utils.formatdate(usegmt=True)), ("Connection", "close"),
                           ("Content-Length", str(len(body))), ("Content-Type", "text/plain; charset=utf-8"),
                           ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")])
        return Response(status.value, status.phrase, headers, body)

    def _ok(self, body: bytes, content_type: str, extra: tuple[tuple[str, str], ...] = (), *,
            head: bool = False) -> Response:
        headers = Headers([("Date", email.utils.formatdate(usegmt=True)), ("Connection", "close"),
                           ("Content-Length", str(len(body))), ("Content-Type", content_type),
                           ("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer"),
                           ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), *extra])
        return Response(200, "OK", headers, b"" if head else body)

    async def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        method = getattr(request, "method", "GET")
        if method not in ("GET", "HEAD"):
            refused = self._refuse(http.HTTPStatus.METHOD_NOT_ALLOWED, "only GET and HEAD")
            refused.headers["Allow"] = "GET, HEAD"
            return refused
        head = method == "HEAD"
        host = (request.headers.get("Host") or "").lower()
        if host not in self._hosts():
            return self._refuse(http.HTTPStatus.MISDIRECTED_REQUEST, "this dashboard answers only to 127.0.0.1")
        origin = request.headers.get("Origin")
        target = urlsplit(request.path)
        if target.path == "/ws":
            if origin not in self._origins():
                return self._refuse(http.HTTPStatus.FORBIDDEN, "foreign or missing Origin")
            if len(self.sockets) >= MAX_CLIENTS:  # said before the upgrade; handler() counts again after it
                return self._refuse(http.HTTPStatus.SERVICE_UNAVAILABLE, "too many dashboard clients")
            return None  # the WebSocket handshake; the token comes in the first frame
        if origin is not None and origin not in self._origins():
            return self._refuse(http.HTTPStatus.FORBIDDEN, "foreign Origin")
        if target.path == PROOF_PATH:
            challenge = parse_qs(target.query).get("challenge", [""])
            if len(challenge) != 1 or not _CHALLENGE.fullmatch(challenge[0]):
                return self._refuse(http.HTTPStatus.BAD_REQUEST, "challenge: 32 to 128 lowercase hex digits")
            body = json.dumps({"proof": proof(self.token, challenge[0])}).encode()
            return self._ok(body, "application/json", head=head)
        tokens = parse_qs(target.query).get("token")
        if not tokens:
            return self._refuse(http.HTTPStatus.UNAUTHORIZED, "the dashboard address needs its ?token=")
        if len(tokens) != 1 or not self.token_ok(tokens[0]):
            return self._refuse(http.HTTPStatus.FORBIDDEN, "wrong token")
        if target.path in ("/", "/index.html"):
            ws = f"ws://{BIND}:{self.port} ws://localhost:{self.port}"
            return self._ok(self._page, "text/html; charset=utf-8",
                            (("Content-Security-Policy", f"{self._csp}; connect-src {ws}"),), head=head)
        if target.path == "/calendar.ics":
            calendar = await asyncio.to_thread(self._calendar)
            return self._ok(calendar.encode("utf-8"), "text/calendar; charset=utf-8",
                            (("Content-Disposition", 'inline; filename="aliwatch.ics"'),), head=head)
        return self._refuse(http.HTTPStatus.NOT_FOUND, "not found")

    # --- data ---------------------------------------------------------------------------------------

    def _calendar(self) -> str:
        from aliwatch.ics import deadlines_calendar

        return deadlines_calendar(self.store.orders(), self.clock(), self.lang)

    def deadlines_message(self) -> str:
        from aliwatch import reminders

        now = self.clock()
        entries = reminders.annotate(self.store.deadlines(now), now, self.lang)
        return json.dumps({"type": "deadlines", "now": now.isoformat(), "deadlines": entries}, ensure_ascii=False,
                          allow_nan=False)

    # --- the WebSocket --------------------------------------------------------------------------------

    async def handler(self, ws: ServerConnection) -> None:
        # Counted from the handshake, not from the auth frame: 200 clients connecting at once all passed a
        # check on the authenticated ones while they were still sending their first frame.
        if len(self.sockets) >= MAX_CLIENTS:
            await ws.close(1013, "too many dashboard clients")
            return
        self.sockets.add(ws)
        try:
            await self._serve(ws)
        finally:
            self.sockets.discard(ws)

    async def _serve(self, ws: ServerConnection) -> None:
        try:
            first = await asyncio.wait_for(ws.recv(), timeout=AUTH_TIMEOUT)
        except asyncio.TimeoutError:
            await ws.close(POLICY_VIOLATION, "no auth frame")
            return
        except ConnectionClosed:
            return
        if not self._authenticates(first):
            await ws.close(POLICY_VIOLATION, "the first frame must be {\"type\": \"auth\", \"token\": …}")
            return
        self.clients.add(ws)
        try:
            await ws.send(await asyncio.to_thread(self.deadlines_message))
            async for _ in ws:  # nothing else is expected; reading keeps the size cap and close handling
                pass
        except ConnectionClosed:
            pass
        finally:
            self.clients.discard(ws)

    def _authenticates(self, frame: str | bytes) -> bool:
        if not isinstance(frame, str):
            return False
        try:
            msg = json.loads(frame)
        except ValueError:
            return False
        return isinstance(msg, dict) and msg.get("type") == "auth" and self.token_ok(msg.get("token"))

    async def poll(self) -> None:
        """Send the deadlines to every client when the store changed, and every REFRESH seconds."""
        loop = asyncio.get_running_loop()
        seen = await asyncio.to_thread(self.store.data_version)
        last_sent = loop.time()
        while True:
            await asyncio.sleep(POLL)
            try:
                version = await asyncio.to_thread(self.store.data_version)
                if version == seen and loop.time() - last_sent < REFRESH:
                    continue
                seen, last_sent = version, loop.time()
                if self.clients:
                    message = await asyncio.to_thread(self.deadlines_message)
                    for ws in list(self.clients):
                        try:
                            await ws.send(message)
                        except ConnectionClosed:
                            self.clients.discard(ws)
            except Exception:  # a locked or briefly unreadable store: try again next tick
                log.exception("dashboard update failed")


async def run(dashboard: Dashboard, port: int, ready: Callable[[int], None]) -> None:
    """Serve until cancelled. `ready(port)` is called once the socket is bound (port 0 picks a free one)."""
    async with serve(dashboard.handler, BIND, port, process_request=dashboard.process_request,
                     max_size=MAX_MESSAGE, max_queue=4, server_header=None) as server:
        dashboard.port = server.sockets[0].getsockname()[1]
        poller = asyncio.create_task(dashboard.poll())
        try:
            ready(dashboard.port)
            await server.serve_forever()
        finally:
            poller.cancel()
