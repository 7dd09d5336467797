"""`aliwatch install` / `aliwatch uninstall`: register the native-messaging host with browsers.

install writes a launcher script into the user data dir and one host manifest per browser, checks what it
wrote, and records it in install.json next to the launcher; uninstall removes exactly what that record
lists. Linux user-level locations only for now: per-OS tables (_USER_LOCATIONS, _LAUNCHERS) are where
macOS, Windows and system-wide installs will be added."""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable

from aliwatch import CHROME_EXTENSION_ID, FIREFOX_EXTENSION_ID, HOST_NAME

CHROME_FAMILY = ("chromium", "chrome", "brave", "edge")
BROWSERS = CHROME_FAMILY + ("firefox",)
MANIFEST_NAME = f"{HOST_NAME}.json"  # Linux/macOS browsers look the host up by this file name
RECORD_NAME = "install.json"
RECORD_VERSION = 1
DESCRIPTION = "AliWatch helper: reads AliExpress order pages for the AliWatch extension"


class InstallError(Exception):
    """Something the user must fix; printed as one line, exit 1."""


@dataclass(frozen=True)
class Location:
    root: Path  # the browser's per-user config dir: it exists once the browser has run
    manifests: Path  # where the browser reads per-user host manifests


# --- per-OS tables -----------------------------------------------------------------------------------

def _linux_user_locations() -> dict[str, Location]:
    # Read the environment at call time, so tests (and users) can point HOME/XDG_CONFIG_HOME elsewhere.
    # Chromium-family browsers keep their user data dir under XDG_CONFIG_HOME; Firefox uses ~/.mozilla
    # for every profile.
    xdg = os.environ.get("XDG_CONFIG_HOME", "")
    config = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".config"  # the spec ignores relative values
    chrome_family = {
        "chromium": config / "chromium",
        "chrome": config / "google-chrome",
        "brave": config / "BraveSoftware" / "Brave-Browser",
        "edge": config / "microsoft-edge",
    }
    locations = {b: Location(root, root / "NativeMessagingHosts") for b, root in chrome_family.items()}
    mozilla = Path.home() / ".mozilla"
    locations["firefox"] = Location(mozilla, mozilla / "native-messaging-hosts")
    return locations


def _sh_launcher(python: str) -> tuple[str, str]:
    """(file name, text) of a POSIX launcher. The interpreter is spelled out because the browser starts
    the host with a minimal PATH; it is not resolved, so a venv's python symlink keeps its site-packages."""
    text = (
        "#!/bin/sh\n"
        "# Written by `aliwatch install`; `aliwatch uninstall` removes it.\n"
        f"exec {shlex.quote(python)} -m aliwatch host \"$@\"\n"
    )
    return "aliwatch-host", text


_USER_LOCATIONS: dict[str, Callable[[], dict[str, Location]]] = {"linux": _linux_user_locations}
_LAUNCHERS: dict[str, Callable[[str], tuple[str, str]]] = {"linux": _sh_launcher}


def _os_key() -> str:
    key = "linux" if sys.platform.startswith("linux") else sys.platform
    if key not in _USER_LOCATIONS:
        raise InstallError(f"`aliwatch install` supports Linux for now (this is {sys.platform})")
    return key


def user_locations() -> dict[str, Location]:
    """Browser -> per-user manifest location on this OS."""
    return _USER_LOCATIONS[_os_key()]()


def data_dir() -> Path:
    """Where the launcher and the install record live (XDG_DATA_HOME/aliwatch on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("aliwatch", appauthor=False))


# --- writing ---------------------------------------------------------------------------------------

def manifest_for(browser: str, launcher: Path) -> dict:
    manifest: dict = {"name": HOST_NAME, "description": DESCRIPTION, "path": str(launcher), "type": "stdio"}
    if browser == "firefox":
        manifest["allowed_extensions"] = [FIREFOX_EXTENSION_ID]
    else:
        manifest["allowed_origins"] = [f"chrome-extension://{CHROME_EXTENSION_ID}/"]
    return manifest


def _mkdirs(path: Path) -> list[str]:
    """mkdir -p, returning the dirs it created (outermost first) so uninstall can remove them again."""
    missing: list[Path] = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    path.mkdir(parents=True, exist_ok=True)
    return [str(d) for d in reversed(missing)]


def _write_atomic(path: Path, text: str, mode: int) -> None:
    # Write a sibling then rename, so a browser starting meanwhile never reads half a file.
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_launcher(directory: Path) -> Path:
    python = os.path.abspath(sys.executable or "")  # abspath, not resolve: keep the venv symlink
    if not sys.executable or not os.access(python, os.X_OK):
        raise InstallError(f"cannot find this Python interpreter ({sys.executable!r})")
    name, text = _LAUNCHERS[_os_key()](python)
    path = directory / name
    _write_atomic(path, text, 0o755)
    return path


def check_manifest(path: Path, browser: str) -> None:
    """Re-read a written manifest and check what the browser will check (name, absolute executable path)."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InstallError(f"{path}: cannot read back the manifest: {e}") from None
    launcher = manifest.get("path")
    problems = []
    if manifest.get("name") != HOST_NAME or path.name != MANIFEST_NAME:
        problems.append("name does not match the file name")
    if manifest.get("type") != "stdio":
        problems.append("type is not stdio")
    if not (isinstance(launcher, str) and os.path.isabs(launcher)):
        problems.append("path is not absolute")
    elif not (os.path.isfile(launcher) and os.access(launcher, os.X_OK)):
        problems.append(f"{launcher} is not an executable file")
    allowed = "allowed_extensions" if browser == "firefox" else "allowed_origins"
    if not manifest.get(allowed):
        problems.append(f"{allowed} is empty")
    if problems:
        raise InstallError(f"{path}: " + "; ".join(problems))


# --- install record --------------------------------------------------------------------------------

def _record_path() -> Path:
    return data_dir() / RECORD_NAME


def load_record() -> dict:
    path = _record_path()
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"version": RECORD_VERSION, "launcher": None, "created_dirs": [], "manifests": []}
    except (OSError, ValueError) as e:
        raise InstallError(f"{path}: unreadable install record ({e}); remove it and run install again") from None
    record.setdefault("created_dirs", [])
    record.setdefault("manifests", [])
    return record


def _save_record(record: dict) -> None:
    _write_atomic(_record_path(), json.dumps(record, indent=2) + "\n", 0o644)


# --- commands --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    browser: str
    manifest: Path
    user_data_dir: str | None


def _normal_dir(value: str) -> str:
    return str(Path(value).expanduser().resolve())


def _targets(browser: str, user_data_dir: str | None) -> tuple[list[Target], list[str]]:
    """(manifests to write, notes on browsers skipped)."""
    if user_data_dir:
        if browser == "firefox":
            raise InstallError("--user-data-dir is for Chrome-family browsers; Firefox reads "
                               "~/.mozilla/native-messaging-hosts for every profile")
        # Chrome looks for user-level hosts in <user-data-dir>/NativeMessagingHosts, so a browser started
        # with a custom --user-data-dir needs the manifest there.
        udd = _normal_dir(user_data_dir)
        return [Target(browser, Path(udd) / "NativeMessagingHosts" / MANIFEST_NAME, udd)], []
    locations = user_locations()
    if browser != "all":
        return [Target(browser, locations[browser].manifests / MANIFEST_NAME, None)], []
    targets, skipped = [], []
    for name in BROWSERS:
        loc = locations[name]
        if loc.root.is_dir():
            targets.append(Target(name, loc.manifests / MANIFEST_NAME, None))
        else:
            skipped.append(f"skipped {name}: {loc.root} not found (--browser {name} installs anyway)")
    return targets, skipped


def _label(browser: str) -> str:
    return "chrome family" if browser == "all" else browser


def install(browser: str = "all", user_data_dir: str | None = None) -> list[str]:
    """Write the launcher and manifests; returns the lines to print. Raises InstallError."""
    targets, lines = _targets(browser, user_data_dir)
    if not targets:
        raise InstallError("no supported browser found; " + "; ".join(lines))
    record = load_record()
    directory = data_dir()
    record["created_dirs"] = list(dict.fromkeys(record["created_dirs"] + _mkdirs(directory)))
    launcher = write_launcher(directory)
    record["launcher"] = str(launcher)
    out = [f"launcher: {launcher}"]
    entries = {e["path"]: e for e in record["manifests"]}
    for t in targets:
        created = _mkdirs(t.manifest.parent)
        kind = "firefox" if t.browser == "firefox" else "chrome"
        _write_atomic(t.manifest, json.dumps(manifest_for(t.browser, launcher), indent=2) + "\n", 0o644)
        check_manifest(t.manifest, kind)
        old = entries.get(str(t.manifest), {})
        entries[str(t.manifest)] = {
            "browser": t.browser, "kind": kind, "path": str(t.manifest), "user_data_dir": t.user_data_dir,
            "created_dirs": list(dict.fromkeys(old.get("created_dirs", []) + created)),
        }
        out.append(f"{_label(t.browser)}: wrote {t.manifest}")
    record["manifests"] = list(entries.values())
    _save_record(record)
    out.append(f"record: {_record_path()}")
    return lines + out


def _is_ours(path: Path) -> bool:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("name") == HOST_NAME
    except (OSError, ValueError, AttributeError):
        return False


def _remove_dirs(dirs: list[str]) -> None:
    for d in reversed(dirs):  # innermost first; rmdir refuses non-empty dirs, so shared dirs survive
        try:
            os.rmdir(d)
        except OSError:
            pass


def uninstall(browser: str = "all", user_data_dir: str | None = None) -> list[str]:
    """Remove what the install record lists for these browsers/dir; returns the lines to print."""
    record = load_record()
    if user_data_dir:
        udd = _normal_dir(user_data_dir)
        chosen = [e for e in record["manifests"] if e.get("user_data_dir") == udd]
    else:
        chosen = [e for e in record["manifests"] if browser == "all" or e.get("browser") == browser]
    if not chosen:
        return ["nothing to uninstall: install.json lists no matching manifest"]
    out = []
    for e in chosen:
        path = Path(e["path"])
        if not path.exists():
            out.append(f"{_label(e['browser'])}: {path} was already gone")
        elif _is_ours(path):
            path.unlink()
            out.append(f"{_label(e['browser'])}: removed {path}")
        else:
            out.append(f"{_label(e['browser'])}: left {path}: it is no longer an {HOST_NAME} manifest")
        _remove_dirs(e.get("created_dirs", []))
    record["manifests"] = [e for e in record["manifests"] if e not in chosen]
    if record["manifests"]:
        _save_record(record)
        return out
    # Nothing registered any more: the launcher and the record go too.
    if record.get("launcher"):
        launcher = Path(record["launcher"])
        if launcher.exists():
            launcher.unlink()
            out.append(f"removed launcher {launcher}")
    _record_path().unlink(missing_ok=True)
    _remove_dirs(record.get("created_dirs", []))
    return out


def _run(func: Callable[[str, str | None], list[str]], args: argparse.Namespace, verb: str) -> int:
    try:
        lines = func(getattr(args, "browser", "all") or "all", getattr(args, "user_data_dir", None))
    except (InstallError, OSError) as e:
        print(f"aliwatch {verb}: error: {e}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


def run_install(args: argparse.Namespace) -> int:
    return _run(install, args, "install")


def run_uninstall(args: argparse.Namespace) -> int:
    return _run(uninstall, args, "uninstall")
