import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Every test (and every host or CLI subprocess it starts, which inherits the environment) keeps its deadline
# store and other user data in a throwaway directory, never in the real ~/.local/share/aliwatch.
_DATA_HOME = tempfile.mkdtemp(prefix="aliwatch-test-data-")
os.environ["XDG_DATA_HOME"] = _DATA_HOME
os.environ.pop("ALIWATCH_DB", None)
atexit.register(shutil.rmtree, _DATA_HOME, True)

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_cases() -> list[str]:
    return sorted(p.parent.name for p in FIXTURES.glob("*/truth.json"))


def load_case(name: str) -> tuple[str, dict]:
    case = FIXTURES / name
    return (case / "page.html").read_text("utf-8"), json.loads((case / "truth.json").read_text("utf-8"))


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
