# Shared by scripts/setup.sh and scripts/test.sh (sourced, not run): step headers, apt through sudo when
# not root, and a Python virtual environment that works with Debian's and Ubuntu's own python3 (PEP 668:
# their system Python refuses `pip install`, so everything goes into a venv inside the checkout).

STEP=0
step() { STEP=$((STEP + 1)); printf '\n==> [%d] %s\n' "$STEP" "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf 'aliwatch setup: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root for: $* (run as root, or install sudo)"
  fi
}

APT_UPDATED=
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "no apt-get here: install $* with your package manager, then run this again"
  if [ -z "$APT_UPDATED" ]; then
    note "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    APT_UPDATED=1
  fi
  note "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

have_chromium() {
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || [ -x /usr/lib/chromium/chromium ]
}

# The interpreter the environments are made from: $ALIWATCH_PYTHON, else python3 on PATH (installed with
# apt when missing). Sets PY.
find_python() {
  PY=${ALIWATCH_PYTHON:-python3}
  if ! command -v "$PY" >/dev/null 2>&1; then
    [ -z "${ALIWATCH_PYTHON:-}" ] || die "ALIWATCH_PYTHON=$PY not found"
    apt_install python3 python3-venv
  fi
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
    || die "$("$PY" -V 2>&1) is too old: AliWatch needs Python 3.10 or newer"
  note "using $(command -v "$PY") ($("$PY" -V 2>&1))"
}

# make_venv DIR: a working venv in DIR (kept when it works, made again when it does not).
make_venv() {
  local dir=$1
  if [ -x "$dir/bin/python" ] && "$dir/bin/python" -m pip --version >/dev/null 2>&1; then
    note "reusing $dir"
    return
  fi
  # Debian and Ubuntu ship venv's pip bootstrap (ensurepip) in a separate package.
  if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    note "python3 -m venv is missing: installing python3-venv"
    local minor
    minor=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt_install python3-venv "python$minor-venv"
  fi
  rm -rf "$dir"
  "$PY" -m venv "$dir" || die "python3 -m venv $dir failed"
  note "created $dir"
}

pip_in() {  # pip_in DIR ARGS...: pip of the venv in DIR, compiling .pyc files as it installs
  "$1/bin/python" -m pip install --disable-pip-version-check --compile "${@:2}"
}
