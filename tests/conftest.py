import atexit
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

from helpers.fixtures import FIXTURES


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


# Hypothesis: "ci" (the default) runs a fast, fixed subset so the suite stays quick and repeatable; "long"
# explores: HYPOTHESIS_PROFILE=long python3 -m pytest -q tests/test_properties.py
try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis is a test extra; modules that need it import it themselves
    pass
else:
    _SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                    HealthCheck.filter_too_much]
    settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                              suppress_health_check=_SLOW_INPUTS)
    settings.register_profile("long", max_examples=10_000, deadline=None, suppress_health_check=_SLOW_INPUTS)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
