"""`aliwatch dashboard [--port N] [--no-browser] [--rotate-token]`: serve the live dashboard on 127.0.0.1.
The first line on stdout is its address with the token; then a browser opens it (unless --no-browser)."""
from __future__ import annotations

import argparse
import asyncio
import errno
import os
import sys

from aliwatch.commands.common import open_store


def _has_display() -> bool:
    # On Linux without a display, webbrowser falls back to console browsers (lynx, w3m) that would take over
    # this terminal; there the address printed above is the way in.
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run(args: argparse.Namespace) -> int:
    from aliwatch.dashboard import server, token

    try:
        secret = token.load(rotate=args.rotate_token)
    except OSError as e:
        print(f"aliwatch: cannot keep the dashboard token: {e}", file=sys.stderr)
        return 1
    store = open_store()
    if store is None:
        return 1
    dashboard = server.Dashboard(store, secret.value, lang=args.lang)

    def ready(port: int) -> None:
        url = f"http://{server.BIND}:{port}/?token={secret.value}"
        print(url, flush=True)  # the first line on stdout, always
        print(f"calendar: http://{server.BIND}:{port}/calendar.ics?token={secret.value}", flush=True)
        print("aliwatch: dashboard running; Ctrl+C stops it", file=sys.stderr, flush=True)
        if args.no_browser:
            return
        if _has_display():
            import webbrowser

            if webbrowser.open(url):
                return
        print("aliwatch: no browser to open here; open the address above", file=sys.stderr, flush=True)

    try:
        asyncio.run(server.run(dashboard, args.port, ready))
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            print(f"aliwatch: port {args.port} is in use (another dashboard?); choose another with --port",
                  file=sys.stderr)
            return 1
        raise
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
    return 0
