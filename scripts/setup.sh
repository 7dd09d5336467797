#!/usr/bin/env bash
# One command from a fresh machine to a working AliWatch: installs Chromium and the helper, builds the
# extension, registers the native host with your browsers, then runs the demo on bundled sample pages.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/lib/chromium/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else
    echo "Please install Chromium with your package manager, then run this again." >&2
    exit 1
  fi
fi

python3 -m pip install -q -e ".[test]"
python3 build.py
aliwatch install
aliwatch doctor || echo "aliwatch doctor found a problem above; the demo uses its own temporary profile and still runs." >&2
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  aliwatch demo
else
  aliwatch demo --headless --screenshot docs/screenshot.png
fi
