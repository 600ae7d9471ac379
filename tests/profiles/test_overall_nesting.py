"""The overall analysis defaults to cluster-robust inference over practitioners."""

import numpy as np
import pandas as pd
import pytest

import evalstats
from profiles import ModelSpec, overall_analysis


def data(n_prac=25, n=150, seed=3):
    rng = np.random.default_rng(seed)
    prac = rng.integers(0, n_prac, n)
    cases = pd.DataFrame({"case": range(n), "practitioner": [f"P{p}" for p in prac],
                          "team": rng.choice(["T1", "T2"], n), "F1": rng.normal(size=n)})
    score = np.clip(np.round(3 + cases["F1"] * 0.8 + rng.normal(size=n_prac)[prac]), 1, 5)
    goals = pd.DataFrame({"case": range(n), "goal": "g1", "category": "child-1", "score": score})
    return cases, goals


def test_auto_uses_practitioners_and_matches_factorial_anova():
    cases, goals = data()
    res = overall_analysis(cases, goals, screen=["team"], model=ModelSpec(covariates=["F1"]))
    row = res.table.iloc[-1]
    ref = evalstats.factorial_anova(res.frames["child-1"], "result", covariates=["F1"],
                                    cluster="practitioner")
    cm = ref.table.set_index("source").loc["Corrected Model"]
    # the same computation: equal to rounding
    np.testing.assert_allclose([row.F_robust, row.df2_robust, row.p_robust],
                               [cm.F_robust, cm.df2_robust, cm.p_robust], rtol=1e-12)
    assert row.n_clusters == 25
    assert row.design_effect == pytest.approx(ref.cluster.info.design_effect, rel=1e-12)
    nl = res.spss_table("nl")
    assert list(nl.columns[-7:]) == ["df2 (CR2)", "Sig. (CR2)", "Clusters", "ICC", "Designeffect",
                                     "N", "N weggelaten"]
    assert "clusterrobuust" in res.report("nl")


def test_too_few_practitioners_or_off_treats_cases_as_independent():
    cases, goals = data(n_prac=10)
    res = overall_analysis(cases, goals, screen=["team"], model=ModelSpec(covariates=["F1"]))
    assert np.isnan(res.table.iloc[-1].p_robust)
    assert "10 clusters of practitioner, fewer than the 20" in res.table.iloc[-1].note
    assert "Clusters" not in res.spss_table().columns
    cases, goals = data()
    off = overall_analysis(cases, goals, screen=["team"], model=ModelSpec(covariates=["F1"]),
                           cluster=None)
    assert np.isnan(off.table.iloc[-1].p_robust) and off.table.iloc[-1].note == ""
    with pytest.raises(KeyError, match="praktijk"):
        overall_analysis(cases, goals, screen=["team"], cluster="praktijk")


def test_case_without_practitioner_is_named_in_the_note():
    cases, goals = data()
    cases.loc[4, "practitioner"] = None
    res = overall_analysis(cases, goals, screen=["team"], model=ModelSpec(covariates=["F1"]))
    assert "1 case(s) without a value of practitioner" in res.table.iloc[-1].note
    assert res.table.iloc[-1].n_used == 150
