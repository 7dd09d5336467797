"""`aliwatch install` / `aliwatch uninstall`.

install writes one launcher into the data dir, then a manifest per planned place (and on Windows the
registry key that names it), reads each back through the checks a browser makes, and records all of it in
install.json. uninstall removes what that record lists: a file or key shared by several browsers goes
with the last of them, and one that no longer holds what install wrote is left alone and reported."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from aliwatch import HOST_NAME, __version__
from aliwatch.install import files, launcher as launchers, manifest as manifests, record as records
from aliwatch.install.locations import FLATPAK_TALK, Place, flatpak_can_leave_sandbox, label
from aliwatch.install.machine import InstallError, Machine
from aliwatch.install.plan import plan


def _level(system: bool) -> str:
    return "system" if system else "user"


def _key(entry: dict) -> tuple:
    return entry["browser"], entry.get("variant", "native"), entry["path"]


def _flatpak_note(machine: Machine, place: Place) -> str | None:
    allowed = flatpak_can_leave_sandbox(machine, place.app_id)
    if allowed:
        return None
    why = "is not allowed" if allowed is False else "may not be allowed (its Flatpak settings were not found)"
    return (f"{place.label}: {place.app_id} {why} to start the helper outside its sandbox; run: "
            f"flatpak override --user --talk-name={FLATPAK_TALK} {place.app_id}")


def _entry(place: Place, old: dict) -> dict:
    # A reinstall keeps what the first install noted (dirs it created, its key): still ours to remove.
    return {"browser": place.browser, "variant": place.variant, "kind": place.kind, "path": str(place.manifest),
            "user_data_dir": place.user_data_dir, "registry": old.get("registry"), "launcher": old.get("launcher"),
            "created_dirs": list(old.get("created_dirs", []))}


def _write_place(machine: Machine, place: Place, entry: dict, launcher: Path, python: str) -> list[str]:
    """Writes one place, noting in `entry` (already in the record) each thing as it is written, so a failure
    halfway still leaves uninstall a complete list. Returns the lines to print."""
    out = []
    target = launcher
    if place.variant == "flatpak":
        # The sandbox sees ~/.var/app/<id>, so the wrapper goes there: the app's own data dir.
        wrapper_dir = machine.home / ".var" / "app" / place.app_id / "data" / "aliwatch"
        entry["created_dirs"] += files.mkdirs(wrapper_dir)
        entry["launcher"] = str(wrapper_dir / launchers.FLATPAK_NAME)
        target = launchers.write_flatpak_launcher(wrapper_dir, python)
        note = _flatpak_note(machine, place)
        if note:
            out.append(note)
    assert place.manifest is not None
    entry["created_dirs"] += files.mkdirs(place.manifest.parent)
    files.write_atomic(place.manifest, manifests.write_text(place.browser, target), 0o644)
    manifests.check_manifest(place.manifest, place.browser, machine.os)
    out.append(f"{place.label}: wrote {place.manifest}")
    if place.registry:
        hive, key = place.registry
        if machine.registry is None:
            raise InstallError("no Windows registry to write to")
        entry["registry"] = [hive, key]
        machine.registry.set(hive, key, str(place.manifest))
        if machine.registry.get(hive, key) != str(place.manifest):
            raise InstallError(f"{hive}\\{key}: the value read back differs from what was written")
        out.append(f"{place.label}: set {hive}\\{key} = {place.manifest}")
    return out


def install(browser: str = "all", user_data_dir: str | None = None, system: bool = False,
            machine: Machine | None = None) -> list[str]:
    """Write the launcher and manifests; returns the lines to print. Raises InstallError."""
    machine = machine or Machine.current()
    chosen = plan(machine, browser, system, user_data_dir)
    skipped = [f"skipped {b}: not found (no program dir or profile); --browser {b} installs anyway"
               for b in chosen.skipped]
    if not chosen.places:
        raise InstallError("no supported browser found (" + ", ".join(chosen.skipped) + " checked); name one with "
                           "--browser" + "".join(f"; {n}" for n in chosen.notes))
    python = launchers.interpreter()
    data = machine.data_dir(system)
    record = records.load(data)
    out = skipped + chosen.notes
    if system and machine.os != "win32" and machine.home in Path(python).parents:
        out.append(f"note: the launcher runs {python}, inside your home directory, which other users' browsers "
                   "may not be allowed to read; for them, install AliWatch with a Python outside any home")
    entries = {_key(e): e for e in record["manifests"]}
    if machine.os == "win32" and not manifests.is_ascii(python + str(data)):
        raise InstallError(f"{python} or {data} is not plain ASCII, which Windows browsers cannot start through "
                           "cmd.exe; install Python (or the virtualenv with AliWatch) in a folder with a plain "
                           "ASCII name, e.g. C:\\Tools\\aliwatch, and run install from there")
    try:
        record["created_dirs"] = list(dict.fromkeys(record["created_dirs"] + files.mkdirs(data)))
        launcher = launchers.write_launcher(data, machine.os, python)
        record.update(launcher=str(launcher), python=python, aliwatch=__version__, level=_level(system))
        out.append(f"launcher: {launcher} (runs {python})")
        for place in chosen.places:
            key = (place.browser, place.variant, str(place.manifest))
            entry = entries[key] = _entry(place, entries.get(key, {}))
            out += _write_place(machine, place, entry, launcher, python)
            entry["created_dirs"] = list(dict.fromkeys(entry["created_dirs"]))
    except PermissionError as e:
        hint = ("run it as administrator (sudo, or an elevated prompt on Windows)" if system
                else "check the folder's owner and permissions")
        raise InstallError(f"permission denied: {e.filename or e}; {hint}") from None
    finally:
        record["manifests"] = list(entries.values())
        if (data / records.RECORD_NAME).exists() or record["manifests"] or record.get("launcher"):
            records.save(data, record)
    out.append(f"record: {records.record_path(data)}")
    return out


# --- uninstall -------------------------------------------------------------------------------------------

def _is_ours(path: Path) -> bool:
    try:
        return manifests.read(path).get("name") == HOST_NAME
    except (InstallError, AttributeError):
        return False


def _remove_manifest(entry: dict, remaining: list[dict], done: dict[str, str]) -> str:
    path = Path(entry["path"])
    if entry["path"] in done:
        return done[entry["path"]]
    users = sorted({label(r["browser"], r["variant"]) for r in remaining if r["path"] == entry["path"]})
    if users:
        result = f"kept {path}: still used by {', '.join(users)}"
    elif not path.exists():
        result = f"{path} was already gone"
    elif _is_ours(path):
        path.unlink()
        result = f"removed {path}"
    else:
        result = f"left {path}: it is no longer an {HOST_NAME} manifest"
    done[entry["path"]] = result
    return result


def _remove_key(machine: Machine, entry: dict, remaining: list[dict]) -> str | None:
    reg = entry.get("registry")
    if not reg or any(r.get("registry") == reg for r in remaining):
        return None
    hive, key = reg
    if machine.registry is None:
        return f"left {hive}\\{key}: no registry here"
    value = machine.registry.get(hive, key)
    if value is None:
        return f"{hive}\\{key} was already gone"
    if value != entry["path"]:
        return f"left {hive}\\{key}: it now names {value}"
    machine.registry.delete(hive, key)
    return f"removed {hive}\\{key}"


def _hand_over_dirs(entry: dict, remaining: list[dict]) -> None:
    """Dirs this entry created that still hold another entry's manifest become that entry's to remove."""
    for d in entry.get("created_dirs", []):
        if not Path(d).is_dir():
            continue
        for r in remaining:
            if Path(d) in Path(r["path"]).parents and d not in r["created_dirs"]:
                r["created_dirs"].append(d)
                break


def uninstall(browser: str = "all", user_data_dir: str | None = None, system: bool = False,
              machine: Machine | None = None) -> list[str]:
    """Remove what the install record lists for these browsers/dir; returns the lines to print."""
    machine = machine or Machine.current()
    data = machine.data_dir(system)
    record = records.load(data)
    if user_data_dir:
        udd = str(Path(user_data_dir).expanduser().resolve())
        chosen = [e for e in record["manifests"] if e.get("user_data_dir") == udd]
    else:
        chosen = [e for e in record["manifests"] if browser == "all" or e.get("browser") == browser]
    if not chosen and (record["manifests"] or not records.record_path(data).exists()):
        return [f"nothing to uninstall: {records.record_path(data)} lists no matching manifest"]
    remaining = [e for e in record["manifests"] if e not in chosen]
    out: list[str] = []
    done: dict[str, str] = {}
    try:
        for e in chosen:
            name = label(e["browser"], e.get("variant", "native"))
            out.append(f"{name}: {_remove_manifest(e, remaining, done)}")
            said = _remove_key(machine, e, remaining)
            if said:
                out.append(f"{name}: {said}")
            own = e.get("launcher")
            if own and not any(r.get("launcher") == own for r in remaining) and launchers.is_ours(Path(own)):
                Path(own).unlink()
                out.append(f"{name}: removed {own}")
            files.remove_dirs(e.get("created_dirs", []))
            _hand_over_dirs(e, remaining)
    except PermissionError as e:
        raise InstallError(f"permission denied: {e.filename or e}; "
                           + ("run it as administrator" if system else "check the folder's permissions")) from None
    record["manifests"] = remaining
    if remaining:
        records.save(data, record)
        return out
    # Nothing registered any more: the launcher and the record go too.
    if record.get("launcher"):
        main = Path(record["launcher"])
        if main.exists() and launchers.is_ours(main):
            main.unlink()
            out.append(f"removed launcher {main}")
    records.record_path(data).unlink(missing_ok=True)
    files.remove_dirs(record.get("created_dirs", []))
    return out


# --- CLI -------------------------------------------------------------------------------------------------

def _run(func: Callable[..., list[str]], args: argparse.Namespace, verb: str) -> int:
    try:
        lines = func(getattr(args, "browser", "all") or "all", getattr(args, "user_data_dir", None),
                     bool(getattr(args, "system", False)))
    except (InstallError, OSError) as e:
        print(f"aliwatch {verb}: error: {e}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


def run_install(args: argparse.Namespace) -> int:
    return _run(install, args, "install")


def run_uninstall(args: argparse.Namespace) -> int:
    code = _run(uninstall, args, "uninstall")
    if code or getattr(args, "system", False):
        return code
    from aliwatch.commands import where

    if getattr(args, "purge", False):
        for line in where.purge() or ["no AliWatch data to remove"]:
            print(line)
        return 0
    left = where.remaining()
    if left:
        print("kept (your data; `aliwatch uninstall --purge` removes it):")
        for line in left:
            print(f"  {line}")
    return 0
