"""Kiresuk-Sherman T-scores: closed forms, R reference values, invariants."""

import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gas
from evalstats.errors import DataValidationError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "gas"
TOL = 1e-9  # absolute, in T-score points; R writes 15 significant digits


# -- closed forms ---------------------------------------------------------------------------------
def test_closed_forms():
    assert gas.tscore([0, 0, 0, 0]) == 50.0
    assert gas.tscore([-1]) == pytest.approx(40.0, abs=1e-12)
    # 50 - 30 / sqrt(0.7 * 3 + 0.3 * 9) = 50 - 30 / sqrt(4.8)
    assert gas.tscore([-1, -1, -1]) == pytest.approx(50 - 30 / math.sqrt(4.8), abs=1e-12)
    assert round(gas.tscore([-1, -1, -1]), 2) == 36.31
    # rho = 0: 50 + 10 * sum(x) / sqrt(n)
    assert gas.tscore([2, 2, 2, 2], rho=0) == pytest.approx(50 + 10 * 8 / 2, abs=1e-12)
    # weights: x = (2, -1), w = (3, 1), rho = .3 -> 50 + 10 * 5 / sqrt(.7 * 10 + .3 * 16)
    assert gas.tscore([2, -1], [3, 1]) == pytest.approx(50 + 50 / math.sqrt(11.8), abs=1e-12)
    # one goal: T = 50 + 10 x whatever its weight and rho
    for rho in (0, 0.3, 0.9):
        assert gas.tscore([1.0], [7.5], rho=rho) == pytest.approx(60.0, abs=1e-12)


def test_nan_policy_drops_and_counts():
    assert gas.tscore([-1, np.nan, np.nan]) == pytest.approx(40.0)
    assert math.isnan(gas.tscore([np.nan]))
    ts = gas.tscores(pd.DataFrame({"case": [1, 1, 2], "level": [-1, np.nan, np.nan]}))
    assert ts["n_missing"].tolist() == [1, 1] and ts["n_goals"].tolist() == [1, 0]
    assert ts["tscore"].iloc[0] == pytest.approx(40.0) and math.isnan(ts["tscore"].iloc[1])


def test_input_errors():
    with pytest.raises(ValueError, match="not GAS levels"):
        gas.tscore([5, 4])  # analysis scores by mistake
    assert gas.tscore([5], scale=None) == pytest.approx(100.0)
    with pytest.raises(ValueError, match="rho"):
        gas.tscore([0], rho=1)
    with pytest.raises(ValueError, match="positive"):
        gas.tscore([0, 1], [1, 0])
    df = pd.DataFrame({"case": [1, None, 2], "level": [1, 1, 9], "w": [1, 1, -1]})
    with pytest.raises(DataValidationError) as exc:
        gas.tscores(df, weight="w")
    assert {(p.row, p.column) for p in exc.value.problems} == {(2, "level"), (2, "w")}
    with pytest.raises(DataValidationError, match="column 'case'"):
        gas.tscores(df.assign(level=1, w=1), weight="w")


# -- R reference -----------------------------------------------------------------------------------
def _load():
    data = pd.read_csv(FIXTURES / "tscore_data.csv")
    expected = pd.read_csv(FIXTURES / "tscore_expected.csv")
    return data, expected


@pytest.mark.parametrize("rho", [0, 0.3, 0.5, 0.9])
@pytest.mark.parametrize("weighted", [True, False])
def test_matches_r_reference(rho, weighted):
    data, expected = _load()
    scale = None  # the fixture mixes gas5 and gas_partial data sets
    got = gas.tscores(data, case="case", score="level", weight="weight" if weighted else None, rho=rho, scale=scale)
    exp = expected[expected["rho"] == rho].set_index("case")
    got = got.set_index("case").loc[exp.index]
    col = "tscore_weighted" if weighted else "tscore_unweighted"
    np.testing.assert_allclose(got["tscore"], exp[col], atol=TOL, rtol=0, equal_nan=True)
    np.testing.assert_array_equal(got["n_goals"], exp["n_goals"])
    np.testing.assert_array_equal(got["n_missing"], exp["n_missing"])
    # the scalar function agrees with R too
    for case, sub in data.groupby("case"):
        w = sub["weight"] if weighted else None
        assert gas.tscore(sub["level"], w, rho=rho, scale=None) == pytest.approx(exp.at[case, col], abs=TOL, nan_ok=True)


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript not installed")
def test_fixture_script_reproduces_committed_output(tmp_path):
    shutil.copy(FIXTURES / "make_tscores.R", tmp_path)
    subprocess.run(["Rscript", "make_tscores.R"], cwd=tmp_path, check=True, capture_output=True, timeout=120)
    for name in ("tscore_data.csv", "tscore_expected.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / name), pd.read_csv(FIXTURES / name))


# -- invariants -----------------------------------------------------------------------------------
levels = st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0])
weights = st.floats(0.1, 10, allow_nan=False)
rhos = st.floats(0, 0.95)


@given(st.lists(st.tuples(levels, weights), min_size=1, max_size=12), rhos, st.data())
def test_monotone_in_each_score(goals, rho, data):
    x = [g[0] for g in goals]
    w = [g[1] for g in goals]
    i = data.draw(st.integers(0, len(x) - 1))
    if x[i] < 2:
        up = list(x)
        up[i] += 1
        assert gas.tscore(up, w, rho) > gas.tscore(x, w, rho)


@given(st.lists(st.tuples(levels, weights), min_size=1, max_size=12), rhos, st.randoms(use_true_random=False),
       st.floats(0.01, 100))
def test_invariant_to_goal_order_and_weight_scale(goals, rho, rnd, c):
    x = np.array([g[0] for g in goals])
    w = np.array([g[1] for g in goals])
    t = gas.tscore(x, w, rho)
    perm = list(range(len(x)))
    rnd.shuffle(perm)
    assert gas.tscore(x[perm], w[perm], rho) == pytest.approx(t, abs=1e-9)
    assert gas.tscore(x, w * c, rho) == pytest.approx(t, abs=1e-9)


@settings(max_examples=50)
@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0, np.nan]), weights,
                          st.integers(1, 3)), min_size=1, max_size=60), rhos)
def test_tscores_equals_tscore_per_case(rows, rho):
    df = pd.DataFrame(rows, columns=["case", "level", "w", "period"])
    ts = gas.tscores(df, weight="w", rho=rho)
    for _, r in ts.iterrows():
        sub = df[df["case"] == r["case"]]
        exp = gas.tscore(sub["level"], sub["w"], rho)
        assert r["tscore"] == pytest.approx(exp, abs=1e-9, nan_ok=True)
    by = gas.tscores(df, weight="w", rho=rho, by="period")
    for _, r in by.iterrows():
        sub = df[(df["case"] == r["case"]) & (df["period"] == r["period"])]
        assert r["tscore"] == pytest.approx(gas.tscore(sub["level"], sub["w"], rho), abs=1e-9, nan_ok=True)
    # chunked partial sums add up to the whole
    half = len(df) // 2
    parts = gas.combine_partials([gas.tscore_partials(df.iloc[:half], weight="w"),
                                  gas.tscore_partials(df.iloc[half:], weight="w")] if half else
                                 [gas.tscore_partials(df, weight="w")])
    whole = gas.tscore_partials(df, weight="w")
    pd.testing.assert_frame_equal(parts[whole.columns], whole, check_dtype=False, atol=1e-12)


def test_trajectory_and_change():
    df = pd.DataFrame({"case": ["a"] * 4 + ["b"] * 2, "period": [1, 1, 2, 2, 1, 3],
                       "level": [0, 0, 1, 1, -1, 2]})
    ts = gas.tscores(df, by="period")
    assert ts[["case", "period"]].values.tolist() == [["a", 1], ["a", 2], ["b", 1], ["b", 3]]
    ch = gas.tscore_change(ts).set_index("case")
    assert ch.at["a", "change"] == pytest.approx(gas.tscore([1, 1]) - 50)
    assert ch.at["b", "change"] == pytest.approx(70.0 - 40.0) and ch.at["b", "last"] == 3
    fixed = gas.tscore_change(ts, first=1, last=2).set_index("case")
    assert math.isnan(fixed.at["b", "change"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet="ab\x00é ", max_size=3)), max_size=30))
def test_text_keys_get_the_codes_of_a_sorted_factorize(values):
    # text case ids are hashed unsorted and only their distinct values sorted; the codes and
    # key order must be pandas' sorted factorize
    from gas.tscore import _factorize_sorted

    for series in (pd.Series(values, dtype=object), pd.Series(values, dtype="str")):
        codes, uniques = _factorize_sorted(series)
        ref_codes, ref_uniques = pd.factorize(series, sort=True)
        assert np.array_equal(codes, ref_codes)
        assert uniques.equals(ref_uniques)
