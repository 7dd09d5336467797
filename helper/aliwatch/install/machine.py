"""The machine an install is for: its OS, home, environment, filesystem root and (Windows) registry.

Everything the installer and the doctor read about the outside world goes through a Machine, so a test
can describe a Linux, macOS or Windows machine under a temporary directory and check each layout on any
OS. Machine.current() is the real one."""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from aliwatch.install.registry import Registry

OSES = ("linux", "darwin", "win32")
APP_DIR = "aliwatch"  # the per-user data dir name platformdirs gives us too (the deadline store lives there)
SYSTEM_APP_DIR = {"linux": "usr/local/lib/aliwatch", "darwin": "Library/Application Support/AliWatch"}


class InstallError(Exception):
    """Something the user must fix; printed as one line, exit 1."""


def os_key(platform: str = sys.platform) -> str:
    if platform.startswith("linux"):
        return "linux"
    if platform in ("darwin", "win32"):
        return platform
    raise InstallError(f"`aliwatch install` knows Linux, macOS and Windows (this is {platform})")


@dataclass(frozen=True)
class Machine:
    os: str  # "linux" | "darwin" | "win32"
    home: Path
    env: Mapping[str, str] = field(default_factory=dict)
    root: Path = Path("/")  # prefix of system-wide paths (/etc, /Library, C:\): tests point it into tmp
    registry: Registry | None = None  # Windows only

    def __post_init__(self) -> None:
        if self.os not in OSES:
            raise InstallError(f"unknown OS {self.os!r} (one of {', '.join(OSES)})")

    @classmethod
    def current(cls) -> "Machine":
        key = os_key()
        registry = None
        root = Path("/")
        if key == "win32":
            from aliwatch.install.registry import WinRegistry

            registry = WinRegistry()
            root = Path(os.environ.get("SystemDrive", "C:") + "\\")
        return cls(key, Path.home(), dict(os.environ), root, registry)

    # --- well-known dirs ---------------------------------------------------------------------------

    def _env_dir(self, name: str, default: Path) -> Path:
        value = self.env.get(name, "")
        return Path(value) if value and os.path.isabs(value) else default  # the XDG spec ignores relative values

    @property
    def config_home(self) -> Path:  # Linux
        return self._env_dir("XDG_CONFIG_HOME", self.home / ".config")

    @property
    def data_home(self) -> Path:  # Linux
        return self._env_dir("XDG_DATA_HOME", self.home / ".local" / "share")

    @property
    def local_appdata(self) -> Path:  # Windows
        return self._env_dir("LOCALAPPDATA", self.home / "AppData" / "Local")

    @property
    def appdata(self) -> Path:  # Windows
        return self._env_dir("APPDATA", self.home / "AppData" / "Roaming")

    @property
    def program_data(self) -> Path:  # Windows
        return self._env_dir("PROGRAMDATA", self.root / "ProgramData")

    def program_files(self) -> list[Path]:  # Windows: 64- and 32-bit
        return [self._env_dir("PROGRAMFILES", self.root / "Program Files"),
                self._env_dir("PROGRAMFILES(X86)", self.root / "Program Files (x86)")]

    def data_dir(self, system: bool) -> Path:
        """Where the launcher and the install record go."""
        if self.os == "win32":
            return (self.program_data / "AliWatch") if system else (self.local_appdata / APP_DIR)
        if system:
            return self.root / SYSTEM_APP_DIR[self.os]
        if self.os == "darwin":
            return self.home / "Library" / "Application Support" / APP_DIR
        return self.data_home / APP_DIR

    def expand(self, template: str) -> Path:
        """A location template of locations.py -> a path on this machine."""
        values = {
            "home": self.home, "root": self.root, "config": self.config_home,
            "appsupport": self.home / "Library" / "Application Support",
            "localappdata": self.local_appdata, "appdata": self.appdata,
            "programfiles": self.program_files()[0], "programfiles_x86": self.program_files()[1],
        }
        head, _, rest = template.partition("/")
        if not (head.startswith("{") and head.endswith("}")):
            raise ValueError(f"location template must start with a {{dir}}: {template!r}")
        base = values[head[1:-1]]
        return base.joinpath(*rest.split("/")) if rest else base
