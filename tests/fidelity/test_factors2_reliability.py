"""Cronbach's alpha and omega against R psych (fixtures from tests/fixtures/factors2/make_reliability.R)."""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalstats.errors import DataValidationError, EmptyGroupError
from fidelity import cronbach_alpha

FIX = Path(__file__).parents[1] / "fixtures" / "factors2"
SETS = ["attitude", "bfi_agree", "bfi_neuro", "likert_na"]


def _load(name):
    data = pd.read_csv(FIX / f"reliability_{name}.csv")
    ref = json.loads((FIX / f"reliability_{name}.json").read_text())
    return data, ref


@pytest.mark.parametrize("name", SETS)
def test_alpha_matches_psych(name):
    data, ref = _load(name)
    before = data.copy()
    res = cronbach_alpha(data)
    pd.testing.assert_frame_equal(data, before)  # input untouched
    assert res.n_used == ref["n_used"]
    assert res.n_dropped == ref["n_total"] - ref["n_used"]
    assert res.n_total == ref["n_total"]
    assert len(res.dropped_index) == res.n_dropped
    # closed-form statistics: agreement to rounding error
    tol = 1e-10
    assert res.alpha == pytest.approx(ref["raw_alpha"], abs=tol)
    assert res.std_alpha == pytest.approx(ref["std_alpha"], abs=tol)
    assert res.scale_mean == pytest.approx(ref["scale_mean"], abs=tol)
    assert res.scale_variance == pytest.approx(ref["scale_var"], abs=1e-8)
    s, it = res.item_statistics, res.item_total_statistics
    np.testing.assert_allclose(s["mean"], ref["item_mean"], atol=tol)
    np.testing.assert_allclose(s["sd"], ref["item_sd"], atol=tol)
    np.testing.assert_allclose(it["corrected_item_total_r"], ref["corrected_item_total"], atol=tol)
    np.testing.assert_allclose(it["squared_multiple_r"], ref["smc"], atol=tol)
    np.testing.assert_allclose(it["alpha_if_deleted"], ref["alpha_if_deleted"], atol=tol)
    np.testing.assert_allclose(it["std_alpha_if_deleted"], ref["std_alpha_if_deleted"], atol=tol)
    np.testing.assert_allclose(it["scale_mean_if_deleted"], ref["scale_mean_if_deleted"], atol=tol)
    np.testing.assert_allclose(it["scale_variance_if_deleted"], ref["scale_var_if_deleted"], atol=1e-8)


@pytest.mark.parametrize("name", SETS)
def test_omega_matches_psych_omega(name):
    # psych optimises the minres fit with optim(); we iterate principal axes to the same
    # least-squares fixed point: loadings agree to 1e-4, omega to 1e-6
    data, ref = _load(name)
    res = cronbach_alpha(data)
    assert res.omega_total == pytest.approx(ref["omega_total"], abs=1e-6)
    np.testing.assert_allclose(res.omega_loadings, ref["minres_loadings"], atol=1e-4)


def test_omega_closed_form_tau_equivalent():
    # exact one-factor correlation matrix with loadings .8 .7 .6 .5: minres recovers them and
    # omega_t = (sum l)^2 / ((sum l)^2 + sum(1 - l^2)) = 6.76 / (6.76 + 2.26)
    from fidelity.factors.reliability import omega_total

    lam = np.array([0.8, 0.7, 0.6, 0.5])
    r = np.outer(lam, lam)
    np.fill_diagonal(r, 1.0)
    w, est = omega_total(r)
    np.testing.assert_allclose(est, lam, atol=1e-8)
    assert w == pytest.approx(6.76 / (6.76 + 2.26), abs=1e-10)


def test_tables_and_text():
    data, ref = _load("bfi_agree")
    res = cronbach_alpha(data)
    assert res.table.loc[0, "n_dropped"] == 7
    rel = res.spss_table("nl")
    assert rel.iloc[0, 0] == f"{ref['raw_alpha']:.3f}".lstrip("0").replace(".", ",")
    assert list(res.spss_table(which="item_total").index) == ref["items"]
    scale = res.spss_table(which="scale")
    assert scale.loc[0, "Variance"] == f"{ref['scale_var']:.3f}"
    assert res.spss_table("nl", which="scale").columns[1] == "Variantie"
    cases = res.spss_table(which="cases")
    assert cases.loc["Excluded", "N"] == "7"
    assert "7 cases with missing answers excluded listwise" in res.apa()
    assert res.apa("nl").startswith("Cronbachs α = ,74")
    with pytest.raises(ValueError, match="which"):
        res.spss_table(which="nope")


def test_zero_variance_item_is_named():
    d = pd.DataFrame({"a": [1, 2, 3, 4], "b": [3, 3, 3, 3], "c": [2, 1, 4, 3], "z": [5, 5, 5, 5]})
    with pytest.raises(DataValidationError) as e:
        cronbach_alpha(d)
    assert [p.column for p in e.value.problems] == ["b", "z"]
    assert "'b'" in str(e.value) and "variance 0" in str(e.value)


def test_too_few_items_or_rows():
    with pytest.raises(ValueError, match=r"at least 2 items.*'only'"):
        cronbach_alpha(pd.DataFrame({"only": [1, 2, 3]}))
    with pytest.raises(EmptyGroupError):
        cronbach_alpha(pd.DataFrame({"a": [1, 2, None], "b": [1, None, 3]}))


def test_non_numeric_cells_all_listed():
    d = pd.DataFrame({"a": ["1", "x", "3", "4"], "b": [1, 2, 3, 4], "c": ["2", "3", "y", "1"]})
    with pytest.raises(DataValidationError) as e:
        cronbach_alpha(d)
    assert {(p.row, p.column) for p in e.value.problems} == {(1, "a"), (2, "c")}


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(-3, 3), st.integers(3, 6))
def test_alpha_invariants(seed, shift, k):
    # alpha is unchanged by permuting rows and by shifting an item; it never exceeds 1;
    # the standardised alpha equals the raw alpha of z-scored items
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size=(25, k)).astype(float)
    x[:, 0] += rng.integers(0, 2, size=25)  # avoid constant columns
    x[0, :] = [1 + (j % 5) for j in range(k)]
    x[1, :] = [5 - (j % 5) for j in range(k)]
    d = pd.DataFrame(x, columns=[f"i{j}" for j in range(k)])
    a = cronbach_alpha(d)
    b = cronbach_alpha(d.sample(frac=1.0, random_state=seed).assign(i0=lambda f: f.i0 + shift))
    assert a.alpha == pytest.approx(b.alpha, abs=1e-10)
    assert a.alpha <= 1.0
    z = (d - d.mean()) / d.std()
    assert cronbach_alpha(z).alpha == pytest.approx(a.std_alpha, abs=1e-10)


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R not installed")
def test_live_against_psych(tmp_path):
    # a fresh data set (not in the fixtures) through psych::alpha and psych::omega
    rng = np.random.default_rng(99)
    f = rng.normal(size=80)
    x = np.clip(np.round(3 + f[:, None] * [0.9, 0.8, 0.6, 0.5] + rng.normal(size=(80, 4))), 1, 5)
    x[rng.random(x.shape) < 0.05] = np.nan
    d = pd.DataFrame(x, columns=["w", "x", "y", "z"])
    path = tmp_path / "d.csv"
    d.to_csv(path, index=False, na_rep="NA")
    code = (
        f"suppressPackageStartupMessages(library(psych)); d <- na.omit(read.csv('{path}'));"
        "a <- alpha(d, warnings=FALSE); o <- suppressWarnings(suppressMessages("
        "omega(d, nfactors=1, plot=FALSE)));"
        "cat(sprintf('%.15g', c(nrow(d), a$total$raw_alpha, a$total$std.alpha, o$omega.tot)), sep='\\n')"
    )
    done = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, timeout=120)
    if done.returncode != 0 and "there is no package called" in done.stderr:
        pytest.skip("R package psych not installed")
    assert done.returncode == 0, done.stderr
    n, a, sa, w = (float(v) for v in done.stdout.split())
    res = cronbach_alpha(d)
    assert res.n_used == n
    assert res.alpha == pytest.approx(a, abs=1e-10)
    assert res.std_alpha == pytest.approx(sa, abs=1e-10)
    assert res.omega_total == pytest.approx(w, abs=1e-6)


def test_minres_gradient_and_optimality():
    from scipy.optimize import check_grad

    from fidelity.factors.reliability import _uls_residual

    rng = np.random.default_rng(1)
    x = rng.normal(size=(50, 6))
    x[:, 1:] += x[:, [0]] * 0.6
    r = np.corrcoef(x, rowvar=False)
    err = check_grad(lambda p: _uls_residual(p, r)[0], lambda p: _uls_residual(p, r)[1],
                     np.full(6, 0.5))
    assert err < 1e-6
    # on every fixture our least-squares criterion is at most psych's (we reach the minimum)
    for name in SETS:
        data, ref = _load(name)
        res = cronbach_alpha(data)
        rr = data.dropna().corr().to_numpy()

        def crit(lam, rr=rr):
            e = rr - np.outer(lam, lam)
            np.fill_diagonal(e, 0.0)
            return (e**2).sum()

        assert crit(res.omega_loadings.to_numpy()) <= crit(np.array(ref["minres_loadings"])) + 1e-12
