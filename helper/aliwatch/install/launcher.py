"""The launcher: the small script a host manifest's "path" points at. Browsers start hosts with a minimal
environment (a GUI's PATH, no virtualenv activated), so the launcher names the exact interpreter AliWatch is
installed in: sys.executable made absolute but not resolved, because a venv's python is a symlink whose
target would lose the venv's site-packages."""
from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

from aliwatch.install.files import write_atomic
from aliwatch.install.machine import InstallError

NAMES = {"linux": "aliwatch-host", "darwin": "aliwatch-host", "win32": "aliwatch-host.cmd"}
FLATPAK_NAME = "aliwatch-host-flatpak"
MARK = "Written by `aliwatch install`"


def interpreter() -> str:
    """The Python running AliWatch now, as the launcher will name it."""
    python = os.path.abspath(sys.executable) if sys.executable else ""
    if not python or not os.path.isfile(python):
        raise InstallError(f"cannot find this Python interpreter ({sys.executable!r})")
    return python


def sh_text(python: str) -> str:
    return ("#!/bin/sh\n"
            f"# {MARK}; `aliwatch uninstall` removes it.\n"
            f"exec {shlex.quote(python)} -m aliwatch host \"$@\"\n")


def flatpak_text(python: str) -> str:
    # Runs inside the browser's Flatpak sandbox, where this Python does not exist: flatpak-spawn --host
    # starts it outside (the app needs --talk-name=org.freedesktop.Flatpak). Arguments and stdio pass through.
    return ("#!/bin/sh\n"
            f"# {MARK} for a Flatpak browser; `aliwatch uninstall` removes it.\n"
            f"exec flatpak-spawn --host {shlex.quote(python)} -m aliwatch host \"$@\"\n")


def cmd_text(python: str) -> str:
    # Chrome runs it as `cmd /d /c launcher.cmd <origin>` with stdin/stdout on pipes: "@echo off" keeps cmd
    # from echoing commands into the frame stream. %% is cmd's escape for a literal percent sign.
    if '"' in python:
        raise InstallError(f"the interpreter path contains a double quote: {python}")
    quoted = python.replace("%", "%%")
    return ("@echo off\r\n"
            f"rem {MARK}; `aliwatch uninstall` removes it.\r\n"
            f"\"{quoted}\" -m aliwatch host %*\r\n")


def text_for(os_name: str, python: str) -> str:
    return cmd_text(python) if os_name == "win32" else sh_text(python)


def write_launcher(directory: Path, os_name: str | None = None, python: str | None = None) -> Path:
    """Writes the launcher for this OS into `directory` (which must exist); returns its path."""
    from aliwatch.install.machine import os_key

    os_name = os_name or os_key()
    path = directory / NAMES[os_name]
    write_atomic(path, text_for(os_name, python or interpreter()), 0o755)
    return path


def write_flatpak_launcher(directory: Path, python: str) -> Path:
    path = directory / FLATPAK_NAME
    write_atomic(path, flatpak_text(python), 0o755)
    return path


_SH_EXEC = re.compile(r"^exec (.+?) -m aliwatch host", re.M)
_CMD_EXEC = re.compile(r'^@?"([^"]+)" -m aliwatch host', re.M)


def interpreter_of(text: str) -> str | None:
    """The interpreter a launcher we wrote runs; None for a launcher that is not ours."""
    if MARK not in text:
        return None
    m = _CMD_EXEC.search(text)
    if m:
        return m.group(1).replace("%%", "%")
    m = _SH_EXEC.search(text)
    if not m:
        return None
    words = shlex.split(m.group(1))
    if words[:2] == ["flatpak-spawn", "--host"]:
        words = words[2:]
    return words[0] if len(words) == 1 else None


def is_ours(path: Path) -> bool:
    try:
        return MARK in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
