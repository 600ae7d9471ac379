"""Rules are data: built-ins validate, user files load, plugins register, duplicates are named."""

from __future__ import annotations

import pathlib
from importlib import metadata

import pytest

from evalstats.errors import RegistryError
from profiles import RULES, get_rule, list_rules, load_rule
from profiles.definitions import ClassificationRule

BUILTIN = {"age_at_start", "family_type_reset", "multiproblem_bodden_dekovic",
           "np_target_characteristics", "risk_family_rmo", "risk_family_rmo_with_network",
           "young_mother"}


def test_builtins():
    assert BUILTIN <= set(list_rules())
    for rid in BUILTIN:
        rule = get_rule(rid)
        assert rule.source and rule.seed_lines


def test_invalid_definitions_are_rejected(tmp_path: pathlib.Path):
    p = tmp_path / "bad.toml"
    p.write_text('id = "bad"\ntitle_en = "x"\ntitle_nl = "x"\nsource = "x"\n'
                 '[definition]\nkind = "count_threshold"\nthreshold = 3\n'
                 'indicators = [{id = "a", label_en = "A", label_nl = "A"}]\n')
    with pytest.raises(ValueError, match="threshold 3 exceeds the 1 indicators"):
        load_rule(p, register=False)
    p.write_text(p.read_text().replace("count_threshold", "magic"))
    with pytest.raises(ValueError, match="invalid classification rule definition"):
        load_rule(p, register=False)


def test_family_type_collapse_must_map_every_type():
    body = get_rule("family_type_reset").definition.model_dump()
    del body["collapses"]["four_types"]["blended"]
    with pytest.raises(ValueError, match="missing \\['blended'\\]"):
        ClassificationRule.model_validate(
            {"id": "x", "title_en": "x", "title_nl": "x", "source": "x", "definition": body})


def test_plugin_rules_and_duplicate_ids(monkeypatch):
    plugin_rule = {"id": "plugin_two_of_two", "title_en": "p", "title_nl": "p", "source": "plugin",
                   "definition": {"kind": "count_threshold", "threshold": 2, "indicators": [
                       {"id": "a", "label_en": "A", "label_nl": "A"},
                       {"id": "b", "label_en": "B", "label_nl": "B"}]}}

    class EP:
        name, value, dist = "demo", "demo_pkg:rules", None

        def load(self):
            return [plugin_rule, builtin_young_mother | {"source": "elsewhere"}]

    builtin_young_mother = get_rule("young_mother").model_dump()

    def fake_entry_points(group):
        return [EP()] if group == "zorgeval.classification_rules" else []

    monkeypatch.setattr(metadata, "entry_points", fake_entry_points)
    RULES.reset()
    try:
        with pytest.raises(RegistryError, match="'young_mother' is defined twice: in built-in young_mother.toml and in entry point 'demo'"):
            RULES.ids()
        plugin_ok = [plugin_rule]
        EP.load = lambda self: plugin_ok
        RULES.reset()
        assert get_rule("plugin_two_of_two").definition.threshold == 2
    finally:
        monkeypatch.undo()
        RULES.reset()
