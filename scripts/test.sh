#!/usr/bin/env bash
# README command 2 (and exactly what CI runs, .ci/run): installs what the tests need and runs the suite.
# apt: Chromium and Firefox ESR for the end-to-end tests, Node.js (and npm only when npx is missing) for
# Mozilla's addons-linter. Python: a separate environment, .venv-test/, with the checkout installed
# editable plus the test tools (pytest, playwright, hypothesis, keyrings.alt, pipx), so test tools never
# reach the user's .venv. Extra arguments go to pytest (e.g. bash scripts/test.sh tests/test_calc.py).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/common.sh
VENV=$ROOT/.venv-test

step "Browsers and Node.js for the tests"
missing=()
have_chromium || missing+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || command -v firefox >/dev/null 2>&1 || missing+=(firefox-esr)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
# Only when npx is missing: with Node.js from NodeSource (which carries npm), Debian's npm conflicts.
command -v npx >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; else note "chromium, firefox, node and npx found"; fi

step "Python test environment ($VENV)"
find_python
make_venv "$VENV"

step "The helper (editable) and the test tools (pip install -e '.[test]' into .venv-test; about a minute)"
pip_in "$VENV" -e "$ROOT[test]"
"$VENV/bin/python" -m compileall -q helper/aliwatch >/dev/null  # an editable install is not compiled by pip

step "Mozilla's addons-linter (fetched into npx's cache now; the test only runs it)"
ADDONS_LINTER=addons-linter@10.14.0  # keep equal to LINTER in tests/test_addons_linter.py
npx --yes "$ADDONS_LINTER" --version

step "The test suite (python -m pytest -q)"
export PATH="$VENV/bin:$PATH"
exec "$VENV/bin/python" -m pytest -q "$@"
