"""GAS scales: built-ins, validation, conversions and their round trips."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gas
from evalstats.errors import RegistryError
from gas.scale import SCALES, GasScale


def test_gas5_is_table_1_of_the_dissertation():
    # 003: 1969-1978: +2 = 5 "doel geheel behaald" ... -2 = 1 "slechtste achteruitgang"
    s = gas.get_scale("gas5")
    assert s.values == [-2, -1, 0, 1, 2]
    assert s.scores == [1, 2, 3, 4, 5]
    assert s.baseline == 0
    assert s.label(2, "nl") == "Doel geheel behaald"
    assert s.keys == ["worst", "worse", "unchanged", "progress", "achieved"]


def test_paper_form_has_four_levels_and_partial_variant_has_minus_half():
    assert gas.get_scale("gas4_form").values == [-1, 0, 1, 2]
    p = gas.get_scale("gas_partial")
    assert -0.5 in p.values and p.baseline == -1 and p.scores is None


def test_level_score_round_trip_exact():
    levels = np.array([-2, -1, 0, 1, 2, np.nan])
    scores = gas.to_score(levels)
    np.testing.assert_array_equal(scores, [1, 2, 3, 4, 5, np.nan])
    np.testing.assert_array_equal(gas.to_level(scores), levels)


def test_series_keeps_index():
    s = pd.Series([2, 0], index=["x", "y"], name="lv")
    out = gas.to_score(s)
    assert list(out.index) == ["x", "y"] and out.tolist() == [5.0, 3.0]


def test_unmappable_value_named_with_count():
    with pytest.raises(ValueError, match=r"no counterpart for -2 \(2×\)"):
        gas.convert_levels([-2, -2, 1], "gas5", "gas4_form")
    with pytest.raises(ValueError, match="not levels of GAS scale 'gas4_form'"):
        gas.convert_levels([-2], "gas4_form", "gas5")
    with pytest.raises(ValueError, match=r"mapping keys \[7\]"):
        gas.convert_levels([1], "gas5", "gas4_form", mapping={7: 1})
    with pytest.raises(ValueError, match=r"mapping targets \[-2\]"):
        gas.convert_levels([1], "gas5", "gas4_form", mapping={-2: -2})
    with pytest.raises(ValueError, match="defines no analysis scores"):
        gas.to_score([0], "gas_partial")


def test_partial_variant_converts_by_meaning_not_number():
    # 0 on gas_partial is "achieved as expected" -> +2 on gas5; -1 (baseline, no change) -> 0
    out = gas.convert_levels([0, -1, -0.5, -2], "gas_partial", "gas5")
    np.testing.assert_array_equal(out, [2, 0, 1, -1])
    with pytest.raises(ValueError, match=r"no counterpart for 1 \(1×\), 2 \(1×\)"):
        gas.convert_levels([1, 2], "gas_partial", "gas5")


@given(st.lists(st.sampled_from([-1.0, 0.0, 1.0, 2.0, math.nan]), max_size=30))
def test_round_trip_form_to_gas5_and_back(values):
    there = gas.convert_levels(values, "gas4_form", "gas5")
    back = gas.convert_levels(there, "gas5", "gas4_form")
    np.testing.assert_array_equal(back, np.asarray(values, dtype=float))


@given(st.lists(st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0, math.nan]), max_size=30),
       st.sampled_from(["gas5", "gas4_form"]))
def test_round_trip_level_score(values, scale):
    vals = [v for v in values if math.isnan(v) or v in gas.get_scale(scale).values]
    np.testing.assert_array_equal(gas.to_level(gas.to_score(vals, scale), scale), np.asarray(vals, dtype=float))


def test_scale_validation_errors():
    lv = [{"value": 0, "key": "a", "nl": "a", "en": "a"}, {"value": 1, "key": "b", "nl": "b", "en": "b"}]
    with pytest.raises(ValueError, match="strictly ascending"):
        GasScale(id="x", levels=list(reversed(lv)))
    with pytest.raises(ValueError, match="wording used for two levels"):
        GasScale(id="x", levels=[lv[0], {**lv[1], "synonyms": ["A!"]}])
    with pytest.raises(ValueError, match="baseline 5 is not one of its levels"):
        GasScale(id="x", baseline=5, levels=lv)
    with pytest.raises(ValueError, match="every level or none"):
        GasScale(id="x", levels=[{**lv[0], "score": 1}, lv[1]])


def test_custom_scale_file_and_duplicate_id(tmp_path):
    p = tmp_path / "mine.toml"
    p.write_text('id = "gas5"\n[[levels]]\nvalue = 0\nkey = "same"\nnl = "gelijk"\nen = "same"\n'
                 '[[levels]]\nvalue = 1\nkey = "achieved"\nnl = "klaar"\nen = "done"\n')
    with pytest.raises(RegistryError, match="defined twice"):
        gas.load_scale(p)
    p2 = tmp_path / "mine2.toml"
    p2.write_text(p.read_text().replace('id = "gas5"', 'id = "test-custom-2"'))
    try:
        s = gas.load_scale(p2)
        assert gas.get_scale("test-custom-2") is s
        assert gas.parse_levels(["Klaar!"], scale="test-custom-2").levels.tolist() == [1.0]
    finally:
        SCALES.reset()


class _FakeEntryPoint:
    name = "extra"
    value = "extra_pkg:scales"
    dist = None

    def __init__(self, payload):
        self._payload = payload

    def load(self):
        return self._payload


def test_plugin_scale_via_entry_point(monkeypatch):
    import evalstats.registry as reg

    plugin = {"id": "plugin-3", "levels": [
        {"value": -1, "key": "worse", "nl": "slechter", "en": "worse"},
        {"value": 0, "key": "unchanged", "nl": "gelijk", "en": "same"},
        {"value": 1, "key": "achieved", "nl": "behaald", "en": "achieved"}]}

    def fake_entry_points(group):
        return [_FakeEntryPoint(plugin)] if group == gas.scale.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(reg.metadata, "entry_points", fake_entry_points)
    SCALES.reset()
    try:
        assert "plugin-3" in gas.list_scales()
        assert "entry point 'extra'" in SCALES.source("plugin-3")
        np.testing.assert_array_equal(gas.convert_levels([1, 0], "plugin-3", "gas5"), [2, 0])
    finally:
        monkeypatch.undo()
        SCALES.reset()
