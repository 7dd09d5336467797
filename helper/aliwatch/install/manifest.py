"""Host manifests: what install writes, and the checks a browser will make, run on what was written."""
from __future__ import annotations

import json
import os
from pathlib import Path

from aliwatch import CHROME_EXTENSION_ID, FIREFOX_EXTENSION_ID, HOST_NAME
from aliwatch.install.locations import MANIFEST_NAME, kind_of
from aliwatch.install.machine import InstallError

DESCRIPTION = "AliWatch helper: reads AliExpress order pages for the AliWatch extension"
ALLOWED_KEY = {"chrome": "allowed_origins", "firefox": "allowed_extensions"}
LAUNCHER_SUFFIXES = (".bat", ".cmd", ".exe")  # what Windows browsers can start


def chrome_origin(extension_id: str = CHROME_EXTENSION_ID) -> str:
    return f"chrome-extension://{extension_id}/"


def allowed_value(kind: str) -> str:
    """The entry our extension needs in the manifest's allow list."""
    return FIREFOX_EXTENSION_ID if kind == "firefox" else chrome_origin()


def manifest_for(browser: str, launcher: Path) -> dict:
    """`browser` is a browser name or a kind ("chrome"/"firefox")."""
    kind = kind_of(browser)
    return {"name": HOST_NAME, "description": DESCRIPTION, "path": str(launcher), "type": "stdio",
            ALLOWED_KEY[kind]: [allowed_value(kind)]}


def is_ascii(text: str) -> bool:
    return all(ord(c) < 128 for c in text)


def launcher_problem(launcher: str, os_name: str) -> str | None:
    """Why the browser could not start this "path", or None."""
    if not os.path.isabs(launcher):
        return f"path {launcher!r} is not absolute"
    if os_name == "win32" and not is_ascii(launcher):
        return f"path {launcher} is not plain ASCII (Windows browsers start it through cmd.exe)"
    if not os.path.isfile(launcher):
        return f"{launcher} does not exist"
    if os_name == "win32":
        if not launcher.lower().endswith(LAUNCHER_SUFFIXES):
            return f"{launcher} is not a .bat, .cmd or .exe file"
    elif not os.access(launcher, os.X_OK):
        return f"{launcher} is not executable"
    return None


def header_problems(manifest: dict, path: Path, os_name: str) -> list[str]:
    """Name, file name, type: what makes a browser ignore the file before it looks at "path"."""
    found = []
    if manifest.get("name") != HOST_NAME:
        found.append(f"name is {manifest.get('name')!r}, not {HOST_NAME}")
    elif os_name != "win32" and path.name != MANIFEST_NAME:
        found.append(f"file name {path.name} does not match the host name")
    if os_name == "win32" and not is_ascii(str(path)):
        found.append(f"manifest path {path} is not plain ASCII")
    if manifest.get("type") != "stdio":
        found.append("type is not stdio")
    return found


def allow_problem(manifest: dict, kind: str) -> str | None:
    """The allow list must name our extension: a manifest that does not is as useless as a missing one."""
    key = ALLOWED_KEY[kind]
    listed = manifest.get(key)
    if isinstance(listed, list) and allowed_value(kind) in listed:
        return None
    return f"{key} is {json.dumps(listed)}, which lacks {allowed_value(kind)}"


def problems(manifest: object, path: Path, kind: str, os_name: str) -> list[str]:
    """Everything the browser would reject in this manifest (an empty list: it is fine)."""
    if not isinstance(manifest, dict):
        return ["not a JSON object"]
    found = header_problems(manifest, path, os_name)
    launcher = manifest.get("path")
    problem = launcher_problem(launcher, os_name) if isinstance(launcher, str) and launcher else "path is missing"
    allow = allow_problem(manifest, kind)
    return found + [p for p in (problem, allow) if p]


def read(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InstallError(f"{path}: cannot read the manifest back: {e}") from None
    return value


def check_manifest(path: Path, browser: str, os_name: str | None = None) -> None:
    """Re-read a written manifest and check what the browser will check. Raises InstallError."""
    from aliwatch.install.machine import os_key

    found = problems(read(path), path, kind_of(browser), os_name or os_key())
    if found:
        raise InstallError(f"{path}: " + "; ".join(found))


def write_text(browser: str, launcher: Path) -> str:
    return json.dumps(manifest_for(browser, launcher), indent=2) + "\n"
