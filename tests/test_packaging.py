"""Packaging: a wheel built from a clean copy of the checkout (no dist/, no build/) carries the built Chrome
and Firefox extensions, installs into a fresh virtualenv, and that install works on its own: `aliwatch
--version`, `aliwatch analyze`, and `aliwatch install` + `aliwatch doctor` with the packaged extension.
Also: the extension's manifests carry the helper's version."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import aliwatch

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "build.py", "extension", "helper"]
JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "extension_dist", ".*")


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=kw.pop("timeout", 300), **kw)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def test_built_manifests_carry_the_helper_version(tmp_path: Path) -> None:
    run([sys.executable, str(ROOT / "build.py"), "--out", str(tmp_path)])
    for browser in ("chrome", "firefox"):
        manifest = json.loads((tmp_path / browser / "manifest.json").read_text("utf-8"))
        assert manifest["version"] == aliwatch.__version__, browser
        with zipfile.ZipFile(tmp_path / f"aliwatch-{browser}.zip") as z:
            assert json.loads(z.read("manifest.json"))["version"] == aliwatch.__version__


def test_version_flag() -> None:
    proc = run([sys.executable, "-m", "aliwatch", "--version"])
    assert proc.stdout.strip() == f"aliwatch {aliwatch.__version__}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """`pip wheel .` of a clean copy of the checkout: what `pip install .` and `pipx install .` build."""
    src = tmp_path_factory.mktemp("checkout")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=JUNK)
        else:
            shutil.copy2(path, src / name)
    out = tmp_path_factory.mktemp("wheels")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q", str(src),
         "-w", str(out)], timeout=600)
    (found,) = out.glob("aliwatch-*.whl")
    assert not (src / "dist").exists()  # the extension went into the wheel, not into the checkout
    return found


def _site_dirs() -> list[str]:
    """Where the interpreter running the tests finds its packages (a venv's own site-packages included)."""
    import sysconfig

    return sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory) -> Path:
    """A fresh virtualenv made by the interpreter that runs the tests, with the wheel installed. Its
    dependencies come from that interpreter's site-packages (not downloaded): `--system-site-packages` would
    reach the *base* interpreter's instead, which for a test venv (scripts/test.sh) holds none of them. The
    .pth line is read after the venv's own site-packages, so the wheel's aliwatch wins over any other."""
    env_dir = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", str(env_dir)])
    python = env_dir / "bin" / "python"
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip()
    Path(purelib, "zz_test_deps.pth").write_text("\n".join(_site_dirs()) + "\n", encoding="utf-8")
    run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", "-q",
         str(wheel)])
    return env_dir


def test_wheel_carries_the_built_extensions(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for browser in ("chrome", "firefox"):
            manifest = json.loads(z.read(f"aliwatch/extension_dist/{browser}/manifest.json"))
            assert manifest["version"] == aliwatch.__version__
            for script in manifest["content_scripts"][0]["js"]:
                assert f"aliwatch/extension_dist/{browser}/{script}" in names
        assert "aliwatch/extension_dist/firefox/manifest.json" in names
        firefox = json.loads(z.read("aliwatch/extension_dist/firefox/manifest.json"))
        assert firefox["browser_specific_settings"]["gecko"]["id"] == aliwatch.FIREFOX_EXTENSION_ID
        assert "key" in json.loads(z.read("aliwatch/extension_dist/chrome/manifest.json"))
        # The data files the helper reads at run time.
        for data in ("aliwatch/phrases/en.json", "aliwatch/catalog/en.json", "aliwatch/samples/order_list.html"):
            assert data in names, data


@pytest.mark.skipif(os.name != "posix", reason="venv layout bin/")
def test_installed_package_works_on_its_own(venv: Path, tmp_path: Path) -> None:
    bin_dir = venv / "bin"
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALIWATCH_", "XDG_", "PYTHON"))}
    env.update(HOME=str(home), PATH=f"{bin_dir}:/usr/bin:/bin")
    where = run([str(bin_dir / "python"), "-c", "import aliwatch; print(aliwatch.__file__)"], env=env, cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout  # not the checkout

    assert run([str(bin_dir / "aliwatch"), "--version"], env=env).stdout.strip() == f"aliwatch {aliwatch.__version__}"

    page = ROOT / "tests/fixtures/detail_en_awaiting_delivery"
    truth = json.loads((page / "truth.json").read_text("utf-8"))
    out = run([str(bin_dir / "aliwatch"), "analyze", str(page / "page.html"), "--url", truth["url"], "--now",
               truth["now"], "--tz", truth["tz"], "--json"], env=env, cwd=tmp_path).stdout
    (order,) = json.loads(out)["orders"]
    (oid, expected), = truth["orders"].items()
    assert (order["order_id"], order["status"]) == (oid, expected["status"])

    # Registered from the installed package, the launcher runs the venv's interpreter, and the doctor
    # compares against the extension packaged in the wheel.
    run([str(bin_dir / "aliwatch"), "install", "--browser", "firefox"], env=env)
    manifest = json.loads((home / ".mozilla/native-messaging-hosts/org.aliwatch.helper.json").read_text("utf-8"))
    assert f"exec {bin_dir / 'python'} -m aliwatch host" in Path(manifest["path"]).read_text()
    doctor = run([str(bin_dir / "aliwatch"), "doctor", "--browser", "firefox"], env=env).stdout
    assert "extension_dist" in doctor and "host answered ping" in doctor, doctor

    # The demo finds the packaged extension without a checkout.
    code = ("import sys; from pathlib import Path; from aliwatch.commands.demo import prepare_extension; "
            "print(prepare_extension(Path(sys.argv[1])))")
    chrome = Path(run([str(bin_dir / "python"), "-c", code, str(tmp_path / "demo")], env=env).stdout.strip())
    assert json.loads((chrome / "manifest.json").read_text("utf-8"))["version"] == aliwatch.__version__


@pytest.mark.skipif(shutil.which("pipx") is None, reason="pipx is not installed (pip install pipx)")
def test_pipx_install(wheel: Path, tmp_path: Path) -> None:
    # pipx's venv from the test interpreter. When that interpreter is a venv itself (scripts/test.sh), its
    # base has none of the dependencies, so pipx fetches them from the package index as a user's pipx does.
    env = {**os.environ, "PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin")}
    shared = ["--system-site-packages"] if sys.prefix == sys.base_prefix else []
    run(["pipx", "install", "--python", sys.executable, *shared, str(wheel)], env=env, timeout=600)
    assert run([str(tmp_path / "bin" / "aliwatch"), "--version"], env=env).stdout.strip() == \
        f"aliwatch {aliwatch.__version__}"
