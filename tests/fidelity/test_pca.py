"""PCA and rotations checked against R (psych 2.2.9, GPArotation 2022.10.2) and closed forms.

Reference values come from ``tests/fixtures/factors/make_pca.R`` (committed beside its output).
Unless stated otherwise values must agree to an absolute tolerance of 1e-6; "up to column order
and sign" means the components are matched by permutation and reflection before comparing.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evalstats.errors import ConvergenceWarning, DataValidationError, SingularMatrixError
from fidelity import oblimin, parallel_analysis, pca, varimax
from fidelity.factors.pca import PRESETS

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "factors"
REF = json.loads((FIX / "pca_reference.json").read_text())
TOL = 1e-6


def load(name: str) -> pd.DataFrame:
    if name == "harman74":
        return pd.read_csv(FIX / "harman74_cor.csv", index_col=0)
    return pd.read_csv(FIX / f"{name}.csv")


def match_columns(ours: np.ndarray, theirs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Permutation and signs that map our columns onto theirs (best absolute agreement)."""
    k = ours.shape[1]
    best = None
    for perm in itertools.permutations(range(k)) if k <= 6 else [None]:
        if perm is None:  # greedy for many columns
            perm, used = [], set()
            for j in range(k):
                d = [
                    np.inf if i in used else min(
                        np.abs(ours[:, i] - theirs[:, j]).max(),
                        np.abs(ours[:, i] + theirs[:, j]).max(),
                    )
                    for i in range(k)
                ]
                perm.append(int(np.argmin(d)))
                used.add(perm[-1])
        perm = np.array(perm)
        signs = np.sign(np.sum(ours[:, perm] * theirs, axis=0))
        signs[signs == 0] = 1
        err = np.abs(ours[:, perm] * signs - theirs).max()
        if best is None or err < best[0]:
            best = (err, perm, signs)
    return best[1], best[2]


def assert_same_up_to_order_sign(ours, theirs, ours_phi=None, theirs_phi=None, tol=TOL):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    perm, signs = match_columns(ours, theirs)
    np.testing.assert_allclose(ours[:, perm] * signs, theirs, atol=tol, rtol=0)
    if ours_phi is not None:
        phi = np.asarray(ours_phi)[np.ix_(perm, perm)] * np.outer(signs, signs)
        np.testing.assert_allclose(phi, np.asarray(theirs_phi), atol=tol, rtol=0)


DATASETS = ["reset10", "np27", "nearsingular", "harman74"]


def run_pca(name, **kw):
    ref = REF[name]
    data = load(name)
    if name == "harman74":
        kw.setdefault("n_obs", ref["n_obs"])
    return pca(data, n_components=ref["n_components"], **kw)


# ---- rotation against GPArotation ------------------------------------------------------------
ROT_CASES = [
    ("oblimin_normalized", {"normalize": True}),
    ("oblimin_raw", {"normalize": False}),
    ("oblimin_gam05", {"normalize": True, "delta": 0.5}),
    ("oblimin_gam_neg1", {"normalize": True, "delta": -1.0}),
]


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("case,kw", ROT_CASES)
def test_oblimin_matches_gparotation(name, case, kw):
    ref = REF[name][case]
    if not ref["convergence"]:
        # GPArotation did not converge either: both stop at the limit of 1000 steps and warn
        with pytest.warns(ConvergenceWarning, match="did not converge in 1000 iterations"):
            res = oblimin(np.array(REF[name]["unrotated"]), **kw)
        assert res.converged is False and res.gradient_norm >= 1e-5
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        res = oblimin(np.array(REF[name]["unrotated"]), **kw)
    # same algorithm and start: same columns, same signs. The number of steps is not compared:
    # it depends on rounding in the BLAS kernels (one step more or less on other machines).
    np.testing.assert_allclose(res.pattern, ref["loadings"], atol=TOL, rtol=0)
    np.testing.assert_allclose(res.phi, ref["Phi"], atol=TOL, rtol=0)
    assert res.converged and res.gradient_norm < 1e-5  # the default tol, GPArotation's eps


@pytest.mark.parametrize("name", DATASETS)
def test_varimax_matches_stats_varimax(name):
    # stats::varimax(normalize = TRUE, eps = 1e-14), a different algorithm for the same criterion
    res = varimax(np.array(REF[name]["unrotated"]), tol=1e-7)
    assert_same_up_to_order_sign(res.pattern.to_numpy(), np.array(REF[name]["varimax_normalized"]))


def test_factor_analyzer_agrees_without_normalization():
    from factor_analyzer.rotator import Rotator

    a = np.array(REF["reset10"]["unrotated"])
    theirs = Rotator(method="oblimin", max_iter=1000).fit_transform(a)
    np.testing.assert_allclose(oblimin(a, normalize=False).pattern, theirs, atol=TOL)


# ---- pca against psych -------------------------------------------------------------------------
@pytest.mark.parametrize("name", DATASETS)
def test_pca_psych_preset_matches_principal(name):
    ref = REF[name]
    pr = ref["principal_oblimin"]
    res = run_pca(name, preset="psych")
    np.testing.assert_allclose(res.eigenvalues, ref["eigenvalues"], atol=TOL)
    np.testing.assert_allclose(res.unrotated, ref["unrotated"], atol=TOL)
    np.testing.assert_allclose(res.communalities["extraction"], ref["communality"], atol=TOL)
    assert (res.communalities["initial"] == 1).all()
    np.testing.assert_allclose(res.pattern, pr["loadings"], atol=TOL)
    np.testing.assert_allclose(res.phi, pr["Phi"], atol=TOL)
    np.testing.assert_allclose(res.structure, pr["Structure"], atol=TOL)
    np.testing.assert_allclose(
        res.variance["rotation_total_psych"].dropna(), pr["ss_loadings"], atol=TOL
    )
    if name != "nearsingular":  # weights of a near-singular R are checked with a wider tolerance
        np.testing.assert_allclose(res.score_coefficients, pr["weights"], atol=TOL)
    else:
        np.testing.assert_allclose(res.score_coefficients, pr["weights"], rtol=1e-5, atol=1e-4)
    if "scores" in pr:
        np.testing.assert_allclose(res.scores(load(name)), pr["scores"], atol=1e-5 if name == "nearsingular" else TOL)


@pytest.mark.parametrize("name", DATASETS)
def test_pca_spss_preset_is_gparotation_in_extraction_order(name):
    res = run_pca(name)
    ref = REF[name]["oblimin_normalized"]
    np.testing.assert_allclose(res.pattern, ref["loadings"], atol=TOL)
    np.testing.assert_allclose(res.phi, ref["Phi"], atol=TOL)


@pytest.mark.parametrize("name", DATASETS)
def test_presets_differ_only_by_permutation_and_reflection(name):
    spss, psy = run_pca(name, preset="spss"), run_pca(name, preset="psych")
    assert_same_up_to_order_sign(spss.pattern.to_numpy(), psy.pattern.to_numpy(),
                                 spss.phi.to_numpy(), psy.phi.to_numpy(), tol=1e-12)
    ss = (psy.pattern**2).sum().to_numpy()
    assert np.all(np.diff(ss) <= 1e-12)
    assert np.all(psy.pattern.sum().to_numpy() > 0)
    assert set(PRESETS) == {"spss", "psych"}


@pytest.mark.parametrize("name", DATASETS)
def test_varimax_pca_matches_principal(name):
    res = run_pca(name, rotation="varimax", tol=1e-6)
    ref = np.array(REF[name]["principal_varimax"]["loadings"])
    assert_same_up_to_order_sign(res.pattern.to_numpy(), ref)
    np.testing.assert_allclose(res.phi, np.eye(res.n_components))
    v = res.variance.dropna(subset=["rotation_total"])
    np.testing.assert_allclose(v["rotation_total"].sum(), v["extraction_total"].sum())
    np.testing.assert_allclose(v["rotation_cum_pct"].iloc[-1], v["extraction_cum_pct"].iloc[-1])


@pytest.mark.parametrize("name", DATASETS)
def test_kmo_and_bartlett_match_psych(name):
    ref = REF[name]
    res = run_pca(name)
    np.testing.assert_allclose(res.kmo, ref["kmo"]["MSA"], atol=TOL)
    np.testing.assert_allclose(res.msa, ref["kmo"]["MSAi"], atol=TOL)
    b = res.bartlett
    np.testing.assert_allclose(b.chi2, ref["bartlett"]["chisq"], rtol=1e-9)
    assert b.df == ref["bartlett"]["df"]
    np.testing.assert_allclose(b.p, ref["bartlett"]["p"], rtol=1e-6, atol=1e-300)


def test_listwise_counts_and_matches():
    ref = REF["reset10_na_listwise"]
    res = pca(load("reset10_na"), n_components=3)
    assert res.n_used == ref["n_used"] == 66 and res.n_dropped == 71 - 66
    np.testing.assert_allclose(res.eigenvalues, ref["eigenvalues"], atol=TOL)
    np.testing.assert_allclose(res.pattern, ref["oblimin_normalized"]["loadings"], atol=TOL)
    np.testing.assert_allclose(res.kmo, ref["kmo"]["MSA"], atol=TOL)
    np.testing.assert_allclose(res.bartlett.chi2, ref["bartlett"]["chisq"], rtol=1e-9)
    s = res.scores(load("reset10_na"))
    assert s.isna().any(axis=1).sum() == 5


def test_pairwise_matches_psych():
    ref = REF["reset10_na_pairwise"]
    res = pca(load("reset10_na"), n_components=3, missing="pairwise", preset="psych")
    assert res.n_used == ref["n_obs"] == 71 and res.n_dropped == 0
    assert res.pairwise_n.loc["NWG4", "NWG2"] == 71 - 2
    np.testing.assert_allclose(res.eigenvalues, ref["eigenvalues"], atol=TOL)
    np.testing.assert_allclose(res.pattern, ref["loadings"], atol=TOL)
    np.testing.assert_allclose(res.phi, ref["Phi"], atol=TOL)
    np.testing.assert_allclose(res.kmo, ref["kmo"], atol=TOL)
    np.testing.assert_allclose(res.bartlett.chi2, ref["bartlett"], rtol=1e-9)


def test_variance_table_closed_forms():
    res = run_pca("reset10")
    v = res.variance
    p, k = 10, 3
    np.testing.assert_allclose(v["initial_total"].sum(), p)
    np.testing.assert_allclose(v["initial_cum_pct"].iloc[-1], 100)
    np.testing.assert_allclose(v["extraction_total"].dropna(), v["initial_total"].iloc[:k])
    assert v["extraction_total"].iloc[k:].isna().all()
    # oblique: SPSS prints totals only (squared structure loadings), no percentages
    np.testing.assert_allclose(
        v["rotation_total"].dropna(), (res.structure**2).sum().to_numpy()
    )
    assert v["rotation_pct"].isna().all()
    assert "Rotation % of Variance" not in res.spss_table(table="variance").columns


def test_kaiser_criterion_default_and_no_rotation():
    data = load("reset10")
    res = pca(data)
    assert res.n_components == int(np.sum(np.array(REF["reset10"]["eigenvalues"]) > 1))
    none = pca(data, rotation=None)
    np.testing.assert_allclose(none.pattern, REF["reset10"]["unrotated"], atol=TOL)
    assert none.rotation is None and none.method is None
    assert "without rotation" in none.apa()


def test_spss_table_sort_and_suppress_are_display_only():
    res = run_pca("reset10")
    t = res.spss_table(sort=True, suppress=0.3)
    assert (t == "").to_numpy().sum() == int((res.pattern.abs() < 0.3).to_numpy().sum())
    assert sorted(t.index) == sorted(res.pattern.index)
    assert len(res.table) == 10 * 3  # the tidy table keeps every loading
    for tab in ["structure", "phi", "unrotated", "communalities", "kmo"]:
        assert not res.spss_table("nl", table=tab).empty


def test_apa_sentence_uses_the_numbers():
    res = run_pca("reset10")
    s = res.apa()
    assert f"{res.variance['extraction_cum_pct'].iloc[2]:.1f}%" in s
    assert f"χ²({res.bartlett.df})" in s and "KMO = ." in s
    assert "KMO = ," in res.apa("nl")


def test_correlation_matrix_needs_n_obs_and_scores_standardise_own_data():
    h = load("harman74")
    with pytest.raises(ValueError, match="n_obs"):
        pca(h, n_components=4)
    bad = h.copy()
    bad.iloc[0, 0] = 0.9
    with pytest.raises(DataValidationError, match="diagonal"):
        pca(bad, n_components=4, n_obs=145)


# ---- errors -----------------------------------------------------------------------------------
def collinear_data():
    rng = np.random.default_rng(5)
    x = pd.DataFrame(rng.normal(size=(50, 4)), columns=["a", "b", "c", "d"])
    x["e"] = x["a"] + x["b"]
    x["f"] = 2 * x["c"]
    return x


def test_singular_matrix_names_items():
    res = pca(collinear_data(), n_components=2)  # extraction works on a singular matrix
    with pytest.raises(SingularMatrixError, match=r"c & f") as err:
        _ = res.kmo
    msg = str(err.value)
    assert "2 (near) linear dependencies" in msg and all(i in msg for i in "abcef")
    assert "d," not in msg.split("among the items")[1]
    with pytest.raises(SingularMatrixError):
        res.scores(collinear_data())
    with pytest.raises(SingularMatrixError):
        _ = res.bartlett


def test_near_singular_matrix_raises_where_an_inverse_is_needed():
    x = collinear_data().drop(columns=["e", "f"])
    x["s"] = x["a"] + x["b"] + np.random.default_rng(1).normal(scale=1e-7, size=len(x))
    res = pca(x, n_components=2)
    assert res.determinant < 1e-12
    with pytest.raises(SingularMatrixError, match=r"nearly so.*among the items a, b, s"):
        _ = res.score_coefficients
    # the near-singular fixture (smallest eigenvalue 1.3e-7) is still inverted, and agrees with R
    assert pca(load("nearsingular"), n_components=3).kmo > 0


def test_zero_variance_and_non_numeric_items_are_named():
    x = collinear_data()
    x["g"] = 3.0
    with pytest.raises(SingularMatrixError, match="zero variance.*g"):
        pca(x)
    y = collinear_data().astype(object)
    y.loc[3, "b"] = "drie"
    y.loc[7, "d"] = "?"
    with pytest.raises(DataValidationError) as err:
        pca(y)
    assert len(err.value.problems) == 2


def test_non_convergence_warns():
    a = np.array(REF["np27"]["unrotated"])
    with pytest.warns(ConvergenceWarning, match=r"did not converge in 2 iterations.*criterion changed"):
        res = oblimin(a, max_iter=2)
    assert res.converged is False and res.iterations == 2
    with pytest.warns(ConvergenceWarning):
        pca(load("np27"), n_components=8, max_iter=2)


def test_random_starts_report_best():
    a = np.array(REF["reset10"]["unrotated"])
    res = oblimin(a, random_starts=5, seed=3)
    assert res.n_starts == 6 and 1 <= res.n_best <= 6
    assert res.criterion == pytest.approx(min(res.criteria))
    np.testing.assert_allclose(res.pattern, REF["reset10"]["oblimin_normalized"]["loadings"], atol=1e-5)


def test_parallel_analysis():
    res = parallel_analysis(load("reset10"), n_iter=50, seed=1)
    t = res.eigenvalues
    np.testing.assert_allclose(t["observed"], REF["reset10"]["eigenvalues"], atol=TOL)
    # random eigenvalues of a correlation matrix sum to the number of items
    np.testing.assert_allclose(t["mean"].sum(), 10)
    assert (t["p95"] >= t["mean"]).all() and res.n_components == 3
    assert parallel_analysis(load("reset10"), n_iter=50, seed=1).eigenvalues.equals(t)


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript not available")
def test_live_gparotation_biquartimin():
    a = np.array(REF["harman74"]["unrotated"])
    code = (
        "library(GPArotation);a<-as.matrix(read.csv(file('stdin'),header=FALSE));"
        "r<-oblimin(a,gam=0.3,normalize=TRUE);write.table(r$loadings,sep=',',"
        "row.names=FALSE,col.names=FALSE)"
    )
    csv = "\n".join(",".join(repr(v) for v in row) for row in a.tolist())
    done = subprocess.run(["Rscript", "-e", code], input=csv, capture_output=True, text=True,
                          timeout=60)
    if done.returncode != 0 and "there is no package called" in done.stderr:
        pytest.skip("R package GPArotation not installed")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    theirs = np.array([[float(v) for v in line.split(",")] for line in out.strip().splitlines()])
    np.testing.assert_allclose(oblimin(a, delta=0.3).pattern, theirs, atol=TOL)


# ---- invariants ---------------------------------------------------------------------------------
@st.composite
def simple_structure(draw):
    seed = draw(st.integers(0, 2**31 - 1))
    k = draw(st.integers(2, 4))
    per = draw(st.integers(2, 4))
    rng = np.random.default_rng(seed)
    true = np.zeros((k * per, k))
    for j in range(k):
        true[j * per:(j + 1) * per, j] = rng.uniform(0.5, 0.9, per)
    true += rng.uniform(-0.1, 0.1, true.shape)
    q, _ = np.linalg.qr(rng.normal(size=(k, k)))
    return true @ q  # an arbitrary orthogonal rotation of a simple structure


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(simple_structure(), st.sampled_from([0.0, -0.5]), st.booleans())
@example(  # a flat criterion: at gradient norm 1e-6 phi is only determined to about 2e-5
    np.array([[-0.1473, -0.4609], [-0.1991, -0.3809], [-0.7902, 0.3737], [-0.5030, 0.3033]]),
    0.0,
    False,
)
def test_oblimin_invariants(a, delta, normalize):
    # tol 1e-6: the Armijo step rule cannot get the gradient much below 1e-7 in double precision
    res = oblimin(a, delta=delta, normalize=normalize, tol=1e-6)
    p, phi, s = res.pattern.to_numpy(), res.phi.to_numpy(), res.structure.to_numpy()
    np.testing.assert_allclose(s, p @ phi, atol=1e-12)
    np.testing.assert_allclose(np.diag(phi), 1.0)
    # communalities are unchanged: row sums of squares of A equal diag(P Φ P')
    np.testing.assert_allclose(np.einsum("ij,jk,ik->i", p, phi, p), (a**2).sum(axis=1), atol=1e-7)
    np.testing.assert_allclose(a @ res.rotation.to_numpy(), p, atol=1e-7)
    # rotating again an orthogonally equivalent form of the solution (P·chol(Φ)) changes nothing
    # beyond the convergence tolerance: the criterion agrees to 1e-10, and on flat criterion
    # surfaces a gradient norm of 1e-6 leaves loadings and Φ determined to about 1e-4
    again = oblimin(p @ np.linalg.cholesky(phi), delta=delta, normalize=normalize, tol=1e-6)
    assert again.criterion == pytest.approx(res.criterion, abs=1e-10)
    assert_same_up_to_order_sign(again.pattern.to_numpy(), p, again.phi.to_numpy(), phi, tol=1e-4)


@settings(max_examples=25, deadline=None)
@given(simple_structure())
def test_varimax_invariants(a):
    res = varimax(a, tol=1e-6)
    p = res.pattern.to_numpy()
    np.testing.assert_allclose((p**2).sum(axis=1), (a**2).sum(axis=1), atol=1e-7)
    again = varimax(p, tol=1e-6)
    np.testing.assert_allclose(again.pattern, p, atol=1e-5)
    np.testing.assert_allclose(again.criterion, res.criterion, atol=1e-10)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from(["spss", "psych"]),
       st.sampled_from(["oblimin", "varimax", None]))
def test_component_scores_correlate_as_phi(seed, preset, rotation):
    # regression scores of principal components: F = Z R⁻¹ S with S = PΦ, so that
    # cov(F) = Φ M'M Φ = Φ exactly (ddof = 1): unit variances and correlations equal to Φ
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(40, 3))
    x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(40, 9)),
                     columns=[f"x{i}" for i in range(9)])
    # an algebraic identity: it holds for any transformation, converged or not
    res = pca(x, n_components=3, rotation=rotation, preset=preset)
    s = res.scores(x)
    np.testing.assert_allclose(s.mean(), 0, atol=1e-7)
    np.testing.assert_allclose(np.cov(s.to_numpy(), rowvar=False, ddof=1), res.phi, atol=1e-9)
