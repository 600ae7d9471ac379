"""Outcome instruments: scoring rules against closed forms, cut-off edges, age routing, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import outcomes
from evalstats.errors import DataValidationError
from outcomes import Cutoff, OutcomeInstrument, get_outcome_instrument, score_outcomes


def _rows(prefix: str, n: int, answers: list, ages: list) -> pd.DataFrame:
    data = {"age": ages}
    for i in range(1, n + 1):
        data[f"{prefix}{i}"] = answers
    return pd.DataFrame(data)


def _score(res, scale="total"):
    t = res.table
    return t[t["scale"] == scale]["score"].tolist()


@pytest.mark.parametrize("k", [0, 1, 2, 3, 4])
def test_pedsql_every_answer_k_scores_25_times_4_minus_k(k):
    res = score_outcomes(_rows("pedsql_", 23, [k], [6.0]), "pedsql")
    assert _score(res) == [25.0 * (4 - k)]


def test_pedsql_mean_of_answered_items_needs_half_of_them():
    d = _rows("pedsql_", 23, [np.nan, np.nan], [6.0, 6.0])
    for i in range(1, 13):  # 12 of 23 answered in row 0, 11 in row 1
        d.loc[0, f"pedsql_{i}"] = 0 if i <= 6 else 4
    for i in range(1, 12):
        d.loc[1, f"pedsql_{i}"] = 0
    res = score_outcomes(d, "pedsql")
    scores = res.table.set_index("row")["score"]
    assert scores.loc[0] == pytest.approx((6 * 100 + 6 * 0) / 12)
    assert np.isnan(scores.loc[1])
    assert res.counts.loc["total", "too_few_answers"] == 1
    assert res.counts.loc["total", "scored"] == 1


def test_sdq_total_reverse_keys_and_prorating():
    all1 = _rows("sdq_", 25, [1], [8.0])
    assert _score(score_outcomes(all1, "sdq")) == [20.0]
    all2 = _rows("sdq_", 25, [2], [8.0])
    # 15 difficulty items count 2, the five reverse-keyed count 0
    res = score_outcomes(all2, "sdq")
    assert _score(res) == [30.0]
    assert _score(res, "prosocial") == [10.0]
    assert _score(res, "peer") == [6.0]  # items 11 and 14 reversed
    part = _rows("sdq_", 25, [0], [8.0])
    inst = get_outcome_instrument("sdq")
    for code in inst.scale("total").items[:8]:  # 12 of 20 difficulty items left
        part[code] = np.nan
    expected_raw = sum(2 for c in inst.scale("total").items[8:] if c in inst.scale("total").reverse)
    assert _score(score_outcomes(part, "sdq")) == [pytest.approx(expected_raw * 20 / 12)]


def test_who5_is_four_times_the_raw_sum_and_needs_every_item():
    d = pd.DataFrame({"age": [30, 30], "who5_1": [5, 5], "who5_2": [3, 3], "who5_3": [2, np.nan],
                      "who5_4": [0, 1], "who5_5": [1, 1]})
    res = score_outcomes(d, "who5")
    s = _score(res)
    assert s[0] == 4 * 11
    assert np.isnan(s[1])


def test_parenting_scale_mean_and_vgk_sum():
    d = pd.DataFrame({"age": [35]} | {f"ps_lax{i}": [i] for i in range(1, 6)}
                     | {f"ps_over{i}": [7] for i in range(1, 7)})
    res = score_outcomes(d, "parenting_scale")
    assert _score(res, "laxness") == [3.0]
    assert _score(res, "overreactivity") == [7.0]
    v = pd.DataFrame({"age": [35]} | {f"vgk_w{i}": [3] for i in range(1, 9)}
                     | {f"vgk_s{i}": [4] for i in range(1, 16)})
    res = score_outcomes(v, "vgk")
    assert _score(res, "waardering") == [24.0]
    assert _score(res, "samenwerking") == [60.0]
    flags = res.table.set_index("scale")["problematic"]
    assert bool(flags["waardering"]) is True and bool(flags["samenwerking"]) is False


@pytest.mark.parametrize(("direction", "inclusive", "below", "at", "above"), [
    ("below", False, True, False, False),
    ("below", True, True, True, False),
    ("above", False, False, False, True),
    ("above", True, False, True, True),
])
def test_cutoff_inclusivity_at_the_edge(direction, inclusive, below, at, above):
    c = Cutoff(value=28, direction=direction, inclusive=inclusive)
    assert (c.problematic(27.999), c.problematic(28.0), c.problematic(28.001)) == (below, at, above)


def test_parenting_scale_cutoff_is_a_setting():
    ps = get_outcome_instrument("parenting_scale")
    lax = ps.scale("laxness").cutoffs[0]
    assert lax.problematic(2.8) and not lax.problematic(2.79)
    flipped = ps.with_cutoff("laxness", direction="below", inclusive=False)
    assert flipped.scale("laxness").cutoffs[0].problematic(2.79)
    assert not flipped.scale("laxness").cutoffs[0].problematic(2.8)
    assert flipped.scale("overreactivity") == ps.scale("overreactivity")
    with pytest.raises(KeyError, match="no scale 'lax'; known: laxness, overreactivity"):
        ps.with_cutoff("lax", direction="below")


@pytest.mark.parametrize(("age", "rule"), [
    (2.0, "> 12"), (3.99, "> 12"), (4.0, "> 13"), (5.99, "> 13"), (6.0, "> 17"),
    (11.99, "> 17"), (12.0, "> 14"), (18.99, "> 14"),
])
def test_sdq_cutoff_routed_by_age_at_the_measurement(age, rule):
    res = score_outcomes(_rows("sdq_", 25, [1], [age]), "sdq")
    t = res.table[res.table["scale"] == "total"]
    assert t["cutoff"].tolist() == [rule]


@pytest.mark.parametrize(("age", "rule"), [
    (2.0, "< 78.5"), (4.99, "< 78.5"), (5.0, "< 74.5"), (7.99, "< 74.5"), (8.0, "< 73.2"),
    (12.99, "< 73.2"), (13.0, ""),
])
def test_pedsql_cutoff_routed_by_age(age, rule):
    res = score_outcomes(_rows("pedsql_", 23, [1], [age]), "pedsql")
    assert res.table["cutoff"].tolist() == [rule]
    if rule == "":
        assert res.counts.loc["total", "no_cutoff"] == 1
        assert res.table["problematic"].isna().all()


def test_age_outside_the_instrument_range_names_the_row():
    d = _rows("sdq_", 25, [1, 1, np.nan], [8.0, 19.0, 0.5]).set_axis([10, 11, 12])
    with pytest.raises(DataValidationError) as err:
        score_outcomes(d, "sdq")
    assert [p.row for p in err.value.problems] == [11]
    assert "row 11, column 'age': got 19.0, expected an age at the measurement within 2-18" in str(err.value)


def test_bad_answers_and_missing_age_name_row_and_column():
    d = _rows("who5_", 5, [1, 1, 1], [30, np.nan, 40]).astype(object)
    d.loc[2, "who5_3"] = 6
    d.loc[0, "who5_1"] = "x"
    with pytest.raises(DataValidationError) as err:
        score_outcomes(d, "who5")
    text = str(err.value)
    assert "row 0, column 'who5_1': got 'x', expected a whole number from 0 to 5" in text
    assert "row 2, column 'who5_3': got 6" in text
    d = _rows("who5_", 5, [1, 1], [30, np.nan])
    with pytest.raises(DataValidationError, match=r"row 1, column 'age'.*expected an age"):
        score_outcomes(d, "who5")
    with pytest.raises(DataValidationError, match="column 'who5_5'.*an item column of who5"):
        score_outcomes(d.drop(columns="who5_5"), "who5")


def test_instrument_definitions_are_checked():
    base = dict(id="x", name="X", respondent="parent", response={"low": 1, "high": 5})
    scale = dict(id="t", name_en="T", name_nl="T", items=["a", "b"], method="sum")
    with pytest.raises(ValueError, match="reverse-keyed items not in the scale: c"):
        OutcomeInstrument(**base, scales=[scale | {"reverse": ["c"]}])
    with pytest.raises(ValueError, match="cut-offs for ages 2-4 and 4-6 overlap"):
        OutcomeInstrument(**base, scales=[scale | {"cutoffs": [
            {"min_age": 2, "max_age": 4, "value": 1, "direction": "above"},
            {"min_age": 4, "max_age": 6, "value": 1, "direction": "above"}]}])
    with pytest.raises(ValueError, match="min_answered 3 is more than its 2 items"):
        OutcomeInstrument(**base, scales=[scale | {"min_answered": 3}])
    with pytest.raises(ValueError, match="prorate applies to method = 'sum' only"):
        OutcomeInstrument(**base, scales=[scale | {"method": "mean", "prorate": True}])


def test_builtins_bundle_no_item_texts():
    for iid in outcomes.list_outcome_instruments():
        dumped = get_outcome_instrument(iid).model_dump()
        assert "text" not in str(list(dumped)), iid
        assert all(set(s) >= {"items"} for s in dumped["scales"])


def test_seed_cutoffs_are_bundled():
    rules = {iid: {s.id: [(c.label(), c.describe()) for c in s.cutoffs]
                   for s in get_outcome_instrument(iid).scales}
             for iid in ("pedsql", "sdq", "who5", "vgk", "parenting_scale")}
    assert rules["pedsql"]["total"] == [("2-4", "< 78.5"), ("5-7", "< 74.5"), ("8-12", "< 73.2")]
    assert rules["sdq"]["total"] == [("2-3", "> 12"), ("4-5", "> 13"), ("6-11", "> 17"),
                                     ("12-18", "> 14")]
    assert rules["who5"]["total"] == [("all ages", "< 50")]
    assert rules["vgk"] == {"waardering": [("all ages", "< 28")],
                            "samenwerking": [("all ages", "< 58")]}
    assert rules["parenting_scale"] == {"laxness": [("all ages", "≥ 2.8")],
                                        "overreactivity": [("all ages", "≥ 3")]}
    sizes = {s.id: len(s.items) for s in get_outcome_instrument("vgk").scales}
    assert sizes == {"waardering": 8, "samenwerking": 15}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=23, max_size=23))
def test_pedsql_score_is_in_range_and_order_free(answers):
    vals = [np.nan if a is None else a for a in answers]
    d = pd.DataFrame([vals, vals[::-1]], columns=[f"pedsql_{i}" for i in range(1, 24)])
    d["age"] = 9.0
    if d.drop(columns="age").isna().all(axis=None):
        return
    s = _score(score_outcomes(d, "pedsql"))
    answered = [a for a in answers if a is not None]
    if len(answered) >= 12:
        assert s[0] == pytest.approx(np.mean([25 * (4 - a) for a in answered]))
        assert 0 <= s[0] <= 100
        assert s[0] == pytest.approx(s[1])
    else:
        assert np.isnan(s[0]) and np.isnan(s[1])


def test_registry_reads_a_user_file_and_refuses_a_duplicate(tmp_path):
    p = tmp_path / "kidscreen.toml"
    p.write_text('id = "who5"\nname = "dup"\nrespondent = "parent"\n'
                 'response = { low = 0, high = 1 }\n[[scales]]\nid = "t"\nname_en = "T"\n'
                 'name_nl = "T"\nitems = ["k1"]\nmethod = "sum"\n', encoding="utf-8")
    with pytest.raises(Exception, match="outcome instrument id 'who5' is defined twice"):
        outcomes.load_outcome_instrument(p)
