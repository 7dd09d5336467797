"""The `aliwatch` command line. Only argparse is imported up front: each subcommand imports what it needs
when it runs, so `aliwatch host` starts fast and never pays for dateparser before a message needs it."""
from __future__ import annotations

import argparse
import sys

from aliwatch import __version__, vocab

BROWSERS = ["chromium", "chrome", "brave", "edge", "vivaldi", "firefox", "all"]
PROBLEMS = list(vocab.PROBLEMS)  # aliwatch.vocab, not aliwatch.draft: importing draft would slow the host's start


def _command(module: str, func: str = "run", *, with_args: bool = True):  # type: ignore[no-untyped-def]
    """A subcommand's entry, imported only when that subcommand runs."""
    def run(args: argparse.Namespace) -> int:
        import importlib

        entry = getattr(importlib.import_module(f"aliwatch.{module}"), func)
        return entry(args) if with_args else entry()

    return run


_cmd_analyze = _command("commands.analyze")
_cmd_report = _command("commands.report")
_cmd_host = _command("host.main", with_args=False)
_cmd_install = _command("install", "run_install")
_cmd_uninstall = _command("install", "run_uninstall")
_cmd_doctor = _command("commands.doctor")
_cmd_demo = _command("commands.demo")
_cmd_draft = _command("commands.draft")
_cmd_calc = _command("commands.calc")


def _lang(kind: str):  # type: ignore[no-untyped-def]
    """argparse type for a language option; imports the catalogue only when the option is parsed."""
    def check(value: str) -> str:
        from aliwatch.commands import langs

        return getattr(langs, kind)(value)

    check.__name__ = kind
    return check


def _port(value: str) -> int:
    from aliwatch.commands.langs import port

    return port(value)


def _add_memory_commands(sub: argparse._SubParsersAction) -> None:
    """The deadline store's commands (issue #5)."""
    dl = sub.add_parser("deadlines", help="list the stored deadlines, soonest first")
    dl.add_argument("--include-past", action="store_true", help="also list deadlines that have passed")
    ex = sub.add_parser("export", help="write the stored orders and deadlines as JSON, CSV or a calendar")
    ex.add_argument("--format", choices=["json", "csv", "ics"], default="json")
    ex.add_argument("-o", "--output", help="file to write (default: stdout)")
    for s in (dl, ex):
        s.add_argument("--now", help="judge deadlines at this moment, ISO 8601 (default: now)")
    fg = sub.add_parser("forget", help="delete an order, or everything, from the store for real")
    which = fg.add_mutually_exclusive_group(required=True)
    which.add_argument("order", nargs="?", help="the order number")
    which.add_argument("--all", action="store_true", help="delete every order, deadline and snapshot (asks first)")
    fg.add_argument("-y", "--yes", action="store_true", help="do not ask before --all")
    rp = sub.add_parser("reparse", help="re-read the stored snapshots with the current parser")
    db = sub.add_parser("dashboard", help="serve a live page of your deadlines on 127.0.0.1")
    db.add_argument("--port", type=_port, default=47800, help="port on 127.0.0.1 (default: 47800; 0: any free)")
    db.add_argument("--no-browser", action="store_true", help="only print the address")
    db.add_argument("--rotate-token", action="store_true", help="replace the dashboard's access token")
    for s in (dl, ex, db):
        s.add_argument("--lang", default="en", type=_lang("ui_lang"),
                       help="language of titles, actions and dates (default: en)")
    ad = sub.add_parser("add", help="put the orders and deadlines of saved pages into the deadline store")
    ad.add_argument("pages", nargs="+", metavar="PAGE", help="saved order pages (.html, .mhtml)")
    ad.add_argument("--url", help="the pages' address (selects the page kind)")
    ad.add_argument("--now", help="when the pages were saved, ISO 8601 (default: each file's modification time)")
    ad.add_argument("--tz", help="zone for dates without a time (default: local)")
    ad.add_argument("--lang", type=_lang("page_lang"), help="page language hint (default: from the page)")
    ph = sub.add_parser("phrases", help="list the words you taught AliWatch (status texts it could not read)")
    change = ph.add_mutually_exclusive_group()
    change.add_argument("--remove", nargs="+", metavar="LANG TEXT|ID", help="forget a taught word: LANG TEXT, or its id")
    change.add_argument("--add", nargs=3, metavar=("LANG", "TEXT", "STATUS"),
                        help="teach a word: on LANG pages the status text TEXT means STATUS")
    ph.add_argument("--json", action="store_true", help="print the list as JSON")
    for name, s in (("deadlines", dl), ("export", ex), ("forget", fg), ("reparse", rp), ("dashboard", db), ("add", ad),
                    ("phrases", ph)):
        s.set_defaults(func=_command(f"commands.{name}"))  # one module each under aliwatch.commands


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="aliwatch", description="Watch AliExpress order timers.")
    p.add_argument("--version", action="version", version=f"aliwatch {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse a saved order page")
    a.add_argument("page", help="saved page (.html) or '-' for stdin")
    a.add_argument("--url", help="the page's address (selects the page kind)")
    a.add_argument("--now", help="capture time, ISO 8601 (default: now)")
    a.add_argument("--tz", help="zone for dates without a time (default: local)")
    a.add_argument("--lang", type=_lang("page_lang"), help="page language hint (default: from the page)")
    a.add_argument("--ui-lang", default="en", type=_lang("ui_lang"),
                   help="language of warnings and drafts: en, es, fr, pt, ru (default: en)")
    a.add_argument("--json", action="store_true", help="print the analysis as JSON")
    a.set_defaults(func=_cmd_analyze)

    rep = sub.add_parser("report", help="write an anonymised copy of a saved page for a bug report")
    rep.add_argument("page", help="saved page (.html) or '-' for stdin")
    rep.add_argument("-o", "--output", required=True, help="where to write the copy ('-' for stdout)")
    rep.add_argument("--seed", help="fixed seed: the same page gives the same fakes (default: random per run)")
    rep.add_argument("--url", help="the page's address; stamped into the copy, anonymised, when it has none")
    rep.set_defaults(func=_cmd_report)

    h = sub.add_parser("host", help="run the native-messaging host (started by the browser)")
    h.add_argument("origin", nargs="*", help=argparse.SUPPRESS)  # browsers pass the caller's origin/manifest
    h.add_argument("--parent-window", help=argparse.SUPPRESS)  # Chrome on Windows adds --parent-window=<HWND>
    h.set_defaults(func=_cmd_host)

    for name, func, text in (
        ("install", _cmd_install, "register the host with your browsers"),
        ("uninstall", _cmd_uninstall, "remove what install wrote"),
        ("doctor", _cmd_doctor, "check each browser's registration and that the helper answers"),
    ):
        i = sub.add_parser(name, help=text)
        i.add_argument("--browser", choices=BROWSERS, default="all",
                       help="one browser (default: all: those found on this machine)")
        i.add_argument("--system", action="store_true", help="system level, for every user (needs admin rights)")
        i.add_argument("--user-data-dir", help="a browser profile dir (Chrome family: manifest goes inside it)")
        if name == "uninstall":
            i.add_argument("--purge", action="store_true",
                           help="also delete your data: the deadline store, the dashboard token (file and keyring)")
        i.set_defaults(func=func)

    d = sub.add_parser("demo", help="open Chromium with the extension on bundled sample pages")
    d.add_argument("--headless", action="store_true")
    d.add_argument("--screenshots", metavar="DIR",
                   help="save order-list.png and order-detail.png here (with --headless and no DIR: a temporary "
                        "folder, never the checkout)")
    d.set_defaults(func=_cmd_demo)

    r = sub.add_parser("draft", help="draft dispute messages for one order on a saved page")
    r.add_argument("page", help="saved page (.html) or '-' for stdin")
    r.add_argument("--order", required=True, help="the order number")
    r.add_argument("--problem", required=True, choices=PROBLEMS)
    r.add_argument("--outcome", choices=["refund", "return"], help="refund only (default) or return and refund")
    r.add_argument("--percent", type=int, help="refund-only share of the order total, 1-100 (default: suggested)")
    r.add_argument("--lang", default="en",  # draft.py refuses a language without templates, naming those
                   help="language of the messages: en, ru, es, pt, fr (default: en)")
    r.add_argument("--url", help="the page's address (selects the page kind)")
    r.add_argument("--tz", help="zone for dates without a time (default: local)")
    r.add_argument("--json", action="store_true", help="print the draft as JSON")
    r.set_defaults(func=_cmd_draft)

    c = sub.add_parser("calc", help="refund only or return and refund: what each leaves you")
    c.add_argument("--price", required=True, help="what you paid for the item (800.50 or 800,50)")
    c.add_argument("--percent", type=int, required=True, help="the refund-only share you ask for, 1-100")
    c.add_argument("--postage", help="return postage, as typed in (decimal point or comma)")
    c.add_argument("--weight", help="parcel weight in grams, to estimate the postage (postage.json)")
    c.add_argument("--currency", help="ISO 4217 code, e.g. RUB (needed with --weight)")
    c.add_argument("--fault", choices=["buyer", "seller"], default="buyer",
                   help="who pays the return postage: buyer (change of mind, default) or seller (the fault is theirs)")
    c.add_argument("--json", action="store_true", help="print the comparison as JSON")
    c.set_defaults(func=_cmd_calc)

    _add_memory_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Browsers start the host as `launcher chrome-extension://ID/` (Chrome) or `launcher manifest.json id`
    # (Firefox); the launcher inserts `host` first, so those extra arguments land in `origin`.
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
