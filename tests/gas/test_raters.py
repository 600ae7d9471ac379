"""Rater aggregation rules, table-driven over every pair of levels."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

import gas
from evalstats.errors import DataValidationError


def np_rule_reference(youth, practitioner):
    """The NP rule written out with exact fractions: mean; a half goes to the youth's side."""
    mean = (Fraction(youth) + Fraction(practitioner)) / 2
    if mean.denominator == 1:
        return float(mean)
    return float(math.ceil(mean) if youth > practitioner else math.floor(mean))


SCORES = [1, 2, 3, 4, 5]
LEVELS = [-2, -1, 0, 1, 2]
PAIRS = [(y, p, np_rule_reference(y, p)) for y, p in itertools.product(SCORES, SCORES)] + \
        [(y, p, np_rule_reference(y, p)) for y, p in itertools.product(LEVELS, LEVELS)]


@pytest.mark.parametrize(("youth", "practitioner", "expected"), PAIRS)
def test_np_rule_every_pair_scalar(youth, practitioner, expected):
    assert gas.combine_raters(youth=youth, practitioner=practitioner) == expected


def test_np_rule_every_pair_vectorised_and_on_both_codings():
    y, p, e = (np.array(c, dtype=float) for c in zip(*PAIRS, strict=True))
    np.testing.assert_array_equal(gas.combine_raters(youth=y, practitioner=p), e)
    # the 1-5 and -2..+2 codings give the same result after conversion
    y5, p5 = np.array(list(itertools.product(SCORES, SCORES)), dtype=float).T
    on5 = gas.combine_raters(youth=y5, practitioner=p5)
    on2 = gas.combine_raters(youth=gas.to_level(y5), practitioner=gas.to_level(p5))
    np.testing.assert_array_equal(gas.to_level(on5), on2)


def test_np_rule_published_cases():
    # 003: 2045-2047 "middelen en ... afronden richting de score van de jongere"
    assert gas.combine_raters(youth=4, practitioner=5) == 4
    assert gas.combine_raters(youth=5, practitioner=4) == 5
    assert gas.combine_raters(youth=2, practitioner=5) == 3
    assert gas.combine_raters(youth=3, practitioner=5) == 4  # no split: the mean itself
    assert gas.combine_raters(youth=2, practitioner=5, toward="practitioner") == 4


def test_np_rule_on_partial_grid():
    grid = gas.get_scale("gas_partial").values
    levels = grid
    for y, p in itertools.product(levels, levels):
        got = gas.combine_raters(youth=y, practitioner=p, grid=grid)
        mean = (y + p) / 2
        assert got in grid
        if mean in grid:
            assert got == mean
        else:  # the adjacent level on the youth's side
            side = [g for g in grid if (g > mean if y > mean else g < mean)]
            assert got == (min(side) if y > mean else max(side))


def test_np_rule_rejects_scores_off_the_grid():
    with pytest.raises(ValueError, match=r"the scores at position 0 are not among them"):
        gas.combine_raters(youth=-0.5, practitioner=1)


def test_missing_policies():
    y = [None, 4, None]
    p = [3, None, None]
    np.testing.assert_array_equal(gas.combine_raters(youth=y, practitioner=p), [3, 4, np.nan])
    np.testing.assert_array_equal(gas.combine_raters(youth=y, practitioner=p, missing="missing"), [np.nan] * 3)
    with pytest.raises(ValueError, match=r"youth missing in 1 \(positions \[0\]\); practitioner missing in 1"):
        gas.combine_raters(youth=y, practitioner=p, missing="error")
    with pytest.raises(ValueError, match="missing must be one of"):
        gas.combine_raters(youth=1, practitioner=1, missing="drop")


def test_other_rules():
    assert gas.combine_raters(joint=4, rule="joint") == 4.0
    assert gas.combine_raters(parent=2, rule="single", rater="parent") == 2.0
    assert gas.combine_raters(youth=4, practitioner=5, rule="mean") == 4.5
    with pytest.raises(ValueError, match="not given: \\['practitioner'\\]"):
        gas.combine_raters(youth=4)
    with pytest.raises(KeyError, match="unknown rater rule"):
        gas.combine_raters(youth=1, practitioner=1, rule="median")


def test_frame_level_counts_and_dropped_raters():
    rows = []
    for c in range(20):
        rows += [(c, "g1", 1, "youth", 4 if c % 4 else None), (c, "g1", 1, "practitioner", 5)]
        if c < 3:
            rows.append((c, "g1", 1, "vip", 3))
    df = pd.DataFrame(rows, columns=["case", "goal", "period", "rater", "level"])
    before = df.copy()
    agg = gas.aggregate_raters(df, min_ratings=5)
    pd.testing.assert_frame_equal(df, before)  # input untouched
    t = agg.table.set_index(["what", "who"])["n"]
    assert t[("ratings", "vip")] == 3 and t[("dropped", "vip")] == 3
    assert t[("result", "youth+practitioner")] == 15 and t[("result", "practitioner")] == 5
    assert t[("missing", "")] == 0
    assert agg.frame["level"].tolist() == [5.0 if c % 4 == 0 else 4.0 for c in range(20)]
    assert "VIP (n = 3)" in agg.apa() and "VIP (n = 3)" in agg.apa("nl")
    assert list(agg.spss_table("nl").columns) == ["Onderdeel", "Beoordelaar", "N"]
    strict = gas.aggregate_raters(df, min_ratings=5, missing="missing")
    assert strict.table.set_index("what").loc["missing", "n"] == 5


def test_frame_level_rejects_duplicates_and_unknown_raters():
    df = pd.DataFrame({"case": [1, 1, 1], "goal": ["a"] * 3, "period": [1] * 3,
                       "rater": ["youth", "youth", "coach"], "level": [1, 2, 3]})
    with pytest.raises(DataValidationError, match="coach"):
        gas.aggregate_raters(df)
    with pytest.raises(DataValidationError, match="one rating per rater"):
        gas.aggregate_raters(df.iloc[:2])


def test_goal_data_round_trip_through_aggregation():
    df = pd.DataFrame({"case": [1, 1, 2], "goal": ["a", "a", "a"], "category": "basics-1",
                       "rater": ["jongere", "JIT", "begeleider"], "period": 1,
                       "level": ["vooruitgang", "doel behaald", "+/-"]})
    gd = gas.validate_goals(df, taxonomy="np")
    agg = gd.aggregate_raters()
    assert agg.frame[["case", "level", "score", "basis"]].values.tolist() == [
        [1, 1.0, 4.0, "youth+practitioner"], [2, 0.0, 3.0, "practitioner"]]
