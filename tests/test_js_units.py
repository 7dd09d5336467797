"""The extension's pure JavaScript (how reminders read, settings, requests, the content scripts' pure parts)
under node's built-in test runner: tests/js/*.test.mjs. Skipped only when node is not installed (CI has it)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = Path(__file__).parent / "js"


def test_node_unit_tests_pass() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the extension's JavaScript unit tests (tests/js) need it")
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.mjs"))
    assert files, f"no *.test.mjs in {JS_TESTS}"
    # Files named explicitly (not the directory): node 20 and 22 differ in how they search one.
    proc = subprocess.run([node, "--test", "--test-reporter=tap", *files], capture_output=True, text=True,
                          timeout=300, cwd=JS_TESTS.parent.parent)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    counts = {k: int(v) for k, v in re.findall(r"^# (pass|fail|cancelled) (\d+)$", out, re.M)}
    assert counts.get("fail") == 0 and counts.get("cancelled", 0) == 0, out
    assert counts.get("pass", 0) >= 10, out  # the tests really ran
