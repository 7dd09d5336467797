#!/usr/bin/env bash
# README command 1: from a fresh machine to a working AliWatch. Installs Chromium (apt) if missing, makes
# .venv/ in the checkout with the helper and its runtime dependencies only (no test tools), builds the
# extension into dist/, registers the helper with your browsers (`aliwatch install`), checks it
# (`aliwatch doctor`) and runs the demo on bundled sample pages. Run it as yourself: it uses sudo for apt
# only. Running it again is safe (it reuses what works).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/common.sh
VENV=$ROOT/.venv

step "Python (a virtual environment in $VENV)"
find_python
make_venv "$VENV"

step "Chromium (for the demo)"
if have_chromium; then note "found"; else apt_install chromium; fi

step "The helper and its runtime dependencies (pip install '.[demo]' into .venv; about a minute)"
pip_in "$VENV" "$ROOT[demo]"

step "The extension (build.py -> dist/chrome, dist/firefox)"
"$VENV/bin/python" build.py

step "Register the helper with your browsers (aliwatch install)"
"$VENV/bin/aliwatch" install
# A command on PATH for you: ~/.local/bin/aliwatch -> .venv/bin/aliwatch (the XDG place for user commands).
mkdir -p "$HOME/.local/bin"
ln -sfn "$VENV/bin/aliwatch" "$HOME/.local/bin/aliwatch"
note "linked $HOME/.local/bin/aliwatch -> $VENV/bin/aliwatch"
case ":$PATH:" in *":$HOME/.local/bin:"*) ;; *) note "add it to PATH: export PATH=\"\$HOME/.local/bin:\$PATH\"";; esac

step "Check the registration (aliwatch doctor)"
"$VENV/bin/aliwatch" doctor \
  || note "aliwatch doctor found a problem above; the demo uses its own temporary profile and still runs."

step "Demo on sample order pages"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  "$VENV/bin/aliwatch" demo
else
  # No display: screenshots instead, outside the checkout (nothing tracked is rewritten): into
  # $ALIWATCH_DEMO_OUT, else the demo's default, ~/.cache/aliwatch/demo.
  "$VENV/bin/aliwatch" demo --headless ${ALIWATCH_DEMO_OUT:+--screenshots "$ALIWATCH_DEMO_OUT"}
fi

step "Done"
note "AliWatch is installed in $VENV. Load dist/chrome or dist/firefox in your browser (README: Load the extension)."
