"""The `aliwatch` command line. Only argparse is imported up front: each subcommand imports what it needs
when it runs, so `aliwatch host` starts fast and never pays for dateparser before a message needs it."""
from __future__ import annotations

import argparse
import sys

from aliwatch import __version__

BROWSERS = ["chromium", "chrome", "brave", "edge", "firefox", "all"]


def _cmd_analyze(args: argparse.Namespace) -> int:
    from aliwatch.commands.analyze import run

    return run(args)


def _cmd_host(args: argparse.Namespace) -> int:
    from aliwatch.host.main import run

    return run()


def _cmd_install(args: argparse.Namespace) -> int:
    from aliwatch.install import run_install

    return run_install(args)


def _cmd_uninstall(args: argparse.Namespace) -> int:
    from aliwatch.install import run_uninstall

    return run_uninstall(args)


def _cmd_demo(args: argparse.Namespace) -> int:
    from aliwatch.demo import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="aliwatch", description="Watch AliExpress order timers.")
    p.add_argument("--version", action="version", version=f"aliwatch {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse a saved order page")
    a.add_argument("page", help="saved page (.html) or '-' for stdin")
    a.add_argument("--url", help="the page's address (selects the page kind)")
    a.add_argument("--now", help="capture time, ISO 8601 (default: now)")
    a.add_argument("--tz", help="zone for dates without a time (default: local)")
    a.add_argument("--lang", help="page language hint (default: from the page)")
    a.add_argument("--json", action="store_true", help="print the analysis as JSON")
    a.set_defaults(func=_cmd_analyze)

    h = sub.add_parser("host", help="run the native-messaging host (started by the browser)")
    h.add_argument("origin", nargs="*", help=argparse.SUPPRESS)  # browsers pass the caller's origin/manifest
    h.set_defaults(func=_cmd_host)

    for name, func, text in (
        ("install", _cmd_install, "register the host with your browsers"),
        ("uninstall", _cmd_uninstall, "remove what install wrote"),
    ):
        i = sub.add_parser(name, help=text)
        i.add_argument("--browser", choices=BROWSERS, default="all")
        i.add_argument("--user-data-dir", help="a browser profile dir (Chrome family: manifest goes inside it)")
        i.set_defaults(func=func)

    d = sub.add_parser("demo", help="open Chromium with the extension on bundled sample pages")
    d.add_argument("--headless", action="store_true")
    d.add_argument("--screenshot", help="save a PNG of the badged sample page here")
    d.set_defaults(func=_cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Browsers start the host as `launcher chrome-extension://ID/` (Chrome) or `launcher manifest.json id`
    # (Firefox); the launcher inserts `host` first, so those extra arguments land in `origin`.
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
