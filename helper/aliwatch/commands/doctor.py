"""`aliwatch doctor`: browser by browser, is AliWatch's helper registered so that the extension reaches it?

For each browser found (or named with --browser) it checks, in the order a browser would fail:
the manifest (file, or on Windows the registry key naming it), the launcher its "path" names, the allow
list against the extension's IDs, and a real `ping` to the host started exactly like the browser starts it.
Every failure comes with the command or step that fixes it; the exit code is 1 when anything is broken."""
from __future__ import annotations

import argparse
import json
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from aliwatch import CHROME_EXTENSION_ID, FIREFOX_EXTENSION_ID, __version__
from aliwatch.install import extension as extensions, launcher as launchers, manifest as manifests, probe, record
from aliwatch.install.locations import FLATPAK_TALK, Place, flatpak_can_leave_sandbox, native_place
from aliwatch.install.machine import InstallError, Machine
from aliwatch.install.plan import plan


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    fix: str = ""


@dataclass
class Report:
    title: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        return any(not f.ok for f in self.findings)

    def add(self, ok: bool, what: str, fix: str = "") -> bool:
        self.findings.append(Finding(ok, what, "" if ok else fix))
        return ok


def install_command(browser: str, system: bool, user_data_dir: str | None) -> str:
    words = ["aliwatch", "install", "--browser", "chromium" if browser == "all" else browser]
    if system:
        words.append("--system")
    if user_data_dir:
        words += ["--user-data-dir", user_data_dir]
    return " ".join(shlex.quote(w) for w in words)


# --- the extension --------------------------------------------------------------------------------------

def check_extension(built: extensions.BuiltExtension | None) -> Report:
    report = Report("extension")
    reinstall = "reinstall AliWatch (pip install --force-reinstall aliwatch), or rebuild the checkout: python build.py"
    if built is None:
        report.add(False, "no built extension found (neither packaged with this helper nor in a source checkout)",
                   reinstall)
        return report
    report.add(True, f"build: {built.origin}")
    report.add(built.chrome_id == CHROME_EXTENSION_ID,
               f"Chrome ID {built.chrome_id} " + ("matches the helper's" if built.chrome_id == CHROME_EXTENSION_ID
                                                   else f"differs from the helper's {CHROME_EXTENSION_ID}"), reinstall)
    report.add(built.firefox_id == FIREFOX_EXTENSION_ID,
               f"Firefox ID {built.firefox_id} " + ("matches the helper's" if built.firefox_id == FIREFOX_EXTENSION_ID
                                                     else f"differs from the helper's {FIREFOX_EXTENSION_ID}"), reinstall)
    report.add(built.version == __version__,
               f"version {built.version} " + ("= helper" if built.version == __version__
                                              else f"differs from the helper's {__version__}"), reinstall)
    return report


# --- one browser ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Where:
    """The manifest a browser will read: its file, and on Windows the registry key that named it."""

    manifest: Path | None
    via: str = ""  # "HKCU\\...": how it was found


def locate(machine: Machine, place: Place, system: bool) -> tuple[Where, list[Finding]]:
    """The manifest the browser would use for this place: user level first, then system level (what
    both browser families do), unless --system or --user-data-dir pins one place."""
    if place.registry and machine.os == "win32":
        hive, key = place.registry
        hives = [hive] if system else ["HKCU", "HKLM"]
        for h in hives:
            value = machine.registry.get(h, key) if machine.registry else None
            if value:
                return Where(Path(value), f"{h}\\{key}"), []
        return Where(None), [Finding(False, f"no registry key {' or '.join(f'{h}' for h in hives)}\\{key}")]
    assert place.manifest is not None
    candidates = [place.manifest]
    if not system and place.variant == "native" and not place.user_data_dir:
        candidates.append(native_place(machine, place.browser, True).manifest)
    for path in candidates:
        if path is not None and path.is_file():
            return Where(path), []
    return Where(None), [Finding(False, f"no manifest at {place.manifest}")]


def check_place(machine: Machine, place: Place, system: bool, timeout: float, ping: bool = True) -> Report:
    suffix = f" --user-data-dir {place.user_data_dir}" if place.user_data_dir else ""
    report = Report(f"{place.label}{suffix}")
    fix = install_command(place.browser, system, place.user_data_dir)
    where, missing = locate(machine, place, system)
    if where.manifest is None:
        for f in missing:
            report.add(False, f.what, fix)
        return report
    if where.via:
        report.add(True, f"{where.via} names {where.manifest}")
        if not where.manifest.is_file():
            report.add(False, f"the registry names {where.manifest}, which does not exist", fix)
            return report
    report.add(True, f"manifest present: {where.manifest}")
    try:
        data = json.loads(where.manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        report.add(False, f"manifest unreadable: {e}", fix)
        return report
    if not isinstance(data, dict):
        report.add(False, "manifest is not a JSON object", fix)
        return report
    for p in manifests.header_problems(data, where.manifest, machine.os):
        report.add(False, f"manifest: {p}", fix)
    launcher_path = data.get("path") if isinstance(data.get("path"), str) else ""
    launcher_issue = manifests.launcher_problem(launcher_path, machine.os) if launcher_path else "path is missing"
    launcher_ok = _check_launcher(report, launcher_path, launcher_issue, fix)
    _check_ids(report, data, place.kind, fix)
    if place.variant == "flatpak":
        _check_flatpak(report, machine, place)
    if launcher_ok and ping:
        _check_ping(report, machine, place, where.manifest, launcher_path, timeout, fix)
    return report


def _check_launcher(report: Report, launcher: str, issue: str | None, fix: str) -> bool:
    if issue:
        step = f"chmod +x {shlex.quote(launcher)}   (or: {fix})" if issue.endswith("is not executable") else fix
        return report.add(False, f"launcher: {issue}", step)
    try:
        text = Path(launcher).read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        return report.add(False, f"launcher {launcher} unreadable: {e}", fix)
    python = launchers.interpreter_of(text)
    if python is None:
        return report.add(True, f"launcher {launcher} (not written by aliwatch install: not inspected)")
    if not Path(python).is_file():
        return report.add(False, f"launcher {launcher} runs {python}, which no longer exists",
                          f"run `{fix}` with the Python AliWatch is installed in now")
    return report.add(True, f"launcher {launcher} runs {python}")


def _check_ids(report: Report, data: dict, kind: str, fix: str) -> None:
    problem = manifests.allow_problem(data, kind)
    report.add(problem is None, problem or f"{manifests.ALLOWED_KEY[kind]} lists {manifests.allowed_value(kind)}",
               fix)


def _check_flatpak(report: Report, machine: Machine, place: Place) -> None:
    allowed = flatpak_can_leave_sandbox(machine, place.app_id)
    report.add(bool(allowed), f"{place.app_id} " + ("may start programs outside its sandbox" if allowed else
                                                    "may not start programs outside its sandbox"),
               f"flatpak override --user --talk-name={FLATPAK_TALK} {place.app_id}")


def _ping_fix(kind: str, launcher: str, install: str) -> str:
    if kind == "garbage":
        return ("something besides the host writes to its stdout (a sitecustomize.py, an edited launcher): only "
                f"native-messaging frames may go there; run `{install}` to rewrite the launcher")
    if kind == "timeout":
        return (f"start it by hand to see where it hangs: ALIWATCH_LOGLEVEL=DEBUG {shlex.quote(launcher)} "
                f"< /dev/null; if it is not AliWatch's launcher any more, run `{install}`")
    return (f"start it by hand to see its error: {shlex.quote(launcher)} < /dev/null; if AliWatch or its Python "
            f"was removed or moved, reinstall it and run `{install}`")


def _check_ping(report: Report, machine: Machine, place: Place, manifest: Path, launcher: str, timeout: float,
                install: str) -> None:
    if place.variant == "flatpak":
        # The wrapper only works inside the sandbox; ping the interpreter it hands over to instead.
        python = launchers.interpreter_of(Path(launcher).read_text(encoding="utf-8", errors="replace"))
        if not python:
            report.add(False, "cannot read the interpreter from the Flatpak launcher", install)
            return
        args = [str(manifest), FIREFOX_EXTENSION_ID] if place.kind == "firefox" else [manifests.chrome_origin()]
        command = [python, "-m", "aliwatch", "host", *args]
        what = "host (started outside the sandbox, as flatpak-spawn would)"
    else:
        command = probe.browser_command(machine.os, launcher, place.kind, manifest)
        what = "host"
    result = probe.ping(command, cwd=str(Path(launcher).parent), env=probe.browser_env(machine.os), timeout=timeout)
    report.add(result.ok, f"{what} {result.detail}", _ping_fix(result.kind, launcher, install))


# --- all of it --------------------------------------------------------------------------------------------

def _recorded_places(machine: Machine, system: bool, browser: str) -> list[Place]:
    """Places install.json lists that the plan would not check (a browser not found any more, a profile
    dir): they were registered, so they are checked too."""
    try:
        entries = record.load(machine.data_dir(system))["manifests"]
    except InstallError:
        return []
    out = []
    for e in entries:
        if browser != "all" and e.get("browser") != browser:
            continue
        if e.get("user_data_dir"):
            out.append(Place(e["browser"], "native", Path(e["path"]), None, (), user_data_dir=e["user_data_dir"]))
        elif e.get("variant", "native") == "native":
            out.append(native_place(machine, e["browser"], system))
    return out


def diagnose(machine: Machine, browser: str = "all", system: bool = False, user_data_dir: str | None = None,
             timeout: float = 20.0, ping: bool = True) -> tuple[list[Report], list[str]]:
    """(reports, notes): one report for the extension, one per place checked. ping=False skips starting
    the hosts (for describing another OS's layout in tests)."""
    chosen = plan(machine, browser, system, user_data_dir)
    places = list(chosen.places)
    if not user_data_dir:
        seen = {(p.browser, p.variant, str(p.manifest)) for p in places}
        for p in _recorded_places(machine, system, browser):
            if (p.browser, p.variant, str(p.manifest)) not in seen:
                places.append(p)
                seen.add((p.browser, p.variant, str(p.manifest)))
    reports = [check_extension(extensions.find())]
    reports += [check_place(machine, p, system, timeout, ping) for p in places]
    notes = list(chosen.notes)
    if chosen.skipped:
        notes.append(f"not checked (not found on this machine): {', '.join(chosen.skipped)}; name one with --browser")
    if not places:
        notes.append("no supported browser found: install one, or name it with --browser")
    return reports, notes


def render(reports: list[Report], notes: list[str]) -> str:
    lines = [f"aliwatch doctor {__version__} (python {sys.executable})"]
    for r in reports:
        lines.append(f"{r.title}:{'' if r.broken else ' ok'}")
        for f in r.findings:
            lines.append(f"  {'ok  ' if f.ok else 'FAIL'}  {f.what}")
            if f.fix:
                lines.append(f"        fix: {f.fix}")
    lines += notes
    broken = [r.title for r in reports if r.broken]
    lines.append(f"broken: {', '.join(broken)}" if broken else "everything checked works")
    return "\n".join(lines)


def run(args: argparse.Namespace, machine: Machine | None = None, timeout: float = 20.0) -> int:
    try:
        machine = machine or Machine.current()
        reports, notes = diagnose(machine, getattr(args, "browser", "all") or "all", bool(getattr(args, "system", False)),
                                  getattr(args, "user_data_dir", None), timeout)
    except InstallError as e:
        print(f"aliwatch doctor: error: {e}", file=sys.stderr)
        return 1
    if not getattr(args, "system", False):
        from aliwatch.commands import where

        notes.append(where.render(where.places(machine)))  # where your data lives: backups, bug reports, removal
    print(render(reports, notes))
    checked = len(reports) > 1
    return 0 if checked and not any(r.broken for r in reports) else 1
