"""The dashboard's limits (issue 13, finding 7), on a real websockets server on loopback with real clients:
at most 32 WebSockets at once, however fast they arrive, and only GET and HEAD."""
from __future__ import annotations

import asyncio
import http.client
import json

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from aliwatch.dashboard import server
from helpers.dashboard import TOKEN, dash, db, origin  # noqa: F401  (fixtures)


def request(port: int, method: str, path: str) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


async def test_only_get_and_head_are_answered(dash: server.Dashboard) -> None:
    page = f"/?token={TOKEN}"
    status, headers, body = await asyncio.to_thread(request, dash.port, "GET", page)
    assert status == 200 and b"<html" in body.lower()
    status, headers, body = await asyncio.to_thread(request, dash.port, "HEAD", page)
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"):
        status, headers, body = await asyncio.to_thread(request, dash.port, method, page)
        assert status == 405, method
        assert headers["allow"] == "GET, HEAD" and b"<html" not in body.lower()


async def _client(dash: server.Dashboard, hold: asyncio.Event) -> str:
    """Connect, authenticate, wait for the first update, then hold the socket open until told."""
    try:
        async with connect(f"ws://127.0.0.1:{dash.port}/ws", origin=origin(dash), open_timeout=20) as ws:
            await ws.send(json.dumps({"type": "auth", "token": TOKEN}))
            first = json.loads(await asyncio.wait_for(ws.recv(), 20))
            assert first["type"] == "deadlines"
            await hold.wait()
            return "served"
    except InvalidStatus as e:
        return f"refused {e.response.status_code}"
    except ConnectionClosed as e:
        return f"closed {e.rcvd.code if e.rcvd else None}"


async def test_two_hundred_clients_at_once_get_thirty_two_sockets(dash: server.Dashboard) -> None:
    hold = asyncio.Event()
    tasks = [asyncio.create_task(_client(dash, hold)) for _ in range(200)]
    # Everyone has either been served its first update or been refused.
    for _ in range(300):
        await asyncio.sleep(0.1)
        if len(dash.clients) + sum(t.done() for t in tasks) >= 200:
            break
    hold.set()
    outcomes = await asyncio.gather(*tasks)
    served = outcomes.count("served")
    assert served == server.MAX_CLIENTS, sorted(set(outcomes))
    assert all(o in ("refused 503", "closed 1013") for o in outcomes if o != "served"), sorted(set(outcomes))
    # Slots come back when clients leave.
    await asyncio.sleep(0.2)
    done = asyncio.Event()
    done.set()
    assert await _client(dash, done) == "served"
