"""Waves: design checks naming the row, response and attrition tables, outcome per wave,
satisfaction forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from evalstats.errors import DataValidationError
from outcomes import (
    WaveDesign,
    background_characteristics,
    outcome_by_wave,
    satisfaction_by_wave,
    score_outcomes,
    validate_waves,
    wave_response,
)


def _long() -> pd.DataFrame:
    # family 1: parent m1 at T0-T2, child c1 at T0 and T2; family 2: parent m2 at T0, T1;
    # family 3: parent m3 enters at T1 (no baseline)
    rows = [(1, "m1", "parent", "T0", "2019-01-01"), (1, "m1", "parent", "T1", "2019-07-01"),
            (1, "m1", "parent", "T2", "2020-01-01"), (1, "c1", "child", "T0", "2019-01-01"),
            (1, "c1", "child", "T2", "2020-01-03"), (2, "m2", "parent", "T0", "2019-02-01"),
            (2, "m2", "parent", "T1", "2019-08-01"), (3, "m3", "parent", "T1", "2019-09-01")]
    return pd.DataFrame(rows, columns=["family", "person", "role", "wave", "date"])


def test_response_and_attrition_per_role():
    r = wave_response(validate_waves(_long()))
    t = r.table.set_index(["group", "wave"])
    assert t.loc[("parent", "T0"), ["n", "n_retained", "n_new"]].tolist() == [2, 2, 0]
    assert t.loc[("parent", "T1"), ["n", "n_retained", "n_new"]].tolist() == [3, 2, 1]
    assert t.loc[("parent", "T1"), "pct_of_baseline"] == pytest.approx(150.0)
    assert t.loc[("parent", "T2"), ["n", "n_retained"]].tolist() == [1, 1]
    assert t.loc[("parent", "T2"), "pct_retained"] == pytest.approx(50.0)
    assert t.loc[("child", "T1"), "n"] == 0
    assert t.loc[("child", "T2"), "pct_retained"] == pytest.approx(100.0)
    assert r.spss_table("nl").loc["Ouders: n (%)", "T1"] == "3 (150,0)"
    assert "Parents: 2 at T0, 0 (0.0%) still at T4." in r.apa()


def test_response_per_family():
    r = wave_response(validate_waves(_long()), by=None, unit="family")
    assert r.table["n"].tolist() == [2, 3, 1, 0, 0]
    assert r.table["n_retained"].tolist() == [2, 2, 1, 0, 0]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.sampled_from(["T0", "T1", "T2"])),
                min_size=1, max_size=30, unique=True))
def test_retained_never_exceeds_baseline_or_wave(pairs):
    d = pd.DataFrame([(p, f"p{p}", "parent", w) for p, w in pairs],
                     columns=["family", "person", "role", "wave"])
    t = wave_response(validate_waves(d, WaveDesign(labels=["T0", "T1", "T2"], months=[0, 6, 12]),
                                     date=None)).table
    base = t.loc[t["wave"] == "T0", "n"].iloc[0]
    assert (t["n_retained"] <= t["n"]).all()
    assert (t["n_retained"] <= base).all()
    assert (t["n_retained"] + t["n_new"] == t["n"]).all()


def test_bad_wave_data_each_named_by_row():
    d = _long().set_axis(range(2, 10))
    d.loc[3, "wave"] = "T2"  # m1 twice at T2 (rows 3 and 4)
    d.loc[8, "wave"] = "T5"
    d.loc[6, "date"] = "2018-12-01"  # before family 1's intake
    d.loc[9, "role"] = "grandparent"
    with pytest.raises(DataValidationError) as err:
        validate_waves(d)
    assert str(err.value).splitlines() == [
        "4 problems in the wave data:",
        "  row 8, column 'wave': got 'T5', expected a wave of the design (T0, T1, T2, T3, T4)",
        "  row 9, column 'role': got 'grandparent', expected child or parent",
        "  row 4, column 'wave': got 'T2', expected one row per person and wave; person 'm1' "
        "has 2 rows at T2 (rows 3, 4)",
        "  row 6, column 'date': expected a date on or after the intake (the value is not shown)",
    ]


def test_intake_column_and_missing_columns():
    d = _long().assign(intake="2019-03-01")
    with pytest.raises(DataValidationError) as err:
        validate_waves(d, intake="intake")
    assert sorted(p.row for p in err.value.problems) == [0, 3, 5]
    with pytest.raises(DataValidationError, match="column 'meting': got 'missing column'"):
        validate_waves(_long(), wave="meting")


def test_a_person_in_two_families_is_an_error():
    d = _long()
    d.loc[6, "family"] = 9
    with pytest.raises(DataValidationError, match="one family per person; person 'm2' has 2"):
        validate_waves(d, date=None)


def test_outcome_by_wave_mean_ci_and_share_problematic():
    d = _long().assign(age=35.0)
    answers = [5, 1, 2, 0, 0, 3, 4, 2]
    for i in range(1, 6):
        d[f"who5_{i}"] = answers
    d.loc[d["role"] == "child", [f"who5_{i}" for i in range(1, 6)]] = np.nan
    w = validate_waves(d)
    res = outcome_by_wave(w, score_outcomes(d, "who5"))
    t = res.table.set_index("wave")
    t0 = np.array([100.0, 60.0])  # m1, m2 at T0
    assert t.loc["T0", "n"] == 2 and t.loc["T0", "mean"] == pytest.approx(t0.mean())
    half = stats.t.ppf(0.975, 1) * t0.std(ddof=1) / np.sqrt(2)
    assert t.loc["T0", "ci_low"] == pytest.approx(t0.mean() - half)
    assert t.loc["T1", ["n", "n_problematic"]].tolist() == [3, 2]  # 20, 80 and 40
    assert t.loc["T1", "pct_problematic"] == pytest.approx(100 * 2 / 3)
    assert t.loc["T3", "n"] == 0 and np.isnan(t.loc["T3", "mean"])
    assert "Welbevinden (WHO-5): M = 80,00 bij T0 (n = 2)" in res.apa("nl")


def test_satisfaction_reversed_scale_and_grade():
    d = pd.DataFrame({"wave": ["T1"] * 4 + ["T2"] * 2, "s1": [1, 2, 3, 5, 1, None],
                      "s2": 2, "s3": 3, "s4": 4, "s5": 5, "s6": [1, 1, 1, 1, 1, None],
                      "grade": [8, 9, 7, 6, 10, None]})
    d.loc[5, ["s2", "s3", "s4", "s5"]] = np.nan
    r = satisfaction_by_wave(d, "buitenshuis_parent", waves=["T1", "T2", "T3"])
    t = r.table.set_index(["wave", "statement"])
    assert t.loc[("T1", "s1"), ["n", "n_agree"]].tolist() == [4, 2]
    assert t.loc[("T1", "s2"), "pct_agree"] == 100.0
    assert t.loc[("T1", "s3"), "pct_agree"] == 0.0
    assert t.loc[("T2", "s1"), "n"] == 1 and np.isnan(t.loc[("T3", "s1"), "pct_agree"])
    assert r.n_unanswered == 1
    assert r.grades.set_index("wave").loc["T1", "mean"] == 7.5
    table = r.spss_table("nl")
    assert table.loc["Gemiddeld rapportcijfer", "T1"] == "7,5"
    assert "Ik ben tevreden over het Buitenshuisproject voor mijn kinderen" in table.index
    d.loc[2, "s4"] = 0
    d.loc[3, "grade"] = 11
    with pytest.raises(DataValidationError) as err:
        satisfaction_by_wave(d, "buitenshuis_parent")
    assert [(p.row, p.column) for p in err.value.problems] == [(2, "s4"), (3, "grade")]


def test_background_characteristics_at_the_baseline():
    d = pd.DataFrame({"family": [1, 1, 2, 2, 3, 3], "person": ["a", "a", "b", "c", "d", "e"],
                      "role": ["child", "child", "child", "parent", "child", "parent"],
                      "wave": ["T0", "T1", "T0", "T0", "T1", "T0"],
                      "sex": ["girl", "girl", None, "x", "boy", "y"],
                      "age": [1.99, 2.5, 2.0, 40.0, 12.0, 35.0]})
    w = validate_waves(d, date=None)
    b = background_characteristics(w, {"child": ["sex", "age"]}, bands={"age": [0, 2, 8]})
    t = b.table.set_index(["variable", "category"])
    # persons at T0 only (d is measured at T1 alone); 1.99 is in 0-1, 2.0 in 2-7
    assert t.loc[("sex", "girl"), "n"] == 1 and t.loc[("sex", "unknown"), "n"] == 1
    assert "boy" not in t.loc["sex"].index
    assert t.loc[("age", "0–1"), "n"] == 1 and t.loc[("age", "2–7"), "n"] == 1
    assert t["pct"].tolist() == [50.0, 50.0, 50.0, 50.0]
    assert b.apa("nl") == "Kinderen: 2 bij T0."
    with pytest.raises(DataValidationError, match="'edu'"):
        background_characteristics(w, {"parent": ["edu"]})
    with pytest.raises(DataValidationError, match="a number from 0 to below 2"):
        background_characteristics(w, {"child": ["age"]}, bands={"age": [0, 2]})
