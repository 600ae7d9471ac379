"""Factorial ANOVA against R (tests/fixtures/models/make_models.R).

References: ``car::Anova(lm(...), type = 3)`` with ``contr.sum`` (and, for the design with an
empty cell, an R implementation of SPSS's estimable-function Type III), ``anova()`` for Type I,
``car::Anova(type = 2)``, Levene's test as SPSS GLM (``car::leveneTest(center = mean)`` over
the cells without covariates; with covariates the ANOVA of the absolute residuals of the model
with the cells and the covariate terms) and the marginal means by their definition. Tolerance: relative 1e-6 (absolute 1e-8 for values near zero).
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from evalstats import EmptyCellWarning, factorial_anova
from evalstats.errors import DataValidationError, EmptyGroupError
from evalstats.glm import _indicators, _parse_terms, _type3_estimable

FIX = Path(__file__).parents[1] / "fixtures" / "models"
REF = json.loads((FIX / "models.json").read_text())
RTOL, ATOL = 1e-6, 1e-8


def data(name):
    return pd.read_csv(FIX / f"{name}.csv")


def assert_consistent(table: pd.DataFrame) -> None:
    """Every identity an SPSS Tests of Between-Subjects Effects table must satisfy."""
    t = table.set_index("source")
    err = t.loc["Error"]
    effects = t.drop(index=["Error", "Total", "Corrected Total"])
    empty = effects[effects["df"] == 0]  # e.g. the Corrected Model of an intercept-only model
    assert (empty["SS"] == 0).all() and empty[
        ["MS", "F", "p", "partial_eta2"]
    ].isna().to_numpy().all()
    effects = effects[effects["df"] > 0]
    np.testing.assert_allclose(effects["MS"], effects["SS"] / effects["df"], rtol=1e-12)
    np.testing.assert_allclose(err["MS"], err["SS"] / err["df"], rtol=1e-12)
    np.testing.assert_allclose(effects["F"], effects["MS"] / err["MS"], rtol=1e-12)
    np.testing.assert_allclose(
        effects["p"], stats.f.sf(effects["F"], effects["df"], err["df"]), rtol=1e-10, atol=1e-300
    )
    np.testing.assert_allclose(
        effects["partial_eta2"], effects["SS"] / (effects["SS"] + err["SS"]), rtol=1e-12
    )
    ct, cm = t.loc["Corrected Total"], t.loc["Corrected Model"]
    np.testing.assert_allclose(ct["SS"], cm["SS"] + err["SS"], rtol=1e-10)
    assert ct["df"] == cm["df"] + err["df"]
    assert t.loc["Total", "df"] == ct["df"] + 1
    assert (effects["partial_eta2"].between(0, 1)).all()
    assert (effects["SS"] >= -1e-9).all()


def fit(*args, **kwargs):
    """factorial_anova, with every table checked for internal consistency."""
    res = factorial_anova(*args, **kwargs)
    assert_consistent(res.table)
    return res


def compare_rows(res, ref, intercept=True):
    t = res.table.set_index("source")
    # R writes an interaction's variables in formula order ("x1 * A" for our "A * x1")
    ours = {frozenset(s.split(" * ")): s for s in t.index}
    names = [
        "Intercept"
        if s == "(Intercept)"
        else "Error"
        if s == "Residuals"
        else ours[frozenset(s.split(" * "))]
        for s in ref["source"]
    ]
    for key in ("SS", "df", "F", "p"):
        if key not in ref:
            continue
        want = np.array([np.nan if v is None else v for v in ref[key]], dtype=float)
        got = t.loc[names, key].to_numpy(dtype=float)
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=key)


def check_common(res, ref, dv_values):
    t = res.table.set_index("source")
    assert res.n_used == ref["n"]
    np.testing.assert_allclose(t.loc["Error", "SS"], ref["rss"], rtol=RTOL)
    assert t.loc["Error", "df"] == ref["df_error"]
    np.testing.assert_allclose(res.r2, ref["r2"], rtol=RTOL)
    np.testing.assert_allclose(res.adj_r2, ref["adj_r2"], rtol=RTOL)
    np.testing.assert_allclose(t.loc["Corrected Total", "SS"], ref["sst"], rtol=RTOL)
    np.testing.assert_allclose(t.loc["Total", "SS"], ref["total"], rtol=RTOL)
    np.testing.assert_allclose(t.loc["Total", "SS"], (dv_values**2).sum(), rtol=1e-12)


def check_levene_emm(res, ref):
    lev = ref["levene"]
    np.testing.assert_allclose(res.levene.F, lev["F"], rtol=RTOL)
    assert (res.levene.df1, res.levene.df2) == (lev["df1"], lev["df2"])
    np.testing.assert_allclose(res.levene.p, lev["p"], rtol=RTOL)
    for f, rows in ref["emmeans"].items():
        got = res.emmeans[f]
        assert [str(v) for v in got[f]] == [r["level"] for r in rows]
        for key in ("mean", "SE"):
            want = np.array([np.nan if r[key] is None else r[key] for r in rows], dtype=float)
            np.testing.assert_allclose(got[key].to_numpy(float), want, rtol=RTOL, equal_nan=True)


CASES = {
    "anova2-factorial": ("anova2", ["factorial"], "y", ["A", "B"], ["x1"], True),
    "anova2-main": ("anova2", ["main"], "y", ["A", "B"], ["x1"], False),
    "anova2-main-nocov": ("anova2", ["main_nocov"], "y", ["A", "B"], [], False),
    "anova3-full": ("anova3", ["full"], "y", ["A", "B", "C"], ["x1", "x2"], True),
    "anova3-custom": (
        "anova3",
        ["custom"],
        "y",
        ["A", "B", "C"],
        ["x1", "x2"],
        [("A", "C"), ("A", "x1")],
    ),
    "dummies-main": (
        "anova_dummies",
        ["main"],
        "tscore",
        ["profielB", "profielC"],
        ["factor1", "factor2", "item7"],
        False,
    ),
    "dummies-interaction": (
        "anova_dummies",
        ["interaction"],
        "tscore",
        ["profielB", "profielC"],
        ["factor1"],
        True,
    ),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("ss_type", [1, 2, 3])
def test_against_r(case, ss_type):
    name, path, dv, factors, covs, inter = CASES[case]
    ref = REF[name]
    for p in path:
        ref = ref[p]
    df = data(name)
    res = fit(df, dv, factors=factors, covariates=covs, interactions=inter, ss_type=ss_type)
    kept = df[[dv, *factors, *covs]].dropna()
    check_common(res, ref, kept[dv].to_numpy(float))
    if ss_type == 3:
        compare_rows(res, ref["type3"])
        compare_rows(
            res,
            {
                "source": [r["source"] for r in ref["type3_comparison"]],
                "SS": [r["SS"] for r in ref["type3_comparison"]],
                "df": [r["df"] for r in ref["type3_comparison"]],
            },
        )
    elif ss_type == 1:
        compare_rows(res, ref["type1"])
    else:
        compare_rows(res, ref["type2"])
    check_levene_emm(res, ref)
    assert res.n_dropped == len(df) - len(kept)


def as_rows(records):
    return {k: [r[k] for r in records] for k in ("source", "SS", "df")}


def test_empty_cell_type3_from_estimable_functions():
    # R: the Goodnight construction coded independently in make_models.R (its full-cell
    # results equal car::Anova, see test_goodnight_reference_equals_car)
    ref = REF["anova_empty"]
    df = data("anova_empty")
    with pytest.warns(EmptyCellWarning, match=r"A=a3, B=b3"):
        res = fit(df, "y", factors=["A", "B"], covariates=["x1"], interactions=True)
    check_common(res, ref, df["y"].to_numpy(float))
    compare_rows(res, as_rows(ref["type3_goodnight"]))
    # Types I and II are model comparisons, unaffected by the parameterisation
    for k, key in ((1, "type1"), (2, None)):
        with pytest.warns(EmptyCellWarning):
            other = fit(
                df, "y", factors=["A", "B"], covariates=["x1"], interactions=True, ss_type=k
            )
        if key:
            compare_rows(other, ref[key])
    assert res.table.set_index("source").loc["A * B", "df"] == 3  # 4 - 1 aliased column
    assert res.aliased == ["A * B[4]"]
    assert res.empty_cells.to_dict("records") == [{"A": "a3", "B": "b3"}]
    check_levene_emm(res, ref)  # a3 and b3 not estimable (NaN), the others as R


def test_goodnight_reference_equals_car():
    # the R implementation of the estimable-function Type III reproduces car::Anova(type = 3)
    # with contr.sum when every cell is filled
    for ref in (REF["anova2"]["factorial"], REF["anova3"]["full"]):
        good = as_rows(ref["type3_goodnight"])
        np.testing.assert_allclose(good["SS"], ref["type3"]["SS"][:-1], rtol=1e-9)
        assert good["df"] == ref["type3"]["df"][:-1]


@pytest.mark.parametrize("case", ["anova2-factorial", "anova3-full", "anova3-custom"])
def test_estimable_function_type3_equals_sum_coding_with_all_cells(case):
    # the estimable-function route (used for designs with empty cells) gives car's Type III
    # when every cell is filled
    name, path, dv, factors, covs, inter = CASES[case]
    ref = REF[name]
    for p in path:
        ref = ref[p]
    df = data(name)[[dv, *factors, *covs]].dropna()
    full = {}
    for f in factors:
        levels = sorted(df[f].unique())
        full[f] = _indicators(pd.Categorical(df[f], categories=levels).codes, len(levels))
    for c in covs:
        full[c] = df[c].to_numpy(float)[:, None]
    terms = _parse_terms(factors, covs, inter)
    rows = _type3_estimable(terms, full, df[dv].to_numpy(float))
    got = pd.DataFrame(rows, columns=["source", "SS", "df"]).set_index("source")
    ours = {frozenset(s.split(" * ")): s for s in got.index}
    names = [
        "Intercept" if s == "(Intercept)" else ours[frozenset(s.split(" * "))]
        for s in ref["type3"]["source"][:-1]
    ]
    np.testing.assert_allclose(got.loc[names, "SS"], ref["type3"]["SS"][:-1], rtol=1e-7)
    assert got.loc[names, "df"].tolist() == ref["type3"]["df"][:-1]


LEVENE_DATA = pd.DataFrame(
    {
        "cov": [2, 3, 5, 7, 2, 5, 5, 2, 4, 4],
        "t1": [5, 3, 5, 7, 8, 4, 7, 4, 3, 4],
        "t2": [3, 4, 6, 7, 3, 3, 6, 2, 6, 9],
        "group": [1, 1, 1, 1, 1, 2, 2, 2, 2, 2],
    }
)
# SPSS GLM UNIANOVA, Levene's Test of Equality of Error Variances for these ten cases, as printed
# (3 decimals): (F, Sig.), df 1 and 8
LEVENE_SPSS = {
    ("t1", False): (0.619, 0.454),
    ("t2", False): (0.898, 0.371),
    ("t1", True): (0.411, 0.539),
    ("t2", True): (5.584, 0.046),
}


@pytest.mark.parametrize(("dv", "with_cov"), LEVENE_SPSS)
def test_levene_reproduces_spss_with_and_without_covariate(dv, with_cov):
    # SPSS prints 3 decimals: |ours - printed| < 5e-4; R (make_models.R: anova() of the absolute
    # lm residuals over the cells) to relative 1e-6
    res = fit(LEVENE_DATA, dv, factors=["group"], covariates=["cov"] if with_cov else [])
    f_spss, p_spss = LEVENE_SPSS[dv, with_cov]
    assert abs(res.levene.F - f_spss) < 5e-4
    assert abs(res.levene.p - p_spss) < 5e-4
    assert (res.levene.df1, res.levene.df2) == (1, 8)
    ref = REF["levene_spss"][f"{dv}_cov" if with_cov else dv]
    np.testing.assert_allclose([res.levene.F, res.levene.p], [ref["F"], ref["p"]], rtol=RTOL)


def test_levene_with_covariate_is_oneway_anova_of_absolute_ancova_residuals():
    # closed form: least-squares residuals of y on [1, group dummy, cov], scipy's one-way ANOVA
    # of their absolute values over the groups (relative 1e-10)
    d = LEVENE_DATA
    X = np.column_stack([np.ones(len(d)), d["group"] == 2, d["cov"]]).astype(float)
    y = d["t2"].to_numpy(float)
    e = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
    want = stats.f_oneway(*(np.abs(e[d["group"] == g]) for g in (1, 2)))
    res = fit(d, "t2", factors=["group"], covariates=["cov"])
    np.testing.assert_allclose(
        [res.levene.F, res.levene.p], [want.statistic, want.pvalue], rtol=1e-10
    )


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000), n=st.integers(30, 60), a=st.floats(-50, 50), b=st.floats(0.1, 20)
)
def test_levene_invariances(seed, n, a, b):
    # a covariate that is constant within the cells is absorbed by them: Levene as without
    # covariates, i.e. scipy's mean-centred Levene over the cells; an affine change of a
    # covariate leaves it unchanged (relative 1e-7)
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"g": np.arange(n) % 3, "h": (np.arange(n) // 3) % 2})
    df["x"] = rng.normal(size=n)
    df["y"] = rng.normal(size=n) + df["x"] + df["g"]
    df["cellwise"] = (df["g"] * 10 + df["h"]) ** 2
    plain = fit(df, "y", factors=["g", "h"]).levene
    cells = [df.loc[(df["g"] == i) & (df["h"] == j), "y"] for i in range(3) for j in range(2)]
    want = stats.levene(*cells, center="mean")
    np.testing.assert_allclose([plain.F, plain.p], [want.statistic, want.pvalue], rtol=1e-7)
    absorbed = fit(df, "y", factors=["g", "h"], covariates=["cellwise"]).levene
    np.testing.assert_allclose([absorbed.F, absorbed.p], [plain.F, plain.p], rtol=1e-7)
    one = fit(df, "y", factors=["g", "h"], covariates=["x"]).levene
    other = fit(df.assign(x=a + b * df["x"]), "y", factors=["g", "h"], covariates=["x"]).levene
    np.testing.assert_allclose([other.F, other.p], [one.F, one.p], rtol=1e-7)


def test_dropped_counts_per_variable():
    df = data("anova2")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = fit(df, "y", factors=["A", "B"], covariates=["x1"])
    d = res.dropped.set_index("variable")["n_missing"]
    assert d.to_dict() == {"y": 2, "A": 1, "B": 0, "x1": 3, "(any)": 5}
    assert res.n_used + res.n_dropped == len(df)


def test_input_not_modified_and_errors():
    df = data("anova2")
    before = df.copy()
    fit(df, "y", factors=["A"], covariates=["x1"])
    pd.testing.assert_frame_equal(df, before)
    bad = df.assign(x1=df["x1"].astype(object))
    bad.loc[4, "x1"] = "3,5"
    with pytest.raises(DataValidationError, match=r"row 4, column 'x1'"):
        factorial_anova(bad, "y", factors=["A"], covariates=["x1"])
    with pytest.raises(DataValidationError, match="nope"):
        factorial_anova(df, "y", factors=["A", "nope"])
    with pytest.raises(DataValidationError, match="interaction"):
        factorial_anova(df, "y", factors=["A", "B"], interactions=[("A", "Z")])
    with pytest.raises(EmptyGroupError, match="'B'"):
        factorial_anova(df[df["B"] == 1], "y", factors=["A", "B"])


def test_spss_table_and_apa():
    res = fit(data("anova2"), "y", factors=["A", "B"], covariates=["x1"], interactions=True)
    sp = res.spss_table()
    assert list(sp.index) == [
        "Corrected Model",
        "Intercept",
        "x1",
        "A",
        "B",
        "A * B",
        "Error",
        "Total",
        "Corrected Total",
    ]
    assert sp.columns[0] == "Type III Sum of Squares"
    assert sp.attrs["footnote"].startswith("a. R Squared = .")
    nl = res.spss_table("nl")
    assert nl.index[0] == "Gecorrigeerd model" and "," in nl.iloc[0, 0]
    t = res.table.set_index("source").loc["A * B"]
    want = f"F(2, 84) = {t['F']:.2f}, p = {t['p']:.3f}".replace("0.", ".")
    assert res.apa(term="A * B").startswith(want)
    assert res.apa("nl", term="A * B").startswith(f"F(2; 84) = {t['F']:.2f}".replace(".", ","))
    with pytest.raises(KeyError):
        res.apa(term="Error")


def test_balanced_types_agree():
    # in a balanced design without covariates Types I, II and III coincide
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"a": np.repeat(["x", "y", "z"], 8), "b": np.tile(np.repeat([0, 1], 4), 3)})
    df["y"] = rng.normal(size=len(df)) + (df["a"] == "y")
    tabs = [fit(df, "y", factors=["a", "b"], interactions=True, ss_type=k).table for k in (1, 2, 3)]
    for t in tabs[1:]:
        np.testing.assert_allclose(t["SS"].iloc[2:], tabs[0]["SS"].iloc[2:], rtol=1e-10)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(20, 60),
    ss_type=st.sampled_from([1, 2, 3]),
    shift=st.floats(-1e3, 1e3),
)
def test_identities_hold_on_random_designs(seed, n, ss_type, shift):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "a": rng.choice(["p", "q", "r"], n),
            "b": rng.integers(0, 2, n),
            "x": rng.normal(shift, 1 + abs(shift) / 100, n),
        }
    )
    df["y"] = rng.normal(size=n) + 0.01 * df["x"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EmptyCellWarning)
        res = fit(df, "y", factors=["a", "b"], covariates=["x"], interactions=True, ss_type=ss_type)
    assert 0 <= res.r2 <= 1


def test_covariates_only_and_intercept_only():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"y": rng.normal(size=30), "x": rng.normal(size=30)})
    res = fit(df, "y", covariates=["x"])
    slope = np.polyfit(df["x"], df["y"], 1)[0]
    r = np.corrcoef(df["x"], df["y"])[0, 1]
    np.testing.assert_allclose(res.r2, r**2, rtol=1e-10)
    np.testing.assert_allclose(
        res.parameters.set_index("parameter").loc["x", "B"], slope, rtol=1e-10
    )
    assert res.levene is None and res.emmeans == {}
    t = fit(df, "y").table.set_index("source")
    assert t.loc["Corrected Model", "SS"] == 0 and t.loc["Corrected Model", "df"] == 0
    np.testing.assert_allclose(t.loc["Intercept", "SS"], len(df) * df["y"].mean() ** 2)


def test_nested_factors_keep_intercept_df_1():
    # teams nested in organisations, both entered as factors (as a screening can select them):
    # organisation is aliased with team, so its Type III df is 0; the intercept keeps df 1 and
    # tests the unweighted grand mean of the cells, which for equal cells is the sample mean
    rng = np.random.default_rng(0)
    d = pd.DataFrame({"team": np.repeat(["A1", "A2", "B1", "B2"], 10)})
    d["org"] = d["team"].str[0]
    d["y"] = rng.normal(size=40) + (d["team"] == "A2")
    with warnings.catch_warnings():
        warnings.simplefilter("error", EmptyCellWarning)  # main effects: Type III = Type IV
        res = factorial_anova(d, "y", factors=["org", "team"])
    assert len(res.empty_cells) == 4  # (A, B1), (A, B2), (B, A1), (B, A2) still listed
    t = res.table.set_index("source")
    assert t.loc["Intercept", "df"] == 1
    assert t.loc["org", "df"] == 0
    assert t.loc["team", "df"] == 2
    # exact: SS(intercept) = N · mean² for equal cell sizes
    np.testing.assert_allclose(t.loc["Intercept", "SS"], 40 * d["y"].mean() ** 2, rtol=1e-10)
    # team's hypothesis is the within-organisation contrasts: the SS of a one-way model of team
    # after organisation, i.e. SS(team) − SS(org) of the one-way ANOVAs
    def between(col):
        m = d.groupby(col)["y"].transform("mean")
        return float(((m - d["y"].mean()) ** 2).sum())
    np.testing.assert_allclose(t.loc["team", "SS"], between("team") - between("org"), rtol=1e-10)
    assert_consistent(res.table)


def test_empty_cell_warning_only_for_interactions_with_empty_cells():
    # a main-effects model has the same Type II, III and IV hypotheses whatever cells are
    # empty: no warning, and Type III equals Type II exactly (tolerance 1e-9 relative)
    df = data("anova_empty")
    with warnings.catch_warnings():
        warnings.simplefilter("error", EmptyCellWarning)
        t3 = fit(df, "y", factors=["A", "B"], covariates=["x1"]).table.set_index("source")
        t2 = fit(df, "y", factors=["A", "B"], covariates=["x1"], ss_type=2).table
    t2 = t2.set_index("source")
    for term in ("x1", "A", "B"):
        np.testing.assert_allclose(t3.loc[term, "SS"], t2.loc[term, "SS"], rtol=1e-9)
    # an interaction of factors whose cells are all present: no warning either, although the
    # full grid with a third factor has empty cells
    rng = np.random.default_rng(3)
    d = pd.DataFrame({"a": np.tile(["p", "q"], 20), "b": np.repeat(["u", "v"], 20)})
    d["c"] = np.where(d["a"] == "p", "k", rng.choice(["k", "m"], 40))
    d["y"] = rng.normal(size=40)
    with warnings.catch_warnings():
        warnings.simplefilter("error", EmptyCellWarning)
        res = fit(d, "y", factors=["a", "b", "c"], interactions=[("a", "b")])
    assert len(res.empty_cells) > 0
    # the interaction a * c has the empty cell (p, m): warned, naming only that cell
    with pytest.warns(EmptyCellWarning, match=r"1 empty cell\(s\).*\(a=p, c=m\)"):
        fit(d, "y", factors=["a", "b", "c"], interactions=[("a", "c")])
