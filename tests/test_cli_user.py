"""What a new user runs into at the command line (issue #11), each as the user types it: a real `aliwatch`
process, a real SQLite store, a real keyring backend, in a home of its own under tmp."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from aliwatch.commands import calc as calc_cmd
from aliwatch.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DETAIL = FIXTURES / "detail_en_awaiting_delivery"
LIST = FIXTURES / "list_en_mixed"
NOW = "2026-11-26T09:00:00+00:00"


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """The environment of a user with nothing of AliWatch yet: HOME and XDG dirs in tmp; a file keyring."""
    h = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALIWATCH_", "XDG_"))}
    env.update(HOME=str(h), XDG_DATA_HOME=str(h / ".local/share"), XDG_CONFIG_HOME=str(h / ".config"), TZ="UTC",
               PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    h.mkdir()
    return env


def aliwatch(env: dict[str, str], *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aliwatch", *args], capture_output=True, text=True, env=env,
                          input=None if stdin is None else stdin.decode(), timeout=120)


def refused(r: subprocess.CompletedProcess, *words: str) -> None:
    """Exit 2 with a one-line reason, never a Python traceback."""
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    for w in words:
        assert w in r.stderr, (w, r.stderr)


def db_of(env: dict[str, str]) -> Path:
    return Path(env["XDG_DATA_HOME"]) / "aliwatch" / "aliwatch.db"


# --- arguments refused clearly ----------------------------------------------------------------------------

def test_dashboard_port_out_of_range(home) -> None:
    refused(aliwatch(home, "dashboard", "--port", "99999", "--no-browser"), "99999 is not a port", "1-65535")
    refused(aliwatch(home, "dashboard", "--port", "http", "--no-browser"), "'http' is not a port number")


def test_deadlines_now_that_is_not_a_moment(home) -> None:
    r = aliwatch(home, "deadlines", "--now", "tomorrow")
    refused(r, "--now is not an ISO 8601 moment: 'tomorrow'", "2026-11-26T09:00:00+00:00")
    assert "isoformat" not in r.stderr


@pytest.mark.parametrize("argv, listed", [
    (["analyze", str(DETAIL / "page.html"), "--ui-lang", "xx"], "en, es, fr, pt, ru"),
    (["analyze", str(DETAIL / "page.html"), "--lang", "klingon"], "de, en, es"),
    (["draft", str(DETAIL / "page.html"), "--order", "8213004417736925", "--problem", "damaged", "--lang", "zz"],
     "no draft templates for 'zz'"),
    (["deadlines", "--lang", "jp"], "en, es, fr, pt, ru"),
    (["export", "--lang", "english"], "en, es, fr, pt, ru"),
])
def test_unknown_languages_are_refused_with_the_list(home, argv: list[str], listed: str) -> None:
    refused(aliwatch(home, *argv), listed)


def test_regional_language_tags_are_accepted(home) -> None:
    r = aliwatch(home, "analyze", str(DETAIL / "page.html"), "--ui-lang", "pt-BR", "--now", NOW, "--json")
    assert r.returncode == 0, r.stderr
    titles = [w["title"] for o in json.loads(r.stdout)["orders"] for w in o["warnings"]]
    assert titles and all("Don't" not in t for t in titles)  # Portuguese, not English


def test_readme_examples_parse_and_spanish_output_is_ui_lang() -> None:
    from aliwatch.cli import build_parser

    readme = (ROOT / "README.md").read_text("utf-8")
    assert "--ui-lang es" in readme
    lines, joined = readme.splitlines(), []
    for line in lines:  # every `aliwatch …` example line (continued with a backslash) parses
        text = line.split("#")[0].strip()
        if joined:
            joined[-1] += " " + text.rstrip("\\")
        elif text.startswith("aliwatch ") and "<" not in text:
            joined.append(text.rstrip("\\"))
        if joined and not text.endswith("\\"):
            cmd = joined.pop()
            args = build_parser().parse_args(cmd.split()[1:])
            assert args.command, cmd


# --- calc ---------------------------------------------------------------------------------------------------

def test_calc_accepts_decimal_commas(home) -> None:
    r = aliwatch(home, "calc", "--price", "800,50", "--postage", "540", "--percent", "90", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["price"] == 800.5
    assert calc_cmd.parse_amount("1 234,50") == 1234.5 and calc_cmd.parse_amount("1.234,50") == 1234.5
    assert calc_cmd.parse_amount("1,234.50") == 1234.5 and calc_cmd.parse_amount("0,125") == 0.125
    refused(aliwatch(home, "calc", "--price", "1,234", "--postage", "5", "--percent", "90"), "ambiguous")
    refused(aliwatch(home, "calc", "--price", "eight", "--postage", "5", "--percent", "90"), "--price: price must be a number", "800,50")


def test_calc_when_postage_is_more_than_the_price(home) -> None:
    r = aliwatch(home, "calc", "--price", "800", "--postage", "900", "--percent", "10", "--currency", "RUB")
    assert r.returncode == 0, r.stderr
    assert "-" not in r.stdout.replace("refund-only", "").replace("Refund-only", "")  # no negative amounts
    assert "a return costs you 100 ₽" in r.stdout
    assert "Recommendation: refund only" in r.stdout
    assert "Any refund-only offer leaves you more than a return does." in r.stdout
    assert "below 1%" not in r.stdout


# --- pages ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("content, code", [(b"", "empty_page"), (b"   \n", "empty_page"),
                                           (b"\x00\x01\x02binary\x00" * 20, "unsupported_format")])
def test_report_refuses_empty_and_binary_input_like_analyze(home, tmp_path: Path, content: bytes, code: str) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(content)
    out = tmp_path / "copy.html"
    for argv in (["report", str(page), "-o", str(out)], ["analyze", str(page)],
                 ["draft", str(page), "--order", "1", "--problem", "damaged"]):
        refused(aliwatch(home, *argv), f"({code})")
    assert not out.exists()
    refused(aliwatch(home, "report", "-", "-o", str(out), stdin=content), f"stdin", f"({code})")


def test_draft_refuses_a_cancelled_order(home) -> None:
    truth = json.loads((LIST / "truth.json").read_text("utf-8"))
    closed = next(oid for oid, o in truth["orders"].items() if o["status"] == "closed")
    r = aliwatch(home, "draft", str(LIST / "page.html"), "--order", closed, "--problem", "not_received")
    refused(r, f"order {closed} is closed", "cannot be disputed", "nothing drafted")
    assert r.stdout == ""


# --- the store: add, deadlines, forget, uninstall --purge ------------------------------------------------------

def test_add_saved_pages_then_deadlines_in_russian(home, tmp_path: Path) -> None:
    r = aliwatch(home, "add", str(DETAIL / "page.html"), str(LIST / "page.html"), "--now", NOW)
    assert r.returncode == 0, r.stderr
    assert "1 order(s) from the order_detail page" in r.stdout and "8 order(s) from the order_list page" in r.stdout
    with sqlite3.connect(db_of(home)) as c:
        assert c.execute("SELECT count(*) FROM orders").fetchone()[0] == 9
        assert c.execute("SELECT at FROM deadlines WHERE kind = 'protection_ends'").fetchone()[0] \
            == "2026-12-01T00:00:00+00:00"

    en = aliwatch(home, "deadlines", "--now", NOW).stdout.splitlines()
    assert "Dec 1, 2026 00:00 (in 4 days)" in en[1]
    ru = aliwatch(home, "deadlines", "--now", NOW, "--lang", "ru").stdout.splitlines()
    assert "1 декабря 2026 00:00 (через 4 дня)" in ru[1], ru
    assert not any(m in ru[1] for m in ("Dec", "Tue", "Mon"))

    # A pdf among the pages: said with its own code, the others still added, exit 1.
    pdf = tmp_path / "orders.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    mixed = aliwatch(home, "add", str(pdf), str(DETAIL / "page.html"), "--now", NOW)
    assert mixed.returncode == 1 and "is a PDF document, not a saved web page (unsupported_format)" in mixed.stderr
    assert "1 order(s) from the order_detail page" in mixed.stdout


def test_add_defaults_to_the_time_the_page_was_saved(home, tmp_path: Path) -> None:
    page = tmp_path / "Orders.html"
    page.write_bytes((DETAIL / "page.html").read_bytes())
    saved = datetime(2026, 11, 26, 9, tzinfo=timezone.utc).timestamp()
    os.utime(page, (saved, saved))
    r = aliwatch(home, "add", str(page))
    assert r.returncode == 0 and "saved 2026-11-26 09:00 UTC" in r.stdout, r.stdout + r.stderr


def test_what_to_do_never_repeats_the_deadline_name(home) -> None:
    with Store(db_of(home)) as s:
        s.record({}, {"now": NOW, "cards": [
            {"order_id": "8213000000000001", "status": "completed", "status_text": "Completed", "deadlines": [
                {"kind": "delivery_promised", "at": "2026-12-05T00:00:00+00:00", "basis": "stated", "text": "x"}]}]})
    lines = aliwatch(home, "deadlines", "--now", NOW).stdout.splitlines()
    assert lines[1].count("Promised delivery") == 1 and lines[1].rstrip().endswith("-"), lines


def test_forget_all_asks_first(home, monkeypatch, capsys) -> None:
    from aliwatch.cli import build_parser
    from aliwatch.commands import forget

    assert aliwatch(home, "add", str(DETAIL / "page.html"), "--now", NOW).returncode == 0
    monkeypatch.setenv("XDG_DATA_HOME", home["XDG_DATA_HOME"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    asked = []
    monkeypatch.setattr("builtins.input", lambda q: asked.append(q) or "n")
    assert forget.run(build_parser().parse_args(["forget", "--all"])) == 1
    assert "Delete all 1 orders and 2 deadlines" in asked[0]
    with sqlite3.connect(db_of(home)) as c:
        assert c.execute("SELECT count(*) FROM orders").fetchone()[0] == 1
    monkeypatch.setattr("builtins.input", lambda q: "y")
    assert forget.run(build_parser().parse_args(["forget", "--all"])) == 0
    with sqlite3.connect(db_of(home)) as c:
        assert c.execute("SELECT count(*) FROM orders").fetchone()[0] == 0


def test_uninstall_says_what_remains_and_purge_removes_it(home) -> None:
    assert aliwatch(home, "install", "--browser", "firefox").returncode == 0
    assert aliwatch(home, "add", str(DETAIL / "page.html"), "--now", NOW).returncode == 0
    # This machine has no OS keyring (keyrings.alt's plaintext backend is never used): the token is a file.
    make_token = "from aliwatch.dashboard import token; print(token.load().where)"
    where = subprocess.run([sys.executable, "-c", make_token], env=home, capture_output=True, text=True)
    assert where.stdout.strip() == "file", where.stderr
    token_file = Path(home["XDG_DATA_HOME"]) / "aliwatch" / "dashboard-token"
    assert token_file.exists()

    doctor = aliwatch(home, "doctor", "--browser", "firefox").stdout
    assert f"deadline store: {db_of(home)}" in doctor and f"dashboard token file: {token_file}" in doctor
    assert "ALIWATCH_LOG" in doctor

    plain = aliwatch(home, "uninstall")
    assert plain.returncode == 0, plain.stderr
    assert "kept (your data; `aliwatch uninstall --purge` removes it):" in plain.stdout
    assert str(db_of(home)) in plain.stdout and str(token_file) in plain.stdout
    assert db_of(home).exists()

    purge = aliwatch(home, "uninstall", "--purge")
    assert purge.returncode == 0, purge.stderr
    assert not db_of(home).exists() and not token_file.exists()
    assert not list(db_of(home).parent.glob("aliwatch.db*")) if db_of(home).parent.exists() else True
    assert "kept" not in aliwatch(home, "uninstall").stdout


# --- the local zone --------------------------------------------------------------------------------------------

def test_analyze_without_tz_uses_the_zone_tzlocal_names(home, monkeypatch) -> None:
    import tzlocal

    from aliwatch import dates

    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: "America/Sao_Paulo")
    dates._local_zone.cache_clear()
    try:
        assert str(dates.zone(None)) == "America/Sao_Paulo"
    finally:
        dates._local_zone.cache_clear()

    def protection(env: dict[str, str], *extra: str) -> str:
        r = aliwatch(env, "analyze", str(DETAIL / "page.html"), "--now", NOW, "--json", *extra)
        (order,) = json.loads(r.stdout)["orders"]
        return next(d["at"] for d in order["deadlines"] if d["kind"] == "protection_ends")

    tokyo = {**home, "TZ": "Asia/Tokyo"}
    assert protection(tokyo) == protection(home, "--tz", "Asia/Tokyo") != protection(home, "--tz", "UTC")
