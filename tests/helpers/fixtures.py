"""The fixture corpus (tests/fixtures/<case>/page.html + truth.json)."""
from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_cases() -> list[str]:
    return sorted(p.parent.name for p in FIXTURES.glob("*/truth.json"))


def load_case(name: str) -> tuple[str, dict]:
    case = FIXTURES / name
    return (case / "page.html").read_text("utf-8"), json.loads((case / "truth.json").read_text("utf-8"))
