"""The overall analysis: screening and factorial models against scipy/statsmodels, N and order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.anova import anova_lm

from evalstats.errors import DataValidationError
from gas import validate_goals
from profiles import ModelSpec, overall_analysis


def make(n=90, seed=11):
    rng = np.random.default_rng(seed)
    practitioners = [f"p{i}" for i in range(12)]
    cases = pd.DataFrame({
        "case": [f"c{i}" for i in range(n)],
        "profile": rng.choice(["A", "B", "C", "D"], n),
        "family_type": rng.choice(["traditional", "single_parent", "undetermined"], n, p=[.45, .45, .1]),
        "organisation": rng.choice(["O1", "O2"], n),
        "team": rng.choice(["T1", "T2", "T3"], n),
        "practitioner": rng.choice(practitioners + ["p_no_survey"], n),
    })
    scores = pd.DataFrame({"F1": rng.normal(size=12), "F2": rng.normal(size=12)}, index=practitioners)
    answers = pd.DataFrame({"LD3": rng.integers(1, 6, 12)}, index=practitioners)
    f1 = cases["practitioner"].map(scores["F1"]).fillna(0)
    base = 3.5 + 0.6 * f1 + 0.7 * (cases["profile"] == "A") - 0.5 * (cases["profile"] == "B")
    rows = []
    for i, c in enumerate(cases["case"]):
        earlier = int(np.clip(np.round(base[i] + rng.normal(0, .6)), 1, 5))
        rows.append([c, "g1", "parent-3", 1, earlier, rng.choice(["ja", "nee", None])])
        if rng.random() < 0.85:
            rows.append([c, "g2", "child-1", 1, int(np.clip(np.round(base[i] - 1 + rng.normal(0, .5)), 1, 5)), None])
            final = int(np.clip(np.round(0.5 * earlier + 0.5 * base[i] + rng.normal(0, .5)), 1, 5))
            rows.append([c, "g2", "child-1", 2, final, None])
        if rng.random() < 0.5:
            rows.append([c, "g3", "family-1a", 1, int(rng.integers(2, 6)), "nee"])
    goals = pd.DataFrame(rows, columns=["case", "goal", "category", "period", "score", "activities"])
    return cases, goals, scores, answers


def test_screening_and_factorial_against_independent_implementations():
    cases, goals, scores, answers = make()
    spec = ModelSpec(covariates=["F1", "LD3"], earlier_goals=["parent-3"], activities=["parent-3"])
    res = overall_analysis(cases, goals, goal_category="child-1", model=spec,
                           practitioner_scores=scores, answers=answers, items=["LD3"])
    assert res.link.n_unlinked == int((cases["practitioner"] == "p_no_survey").sum())
    f = res.frames["child-1"]
    # the result is the rating of the last period
    last = goals[(goals["category"] == "child-1") & (goals["period"] == 2)].set_index("case")["score"]
    pd.testing.assert_series_equal(f["result"], last.reindex(f.index).astype(float), check_names=False)
    t = res.table
    assert t["step"].tolist() == ["screen"] * 4 + ["factorial"]
    assert t["variable"].tolist()[:4] == ["profile", "family_type", "organisation", "team"]
    # one-way ANOVA of profile = scipy f_oneway (tolerance 1e-10, closed form)
    prof = t.iloc[0]
    groups = [g["result"].to_numpy() for _, g in f.groupby("profile")]
    ref = stats.f_oneway(*groups)
    assert prof["statistic"] == pytest.approx(ref.statistic, rel=1e-10)
    assert prof["p"] == pytest.approx(ref.pvalue, rel=1e-9)
    # family type: 'undetermined' counts as missing and is reported as dropped
    ft = t.iloc[1]
    assert ft["test"] == "t test"
    assert ft["n_dropped"] == int((f["family_type"].isna()).sum()) > 0
    ftf = f.dropna(subset=["family_type"])
    a, b = (g["result"].to_numpy() for _, g in ftf.groupby("family_type"))
    lev = stats.levene(a, b, center="mean").pvalue
    ref_t = stats.ttest_ind(a, b, equal_var=lev >= 0.05)
    assert abs(ft["statistic"]) == pytest.approx(abs(ref_t.statistic), rel=1e-10)
    assert ft["p"] == pytest.approx(ref_t.pvalue, rel=1e-9)
    # factorial model: significant screening variables as fixed factors, covariates as given
    sig = [v for v, p in zip(t["variable"][:4], t["p"][:4], strict=True) if p < 0.05]
    assert sig, "the simulated profile effect should be found"
    m = t.iloc[4]
    assert m["variable"] == "result ~ " + " + ".join(sig + ["F1", "LD3", "goal:parent-3", "activities:parent-3"])
    fit = res.entries[4].result
    cc = f.dropna(subset=["result", *sig, "F1", "LD3", "goal:parent-3", "activities:parent-3"]).rename(
        columns={"goal:parent-3": "earlier", "activities:parent-3": "act"})
    assert fit.n_used == len(cc) and fit.n_used + fit.n_dropped == len(f)
    formula = "result ~ F1 + LD3 + earlier + act + " + " + ".join(f"C({s}, Sum)" for s in sig)
    ols = smf.ols(formula, data=cc).fit()
    ref3 = anova_lm(ols, typ=3)
    ours = fit.table.set_index("source")
    for s in sig:
        assert ours.loc[s, "SS"] == pytest.approx(ref3.loc[f"C({s}, Sum)", "sum_sq"], rel=1e-8)
    assert ours.loc["F1", "F"] == pytest.approx(ref3.loc["F1", "F"], rel=1e-8)
    assert ours.loc["Error", "df"] == ols.df_resid


def test_order_follows_the_modules_and_subcategories_merge():
    cases, goals, scores, _ = make()
    res = overall_analysis(cases, goals, screen=["profile"], practitioner_scores=scores)
    # opvoeden (child-1) before communicatie (family-1, merged from family-1a) before huishouden (parent-3)
    assert res.categories == ["child-1", "family-1", "parent-3"]
    t = res.table
    assert t["category"].tolist() == ["child-1", "child-1", "family-1", "family-1", "parent-3", "parent-3"]
    report = res.report()
    assert report.index("== child-1") < report.index("== family-1") < report.index("== parent-3")
    assert "Rapport" not in report and "Goal" in res.spss_table().index.name
    assert res.spss_table("nl").index.name == "Doel"


def test_no_model_without_factors_or_covariates_is_reported_not_hidden():
    cases, goals, _, _ = make()
    cases = cases.assign(profile="A")
    res = overall_analysis(cases, goals, goal_category="child-1", screen=["profile"])
    t = res.table
    assert t["test"].tolist() == ["none", "none"]
    assert "nothing to compare" in t["note"].iloc[0]
    assert "no fixed factor or covariate" in t["note"].iloc[1]


def test_goal_data_object_and_rater_check():
    cases, goals, _, _ = make()
    long = goals.assign(rater="joint", level=goals["score"] - 3).drop(columns="score")
    gd = validate_goals(long, taxonomy="reset", activities="activities")
    res = overall_analysis(cases, gd, goal_category="parent-3", screen=["organisation"])
    assert res.entries[0].n_used == len(cases)
    two = pd.concat([long, long.assign(rater="practitioner")])
    with pytest.raises(DataValidationError, match="combine the raters first"):
        overall_analysis(cases, two, goal_category="parent-3", screen=["organisation"], value="level")


def test_bad_input():
    cases, goals, _, _ = make()
    with pytest.raises(DataValidationError, match="'team'"):
        overall_analysis(cases.drop(columns="team"), goals)
    with pytest.raises(KeyError, match="child-5"):
        overall_analysis(cases, goals, goal_category="child-5")


def test_empty_cells_are_warned_and_noted():
    from evalstats.glm import EmptyCellWarning

    cases = pd.DataFrame({"case": range(12), "a": list("xxxxyyyyxxyy"), "b": list("ppqqppppqqpp")})
    goals = pd.DataFrame({"case": range(12), "category": "child-1",
                          "score": [5, 4, 3, 3, 2, 1, 2, 1, 3, 2, 1, 2]})
    # cell (y, q) is empty
    with pytest.warns(EmptyCellWarning, match="goal 'child-1'"):
        res = overall_analysis(cases, goals, screen=[], model=ModelSpec(factors=["a", "b"], interactions=True))
    assert "empty cell" in res.table["note"].iloc[-1]


def test_screening_family_adjusted_and_selection_named():
    # the family is every screening test of every goal with a p; Holm and BH as R's p.adjust
    # (evalstats.multiplicity is itself tested against R; here the wiring: tolerance 1e-12)
    from evalstats.multiplicity import adjust_p

    cases, goals, scores, answers = make()
    res = overall_analysis(cases, goals, model=ModelSpec(covariates=["F1"]),
                           practitioner_scores=scores)
    t = res.table
    screens = t[t["step"] == "screen"]
    finite = screens["p"].notna()
    assert res.screening.m == int(finite.sum()) and res.screening.n_nan == int((~finite).sum())
    for col, method in (("p_holm", "holm"), ("p_bh", "bh")):
        np.testing.assert_allclose(screens[col], adjust_p(screens["p"].to_numpy(), method),
                                   rtol=1e-12)
    assert t.loc[t["step"] == "factorial", ["p_holm", "p_bh"]].isna().all().all()
    assert (screens["p_holm"][finite] >= screens["p"][finite]).all()
    # the model's selected terms are the significant (unadjusted) screening variables
    for cat in res.categories:
        sig = screens[(screens["category"] == cat) & (screens["p"] < res.alpha)]["variable"].tolist()
        model_row = t[(t["category"] == cat) & (t["step"] == "factorial")].iloc[0]
        if model_row["test"] == "factorial ANOVA":
            assert model_row["selected"] == ", ".join(sig)
    chosen = [e for e in res.entries if e.selected]
    assert chosen, "the synthetic profile effect is selected for at least one goal"
    for lang, words in (("en", "Chosen by screening on the same data"),
                        ("nl", "Gekozen door screening op dezelfde gegevens")):
        sentence = res.selection(lang)
        assert sentence.startswith(words)
        assert all(f"{v} ({e.category})" in sentence for e in chosen for v in e.selected)
        assert res.screening.apa(lang) in res.report(lang)
    # the factor score used as covariate is named as estimated, in both languages
    assert any(n.startswith("The covariates F1 are estimated factor scores") for n in res.notes)
    assert any(n.startswith("De covariaten F1 zijn geschatte factorscores") for n in res.notes_in("nl"))
    spss = res.spss_table("nl")
    assert list(spss.columns[5:10]) == ["df2", "Sig.", "Sig. Holm", "Sig. BH", "N"]
    assert spss["Sig. Holm"].str.contains(r"\.").sum() == 0  # decimal commas in Dutch


def test_no_selection_without_screening_terms():
    cases, goals, _, _ = make()
    res = overall_analysis(cases, goals, goal_category="child-1", screen=["organisation"],
                           model=ModelSpec(factors=["team"], use_screening=False))
    assert res.selection() == "" and res.table["selected"].eq("").all()
