"""The bootstrap over practitioners of a case model with factor-score covariates: the full
sample against statsmodels, one resample against an independent refit (fidelity.pca and
numpy least squares), seeding, failures and the alignment's congruence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from fidelity import exploratory_factors, pca
from fidelity.factors.score_bootstrap import bootstrap_factor_model


def make(n_prac=40, seed=0, per=3):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n_prac, 2))
    answers = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(n_prac, 6)) * .6,
                           columns=["a1", "a2", "a3", "b1", "b2", "b3"],
                           index=[f"p{i}" for i in range(n_prac)])
    cases = pd.DataFrame({"practitioner": np.repeat(answers.index, per)})
    cases["x"] = rng.normal(size=len(cases))
    cases["org"] = rng.choice(["O1", "O2"], len(cases))
    cases["y"] = np.repeat(f[:, 0], per) + 0.3 * cases["x"] + rng.normal(size=len(cases))
    return answers, cases


@pytest.fixture(scope="module")
def fitted():
    answers, cases = make()
    wf = exploratory_factors(answers)
    b = bootstrap_factor_model(wf, cases, "y", covariates=["F1", "F2", "x"], factors=["org"],
                               n=200, seed=5)
    return answers, cases, wf, b


def test_full_sample_equals_statsmodels(fitted):
    # tolerance 1e-10: the same least squares, closed form
    _, cases, wf, b = fitted
    d = cases.join(wf.scores, on="practitioner")
    x = sm.add_constant(pd.concat([d[["F1", "F2", "x"]], (d["org"] == "O2").astype(float)], axis=1))
    ols = sm.OLS(d["y"], x).fit()
    t = b.table.set_index("term")
    np.testing.assert_allclose(t["B"], ols.params[["F1", "F2", "x"]], rtol=1e-10)
    np.testing.assert_allclose(t["se_naive"], ols.bse[["F1", "F2", "x"]], rtol=1e-10)
    ci = ols.conf_int().loc[["F1", "F2", "x"]]
    np.testing.assert_allclose(t["ci_low_naive"], ci[0], rtol=1e-10)
    np.testing.assert_allclose(t["ci_high_naive"], ci[1], rtol=1e-10)
    assert t["factor_score"].tolist() == [True, True, False]
    assert (b.n_cases, b.n_practitioners) == (len(cases), 40)


def test_one_resample_equals_an_independent_refit(fitted):
    # resample 0 redone with fidelity.pca (its own oblimin, tol 1e-5 on the gradient) and numpy
    # least squares: slopes agree to 1e-4 relative, the rotation's convergence tolerance
    answers, cases, wf, b = fitted
    assert b.n_failed == 0
    draws = np.random.default_rng(5).integers(0, 40, size=(200, 40))[0]
    xb = answers.iloc[draws].reset_index(drop=True)
    res = pca(xb, n_components=2)
    sc = res.scores(xb).to_numpy()
    # align to the full-sample factors by congruence of the pattern columns
    full = wf.pcas["all"].pattern.to_numpy()
    pat = res.pattern.to_numpy()
    cong = (pat.T @ full) / np.outer(np.linalg.norm(pat, axis=0), np.linalg.norm(full, axis=0))
    order = np.abs(cong).argmax(axis=0)
    sc = sc[:, order] * np.sign(cong[order, [0, 1]])
    comp = {f.factor: list(wf.pcas["all"].pattern.columns).index(f.component)
            for f in wf.factors.itertuples()}
    rows, scores = [], []
    for j, i in enumerate(draws):
        idx = np.flatnonzero(cases["practitioner"].to_numpy() == answers.index[i])
        rows += list(idx)
        scores += [sc[j]] * len(idx)
    scores = np.array(scores)
    sub = cases.iloc[rows]
    x = np.column_stack([np.ones(len(sub)), scores[:, comp["F1"]], scores[:, comp["F2"]],
                         sub["x"], (sub["org"] == "O2").astype(float)])
    beta = np.linalg.lstsq(x, sub["y"].to_numpy(), rcond=None)[0]
    np.testing.assert_allclose(b.estimates.iloc[0].to_numpy(), beta[1:4], rtol=1e-4)


def test_seeded_intervals_congruence_and_width(fitted):
    answers, cases, wf, b = fitted
    again = bootstrap_factor_model(wf, cases, "y", covariates=["F1", "F2", "x"], factors=["org"],
                                   n=200, seed=5)
    pd.testing.assert_frame_equal(again.table, b.table)
    t = b.table.set_index("term")
    assert (t["ci_low"] <= t["B"]).all() and (t["B"] <= t["ci_high"]).all()
    assert (b.congruence["median"] > 0.95).all() and b.median_congruence > 0.95
    assert b.n_ok + b.n_failed == b.n_boot == 200
    assert "200 of 200" in b.apa() and "200 van 200" in b.apa("nl")
    assert list(b.spss_table("nl").columns)[3] == "95%-BI (bootstrap)"


def test_failed_resamples_are_counted():
    # an item answered 1 by all but three practitioners has no variance in many resamples
    answers, cases = make(n_prac=30)
    answers["a3"] = 1.0
    answers.iloc[:3, answers.columns.get_loc("a3")] = [2.0, 3.0, 2.0]
    wf = exploratory_factors(answers, items=["a1", "a2", "a3", "b1", "b2", "b3"])
    b = bootstrap_factor_model(wf, cases, "y", covariates=list(wf.factors["factor"]), n=100, seed=2)
    assert b.failures["no_variance"] > 0
    assert b.n_ok + b.n_failed == 100 and len(b.estimates) == b.n_ok


def test_bad_input(fitted):
    _, cases, wf, _ = fitted
    with pytest.raises(ValueError, match="name no factor"):
        bootstrap_factor_model(wf, cases, "y", covariates=["x"])
    with pytest.raises(Exception, match="'z'"):
        bootstrap_factor_model(wf, cases, "z", covariates=["F1"])
    with pytest.raises(ValueError, match="at least 2"):
        bootstrap_factor_model(wf, cases, "y", covariates=["F1"], n=1)
