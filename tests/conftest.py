import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_cases() -> list[str]:
    return sorted(p.parent.name for p in FIXTURES.glob("*/truth.json"))


def load_case(name: str) -> tuple[str, dict]:
    case = FIXTURES / name
    return (case / "page.html").read_text("utf-8"), json.loads((case / "truth.json").read_text("utf-8"))


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
