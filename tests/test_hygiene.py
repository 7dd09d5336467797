"""The test suite's own layout: test modules share code through tests/helpers/, never by importing one another
or conftest (which pytest loads itself), and nothing turns a broken import into a skip."""
from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
MODULES = sorted(p for p in TESTS.rglob("test_*.py") if "fixtures" not in p.relative_to(TESTS).parts)
CROSS_IMPORT = re.compile(r"^\s*(?:from\s+\.?(?:test_\w+|conftest)\s+import|import\s+(?:test_\w+|conftest)\b)", re.M)
SKIP_ON_IMPORT = re.compile(r"importorskip\(\s*[\"']aliwatch|find_spec\(\s*[\"']aliwatch")


def test_test_modules_never_import_one_another() -> None:
    assert len(MODULES) > 20
    found = [f"{p.relative_to(TESTS)}: {m.group(0).strip()}" for p in MODULES
             for m in CROSS_IMPORT.finditer(p.read_text("utf-8"))]
    assert not found, "\n".join(found)


def test_a_missing_aliwatch_module_fails_instead_of_skipping() -> None:
    found = [str(p.relative_to(TESTS)) for p in [*MODULES, *(TESTS / "helpers").glob("*.py")]
             if p != Path(__file__).resolve() and SKIP_ON_IMPORT.search(p.read_text("utf-8"))]
    assert not found, found
