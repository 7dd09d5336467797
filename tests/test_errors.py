"""One registry per code family, and docs/PROTOCOL.md true to it: the host's error codes
(aliwatch/host/errors.py) and an analysis's problem codes (aliwatch/vocab.json analysis_problems)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from aliwatch import vocab
from aliwatch.host import errors

ROOT = Path(__file__).resolve().parents[1]
PROTOCOL = ROOT / "docs" / "PROTOCOL.md"
HELPER = ROOT / "helper" / "aliwatch"


def protocol_table(heading: str) -> list[str]:
    """The `code` column of the table under `## heading` in docs/PROTOCOL.md, in order."""
    section = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", PROTOCOL.read_text("utf-8"), re.S | re.M)
    assert section, heading
    return re.findall(r"^\| `(\w+)` \|", section.group(1), re.M)


def test_the_error_table_is_the_registry_in_order() -> None:
    # Append-only: a new code goes at the end of both, so the order is part of the check.
    assert protocol_table("Error codes") == list(errors.CODES)
    assert len(set(errors.CODES)) == len(errors.CODES)


def test_the_problem_table_is_the_registry() -> None:
    assert protocol_table("Problem codes (inside an analysis)") == list(vocab.ANALYSIS_PROBLEMS)


def _string_constants(path: Path) -> list[tuple[int, str]]:
    return [(n.lineno, n.value) for n in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_no_other_host_module_spells_an_error_code_out() -> None:
    codes = set(errors.CODES)
    found = [f"{p.relative_to(HELPER)}:{line}: {value}" for p in sorted((HELPER / "host").glob("*.py"))
             if p.name != "errors.py" for line, value in _string_constants(p) if value in codes]
    assert not found, "\n".join(found)


def test_every_problem_the_code_reports_is_registered() -> None:
    reported = set()
    for path in HELPER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem" and node.args \
                    and isinstance(node.args[0], ast.Constant):
                reported.add(node.args[0].value)
            # A problem built by hand, {"code": "card_too_large", "text": ...} (host/replies.py).
            if isinstance(node, ast.Dict) and [getattr(k, "value", None) for k in node.keys] == ["code", "text"] \
                    and isinstance(node.values[0], ast.Constant):
                reported.add(node.values[0].value)
    assert len(reported) >= 7, reported  # the scan found the parser's problems
    assert reported <= set(vocab.ANALYSIS_PROBLEMS), reported - set(vocab.ANALYSIS_PROBLEMS)
