"""Where each browser looks for native-messaging hosts, per OS and level, and how to tell it is present.

Tables, not code: one row per browser. Templates start with a {dir} that Machine.expand fills in.
Sources: the Chrome and MDN native-messaging docs, chromium chrome_paths*.cc, KeePassXC's and
browserpass's installers (see docs/notes/native-messaging.md §2)."""
from __future__ import annotations

from dataclasses import dataclass

from pathlib import Path

from aliwatch import HOST_NAME
from aliwatch.install.machine import Machine

CHROME_FAMILY = ("chromium", "chrome", "brave", "edge", "vivaldi")
BROWSERS = CHROME_FAMILY + ("firefox",)
LABELS = {"chromium": "Chromium", "chrome": "Google Chrome", "brave": "Brave", "edge": "Microsoft Edge",
          "vivaldi": "Vivaldi", "firefox": "Firefox"}
MANIFEST_NAME = f"{HOST_NAME}.json"  # Linux/macOS browsers look the host up by this file name


def kind_of(browser: str) -> str:
    """"firefox" (allowed_extensions) or "chrome" (allowed_origins, the whole Chromium family)."""
    return "firefox" if browser == "firefox" else "chrome"


@dataclass(frozen=True)
class Row:
    profile: str  # the per-user dir the browser creates on first run
    user: str  # per-user manifest dir (Linux/macOS) or registry key under HKCU/HKLM (Windows)
    system: str  # system-wide manifest dir (Linux/macOS); unused on Windows (same key under HKLM)
    installed: tuple[str, ...]  # program dirs: the browser is installed even if this user never ran it


_LINUX = {
    "chromium": Row("{config}/chromium", "{config}/chromium/NativeMessagingHosts",
                    "{root}/etc/chromium/native-messaging-hosts",
                    ("{root}/usr/lib/chromium", "{root}/usr/lib64/chromium-browser")),
    "chrome": Row("{config}/google-chrome", "{config}/google-chrome/NativeMessagingHosts",
                  "{root}/etc/opt/chrome/native-messaging-hosts", ("{root}/opt/google/chrome",)),
    # Brave and Vivaldi read the system dirs of the builds they derive from (browserpass's Makefile).
    "brave": Row("{config}/BraveSoftware/Brave-Browser", "{config}/BraveSoftware/Brave-Browser/NativeMessagingHosts",
                 "{root}/etc/opt/chrome/native-messaging-hosts", ("{root}/opt/brave.com/brave",)),
    "edge": Row("{config}/microsoft-edge", "{config}/microsoft-edge/NativeMessagingHosts",
                "{root}/etc/opt/edge/native-messaging-hosts", ("{root}/opt/microsoft/msedge",)),
    "vivaldi": Row("{config}/vivaldi", "{config}/vivaldi/NativeMessagingHosts",
                   "{root}/etc/chromium/native-messaging-hosts", ("{root}/opt/vivaldi",)),
    # Firefox: one dir for every profile; Fedora-style 64-bit systems use lib64 (see _linux_system).
    "firefox": Row("{home}/.mozilla", "{home}/.mozilla/native-messaging-hosts",
                   "{root}/usr/lib/mozilla/native-messaging-hosts",
                   ("{root}/usr/lib/firefox", "{root}/usr/lib/firefox-esr", "{root}/usr/lib64/firefox",
                    "{root}/opt/firefox")),
}

_MACOS = {
    "chromium": Row("{appsupport}/Chromium", "{appsupport}/Chromium/NativeMessagingHosts",
                    "{root}/Library/Application Support/Chromium/NativeMessagingHosts",
                    ("{root}/Applications/Chromium.app", "{home}/Applications/Chromium.app")),
    "chrome": Row("{appsupport}/Google/Chrome", "{appsupport}/Google/Chrome/NativeMessagingHosts",
                  "{root}/Library/Google/Chrome/NativeMessagingHosts",
                  ("{root}/Applications/Google Chrome.app", "{home}/Applications/Google Chrome.app")),
    "brave": Row("{appsupport}/BraveSoftware/Brave-Browser",
                 "{appsupport}/BraveSoftware/Brave-Browser/NativeMessagingHosts",
                 "{root}/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
                 ("{root}/Applications/Brave Browser.app", "{home}/Applications/Brave Browser.app")),
    "edge": Row("{appsupport}/Microsoft Edge", "{appsupport}/Microsoft Edge/NativeMessagingHosts",
                "{root}/Library/Microsoft/Edge/NativeMessagingHosts",
                ("{root}/Applications/Microsoft Edge.app", "{home}/Applications/Microsoft Edge.app")),
    "vivaldi": Row("{appsupport}/Vivaldi", "{appsupport}/Vivaldi/NativeMessagingHosts",
                   "{root}/Library/Application Support/Vivaldi/NativeMessagingHosts",
                   ("{root}/Applications/Vivaldi.app", "{home}/Applications/Vivaldi.app")),
    "firefox": Row("{appsupport}/Firefox", "{appsupport}/Mozilla/NativeMessagingHosts",
                   "{root}/Library/Application Support/Mozilla/NativeMessagingHosts",
                   ("{root}/Applications/Firefox.app", "{home}/Applications/Firefox.app")),
}

# Windows: registry keys (the default value is the manifest path). Brave and Vivaldi read Chrome's key
# (KeePassXC's installer); Chromium builds try their own key first.
_WINDOWS = {
    "chromium": Row("{localappdata}/Chromium/User Data", r"Software\Chromium\NativeMessagingHosts", "",
                    ("{localappdata}/Chromium/Application",)),
    "chrome": Row("{localappdata}/Google/Chrome/User Data", r"Software\Google\Chrome\NativeMessagingHosts", "",
                  ("{programfiles}/Google/Chrome/Application", "{programfiles_x86}/Google/Chrome/Application",
                   "{localappdata}/Google/Chrome/Application")),
    "brave": Row("{localappdata}/BraveSoftware/Brave-Browser/User Data", r"Software\Google\Chrome\NativeMessagingHosts",
                 "", ("{programfiles}/BraveSoftware/Brave-Browser/Application",
                      "{localappdata}/BraveSoftware/Brave-Browser/Application")),
    "edge": Row("{localappdata}/Microsoft/Edge/User Data", r"Software\Microsoft\Edge\NativeMessagingHosts", "",
                ("{programfiles_x86}/Microsoft/Edge/Application", "{programfiles}/Microsoft/Edge/Application")),
    "vivaldi": Row("{localappdata}/Vivaldi/User Data", r"Software\Google\Chrome\NativeMessagingHosts", "",
                   ("{localappdata}/Vivaldi/Application", "{programfiles}/Vivaldi/Application")),
    "firefox": Row("{appdata}/Mozilla/Firefox", r"Software\Mozilla\NativeMessagingHosts", "",
                   ("{programfiles}/Mozilla Firefox", "{programfiles_x86}/Mozilla Firefox")),
}

TABLES = {"linux": _LINUX, "darwin": _MACOS, "win32": _WINDOWS}

# Linux sandboxes. Flatpak: app id -> manifest dir inside ~/.var/app/<id> (the app's own $XDG_CONFIG_HOME
# or ~/.mozilla). The host then runs inside the sandbox and must leave it through flatpak-spawn --host.
FLATPAK = {
    "chromium": ("org.chromium.Chromium", "config/chromium/NativeMessagingHosts"),
    "chrome": ("com.google.Chrome", "config/google-chrome/NativeMessagingHosts"),
    "brave": ("com.brave.Browser", "config/BraveSoftware/Brave-Browser/NativeMessagingHosts"),
    "edge": ("com.microsoft.Edge", "config/microsoft-edge/NativeMessagingHosts"),
    "vivaldi": ("com.vivaldi.Vivaldi", "config/vivaldi/NativeMessagingHosts"),
    "firefox": ("org.mozilla.firefox", ".mozilla/native-messaging-hosts"),
}
FLATPAK_TALK = "org.freedesktop.Flatpak"  # the D-Bus name flatpak-spawn --host needs

# Snap: Firefox asks the desktop portal, which starts hosts outside the sandbox from the ordinary
# ~/.mozilla manifest; Chromium-family snaps start hosts inside their confinement, where no Python of ours
# can run (keepassxc#4328, KeePassXC PR #10906).
SNAP_PORTAL = {"firefox": "firefox"}
SNAP_BLOCKED = {"chromium": "chromium", "brave": "brave"}


@dataclass(frozen=True)
class Place:
    """One place a browser (or one packaging of it) reads our manifest from."""

    browser: str
    variant: str  # "native" | "flatpak" | "snap"
    manifest: Path | None  # None: nothing can be written for this variant (see blocked)
    registry: tuple[str, str] | None = None  # Windows: (hive, key) whose default value names the manifest
    found: tuple[Path, ...] = ()  # what shows the browser is here; empty: not seen on this machine
    app_id: str = ""  # Flatpak app id / snap name
    blocked: str = ""  # why AliWatch cannot work with this variant, and what to do instead
    user_data_dir: str | None = None  # a Chrome-family profile started with --user-data-dir

    @property
    def kind(self) -> str:
        return kind_of(self.browser)

    @property
    def label(self) -> str:
        return label(self.browser, self.variant)


def label(browser: str, variant: str = "native") -> str:
    name = "chrome family" if browser == "all" else browser  # "all" only with --user-data-dir
    return name + {"native": "", "flatpak": " (Flatpak)", "snap": " (Snap)"}[variant]


def _existing(machine: Machine, templates: tuple[str, ...]) -> tuple[Path, ...]:
    return tuple(p for p in (machine.expand(t) for t in templates) if p.exists())


def _linux_system(machine: Machine, row: Row, browser: str) -> Path:
    if browser == "firefox" and not (machine.root / "usr/lib/mozilla").exists() and (
            (machine.root / "usr/lib64/mozilla").exists() or (machine.root / "usr/lib64/firefox").exists()):
        return machine.root / "usr/lib64/mozilla/native-messaging-hosts"
    return machine.expand(row.system)


def native_place(machine: Machine, browser: str, system: bool) -> Place:
    row = TABLES[machine.os][browser]
    found = _existing(machine, (row.profile,) + row.installed)
    if machine.os == "win32":
        # The manifest may live anywhere: the registry names it. One file per kind, next to the launcher.
        manifest = machine.data_dir(system) / f"{HOST_NAME}.{kind_of(browser)}.json"
        key = f"{row.user}\\{HOST_NAME}"
        return Place(browser, "native", manifest, ("HKLM" if system else "HKCU", key), found)
    if system:
        directory = _linux_system(machine, row, browser) if machine.os == "linux" else machine.expand(row.system)
    else:
        directory = machine.expand(row.user)
    return Place(browser, "native", directory / MANIFEST_NAME, None, found)


def flatpak_installed(machine: Machine, app_id: str) -> tuple[Path, ...]:
    candidates = (machine.home / ".var" / "app" / app_id, machine.data_home / "flatpak" / "app" / app_id,
                  machine.root / "var" / "lib" / "flatpak" / "app" / app_id)
    return tuple(p for p in candidates if p.exists())


def sandboxed_places(machine: Machine, browser: str) -> list[Place]:
    """Flatpak and Snap packagings of the browser found for this user (Linux, user level only)."""
    if machine.os != "linux":
        return []
    places = []
    app_id, inner = FLATPAK[browser]
    found = flatpak_installed(machine, app_id)
    if found:
        manifest = machine.home / ".var" / "app" / app_id / inner / MANIFEST_NAME
        places.append(Place(browser, "flatpak", manifest, None, found, app_id))
    for table, blocked in ((SNAP_PORTAL, ""), (SNAP_BLOCKED, "blocked")):
        name = table.get(browser)
        if not name:
            continue
        found = tuple(p for p in (machine.home / "snap" / name, machine.root / "snap" / name) if p.exists())
        if not found:
            continue
        if blocked:
            why = (f"{LABELS[browser]} from Snap starts native helpers inside its sandbox, where the Python "
                   f"AliWatch runs in is out of reach; install {LABELS[browser]} from your distribution's "
                   f"packages or from Flathub, or use Firefox")
            places.append(Place(browser, "snap", None, None, found, name, why))
        else:
            # The portal reads the ordinary manifest: nothing extra to write, only something to say.
            places.append(Place(browser, "snap", None, None, found, name))
    return places


def flatpak_can_leave_sandbox(machine: Machine, app_id: str) -> bool | None:
    """Whether the app may talk to org.freedesktop.Flatpak (needed by flatpak-spawn --host), from its
    metadata and the user/system overrides; None when Flatpak's files are not readable here."""
    files = [
        machine.data_home / "flatpak" / "app" / app_id / "current" / "active" / "metadata",
        machine.root / "var" / "lib" / "flatpak" / "app" / app_id / "current" / "active" / "metadata",
        machine.root / "var" / "lib" / "flatpak" / "overrides" / "global",
        machine.root / "var" / "lib" / "flatpak" / "overrides" / app_id,
        machine.data_home / "flatpak" / "overrides" / "global",
        machine.data_home / "flatpak" / "overrides" / app_id,
    ]  # later files override earlier ones, as flatpak applies them
    verdict: bool | None = None
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        section = ""
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
            elif section == "Session Bus Policy" and "=" in line:
                name, _, policy = (s.strip() for s in line.partition("="))
                if name == FLATPAK_TALK:
                    verdict = policy in ("talk", "own")
        if verdict is None:
            verdict = False  # the file was read and did not grant it
    return verdict
