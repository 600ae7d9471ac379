"""Linear mixed models against lme4 + lmerTest (tests/fixtures/mixed/make_mixed.R).

References: ``lmer`` (REML and ML) for the estimates, standard errors, variance components,
log-likelihood, AIC and BIC; lmerTest's ``summary`` for the Satterthwaite df, t and p, and its
``anova(type = 3)`` for the F tests with Satterthwaite denominator df.
Tolerances: estimates and SE absolute 1e-4 (observed differences ~1e-7, the precision of
lme4's optimiser), Satterthwaite df absolute 1e-2, t absolute 1e-3, p absolute 1e-5,
variances relative 1e-4, log-likelihood, AIC and BIC absolute 1e-6, F relative 1e-4.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalstats import (
    DataValidationError,
    EmptyGroupError,
    MixedModelConvergenceError,
    SingularMatrixError,
    mixed_model,
)

FIX = Path(__file__).parents[1] / "fixtures" / "mixed"
REF = json.loads((FIX / "mixed.json").read_text())
WAVES = pd.read_csv(FIX / "waves.csv")
NESTED = pd.read_csv(FIX / "nested.csv")
BOUNDARY = pd.read_csv(FIX / "boundary.csv")

CASES = {
    "waves_reml": (WAVES, ["wave", "sex", "age"], "person", None, True),
    "waves_ml": (WAVES, ["wave", "sex", "age"], "person", None, False),
    "waves_ref": (WAVES, ["wave", "sex", "age"], "person", {"sex": "meisje", "wave": "T1"}, True),
    "waves_wave": (WAVES, ["wave"], "person", None, True),
    "waves_inter": (WAVES, ["wave", "sex", "age"], "person", None, True),
    "nested_reml": (NESTED, ["wave", "role", "x"], ["family", "person"], {"role": "kind"}, True),
    "nested_ml": (NESTED, ["wave", "role", "x"], ["family", "person"], {"role": "kind"}, False),
    "nested_boundary": (NESTED, ["wave", "x"], ["family", "person"], None, True),
    "boundary_reml": (BOUNDARY, ["wave", "x"], "person", None, True),
}
OUTCOME = {"nested_boundary": "yb"}
INTERACTIONS = {"waves_inter": [("wave", "sex"), ("sex", "age")]}


def r_term(term: str) -> str:
    """Our coefficient name as R prints it: wave[T1] -> waveT1."""
    return term.replace("[", "").replace("]", "")


def fit(name):
    data, fixed, groups, reference, reml = CASES[name]
    return mixed_model(
        data,
        OUTCOME.get(name, "y"),
        fixed,
        groups,
        reference=reference,
        reml=reml,
        interactions=INTERACTIONS.get(name, ()),
    )


@pytest.fixture(scope="module", params=list(CASES))
def case(request):
    return fit(request.param), REF[request.param]


def test_fixed_effects_against_lmertest(case):
    res, ref = case
    t = res.table
    assert [r_term(x) for x in t["term"]] == ref["coef"]["term"]
    np.testing.assert_allclose(t["estimate"], ref["coef"]["estimate"], rtol=0, atol=1e-4)
    np.testing.assert_allclose(t["se"], ref["coef"]["se"], rtol=0, atol=1e-4)
    np.testing.assert_allclose(t["df"], ref["coef"]["df"], rtol=0, atol=1e-2)
    np.testing.assert_allclose(t["t"], ref["coef"]["t"], rtol=0, atol=1e-3)
    np.testing.assert_allclose(t["p"], ref["coef"]["p"], rtol=0, atol=1e-5)


def test_variance_and_fit_against_lme4(case):
    res, ref = case
    assert res.n_used == ref["nobs"]
    assert res.reml == ref["reml"]
    assert res.singular == ref["singular"]
    # R lists the components inner first ("person:family", "family"), the residual last
    ours = dict(zip(res.variance["group"], res.variance["variance"], strict=True))
    names = [g.split(":")[0] for g in ref["varcomp"]["group"]]
    for g, v in zip(names, ref["varcomp"]["variance"], strict=True):
        np.testing.assert_allclose(ours[g], v, rtol=1e-4, atol=1e-8, err_msg=g)
    assert {g.split(":")[0]: n for g, n in ref["ngrps"].items()} == res.n_groups
    np.testing.assert_allclose(res.sigma2, ref["sigma"] ** 2, rtol=1e-4)
    for ours_v, theirs in [
        ("loglik", "logLik"),
        ("deviance", "deviance"),
        ("aic", "AIC"),
        ("bic", "BIC"),
    ]:
        np.testing.assert_allclose(
            getattr(res, ours_v), ref[theirs], rtol=0, atol=1e-6, err_msg=ours_v
        )


def test_type3_against_lmertest(case):
    res, ref = case
    a = res.anova
    assert a["term"].tolist() == ref["anova"]["term"]
    assert a["num_df"].tolist() == ref["anova"]["NumDF"]
    np.testing.assert_allclose(a["F"], ref["anova"]["F"], rtol=1e-4)
    np.testing.assert_allclose(a["den_df"], ref["anova"]["DenDF"], rtol=0, atol=1e-2)
    np.testing.assert_allclose(a["SS"], ref["anova"]["SumSq"], rtol=1e-4)
    np.testing.assert_allclose(a["p"], ref["anova"]["p"], rtol=0, atol=1e-5)


def test_listwise_deletion_counted():
    res = fit("waves_reml")
    d = res.dropped.set_index("variable")["n_missing"]
    assert d["y"] == WAVES["y"].isna().sum()
    assert d["age"] == WAVES["age"].isna().sum()
    assert d["(any)"] == res.n_dropped == len(WAVES) - res.n_used
    assert res.n_groups == {"person": 88}


def test_row_counts_per_term():
    res = fit("waves_reml")
    t = res.table.set_index("term")
    used = WAVES.dropna(subset=["y", "age"])
    assert t.loc["wave[T2]", "n"] == (used["wave"] == "T2").sum()
    assert t.loc["wave[T2]", "n_groups"] == used.loc[used["wave"] == "T2", "person"].nunique()
    ref_cell = (used["wave"] == "T0") & (used["sex"] == "jongen")
    assert t.loc["(Intercept)", "n"] == ref_cell.sum()
    assert t.loc["age", "n"] == len(used)
    assert t.loc["age", "n_groups"] == used["person"].nunique()


def test_confidence_interval_uses_satterthwaite_t():
    from scipy import stats

    t = fit("waves_reml").table
    q = stats.t.ppf(0.975, t["df"])
    np.testing.assert_allclose(t["ci_lower"], t["estimate"] - q * t["se"], rtol=1e-12)
    np.testing.assert_allclose(t["ci_upper"], t["estimate"] + q * t["se"], rtol=1e-12)


def test_boundary_fit_is_ols():
    """A group variance at the boundary is exactly 0 (as lme4's singular fit); the fixed
    effects are then those of ordinary least squares with df n − p."""
    import statsmodels.api as sm

    res = fit("boundary_reml")
    assert res.singular and res.theta[0] == 0.0 and res.icc == 0.0
    X = pd.get_dummies(BOUNDARY[["wave"]], drop_first=True, dtype=float).assign(x=BOUNDARY["x"])
    ols = sm.OLS(BOUNDARY["y"], sm.add_constant(X)).fit()
    np.testing.assert_allclose(res.table["estimate"], ols.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(res.table["se"], ols.bse.to_numpy(), rtol=1e-8)
    np.testing.assert_allclose(res.table["df"], len(BOUNDARY) - 4, rtol=1e-6)


def test_statsmodels_mixedlm_agrees():
    """Cross-check with statsmodels' MixedLM (REML) on the unbalanced waves data."""
    import statsmodels.formula.api as smf

    used = WAVES.dropna()
    sm_fit = smf.mixedlm("y ~ wave + sex + age", used, groups=used["person"]).fit(reml=True)
    res = fit("waves_reml")
    np.testing.assert_allclose(res.table["estimate"], sm_fit.fe_params.to_numpy(), atol=1e-3)
    np.testing.assert_allclose(res.sigma2, sm_fit.scale, rtol=1e-3)


def test_tables_and_sentences_in_both_languages():
    res = fit("waves_reml")
    en, nl = res.spss_table("en"), res.spss_table("nl")
    assert en.index.tolist()[:2] == ["Intercept", "[wave=T1]"]
    assert nl.index[0] == "Constante"
    assert "," in nl.iloc[1, 0] and "." not in nl.iloc[1, 0]
    assert en.loc["age"].tolist()[0] == f"{res.table.set_index('term').loc['age', 'estimate']:.3f}"
    assert res.spss_table("nl", "type3").index.tolist() == ["wave", "sex", "age"]
    assert res.spss_table("en", "covariance").index[-1] == "Residual"
    assert res.apa(term="wave[T1]").startswith("b = ")
    assert "; " in res.apa("nl", term="wave[T1]")
    assert res.apa(term="wave").startswith("F(4, ")
    assert "ICC = ." in res.apa()
    assert "metingen" in res.apa("nl")
    with pytest.raises(KeyError):
        res.apa(term="nope")
    with pytest.raises(ValueError):
        res.spss_table("de")


# ------------------------------------------------------------------------------ bad input
def test_missing_column_named():
    with pytest.raises(DataValidationError, match="'waves'"):
        mixed_model(WAVES, "y", ["waves"], "person")


def test_non_numeric_outcome_named():
    with pytest.raises(DataValidationError, match="'sex'"):
        mixed_model(WAVES, "sex", ["wave"], "person")


def test_unknown_reference_level_named():
    with pytest.raises(DataValidationError, match="'wave'.*T9"):
        mixed_model(WAVES, "y", ["wave"], "person", reference={"wave": "T9"})
    with pytest.raises(DataValidationError, match="'age'"):
        mixed_model(WAVES, "y", ["wave", "age"], "person", reference={"age": 10})


def test_single_observation_groups():
    # some persons with one observation are fine ...
    first = WAVES.groupby("person").head(1)
    some = pd.concat([WAVES[WAVES["person"] < "p040"], first[first["person"] >= "p040"]])
    assert mixed_model(some, "y", ["wave"], "person").n_groups["person"] > 0
    # ... but a design without any replication is not
    with pytest.raises(EmptyGroupError, match="'person'.*no replication"):
        mixed_model(first, "y", ["sex"], "person")


def test_nested_levels_not_separable():
    one = NESTED.groupby("family").filter(lambda g: g["person"].nunique() == 1)
    with pytest.raises(EmptyGroupError, match="'family'.*'person'"):
        mixed_model(one, "y", ["wave"], ["family", "person"])


def test_aliased_term_named():
    d = WAVES.assign(age2=WAVES["age"] * 2 + 1)
    with pytest.raises(SingularMatrixError, match="'age2'"):
        mixed_model(d, "y", ["wave", "age", "age2"], "person")
    d = WAVES.assign(copy=WAVES["sex"])
    with pytest.raises(SingularMatrixError, match=r"'copy\[meisje\]'"):
        mixed_model(d, "y", ["sex", "copy"], "person")


def test_single_level_factor():
    with pytest.raises(EmptyGroupError, match="'sex'"):
        mixed_model(WAVES.assign(sex="x"), "y", ["sex"], "person")


def test_non_convergence_raises():
    with pytest.raises(MixedModelConvergenceError, match="'y'"):
        mixed_model(NESTED, "y", ["wave"], ["family", "person"], max_iter=2)


def test_numeric_factor_via_categorical():
    d = WAVES.assign(w=WAVES["wave"].str[1].astype(int))
    res = mixed_model(d, "y", ["w"], "person", categorical=["w"])
    ref = fit("waves_wave")
    np.testing.assert_allclose(res.table["estimate"], ref.table["estimate"], rtol=1e-10)
    assert res.table["term"].tolist()[1] == "w[1]"


# ------------------------------------------------------------------------------ properties
def _panel(seed, n_groups, n_waves):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(n_groups), n_waves)
    w = np.tile(np.arange(n_waves), n_groups)
    x = rng.normal(size=len(g))
    y = 2 + 0.5 * w + 0.3 * x + rng.normal(0, 1.0, n_groups)[g] + rng.normal(size=len(g))
    keep = rng.random(len(g)) > 0.15
    return pd.DataFrame({"y": y, "wave": [f"T{v}" for v in w], "x": x, "g": g})[keep]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    shift=st.floats(-100, 100),
    scale=st.floats(0.1, 50),
)
def test_outcome_shift_and_scale(seed, shift, scale):
    d = _panel(seed, 12, 3)
    a = mixed_model(d, "y", ["wave", "x"], "g")
    b = mixed_model(d.assign(y=shift + scale * d["y"]), "y", ["wave", "x"], "g")
    ta, tb = a.table, b.table
    expect = ta["estimate"] * scale
    expect.iloc[0] += shift
    np.testing.assert_allclose(tb["estimate"], expect, rtol=1e-5, atol=1e-5 * scale)
    np.testing.assert_allclose(tb["se"], ta["se"] * scale, rtol=1e-5, atol=1e-8 * scale)
    np.testing.assert_allclose(tb["t"][1:], ta["t"][1:], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(tb["df"][1:], ta["df"][1:], rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(b.icc, a.icc, rtol=1e-5, atol=1e-8)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), perm=st.integers(0, 10_000))
def test_row_permutation(seed, perm):
    d = _panel(seed, 10, 4)
    p = d.sample(frac=1.0, random_state=perm)
    a = mixed_model(d, "y", ["wave", "x"], "g")
    b = mixed_model(p, "y", ["wave", "x"], "g")
    for col in ["estimate", "se", "df", "t", "p", "n", "n_groups"]:
        np.testing.assert_allclose(b.table[col], a.table[col], rtol=1e-6, atol=1e-9, err_msg=col)
    np.testing.assert_allclose(b.anova["den_df"], a.anova["den_df"], rtol=1e-6)
    np.testing.assert_allclose(b.deviance, a.deviance, rtol=1e-12)


def test_fixtures_regenerate_identically(regenerates_identically):
    regenerates_identically(FIX, "make_mixed.R", "lme4/lmerTest/jsonlite")


def test_nested_boundary_is_exactly_zero():
    """lme4 stops at θ_family ≈ 1e-8 (variance ~1e-16); we report the boundary as exactly 0."""
    res = fit("nested_boundary")
    v = res.variance.set_index("group")
    assert res.theta[0] == 0.0 and v.loc["family", "variance"] == 0.0
    assert v.loc["person", "variance"] > 0 and res.singular


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(perm=st.integers(0, 10_000), relabel=st.booleans())
def test_nested_row_permutation_and_labels(perm, relabel):
    """Shuffling rows, and renaming persons (labels unique only within a family) or making
    them globally unique, changes nothing."""
    d = NESTED.sample(frac=1.0, random_state=perm)
    if relabel:
        d = d.assign(person=d["family"] + "-" + d["person"])
    a = fit("nested_reml")
    b = mixed_model(d, "y", ["wave", "role", "x"], ["family", "person"], reference={"role": "kind"})
    for col in ["estimate", "se", "df", "n", "n_groups"]:
        np.testing.assert_allclose(b.table[col], a.table[col], rtol=1e-6, atol=1e-9, err_msg=col)
    np.testing.assert_allclose(b.variance["variance"], a.variance["variance"], rtol=1e-6)
    assert b.n_groups == a.n_groups


def test_interaction_rows_and_labels():
    res = fit("waves_inter")
    t = res.table.set_index("term")
    used = WAVES.dropna(subset=["y", "age"])
    cell = (used["wave"] == "T2") & (used["sex"] == "meisje")
    assert t.loc["wave[T2]:sex[meisje]", "n"] == cell.sum()
    assert t.loc["sex[meisje]:age", "n"] == (used["sex"] == "meisje").sum()
    labels = res.spss_table().index.tolist()
    assert "[wave=T2]*[sex=meisje]" in labels and labels[-1] == "[sex=meisje]*age"
    assert res.apa(term="wave:sex").startswith("F(4, ")


def test_bad_interaction_named():
    with pytest.raises(DataValidationError, match="wave \\* group"):
        mixed_model(WAVES, "y", ["wave"], "person", interactions=[("wave", "group")])
