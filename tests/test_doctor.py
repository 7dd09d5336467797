"""`aliwatch doctor` against installs under a temporary HOME: a healthy install passes (the real host
answers a real ping through the real launcher), and each way an install breaks is reported with its fix
and a non-zero exit."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aliwatch import CHROME_EXTENSION_ID, HOST_NAME
from aliwatch.commands import doctor
from aliwatch.install import Machine, install
from aliwatch.install.registry import FakeRegistry

pytestmark = pytest.mark.skipif(os.name != "posix", reason="starts POSIX launchers")

MANIFEST = f"{HOST_NAME}.json"
CHROMIUM = Path(".config/chromium/NativeMessagingHosts") / MANIFEST
FIREFOX = Path(".mozilla/native-messaging-hosts") / MANIFEST


@pytest.fixture
def linux(tmp_path: Path) -> Machine:
    home, root = tmp_path / "home", tmp_path / "root"
    home.mkdir()
    root.mkdir()
    return Machine("linux", home, {}, root)


def run(machine: Machine, capsys, browser: str = "all", timeout: float = 20.0, **kw) -> tuple[int, str]:
    args = argparse.Namespace(browser=browser, system=kw.get("system", False), user_data_dir=kw.get("udd"))
    code = doctor.run(args, machine=machine, timeout=timeout)
    return code, capsys.readouterr().out


def section(out: str, title: str) -> str:
    """The lines of one browser's report."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split(":")[0] == title)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    return "\n".join(lines[start:end])


def launcher(machine: Machine) -> Path:
    return machine.home / ".local/share/aliwatch/aliwatch-host"


def test_healthy_install_passes_with_a_real_ping(linux: Machine, capsys) -> None:
    (linux.home / ".mozilla").mkdir()
    (linux.home / ".config/chromium").mkdir(parents=True)
    install(machine=linux)
    code, out = run(linux, capsys)
    assert code == 0, out
    for title in ("chromium", "firefox"):
        part = section(out, title)
        assert "FAIL" not in part and "host answered ping in" in part, part
    assert f"Chrome ID {CHROME_EXTENSION_ID} matches" in out
    assert "not checked (not found on this machine): chrome, brave, edge, vivaldi" in out
    assert out.rstrip().endswith("everything checked works")


def test_missing_manifest(linux: Machine, capsys) -> None:
    (linux.home / ".mozilla").mkdir()  # Firefox is here, AliWatch never registered
    code, out = run(linux, capsys)
    assert code == 1
    part = section(out, "firefox")
    assert f"FAIL  no manifest at {linux.home / FIREFOX}" in part
    assert "fix: aliwatch install --browser firefox" in part


def test_system_manifest_counts_when_there_is_no_user_one(linux: Machine, capsys) -> None:
    install("firefox", system=True, machine=linux)
    code, out = run(linux, capsys, "firefox")
    assert code == 0, out
    assert f"manifest present: {linux.root / 'usr/lib/mozilla/native-messaging-hosts' / MANIFEST}" in out


def test_non_executable_launcher(linux: Machine, capsys) -> None:
    install("chromium", machine=linux)
    launcher(linux).chmod(0o644)
    code, out = run(linux, capsys, "chromium")
    assert code == 1
    part = section(out, "chromium")
    assert f"FAIL  launcher: {launcher(linux)} is not executable" in part
    assert f"fix: chmod +x {launcher(linux)}" in part
    assert "ping" not in part  # nothing to start


def test_wrong_extension_id(linux: Machine, capsys) -> None:
    install("chromium", machine=linux)
    path = linux.home / CHROMIUM
    manifest = json.loads(path.read_text())
    manifest["allowed_origins"] = ["chrome-extension://abcdefghijklmnopabcdefghijklmnop/"]
    path.write_text(json.dumps(manifest))
    code, out = run(linux, capsys, "chromium")
    assert code == 1
    part = section(out, "chromium")
    assert f"lacks chrome-extension://{CHROME_EXTENSION_ID}/" in part
    assert "fix: aliwatch install --browser chromium" in part
    assert "host answered ping" in part  # the host itself is fine: only the ID is wrong


def test_host_that_does_not_answer(linux: Machine, capsys) -> None:
    install("firefox", machine=linux)
    launcher(linux).write_text("#!/bin/sh\ncat > /dev/null\n")  # reads frames, never replies, keeps stdout open
    code, out = run(linux, capsys, "firefox", timeout=2)
    assert code == 1
    part = section(out, "firefox")
    assert "FAIL  host no answer within 2 s" in part
    assert "fix: start it by hand to see where it hangs" in part


def test_host_whose_python_is_gone(linux: Machine, capsys, tmp_path: Path) -> None:
    install("firefox", machine=linux)
    gone = tmp_path / "venv/bin/python"
    text = launcher(linux).read_text().replace(os.path.abspath(sys.executable), str(gone))
    launcher(linux).write_text(text)
    code, out = run(linux, capsys, "firefox")
    assert code == 1
    part = section(out, "firefox")
    assert f"runs {gone}, which no longer exists" in part
    assert "fix: run `aliwatch install --browser firefox` with the Python AliWatch is installed in now" in part


def test_host_that_writes_to_stdout_before_the_frames(linux: Machine, capsys) -> None:
    install("firefox", machine=linux)
    text = launcher(linux).read_text().replace("exec ", "echo hello\nexec ")
    launcher(linux).write_text(text)
    code, out = run(linux, capsys, "firefox")
    assert code == 1
    part = section(out, "firefox")
    assert "not a native-messaging frame" in part and "b'hell'" in part
    assert "only native-messaging frames may go there" in part


def test_host_that_crashes(linux: Machine, capsys) -> None:
    install("firefox", machine=linux)
    launcher(linux).write_text("#!/bin/sh\necho 'ModuleNotFoundError: No module named aliwatch' >&2\nexit 1\n")
    code, out = run(linux, capsys, "firefox")
    assert code == 1
    part = section(out, "firefox")
    assert "closed its output without answering (exit code 1): ModuleNotFoundError: No module named aliwatch" in part


def test_nothing_found_is_not_healthy(linux: Machine, capsys) -> None:
    code, out = run(linux, capsys)
    assert code == 1 and "no supported browser found" in out


def test_user_data_dir(linux: Machine, capsys, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    install("chromium", str(profile), machine=linux)
    code, out = run(linux, capsys, "chromium", udd=str(profile))
    assert code == 0, out
    assert f"manifest present: {profile / 'NativeMessagingHosts' / MANIFEST}" in out


def test_windows_layout_registry_checks(tmp_path: Path, capsys) -> None:
    home, root = tmp_path / "home", tmp_path / "root"
    home.mkdir()
    root.mkdir()
    reg = FakeRegistry()
    win = Machine("win32", home, {}, root, reg)
    reports, _ = doctor.diagnose(win, "edge", ping=False)
    edge = reports[1]
    assert edge.broken and "no registry key HKCU or HKLM\\Software\\Microsoft\\Edge" in edge.findings[0].what
    assert edge.findings[0].fix == "aliwatch install --browser edge"
    install("edge", machine=win)
    reports, _ = doctor.diagnose(win, "edge", ping=False)
    assert not reports[1].broken, reports[1]
    manifest = home / "AppData/Local/aliwatch" / f"{HOST_NAME}.chrome.json"
    manifest.unlink()
    reports, _ = doctor.diagnose(win, "edge", ping=False)
    assert any(f"the registry names {manifest}, which does not exist" in f.what for f in reports[1].findings)


def test_cli(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    env.pop("XDG_CONFIG_HOME", None)
    env.pop("XDG_DATA_HOME", None)
    cmd = [sys.executable, "-m", "aliwatch"]
    proc = subprocess.run(cmd + ["doctor", "--browser", "firefox"], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "fix: aliwatch install --browser firefox" in proc.stdout
    subprocess.run(cmd + ["install", "--browser", "firefox"], env=env, check=True, capture_output=True, timeout=60)
    proc = subprocess.run(cmd + ["doctor", "--browser", "firefox"], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "host answered ping in" in proc.stdout


def test_extension_built_under_other_ids_is_reported() -> None:
    from aliwatch.install.extension import BuiltExtension

    good = doctor.check_extension(BuiltExtension("x", None, None, CHROME_EXTENSION_ID, "aliwatch@aliwatch.org",
                                                 doctor.__version__))
    assert not good.broken
    bad = doctor.check_extension(BuiltExtension("x", None, None, "a" * 32, "other@example.org", "0.0.1"))
    failed = [f for f in bad.findings if not f.ok]
    assert [f.what for f in failed] == [
        f"Chrome ID {'a' * 32} differs from the helper's {CHROME_EXTENSION_ID}",
        "Firefox ID other@example.org differs from the helper's aliwatch@aliwatch.org",
        f"version 0.0.1 differs from the helper's {doctor.__version__}"]
    assert all("pip install --force-reinstall aliwatch" in f.fix for f in failed)
    missing = doctor.check_extension(None)
    assert missing.broken and "no built extension found" in missing.findings[0].what
