"""bs4's unused imports (soupsieve, the charset detector) stay out of the host's and the CLI's start
(aliwatch/deferred_imports.py), while select() and bs4's encoding guess still work when something uses them.
Each check runs in a fresh interpreter, as the host and the CLI do."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("soupsieve.css_parser", "charset_normalizer.api")


def run(code: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_snapshot_answered_by_the_host_loads_neither_soupsieve_nor_a_charset_detector(tmp_path) -> None:
    out = run(f"""
import json, os, sys
os.environ["ALIWATCH_DB"] = {str(tmp_path / "aw.db")!r}
from aliwatch.host.dispatch import handle
msg = json.load(open("bench/data/snapshot_60.json"))
replies = handle(msg)
print(json.dumps({{"cards": len(replies[0]["cards"]), "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
""")
    assert out == {"cards": 60, "loaded": []}


def test_the_cli_analysis_of_a_saved_page_loads_neither() -> None:
    out = run(f"""
import io, json, sys, contextlib
from aliwatch.cli import main
with contextlib.redirect_stdout(io.StringIO()) as text:
    code = main(["analyze", "tests/fixtures/list_en_big/page.html", "--json"])
print(json.dumps({{"code": code, "orders": len(json.loads(text.getvalue())["orders"]),
                  "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
""")
    assert out == {"code": 0, "orders": 60, "loaded": []}


def test_select_and_the_encoding_guess_still_work_after_aliwatch_is_imported() -> None:
    probe = """
import json, sys
import bs4
soup = bs4.BeautifulSoup('<div class="a b"><p id="x">hi</p><p>yo</p></div>', "lxml")
guess = bs4.BeautifulSoup("<p>Привет, мир: всё хорошо и даже лучше</p>".encode("cp1251"), "lxml").p.text
print(json.dumps({"select": [p.text for p in soup.select("div.b > p")], "one": soup.select_one("p#x").text,
                  "escape": soup.css.escape("1a"), "guess": guess}))
"""
    with_aliwatch = run("import aliwatch\n" + probe)
    without = run(probe)
    assert with_aliwatch == without
    assert with_aliwatch["select"] == ["hi", "yo"] and with_aliwatch["one"] == "hi"


def test_nothing_is_deferred_once_bs4_holds_the_real_modules() -> None:
    out = run("""
import json, sys
import bs4, soupsieve
real = sys.modules["soupsieve"]
import aliwatch
from aliwatch.deferred_imports import defer
defer()
print(json.dumps({"same": sys.modules["soupsieve"] is real and bs4.css.soupsieve is real}))
""")
    assert out == {"same": True}
