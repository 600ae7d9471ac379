"""Packaging: one version for every import package, the command's --version and ``python -m
zorgeval``, and a wheel that carries the ``py.typed`` markers and the licence."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata, resources
from pathlib import Path

import pytest

from zorgeval.cli import main

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["evalstats", "fidelity", "gas", "profiles", "zorgeval"]
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def _python(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_package_has_the_version_of_pyproject(package):
    # pyproject.toml -> the installed distribution's metadata -> __version__
    assert metadata.version("zorgeval") == PYPROJECT_VERSION
    assert importlib.import_module(package).__version__ == PYPROJECT_VERSION


def test_version_of_a_source_tree_that_was_never_installed():
    code = ("import importlib.metadata as m\n"
            "def missing(name):\n"
            "    raise m.PackageNotFoundError(name)\n"
            "m.version = missing\n"
            "import zorgeval\n"
            "print(zorgeval.__version__)\n")
    proc = _python("-c", code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0+unknown"


def test_version_option(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"zorgeval {PYPROJECT_VERSION}\n"


def test_python_m_zorgeval_is_the_command():
    proc = _python("-m", "zorgeval", "--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"zorgeval {PYPROJECT_VERSION}\n"
    proc = _python("-m", "zorgeval")
    assert proc.returncode == 2  # argparse: a command is required
    assert proc.stderr.startswith("usage: zorgeval")
    assert "the following arguments are required: command" in proc.stderr


@pytest.mark.parametrize("package", PACKAGES)
def test_py_typed_marker_is_importable(package):
    assert (resources.files(package) / "py.typed").is_file()


def test_wheel_carries_py_typed_markers_and_licence(tmp_path):
    pytest.importorskip("setuptools", minversion="70.1")  # builds wheels without 'wheel'
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                           "--no-build-isolation", "--no-index", "--wheel-dir",
                           str(tmp_path / "dist"), str(source)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, f"pip failed:\n{proc.stdout}\n{proc.stderr}"
    (wheel,) = (tmp_path / "dist").glob("zorgeval-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert [p for p in PACKAGES if f"{p}/py.typed" not in names] == []
    dist_info = f"zorgeval-{PYPROJECT_VERSION}.dist-info"
    (licence,) = (n for n in names if n.startswith(f"{dist_info}/") and n.endswith("LICENSE"))
    assert "Copyright (c) 2026 zorgeval developers" in zipfile.ZipFile(wheel).read(licence).decode()
    assert "zorgeval/__main__.py" in names
