"""Finding instruments: built-ins, user definition files, entry-point plugins, errors."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest

from evalstats.errors import RegistryError
from fidelity.instrument import Instrument
from fidelity.registry import (
    ENTRY_POINT_GROUP,
    INSTRUMENTS,
    get_instrument,
    list_instruments,
    load_instrument,
)

MINI = textwrap.dedent('''
    id = "{id}"
    name = "Mini"
    default_scale = "s3"
    threshold = {{ value = 2.0 }}
    [[scales]]
    id = "s3"
    codes = [{{ value = 1, nl = "nooit", en = "never" }}, {{ value = 2, nl = "soms", en = "sometimes" }},
             {{ value = 3, nl = "altijd", en = "always" }}]
    [[categories]]
    id = "M"
    nl = "Methode"
    [[items]]
    code = "M1"
    text_nl = "Ik werk methodisch."
    category = "M"
''')


@pytest.fixture(autouse=True)
def fresh_registry():
    INSTRUMENTS.reset()
    yield
    INSTRUMENTS.reset()


def test_builtins_are_listed():
    assert {"reset", "np"} <= set(list_instruments())
    assert INSTRUMENTS.source("reset") == "built-in reset.toml"
    assert INSTRUMENTS.source("np") == "built-in np.toml"


def test_user_file_with_builtin_id_names_both_sources(tmp_path):
    path = tmp_path / "reset.toml"
    path.write_text(MINI.format(id="reset"), encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_instrument(path)
    msg = str(err.value)
    assert "'reset' is defined twice" in msg
    assert "built-in reset.toml" in msg and str(path) in msg
    assert get_instrument("reset").name == "ReSet fidelity survey"  # the built-in stays


def test_user_file_registers_and_is_found(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(MINI.format(id="mine"), encoding="utf-8")
    load_instrument(path)
    assert get_instrument("mine").item_codes == ["M1"]
    assert INSTRUMENTS.source("mine") == str(path)


def test_invalid_toml_syntax_points_at_the_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('id = "broken"\nname = "x\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.toml: not valid TOML: .*line 2"):
        load_instrument(path, register=False)


def test_invalid_field_points_at_the_field(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(MINI.format(id="bad").replace("threshold = { value = 2.0 }", 'threshold = { value = "high" }'),
                    encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_instrument(path, register=False)
    msg = str(err.value)
    assert str(path) in msg
    assert "threshold.value" in msg


def test_unknown_reference_inside_definition_names_the_item(tmp_path):
    path = tmp_path / "bad2.toml"
    path.write_text(MINI.format(id="bad2").replace('category = "M"', 'category = "X"'), encoding="utf-8")
    with pytest.raises(ValueError, match=r"item 'M1': unknown category 'X'"):
        load_instrument(path, register=False)


def test_unknown_field_is_rejected(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text(MINI.format(id="typo").replace('text_nl = "Ik werk methodisch."',
                                                   'text_nl = "Ik werk methodisch."\nrevers = true'),
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"items\.0\.revers"):
        load_instrument(path, register=False)


def test_unknown_id_lists_known_ones():
    with pytest.raises(RegistryError, match=r"unknown instrument 'nope'; known: .*np.*reset"):
        get_instrument("nope")


@pytest.fixture
def plugin_on_path(tmp_path, monkeypatch):
    """A tiny installed distribution with an entry point in group zorgeval.instruments."""
    definition = tmp_path / "plugin_def.toml"
    definition.write_text(MINI.format(id="plugin-scale"), encoding="utf-8")
    (tmp_path / "zorgeval_test_plugin.py").write_text(
        f"from pathlib import Path\nDEFINITION = Path({str(definition)!r})\n", encoding="utf-8")
    dist = tmp_path / "zorgeval_test_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: zorgeval-test-plugin\nVersion: 0.1\n",
                                   encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\nplugin-scale = zorgeval_test_plugin:DEFINITION\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield definition
    sys.modules.pop("zorgeval_test_plugin", None)


def test_entry_point_plugin_is_found(plugin_on_path):
    inst = get_instrument("plugin-scale")
    assert isinstance(inst, Instrument) and inst.item_codes == ["M1"]
    source = INSTRUMENTS.source("plugin-scale")
    assert "entry point 'plugin-scale'" in source and "zorgeval-test-plugin" in source


def test_plugin_clashing_with_file_names_both(plugin_on_path, tmp_path):
    get_instrument("plugin-scale")
    other = tmp_path / "clash.toml"
    other.write_text(MINI.format(id="plugin-scale"), encoding="utf-8")
    with pytest.raises(RegistryError, match=r"defined twice: in entry point 'plugin-scale'.* and in .*clash\.toml"):
        load_instrument(other)


def test_builtin_definition_files_are_valid_and_complete():
    folder = Path(INSTRUMENTS.builtin_dir)
    files = sorted(p.name for p in folder.glob("*.toml"))
    assert files == ["np.toml", "reset.toml"]
    for name in files:
        inst = INSTRUMENTS.load_file(folder / name)
        assert inst.id == name.removesuffix(".toml")
