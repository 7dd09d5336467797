"""Every reference in the repository stays inside it. The shared vocabulary is vendored as docs/contract.md
and the research notes the code cites as docs/notes/; no file may cite a development machine's path or a
folder next to the checkout, which a reader of the repository does not have."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("README.md", "build.py", "docs", "helper", "extension", "tests", "bench", "scripts")
TEXT = {".py", ".md", ".js", ".mjs", ".json", ".html", ".css", ".sh", ".txt", ".toml"}
# An absolute path on a development machine, or a folder beside the checkout (../shared, ../design, ../domain).
OUTSIDE = re.compile(r"(?<![\w.])/(?:work|home/\w+|root|Users/\w+)/|\.\./(?:\.\./)*(?:shared|design|domain)/")
# Markdown links and `path.md` citations of a doc: each must name a file that is there.
CITED_DOC = re.compile(r"(?<![\w/.-])((?:\.\./)*(?:docs/)?[\w/-]*(?:contract|CONTRACT-ADDITIONS|PROTOCOL|ARCHITECTURE)"
                       r"\.md|docs/notes/[\w-]+\.md)")


def files() -> list[Path]:
    out = []
    for name in SCANNED:
        top = ROOT / name
        paths = [top] if top.is_file() else top.rglob("*") if top.is_dir() else []
        for p in paths:
            rel = p.relative_to(ROOT)
            if (p.is_file() and p.suffix in TEXT and "__pycache__" not in rel.parts
                    and not (rel.parts[:2] == ("tests", "fixtures") and p.suffix == ".html")  # captured pages
                    and p != Path(__file__).resolve()):
                out.append(p)
    return out


def test_no_file_points_outside_the_repository() -> None:
    found = []
    for path in files():
        for n, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}")
    assert not found, "\n".join(found)


def test_the_cited_docs_are_in_the_repository() -> None:
    assert (ROOT / "docs" / "contract.md").is_file()
    missing = []
    for path in files():
        for cited in CITED_DOC.findall(path.read_text("utf-8", errors="replace")):
            here = (path.parent / cited).resolve()
            if not (here.is_file() or (ROOT / cited).is_file() or (ROOT / "docs" / Path(cited).name).is_file()):
                missing.append(f"{path.relative_to(ROOT)} cites {cited}")
    assert not missing, "\n".join(missing)
