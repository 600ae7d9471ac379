"""The committed API reference is current, and every public name is documented with examples."""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
API = ROOT / "docs" / "api"


def _make_api():
    spec = importlib.util.spec_from_file_location("make_api", ROOT / "docs" / "make_api.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_api", module)
    spec.loader.exec_module(module)
    return module


make_api = _make_api()


def test_api_reference_is_up_to_date(tmp_path: Path) -> None:
    written = make_api.write_api(tmp_path)
    stale = []
    for path in written:
        committed = API / path.name
        if not committed.is_file():
            stale.append(f"{path.name} (missing)")
        elif committed.read_text(encoding="utf-8") != path.read_text(encoding="utf-8"):
            stale.append(path.name)
    extra = sorted({p.name for p in API.glob("*.md")} - {p.name for p in written})
    assert not stale and not extra, (
        f"docs/api is out of date: {stale}; not generated any more: {extra}. "
        "Run `python docs/make_api.py` and commit docs/api/.")


def test_api_is_deterministic(tmp_path: Path) -> None:
    first = {p.name: p.read_text(encoding="utf-8") for p in make_api.write_api(tmp_path / "a")}
    second = {p.name: p.read_text(encoding="utf-8") for p in make_api.write_api(tmp_path / "b")}
    assert first == second


@pytest.mark.parametrize("package", make_api.packages())
def test_public_names_have_docstrings_with_examples(package: str) -> None:
    offenders = []
    for module, name, obj in make_api.public_names(package):
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        doc = inspect.getdoc(obj) or ""
        if not doc.strip():
            offenders.append(f"{module}.{name}: no docstring")
        elif "Examples\n--------" not in doc or ">>>" not in doc.split("Examples\n--------", 1)[1]:
            offenders.append(f"{module}.{name}: no Examples section with a doctest")
    assert not offenders, "public names without documented examples:\n" + "\n".join(offenders)
