"""The package's layering (docs/ARCHITECTURE.md, "Layout by role"), read from the source with `ast`: every
import counts, the lazy ones inside functions too. Each rule is also checked against a planted violation,
so a rule that cannot fail is caught."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "helper" / "aliwatch"

# Roles. A module belongs to the first group one of whose names is it or a package above it.
CORE = ("model", "soup", "text", "dates", "dateshapes", "money", "parse", "deadlines", "advice", "reminders", "ids", "vocab",
        "overrides")
TEXTS = ("phrases", "catalog", "drafts", "langguess")
FEATURES = ("analysis", "shape", "draft", "calc", "report", "ics", "export")
ADAPTERS = ("host", "commands", "store", "dashboard", "install", "shadow_ui")
ENTRY = ("__init__", "__main__", "cli", "deferred_imports")
ROLES = {"core": CORE, "texts": TEXTS, "features": FEATURES, "adapters": ADAPTERS, "entry": ENTRY}

# (importers, imported, why). Names are top-level modules or dotted paths under aliwatch.
RULES: list[tuple[tuple[str, ...], tuple[str, ...], str]] = [
    # The five imports issue 12 names, each forbidden on its own.
    (("report",), ("commands.pages",), "a feature imports the CLI"),
    (("report",), ("host.codec",), "a feature imports the protocol"),
    (("host.handlers.export",), ("commands.export",), "the host imports the CLI (was host/exporter.py)"),
    (("analysis",), ("draft",), "the pipeline composes drafts (they come on request, or from the command)"),
    (("ics",), ("store.reminders", "store"), "reminder rules are domain, not storage"),
    # The layers.
    (CORE, ("host", "commands", "store", "dashboard", "install"), "the core is pure: no I/O adapters"),
    (CORE, FEATURES, "the core knows no feature"),
    (TEXTS, FEATURES + ADAPTERS, "texts are data and their readers"),
    (("host", "store", "dashboard"), ("commands",), "an adapter never reaches through the CLI"),
    (FEATURES, ("host", "commands", "store", "dashboard"), "a feature is a function of its input, not of an adapter"),
]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def modules(root: Path) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The package modules `path` imports, as names relative to the package ("host.codec")."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()

    def add(dotted: str) -> None:  # "aliwatch.x.y" → the deepest known module
        if dotted != "aliwatch" and not dotted.startswith("aliwatch."):
            return
        parts = dotted.split(".")[1:]
        while parts and ".".join(parts) not in known:
            parts.pop()
        if parts:
            found.add(".".join(parts))

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ["aliwatch", *package[: len(package) - node.level + 1]]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:  # `from aliwatch import draft` imports the module aliwatch.draft
                add(f"{module}.{alias.name}")
            add(module)
    found.discard(name)
    return found


def graph(root: Path) -> dict[str, set[str]]:
    found = modules(root)
    return {name: imports(path, name, set(found)) for name, path in found.items()}


def within(name: str, group: tuple[str, ...]) -> bool:
    return any(name == g or name.startswith(g + ".") for g in group)


def violations(edges: dict[str, set[str]]) -> list[str]:
    out = []
    for importer, targets in sorted(edges.items()):
        for target in sorted(targets):
            for sources, forbidden, why in RULES:
                if within(importer, sources) and within(target, forbidden) and not within(target, (importer,)):
                    out.append(f"{importer} imports {target}: {why}")
    return out


def test_the_package_keeps_its_layers() -> None:
    assert violations(graph(PACKAGE)) == []


def test_every_module_has_a_role() -> None:
    """A new module is placed in a role here and in docs/ARCHITECTURE.md, so the rules cover it."""
    groups = [g for group in ROLES.values() for g in group]
    assert [m for m in modules(PACKAGE) if not within(m, tuple(groups))] == []


def test_the_architecture_doc_names_every_role_member() -> None:
    doc = (PACKAGE.parents[1] / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Layout by role"):]
    for role, group in ROLES.items():
        if role == "entry":
            continue
        assert role in section, role
        for name in group:
            assert f"{name}" in section, (role, name)


def _plant(tmp_path: Path, importer: str, target: str, form: str) -> Path:
    """A package tree holding `importer` with one import of `target` written in `form`, and `target`."""
    root = tmp_path / "aliwatch"
    for name in (importer, target):
        parts = name.split(".")
        for depth in range(1, len(parts)):
            pkg = root.joinpath(*parts[:depth])
            pkg.mkdir(parents=True, exist_ok=True)
            (pkg / "__init__.py").touch()
        root.mkdir(parents=True, exist_ok=True)
        root.joinpath(*parts[:-1], parts[-1] + ".py").touch()
    (root / "__init__.py").touch()
    head, _, last = target.rpartition(".")
    depth = importer.count(".") + 1  # relative import from the importer up to the package root
    line = {
        "from": f"from aliwatch.{target} import something\n",
        "from_package": f"from aliwatch{'.' + head if head else ''} import {last}\n",
        "import": f"import aliwatch.{target}\n",
        "relative": f"from {'.' * depth}{head} import {last}\n" if head or depth else "",
        "lazy": f"def later():\n    from aliwatch.{target} import something\n",
    }[form]
    root.joinpath(*importer.split(".")[:-1], importer.split(".")[-1] + ".py").write_text(line, encoding="utf-8")
    return root


PLANTED = sorted({(importer, target) for sources, forbidden, _ in RULES for importer in sources
                  for target in forbidden if not within(target, (importer,)) and not within(importer, (target,))})


@pytest.mark.parametrize("importer,target", PLANTED)
@pytest.mark.parametrize("form", ["from", "from_package", "import", "relative", "lazy"])
def test_a_planted_violation_fails(tmp_path: Path, importer: str, target: str, form: str) -> None:
    root = _plant(tmp_path, importer, target, form)
    found = violations(graph(root))
    assert any(v.startswith(f"{importer} imports {target}:") for v in found), (importer, target, form, found)


def test_allowed_imports_pass(tmp_path: Path) -> None:
    """The rules are not blanket: a feature may import the core, an adapter a feature, the CLI anything."""
    for importer, target in [("draft", "money"), ("host.handlers.export", "export"), ("commands.export", "store"),
                             ("analysis", "drafts"), ("ics", "reminders"), ("cli", "host.main")]:
        root = _plant(tmp_path / importer / target, importer, target, "from")
        assert violations(graph(root)) == [], (importer, target)


def reaches(edges: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name == goal:
            return True
        if name not in seen:
            seen.add(name)
            todo += edges.get(name, ())
    return False


HIDDEN_CYCLES = [("host.dispatch", "host.memory"), ("host.dispatch", "host.reminders"), ("dates", "phrases")]


@pytest.mark.parametrize("a,b", HIDDEN_CYCLES)
def test_no_hidden_cycle(a: str, b: str) -> None:
    """Issue 12's two hidden cycles stay gone: memory and the reminder loop share the analysis worker through
    host/worker.py, not dispatch's private executor; dates and phrases share dateshapes.py."""
    edges = graph(PACKAGE)
    assert not (reaches(edges, a, b) and reaches(edges, b, a)), (a, b)


def test_a_planted_cycle_is_found(tmp_path: Path) -> None:
    root = _plant(tmp_path, "host.memory", "host.dispatch", "lazy")
    (root / "host" / "dispatch.py").write_text("from aliwatch.host import memory\n", encoding="utf-8")
    edges = graph(root)
    assert reaches(edges, "host.memory", "host.dispatch") and reaches(edges, "host.dispatch", "host.memory")


def test_only_the_process_uses_the_router() -> None:
    """dispatch.py routes; only host/main.py (the process) calls it. The reminder loop once took dispatch's
    private executor (issue 12's hidden dispatch ↔ memory coupling): the worker thread is host/worker.py."""
    edges = graph(PACKAGE)
    assert sorted(m for m, targets in edges.items() if "host.dispatch" in targets) == ["host.main"]
