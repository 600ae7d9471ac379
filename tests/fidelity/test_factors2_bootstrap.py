"""Bootstrap of PCA / workflow results: the batched refit equals fidelity.pca, alignment, CIs."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fidelity import cronbach_alpha, exploratory_factors, factors_per_principle, pca
from fidelity.factors.bootstrap import (
    _align,
    _batch_corr,
    _batch_oblimin,
    _batch_pca,
    bootstrap_pca,
)
from fidelity.factors.reliability import alpha_from_cov_batch

sys.path.insert(0, str(Path(__file__).parent))
from factors2_synth import planted_likert  # noqa: E402


def _data(n=71, seed=3):
    lam = np.zeros((12, 3))
    lam[0:4, 0] = 0.75
    lam[4:8, 1] = 0.7
    lam[8:12, 2] = 0.65
    lam[11, 2] = 0.15  # a weak item: unstable
    return planted_likert(lam, n, seed, [f"Q{i + 1}" for i in range(12)], points=7)


@pytest.mark.parametrize("delta,normalize", [(0.0, True), (0.0, False), (-0.5, True)])
def test_batched_refit_equals_pca_on_the_same_rows(delta, normalize):
    # tolerance 1e-8: the same gradient-projection steps, vectorised
    d = _data()
    x = d.to_numpy(float)
    idx = np.random.default_rng(0).integers(0, len(x), size=(4, len(x)))
    _cov, r, ok = _batch_corr(x[idx])
    assert ok.all()
    pat, phi, conv = _batch_oblimin(_batch_pca(r, 3), delta, normalize)
    assert conv.all()
    for b in range(4):
        ref = pca(pd.DataFrame(x[idx[b]], columns=d.columns), n_components=3, delta=delta,
                  normalize=normalize)
        np.testing.assert_allclose(pat[b], ref.pattern.to_numpy(), atol=1e-8)
        np.testing.assert_allclose(phi[b], ref.phi.to_numpy(), atol=1e-8)
        np.testing.assert_allclose(r[b], ref.correlation.to_numpy(), atol=1e-12)


def test_alignment_undoes_permutation_and_reflection():
    res = pca(_data(), n_components=3)
    p0, phi0 = res.pattern.to_numpy(), res.phi.to_numpy()
    perm, sign = [2, 0, 1], np.array([-1.0, 1.0, -1.0])
    shuffled = p0[:, perm] * sign
    phis = phi0[np.ix_(perm, perm)] * np.outer(sign, sign)
    ap, aphi, cong = _align(shuffled[None], phis[None], p0)
    np.testing.assert_allclose(ap[0], p0, atol=1e-14)
    np.testing.assert_allclose(aphi[0], phi0, atol=1e-14)
    np.testing.assert_allclose(cong[0], 1.0)


def test_batched_alpha_equals_cronbach_alpha():
    d = _data()
    cov = np.stack([d.iloc[:40].cov().to_numpy(), d.iloc[30:].cov().to_numpy()])
    got = alpha_from_cov_batch(cov)
    assert got[0] == pytest.approx(cronbach_alpha(d.iloc[:40]).alpha, abs=1e-12)
    assert got[1] == pytest.approx(cronbach_alpha(d.iloc[30:]).alpha, abs=1e-12)


def test_bootstrap_pca_intervals_and_stability():
    d = _data()
    res = pca(d, n_components=3)
    b = bootstrap_pca(res, d, n=300, seed=42)
    assert b.n == 300 and b.n_failed == 0
    assert len(b.loadings) == 36 and len(b.phi) == 3
    assert (b.loadings["lower"] <= b.loadings["upper"]).all()
    # the estimates of the salient loadings lie inside their intervals
    strong = b.loadings[b.loadings["estimate"].abs() > 0.5]
    assert ((strong["lower"] <= strong["estimate"]) & (strong["estimate"] <= strong["upper"])).all()
    st = b.stability.set_index("item")["share"]
    assert st.drop("Q12", errors="ignore").min() > 0.8
    # reproducible with a seed, different with another
    again = bootstrap_pca(res, d, n=300, seed=42)
    pd.testing.assert_frame_equal(b.loadings, again.loadings)
    other = bootstrap_pca(res, d, n=300, seed=43)
    assert not np.allclose(b.loadings["lower"], other.loadings["lower"])
    for a in b.alpha.itertuples():
        assert a.lower < a.estimate < a.upper
    assert b.spss_table().shape == (12, 3)
    assert "300 bootstrap resamples" in b.apa() and "steekproeven" in b.apa("nl")


def test_bootstrap_workflow_per_principle():
    d = _data()
    wf = factors_per_principle(d, {"P": [f"Q{i}" for i in range(1, 9)],
                                   "R": ["Q9", "Q10", "Q11", "Q12"]})
    b = wf.bootstrap(n=200, seed=1)
    assert set(b.alpha["factor"]) == set(wf.factors["factor"])
    assert set(b.loadings["group"]) == {"P", "R"}
    assert set(b.stability["item"]) == {i for its in wf.factors["items"] for i in its}
    est = b.alpha.set_index("factor")["estimate"]
    for f in wf.factors.itertuples():
        assert est[f.factor] == pytest.approx(f.alpha)


def test_bootstrap_exploratory_and_errors():
    d = _data()
    b = exploratory_factors(d).bootstrap(n=100, seed=0)
    assert b.n == 100 and b.congruence["median"].min() > 0.8
    with pytest.raises(ValueError, match="at least 2"):
        bootstrap_pca(pca(d), d, n=1)
    with pytest.raises(ValueError, match="varimax"):
        bootstrap_pca(pca(d, rotation="varimax"), d, n=10)
