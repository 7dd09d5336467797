"""The built browser extension this helper belongs to, and the IDs it will run under.

An installed wheel carries the build in aliwatch/extension_dist/{chrome,firefox} (setup.py runs build.py
while building the wheel); a source checkout has build.py and extension/ next to helper/, and its manifests
are computed with build.py's own transformation, without writing anything."""
from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

import aliwatch

PACKAGED = Path(aliwatch.__file__).resolve().parent / "extension_dist"


def chrome_id_from_key(key: str) -> str:
    """Chrome's extension ID for a manifest "key": sha256 of the DER public key, first 32 hex digits
    written with a-p instead of 0-f."""
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


@dataclass(frozen=True)
class BuiltExtension:
    origin: str  # where it was found: the package dir or the checkout
    chrome_dir: Path | None  # an unpacked, loadable build (None: computed from a checkout, not written)
    firefox_dir: Path | None
    chrome_id: str | None  # from the Chrome manifest's "key"; None when it has none
    firefox_id: str | None  # browser_specific_settings.gecko.id
    version: str | None


def _gecko_id(manifest: dict) -> str | None:
    return manifest.get("browser_specific_settings", {}).get("gecko", {}).get("id")


def _describe(origin: str, chrome: dict, firefox: dict, chrome_dir: Path | None, firefox_dir: Path | None
              ) -> BuiltExtension:
    key = chrome.get("key")
    return BuiltExtension(origin, chrome_dir, firefox_dir, chrome_id_from_key(key) if isinstance(key, str) else None,
                          _gecko_id(firefox), chrome.get("version"))


def packaged(directory: Path = PACKAGED) -> BuiltExtension | None:
    try:
        chrome = json.loads((directory / "chrome" / "manifest.json").read_text("utf-8"))
        firefox = json.loads((directory / "firefox" / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return _describe(str(directory), chrome, firefox, directory / "chrome", directory / "firefox")


def checkout_root() -> Path | None:
    root = Path(aliwatch.__file__).resolve().parents[2]
    return root if (root / "build.py").is_file() and (root / "extension" / "manifest.json").is_file() else None


def load_build_module(root: Path):
    """build.py of a checkout, imported by path (it is stdlib-only)."""
    spec = importlib.util.spec_from_file_location("aliwatch_build_script", root / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def from_checkout(root: Path | None = None) -> BuiltExtension | None:
    root = root or checkout_root()
    if root is None:
        return None
    try:
        build = load_build_module(root)
        source = build.load_manifest()
        chrome, firefox = build.chrome_manifest(source), build.firefox_manifest(source)
    except Exception:  # a broken checkout: say nothing rather than guess (doctor reports "not found")
        return None
    return _describe(str(root / "extension"), chrome, firefox, None, None)


def find() -> BuiltExtension | None:
    """The packaged build when there is one (it is what a wheel user loads), else the checkout's."""
    return packaged() or from_checkout()
