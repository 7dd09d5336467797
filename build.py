#!/usr/bin/env python3
"""Builds the AliWatch browser extension for Chrome/Chromium and Firefox from the one source in extension/.

    python build.py [--out DIR]      (default DIR: dist)

Writes DIR/chrome/, DIR/firefox/, DIR/aliwatch-chrome.zip and DIR/aliwatch-firefox.zip. The zips are
deterministic (sorted names, fixed timestamps and modes), so the same source gives the same bytes.
Stdlib only.
"""
from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SOURCE = ROOT / "extension"
INIT = ROOT / "helper" / "aliwatch" / "__init__.py"

# 140: the oldest Firefox ESR still supported, and the first that reads data_collection_permissions, which
# addons.mozilla.org requires of new add-ons. AliWatch collects nothing: everything stays on the machine.
GECKO = {"id": "aliwatch@aliwatch.org", "strict_min_version": "140.0",
         "data_collection_permissions": {"required": ["none"]}}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can store


class BuildError(Exception):
    pass


def helper_constant(name: str) -> str:
    """A string constant of helper/aliwatch/__init__.py, read with a regex: importing the package would
    need its dependencies."""
    try:
        text = INIT.read_text(encoding="utf-8")
    except OSError as e:
        raise BuildError(f"cannot read {INIT}: {e}") from e
    m = re.search(rf"""^{name}\s*=\s*["']([^"']+)["']""", text, re.M)
    if not m:
        raise BuildError(f"no {name} in {INIT}")
    return m.group(1)


def helper_version() -> str:
    return helper_constant("__version__")


def chrome_id(key: str) -> str:
    """Chrome's extension ID for a manifest "key": sha256 of the DER public key, first 32 hex digits
    written with a-p instead of 0-f."""
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def source_files() -> list[Path]:
    """Every file of the extension, relative, sorted; dot-files (editor and OS litter) are skipped."""
    files = []
    for p in SOURCE.rglob("*"):
        rel = p.relative_to(SOURCE)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            files.append(rel)
    return sorted(files, key=lambda r: r.as_posix())


def load_manifest() -> dict:
    path = SOURCE / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise BuildError(f"cannot read {path}: {e}") from e
    except json.JSONDecodeError as e:
        raise BuildError(f"{path} is not valid JSON: {e}") from e
    if manifest.get("manifest_version") != 3:
        raise BuildError("extension/manifest.json must be manifest_version 3")
    if not isinstance(manifest.get("background", {}).get("service_worker"), str):
        raise BuildError("extension/manifest.json needs background.service_worker")
    return manifest


def referenced_files(manifest: dict) -> list[str]:
    """Files the manifest points at, so a typo fails the build instead of the browser's load."""
    refs = [manifest["background"]["service_worker"]]
    for cs in manifest.get("content_scripts", []):
        refs += cs.get("js", []) + cs.get("css", [])
    refs += list(manifest.get("icons", {}).values())
    return refs


def check(manifest: dict, files: list[Path]) -> None:
    version = helper_version()
    if manifest.get("version") != version:
        raise BuildError(
            f"version mismatch: extension/manifest.json has {manifest.get('version')!r}, "
            f"helper/aliwatch/__init__.py has {version!r}; they must be equal"
        )
    # The helper's host manifests allow exactly these IDs: a build under any other ID could not reach it.
    pinned = helper_constant("CHROME_EXTENSION_ID")
    if not isinstance(manifest.get("key"), str) or chrome_id(manifest["key"]) != pinned:
        raise BuildError(f'extension/manifest.json "key" does not give the pinned Chrome ID {pinned} '
                         "(helper/aliwatch/__init__.py CHROME_EXTENSION_ID)")
    if GECKO["id"] != helper_constant("FIREFOX_EXTENSION_ID"):
        raise BuildError("build.py GECKO id differs from helper/aliwatch/__init__.py FIREFOX_EXTENSION_ID")
    present = {f.as_posix() for f in files}
    missing = [r for r in referenced_files(manifest) if r not in present]
    if missing:
        raise BuildError(f"extension/manifest.json refers to missing files: {', '.join(missing)}")


def chrome_manifest(manifest: dict) -> dict:
    out = copy.deepcopy(manifest)
    out.pop("browser_specific_settings", None)
    if "key" not in out:
        raise BuildError('extension/manifest.json lost its "key" (it pins the Chrome extension ID)')
    return out


def firefox_manifest(manifest: dict) -> dict:
    """Firefox: no "key"; an event page (background.scripts) instead of a service worker; the gecko id."""
    out = copy.deepcopy(manifest)
    out.pop("key", None)
    background = out["background"]
    scripts = [background.pop("service_worker")]
    out["background"] = {"scripts": scripts, **background}  # keeps "type": "module"
    out["browser_specific_settings"] = {"gecko": copy.deepcopy(GECKO)}
    return out


def write_tree(dest: Path, files: list[Path], manifest: dict) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel.as_posix() == "manifest.json":
            target.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            shutil.copyfile(SOURCE / rel, target)


def write_zip(zip_path: Path, tree: Path, files: list[Path]) -> None:
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rel in files:
            info = zipfile.ZipInfo(rel.as_posix(), date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, so the mode above is honoured everywhere
            zf.writestr(info, (tree / rel).read_bytes())


def build(out: Path) -> list[Path]:
    manifest = load_manifest()
    files = source_files()
    check(manifest, files)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, variant in (("chrome", chrome_manifest(manifest)), ("firefox", firefox_manifest(manifest))):
        tree = out / name
        write_tree(tree, files, variant)
        zip_path = out / f"aliwatch-{name}.zip"
        write_zip(zip_path, tree, files)
        written += [tree, zip_path]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the AliWatch extension for Chrome and Firefox.")
    parser.add_argument("--out", help="output directory (default: dist next to build.py)")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve() if args.out else ROOT / "dist"
    try:
        if out == SOURCE or SOURCE in out.parents:
            raise BuildError(f"--out {out} is inside the extension source")
        for path in build(out):
            print(path)
    except BuildError as e:
        print(f"build.py: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"build.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
