"""Build hook: every wheel (pip install ., pipx install ., python -m build) carries the built extension in
aliwatch/extension_dist/, so `aliwatch install`, `aliwatch doctor` and `aliwatch demo` work from an installed
package. The metadata lives in pyproject.toml; this file only adds the step below."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithExtension(build_py):
    """build_py, then build.py into build_lib/aliwatch/extension_dist (never into the source tree)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install runs from the checkout, which has build.py itself
        spec = importlib.util.spec_from_file_location("aliwatch_build_script", ROOT / "build.py")
        assert spec and spec.loader
        build = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(build)
        out = Path(self.build_lib) / "aliwatch" / "extension_dist"
        try:
            written = build.build(out)
        except build.BuildError as e:
            raise SystemExit(f"build.py: {e}") from None
        self.announce(f"built the extension into {out} ({len(written)} outputs)", level=2)


setup(cmdclass={"build_py": BuildPyWithExtension})
