"""Logistic regression against R (tests/fixtures/models/make_models.R).

References: ``glm(family = binomial)`` for B, S.E., Wald, p, Exp(B) and its CI, −2LL and the model
χ²; Cox & Snell and Nagelkerke R² and Hosmer–Lemeshow computed in the R script by their
definitions; ``anova(test = "Rao")`` for score statistics and ``drop1(test = "LRT")`` for removal
statistics; Firth by an independent Newton implementation in the R script and by the closed form
for one binary predictor (add 0.5 to every cell). Tolerance: relative 1e-6.
"""

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalstats import logistic_regression
from evalstats.errors import (
    DataValidationError,
    EmptyGroupError,
    SeparationError,
    SingularMatrixError,
)
from evalstats.logistic import _separation

FIX = Path(__file__).parents[1] / "fixtures" / "models"
REF = json.loads((FIX / "models.json").read_text())
RTOL = 1e-6
LOGIT = pd.read_csv(FIX / "logit.csv")


def coef_rows(res):
    """Coefficient rows in R's order (constant first)."""
    t = res.table[res.table["B"].notna()]
    return pd.concat([t[t.term == "Constant"], t[t.term != "Constant"]])


@pytest.mark.parametrize("reference", ["last", "first"])
def test_categorical_against_glm(reference):
    ref = REF["logit"][reference]
    res = logistic_regression(
        LOGIT, "y", ["x1", "x2", "cat"], categorical=["cat"], reference=reference
    )
    assert res.n_used == ref["n"]
    assert res.n_dropped == len(LOGIT) - ref["n"]
    t = coef_rows(res)
    for ours, theirs in [
        ("B", "B"),
        ("SE", "SE"),
        ("Wald", "Wald"),
        ("p", "p"),
        ("exp_B", "exp_B"),
        ("ci_lower", "ci_lower"),
        ("ci_upper", "ci_upper"),
    ]:
        np.testing.assert_allclose(t[ours], ref[theirs], rtol=RTOL, err_msg=ours)
    overall = res.table.set_index("term").loc["cat"]
    np.testing.assert_allclose(overall["Wald"], ref["cat_wald"], rtol=RTOL)
    assert overall["df"] == ref["cat_df"] == 2
    assert math.isnan(overall["B"]) and math.isnan(overall["exp_B"])
    np.testing.assert_allclose(res.m2ll, ref["m2ll"], rtol=RTOL)
    np.testing.assert_allclose(res.m2ll_null, ref["m2ll_null"], rtol=RTOL)
    np.testing.assert_allclose(res.model_chi2, ref["model_chi2"], rtol=RTOL)
    assert res.model_df == ref["model_df"]
    np.testing.assert_allclose(res.model_p, ref["model_p"], rtol=RTOL)
    np.testing.assert_allclose(res.cox_snell_r2, ref["cox_snell"], rtol=RTOL)
    np.testing.assert_allclose(res.nagelkerke_r2, ref["nagelkerke"], rtol=RTOL)
    hl = res.hosmer_lemeshow
    np.testing.assert_allclose(hl.chi2, ref["hl"]["chi2"], rtol=RTOL)
    assert hl.df == ref["hl"]["df"]
    np.testing.assert_allclose(hl.p, ref["hl"]["p"], rtol=RTOL)
    assert hl.groups["n"].tolist() == ref["hl"]["n"]
    np.testing.assert_allclose(hl.groups["expected_1"], ref["hl"]["expected_1"], rtol=RTOL)
    c = res.classification.to_numpy()[:, :2]
    assert c.T.ravel().tolist() == ref["classification"]
    np.testing.assert_allclose(res.percent_correct, 100 * np.trace(c) / c.sum())


def test_reference_dict_and_coding_table():
    res = logistic_regression(
        LOGIT, "y", ["x1", "cat"], categorical=["cat"], reference={"cat": "midden"}
    )
    assert res.table["level"].dropna().tolist() == ["hoog", "laag"]
    assert res.coding.set_index("level").loc["midden", ["cat(1)", "cat(2)"]].tolist() == [0, 0]
    assert res.table["term"].tolist() == ["x1", "cat", "cat(1)", "cat(2)", "Constant"]


def test_score_and_lr_statistics_against_r():
    ref = REF["logit"]["last"]
    # nothing can enter with pin = 0: the score tests of all three variables are reported
    res = logistic_regression(
        LOGIT, "y", ["x1", "x2", "cat"], categorical=["cat"], method="forward_lr", pin=0.0
    )
    assert res.variables_in_model == [] and res.steps.empty
    np.testing.assert_allclose(res.not_in_equation["score"], ref["score_add"], rtol=RTOL)
    assert res.not_in_equation["df"].tolist() == [1, 1, 2]
    np.testing.assert_allclose(res.model_chi2, 0.0, atol=1e-12)
    # SPSS Block 0: the same score tests for every method, plus Overall Statistics
    full = logistic_regression(LOGIT, "y", ["x1", "x2", "cat"], categorical=["cat"])
    b0 = full.block0.set_index("variable")
    np.testing.assert_allclose(b0["score"].iloc[:3], ref["score_add"], rtol=RTOL)
    np.testing.assert_allclose(b0.loc["Overall Statistics", "score"], ref["score_all"], rtol=RTOL)
    assert b0.loc["Overall Statistics", "df"] == 4
    # backward LR with pout = 0: the first removal is the variable with the largest LR p
    res = logistic_regression(
        LOGIT, "y", ["x1", "x2", "cat"], categorical=["cat"], method="backward_lr", pout=0.0
    )
    lr = dict(zip(["x1", "x2", "cat"], ref["lr_drop"], strict=True))
    first = res.steps.iloc[1]
    assert first["action"] == "removed"
    np.testing.assert_allclose(first["statistic"], lr[first["variable"]], rtol=RTOL)


@pytest.mark.parametrize("method", ["forward_lr", "forward_wald", "backward_lr", "backward_wald"])
def test_stepwise_selects_the_signal(method):
    res = logistic_regression(
        LOGIT, "y", ["x1", "x2", "cat", "noise"], categorical=["cat"], method=method
    )
    assert "x1" in res.variables_in_model and "noise" not in res.variables_in_model
    # every entry met PIN and every removal POUT, and -2LL after each step is that model's
    for _, s in res.steps.iterrows():
        if s["action"] == "entered":
            assert s["p"] < 0.05 and s["test"] == "score"
        elif s["action"] == "removed":
            assert s["p"] > 0.10 and s["test"] == ("LR" if method.endswith("lr") else "Wald")
    refit = logistic_regression(
        LOGIT,
        "y",
        res.variables_in_model,
        categorical=[v for v in ["cat"] if v in res.variables_in_model],
    )
    np.testing.assert_allclose(res.steps["m2ll"].iloc[-1], refit.m2ll, rtol=1e-10)
    np.testing.assert_allclose(res.m2ll, refit.m2ll, rtol=1e-10)


def test_firth_against_independent_r_implementation():
    ref = REF["firth_logit"]
    res = logistic_regression(LOGIT, "y", ["x1", "x2", "noise"], firth=True)
    t = res.table
    np.testing.assert_allclose(t["B"], ref["B"], rtol=RTOL)
    np.testing.assert_allclose(t["SE"], ref["SE"], rtol=RTOL)
    np.testing.assert_allclose(res.m2ll, -2 * ref["pll"], rtol=RTOL)


def test_separation_is_named_and_firth_is_finite():
    sep = pd.read_csv(FIX / "separated.csv")
    with pytest.raises(SeparationError, match=r"quasi-complete separation of 'y': predictor 'x'"):
        logistic_regression(sep, "y", ["x", "z"])
    res = logistic_regression(sep, "y", ["x", "z"], firth=True)
    ref = REF["firth_separated"]
    np.testing.assert_allclose(res.table["B"], ref["B"], rtol=RTOL)
    np.testing.assert_allclose(res.table["SE"], ref["SE"], rtol=RTOL)
    complete = sep.assign(y=(sep["x"] > 3).astype(int))
    with pytest.raises(SeparationError, match=r"^complete separation"):
        logistic_regression(complete, "y", ["z", "x"])


def test_separation_by_a_category():
    df = pd.DataFrame(
        {
            "g": ["a"] * 6 + ["b"] * 6 + ["c"] * 6,
            "y": [0, 1, 0, 1, 1, 0] + [1, 0, 0, 1, 1, 0] + [1] * 6,
            "x": np.linspace(0, 1, 18),
        }
    )
    with pytest.raises(SeparationError, match="predictor 'g'"):
        logistic_regression(df, "y", ["x", "g"], categorical=["g"])


@pytest.mark.parametrize("cells", [(12, 5, 3, 9), (7, 0, 4, 6), (1, 9, 8, 2)])
def test_firth_single_binary_predictor_closed_form(cells):
    # events/non-events among x = 1 (a, b) and x = 0 (c, d): Firth = add 0.5 to every cell
    a, b, c, d = cells
    df = pd.DataFrame(
        {"x": [1] * (a + b) + [0] * (c + d), "y": [1] * a + [0] * b + [1] * c + [0] * d}
    )
    res = logistic_regression(df, "y", ["x"], firth=True)
    t = res.table.set_index("term")
    np.testing.assert_allclose(
        t.loc["x", "B"], math.log((a + 0.5) * (d + 0.5) / ((b + 0.5) * (c + 0.5))), rtol=1e-9
    )
    np.testing.assert_allclose(t.loc["Constant", "B"], math.log((c + 0.5) / (d + 0.5)), rtol=1e-9)


def test_dv_errors_name_values():
    # the count of distinct values, not the values of the outcome
    with pytest.raises(DataValidationError, match=r"got '3 distinct values', expected exactly two"):
        logistic_regression(LOGIT.assign(y=LOGIT["y"] + (LOGIT["x1"] > 1)), "y", ["x1"])
    yn = LOGIT.assign(y=LOGIT["y"].map({0: "nee", 1: "ja"}))
    res = logistic_regression(yn, "y", ["x1"], event="ja")
    ref = logistic_regression(LOGIT, "y", ["x1"])
    np.testing.assert_allclose(res.table["B"], ref.table["B"])
    assert res.dv_coding["original"].tolist() == ["nee", "ja"]
    with pytest.raises(DataValidationError, match="'nope'"):
        logistic_regression(LOGIT, "y", ["x1", "nope"])
    with pytest.raises(DataValidationError, match=r"column 'cat'.*list it in categorical"):
        logistic_regression(LOGIT, "y", ["x1", "cat"])
    with pytest.raises(SingularMatrixError, match="among x1, x1b;"):
        logistic_regression(LOGIT.assign(x1b=2 * LOGIT["x1"]), "y", ["x1", "x1b"])


def test_spss_convergence_is_close_and_input_untouched():
    before = LOGIT.copy()
    exact = logistic_regression(LOGIT, "y", ["x1", "x2", "cat"], categorical=["cat"])
    spss = logistic_regression(
        LOGIT, "y", ["x1", "x2", "cat"], categorical=["cat"], convergence="spss"
    )
    assert spss.converged and exact.converged  # the number of steps is not compared
    np.testing.assert_allclose(spss.table["B"], exact.table["B"], atol=1e-3)
    pd.testing.assert_frame_equal(LOGIT, before)


def test_output_formats():
    res = logistic_regression(LOGIT, "y", ["x1", "x2", "cat"], categorical=["cat"])
    sp = res.spss_table()
    assert list(sp.columns[:6]) == ["B", "S.E.", "Wald", "df", "Sig.", "Exp(B)"]
    assert sp.loc["cat", "B"] == "" and sp.loc["cat", "df"] == "2"
    assert res.apa().startswith(f"χ²(4) = {res.model_chi2:.2f}, p ")
    assert "Nagelkerke R² = ." in res.apa()
    assert res.apa("nl").startswith(f"χ²(4) = {res.model_chi2:.2f}".replace(".", ",") + "; p ")
    assert res.apa_term("x1").startswith("B = ")
    assert res.apa_term("cat").startswith("Wald χ²(2) = ")
    assert list(res.omnibus.index) == ["Step", "Block", "Model"]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 100_000), n=st.integers(15, 60), firth=st.booleans())
def test_exp_b_positive_and_ci_contains_it(seed, n, firth):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(0, 3, n)})
    df["y"] = (rng.random(n) < 1 / (1 + np.exp(-df["a"]))).astype(int)
    if df["y"].nunique() < 2:
        return
    try:
        res = logistic_regression(df, "y", ["a", "b"], categorical=["b"], firth=firth)
    except (SeparationError, SingularMatrixError):
        assert not firth or df["b"].nunique() < 3
        return
    t = res.table.dropna(subset=["B"])
    assert (t["exp_B"] > 0).all()
    np.testing.assert_allclose(t["exp_B"], np.exp(t["B"]), rtol=1e-12)
    assert (t["ci_lower"] <= t["exp_B"]).all() and (t["exp_B"] <= t["ci_upper"]).all()
    assert 0 <= res.cox_snell_r2 <= res.nagelkerke_r2 <= 1 or firth


def test_categorical_needs_two_levels():
    one = LOGIT[LOGIT["cat"] == "hoog"]
    with pytest.raises(EmptyGroupError, match="'cat' has 1 level"):
        logistic_regression(one, "y", ["x1", "cat"], categorical=["cat"])


def test_profile_likelihood_cis_against_r():
    # R: BFGS maximisation of the (penalised) log-likelihood with B_j fixed, uniroot on the
    # profile; an optimiser independent of our Newton code
    data = LOGIT.dropna(subset=["x2"])
    for firth, ref in [(True, REF["firth_logit"]["profile_ci"]), (False, REF["ml_profile_ci"])]:
        res = logistic_regression(data, "y", ["x1", "x2", "noise"], firth=firth, ci="profile")
        got = np.log(res.table[["ci_lower", "ci_upper"]].to_numpy())
        np.testing.assert_allclose(got, ref, rtol=RTOL, atol=1e-8)
        assert res.ci_method == "profile"
    sep = pd.read_csv(FIX / "separated.csv")
    res = logistic_regression(sep, "y", ["x", "z"], firth=True, ci="profile")
    got = np.log(res.table[["ci_lower", "ci_upper"]].to_numpy())
    np.testing.assert_allclose(got, REF["firth_separated"]["profile_ci"], rtol=RTOL, atol=1e-8)
    wald = logistic_regression(sep, "y", ["x", "z"], firth=True)
    # under separation the profile interval is asymmetric, unlike the Wald interval
    b = res.table["B"].iloc[0]
    assert got[0, 1] - b > b - got[0, 0]
    assert not np.allclose(wald.table["ci_upper"], res.table["ci_upper"])


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 100_000), scale=st.floats(0.01, 100), shift=st.floats(-50, 50))
def test_invariances(seed, scale, shift):
    # rescaling a predictor rescales its B and leaves Wald, p and the fit unchanged;
    # swapping the event coding flips every B and leaves Wald unchanged
    rng = np.random.default_rng(seed)
    n = 80
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    df["y"] = (rng.random(n) < 1 / (1 + np.exp(-(0.8 * df["a"] - 0.5 * df["b"])))).astype(int)
    try:
        base = logistic_regression(df, "y", ["a", "b"])
    except SeparationError:
        return
    moved = logistic_regression(df.assign(a=df["a"] * scale + shift), "y", ["a", "b"])
    t0, t1 = base.table.set_index("term"), moved.table.set_index("term")
    np.testing.assert_allclose(t1.loc["a", "B"] * scale, t0.loc["a", "B"], rtol=1e-7)
    np.testing.assert_allclose(t1.loc[["a", "b"], "Wald"], t0.loc[["a", "b"], "Wald"], rtol=1e-6)
    np.testing.assert_allclose(moved.m2ll, base.m2ll, rtol=1e-10)
    flipped = logistic_regression(df, "y", ["a", "b"], event=0)
    np.testing.assert_allclose(flipped.table["B"], -base.table["B"], rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(flipped.table["Wald"], base.table["Wald"], rtol=1e-8)
    np.testing.assert_allclose(flipped.nagelkerke_r2, base.nagelkerke_r2, rtol=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(6, 30),
    spread=st.sampled_from([0.0, 0.5, 3.0, 50.0]),
    ties=st.booleans(),
)
def test_separation_error_exactly_when_the_linear_program_finds_separation(seed, n, spread, ties):
    # the fit only skips the linear programs when it proves the estimates finite, so the error
    # must come exactly for the data sets where the programs on the full design find separation
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, n).astype(float) if ties else rng.normal(size=n)
    z = rng.normal(size=n)
    y = (spread * x + rng.normal(size=n) > 0).astype(int)
    if y.min() == y.max():
        y[0] = 1 - y[0]
    df = pd.DataFrame({"y": y, "x": x, "z": z})
    separated = _separation(np.column_stack([x, z, np.ones(n)]), y.astype(float)) is not None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logistic_regression(df, "y", ["x", "z"])
        raised = False
    except SeparationError:
        raised = True
    except SingularMatrixError:
        return  # collinear draws (e.g. x constant) are another error
    assert raised == separated
