"""The README's two commands (scripts/setup.sh, scripts/test.sh) and CI (.ci/run): what they are, and the
set-up steps a fresh machine needs, run for real with bash against stand-ins for apt-get and sudo (a test
cannot uninstall python3-venv from the machine it runs on). The venv they make is real."""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Debian's own python3 when there is one (what the scripts meet on a fresh machine, and readable by any user).
PY = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable


def readme_commands() -> list[str]:
    """The commands of the README's first code block (comments dropped)."""
    text = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```\n(.*?)```", text, re.S)
    assert block and text.index("```") < text.index("## Load the extension")
    return [line.split("#")[0].strip() for line in block[1].splitlines() if line.split("#")[0].strip()]


def test_the_readme_starts_with_the_two_commands_and_ci_runs_the_second() -> None:
    assert readme_commands() == ["bash scripts/setup.sh", "bash scripts/test.sh"]
    ci = [line.strip() for line in (ROOT / ".ci/run").read_text("utf-8").splitlines()
          if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))]
    assert ci == [readme_commands()[1]]


def test_the_user_install_carries_no_test_tools() -> None:
    setup = (ROOT / "scripts/setup.sh").read_text("utf-8")
    assert '"$ROOT[demo]"' in setup and "[test]" not in setup and "keyrings" not in setup
    assert 'VENV=$ROOT/.venv\n' in setup and 'VENV=$ROOT/.venv-test\n' in (ROOT / "scripts/test.sh").read_text("utf-8")
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    runtime = " ".join(project["dependencies"] + project["optional-dependencies"]["demo"])
    for tool in ("pytest", "keyrings.alt", "hypothesis", "pipx"):
        assert tool not in runtime


def _tool(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture
def machine():  # type: ignore[no-untyped-def]
    """A PATH with a logging apt-get and sudo, and a python3 that has no venv support until apt-get has
    installed python3-venv (as on a fresh Debian or Ubuntu). In a folder any user can reach."""
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="aliwatch-setup-test-"))
    tmp_path.chmod(0o777)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    flag = tmp_path / "python3-venv-installed"
    _tool(bin_dir / "apt-get", f'echo "apt-get $*" >> {log}\n'
                               f'case " $* " in *" python3-venv "*) touch {flag};; esac\n')
    _tool(bin_dir / "sudo", f'echo "sudo $1" >> {log}\nexec "$@"\n')
    _tool(bin_dir / "python3", f'for a in "$@"; do case "$a" in *ensurepip*) [ -f {flag} ] || exit 1;; esac; done\n'
                               f'exec {PY} "$@"\n')
    for f in (tmp_path, bin_dir, *bin_dir.iterdir()):
        f.chmod(f.stat().st_mode | 0o777)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    yield {"env": env, "log": log, "dir": tmp_path}
    shutil.rmtree(tmp_path, ignore_errors=True)


def _run(machine: dict, script: str, user: int | None = None) -> subprocess.CompletedProcess:
    cmd = ["bash", "-c", f". {ROOT}/scripts/common.sh; {script}"]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    return subprocess.run(cmd, env=machine["env"], capture_output=True, text=True, timeout=300, cwd=machine["dir"])


@pytest.mark.parametrize("as_user", [False, True], ids=["root-or-current-user", "normal-user-with-sudo"])
def test_a_missing_venv_module_is_installed_with_apt_then_the_venv_works(machine: dict, as_user: bool) -> None:
    if as_user and (os.geteuid() != 0 or shutil.which("setpriv") is None):
        pytest.skip("needs root and setpriv to act as another user")
    venv = machine["dir"] / "v"
    r = _run(machine, f'step "Python"; find_python; make_venv {venv}; have_chromium || echo no-chromium',
             user=65534 if as_user else None)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "==> [1] Python" in r.stdout and "installing python3-venv" in r.stdout
    calls = machine["log"].read_text().splitlines()
    minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
    installs = [c for c in calls if c.startswith("apt-get") and " install " in c]
    assert installs and installs[0].endswith(f"python3-venv python{minor}-venv")
    assert any(c.startswith("apt-get") and c.endswith("update -q") for c in calls)
    expected_sudo = as_user or os.geteuid() != 0
    assert any(c.startswith("sudo") for c in calls) == expected_sudo, calls
    check = subprocess.run([str(venv / "bin/python"), "-m", "pip", "--version"], capture_output=True, text=True)
    assert check.returncode == 0 and str(venv) in check.stdout

    # Again: the working venv is kept, nothing is installed twice.
    before = len(calls)
    again = _run(machine, f"find_python; make_venv {venv}", user=65534 if as_user else None)
    assert again.returncode == 0 and "reusing" in again.stdout
    assert len(machine["log"].read_text().splitlines()) == before


def test_without_root_or_sudo_it_says_what_to_do(machine: dict) -> None:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to act as another user")
    (machine["dir"] / "bin" / "sudo").unlink()
    r = _run(machine, f"find_python; make_venv {machine['dir'] / 'v'}", user=65534)
    assert r.returncode == 1 and "need root for: env DEBIAN_FRONTEND=noninteractive apt-get update" in r.stderr
