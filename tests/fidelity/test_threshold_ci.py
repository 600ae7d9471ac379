"""Threshold CIs: the t interval against scipy's closed form, the verdict rules, and the
per-group table of a scored survey."""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from fidelity import score_survey
from fidelity.instrument import Threshold
from fidelity.threshold_ci import ci_verdict, verdict_label


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=2, max_size=80), st.sampled_from([0.9, 0.95, 0.99]))
def test_ci_equals_scipy_t_interval(answers, conf):
    x = np.asarray(answers, float)
    m, sd, n = x.mean(), x.std(ddof=1), len(x)
    r = ci_verdict(m, sd, n, 4.0, conf)
    if sd == 0:
        assert r["ci_low"] == r["ci_high"] == m
    else:
        lo, hi = stats.t.interval(conf, n - 1, loc=m, scale=stats.sem(x))
        np.testing.assert_allclose([r["ci_low"], r["ci_high"]], [lo, hi], rtol=1e-12)  # closed form
    # the verdict follows the interval; the share lies in [0, 1] and is 1 (0) when met (not met)
    assert 0 <= r["share_above"] <= 1
    if r["verdict"] == "met":
        assert r["ci_low"] >= 4.0 and r["share_above"] == 1
    elif r["verdict"] == "not met":
        assert r["ci_high"] < 4.0 and r["share_above"] == 0
    else:
        assert r["ci_low"] < 4.0 <= r["ci_high"]


def test_same_mean_different_n():
    # 4.02 from 6 respondents is undecided; met needs the whole interval above 4.0
    assert ci_verdict(4.02, 0.5, 6, 4.0)["verdict"] == "undecided"
    assert ci_verdict(4.02, 0.05, 60, 4.0)["verdict"] == "met"
    assert ci_verdict(3.5, 0.3, 60, 4.0)["verdict"] == "not met"
    # share above: (hi - 4) / (hi - lo)
    r = ci_verdict(4.02, 0.5, 6, 4.0)
    assert math.isclose(r["share_above"], (r["ci_high"] - 4.0) / (r["ci_high"] - r["ci_low"]))
    # an exclusive threshold: a lower limit exactly at it does not meet it
    assert ci_verdict(4.0, 0.0, 10, Threshold(value=4.0, inclusive=False))["verdict"] == "not met"
    assert ci_verdict(4.0, 0.0, 10, 4.0)["verdict"] == "met"
    # no interval without two answers
    one = ci_verdict(4.5, float("nan"), 1, 4.0)
    assert one["verdict"] == "undecided" and math.isnan(one["ci_low"])
    with pytest.raises(ValueError, match="conf"):
        ci_verdict(4.0, 1.0, 10, 4.0, conf=95)
    assert verdict_label("not met", "nl") == "niet gehaald"


def test_survey_groups_against_scipy():
    with resources.as_file(resources.files("fidelity") / "data" / "reset_survey.csv") as f:
        data = pd.read_csv(f)
    sc = score_survey(data, "reset", groups=["organisation"])
    ci = sc.threshold_ci("organisation", "category")
    t = ci.table
    assert set(t["grouping"]) == {"Total", "organisation"}
    scale = next(s for s in sc.scale_stats.itertuples() if s.level == "category" and s.threshold == s.threshold)
    for r in t[t["variable"] == scale.variable].itertuples():
        x = sc.scores[scale.variable] if r.group == "Total" else (
            sc.scores.loc[sc.scores["organisation"] == r.group, scale.variable])
        x = x.dropna().to_numpy(float)
        lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
        np.testing.assert_allclose([r.ci_low, r.ci_high], [lo, hi], rtol=1e-10)
    # the plain verdict is kept beside the interval's
    gs = sc.group_stats
    plain = gs[(gs["level"] == "category")].set_index(["group", "variable"])["meets_threshold"]
    for r in t.itertuples():
        assert r.meets_threshold == bool(plain.loc[(r.group, r.variable)])
    assert "undecided" in ci.apa() and "onbeslist" in ci.apa("nl")
    with pytest.raises(KeyError, match="team"):
        sc.threshold_ci("team")
