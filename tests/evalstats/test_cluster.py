"""evalstats.cluster against R (tests/fixtures/cluster/make_cluster.R: clubSandwich 0.5.8,
sandwich 3.0, lme4 1.1-31) and its invariances.

Tolerances: covariance matrices and standard errors 1e-6 relative (1e-9 absolute); Satterthwaite
and HTZ degrees of freedom, F and p 1e-4 relative; ICC 1e-10; lmer fixed effects, standard errors and
variance components 1e-6 relative, REML log-likelihood 1e-10; glmer estimates 1e-4 absolute and standard errors
1e-4 relative (lme4's and ours come from a finite-difference Hessian of the Laplace deviance).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalstats.cluster import (
    ClusterInfo,
    cluster_codes,
    cr_linear,
    cr_logistic,
    icc_anova,
    random_intercept_linear,
    random_intercept_logistic,
)
from evalstats.errors import DataValidationError

FIX = Path(__file__).parents[1] / "fixtures" / "cluster"
REF = json.loads((FIX / "cluster.json").read_text())
LIN = pd.read_csv(FIX / "nested_lin.csv")
LOGIT = pd.read_csv(FIX / "nested_logit.csv")
TERMS = {"Intercept": [0], "x": [1], "A": [2, 3], "B": [4], "A * B": [5, 6]}


def lin_design(df):
    """R's model matrix of y ~ x + A + B + A:B with contr.sum."""
    a1, a2, a3 = ((df.A == lev).to_numpy(dtype=float) for lev in ("a1", "a2", "a3"))
    a = np.column_stack([a1 - a3, a2 - a3])
    b = np.where(df.B == 0, 1.0, -1.0)[:, None]
    return np.column_stack([np.ones(len(df)), df.x, a, b, a * b]).astype(float)


def logit_design(df):
    """Our order (x, g(1), g(2), Constant) of R's y ~ x + g, reference k3."""
    return np.column_stack([df.x, df.g == "k1", df.g == "k2", np.ones(len(df))]).astype(float)


R_TO_OURS = [1, 2, 3, 0]  # R's (Intercept), x, g1, g2 -> our order


def lin_codes():
    return cluster_codes(LIN["practitioner"], "practitioner", "test")[0]


@pytest.mark.parametrize("type_", ["CR2", "CR1", "CR1S", "CR0"])
def test_linear_cr_against_clubsandwich(type_):
    ref = REF["linear"][type_]
    cr = cr_linear(lin_design(LIN), LIN.y.to_numpy(), lin_codes(), type=type_)
    np.testing.assert_allclose(cr.beta, REF["linear"]["coef"], rtol=1e-10)
    np.testing.assert_allclose(cr.vcov, np.array(ref["vcov"]), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(cr.se, ref["se"], rtol=1e-6)
    np.testing.assert_allclose(cr.satterthwaite_df(), ref["df"], rtol=1e-4)
    ct = cr.coef_test(REF["linear"]["names"])
    np.testing.assert_allclose(ct["p"], ref["p"], rtol=1e-4)
    for term, idx in TERMS.items():
        C = np.eye(7)[idx]
        w = cr.wald_test(C)
        r = ref["wald"][term]
        assert w["df1"] == r["df1"]
        np.testing.assert_allclose([w["F"], w["df2"], w["p"]], [r["F"], r["df2"], r["p"]],
                                   rtol=1e-4, err_msg=term)


def test_linear_cr_against_sandwich_vcovcl():
    X, y, g = lin_design(LIN), LIN.y.to_numpy(), lin_codes()
    ref = REF["linear"]["vcovCL"]
    for ours, theirs in [("CR1", "HC0"), ("CR1S", "HC1"), ("CR0", "HC0_nocadjust")]:
        np.testing.assert_allclose(cr_linear(X, y, g, type=ours).vcov, np.array(ref[theirs]),
                                   rtol=1e-6, atol=1e-9, err_msg=ours)


@pytest.mark.parametrize("type_", ["CR2", "CR1", "CR0"])
def test_logistic_cr_against_clubsandwich(type_):
    ref = REF["logistic"]
    X = logit_design(LOGIT)
    beta = np.array(ref["coef"])[R_TO_OURS]
    codes = cluster_codes(LOGIT["practitioner"], "practitioner", "test")[0]
    cr = cr_logistic(X, LOGIT.y.to_numpy(), beta, codes, type=type_)
    V = np.array(ref[type_]["vcov"])[np.ix_(R_TO_OURS, R_TO_OURS)]
    np.testing.assert_allclose(cr.vcov, V, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(cr.satterthwaite_df(), np.array(ref[type_]["df"])[R_TO_OURS],
                               rtol=1e-4)
    w = cr.wald_test(np.eye(4)[[1, 2]])
    r = ref[type_]["wald_g"]
    np.testing.assert_allclose([w["F"], w["df2"], w["p"]], [r["F"], r["df2"], r["p"]], rtol=1e-4)


def test_logistic_cr1_equals_vcovcl():
    ref = REF["logistic"]
    beta = np.array(ref["coef"])[R_TO_OURS]
    codes = cluster_codes(LOGIT["practitioner"], "practitioner", "test")[0]
    X, y = logit_design(LOGIT), LOGIT.y.to_numpy()
    for ours, theirs in [("CR1", "HC0"), ("CR1S", "HC1")]:
        V = np.array(ref["vcovCL"][theirs])[np.ix_(R_TO_OURS, R_TO_OURS)]
        np.testing.assert_allclose(cr_logistic(X, y, beta, codes, type=ours).vcov, V,
                                   rtol=1e-6, atol=1e-9, err_msg=ours)


def test_icc_and_design_effect():
    codes = lin_codes()
    np.testing.assert_allclose(icc_anova(LIN.y.to_numpy(), codes), REF["linear"]["icc"],
                               rtol=1e-10)
    info = ClusterInfo.of(LIN.y.to_numpy(), codes, "practitioner")
    assert info.n_clusters == 24
    np.testing.assert_allclose(info.m_weighted, REF["linear"]["m_weighted"], rtol=1e-12)
    np.testing.assert_allclose(
        info.design_effect, 1 + (REF["linear"]["m_weighted"] - 1) * REF["linear"]["icc"],
        rtol=1e-10)


def test_random_intercept_linear_against_lmer():
    ref = REF["linear"]["lmer"]
    fit = random_intercept_linear(lin_design(LIN), LIN.y.to_numpy(), lin_codes(),
                                  REF["linear"]["names"])
    np.testing.assert_allclose(fit.table["B"], ref["coef"], rtol=1e-6)
    np.testing.assert_allclose(fit.table["SE"], ref["se"], rtol=1e-6)
    np.testing.assert_allclose([fit.tau2, fit.sigma2], [ref["tau2"], ref["sigma2"]], rtol=1e-6)
    np.testing.assert_allclose(fit.loglik, ref["reml"], rtol=1e-10)


def test_random_intercept_logistic_against_glmer():
    ref = REF["logistic"]["glmer"]
    codes = cluster_codes(LOGIT["practitioner"], "practitioner", "test")[0]
    fit = random_intercept_logistic(logit_design(LOGIT), LOGIT.y.to_numpy(), codes,
                                    ["x", "g(1)", "g(2)", "Constant"])
    np.testing.assert_allclose(fit.table["B"], np.array(ref["coef"])[R_TO_OURS], atol=1e-4)
    np.testing.assert_allclose(fit.tau, ref["tau"], atol=1e-4)
    np.testing.assert_allclose(fit.loglik, ref["loglik"], atol=1e-6)
    np.testing.assert_allclose(fit.table["SE"], np.array(ref["se"])[R_TO_OURS], rtol=1e-4)


def test_cluster_codes_errors_name_the_column():
    with pytest.raises(DataValidationError, match="practitioner"):
        cluster_codes(pd.Series(["a", None, "b"]), "practitioner", "test")
    with pytest.raises(DataValidationError, match="at least two clusters"):
        cluster_codes(pd.Series(["a", "a"]), "practitioner", "test")
    with pytest.raises(DataValidationError, match="practitioner"):
        cluster_codes(pd.Series([None, None], dtype=object), "practitioner", "test")


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_cr2_invariant_to_row_order_and_cluster_labels(seed):
    rng = np.random.default_rng(seed)
    n = 40
    g = rng.integers(0, 8, n)
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    y = X @ [1.0, 0.5, -0.3] + rng.normal(size=8)[g] + rng.normal(size=n)
    base = cr_linear(X, y, g)
    perm = rng.permutation(n)
    relabel = rng.permutation(8)[g] * 7 + 3
    other = cr_linear(X[perm], y[perm], relabel[perm])
    np.testing.assert_allclose(other.vcov, base.vcov, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(other.satterthwaite_df(), base.satterthwaite_df(), rtol=1e-8)
    C = np.eye(3)[1:]
    np.testing.assert_allclose(other.wald_test(C)["df2"], base.wald_test(C)["df2"], rtol=1e-8)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_cr0_with_one_case_per_cluster_is_hc0(seed):
    rng = np.random.default_rng(seed)
    n = 30
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n)])
    y = X @ [0.2, 1.0, -0.5] + rng.normal(size=n) * (1 + np.abs(X[:, 1]))
    cr = cr_linear(X, y, np.arange(n), type="CR0")
    bread = np.linalg.inv(X.T @ X)
    e = y - X @ cr.beta
    hc0 = bread @ (X.T * e**2) @ X @ bread
    np.testing.assert_allclose(cr.vcov, hc0, rtol=1e-9, atol=1e-12)


def test_fixtures_regenerate_identically(regenerates_identically):
    regenerates_identically(FIX, "make_cluster.R", "clubSandwich/sandwich/lme4/jsonlite",
                            names=("cluster.json", "nested_lin.csv", "nested_logit.csv"))


def test_factorial_anova_cluster_against_clubsandwich():
    import evalstats

    res = evalstats.factorial_anova(LIN, "y", factors=["A", "B"], covariates=["x"],
                                    interactions=True, cluster="practitioner")
    ref = REF["linear"]["CR2"]
    t = res.table.set_index("source")
    for term, r in ref["wald"].items():
        np.testing.assert_allclose(
            t.loc[term, ["F_robust", "df2_robust", "p_robust"]].astype(float),
            [r["F"], r["df2"], r["p"]], rtol=1e-4, err_msg=term)
        assert t.loc[term, "df1_robust"] == r["df1"]
    np.testing.assert_allclose(res.parameters["SE_robust"], ref["se"], rtol=1e-6)
    np.testing.assert_allclose(res.parameters["df_robust"], ref["df"], rtol=1e-4)
    # the SPSS numbers are those without cluster=
    plain = evalstats.factorial_anova(LIN, "y", factors=["A", "B"], covariates=["x"],
                                      interactions=True)
    pd.testing.assert_frame_equal(res.table[plain.table.columns], plain.table)
    assert res.cluster.info.n_clusters == 24
    np.testing.assert_allclose(res.cluster.info.icc, REF["linear"]["icc"], rtol=1e-10)
    lmer = REF["linear"]["lmer"]
    np.testing.assert_allclose(res.cluster.random_intercept.table["B"], lmer["coef"], rtol=1e-4)
    assert "F (CR2)" in res.spss_table().columns and "Sig. (CR2)" in res.spss_table("nl").columns
    assert "cluster-robust F(2, 17.78)" in res.apa(term="A")
    assert "clusterrobuust F(2; 17,78)" in res.apa("nl", term="A")
    assert "designeffect" in res.spss_table("nl").attrs["footnote"]


def test_factorial_anova_cluster_errors():
    import evalstats

    with pytest.raises(DataValidationError, match="praktijk"):
        evalstats.factorial_anova(LIN, "y", factors=["A"], cluster="praktijk")
    bad = LIN.assign(practitioner=LIN["practitioner"].where(LIN.index != 3))
    with pytest.raises(DataValidationError, match="practitioner"):
        evalstats.factorial_anova(bad, "y", factors=["A"], cluster="practitioner")
    one = LIN.assign(practitioner="P01")
    with pytest.raises(DataValidationError, match="at least two clusters"):
        evalstats.factorial_anova(one, "y", factors=["A"], cluster="practitioner")


def test_logistic_regression_cluster_against_clubsandwich_and_glmer():
    import evalstats

    res = evalstats.logistic_regression(LOGIT, "y", ["x", "g"], categorical=["g"],
                                        cluster="practitioner")
    ref = REF["logistic"]
    t = res.table.set_index("term")
    coef_rows = ["x", "g(1)", "g(2)", "Constant"]
    np.testing.assert_allclose(t.loc[coef_rows, "SE_robust"], np.array(ref["CR2"]["se"])[R_TO_OURS],
                               rtol=1e-6)
    np.testing.assert_allclose(t.loc[coef_rows, "df2_robust"], np.array(ref["CR2"]["df"])[R_TO_OURS],
                               rtol=1e-4)
    np.testing.assert_allclose(t.loc[coef_rows, "p_robust"], np.array(ref["CR2"]["p"])[R_TO_OURS],
                               rtol=1e-4)
    w = ref["CR2"]["wald_g"]
    np.testing.assert_allclose(t.loc["g", ["F_robust", "df2_robust", "p_robust"]].astype(float),
                               [w["F"], w["df2"], w["p"]], rtol=1e-4)
    glmer = ref["glmer"]
    ri = res.cluster.random_intercept
    np.testing.assert_allclose(ri.table["B"], np.array(glmer["coef"])[R_TO_OURS], atol=1e-4)
    np.testing.assert_allclose(ri.tau, glmer["tau"], atol=1e-4)
    assert res.cluster.info.n_clusters == 30
    assert "cluster-robust F(1, 23.03)" in res.apa_term("g(1)")
    assert "clusterrobuust F(3; " in res.apa("nl")
    assert "Sig. (CR2)" in res.spss_table("nl").columns
    assert "ICC van de uitkomst" in res.spss_table("nl").attrs["footnote"]


def test_logistic_regression_cluster_errors():
    import evalstats

    with pytest.raises(DataValidationError, match="praktijk"):
        evalstats.logistic_regression(LOGIT, "y", ["x"], cluster="praktijk")
    with pytest.raises(ValueError, match="firth"):
        evalstats.logistic_regression(LOGIT, "y", ["x"], cluster="practitioner", firth=True)
    dropped = LOGIT.assign(x=LOGIT["x"].where(LOGIT["practitioner"] != "Q01"))
    res = evalstats.logistic_regression(dropped, "y", ["x"], cluster="practitioner",
                                        random_intercept=False)
    assert res.cluster.info.n_clusters_dropped == 1 and res.cluster.random_intercept is None


def test_logistic_cluster_with_a_two_level_categorical():
    import evalstats

    two = LOGIT.assign(h=np.where(LOGIT["g"] == "k1", "ja", "nee"))
    res = evalstats.logistic_regression(two, "y", ["x", "h"], categorical=["h"],
                                        cluster="practitioner", random_intercept=False)
    t = res.table.set_index("term")
    # the 1-df categorical row and its coefficient row carry the same test
    np.testing.assert_allclose(t.loc["h", "p_robust"], t.loc["h(1)", "p_robust"], rtol=1e-12)
