"""Packaging: one version for every import package, the command's --version and ``python -m
zorgeval``, a wheel that carries the ``py.typed`` markers and the licence, and imports without
cycles that keep the packages' layers."""

from __future__ import annotations

import ast
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
PACKAGES = ["evalstats", "fidelity", "gas", "outcomes", "costs", "profiles", "zorgeval"]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PYPROJECT_VERSION = PYPROJECT["project"]["version"]
# every package the wheel carries, so that a new one is checked as soon as it is packaged
PACKAGED = [p.rstrip("*") for p in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]]


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


def _module_imports(root: Path, packages: list[str]) -> dict[str, set[str]]:
    """Module -> the modules of ``packages`` it imports: every import statement in the file,
    inside functions and ``if TYPE_CHECKING:`` blocks too; ``from a import b`` imports the
    module ``a.b`` when there is one, else (also) the package ``a``."""
    files: dict[str, tuple[Path, bool]] = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            files[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    graph: dict[str, set[str]] = {}
    for module, (path, is_package) in files.items():
        here = module.split(".") if is_package else module.split(".")[:-1]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = here[: len(here) - node.level + 1] if node.level else []
                source = ".".join(base + ([node.module] if node.module else []))
                subs = {f"{source}.{alias.name}" for alias in node.names} & files.keys()
                found.update(subs or {source})
        graph[module] = {m for m in found if m in files and m != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: each group of modules that import one another (Tarjan's strongly
    connected components of more than one module), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while (w := stack.pop()) != v:
                group.append(w)
            if group:
                out.append(sorted([v, *group]))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def test_the_import_checker_sees_a_cycle_through_a_function_local_import(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.b import f\n")
    (pkg / "b.py").write_text("def f():\n    from . import a\n    return a\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                              "    from pkg.d import D\n")
    (pkg / "d.py").write_text("import pkg.c\n")
    (pkg / "e.py").write_text("from pkg import a\n")
    graph = _module_imports(tmp_path, ["pkg"])
    assert graph["pkg.e"] == {"pkg.a"}
    assert _cycles(graph) == [["pkg.a", "pkg.b"], ["pkg.c", "pkg.d"]]


def test_no_module_imports_itself_through_others():
    assert _cycles(_module_imports(ROOT, PACKAGED)) == []


# the project's packages a package may import (besides the standard library and third parties);
# a package not named here may import any
LAYERS = {"evalstats": set(), "fidelity": {"evalstats"}, "gas": {"evalstats"},
          "outcomes": {"evalstats"}, "costs": {"evalstats"},
          "profiles": set(PACKAGED) - {"profiles", "zorgeval", "costs"}}


@pytest.mark.parametrize("package", PACKAGED)
def test_packages_keep_their_layers(package):
    allowed = LAYERS.get(package, set(PACKAGED))
    graph = _module_imports(ROOT, PACKAGED)
    crossing = sorted(
        (module, target)
        for module, targets in graph.items() if module.split(".")[0] == package
        for target in targets if target.split(".")[0] not in allowed | {package}
    )
    assert crossing == []
