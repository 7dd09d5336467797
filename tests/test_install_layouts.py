"""The macOS and Windows layouts, tested on any OS: the machine (OS, home, filesystem root, registry) is a
parameter of install/uninstall, and Windows' registry is the in-memory FakeRegistry with WinRegistry's
contract. The winreg-backed registry itself runs only on Windows."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from aliwatch import CHROME_EXTENSION_ID, FIREFOX_EXTENSION_ID, HOST_NAME
from aliwatch.install import InstallError, Machine, install, uninstall
from aliwatch.install.registry import FakeRegistry

MANIFEST = f"{HOST_NAME}.json"
PYTHON = os.path.abspath(sys.executable)

MAC_USER = {  # under ~/Library/Application Support
    "chromium": "Chromium/NativeMessagingHosts",
    "chrome": "Google/Chrome/NativeMessagingHosts",
    "brave": "BraveSoftware/Brave-Browser/NativeMessagingHosts",
    "edge": "Microsoft Edge/NativeMessagingHosts",
    "vivaldi": "Vivaldi/NativeMessagingHosts",
    "firefox": "Mozilla/NativeMessagingHosts",
}
MAC_SYSTEM = {  # under /
    "chromium": "Library/Application Support/Chromium/NativeMessagingHosts",
    "chrome": "Library/Google/Chrome/NativeMessagingHosts",
    "brave": "Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    "edge": "Library/Microsoft/Edge/NativeMessagingHosts",
    "vivaldi": "Library/Application Support/Vivaldi/NativeMessagingHosts",
    "firefox": "Library/Application Support/Mozilla/NativeMessagingHosts",
}
WIN_KEYS = {  # under HKCU / HKLM; Brave and Vivaldi read Chrome's key
    "chromium": r"Software\Chromium\NativeMessagingHosts",
    "chrome": r"Software\Google\Chrome\NativeMessagingHosts",
    "brave": r"Software\Google\Chrome\NativeMessagingHosts",
    "edge": r"Software\Microsoft\Edge\NativeMessagingHosts",
    "vivaldi": r"Software\Google\Chrome\NativeMessagingHosts",
    "firefox": r"Software\Mozilla\NativeMessagingHosts",
}


def tree(top: Path) -> set[str]:
    return {str(p.relative_to(top)) for p in top.rglob("*")}


def allowed(browser: str) -> dict:
    return ({"allowed_extensions": [FIREFOX_EXTENSION_ID]} if browser == "firefox"
            else {"allowed_origins": [f"chrome-extension://{CHROME_EXTENSION_ID}/"]})


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    home, root = tmp_path / "home", tmp_path / "root"
    home.mkdir()
    root.mkdir()
    return home, root


# --- macOS -----------------------------------------------------------------------------------------------

@pytest.mark.skipif(os.name != "posix", reason="macOS layout uses POSIX launchers")
@pytest.mark.parametrize("system", [False, True], ids=["user", "system"])
@pytest.mark.parametrize("browser", sorted(MAC_USER))
def test_macos(dirs: tuple[Path, Path], browser: str, system: bool) -> None:
    home, root = dirs
    mac = Machine("darwin", home, {}, root)
    install(browser, system=system, machine=mac)
    if system:
        manifest = root / MAC_SYSTEM[browser] / MANIFEST
        launcher = root / "Library/Application Support/AliWatch/aliwatch-host"
    else:
        manifest = home / "Library/Application Support" / MAC_USER[browser] / MANIFEST
        launcher = home / "Library/Application Support/aliwatch/aliwatch-host"
    got = json.loads(manifest.read_text("utf-8"))
    assert got == {"name": HOST_NAME, "description": got["description"], "path": str(launcher), "type": "stdio",
                   **allowed(browser)}
    assert launcher.read_text().startswith("#!/bin/sh\n") and os.access(launcher, os.X_OK)
    assert tree(home if system else root) == set()
    uninstall(browser, system=system, machine=mac)
    assert tree(home) == set() and tree(root) == set()


def test_macos_presence_by_app_bundle_or_profile(dirs: tuple[Path, Path]) -> None:
    home, root = dirs
    (root / "Applications/Firefox.app").mkdir(parents=True)
    (home / "Library/Application Support/Microsoft Edge").mkdir(parents=True)
    lines = install(machine=Machine("darwin", home, {}, root))
    support = home / "Library/Application Support"
    assert (support / MAC_USER["firefox"] / MANIFEST).is_file()
    assert (support / MAC_USER["edge"] / MANIFEST).is_file()
    assert not (support / "Google").exists() and not (support / "Chromium").exists()
    assert sum(line.startswith("skipped ") for line in lines) == 4


# --- Windows ---------------------------------------------------------------------------------------------

def windows(home: Path, root: Path, registry: FakeRegistry, **env: str) -> Machine:
    return Machine("win32", home, env, root, registry)


@pytest.mark.parametrize("system", [False, True], ids=["HKCU", "HKLM"])
@pytest.mark.parametrize("browser", sorted(WIN_KEYS))
def test_windows(dirs: tuple[Path, Path], browser: str, system: bool) -> None:
    home, root = dirs
    reg = FakeRegistry()
    win = windows(home, root, reg)
    lines = install(browser, system=system, machine=win)
    hive = "HKLM" if system else "HKCU"
    data = root / "ProgramData/AliWatch" if system else home / "AppData/Local/aliwatch"
    kind = "firefox" if browser == "firefox" else "chrome"
    manifest = data / f"{HOST_NAME}.{kind}.json"
    key = WIN_KEYS[browser] + "\\" + HOST_NAME
    assert reg.get(hive, key) == str(manifest)
    assert reg.keys.keys() == {(hive, key.lower())}
    assert f"{browser}: set {hive}\\{key} = {manifest}" in lines
    launcher = data / "aliwatch-host.cmd"
    got = json.loads(manifest.read_text("utf-8"))
    assert got == {"name": HOST_NAME, "description": got["description"], "path": str(launcher), "type": "stdio",
                   **allowed(browser)}
    raw = launcher.read_bytes().decode("utf-8")
    # "@echo off" first: cmd.exe would otherwise echo the command into the frame stream.
    assert raw.split("\r\n")[:3] == ["@echo off", raw.split("\r\n")[1], f'"{PYTHON}" -m aliwatch host %*']
    assert "\n" not in raw.replace("\r\n", "")
    uninstall(browser, system=system, machine=win)
    assert reg.keys == {} and tree(home) == set() and tree(root) == set()


def test_windows_env_folders_are_used(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    home, root = dirs
    reg = FakeRegistry()
    local = tmp_path / "Local"
    install("edge", machine=windows(home, root, reg, LOCALAPPDATA=str(local)))
    assert reg.get("HKCU", WIN_KEYS["edge"] + "\\" + HOST_NAME) == str(local / "aliwatch" / f"{HOST_NAME}.chrome.json")


def test_windows_presence_and_a_shared_key_goes_with_its_last_browser(dirs: tuple[Path, Path]) -> None:
    home, root = dirs
    reg = FakeRegistry()
    win = windows(home, root, reg)
    (home / "AppData/Local/Google/Chrome/User Data").mkdir(parents=True)
    (home / "AppData/Local/BraveSoftware/Brave-Browser/Application").mkdir(parents=True)
    (root / "Program Files/Mozilla Firefox").mkdir(parents=True)
    lines = install(machine=win)
    chrome_key = WIN_KEYS["chrome"] + "\\" + HOST_NAME
    firefox_key = WIN_KEYS["firefox"] + "\\" + HOST_NAME
    assert set(reg.keys) == {("HKCU", chrome_key.lower()), ("HKCU", firefox_key.lower())}
    assert {"skipped chromium", "skipped edge", "skipped vivaldi"} == {
        line.split(":")[0] for line in lines if line.startswith("skipped")}

    uninstall("chrome", machine=win)  # Brave still reads the Chrome key and the chrome-family manifest
    chrome_manifest = home / "AppData/Local/aliwatch" / f"{HOST_NAME}.chrome.json"
    assert reg.get("HKCU", chrome_key) == str(chrome_manifest) and chrome_manifest.is_file()
    uninstall(machine=win)
    assert reg.keys == {} and tree(home) == {"AppData", "AppData/Local", "AppData/Local/Google",
                                             "AppData/Local/Google/Chrome", "AppData/Local/Google/Chrome/User Data",
                                             "AppData/Local/BraveSoftware", "AppData/Local/BraveSoftware/Brave-Browser",
                                             "AppData/Local/BraveSoftware/Brave-Browser/Application"}


def test_windows_key_changed_by_someone_else_is_left_alone(dirs: tuple[Path, Path]) -> None:
    home, root = dirs
    reg = FakeRegistry()
    win = windows(home, root, reg)
    install("firefox", machine=win)
    key = WIN_KEYS["firefox"] + "\\" + HOST_NAME
    reg.set("HKCU", key, r"C:\Other\their.json")
    lines = uninstall(machine=win)
    assert reg.get("HKCU", key) == r"C:\Other\their.json"
    assert f"firefox: left HKCU\\{key}: it now names C:\\Other\\their.json" in lines


def test_windows_refuses_non_ascii_paths_before_writing(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    home, root = dirs
    reg = FakeRegistry()
    local = tmp_path / "Jörg" / "AppData" / "Local"
    with pytest.raises(InstallError, match="not plain ASCII"):
        install("chrome", machine=windows(home, root, reg, LOCALAPPDATA=str(local)))
    assert reg.keys == {} and not local.exists()


def test_windows_has_no_user_data_dir_option(dirs: tuple[Path, Path], tmp_path: Path) -> None:
    home, root = dirs
    with pytest.raises(InstallError, match="registry"):
        install("chrome", str(tmp_path / "p"), machine=windows(home, root, FakeRegistry()))


# --- the registry ----------------------------------------------------------------------------------------

def registries() -> list:
    found = [FakeRegistry()]
    if sys.platform == "win32":
        from aliwatch.install.registry import WinRegistry

        found.append(WinRegistry())
    return found


@pytest.mark.parametrize("reg", registries(), ids=lambda r: type(r).__name__)
def test_registry_contract(reg) -> None:
    key = r"Software\AliWatchTest\NativeMessagingHosts\org.aliwatch.test"
    assert reg.get("HKCU", key) is None
    reg.set("HKCU", key, r"C:\a\b.json")
    try:
        assert reg.get("HKCU", key) == r"C:\a\b.json"
        assert reg.get("HKCU", key.upper()) == r"C:\a\b.json"  # keys are case-insensitive
        assert reg.get("HKLM", key) is None
    finally:
        assert reg.delete("HKCU", key) is True
    assert reg.delete("HKCU", key) is False and reg.get("HKCU", key) is None
    with pytest.raises(ValueError):
        reg.get("HKEY_NOPE", key)


@pytest.mark.skipif(sys.platform != "win32", reason="the real registry exists only on Windows")
def test_current_machine_on_windows_uses_winreg() -> None:
    from aliwatch.install.registry import WinRegistry

    assert isinstance(Machine.current().registry, WinRegistry)
