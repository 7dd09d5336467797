#!/usr/bin/env python3
"""Builds the AliWatch browser extension for Chrome/Chromium and Firefox from the one source in extension/.

    python build.py [--out DIR]      (default DIR: dist)

Writes DIR/chrome/, DIR/firefox/, DIR/aliwatch-chrome.zip and DIR/aliwatch-firefox.zip, and refreshes the
helper's language-guess index (helper/aliwatch/langguess_index.json, see langguess.py). The zips are
deterministic (sorted names, fixed timestamps and modes), so the same source gives the same bytes.
Refuses to build when a file the extension names is not there: manifest fields, what its HTML pages load
(<script src>, <link href>, <img src>), what its JS modules import. Stdlib only (plus the
helper's own package for the language-guess index).

First it writes extension/data/vocab.js, the vocabulary the extension shares with the helper, generated from
the helper's data (vocab.json, the phrase tables' guard buttons and order-id labels, the languages of catalog/
and drafts/). The file is committed, so the unpacked extension/ loads as it is; `python build.py --vocab`
writes only it, and tests/test_build.py fails when it is out of date.
"""
from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import json
import posixpath
import re
import shutil
import sys
import zipfile
from fnmatch import fnmatchcase
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SOURCE = ROOT / "extension"
HELPER = ROOT / "helper" / "aliwatch"
INIT = HELPER / "__init__.py"
VOCAB_JS = SOURCE / "data" / "vocab.js"

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


def _helper_json(rel: str) -> dict:
    path = HELPER / rel
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise BuildError(f"cannot read {path}: {e}") from e


def _stems(folder: str) -> set[str]:
    return {p.stem for p in (HELPER / folder).glob("*.json")}


def vocab() -> dict:
    """What the extension needs of the helper's vocabulary. UI languages: those with both a message
    catalogue and draft templates, English first, named by their phrase table. Guard buttons per page
    language: a table's confirm-received buttons (buttons.awaiting_delivery, which the parser reads too)
    plus its guard_buttons. Order-id labels: every table's, for the card finder."""
    shared = _helper_json("vocab.json")
    tables = {lang: _helper_json(f"phrases/{lang}.json") for lang in sorted(_stems("phrases") - {"codes"})}
    if not tables:
        raise BuildError(f"no phrase tables in {HELPER / 'phrases'}: the extension needs their words")
    ui = sorted(_stems("catalog") & (_stems("drafts") - {"problems"}), key=lambda lang: (lang != "en", lang))
    unnamed = [lang for lang in ui if not tables.get(lang, {}).get("name")]
    if unnamed:
        raise BuildError(f"UI language(s) without a named phrase table: {', '.join(unnamed)}")
    guards: dict[str, dict[str, list[str]]] = {"confirm_received": {}, "close_dispute": {}}
    for lang, table in tables.items():
        extra = table.get("guard_buttons", {})
        guards["confirm_received"][lang] = [*table.get("buttons", {}).get("awaiting_delivery", []),
                                            *extra.get("confirm_received", [])]
        guards["close_dispute"][lang] = list(extra.get("close_dispute", []))
    return {
        "statuses": shared["statuses"],
        "deadline_kinds": shared["deadline_kinds"],
        "problems": shared["problems"],
        "ui_languages": {lang: tables[lang]["name"] for lang in ui},
        "lead_times": [name for name, _ in shared["reminder_thresholds"]],
        "page_urls": shared["page_urls"],
        "guards": guards,
        "order_id_labels": order_id_labels(tables),
    }


def order_id_labels(tables: dict[str, dict]) -> list[str]:
    """Every phrase table's labels.order_id, deduplicated, longest first (so "order id" is tried before a
    shorter label it contains): content/find-cards.js finds "Order ID: …" / "Номер заказа …" cards with the
    very words the parser reads."""
    labels: set[str] = set()
    for table in tables.values():
        found = _field(table, "labels.order_id")
        if isinstance(found, list):
            labels.update(v.strip() for v in found if isinstance(v, str) and v.strip())
    if not labels:
        raise BuildError(f"no labels.order_id in {HELPER / 'phrases'}/*.json: the content script needs them")
    return sorted(labels, key=lambda v: (-len(v), v))


def vocab_js() -> str:
    body = json.dumps(vocab(), ensure_ascii=False, indent=1)
    return ("// Generated by build.py from helper/aliwatch (vocab.json, phrases/, catalog/, drafts/). Do not edit:\n"
            "// change the helper's data and run `python build.py --vocab`. It only sets a global, so it loads both as\n"
            "// a content script (manifest.json) and as an imported module (lib/exports.js).\n"
            f"globalThis.AliWatchVocab = Object.freeze({body});\n")


def write_vocab() -> Path:
    """extension/data/vocab.js, rewritten only when its content changes (keeps the file's time otherwise)."""
    text = vocab_js()
    try:
        current = VOCAB_JS.read_text(encoding="utf-8")
    except OSError:
        current = None
    if current != text:
        VOCAB_JS.parent.mkdir(parents=True, exist_ok=True)
        VOCAB_JS.write_text(text, encoding="utf-8")
    return VOCAB_JS


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


def _field(obj: object, dotted: str) -> object:
    """obj["a"]["b"] for "a.b", or None where a level is missing or not an object."""
    for name in dotted.split("."):
        obj = obj.get(name) if isinstance(obj, dict) else None
    return obj


def load_manifest() -> dict:
    path = SOURCE / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise BuildError(f"cannot read {path}: {e}") from e
    except json.JSONDecodeError as e:
        raise BuildError(f"{path} is not valid JSON: {e}") from e
    if not isinstance(manifest, dict) or manifest.get("manifest_version") != 3:
        raise BuildError("extension/manifest.json must be manifest_version 3")
    if not isinstance(_field(manifest, "background.service_worker"), str):
        raise BuildError("extension/manifest.json needs background.service_worker")
    return manifest


Ref = tuple[str, str]  # (a path inside extension/ as written, what refers to it: shown when it is missing)


def _paths(value: object) -> list[str]:
    """A manifest path field's paths: one string, a list, or a {size: path} dict (icons)."""
    if isinstance(value, str):
        return [value]
    values = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [v for v in values if isinstance(v, str)]


# Manifest fields that name files, as dotted paths (a field of the wrong shape names none).
PATH_FIELDS = ("background.service_worker", "background.scripts", "background.page", "icons",
               "action.default_popup", "action.default_icon", "options_ui.page", "options_page",
               "side_panel.default_path", "devtools_page", "chrome_url_overrides")


def _objects(value: object) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def manifest_refs(manifest: dict) -> list[Ref]:
    """Files the manifest points at by name."""
    fields = [(name, _field(manifest, name)) for name in PATH_FIELDS]
    for i, cs in enumerate(_objects(manifest.get("content_scripts"))):
        fields += [(f"content_scripts[{i}].{kind}", cs.get(kind)) for kind in ("js", "css")]
    return [(path, f"manifest.json {field}") for field, value in fields for path in _paths(value)]


def web_accessible_patterns(manifest: dict) -> list[Ref]:
    """web_accessible_resources entries: MV3 {"resources": [...]} objects (or MV2 strings); may hold globs."""
    refs = []
    entries = manifest.get("web_accessible_resources")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        resources = entry.get("resources") if isinstance(entry, dict) else entry
        refs += [(r, f"manifest.json web_accessible_resources[{i}]") for r in _paths(resources)]
    return refs


class _PageLoads(HTMLParser):
    """The extension files an HTML page loads: <script src>, <link href>, <img src>, <iframe src>."""

    ATTRS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "frame": "src"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (url as written, "<tag attr>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        want = self.ATTRS.get(tag)
        value = dict(attrs).get(want) if want else None
        if value and value.strip():
            self.found.append((value.strip(), f"<{tag} {want}>"))


# Static ES module imports and re-exports at the start of a line: `import x from "./a.js"`, `import "./a.js"`,
# `export { y } from "../b.js"` (a comment or string mentioning import does not start a line with it).
_IMPORT = re.compile(r"""^[ \t]*(?:import|export)\b(?:[^'";]*?\bfrom)?\s*["']([^"']+)["']""", re.M)


def _local(url: str) -> bool:
    """False for what is not a file of the extension: other schemes, protocol-relative and fragment URLs."""
    return not (re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) or url.startswith(("//", "#")))


def _resolve(url: str, base_dir: str) -> str:
    """An extension-relative path for `url` written in a file in base_dir ("" = the root): the query and
    fragment dropped, "/x" from the root. A path climbing out of the extension keeps its "../" (never present)."""
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(base_dir, path)
    return posixpath.normpath(joined) if joined else ""


def referenced_files(manifest: dict) -> list[Ref]:
    """Files the extension loads by name, so a typo fails the build instead of the browser's load: the
    manifest's, then transitively what its HTML pages load and what its JS modules import (a missing
    file's own loads cannot be known)."""
    refs: list[Ref] = []
    queue = [(_resolve(path, ""), where) for path, where in manifest_refs(manifest)]
    seen: set[str] = set()
    while queue:
        path, where = queue.pop(0)
        refs.append((path, where))
        if path in seen or path.startswith("..") or not path.endswith((".html", ".htm", ".js", ".mjs")):
            continue
        seen.add(path)
        try:
            text = (SOURCE / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # missing: reported from `refs`; unreadable: the browser would say so too
        base = posixpath.dirname(path)
        if path.endswith((".html", ".htm")):
            parser = _PageLoads()
            parser.feed(text)
            parser.close()
            found = parser.found
        else:
            found = [(spec, "import") for spec in _IMPORT.findall(text) if spec.startswith(("./", "../", "/"))]
        queue += [(_resolve(url, base), f"{how} in {path}") for url, how in found if _local(url)]
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
    missing = [(path, where) for path, where in referenced_files(manifest) if path not in present]
    missing += [(pattern, where) for pattern, where in web_accessible_patterns(manifest)
                if not any(fnmatchcase(f, _resolve(pattern, "")) for f in present)]
    if missing:
        lines = "".join(f"\n  {path or '(empty path)'}  (from {where})" for path, where in dict.fromkeys(missing))
        raise BuildError(f"the extension refers to files that are not in extension/:{lines}")


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
    write_vocab()
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


def lang_index() -> Path | None:
    """The helper's language-guess index, built from its phrase tables now instead of at every run (issue #10).
    Deterministic: the same tables give the same bytes. None in a tree without the helper's sources."""
    if not (ROOT / "helper" / "aliwatch" / "langguess.py").is_file():
        return None
    sys.path.insert(0, str(ROOT / "helper"))
    try:
        from aliwatch import langguess
    finally:
        sys.path.pop(0)
    return Path(langguess.write_index())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the AliWatch extension for Chrome and Firefox.")
    parser.add_argument("--out", help="output directory (default: dist next to build.py)")
    parser.add_argument("--vocab", action="store_true", help="only write extension/data/vocab.js")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve() if args.out else ROOT / "dist"
    try:
        if args.vocab:
            print(write_vocab())
            return 0
        if out == SOURCE or SOURCE in out.parents:
            raise BuildError(f"--out {out} is inside the extension source")
        for path in build(out):
            print(path)
        index = lang_index()
        if index:
            print(index)
    except BuildError as e:
        print(f"build.py: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"build.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
