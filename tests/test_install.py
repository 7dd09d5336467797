"""install/uninstall on a Linux machine under a temporary HOME (and a temporary filesystem root for the
system-wide dirs and for "is the browser installed?"): where files go, what they say, that the launcher
really starts a working host, and that uninstall takes away exactly what install wrote."""
from __future__ import annotations

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
from aliwatch.install import InstallError, Machine, install, uninstall

pytestmark = pytest.mark.skipif(os.name != "posix", reason="runs launchers as POSIX shell scripts")

CHROME_ORIGIN = f"chrome-extension://{CHROME_EXTENSION_ID}/"
MANIFEST = f"{HOST_NAME}.json"

# Where each browser reads per-user and system-wide manifests on Linux (Chrome and MDN docs).
USER_DIRS = {
    "chromium": ".config/chromium/NativeMessagingHosts",
    "chrome": ".config/google-chrome/NativeMessagingHosts",
    "brave": ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    "edge": ".config/microsoft-edge/NativeMessagingHosts",
    "vivaldi": ".config/vivaldi/NativeMessagingHosts",
    "firefox": ".mozilla/native-messaging-hosts",
}
SYSTEM_DIRS = {
    "chromium": "etc/chromium/native-messaging-hosts",
    "chrome": "etc/opt/chrome/native-messaging-hosts",
    "brave": "etc/opt/chrome/native-messaging-hosts",
    "edge": "etc/opt/edge/native-messaging-hosts",
    "vivaldi": "etc/chromium/native-messaging-hosts",
    "firefox": "usr/lib/mozilla/native-messaging-hosts",
}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    return home


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    root.mkdir()
    return root


@pytest.fixture
def linux(home: Path, root: Path) -> Machine:
    return Machine("linux", home, {}, root)


def tree(top: Path) -> set[str]:
    return {str(p.relative_to(top)) for p in top.rglob("*")}


def manifest_at(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def launcher_of(home: Path) -> Path:
    return home / ".local" / "share" / "aliwatch" / "aliwatch-host"


def expected(browser: str, launcher: Path, description: str) -> dict:
    allowed = ({"allowed_extensions": [FIREFOX_EXTENSION_ID]} if browser == "firefox"
               else {"allowed_origins": [CHROME_ORIGIN]})
    return {"name": HOST_NAME, "description": description, "path": str(launcher), "type": "stdio", **allowed}


@pytest.mark.parametrize("browser", sorted(USER_DIRS))
def test_each_browser_user_level(linux: Machine, home: Path, browser: str) -> None:
    before = tree(home)
    lines = install(browser, machine=linux)
    path = home / USER_DIRS[browser] / MANIFEST
    got = manifest_at(path)
    assert got == expected(browser, launcher_of(home), got["description"]) and got["description"]
    assert f"{browser}: wrote {path}" in lines
    uninstall(browser, machine=linux)
    assert tree(home) == before


@pytest.mark.parametrize("browser", sorted(SYSTEM_DIRS))
def test_each_browser_system_level(linux: Machine, home: Path, root: Path, browser: str) -> None:
    install(browser, system=True, machine=linux)
    path = root / SYSTEM_DIRS[browser] / MANIFEST
    launcher = root / "usr/local/lib/aliwatch/aliwatch-host"
    got = manifest_at(path)
    assert got == expected(browser, launcher, got["description"])
    assert (root / "usr/local/lib/aliwatch/install.json").is_file()
    assert tree(home) == set()  # a system install touches nothing of the user's
    assert "nothing to uninstall" in uninstall(browser, machine=linux)[0]  # the user record is not the system's
    uninstall(browser, system=True, machine=linux)
    assert tree(root) == set()


def test_firefox_system_dir_is_lib64_on_fedora_style_systems(linux: Machine, root: Path) -> None:
    (root / "usr/lib64/firefox").mkdir(parents=True)
    install("firefox", system=True, machine=linux)
    assert (root / "usr/lib64/mozilla/native-messaging-hosts" / MANIFEST).is_file()


def test_all_installs_for_browsers_present_and_says_which_were_skipped(linux: Machine, home: Path,
                                                                        root: Path) -> None:
    (home / ".config" / "chromium").mkdir(parents=True)  # a profile: the user ran it
    (root / "usr/lib/firefox-esr").mkdir(parents=True)  # installed, never run by this user
    out = "\n".join(install(machine=linux))
    chromium = home / USER_DIRS["chromium"] / MANIFEST
    firefox = home / USER_DIRS["firefox"] / MANIFEST
    assert manifest_at(chromium)["allowed_origins"] == [CHROME_ORIGIN]
    assert manifest_at(firefox)["allowed_extensions"] == [FIREFOX_EXTENSION_ID]
    for missing in ("google-chrome", "BraveSoftware", "microsoft-edge", "vivaldi"):
        assert not (home / ".config" / missing).exists()
    for name in ("chrome", "brave", "edge", "vivaldi"):
        assert f"skipped {name}: not found" in out and f"--browser {name} installs anyway" in out
    assert str(chromium) in out and str(firefox) in out


def test_launcher_is_executable_and_uses_this_interpreter_unresolved(linux: Machine, home: Path) -> None:
    install("chromium", machine=linux)
    launcher = launcher_of(home)
    assert stat.S_IMODE(launcher.stat().st_mode) == 0o755
    text = launcher.read_text()
    assert text.startswith("#!/bin/sh\n")
    assert f"exec {os.path.abspath(sys.executable)} -m aliwatch host \"$@\"" in text  # a venv's symlink, not its target


@pytest.mark.parametrize("browser, argv", [
    ("chrome", [CHROME_ORIGIN]),  # how Chrome starts a host
    ("chrome", [CHROME_ORIGIN, "--parent-window=0"]),  # how Chrome on Windows does
    ("firefox", ["/x/org.aliwatch.helper.json", FIREFOX_EXTENSION_ID]),  # how Firefox does
])
def test_launcher_answers_a_ping_under_a_minimal_environment(linux: Machine, home: Path, browser: str,
                                                             argv: list[str]) -> None:
    install(browser, machine=linux)
    launcher = Path(manifest_at(home / USER_DIRS[browser] / MANIFEST)["path"])
    proc = subprocess.run([str(launcher), *argv], input=encode({"type": "ping", "id": 1}), capture_output=True,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(home)}, cwd=launcher.parent, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    stream = io.BytesIO(proc.stdout)
    reply = decode(read_frame(stream))
    assert read_frame(stream) is None
    assert (reply["type"], reply["id"]) == ("pong", 1)


def test_explicit_browser_is_written_even_without_its_dir_and_uninstall_restores_the_tree(linux: Machine,
                                                                                          home: Path) -> None:
    (home / ".config").mkdir()
    before = tree(home)
    install("chrome", machine=linux)
    assert (home / USER_DIRS["chrome"] / MANIFEST).is_file()
    uninstall(machine=linux)
    assert tree(home) == before  # the manifest, its dirs, the launcher, the record and data dir are gone


def test_xdg_dirs_are_honoured(home: Path, root: Path, tmp_path: Path) -> None:
    machine = Machine("linux", home, {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data")},
                      root)
    (tmp_path / "cfg" / "microsoft-edge").mkdir(parents=True)
    install(machine=machine)
    manifest = manifest_at(tmp_path / "cfg/microsoft-edge/NativeMessagingHosts" / MANIFEST)
    assert manifest["path"] == str(tmp_path / "data" / "aliwatch" / "aliwatch-host")
    assert tree(home) == set()


def test_relative_xdg_values_are_ignored_as_the_spec_says(home: Path, root: Path) -> None:
    machine = Machine("linux", home, {"XDG_CONFIG_HOME": "cfg", "XDG_DATA_HOME": "data"}, root)
    install("chromium", machine=machine)
    assert (home / USER_DIRS["chromium"] / MANIFEST).is_file() and launcher_of(home).is_file()


def test_user_data_dir_manifest_and_its_own_uninstall(linux: Machine, home: Path, tmp_path: Path) -> None:
    (home / ".mozilla").mkdir()
    other = home / ".mozilla/native-messaging-hosts/someone.else.json"
    other.parent.mkdir()
    other.write_text("{}")
    before = tree(home)
    profile = tmp_path / "profile"
    install("firefox", machine=linux)
    install("chromium", str(profile), machine=linux)
    in_profile = profile / "NativeMessagingHosts" / MANIFEST
    assert manifest_at(in_profile)["allowed_origins"] == [CHROME_ORIGIN]
    assert not (home / ".config").exists()  # only the profile got a Chrome-family manifest

    uninstall(user_data_dir=str(profile), machine=linux)
    assert not profile.exists()  # install created it, uninstall took it away
    firefox = home / USER_DIRS["firefox"] / MANIFEST
    assert firefox.is_file() and launcher_of(home).is_file()  # the other install is untouched

    assert f"firefox: removed {firefox}" in uninstall(machine=linux)
    assert tree(home) == before and other.read_text() == "{}"


def test_uninstall_one_browser_keeps_the_others(linux: Machine, home: Path) -> None:
    (home / ".config/chromium").mkdir(parents=True)
    (home / ".config/google-chrome").mkdir(parents=True)
    install(machine=linux)
    uninstall("chrome", machine=linux)
    assert not (home / ".config/google-chrome/NativeMessagingHosts").exists()
    assert (home / USER_DIRS["chromium"] / MANIFEST).is_file()
    assert launcher_of(home).is_file()


def test_a_system_dir_shared_by_two_browsers_goes_with_the_last_of_them(linux: Machine, root: Path) -> None:
    install("chrome", system=True, machine=linux)
    install("brave", system=True, machine=linux)  # Brave reads Chrome's system dir
    shared = root / SYSTEM_DIRS["chrome"] / MANIFEST
    lines = uninstall("chrome", system=True, machine=linux)
    assert shared.is_file() and f"chrome: kept {shared}: still used by brave" in lines
    lines = uninstall("brave", system=True, machine=linux)
    assert f"brave: removed {shared}" in lines
    assert tree(root) == set()


def test_reinstall_is_idempotent(linux: Machine, home: Path) -> None:
    (home / ".mozilla").mkdir()
    before = tree(home)
    install(machine=linux)
    once = tree(home)
    install(machine=linux)
    assert tree(home) == once
    record = json.loads((home / ".local/share/aliwatch/install.json").read_text())
    assert [m["browser"] for m in record["manifests"]] == ["firefox"]
    assert record["python"] == os.path.abspath(sys.executable)
    uninstall(machine=linux)
    assert tree(home) == before


def test_uninstall_leaves_a_file_that_is_no_longer_ours(linux: Machine, home: Path) -> None:
    install("firefox", machine=linux)
    manifest = home / USER_DIRS["firefox"] / MANIFEST
    manifest.write_text('{"name": "something.else"}')
    lines = uninstall(machine=linux)
    assert manifest.read_text() == '{"name": "something.else"}'
    assert any("no longer" in line for line in lines)


def test_all_with_no_browser_fails_and_writes_nothing(linux: Machine, home: Path, root: Path) -> None:
    with pytest.raises(InstallError, match="no supported browser found"):
        install(machine=linux)
    assert tree(home) == set() and tree(root) == set()


def test_user_data_dir_is_refused_for_firefox(linux: Machine, home: Path, tmp_path: Path) -> None:
    with pytest.raises(InstallError, match="Chrome-family"):
        install("firefox", str(tmp_path / "p"), machine=linux)
    assert not (tmp_path / "p").exists() and tree(home) == set()


def test_uninstall_with_nothing_installed_is_harmless(linux: Machine, home: Path) -> None:
    assert "nothing to uninstall" in uninstall(machine=linux)[0]
    assert tree(home) == set()


def test_a_failed_install_is_recorded_so_uninstall_cleans_up(linux: Machine, home: Path) -> None:
    blocker = home / ".mozilla"
    blocker.write_text("a file where a dir should be")
    with pytest.raises((InstallError, OSError)):
        install("firefox", machine=linux)
    assert launcher_of(home).is_file()  # written before the manifest failed
    uninstall(machine=linux)
    assert tree(home) == {".mozilla"}


def test_system_install_without_rights_says_how(linux: Machine, root: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    (root / "usr").mkdir()
    (root / "usr").chmod(0o555)
    try:
        with pytest.raises(InstallError, match="administrator"):
            install("chrome", system=True, machine=linux)
    finally:
        (root / "usr").chmod(0o755)


# --- Flatpak and Snap -------------------------------------------------------------------------------

def test_flatpak_firefox_gets_a_wrapper_inside_its_sandbox_and_the_permission_step(linux: Machine,
                                                                                    home: Path) -> None:
    app = home / ".var/app/org.mozilla.firefox"
    app.mkdir(parents=True)
    lines = install(machine=linux)
    manifest = app / ".mozilla/native-messaging-hosts" / MANIFEST
    wrapper = Path(manifest_at(manifest)["path"])
    assert wrapper == app / "data/aliwatch/aliwatch-host-flatpak"  # the sandbox can see ~/.var/app/<id>
    text = wrapper.read_text()
    assert f"exec flatpak-spawn --host {os.path.abspath(sys.executable)} -m aliwatch host \"$@\"" in text
    assert os.access(wrapper, os.X_OK)
    assert any("flatpak override --user --talk-name=org.freedesktop.Flatpak org.mozilla.firefox" in line
               for line in lines), lines
    assert not (home / ".mozilla").exists()  # the ordinary Firefox was not found, so it was not touched
    uninstall(machine=linux)
    assert tree(home) == {".var", ".var/app", ".var/app/org.mozilla.firefox"}


def test_flatpak_permission_already_granted_is_not_asked_for(linux: Machine, home: Path) -> None:
    (home / ".var/app/com.google.Chrome").mkdir(parents=True)
    overrides = home / ".local/share/flatpak/overrides"
    overrides.mkdir(parents=True)
    (overrides / "com.google.Chrome").write_text("[Session Bus Policy]\norg.freedesktop.Flatpak=talk\n")
    lines = install(machine=linux)
    assert (home / ".var/app/com.google.Chrome/config/google-chrome/NativeMessagingHosts" / MANIFEST).is_file()
    assert not any("flatpak override" in line for line in lines), lines


def test_snap_chromium_is_not_installed_and_the_reason_is_given(linux: Machine, home: Path) -> None:
    (home / "snap/chromium").mkdir(parents=True)
    with pytest.raises(InstallError) as e:
        install(machine=linux)
    assert "chromium (Snap): not installed" in str(e.value) and "sandbox" in str(e.value)
    assert tree(home) == {"snap", "snap/chromium"}


def test_snap_firefox_uses_the_ordinary_manifest_through_the_portal(linux: Machine, home: Path) -> None:
    (home / "snap/firefox").mkdir(parents=True)
    lines = install(machine=linux)
    manifest = home / USER_DIRS["firefox"] / MANIFEST
    assert manifest.is_file()
    assert any(line.startswith("firefox (Snap): reaches the helper through the desktop portal") for line in lines)


# --- the real command line ----------------------------------------------------------------------------

def test_cli_browser_choices_are_the_installers() -> None:
    from aliwatch import cli
    from aliwatch.install import BROWSERS

    assert cli.BROWSERS == [*BROWSERS, "all"]


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


def test_cli_error_exit_code(home: Path, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "aliwatch", "install", "--browser", "firefox", "--user-data-dir",
                           str(tmp_path / "p")], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "HOME": str(home)})
    assert proc.returncode == 1 and "aliwatch install: error:" in proc.stderr and "Chrome-family" in proc.stderr
