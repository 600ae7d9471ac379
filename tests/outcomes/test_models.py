"""Wave models against lme4 + lmerTest (tests/fixtures/waves/make_waves.R on the frames of
make_frames.py): estimates and SEs to 1e-4 relative, Satterthwaite df to 1e-2 relative."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import outcomes
from outcomes.models import DEFAULT_COVARIATES
from zorgeval.synthetic import make_buitenshuis

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "waves"
R_TERMS = {"(Intercept)": "(Intercept)", "waveT1": "wave[T1]", "waveT2": "wave[T2]",
           "waveT3": "wave[T3]", "waveT4": "wave[T4]", "age": "age", "sexgirl": "sex[girl]",
           "financial_strainyes": "financial_strain[yes]"}


@pytest.fixture(scope="module")
def data():
    m = make_buitenshuis(seed=2024)["measurements"]
    return m, outcomes.validate_waves(m)


def _fit(data, iid, scale="total"):
    m, waves = data
    inst = outcomes.get_outcome_instrument(iid)
    rows = m["role"] == inst.respondent
    return outcomes.wave_model(waves.subset(rows), outcomes.score_outcomes(m[rows], iid), scale)


@pytest.mark.parametrize("iid", ["pedsql", "who5"])
def test_wave_model_matches_lmer(data, iid):
    ref = pd.read_csv(FIX / "lmer_waves.csv")
    ref = ref[ref["model"] == f"{iid}_total"]
    fixed = ref[~ref["term"].str.startswith("var:")].assign(term=lambda r: r["term"].map(R_TERMS))
    res = _fit(data, iid)
    ours = res.table.set_index("term").loc[fixed["term"]]
    for col, rtol in (("estimate", 1e-4), ("se", 1e-4), ("t", 1e-4), ("df", 1e-2)):
        np.testing.assert_allclose(ours[col].to_numpy(float), fixed[col].to_numpy(float),
                                   rtol=rtol, err_msg=col)
    np.testing.assert_allclose(ours["p"].to_numpy(float), fixed["p"].to_numpy(float),
                               rtol=1e-2, atol=1e-8)
    var = ref[ref["term"] == "var:family"]["estimate"].iloc[0]
    got = res.model.variance.set_index("group").loc["family", "variance"]
    assert got == pytest.approx(var, rel=1e-3)


def test_the_fixture_frames_are_what_the_layer_builds(data):
    m, waves = data
    for name, cov in (("pedsql_total", DEFAULT_COVARIATES["child"]),
                      ("who5_total", DEFAULT_COVARIATES["parent"])):
        iid = name.split("_")[0]
        inst = outcomes.get_outcome_instrument(iid)
        rows = m["role"] == inst.respondent
        frame = outcomes.wave_model_frame(waves.subset(rows),
                                          outcomes.score_outcomes(m[rows], iid), "total", cov)
        fixture = pd.read_csv(FIX / f"{name}.csv")
        assert len(frame) == len(fixture)
        np.testing.assert_allclose(frame["score"].to_numpy(), fixture["score"].to_numpy())


def test_n_per_row_as_appendix_2(data):
    res = _fit(data, "pedsql")
    n = res.table.set_index("term")["n"]
    assert n[["(Intercept)", "wave[T1]", "wave[T2]", "wave[T3]", "wave[T4]"]].tolist() == [
        71, 60, 42, 34, 21]
    assert n["sex[girl]"] == n["age"] == res.frame["person"].nunique()
    who = _fit(data, "who5")
    dropped = who.model.n_dropped
    assert dropped > 0  # unknown financial strain: left out, counted
    assert who.model.n_used + dropped == len(who.frame)


def test_tables_in_both_languages(data):
    res = _fit(data, "who5")
    nl = res.spss_table("nl")
    assert nl.iloc[:, 0].tolist() == ["(Intercept)", "T1", "T2", "T3", "T4", "Leeftijd",
                                      "Rondkomen moeilijk (ja)"]
    assert list(nl.columns) == ["", "Schatting", "SE", "df", "t", "p", "n"]
    assert nl.loc[0, "p"] == "" and "," in nl.loc[1, "Schatting"]
    en = res.spss_table("en")
    assert en.iloc[-1, 0] == "Financial strain (yes)"
    assert en.loc[1, "p"].endswith("***")
    assert res.apa("en").startswith("Well-being (WHO-5), vs T0: T1: b = ")
    assert res.apa("nl").startswith("Welbevinden (WHO-5), t.o.v. T0: T1: b = ")
