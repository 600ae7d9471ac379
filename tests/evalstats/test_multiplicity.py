"""evalstats.multiplicity against R's p.adjust (fixture written by
tests/fixtures/inference/make_padjust.R) and its invariants."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalstats.multiplicity import METHODS, adjust_p, multiple_tests

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "inference" / "padjust.json"
REF = {k: v for k, v in json.loads(FIX.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def _arr(x):
    return np.atleast_1d(np.asarray([np.nan if v == "NaN" else v for v in np.atleast_1d(x)], float))


@pytest.mark.parametrize("family", sorted(REF))
@pytest.mark.parametrize("method", METHODS)
def test_adjust_p_equals_r_p_adjust(family, method):
    # R prints 15 significant digits: relative tolerance 1e-13
    ref = REF[family]
    got = adjust_p(_arr(ref["p"]), method)
    np.testing.assert_allclose(got, _arr(ref[method]), rtol=1e-13, atol=1e-300)


def test_nan_kept_out_of_the_family_and_counted():
    p = [0.02, np.nan, 0.001, 0.3]
    np.testing.assert_allclose(adjust_p(p, "bonferroni"), [0.06, np.nan, 0.003, 0.9])
    mt = multiple_tests(p, ["a", "b", "c", "d"])
    assert (mt.m, mt.n_nan) == (3, 1)
    assert list(mt.table.columns) == ["test", "p", "p_holm", "p_bh"]
    assert mt.spss_table("nl")["Sig. Holm"].tolist() == [",040", "", ",003", ",300"]
    assert "1 toets zonder p niet meegeteld" in mt.apa("nl")


def test_bad_input():
    with pytest.raises(ValueError, match="method must be one of"):
        adjust_p([0.1], "sidak")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        adjust_p([0.1, 1.5])
    with pytest.raises(ValueError, match="2 labels for 3"):
        multiple_tests([0.1, 0.2, 0.3], ["a", "b"])
    assert adjust_p([], "holm").shape == (0,)


pvals = st.lists(st.one_of(st.floats(0, 1), st.just(float("nan"))), min_size=1, max_size=30)


@settings(max_examples=80, deadline=None)
@given(pvals, st.randoms(use_true_random=False))
def test_adjustment_invariants(p, rnd):
    p = np.asarray(p, float)
    ok = ~np.isnan(p)
    adj = {m: adjust_p(p, m) for m in METHODS}
    for m, a in adj.items():
        assert np.array_equal(np.isnan(a), ~ok)
        assert np.all(a[ok] >= p[ok] - 1e-15) and np.all(a[ok] <= 1)
        # the adjusted values keep the order of the unadjusted ones
        o = np.argsort(p[ok], kind="stable")
        assert np.all(np.diff(a[ok][o]) >= -1e-15)
        # the adjustment does not depend on the order of the tests
        perm = list(range(len(p)))
        rnd.shuffle(perm)
        np.testing.assert_allclose(adjust_p(p[perm], m), a[perm], rtol=1e-12)
    # Hochberg <= Holm <= Bonferroni; BH <= BY; BH <= Hochberg
    tol = 1e-12
    assert np.all(adj["hochberg"][ok] <= adj["holm"][ok] + tol)
    assert np.all(adj["holm"][ok] <= adj["bonferroni"][ok] + tol)
    assert np.all(adj["bh"][ok] <= adj["by"][ok] + tol)
    assert np.all(adj["bh"][ok] <= adj["hochberg"][ok] + tol)
