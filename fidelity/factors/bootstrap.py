"""Bootstrap confidence intervals for PCA loadings, component correlations and alphas.

SPSS gives no uncertainty for a rotated pattern matrix. :func:`bootstrap_pca` (and
``result.bootstrap()`` of the factor workflows) resamples respondents with replacement, refits
the PCA with the same items, the same number of components and the same rotation, aligns each
refit to the original solution and reports percentile intervals.

Method
------
* **Resampling**: rows are drawn with replacement from the rows the original PCA used (its
  listwise-complete rows), ``n_used`` per resample. A resample in which an item has no
  variance cannot be correlated; it is skipped and counted (``n_failed``).
* **Refit**: correlation matrix, principal components (number fixed to the original's), Kaiser
  normalization and direct oblimin by gradient projection with the original delta -- the same
  algorithm as :func:`fidelity.oblimin`, vectorised over all resamples at once (one batched
  correlation, one batched eigen-decomposition and a batched GPFoblq iteration with a
  per-resample step size). The tests check that a single resample gives the pattern of
  :func:`fidelity.pca` on the same rows.
* **Alignment**: rotated components come back in arbitrary order and sign. Each resample's
  components are matched to the original ones by maximising the sum of absolute Tucker
  congruence coefficients over all permutations (Hungarian algorithm,
  :func:`scipy.optimize.linear_sum_assignment`); each matched column is then reflected so that
  its congruence is positive. Φ is permuted and reflected alongside. (Orthogonal Procrustes is
  not used because it mixes columns of an oblique solution.)
* **Intervals**: percentile intervals of the aligned pattern loadings, of Φ and of Cronbach's
  alpha of each factor's items (alpha from the same resampled rows).
* **Stability**: per item, the share of resamples in which its largest absolute aligned loading
  is on its original component *and* reaches ``min_loading`` (default .4).
"""

from __future__ import annotations

import warnings
from contextlib import nullcontext

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from evalstats.errors import ConvergenceWarning
from evalstats.format import Lang, fmt_num
from evalstats.result import Result
from fidelity.factors.reliability import alpha_from_cov_batch

try:  # installed with scikit-learn; optional here
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover - without it BLAS keeps its own thread setting
    threadpool_limits = None


def _single_thread():
    """Limit BLAS/LAPACK to one thread: for stacks of small matrices threads only cost time."""
    return threadpool_limits(limits=1) if threadpool_limits is not None else nullcontext()

__all__ = ["BootstrapResult", "bootstrap_pca", "bootstrap_workflow"]


# -- batched numerics ----------------------------------------------------------------------
def _batch_corr(xb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Covariances and correlations of a stack of data sets ``(b, n, p)``; also a validity mask."""
    n = xb.shape[1]
    xc = xb - xb.mean(axis=1, keepdims=True)
    cov = np.einsum("bni,bnj->bij", xc, xc) / (n - 1)
    var = np.diagonal(cov, axis1=1, axis2=2)
    ok = (var > 1e-12).all(axis=1)
    sd = np.sqrt(np.where(var > 0, var, 1.0))
    r = cov / sd[:, :, None] / sd[:, None, :]
    return cov, r, ok


def _batch_pca(r: np.ndarray, k: int) -> np.ndarray:
    """Unrotated component loadings ``(b, p, k)``; columns signed to sum positive (as pca)."""
    vals, vecs = np.linalg.eigh(r)
    vals = vals[:, ::-1][:, :k]
    vecs = vecs[:, :, ::-1][:, :, :k]
    load = vecs * np.sqrt(np.clip(vals, 0.0, None))[:, None, :]
    sign = np.sign(load.sum(axis=1))
    sign[sign == 0] = 1.0
    return load * sign[:, None, :]


def _vgq(lam: np.ndarray, gam: float) -> tuple[np.ndarray, np.ndarray]:
    l2 = lam * lam
    x = l2.sum(axis=2, keepdims=True) - l2
    if gam != 0:
        x = x - gam * x.mean(axis=1, keepdims=True)
    return (l2 * x).sum(axis=(1, 2)) / 4.0, lam * x


def _batch_oblimin(a: np.ndarray, gam: float = 0.0, normalize: bool = True, tol: float = 1e-5,
                   max_iter: int = 1000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """GPArotation's GPFoblq for a stack of loading matrices; returns pattern, phi, converged."""
    b, p, k = a.shape
    if normalize:
        w = np.sqrt((a * a).sum(axis=2))
        w[w == 0] = 1.0
    else:
        w = np.ones((b, p))
    an = a / w[:, :, None]
    t = np.broadcast_to(np.eye(k), (b, k, k)).copy()
    tinv = t.copy()
    lam = an.copy()
    f, gq = _vgq(lam, gam)
    g = -np.swapaxes(np.swapaxes(lam, 1, 2) @ gq @ tinv, 1, 2)
    al = np.ones(b)
    active = np.arange(b)
    conv = np.zeros(b, dtype=bool)
    for _it in range(max_iter + 1):
        ta, ga = t[active], g[active]
        gp = ga - ta * np.einsum("bij,bij->bj", ta, ga)[:, None, :]
        s = np.sqrt((gp * gp).sum(axis=(1, 2)))
        done = s < tol
        conv[active[done]] = True
        keep = ~done
        active, gp, s, ta = active[keep], gp[keep], s[keep], ta[keep]
        if active.size == 0 or _it == max_iter:
            break
        aa = al[active] * 2.0
        fa = f[active]
        a_act = an[active]
        new_t = np.empty_like(ta)
        new_tinv = np.empty_like(ta)
        new_lam = np.empty((active.size, p, k))
        new_f = np.empty(active.size)
        new_gq = np.empty((active.size, p, k))
        pending = np.arange(active.size)
        for i in range(11):
            x = ta[pending] - aa[pending, None, None] * gp[pending]
            tt = x / np.sqrt((x * x).sum(axis=1))[:, None, :]
            ttinv = np.linalg.inv(tt)
            lm = a_act[pending] @ np.swapaxes(ttinv, 1, 2)
            ft, gqt = _vgq(lm, gam)
            ok = (fa[pending] - ft) > 0.5 * s[pending] ** 2 * aa[pending]
            take = ok | (i == 10)
            sel = pending[take]
            new_t[sel], new_tinv[sel], new_lam[sel] = tt[take], ttinv[take], lm[take]
            new_f[sel], new_gq[sel] = ft[take], gqt[take]
            aa[pending[~ok & (i < 10)]] /= 2.0
            pending = pending[~take]
            if pending.size == 0:
                break
        al[active] = aa
        t[active], tinv[active], lam[active], f[active] = new_t, new_tinv, new_lam, new_f
        g[active] = -np.swapaxes(np.swapaxes(new_lam, 1, 2) @ new_gq @ new_tinv, 1, 2)
    pattern = lam * w[:, :, None]
    phi = np.swapaxes(t, 1, 2) @ t
    return pattern, phi, conv


def _align(pat: np.ndarray, phi: np.ndarray, target: np.ndarray):
    """Permute and reflect each resample's components to match ``target`` (Tucker congruence)."""
    b, _p, k = pat.shape
    num = np.einsum("bpi,pj->bij", pat, target)
    den = np.sqrt((pat**2).sum(axis=1))[:, :, None] * np.sqrt((target**2).sum(axis=0))[None]
    cong = num / np.where(den > 0, den, 1.0)
    out_p = np.empty_like(pat)
    out_phi = np.empty_like(phi)
    best = np.empty((b, k))
    for i in range(b):
        rows, cols = linear_sum_assignment(-np.abs(cong[i]))
        perm = np.empty(k, dtype=int)
        perm[cols] = rows  # original component j <- resample component perm[j]
        sign = np.sign(cong[i, perm, np.arange(k)])
        sign[sign == 0] = 1.0
        out_p[i] = pat[i][:, perm] * sign
        out_phi[i] = phi[i][np.ix_(perm, perm)] * np.outer(sign, sign)
        best[i] = np.abs(cong[i, perm, np.arange(k)])
    return out_p, out_phi, best


def _boot_group(x, pattern0, k, delta, normalize, factors, n, rng):
    """Bootstrap one PCA. ``x``: complete rows (n_used, p); ``factors``: name -> column idx."""
    m, p = x.shape
    idx = rng.integers(0, m, size=(n, m))
    xb = x[idx]
    cov, r, ok = _batch_corr(xb)
    cov, r = cov[ok], r[ok]
    if k >= 2:
        load = _batch_pca(r, k)
        pat, phi, conv = _batch_oblimin(load, delta, normalize)
        pat, phi, cong = _align(pat, phi, pattern0)
    else:
        pat = _batch_pca(r, 1)
        s = np.sign((pat[:, :, 0] * pattern0[None, :, 0]).sum(axis=1))
        pat = pat * np.where(s == 0, 1.0, s)[:, None, None]
        phi = np.ones((pat.shape[0], 1, 1))
        conv = np.ones(pat.shape[0], dtype=bool)
        cong = np.ones((pat.shape[0], 1))
    alphas = {}
    for name, (_comp, cols) in factors.items():
        alphas[name] = alpha_from_cov_batch(cov[:, cols][:, :, cols])
    return pat, phi, alphas, int((~ok).sum()), int((~conv).sum()), cong


def _ci(a: np.ndarray, level: float):
    lo = (1 - level) / 2 * 100
    return np.percentile(a, lo, axis=0), np.percentile(a, 100 - lo, axis=0)


class BootstrapResult(Result):
    """Bootstrap percentile intervals for a PCA or a factor workflow.

    Attributes
    ----------
    loadings : pandas.DataFrame
        group, item, component, estimate (original pattern loading), lower, upper, se.
    phi : pandas.DataFrame
        group, component_1, component_2, estimate, lower, upper.
    alpha : pandas.DataFrame
        factor, group, estimate, lower, upper (Cronbach's alpha of the factor's items).
    stability : pandas.DataFrame
        group, item, factor, component, share (of valid resamples in which the item keeps its
        factor, see the module documentation).
    congruence : pandas.DataFrame
        group, component, median and 5th percentile of the matched Tucker congruence.
    n, n_failed, n_not_converged, level, seed, min_loading
        Resamples drawn, resamples skipped (an item without variance), rotations that hit the
        iteration limit (kept), interval level, seed, loading threshold of ``stability``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(80, 2))
    >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(80, 6)) * .7,
    ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> from fidelity import exploratory_factors
    >>> boot = exploratory_factors(x).bootstrap(n=50, seed=1)
    >>> boot.n, boot.level, boot.alpha["factor"].tolist()
    (50, 0.95, ['F1', 'F2'])
    """

    titles = {"en": "Bootstrap stability of the factors", "nl": "Bootstrapstabiliteit van de factoren"}

    def __init__(self, loadings, phi, alpha, stability, congruence, n, n_failed,
                 n_not_converged, level, seed, min_loading):
        self.loadings = loadings
        self.phi = phi
        self.alpha = alpha
        self.stability = stability
        self.congruence = congruence
        self.n = n
        self.n_failed = n_failed
        self.n_not_converged = n_not_converged
        self.level = level
        self.seed = seed
        self.min_loading = min_loading

    @property
    def table(self) -> pd.DataFrame:
        """The loadings with their intervals (tidy)."""
        return self.loadings

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Pattern loadings with their percentile interval, items by components, as text."""
        def cell(r):
            f = lambda v: fmt_num(v, 2, lang, leading_zero=False)  # noqa: E731
            sep = "; " if lang == "nl" else ", "
            return f"{f(r.estimate)} [{f(r.lower)}{sep}{f(r.upper)}]"

        d = self.loadings.assign(cell=[cell(r) for r in self.loadings.itertuples()])
        d = d.assign(col=d["group"].astype(str) + ":" + d["component"].astype(str))
        out = d.pivot_table(index="item", columns="col", values="cell", aggfunc="first",
                            sort=False).fillna("")
        out.columns.name = None
        return out

    def apa(self, lang: Lang = "en") -> str:
        """A sentence on the bootstrap: resamples, interval type, alpha intervals, stability.

        Examples
        --------
        >>> rng = np.random.default_rng(0)
        >>> f = rng.normal(size=(60, 2))
        >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(60, 6)) * .6,
        ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
        >>> from fidelity import exploratory_factors
        >>> print(exploratory_factors(x).bootstrap(n=200, seed=1).apa())  # doctest: +ELLIPSIS
        In 200 bootstrap resamples (200 usable; 95% percentile intervals): F1 α = ...
        """
        lvl = f"{self.level * 100:g}%"
        valid = self.n - self.n_failed
        parts = []
        for r in self.alpha.itertuples():
            f = lambda v: fmt_num(v, 2, lang, leading_zero=False)  # noqa: E731
            sep = "; " if lang == "nl" else ", "
            parts.append(f"{r.factor} α = {f(r.estimate)} [{f(r.lower)}{sep}{f(r.upper)}]")
        lo = self.stability["share"].min() * 100 if len(self.stability) else np.nan
        hi = self.stability["share"].max() * 100 if len(self.stability) else np.nan
        rng_txt = (fmt_num(lo, 1, lang) if round(lo, 1) == round(hi, 1)
                   else f"{fmt_num(lo, 1, lang)}–{fmt_num(hi, 1, lang)}")
        if lang == "nl":
            return (f"In {self.n} bootstrap-steekproeven ({valid} bruikbaar; {lvl} "
                    f"percentielintervallen): {'; '.join(parts)}. Items bleven bij hun factor in "
                    f"{rng_txt}% van de steekproeven.")
        return (f"In {self.n} bootstrap resamples ({valid} usable; {lvl} percentile intervals): "
                f"{'; '.join(parts)}. Items kept their factor in {rng_txt}% of the resamples.")


def _run(groups, n, seed, level, min_loading):
    """groups: list of (name, x, pattern0 DataFrame, phi0, delta, normalize, factors)."""
    with _single_thread():
        return _run_groups(groups, n, seed, level, min_loading)


def _run_groups(groups, n, seed, level, min_loading):
    rng = np.random.default_rng(seed)
    load_rows, phi_rows, alpha_rows, stab_rows, cong_rows = [], [], [], [], []
    n_failed = n_nc = 0
    for name, x, pat0, phi0, delta, normalize, factors, alpha0 in groups:
        p0 = pat0.to_numpy()
        k = p0.shape[1]
        pat, phi, alphas, nf, nnc, cong = _boot_group(
            x, p0, k, delta, normalize, factors, n, rng)
        n_failed += nf
        n_nc += nnc
        lo, hi = _ci(pat, level)
        se = pat.std(axis=0, ddof=1)
        comps = list(pat0.columns)
        for i, it in enumerate(pat0.index):
            for j, c in enumerate(comps):
                load_rows.append((name, it, c, p0[i, j], lo[i, j], hi[i, j], se[i, j]))
        plo, phi_hi = _ci(phi, level)
        for i in range(k):
            for j in range(i + 1, k):
                phi_rows.append((name, comps[i], comps[j], phi0[i, j], plo[i, j], phi_hi[i, j]))
        cl, _ = _ci(cong, 0.90)
        for j, c in enumerate(comps):
            cong_rows.append((name, c, float(np.median(cong[:, j])), float(cl[j])))
        a = np.abs(pat)
        top = a.argmax(axis=2)
        for fname, (comp, cols) in factors.items():
            j = comps.index(comp)
            alo, ahi = _ci(alphas[fname], level)
            alpha_rows.append((fname, name, alpha0[fname], float(alo), float(ahi)))
            for i in cols:
                keep = (top[:, i] == j) & (a[:, i, j] >= (min_loading or 0.0))
                stab_rows.append((name, pat0.index[i], fname, comp, float(keep.mean())))
    if n_nc:
        warnings.warn(
            f"{n_nc} of {n} bootstrap rotations did not converge in 1000 iterations; they are "
            "kept (see n_not_converged)",
            ConvergenceWarning,
            stacklevel=3,
        )
    return BootstrapResult(
        pd.DataFrame(load_rows, columns=["group", "item", "component", "estimate", "lower",
                                         "upper", "se"]),
        pd.DataFrame(phi_rows, columns=["group", "component_1", "component_2", "estimate",
                                        "lower", "upper"]),
        pd.DataFrame(alpha_rows, columns=["factor", "group", "estimate", "lower", "upper"]),
        pd.DataFrame(stab_rows, columns=["group", "item", "factor", "component", "share"]),
        pd.DataFrame(cong_rows, columns=["group", "component", "median", "p05"]),
        n, n_failed, n_nc, level, seed, min_loading,
    )


def _complete(data: pd.DataFrame, items: list[str]) -> np.ndarray:
    x = data[items].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    return x[~np.isnan(x).any(axis=1)]


def bootstrap_pca(pca_result, data: pd.DataFrame, n: int = 1000, seed=None, level: float = 0.95,
                  min_loading: float | None = 0.4) -> BootstrapResult:
    """Bootstrap a :func:`fidelity.pca` result: CIs of loadings and phi, item stability.

    Every item counts as belonging to the component of its largest absolute pattern loading
    in the original solution; alpha intervals are given for each such group of two or more
    items.

    Parameters
    ----------
    pca_result : fidelity.PCAResult
        An oblimin (or unrotated one-component) PCA of ``data``.
    data : pandas.DataFrame
        The data the PCA was fitted on (its item columns are used).
    n : int
        Number of resamples.
    seed : int or numpy Generator, optional
        For reproducible resamples.
    level : float
        Interval level (percentile method).
    min_loading : float or None
        Threshold of the stability share.

    Examples
    --------
    >>> from fidelity import pca
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(60, 2))
    >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(60, 6)) * .6,
    ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> b = bootstrap_pca(pca(x), x, n=200, seed=1)
    >>> bool(b.stability["share"].min() > .9), len(b.loadings)
    (True, 12)
    """
    if pca_result.method not in ("oblimin", None):
        raise ValueError(f"bootstrap_pca supports oblimin or unrotated PCAs, got "
                         f"{pca_result.method!r}")
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    items = pca_result.items
    pat0 = pca_result.pattern
    comp_of = pat0.abs().to_numpy().argmax(axis=1)
    factors, alpha0 = {}, {}
    x = _complete(data, items)
    for j, c in enumerate(pat0.columns):
        cols = list(np.flatnonzero(comp_of == j))
        if len(cols) >= 2:
            factors[str(c)] = (c, cols)
            alpha0[str(c)] = float(alpha_from_cov_batch(
                np.cov(x[:, cols], rowvar=False, ddof=1)[None])[0])
    grp = ("pca", x, pat0, pca_result.phi.to_numpy(), pca_result.delta, pca_result.normalize,
           factors, alpha0)
    return _run([grp], n, seed, level, min_loading)


def bootstrap_workflow(result, n: int = 1000, seed=None, level: float = 0.95) -> BootstrapResult:
    """Bootstrap the final PCA of every group of a factor workflow result.

    The item selection of the workflow is taken as given (the drop decisions are not
    repeated inside the resamples); the stability share uses the workflow's ``min_loading``.
    Groups draw their resamples one after another from one generator seeded with ``seed``.

    Examples
    --------
    >>> from fidelity import exploratory_factors
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(60, 2))
    >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(60, 6)) * .6,
    ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> b = exploratory_factors(x).bootstrap(n=200, seed=1)
    >>> b.alpha["factor"].tolist()
    ['F1', 'F2']
    """
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    groups = []
    s = result.settings
    for gname, res in result.pcas.items():
        items = res.items
        x = _complete(result._data, items)
        fs = result.factors[result.factors["group"] == gname]
        factors = {f.factor: (f.component, [items.index(i) for i in f.items])
                   for f in fs.itertuples()}
        alpha0 = {f.factor: f.alpha for f in fs.itertuples()}
        groups.append((gname, x, res.pattern, res.phi.to_numpy(), s["delta"], s["normalize"],
                       factors, alpha0))
    return _run(groups, n, seed, level, s["min_loading"])
