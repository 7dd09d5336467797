"""The Windows registry, reduced to what native messaging needs: a key's default value.

Chrome-family browsers and Firefox find a host on Windows through
HKCU|HKLM\\Software\\<vendor>\\NativeMessagingHosts\\<host name> whose default value is the manifest's path.
WinRegistry is the real one (winreg, only importable on Windows); FakeRegistry keeps keys in a dict so the
installer's Windows path is tested on any OS."""
from __future__ import annotations

from typing import Protocol

HIVES = ("HKCU", "HKLM")


class Registry(Protocol):
    def get(self, hive: str, key: str) -> str | None:
        """The key's default value, or None when the key (or its default value) does not exist."""

    def set(self, hive: str, key: str, value: str) -> None:
        """Create the key if needed and set its default value (REG_SZ)."""

    def delete(self, hive: str, key: str) -> bool:
        """Delete the key (it has no subkeys); False when it did not exist."""


def _check(hive: str, key: str) -> None:
    if hive not in HIVES:
        raise ValueError(f"unknown hive {hive!r}")
    if not key or key.startswith("\\") or "/" in key:
        raise ValueError(f"bad registry key {key!r}")


class WinRegistry:
    """winreg-backed; the default (64-bit on a 64-bit Python) view, which both browsers read."""

    def __init__(self) -> None:
        import winreg  # ImportError off Windows: only Machine.current() on win32 builds this

        self._winreg = winreg
        self._hives = {"HKCU": winreg.HKEY_CURRENT_USER, "HKLM": winreg.HKEY_LOCAL_MACHINE}

    def get(self, hive: str, key: str) -> str | None:
        _check(hive, key)
        w = self._winreg
        try:
            with w.OpenKey(self._hives[hive], key, 0, w.KEY_READ) as k:
                value, kind = w.QueryValueEx(k, "")
        except FileNotFoundError:
            return None
        return value if kind in (w.REG_SZ, w.REG_EXPAND_SZ) and isinstance(value, str) else None

    def set(self, hive: str, key: str, value: str) -> None:
        _check(hive, key)
        w = self._winreg
        with w.CreateKeyEx(self._hives[hive], key, 0, w.KEY_WRITE) as k:
            w.SetValueEx(k, "", 0, w.REG_SZ, value)

    def delete(self, hive: str, key: str) -> bool:
        _check(hive, key)
        try:
            self._winreg.DeleteKey(self._hives[hive], key)
        except FileNotFoundError:
            return False
        return True


class FakeRegistry:
    """In memory, with the same contract (and the same argument checks) as WinRegistry."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], str] = {}

    def get(self, hive: str, key: str) -> str | None:
        _check(hive, key)
        return self.keys.get((hive, key.lower()))  # registry keys are case-insensitive

    def set(self, hive: str, key: str, value: str) -> None:
        _check(hive, key)
        if not isinstance(value, str):
            raise TypeError("REG_SZ values are strings")
        self.keys[(hive, key.lower())] = value

    def delete(self, hive: str, key: str) -> bool:
        _check(hive, key)
        return self.keys.pop((hive, key.lower()), None) is not None
