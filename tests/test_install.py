"""install/uninstall against a temporary HOME: where files go, what they say, that the launcher really
starts a working host, and that uninstall takes away exactly what install wrote."""
from __future__ import annotations

import argparse
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from aliwatch import CHROME_EXTENSION_ID, FIREFOX_EXTENSION_ID, HOST_NAME
from aliwatch.host.codec import decode, encode, read_frame
from aliwatch.install import run_install, run_uninstall

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux user-level paths only for now")

CHROME_ORIGIN = f"chrome-extension://{CHROME_EXTENSION_ID}/"
MANIFEST = f"{HOST_NAME}.json"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    return home


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def ns(browser: str = "all", user_data_dir: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(browser=browser, user_data_dir=user_data_dir)


def manifest_at(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def launcher_of(home: Path) -> Path:
    return home / ".local" / "share" / "aliwatch" / "aliwatch-host"


def test_all_installs_for_browsers_present_and_says_which_were_skipped(home: Path, capsys) -> None:
    (home / ".config" / "chromium").mkdir(parents=True)
    (home / ".mozilla").mkdir()
    assert run_install(ns()) == 0
    out = capsys.readouterr().out
    chromium = home / ".config/chromium/NativeMessagingHosts" / MANIFEST
    firefox = home / ".mozilla/native-messaging-hosts" / MANIFEST
    launcher = launcher_of(home)
    assert manifest_at(chromium) == {
        "name": HOST_NAME, "description": manifest_at(chromium)["description"], "path": str(launcher),
        "type": "stdio", "allowed_origins": [CHROME_ORIGIN]}
    assert manifest_at(firefox) == {
        "name": HOST_NAME, "description": manifest_at(firefox)["description"], "path": str(launcher),
        "type": "stdio", "allowed_extensions": [FIREFOX_EXTENSION_ID]}
    for missing in ("google-chrome", "BraveSoftware", "microsoft-edge"):
        assert not (home / ".config" / missing).exists()
    for name in ("chrome", "brave", "edge"):
        assert f"skipped {name}" in out
    assert str(chromium) in out and str(firefox) in out


def test_launcher_is_executable_and_uses_this_interpreter_unresolved(home: Path) -> None:
    assert run_install(ns("chromium")) == 0
    launcher = launcher_of(home)
    assert stat.S_IMODE(launcher.stat().st_mode) == 0o755
    text = launcher.read_text()
    assert text.startswith("#!/bin/sh\n")
    assert os.path.abspath(sys.executable) in text  # a venv's python symlink, not its target
    assert "-m aliwatch host" in text


@pytest.mark.parametrize("browser, argv", [
    ("chrome", [CHROME_ORIGIN]),  # how Chrome starts a host
    ("firefox", ["/x/org.aliwatch.helper.json", FIREFOX_EXTENSION_ID]),  # how Firefox does
])
def test_launcher_answers_a_ping_under_a_minimal_environment(home: Path, browser: str, argv: list[str]) -> None:
    assert run_install(ns(browser)) == 0
    manifest_dir = (home / ".config/google-chrome/NativeMessagingHosts" if browser == "chrome"
                    else home / ".mozilla/native-messaging-hosts")
    launcher = Path(manifest_at(manifest_dir / MANIFEST)["path"])
    proc = subprocess.run([str(launcher), *argv], input=encode({"type": "ping", "id": 1}), capture_output=True,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(home)}, cwd=launcher.parent, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    stream = io.BytesIO(proc.stdout)
    reply = decode(read_frame(stream))
    assert read_frame(stream) is None
    assert (reply["type"], reply["id"]) == ("pong", 1)


def test_explicit_browser_is_written_even_without_its_dir_and_uninstall_restores_the_tree(home: Path) -> None:
    (home / ".config").mkdir()
    before = tree(home)
    assert run_install(ns("chrome")) == 0
    assert (home / ".config/google-chrome/NativeMessagingHosts" / MANIFEST).is_file()
    assert run_uninstall(ns()) == 0
    assert tree(home) == before  # the manifest, its dirs, the launcher, the record and data dir are gone


def test_xdg_dirs_are_honoured(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    (tmp_path / "cfg" / "microsoft-edge").mkdir(parents=True)
    assert run_install(ns()) == 0
    manifest = manifest_at(tmp_path / "cfg/microsoft-edge/NativeMessagingHosts" / MANIFEST)
    assert manifest["path"] == str(tmp_path / "data" / "aliwatch" / "aliwatch-host")
    assert not (home / ".config").exists() and not (home / ".local").exists()


def test_user_data_dir_manifest_and_its_own_uninstall(home: Path, tmp_path: Path, capsys) -> None:
    (home / ".mozilla").mkdir()
    other = home / ".mozilla/native-messaging-hosts/someone.else.json"
    other.parent.mkdir()
    other.write_text("{}")
    before = tree(home)
    profile = tmp_path / "profile"
    assert run_install(ns("firefox")) == 0
    assert run_install(ns("chromium", str(profile))) == 0
    in_profile = profile / "NativeMessagingHosts" / MANIFEST
    assert manifest_at(in_profile)["allowed_origins"] == [CHROME_ORIGIN]
    assert not (home / ".config").exists()  # only the profile got a Chrome-family manifest

    assert run_uninstall(ns(user_data_dir=str(profile))) == 0
    assert not profile.exists()  # install created it, uninstall took it away
    firefox = home / ".mozilla/native-messaging-hosts" / MANIFEST
    assert firefox.is_file() and launcher_of(home).is_file()  # the other install is untouched

    capsys.readouterr()
    assert run_uninstall(ns()) == 0
    assert f"removed {firefox}" in capsys.readouterr().out
    assert tree(home) == before and other.read_text() == "{}"


def test_uninstall_one_browser_keeps_the_others(home: Path) -> None:
    (home / ".config/chromium").mkdir(parents=True)
    (home / ".config/google-chrome").mkdir(parents=True)
    assert run_install(ns()) == 0
    assert run_uninstall(ns("chrome")) == 0
    assert not (home / ".config/google-chrome/NativeMessagingHosts").exists()
    assert (home / ".config/chromium/NativeMessagingHosts" / MANIFEST).is_file()
    assert launcher_of(home).is_file()


def test_reinstall_is_idempotent(home: Path) -> None:
    (home / ".mozilla").mkdir()
    before = tree(home)
    assert run_install(ns()) == 0
    once = tree(home)
    assert run_install(ns()) == 0
    assert tree(home) == once
    record = json.loads((home / ".local/share/aliwatch/install.json").read_text())
    assert [m["browser"] for m in record["manifests"]] == ["firefox"]
    assert run_uninstall(ns()) == 0
    assert tree(home) == before


def test_uninstall_leaves_a_file_that_is_no_longer_ours(home: Path, capsys) -> None:
    assert run_install(ns("firefox")) == 0
    manifest = home / ".mozilla/native-messaging-hosts" / MANIFEST
    manifest.write_text('{"name": "something.else"}')
    assert run_uninstall(ns()) == 0
    assert manifest.read_text() == '{"name": "something.else"}'
    assert "no longer" in capsys.readouterr().out


def test_all_with_no_browser_fails_and_writes_nothing(home: Path, capsys) -> None:
    before = tree(home)
    assert run_install(ns()) == 1
    assert "no supported browser" in capsys.readouterr().err
    assert tree(home) == before


def test_user_data_dir_is_refused_for_firefox(home: Path, tmp_path: Path, capsys) -> None:
    assert run_install(ns("firefox", str(tmp_path / "p"))) == 1
    assert "Chrome-family" in capsys.readouterr().err
    assert not (tmp_path / "p").exists() and tree(home) == set()


def test_uninstall_with_nothing_installed_is_harmless(home: Path, capsys) -> None:
    assert run_uninstall(ns()) == 0
    assert "nothing to uninstall" in capsys.readouterr().out
    assert tree(home) == set()


def test_cli_entry_point(home: Path) -> None:
    (home / ".mozilla").mkdir()
    env = {**os.environ, "HOME": str(home)}
    env.pop("XDG_CONFIG_HOME", None)
    env.pop("XDG_DATA_HOME", None)
    proc = subprocess.run([sys.executable, "-m", "aliwatch", "install", "--browser", "firefox"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "firefox: wrote" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "aliwatch", "uninstall"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and "removed" in proc.stdout
    assert tree(home) == {".mozilla"}
