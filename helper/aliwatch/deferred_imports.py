"""Keep the imports bs4 makes but AliWatch never uses off every start.

bs4 imports, at its own import time:
- soupsieve (`bs4/css.py`: `import soupsieve`, kept as a module global that `Tag.select()` reaches through
  `CSS.api`), which compiles its CSS grammar while it is imported. AliWatch never calls `select()`.
- a charset detector (`bs4/dammit.py`: cchardet, else chardet, else charset_normalizer, kept in
  `chardet_module`), used only to guess the encoding of *bytes* without one. AliWatch hands bs4 text.

So, before bs4 is imported, each of these that is installed and not yet imported gets a stand-in module in
`sys.modules`: bs4's `import` binds it at no cost, and the first attribute anything reads from it (`select()`
reads `soupsieve.select`, an encoding guess reads `detect`) imports the real module, which from then on is
the one in `sys.modules` and whose attributes the stand-in carries too. Both features work as always; only
their first use pays the import. (The standard library's `importlib.util.LazyLoader` does not help on
Python 3.11: the `import` statement itself reads the module's `__spec__`, which runs it.)"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types

DEFERRED = ("soupsieve", "cchardet", "chardet", "charset_normalizer")


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str):  # only for attributes the stand-in lacks: all but its own few
        return getattr(_load(self), name)


def _load(stand_in: types.ModuleType) -> types.ModuleType:
    name = stand_in.__name__
    if sys.modules.get(name) is stand_in:
        del sys.modules[name]
    real = importlib.import_module(name)
    stand_in.__dict__.update(real.__dict__)  # later reads through bs4's global find the real attributes
    return real


def defer(names: tuple[str, ...] = DEFERRED) -> None:
    """Install the stand-ins, unless bs4 is already imported (then it holds the real modules anyway)."""
    if "bs4" in sys.modules:
        return
    for name in names:
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is None:  # not installed: bs4's own `import` fails and it moves on, as without us
            continue
        stand_in = _StandIn(name, f"{name}, imported on first use (aliwatch/deferred_imports.py)")
        stand_in.__spec__ = spec  # what `import` checks; its loader never runs on the stand-in
        sys.modules[name] = stand_in
