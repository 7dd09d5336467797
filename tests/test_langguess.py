"""The language-guess index is built at build time (build.py → langguess_index.json) and read at run time
without loading every phrase table; a stale or missing file falls back to building it, never to a wrong
index."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from aliwatch import langguess

ROOT = Path(__file__).resolve().parent.parent


def test_the_built_index_is_current_and_equals_the_one_built_from_the_tables() -> None:
    built = langguess.read_index()
    assert built is not None, "helper/aliwatch/langguess_index.json is missing or stale: run python3 build.py"
    assert built == langguess.build_index()
    assert len(built) > 100 and any(lang == "ru" for entries in built.values() for lang, _, _ in entries)


def test_a_stale_or_broken_index_is_not_used(tmp_path) -> None:
    path = tmp_path / "index.json"
    langguess.write_index(str(path))
    assert langguess.read_index(str(path)) == langguess.build_index()
    data = json.loads(path.read_text("utf-8"))
    data["index"]["zzzz"] = [["en", ["zzzz"], True]]
    data["fingerprint"] = "0" * 64  # built from other tables
    path.write_text(json.dumps(data), "utf-8")
    assert langguess.read_index(str(path)) is None
    path.write_text("{not json", "utf-8")
    assert langguess.read_index(str(path)) is None
    assert langguess.read_index(str(tmp_path / "missing.json")) is None


def test_guessing_a_page_language_loads_no_more_tables_than_being_told_it() -> None:
    """A page without `lang` is read in Russian from its words, loading the same tables (Russian and the
    English fallback) as the same page with `lang="ru"`: not all eleven."""
    code = """
import json
from datetime import datetime, timezone
from aliwatch import phrases
loaded = []
real = phrases.load
phrases.load = lambda lang: loaded.append(lang) or real(lang)
from aliwatch.analysis import analyze_html
html = open("tests/fixtures/list_ru_mixed/page.html", encoding="utf-8").read()
html = html.replace('lang="ru"', "").replace("lang='ru'", "")
url, now = "https://www.aliexpress.com/p/order/index.html", datetime.now(timezone.utc)
out = analyze_html(html, url=url, now=now)
guessed = sorted(set(loaded))
loaded.clear()
told = analyze_html(html, url=url, now=now, lang="ru")
print(json.dumps({"lang": out["lang"], "loaded": guessed, "told": sorted(set(loaded)),
                  "same": out["orders"] == told["orders"]}))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["lang"] == "ru" and out["same"]
    assert out["loaded"] == out["told"] == ["en", "ru"], out
