"""Which places install writes (and doctor checks) for a --browser / --system / --user-data-dir choice.

Only browsers found on the machine are touched unless --browser names one. Sandboxed packagings (Flatpak,
Snap) come on top of the ordinary place: where AliWatch can work with them they are planned, where it can't
the plan says why and what to do instead."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aliwatch.install.locations import BROWSERS, MANIFEST_NAME, Place, native_place, sandboxed_places
from aliwatch.install.machine import InstallError, Machine


@dataclass
class Plan:
    places: list[Place] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sandboxed packagings: what works, what can't, one line each
    skipped: list[str] = field(default_factory=list)  # browsers not found (only with --browser all)


def _user_data_dir_place(machine: Machine, browser: str, user_data_dir: str) -> Place:
    if browser == "firefox":
        raise InstallError("--user-data-dir is for Chrome-family browsers; Firefox reads "
                           "~/.mozilla/native-messaging-hosts for every profile")
    if machine.os == "win32":
        raise InstallError("--user-data-dir does not apply on Windows: browsers there find hosts through the "
                           "registry only, for every profile")
    # Chrome looks for user-level hosts in <user-data-dir>/NativeMessagingHosts, so a browser started with a
    # custom --user-data-dir needs the manifest there.
    udd = str(Path(user_data_dir).expanduser().resolve())
    return Place(browser, "native", Path(udd) / "NativeMessagingHosts" / MANIFEST_NAME, None, (Path(udd),),
                 user_data_dir=udd)


def plan(machine: Machine, browser: str = "all", system: bool = False, user_data_dir: str | None = None) -> Plan:
    if user_data_dir:
        if system:
            raise InstallError("--user-data-dir and --system exclude each other")
        return Plan([_user_data_dir_place(machine, browser, user_data_dir)])
    if browser != "all" and browser not in BROWSERS:
        raise InstallError(f"unknown browser {browser!r} (one of {', '.join(BROWSERS)} or all)")
    result = Plan()
    for name in BROWSERS if browser == "all" else (browser,):
        native = native_place(machine, name, system)
        sandboxed = [] if system else sandboxed_places(machine, name)
        # A Snap Firefox reads the ordinary manifest through the desktop portal: it counts as present.
        portal = [s for s in sandboxed if s.variant == "snap" and not s.blocked]
        if browser != "all" or native.found or portal:
            result.places.append(native)
        elif not sandboxed:
            result.skipped.append(name)
        for s in sandboxed:
            if s.blocked:
                result.notes.append(f"{s.label}: not installed: {s.blocked}")
            elif s.variant == "snap":
                result.notes.append(f"{s.label}: reaches the helper through the desktop portal, which reads "
                                    f"{native.manifest} (Ubuntu 22.04 or later)")
            else:
                result.places.append(s)
    return result
