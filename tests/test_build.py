"""build.py refuses an extension that names a file it does not have (a typo in the manifest, in an HTML page's
<script>/<link>/<img>, or in a module import), saying which file is missing and who names it, and writes
nothing. Each case edits a temp copy of the checkout's build.py + extension/ and runs the real CLI."""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def build_script():
    """build.py by path, not `import build` (that name may be PyPA's build package)."""
    spec = importlib.util.spec_from_file_location("aliwatch_build_script", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """build.py, extension/ and what build.py reads of the helper: __init__.py (version and pinned IDs) and
    the vocabulary's sources; nothing else."""
    shutil.copy2(ROOT / "build.py", tmp_path / "build.py")
    shutil.copytree(ROOT / "extension", tmp_path / "extension")
    helper = tmp_path / "helper" / "aliwatch"
    helper.mkdir(parents=True)
    for name in ("__init__.py", "vocab.json"):
        shutil.copy2(ROOT / "helper" / "aliwatch" / name, helper / name)
    for folder in ("phrases", "catalog", "drafts"):
        shutil.copytree(ROOT / "helper" / "aliwatch" / folder, helper / folder)
    return tmp_path


def run_build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "build.py"), "--out", str(root / "out")],
                          capture_output=True, text=True, timeout=120)


def edit_manifest(root: Path, change: Callable[[dict], None]) -> None:
    path = root / "extension" / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest, indent=2), "utf-8")


def edit_file(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "extension" / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, (rel, old)  # the case still edits what it means to
    path.write_text(text.replace(old, new), "utf-8")


def assert_refused(root: Path, missing: str, source: str) -> None:
    proc = run_build(root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == "build.py: error: the extension refers to files that are not in extension/:", proc.stderr
    assert f"  {missing}  (from {source})" in lines[1:], proc.stderr
    assert not (root / "out" / "chrome").exists() and not (root / "out" / "firefox").exists()


def test_the_unchanged_copy_builds(checkout: Path) -> None:
    proc = run_build(checkout)
    assert proc.returncode == 0, proc.stderr
    built = json.loads((checkout / "out" / "chrome" / "manifest.json").read_text("utf-8"))
    assert (checkout / "out" / "chrome" / built["action"]["default_popup"]).is_file()
    assert (checkout / "out" / "firefox" / built["options_ui"]["page"]).is_file()


MANIFEST_TYPOS = {
    "default_popup": (lambda m: m["action"].update(default_popup="popup/popup.htm"),
                      "popup/popup.htm", "manifest.json action.default_popup"),
    "default_icon": (lambda m: m["action"]["default_icon"].update({"16": "icons/icon-61.png"}),
                     "icons/icon-61.png", "manifest.json action.default_icon"),
    "options_page": (lambda m: m["options_ui"].update(page="options/option.html"),
                     "options/option.html", "manifest.json options_ui.page"),
    "icons": (lambda m: m["icons"].update({"128": "icons/icon-256.png"}), "icons/icon-256.png", "manifest.json icons"),
    "service_worker": (lambda m: m["background"].update(service_worker="backgruond.js"),
                       "backgruond.js", "manifest.json background.service_worker"),
    "content_script": (lambda m: m["content_scripts"][0]["js"].append("content/mian.js"),
                       "content/mian.js", "manifest.json content_scripts[0].js"),
    "web_accessible_resources": (
        lambda m: m.update(web_accessible_resources=[{"resources": ["data/vocab.js", "data/phrases-*.json"],
                                                      "matches": ["https://*.aliexpress.com/*"]}]),
        "data/phrases-*.json", "manifest.json web_accessible_resources[0]"),
}


@pytest.mark.parametrize("case", MANIFEST_TYPOS, ids=str)
def test_a_manifest_naming_a_missing_file_fails(checkout: Path, case: str) -> None:
    change, missing, source = MANIFEST_TYPOS[case]
    edit_manifest(checkout, change)
    assert_refused(checkout, missing, source)


PAGE_TYPOS = {
    "popup script": ("popup/popup.html", 'src="popup.js"', 'src="popup.jss"',
                     "popup/popup.jss", "<script src> in popup/popup.html"),
    "popup image": ("popup/popup.html", 'src="../icons/icon-32.png"', 'src="../../icons/icon-32.png"',
                    "../icons/icon-32.png", "<img src> in popup/popup.html"),
    "options stylesheet": ("options/options.html", 'href="options.css"', 'href="option.css"',
                           "options/option.css", "<link href> in options/options.html"),
    "options script": ("options/options.html", 'src="options.js"', 'src="/options/opts.js"',
                       "options/opts.js", "<script src> in options/options.html"),
    # A module the popup imports (not named by any page) imports a file that is not there.
    "module import": ("popup/dom.js", "export { h }", 'import { x } from "./missing.js";\nexport { h }',
                      "popup/missing.js", "import in popup/dom.js"),
}


@pytest.mark.parametrize("case", PAGE_TYPOS, ids=str)
def test_a_page_or_module_loading_a_missing_file_fails(checkout: Path, case: str) -> None:
    rel, old, new, missing, source = PAGE_TYPOS[case]
    edit_file(checkout, rel, old, new)
    assert_refused(checkout, missing, source)


def test_a_deleted_file_is_named_with_every_page_that_loads_it(checkout: Path) -> None:
    (checkout / "extension" / "popup" / "text.js").unlink()  # the popup, options page and background import it
    proc = run_build(checkout)
    assert proc.returncode == 1
    for importer in ("popup/popup.js", "options/options.js", "bg/notify.js"):
        assert f"  popup/text.js  (from import in {importer})" in proc.stderr, proc.stderr


def test_what_is_not_an_extension_file_is_not_checked(checkout: Path) -> None:
    # Other schemes, fragments and queries are not files of the package; a glob that matches is fine.
    edit_file(checkout, "options/options.html", '<link rel="stylesheet" href="options.css">',
              '<link rel="stylesheet" href="options.css?v=1">\n  <link rel="help" href="https://example.org/help">\n'
              '  <link rel="icon" href="data:,">\n  <img src="#top" alt="">')
    edit_manifest(checkout, lambda m: m.update(web_accessible_resources=[
        {"resources": ["icons/*.png", "/data/vocab.js"], "matches": ["https://*.aliexpress.com/*"]}]))
    proc = run_build(checkout)
    assert proc.returncode == 0, proc.stderr


def test_the_committed_vocabulary_is_what_build_py_generates() -> None:
    # The unpacked extension/ (e2e tests, "Load unpacked") reads data/vocab.js as committed.
    build = build_script()
    assert (ROOT / "extension" / "data" / "vocab.js").read_text("utf-8") == build.vocab_js(), \
        "extension/data/vocab.js is out of date: run python build.py --vocab"


def test_the_vocabulary_is_generated_from_the_helpers_tables(checkout: Path) -> None:
    table = checkout / "helper" / "aliwatch" / "phrases" / "de.json"
    raw = json.loads(table.read_text("utf-8"))
    raw["guard_buttons"]["close_dispute"].append("Streit beenden")
    table.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    shutil.rmtree(checkout / "helper" / "aliwatch" / "drafts")
    (checkout / "helper" / "aliwatch" / "drafts").mkdir()
    for lang in ("en", "ru"):
        shutil.copy2(ROOT / "helper" / "aliwatch" / "drafts" / f"{lang}.json", checkout / "helper" / "aliwatch" / "drafts")
    proc = run_build(checkout)
    assert proc.returncode == 0, proc.stderr
    for tree in ("extension", "out/chrome", "out/firefox"):
        text = (checkout / tree / "data" / "vocab.js").read_text("utf-8")
        assert "Streit beenden" in text, tree
        assert '"ui_languages": {\n  "en": "English",\n  "ru": "Русский"\n }' in text, tree


def _vocab_in(script: str) -> dict:
    prefix, suffix = "globalThis.AliWatchVocab = Object.freeze(", ");"
    start = script.index(prefix) + len(prefix)
    return json.loads(script[start:script.rindex(suffix)])


def test_the_order_labels_are_generated_from_the_phrase_tables(checkout: Path) -> None:
    """data/vocab.js's order_id_labels are every helper/aliwatch/phrases/*.json labels.order_id (once each,
    longest first), in the source folder, both builds and both zips; a label added to a table reaches the
    content script at the next build, and the card finder is loaded after the vocabulary."""
    tables = checkout / "helper" / "aliwatch" / "phrases"
    ru = tables / "ru.json"
    table = json.loads(ru.read_text("utf-8"))
    table["labels"]["order_id"].append("Заказ №")
    ru.write_text(json.dumps(table, ensure_ascii=False), "utf-8")
    proc = run_build(checkout)
    assert proc.returncode == 0, proc.stderr
    expected = {label for t in tables.glob("*.json") if t.stem != "codes"
                for label in json.loads(t.read_text("utf-8")).get("labels", {}).get("order_id", [])}
    source = (checkout / "extension" / "data" / "vocab.js").read_text("utf-8")
    labels = _vocab_in(source)["order_id_labels"]
    assert set(labels) == expected and "Заказ №" in labels and "order id" in labels
    assert len(labels) == len(set(labels)) and [len(v) for v in labels] == sorted(map(len, labels), reverse=True)
    for browser in ("chrome", "firefox"):
        assert (checkout / "out" / browser / "data" / "vocab.js").read_text("utf-8") == source
        manifest = json.loads((checkout / "out" / browser / "manifest.json").read_text("utf-8"))
        js = manifest["content_scripts"][0]["js"]
        assert js.index("data/vocab.js") < js.index("content/shared.js") < js.index("content/find-cards.js")
        with zipfile.ZipFile(checkout / "out" / f"aliwatch-{browser}.zip") as z:
            assert z.read("data/vocab.js").decode("utf-8") == source


def test_no_phrase_tables_no_build(checkout: Path) -> None:
    shutil.rmtree(checkout / "helper" / "aliwatch" / "phrases")
    proc = run_build(checkout)
    assert proc.returncode == 1 and "no phrase tables" in proc.stderr, proc.stderr
    assert not (checkout / "out" / "chrome").exists()


def test_no_order_id_labels_no_build(checkout: Path) -> None:
    for table in (checkout / "helper" / "aliwatch" / "phrases").glob("*.json"):
        raw = json.loads(table.read_text("utf-8"))
        raw.get("labels", {}).pop("order_id", None)
        table.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    proc = run_build(checkout)
    assert proc.returncode == 1 and "no labels.order_id" in proc.stderr, proc.stderr
    assert not (checkout / "out" / "chrome").exists()


def test_the_source_folder_is_a_complete_extension() -> None:
    """"Load unpacked" on extension/ itself works: build.py's own check (every file the manifest, its pages
    and its modules name) passes on the source folder as committed, with nothing generated at build time."""
    build = build_script()
    build.check(build.load_manifest(), build.source_files())
