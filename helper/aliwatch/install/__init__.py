"""Registering the native-messaging host with browsers: `aliwatch install`, `aliwatch uninstall`, and the
pieces `aliwatch doctor` and `aliwatch demo` reuse.

    machine.py    the OS/home/env/root/registry an install is for (a parameter, so every layout is testable)
    locations.py  where each browser looks, per OS and level; Flatpak and Snap packagings
    plan.py       which places a --browser/--system/--user-data-dir choice touches
    launcher.py   the script that starts `python -m aliwatch host` with the exact interpreter
    manifest.py   manifest contents and the checks a browser makes
    registry.py   the Windows registry (winreg) and an in-memory fake
    files.py      mkdir -p that reports what it created, atomic writes, removing exactly those dirs
    record.py     install.json: what install wrote, so uninstall removes exactly that
    extension.py  the built extension (packaged or in a checkout) and its IDs
    probe.py      start a host like a browser does and ping it (for `aliwatch doctor`)
    commands.py   install/uninstall and their CLI entry points"""
from aliwatch.install.commands import install, run_install, run_uninstall, uninstall
from aliwatch.install.launcher import write_launcher
from aliwatch.install.locations import BROWSERS, CHROME_FAMILY, MANIFEST_NAME
from aliwatch.install.machine import InstallError, Machine
from aliwatch.install.manifest import check_manifest, manifest_for

__all__ = ["BROWSERS", "CHROME_FAMILY", "MANIFEST_NAME", "InstallError", "Machine", "check_manifest", "install",
           "manifest_for", "run_install", "run_uninstall", "uninstall", "write_launcher"]
