"""Inference for cases nested in clusters (practitioners, teams, organisations).

Cluster-robust ("sandwich") covariance matrices of linear and logistic regression coefficients
with the bias-reduced linearisation CR2 of Bell & McCaffrey (2002), as clubSandwich's
``vcovCR(type = "CR2")`` computes them (for a logistic model the working-model form of
``vcovCR`` for a ``glm``: the model matrix scaled by dμ/dη, weights 1/V(μ), response residuals,
target variance V(μ)); CR1, CR1S and CR0 as options (``sandwich::vcovCL``). Small-sample tests:
t tests of coefficients with Satterthwaite degrees of freedom (``coef_test(test =
"Satterthwaite")``) and multi-df Wald tests with the HTZ approximation of Pustejovsky & Tipton
(2018) (``Wald_test(test = "HTZ")``).

The intraclass correlation (ICC) is the one-way random-effects ANOVA estimator of the outcome,
and the design effect is Kish's ``1 + (m − 1)·ICC`` with ``m = Σ n_j² / N``, the size-weighted
mean cluster size (equal to the mean when all clusters have the same size). Random-intercept
models: a logistic one by the Laplace approximation (``lme4::glmer``, ``nAGQ = 1``) and a linear
one by REML (statsmodels' MixedLM, as ``lme4::lmer``). See ``docs/methods-nesting.md``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import linalg, optimize, special, stats

from evalstats.errors import DataValidationError, Problem
from evalstats.format import Lang, fmt_df, fmt_num, fmt_p, stat_sep

CR_TYPES = ("CR2", "CR1", "CR1S", "CR0")
MIN_CLUSTERS = 20  # clusters needed before the random-intercept model is fitted by default

__all__ = [
    "CR_TYPES",
    "MIN_CLUSTERS",
    "ClusterFit",
    "ClusterInfo",
    "ClusterRobust",
    "RandomIntercept",
    "cluster_codes",
    "cluster_for",
    "cr_linear",
    "cr_logistic",
    "design_effect",
    "fit_clusters",
    "icc_anova",
    "model_clusters",
    "random_intercept_linear",
    "random_intercept_logistic",
    "robust_footnote",
    "robust_sentence",
]


# --------------------------------------------------------------------------------------------
# clusters
# --------------------------------------------------------------------------------------------
def cluster_codes(values: pd.Series, column: str, context: str) -> tuple[np.ndarray, list]:
    """Integer codes 0..J−1 of the cluster ids of the cases a model uses, and the ids.

    Raises :class:`DataValidationError` naming ``column`` when an id is missing (naming the
    rows) or there are fewer than two clusters.

    Examples
    --------
    >>> codes, ids = cluster_codes(pd.Series(["b", "a", "b"]), "practitioner", "demo")
    >>> codes.tolist(), ids
    ([1, 0, 1], ['a', 'b'])
    """
    miss = values.isna().to_numpy()
    if miss.all():
        raise DataValidationError(
            [Problem(None, column, "no value", "a cluster id for every case used")],
            context=context,
        )
    if miss.any():
        raise DataValidationError(
            [Problem(i, column, None, "a cluster id for every case used")
             for i in values.index[miss]],
            context=context,
        )
    cat = pd.Categorical(values)
    ids = list(cat.categories)
    if len(ids) < 2:
        raise DataValidationError(
            [Problem(None, column, f"{len(ids)} cluster",
                     "at least two clusters among the cases used")],
            context=context,
        )
    return cat.codes.astype(np.int64), ids


@dataclass(frozen=True)
class ClusterInfo:
    """Number of clusters, their sizes, the ICC and the design effect of one model.

    ``icc`` is the one-way random-effects ANOVA estimator of the outcome over the clusters
    (may be negative); ``m_weighted`` is ``Σ n_j² / N``; ``design_effect`` is
    ``1 + (m_weighted − 1)·max(icc, 0)``.

    Examples
    --------
    >>> info = ClusterInfo.of(np.array([1.0, 2, 3, 4, 5, 7]), np.array([0, 0, 1, 1, 2, 2]))
    >>> info.n_clusters, round(info.icc, 4), round(info.design_effect, 4)
    (3, 0.8209, 1.8209)
    >>> info.apa()
    '3 clusters of mean size 2.0, ICC = .82, design effect = 1.82'
    """

    column: str
    n_clusters: int
    n_cases: int
    mean_size: float
    m_weighted: float
    icc: float
    design_effect: float
    n_clusters_dropped: int = 0

    @classmethod
    def of(cls, y: np.ndarray, codes: np.ndarray, column: str = "cluster",
           n_clusters_dropped: int = 0) -> ClusterInfo:
        """From the outcome and the cluster codes of the cases used."""
        sizes = np.bincount(codes)
        sizes = sizes[sizes > 0]
        n = int(sizes.sum())
        icc = icc_anova(y, codes)
        m = float((sizes.astype(float) ** 2).sum() / n)
        return cls(column, len(sizes), n, n / len(sizes), m, icc, design_effect(icc, m),
                   n_clusters_dropped)

    def apa(self, lang: Lang = "en") -> str:
        """e.g. ``24 clusters of mean size 5.1, ICC = .08, design effect = 1.35``."""
        sep = stat_sep(lang)
        icc = fmt_num(self.icc, 2, lang, leading_zero=False)
        deff = fmt_num(self.design_effect, 2, lang)
        size = fmt_num(self.mean_size, 1, lang)
        if lang == "nl":
            return f"{self.n_clusters} clusters van gemiddeld {size}{sep}ICC = {icc}{sep}designeffect = {deff}"
        return f"{self.n_clusters} clusters of mean size {size}{sep}ICC = {icc}{sep}design effect = {deff}"

    def row(self) -> dict:
        """The numbers as one row of a tidy table."""
        return {"cluster": self.column, "n_clusters": self.n_clusters, "n_cases": self.n_cases,
                "mean_size": self.mean_size, "m_weighted": self.m_weighted, "icc": self.icc,
                "design_effect": self.design_effect}


def icc_anova(y: np.ndarray, codes: np.ndarray) -> float:
    """One-way random-effects ANOVA estimator of the intraclass correlation.

    ``(MSB − MSW) / (MSB + (n₀ − 1)·MSW)`` with ``n₀ = (N − Σ n_j²/N) / (J − 1)`` (Snijders &
    Bosker 2012, sec. 3.3). NaN when there is no within-cluster variation to compare with.

    Examples
    --------
    >>> round(icc_anova(np.array([1.0, 2, 3, 4, 5, 7]), np.array([0, 0, 1, 1, 2, 2])), 4)
    0.8209
    """
    y = np.asarray(y, dtype=float)
    codes = np.asarray(codes)
    _, codes = np.unique(codes, return_inverse=True)
    n_j = np.bincount(codes).astype(float)
    J, N = len(n_j), len(y)
    if J < 2 or N <= J:
        return float("nan")
    means = np.bincount(codes, weights=y) / n_j
    msb = float((n_j * (means - y.mean()) ** 2).sum() / (J - 1))
    msw = float(((y - means[codes]) ** 2).sum() / (N - J))
    n0 = (N - (n_j**2).sum() / N) / (J - 1)
    denom = msb + (n0 - 1) * msw
    return float((msb - msw) / denom) if denom > 0 else float("nan")


def design_effect(icc: float, m: float) -> float:
    """Kish's design effect ``1 + (m − 1)·ICC`` (a negative ICC counts as 0).

    Examples
    --------
    >>> design_effect(0.1, 6.0)
    1.5
    """
    if not math.isfinite(icc):
        return float("nan")
    return 1.0 + (m - 1.0) * max(icc, 0.0)


# --------------------------------------------------------------------------------------------
# cluster-robust covariance
# --------------------------------------------------------------------------------------------
def _inv_sqrt_psd(g: np.ndarray) -> np.ndarray:
    """Symmetric inverse square root; eigenvalues ~0 (a cluster fully fitted by its own
    parameters) are left out (Moore–Penrose), as clubSandwich's ``matrix_power``."""
    ev, vec = np.linalg.eigh((g + g.T) / 2)
    tol = max(ev.max(initial=0.0), 0.0) * 1e-12 * len(ev)
    pos = ev > tol
    return (vec[:, pos] / np.sqrt(ev[pos])) @ vec[:, pos].T


@dataclass
class ClusterRobust:
    """A cluster-robust covariance matrix with what its small-sample tests need.

    Built by :func:`cr_linear` or :func:`cr_logistic`. ``vcov`` is the covariance matrix of
    the coefficients, ``n_clusters`` the number of clusters.

    Examples
    --------
    >>> X = np.column_stack([np.ones(6), [0.0, 1, 0, 1, 0, 1]])
    >>> y = np.array([1.0, 2, 2, 4, 3, 3])
    >>> cr = cr_linear(X, y, np.array([0, 0, 1, 1, 2, 2]))
    >>> cr.coef_test(["Intercept", "x"])["term"].tolist()
    ['Intercept', 'x']
    """

    vcov: np.ndarray
    beta: np.ndarray
    type: str
    n_clusters: int
    _G: list = field(repr=False, default_factory=list)  # M E_j Θ_j^{1/2}, p × n_j
    _H: np.ndarray = field(repr=False, default=None)  # M E_j U_j L, J × p × p

    @property
    def se(self) -> np.ndarray:
        """Standard errors of the coefficients."""
        return np.sqrt(np.diag(self.vcov))

    def _normalised(self, C: np.ndarray) -> tuple[list, np.ndarray, np.ndarray]:
        S = [C @ g for g in self._G]
        D = np.einsum("qp,jpk->jqk", C, self._H)
        omega = sum(s @ s.T for s in S) - np.einsum("jqk,jrk->qr", D, D)
        return S, D, omega

    def wald_test(self, C: np.ndarray) -> dict:
        """HTZ Wald test of ``C β = 0`` (Pustejovsky & Tipton 2018): ``F``, ``df1``, ``df2``,
        ``p``, the Wald statistic ``Q`` and the Hotelling ``nu``. With one row this is the
        squared Satterthwaite t test."""
        C = np.atleast_2d(np.asarray(C, dtype=float))
        q = C.shape[0]
        cb = C @ self.beta
        Q = float(cb @ linalg.solve(C @ self.vcov @ C.T, cb, assume_a="pos"))
        S, D, omega = self._normalised(C)
        r = _inv_sqrt_psd(omega)
        St = [r @ s for s in S]
        Dt = np.einsum("qr,jrk->jqk", r, D)
        B = -np.einsum("jsk,ltk->jlst", Dt, Dt)
        for j, s in enumerate(St):
            B[j, j] += s @ s.T
        total = float(np.einsum("jlst,jlts->", B, B) + (np.einsum("jlss->jl", B) ** 2).sum())
        nu = q * (q + 1) / total
        df2 = nu - q + 1
        F = max(df2 / nu, 0.0) * Q / q
        p = float(stats.f.sf(F, q, df2)) if df2 > 0 else float("nan")
        return {"F": F, "df1": q, "df2": df2, "p": p, "Q": Q, "nu": nu}

    def satterthwaite_df(self) -> np.ndarray:
        """Satterthwaite degrees of freedom of each coefficient's t test (clubSandwich)."""
        out = np.empty(len(self.beta))
        for i in range(len(self.beta)):
            g2 = np.array([float(g[i] @ g[i]) for g in self._G])
            h = self._H[:, i, :]  # J × p
            P = -(h @ h.T)
            P[np.diag_indices_from(P)] += g2
            out[i] = np.trace(P) ** 2 / (P**2).sum()
        return out

    def coef_test(self, names: Sequence[str]) -> pd.DataFrame:
        """Coefficient t tests with Satterthwaite df: ``term``, ``B``, ``SE``, ``t``, ``df``,
        ``p``."""
        se = self.se
        t = self.beta / se
        df = self.satterthwaite_df()
        return pd.DataFrame({"term": list(names), "B": self.beta, "SE": se, "t": t, "df": df,
                             "p": 2 * stats.t.sf(np.abs(t), df)})


def _cr(Xt, w, e, codes, beta, type_) -> ClusterRobust:
    """The working-model CR estimator of clubSandwich with target Θ = W⁻¹ (``inverse_var``)."""
    if type_ not in CR_TYPES:
        raise ValueError(f"type must be one of {CR_TYPES}, got {type_!r}")
    n, p = Xt.shape
    _, codes = np.unique(codes, return_inverse=True)
    J = int(codes.max()) + 1
    if J < 2:
        raise ValueError("cluster-robust variance needs at least two clusters")
    M = linalg.inv(Xt.T @ (Xt * w[:, None]))
    M = (M + M.T) / 2
    L = linalg.cholesky(M, lower=True)
    theta = 1.0 / w
    scale = {"CR0": 1.0, "CR2": 1.0, "CR1": math.sqrt(J / (J - 1)),
             "CR1S": math.sqrt(J * (n - 1) / ((J - 1) * (n - p)))}[type_]
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(J + 1))
    meat = np.zeros((p, p))
    G, H = [], np.empty((J, p, p))
    for j in range(J):
        rows = order[bounds[j] : bounds[j + 1]]
        Xj, wj, tj, ej = Xt[rows], w[rows], theta[rows], e[rows]
        st = np.sqrt(tj)
        if type_ == "CR2":
            g = st[:, None] * (np.diag(tj) - Xj @ M @ Xj.T) * st[None, :]
            A = st[:, None] * _inv_sqrt_psd(g) * st[None, :]
            E = (Xj * wj[:, None]).T @ A
        else:
            E = (Xj * wj[:, None]).T * scale
        c = E @ ej
        meat += np.outer(c, c)
        ME = M @ E
        G.append(ME * st[None, :])
        H[j] = ME @ Xj @ L
    V = M @ meat @ M
    return ClusterRobust((V + V.T) / 2, np.asarray(beta, dtype=float), type_, J, G, H)


def cr_linear(X: np.ndarray, y: np.ndarray, codes: np.ndarray, type: str = "CR2",
              beta: np.ndarray | None = None) -> ClusterRobust:
    """Cluster-robust covariance of ordinary least squares coefficients.

    ``X``: the full-rank design matrix; ``y``: the outcome; ``codes``: a cluster id per row.
    ``beta`` defaults to the least-squares fit. CR2 equals clubSandwich's ``vcovCR(lm, cluster,
    "CR2")``; CR1 = ``sandwich::vcovCL(type = "HC0")``; CR1S = ``vcovCL(type = "HC1")``; CR0 =
    ``vcovCL(type = "HC0", cadjust = FALSE)``.

    Examples
    --------
    >>> X = np.column_stack([np.ones(8), [0.0, 1, 0, 1, 0, 1, 2, 2]])
    >>> y = np.array([1.0, 2, 2, 4, 3, 3, 5, 4])
    >>> cr = cr_linear(X, y, np.array([0, 0, 1, 1, 2, 2, 3, 3]))
    >>> cr.se.round(4).tolist(), cr.satterthwaite_df().round(3).tolist()
    ([0.6006, 0.3114], [2.185, 2.427])
    >>> bool(np.isclose(cr.wald_test([[0, 1]])["F"], (cr.beta[1] / cr.se[1]) ** 2))
    True
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if beta is None:
        beta = linalg.lstsq(X, y)[0]
    e = y - X @ beta
    return _cr(X, np.ones(len(y)), e, np.asarray(codes), beta, type)


def cr_logistic(X: np.ndarray, y: np.ndarray, beta: np.ndarray, codes: np.ndarray,
                type: str = "CR2") -> ClusterRobust:
    """Cluster-robust covariance of maximum-likelihood logistic regression coefficients.

    The working-model form of clubSandwich's ``vcovCR`` for a binomial ``glm``: model matrix
    ``μ(1−μ)·X``, weights ``1/(μ(1−μ))``, response residuals ``y − μ``, target variance
    ``μ(1−μ)``. CR1/CR1S/CR0 equal ``sandwich::vcovCL`` as in :func:`cr_linear`.

    Examples
    --------
    >>> X = np.column_stack([[1.0, 2, 2, 3, 4, 5, 5, 6, 7, 3], np.ones(10)])
    >>> y = np.array([0.0, 0, 1, 0, 1, 1, 0, 1, 1, 0])
    >>> beta = np.array([0.7559, -2.8409])
    >>> cr = cr_logistic(X, y, beta, np.repeat(np.arange(5), 2))
    >>> cr.n_clusters, bool(cr.se[0] > 0)
    (5, True)
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    beta = np.asarray(beta, dtype=float)
    mu = special.expit(X @ beta)
    v = mu * (1 - mu)
    return _cr(X * v[:, None], 1.0 / v, y - mu, np.asarray(codes), beta, type)


# --------------------------------------------------------------------------------------------
# random-intercept models
# --------------------------------------------------------------------------------------------
@dataclass
class RandomIntercept:
    """A random-intercept model: ``table`` (``term``, ``B``, ``SE``, ``z`` or ``t``, ``p``),
    the intercept variance ``tau2`` (its SD ``tau``), the residual variance ``sigma2`` (π²/3 on
    the latent scale of a logistic model), the conditional ``icc``, ``loglik`` (Laplace
    approximation or REML) and ``converged``.

    Examples
    --------
    >>> RandomIntercept("logistic", pd.DataFrame(), 0.25, math.pi ** 2 / 3, -10.0, True).icc.__round__(4)
    0.0706
    """

    kind: str
    table: pd.DataFrame
    tau2: float
    sigma2: float
    loglik: float
    converged: bool

    @property
    def tau(self) -> float:
        return math.sqrt(max(self.tau2, 0.0))

    @property
    def icc(self) -> float:
        return self.tau2 / (self.tau2 + self.sigma2)

    def apa(self, lang: Lang = "en") -> str:
        """e.g. ``random intercept SD = 0.52, ICC given the predictors = .08``."""
        sep = stat_sep(lang)
        lab = "random intercept SD" if lang == "en" else "SD random intercept"
        icc = "ICC given the predictors" if lang == "en" else "ICC gegeven de predictoren"
        return (f"{lab} = {fmt_num(self.tau, 2, lang)}{sep}"
                f"{icc} = {fmt_num(self.icc, 2, lang, leading_zero=False)}")


def _laplace_parts(X, y, codes, J, beta, theta, b0):
    """Conditional modes of the spherical random effects and the Laplace deviance."""
    eta0 = X @ beta
    b = b0.copy()
    for _ in range(100):
        mu = special.expit(eta0 + theta * b[codes])
        grad = theta * np.bincount(codes, weights=y - mu, minlength=J) - b
        hess = theta**2 * np.bincount(codes, weights=mu * (1 - mu), minlength=J) + 1.0
        step = grad / hess
        b = b + step
        if np.abs(step).max() < 1e-13:
            break
    eta = eta0 + theta * b[codes]
    mu = special.expit(eta)
    ll = float(y @ eta - (np.maximum(eta, 0.0) + np.log1p(np.exp(-np.abs(eta)))).sum())
    hess = theta**2 * np.bincount(codes, weights=mu * (1 - mu), minlength=J) + 1.0
    dev = -2 * ll + float(b @ b) + float(np.log(hess).sum())
    return dev, b


def random_intercept_logistic(X: np.ndarray, y: np.ndarray, codes: np.ndarray,
                              names: Sequence[str], beta0: np.ndarray | None = None
                              ) -> RandomIntercept:
    """Random-intercept logistic regression by the Laplace approximation.

    Maximises the Laplace approximation of the marginal likelihood over the fixed effects and
    the intercept SD jointly, as ``lme4::glmer(..., nAGQ = 1)``; standard errors from the
    Hessian of that deviance over (SD, fixed effects), as ``vcov`` of a ``glmer`` fit; z tests.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> g = np.repeat(np.arange(30), 6)
    >>> x = rng.normal(size=180)
    >>> y = (rng.random(180) < 1 / (1 + np.exp(-(0.5 * x + rng.normal(size=30)[g])))).astype(float)
    >>> fit = random_intercept_logistic(np.column_stack([x, np.ones(180)]), y, g, ["x", "Constant"])
    >>> fit.converged, fit.table["term"].tolist()
    (True, ['x', 'Constant'])
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    _, codes = np.unique(np.asarray(codes), return_inverse=True)
    J = int(codes.max()) + 1
    p = X.shape[1]
    if beta0 is None:
        beta0 = np.zeros(p)
    state = {"b": np.zeros(J)}

    def dev(par):
        d, b = _laplace_parts(X, y, codes, J, par[1:], abs(par[0]), state["b"])
        if np.isfinite(d):
            state["b"] = b
        return d

    start = np.concatenate([[1.0], beta0])
    res = optimize.minimize(dev, start, method="BFGS", options={"gtol": 1e-9, "maxiter": 2000})
    par = res.x.copy()
    par[0] = abs(par[0])
    # polish with Newton steps on a central-difference Hessian
    for _ in range(5):
        g, h = _num_grad_hess(dev, par)
        if par[0] < 1e-6:  # on the boundary the SD stays at 0, the fixed effects are polished
            g, h = g[1:], h[1:, 1:]
            step = np.concatenate([[0.0], linalg.solve(h, g, assume_a="sym")])
        else:
            step = linalg.solve(h, g, assume_a="sym")
        if not np.all(np.isfinite(step)) or np.abs(step).max() < 1e-10:
            break
        par = par - step
    _, h = _num_grad_hess(dev, par, delta=1e-4)
    converged = bool(res.success or np.linalg.norm(_num_grad_hess(dev, par)[0]) < 1e-4)
    try:
        cov = linalg.inv(h / 2)
        cov_b = cov[1:, 1:] if par[0] > 1e-6 else linalg.inv(h[1:, 1:] / 2)
    except linalg.LinAlgError:
        cov_b = np.full((p, p), np.nan)
        converged = False
    beta = par[1:]
    se = np.sqrt(np.diag(cov_b))
    z = beta / se
    table = pd.DataFrame({"term": list(names), "B": beta, "SE": se, "z": z,
                          "p": 2 * stats.norm.sf(np.abs(z))})
    if not converged:
        warnings.warn("the random-intercept logistic model did not converge", stacklevel=2)
    return RandomIntercept("logistic", table, float(par[0] ** 2), math.pi**2 / 3,
                           -dev(par) / 2, converged)


def _num_grad_hess(f, x, delta=1e-4):
    """Central-difference gradient and Hessian (step ``delta``, as lme4's ``deriv12``)."""
    k = len(x)
    f0 = f(x)
    g = np.empty(k)
    h = np.empty((k, k))
    fp, fm = np.empty(k), np.empty(k)
    for i in range(k):
        e = np.zeros(k)
        e[i] = delta
        fp[i], fm[i] = f(x + e), f(x - e)
        g[i] = (fp[i] - fm[i]) / (2 * delta)
        h[i, i] = (fp[i] - 2 * f0 + fm[i]) / delta**2
    for i in range(k):
        for j in range(i):
            ei = np.zeros(k)
            ej = np.zeros(k)
            ei[i] = ej[j] = delta
            v = (f(x + ei + ej) - fp[i] - fp[j] + 2 * f0 - fm[i] - fm[j] + f(x - ei - ej))
            h[i, j] = h[j, i] = v / (2 * delta**2)
    return g, h


def random_intercept_linear(X: np.ndarray, y: np.ndarray, codes: np.ndarray,
                            names: Sequence[str]) -> RandomIntercept:
    """Random-intercept linear model by REML (statsmodels MixedLM; ``lme4::lmer`` agrees).

    Wald z tests of the fixed effects; degrees of freedom for them are left to a dedicated
    mixed-model engine.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> g = np.repeat(np.arange(25), 4)
    >>> y = 2 + rng.normal(size=25)[g] + rng.normal(size=100)
    >>> fit = random_intercept_linear(np.ones((100, 1)), y, g, ["Intercept"])
    >>> fit.kind, bool(0 < fit.icc < 1)
    ('linear', True)
    """
    from statsmodels.regression.mixed_linear_model import MixedLM

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = MixedLM(np.asarray(y, float), np.asarray(X, float), groups=np.asarray(codes)).fit(
            reml=True)
    X = np.asarray(X, float)
    _, codes = np.unique(np.asarray(codes), return_inverse=True)
    beta = np.asarray(fit.fe_params)
    tau2, sigma2 = float(np.asarray(fit.cov_re)[0, 0]), float(fit.scale)
    # (X'V⁻¹X)⁻¹ at the REML variances, as lmer's vcov: V_j⁻¹ = (I − c_j 11')/σ² per cluster
    n_j = np.bincount(codes).astype(float)
    c = tau2 / (sigma2 + n_j * tau2)
    sums = np.stack([np.bincount(codes, weights=col) for col in X.T], axis=1)  # J × k
    xtvx = (X.T @ X - (sums * c[:, None]).T @ sums) / sigma2
    se = np.sqrt(np.diag(linalg.inv(xtvx)))
    z = beta / se
    table = pd.DataFrame({"term": list(names), "B": beta, "SE": se, "z": z,
                          "p": 2 * stats.norm.sf(np.abs(z))})
    return RandomIntercept("linear", table, tau2, sigma2, float(fit.llf), bool(fit.converged))


def robust_sentence(F: float, df1: int, df2: float, p: float, lang: Lang = "en") -> str:
    """A cluster-robust F test in APA style, labelled as such.

    Examples
    --------
    >>> robust_sentence(4.1, 2, 17.3, 0.035, "nl")
    'clusterrobuust F(2; 17,30) = 4,10; p = ,035'
    """
    lab = "cluster-robust" if lang == "en" else "clusterrobuust"
    return f"{lab} F{fmt_df(df1, df2, lang=lang)} = {fmt_num(F, 2, lang)}{stat_sep(lang)}{fmt_p(p, lang)}"


def robust_footnote(fit: ClusterFit, lang: Lang = "en") -> str:
    """The footnote under a table with cluster-robust columns.

    Examples
    --------
    >>> info = ClusterInfo("practitioner", 24, 120, 5.0, 5.5, 0.08, 1.36)
    >>> robust_footnote(ClusterFit(info, None, None, pd.DataFrame()), "en")
    'Cluster-robust tests: CR2 standard errors with small-sample (Satterthwaite/HTZ) degrees of freedom, over 24 clusters of practitioner (mean size 5.0); ICC of the outcome = .08, design effect = 1.36.'
    """
    size = fmt_num(fit.info.mean_size, 1, lang)
    icc = fmt_num(fit.info.icc, 2, lang, leading_zero=False)
    deff = fmt_num(fit.info.design_effect, 2, lang)
    col = fit.info.column
    if lang == "nl":
        text = (f"Clusterrobuuste toetsen: {fit.type}-standaardfouten met vrijheidsgraden voor "
                f"kleine steekproeven (Satterthwaite/HTZ), over {fit.info.n_clusters} clusters "
                f"van {col} (gemiddelde grootte {size}); ICC van de uitkomst = {icc}; designeffect = {deff}.")
    else:
        text = (f"Cluster-robust tests: {fit.type} standard errors with small-sample "
                f"(Satterthwaite/HTZ) degrees of freedom, over {fit.info.n_clusters} clusters of "
                f"{col} (mean size {size}); ICC of the outcome = {icc}, design effect = {deff}.")
    if fit.random_intercept is not None:
        ri = fit.random_intercept
        lab = "random-intercept model" if lang == "en" else "model met random intercept"
        text += f" {lab[0].upper()}{lab[1:]}: {ri.apa(lang)}."
    return text


@dataclass
class ClusterFit:
    """What a model fitted with ``cluster=`` carries: ``info`` (:class:`ClusterInfo`),
    ``robust`` (:class:`ClusterRobust`), ``random_intercept`` (:class:`RandomIntercept` or
    None) and ``tests`` (one HTZ Wald test per row: ``source``, ``F``, ``df1``, ``df2``, ``p``).

    Examples
    --------
    >>> ClusterFit(None, None, None, pd.DataFrame()).type
    'CR2'
    """

    info: ClusterInfo
    robust: ClusterRobust | None
    random_intercept: RandomIntercept | None
    tests: pd.DataFrame
    type: str = "CR2"


def model_clusters(data: pd.DataFrame, used: pd.Index, column: str, context: str
                   ) -> tuple[np.ndarray, int]:
    """Cluster codes of the cases a model used (rows ``used`` of ``data``) and the number of
    clusters all of whose cases the model left out.

    Examples
    --------
    >>> df = pd.DataFrame({"p": ["a", "a", "b", "c"], "y": [1.0, 2.0, 3.0, None]})
    >>> codes, gone = model_clusters(df, df.index[:3], "p", "demo")
    >>> codes.tolist(), gone
    ([0, 0, 1], 1)
    """
    if column not in data.columns:
        raise DataValidationError(
            [Problem(None, column, "absent", f"a cluster column of the data (columns: {list(data.columns)})")],
            context=context,
        )
    ids = data.loc[used, column]
    codes, labels = cluster_codes(ids, column, context)
    gone = int(data[column].dropna().nunique() - len(labels))
    return codes, gone


def cluster_for(data: pd.DataFrame, column: str | None, used: Sequence[str],
                min_clusters: int = MIN_CLUSTERS) -> tuple[str | None, dict[str, str] | None]:
    """The cluster column to use for a model on the cases complete on ``used``, or None with
    the reason (English and Dutch): no such column, a case without a cluster id, or fewer than
    ``min_clusters`` clusters.

    Examples
    --------
    >>> df = pd.DataFrame({"p": ["a", "b", "c"], "y": [1.0, 2.0, 3.0]})
    >>> cluster_for(df, "p", ["y"], min_clusters=3)
    ('p', None)
    >>> cluster_for(df, "p", ["y"], min_clusters=4)[1]["en"]
    'cases treated as independent: 3 clusters of p, fewer than the 4 needed for cluster-robust tests'
    """
    if column is None or column not in data.columns:
        return None, None
    ids = data.loc[data[list(used)].notna().all(axis=1), column]
    if ids.isna().any():
        k = int(ids.isna().sum())
        return None, {
            "en": f"cases treated as independent: {k} case(s) without a value of {column}",
            "nl": f"casussen als onafhankelijk behandeld: {k} casus(sen) zonder waarde van {column}",
        }
    j = int(ids.nunique())
    if j < min_clusters:
        return None, {
            "en": f"cases treated as independent: {j} clusters of {column}, fewer than the "
                  f"{min_clusters} needed for cluster-robust tests",
            "nl": f"casussen als onafhankelijk behandeld: {j} clusters van {column}, minder dan "
                  f"de {min_clusters} nodig voor clusterrobuuste toetsen",
        }
    return column, None


def fit_clusters(kind: str, X: np.ndarray, y: np.ndarray, beta: np.ndarray, codes: np.ndarray,
                 column: str, tests: dict[str, Sequence[int]], names: Sequence[str],
                 type: str = "CR2", random_intercept: bool | None = None,
                 n_clusters_dropped: int = 0, min_clusters: int = MIN_CLUSTERS) -> ClusterFit:
    """Cluster-robust tests of ``tests`` (name → coefficient indices), cluster information
    and, when ``random_intercept`` is True or None with at least ``min_clusters`` clusters, a
    random-intercept model with the same fixed effects. ``kind``: ``"linear"`` or
    ``"logistic"``.

    Examples
    --------
    >>> X = np.column_stack([np.ones(8), [0.0, 1, 0, 1, 0, 1, 2, 2]])
    >>> y = np.array([1.0, 2, 2, 4, 3, 3, 5, 4])
    >>> fit = fit_clusters("linear", X, y, np.linalg.lstsq(X, y, rcond=None)[0],
    ...                    np.repeat(np.arange(4), 2), "p", {"x": [1]}, ["Intercept", "x"])
    >>> fit.tests[["source", "df1"]].values.tolist(), fit.random_intercept is None
    ([['x', 1]], True)
    """
    if kind == "linear":
        cr = cr_linear(X, y, codes, type=type, beta=beta)
    else:
        cr = cr_logistic(X, y, beta, codes, type=type)
    rows = []
    for name, idx in tests.items():
        idx = list(idx)
        if not idx:
            rows.append({"source": name, "F": np.nan, "df1": 0, "df2": np.nan, "p": np.nan})
            continue
        w = cr.wald_test(np.eye(len(beta))[idx])
        rows.append({"source": name, "F": w["F"], "df1": w["df1"], "df2": w["df2"], "p": w["p"]})
    info = ClusterInfo.of(y, codes, column, n_clusters_dropped)
    ri = None
    if random_intercept or (random_intercept is None and info.n_clusters >= min_clusters):
        if kind == "linear":
            ri = random_intercept_linear(X, y, codes, names)
        else:
            ri = random_intercept_logistic(X, y, codes, names, beta0=beta)
    return ClusterFit(info, cr, ri, pd.DataFrame(rows, columns=["source", "F", "df1", "df2", "p"]),
                      type)
