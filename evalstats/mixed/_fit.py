"""Profiled (RE)ML for nested random intercepts and Satterthwaite degrees of freedom.

The model is ``y = X b + Z_1 u_1 + ... + Z_K u_K + e`` with ``u_k ~ N(0, θ_k² σ² I)`` and
``e ~ N(0, σ² I)``; level 1 is the outermost grouping, level K the innermost, and every group of
level k+1 lies inside one group of level k. Writing ``V = σ² H(θ)``,
``H = I + Σ θ_k² Z_k Z_k'``, the inverse and the determinant of H are built level by level from
the innermost one with the Woodbury identity and the matrix determinant lemma. Because
``H_{k+1}`` is block diagonal by the groups of level k+1, which nest in those of level k,
``Z_k' H_{k+1}^{-1} Z_k`` is diagonal: every step is a closed form per group, so one evaluation
of the deviance costs O(groups × p²) after a single pass over the data.

Only the cross-products ``[X y]' H^{-1} [X y]`` and ``log|H|`` are needed: β, σ² and the
profiled deviance follow from them as in lme4 (Bates et al., 2015). The Satterthwaite degrees
of freedom follow lmerTest (Kuznetsova et al., 2017): the asymptotic covariance of the
variance parameters (θ, σ) is twice the inverse Hessian of the (RE)ML deviance, and the
gradient of ``L' Var(b) L`` with respect to them is taken numerically.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize, sparse

_LOG2PI = float(np.log(2.0 * np.pi))
_BOUNDARY = 1e-4  # a relative sd below this is compared with the fit at exactly 0
HESS_TOL = 1e-8  # eigenvalues of the deviance Hessian below this are dropped (as lmerTest)


@dataclass
class Structure:
    """The data reduced to what every deviance evaluation needs.

    ``S`` holds the sums of ``[X y]`` per innermost group, ``counts`` the number of observations
    per innermost group, ``up[k]`` the sparse matrix summing level k+1 groups into their level k
    parents (levels outer to inner, so ``up`` has K−1 entries).
    """

    MtM: np.ndarray
    S: np.ndarray
    counts: np.ndarray
    up: list
    n: int
    p: int


def build_structure(X: np.ndarray, y: np.ndarray, codes: list[np.ndarray]) -> Structure:
    """Reduce the data; ``codes[k]`` is the group index (0..G_k−1) of every row at level k."""
    M = np.column_stack([X, y])
    inner = codes[-1]
    G = int(inner.max()) + 1
    agg = sparse.csr_matrix(
        (np.ones(len(inner)), (inner, np.arange(len(inner)))), shape=(G, len(inner))
    )
    S = np.asarray(agg @ M)
    counts = np.bincount(inner, minlength=G).astype(float)
    up = []
    for k in range(len(codes) - 1):
        parent = np.zeros(int(codes[k + 1].max()) + 1, dtype=np.int64)
        parent[codes[k + 1]] = codes[k]
        gk = int(codes[k].max()) + 1
        up.append(
            sparse.csr_matrix(
                (np.ones(len(parent)), (parent, np.arange(len(parent)))), shape=(gk, len(parent))
            )
        )
    return Structure(M.T @ M, S, counts, up, len(y), X.shape[1])


def cross_products(st: Structure, theta: np.ndarray) -> tuple[np.ndarray, float]:
    """``[X y]' H(θ)^{-1} [X y]`` and ``log|H(θ)|`` (θ outer to inner)."""
    Q = st.MtM.copy()
    logdet = 0.0
    c, S = st.counts, st.S
    for k in range(len(theta) - 1, -1, -1):
        if k < len(theta) - 1:
            c = st.up[k] @ c
            S = st.up[k] @ S
        t2 = float(theta[k]) ** 2
        if t2 == 0.0:
            continue
        d = 1.0 + t2 * c
        Q -= (S * (t2 / d)[:, None]).T @ S
        logdet += float(np.sum(np.log(d)))
        S = S / d[:, None]
        c = c / d
    return Q, logdet


@dataclass
class Profile:
    """Everything that follows from θ with β and σ profiled out."""

    beta: np.ndarray
    r2: float  # penalised residual sum of squares
    logdet_h: float
    logdet_x: float
    xtvx_inv: np.ndarray  # (X' H^{-1} X)^{-1}


def profile(st: Structure, theta: np.ndarray) -> Profile:
    Q, logdet = cross_products(st, theta)
    p = st.p
    L = linalg.cholesky(Q[:p, :p], lower=True, check_finite=False)
    beta = linalg.cho_solve((L, True), Q[:p, p], check_finite=False)
    r2 = float(Q[p, p] - Q[:p, p] @ beta)
    inv = linalg.cho_solve((L, True), np.eye(p), check_finite=False)
    return Profile(beta, max(r2, 0.0), logdet, 2.0 * float(np.sum(np.log(np.diag(L)))), inv)


def profiled_deviance(st: Structure, theta: np.ndarray, reml: bool) -> float:
    """lme4's REML criterion or ML deviance (−2 log-likelihood) at θ, σ² profiled out."""
    Q, logdet = cross_products(st, np.abs(theta))
    p = st.p
    try:
        L = linalg.cholesky(Q[:p, :p], lower=True, check_finite=False)
    except linalg.LinAlgError:
        return np.inf
    z = linalg.solve_triangular(L, Q[:p, p], lower=True, check_finite=False)
    r2 = float(Q[p, p] - z @ z)
    if r2 <= 0:
        return -np.inf
    if reml:
        m = st.n - p
        return (
            logdet + 2.0 * float(np.sum(np.log(np.diag(L)))) + m * (1.0 + _LOG2PI + np.log(r2 / m))
        )
    return logdet + st.n * (1.0 + _LOG2PI + np.log(r2 / st.n))


def deviance_varpar(st: Structure, varpar: np.ndarray, reml: bool) -> float:
    """The (RE)ML deviance at (θ, σ), β profiled out: lmerTest's ``devfun_vp``."""
    theta, sigma2 = varpar[:-1], float(varpar[-1]) ** 2
    pr = profile(st, theta)
    dev = pr.logdet_h + pr.r2 / sigma2 + st.n * np.log(2 * np.pi * sigma2)
    if reml:
        dev += pr.logdet_x - st.p * np.log(2 * np.pi * sigma2)
    return float(dev)


class FitFailure(RuntimeError):
    """The optimiser stopped without converging (internal; reported by the caller)."""


def optimise(st: Structure, reml: bool, max_iter: int) -> tuple[np.ndarray, int]:
    """θ̂ (outer to inner) minimising the profiled deviance; θ_k ≥ 0.

    Nelder–Mead on the θ_k (the deviance depends on θ_k² only, so the search is unconstrained)
    with tight tolerances, then every θ_k near 0 is compared with the fit at exactly 0 (a
    boundary fit, as lme4 reports it).
    """

    def f(t):
        return profiled_deviance(st, t, reml)

    K = len(st.up) + 1
    x0 = np.ones(K)
    if K == 1:
        res = optimize.minimize_scalar(
            lambda t: f(np.array([t])),
            bracket=(0.0, 1.0),
            method="brent",
            options={"xtol": 1e-12, "maxiter": max_iter},
        )
        if not res.success:
            raise FitFailure(res.message)
        theta = np.abs(np.array([res.x]))
        nit = int(res.nit)
    else:
        res = optimize.minimize(
            f,
            x0,
            method="Nelder-Mead",
            options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": max_iter, "maxfev": 4 * max_iter},
        )
        if not res.success:
            raise FitFailure(res.message)
        theta = np.abs(res.x)
        nit = int(res.nit)
        # polish: a few rounds of one-dimensional searches from the simplex optimum
        for _ in range(3):
            for k in range(K):

                def fk(t, k=k):
                    tt = theta.copy()
                    tt[k] = t
                    return f(tt)

                r = optimize.minimize_scalar(
                    fk,
                    bracket=(theta[k], theta[k] + 0.01 + 0.01 * theta[k]),
                    method="brent",
                    options={"xtol": 1e-12, "maxiter": max_iter},
                )
                if r.success and r.fun <= f(theta):
                    theta[k] = abs(r.x)
    for k in range(K):
        if theta[k] < _BOUNDARY:
            zero = theta.copy()
            zero[k] = 0.0
            if f(zero) <= f(theta) + 1e-12:
                theta = zero
    return _newton_polish(f, theta), nit


def _newton_polish(f, theta: np.ndarray, steps: int = 3) -> np.ndarray:
    """A few Newton steps on the gradient of the deviance for the interior θ_k.

    A minimiser of f locates θ only to about √eps (the deviance is flat at its minimum);
    the zero of the central-difference gradient is located to about eps / h, which makes θ̂
    and everything derived from it reproducible to ~1e-8 under shifting and scaling the data.
    """
    free = np.flatnonzero(theta > 0)
    if len(free) == 0:
        return theta
    for _ in range(steps):
        h = 1e-4 * np.maximum(theta[free], 1e-2)

        def g(t, h=h):
            out = np.empty(len(free))
            for i, k in enumerate(free):
                up, dn = t.copy(), t.copy()
                up[k] += h[i]
                dn[k] -= h[i]
                out[i] = (f(up) - f(dn)) / (2 * h[i])
            return out

        grad = g(theta)
        H = np.empty((len(free), len(free)))
        for i, k in enumerate(free):
            up, dn = theta.copy(), theta.copy()
            up[k] += h[i]
            dn[k] -= h[i]
            H[:, i] = (g(up) - g(dn)) / (2 * h[i])
        H = (H + H.T) / 2
        try:
            if np.any(np.linalg.eigvalsh(H) <= 0):
                break
            delta = np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            break
        new = theta.copy()
        new[free] = theta[free] - delta
        if np.any(new[free] <= 0) or f(new) > f(theta) + 1e-9:
            break
        theta = new
        if np.all(np.abs(delta) <= 1e-12 * np.maximum(theta[free], 1.0)):
            break
    return theta


def _step(x: float) -> float:
    # relative 1e-2: with one Richardson step the truncation error is O(h⁴) while the rounding
    # error of the deviance (~1e-13 × its size) divided by h² stays below 1e-8
    return 1e-2 * max(abs(x), 0.1)


def hessian(fun, x: np.ndarray) -> np.ndarray:
    """Central-difference Hessian with one Richardson extrapolation (steps h and h/2)."""
    n = len(x)
    f0 = fun(x)

    def at(h):
        H = np.empty((n, n))
        for i in range(n):
            ei = np.zeros(n)
            ei[i] = h[i]
            H[i, i] = (fun(x + ei) - 2 * f0 + fun(x - ei)) / h[i] ** 2
            for j in range(i):
                ej = np.zeros(n)
                ej[j] = h[j]
                H[i, j] = H[j, i] = (
                    fun(x + ei + ej) - fun(x + ei - ej) - fun(x - ei + ej) + fun(x - ei - ej)
                ) / (4 * h[i] * h[j])
        return H

    h = np.array([_step(v) for v in x])
    return (4 * at(h / 2) - at(h)) / 3


def vcov_jacobian(st: Structure, theta: np.ndarray, sigma: float) -> list[np.ndarray]:
    """∂ Var(β̂) / ∂(θ_1..θ_K, σ), with Var(β̂) = σ² (X'H(θ)^{-1}X)^{-1}."""
    out = []
    for k in range(len(theta)):
        h = _step(theta[k])

        def d(hh, k=k):
            up, dn = theta.copy(), theta.copy()
            up[k] += hh
            dn[k] -= hh
            return (profile(st, up).xtvx_inv - profile(st, dn).xtvx_inv) / (2 * hh)

        out.append(sigma**2 * (4 * d(h / 2) - d(h)) / 3)
    out.append(2 * sigma * profile(st, theta).xtvx_inv)
    return out


def varpar_covariance(st: Structure, theta: np.ndarray, sigma: float, reml: bool):
    """2 × the Moore–Penrose inverse of the deviance Hessian in (θ, σ), and the Hessian's
    eigenvalues (for the convergence check)."""
    vp = np.append(theta, sigma)
    H = hessian(lambda v: deviance_varpar(st, v, reml), vp)
    w, U = np.linalg.eigh(H)
    pos = w > HESS_TOL
    inv = (U[:, pos] / w[pos]) @ U[:, pos].T
    return 2.0 * inv, w


def satterthwaite_1d(L: np.ndarray, vcov: np.ndarray, jac: list[np.ndarray], A: np.ndarray):
    """Variance of L'β̂ and its Satterthwaite df ``2 v² / (g' A g)``."""
    v = float(L @ vcov @ L)
    g = np.array([float(L @ J @ L) for J in jac])
    denom = float(g @ A @ g)
    return v, (2.0 * v**2 / denom if denom > 0 else np.inf)


def satterthwaite_md(Lm: np.ndarray, beta, vcov, jac, A):
    """lmerTest's ``contestMD``: F and its Satterthwaite denominator df for the rows of Lm."""
    VLL = Lm @ vcov @ Lm.T
    d, P = np.linalg.eigh(VLL)
    order = np.argsort(d)[::-1]
    d, P = d[order], P[:, order]
    tol = max(np.finfo(float).eps * d[0], 0.0)
    q = int(np.sum(d > tol))
    PtL = (P.T @ Lm)[:q]
    t2 = (PtL @ beta) ** 2 / d[:q]
    F = float(np.sum(t2) / q)
    nu = []
    for m in range(q):
        g = np.array([float(PtL[m] @ J @ PtL[m]) for J in jac])
        nu.append(2.0 * d[m] ** 2 / float(g @ A @ g))
    nu = np.array(nu)
    if q == 1:
        ddf = float(nu[0])
    elif np.all(np.abs(np.diff(nu)) < 1e-8):
        ddf = float(np.mean(nu))
    elif np.any(nu <= 2):
        ddf = 2.0
    else:
        E = float(np.sum(nu / (nu - 2)))
        ddf = 2 * E / (E - q)
    return F, q, ddf
