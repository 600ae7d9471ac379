"""Factor rotations by gradient projection: direct oblimin (oblique) and varimax (orthogonal).

The algorithms are those of Jennrich (2001, 2002) as implemented in R's GPArotation
(``GPFoblq`` and ``GPForth``), written here with numpy. Starting from the identity, every step
moves the transformation matrix along the projected gradient of the rotation criterion with a
halving line search, until the norm of the projected gradient falls below ``tol``.

Conventions
-----------
* ``A`` is the unrotated loading matrix (items × components).
* Oblique: GPArotation's transformation ``T`` has unit-length columns, the pattern is
  ``P = A (T')⁻¹`` and the component correlations are ``Φ = T'T``. We report
  ``rotation = (T')⁻¹`` so that for every rotation ``pattern = loadings @ rotation``;
  ``structure = pattern @ phi``.
* Orthogonal: ``rotation`` is orthonormal, ``phi`` is the identity and structure = pattern.
* Kaiser normalization (SPSS's default, GPArotation's ``normalize=TRUE``): each row of ``A`` is
  divided by the square root of its communality before rotating and multiplied back after.
* SPSS's delta of direct oblimin is GPArotation's ``gam``: 0 is quartimin (SPSS's default),
  0.5 biquartimin; negative values give less oblique solutions. SPSS accepts delta ≤ 0.8.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.linalg.lapack import dgesv as _gesv

from evalstats.errors import ConvergenceWarning
from evalstats.format import Lang, fmt_num
from evalstats.result import Result

__all__ = ["RotationResult", "oblimin", "varimax"]


@dataclass(frozen=True, eq=False, repr=False)
class RotationResult(Result):
    """A rotated loading matrix with everything needed to interpret and reproduce it.

    Attributes
    ----------
    pattern : DataFrame
        Rotated (pattern) loadings, items × components.
    structure : DataFrame
        Correlations of items with components, ``pattern @ phi``.
    phi : DataFrame
        Component correlation matrix (identity for orthogonal rotations).
    rotation : DataFrame
        Matrix ``M`` with ``pattern = unrotated @ M`` (for oblique rotations ``(T')⁻¹`` of
        GPArotation's ``Th``).
    iterations : int
        Gradient-projection steps taken by the start that gave the reported solution.
    converged : bool
        Whether the norm of the projected gradient fell below ``tol``.
    criterion : float
        Value of the rotation criterion at the solution (computed on the normalized loadings
        when ``normalize`` is true, as GPArotation does).
    method : str
        ``"oblimin"`` or ``"varimax"``.
    delta : float
        Oblimin delta (GPArotation ``gam``); ``nan`` for varimax.
    normalize : bool
        Whether Kaiser normalization was applied.
    gradient_norm : float
        Norm of the projected gradient at the solution.
    criterion_change : float
        Decrease of the criterion in the last step (for a convergence diagnosis).
    n_starts : int
        Number of starts tried (the identity plus ``random_starts``).
    n_best : int
        Number of starts that reached the best criterion (within ``1e-6``).

    Examples
    --------
    >>> import numpy as np
    >>> from fidelity import oblimin
    >>> r = oblimin(np.array([[.8, .3], [.7, .4], [.6, -.5], [.5, -.6]]))
    >>> r.converged, r.method, r.delta, r.normalize
    (True, 'oblimin', 0.0, True)
    >>> r.pattern.shape, r.phi.shape
    ((4, 2), (2, 2))
    """

    titles = {"en": "Rotation", "nl": "Rotatie"}

    pattern: pd.DataFrame
    structure: pd.DataFrame
    phi: pd.DataFrame
    rotation: pd.DataFrame
    iterations: int
    converged: bool
    criterion: float
    method: str
    delta: float
    normalize: bool
    gradient_norm: float
    criterion_change: float
    n_starts: int = 1
    n_best: int = 1
    criteria: tuple[float, ...] = field(default=(), repr=False)

    @property
    def oblique(self) -> bool:
        """True for oblique rotations (components may correlate)."""
        return self.method == "oblimin"

    @property
    def table(self) -> pd.DataFrame:
        """Tidy loadings: one row per item and component with pattern and structure loading.

        Examples
        --------
        >>> import numpy as np
        >>> r = oblimin(np.array([[.8, .3], [.7, .4], [.6, -.5], [.5, -.6]]))
        >>> list(r.table.columns)
        ['item', 'component', 'pattern', 'structure']
        """
        p = self.pattern.stack()
        s = self.structure.stack()
        out = pd.DataFrame({"pattern": p, "structure": s})
        out.index.names = ["item", "component"]
        return out.reset_index()

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """The pattern matrix rounded to three decimals as SPSS prints it (as text).

        Examples
        --------
        >>> import numpy as np
        >>> r = varimax(np.array([[.8, .3], [.7, .4], [.6, -.5], [.5, -.6]]))
        >>> r.spss_table().shape
        (4, 2)
        """
        return self.pattern.map(lambda x: fmt_num(float(x), 3, lang, leading_zero=False))

    def apa(self, lang: Lang = "en") -> str:
        """A sentence describing the rotation and whether it converged.

        Examples
        --------
        >>> import numpy as np
        >>> r = oblimin(np.array([[.8, .3], [.7, .4], [.6, -.5], [.5, -.6]]))
        >>> r.apa()  # doctest: +ELLIPSIS
        'Direct oblimin rotation (delta = 0) with Kaiser normalization converged in ... iterations.'
        """
        if lang == "nl":
            name = (
                f"Directe oblimin-rotatie (delta = {fmt_num(self.delta, 1, lang)})"
                if self.oblique
                else "Varimax-rotatie"
            )
            norm = " met Kaiser-normalisatie" if self.normalize else " zonder Kaiser-normalisatie"
            state = (
                f"convergeerde in {self.iterations} iteraties."
                if self.converged
                else f"convergeerde niet in {self.iterations} iteraties."
            )
            return f"{name}{norm} {state}"
        delta = f"{self.delta:g}" if self.oblique else ""
        name = f"Direct oblimin rotation (delta = {delta})" if self.oblique else "Varimax rotation"
        norm = " with Kaiser normalization" if self.normalize else " without Kaiser normalization"
        state = (
            f"converged in {self.iterations} iterations."
            if self.converged
            else f"did not converge in {self.iterations} iterations."
        )
        return f"{name}{norm} {state}"


@functools.lru_cache(maxsize=64)
def _component_labels(k: int) -> pd.Index:
    """``C1`` … ``Ck`` (an immutable Index, built once per k)."""
    return pd.Index([f"C{j + 1}" for j in range(k)])


def _as_matrix(loadings) -> tuple[np.ndarray, pd.Index, pd.Index]:
    if isinstance(loadings, pd.DataFrame):
        a = loadings.to_numpy(dtype=float, copy=True)
        rows, cols = loadings.index, loadings.columns
    else:
        a = np.array(loadings, dtype=float)
        if a.ndim != 2:
            raise ValueError(f"loadings must be a 2-d matrix (items × components), got {a.ndim}-d")
        rows = pd.RangeIndex(a.shape[0])
        cols = _component_labels(a.shape[1])
    if a.ndim != 2 or a.shape[1] < 2:
        raise ValueError(
            f"rotation needs at least two components, got a matrix of shape {a.shape}"
        )
    if not np.all(np.isfinite(a)):
        bad = [str(rows[i]) for i in np.unique(np.nonzero(~np.isfinite(a))[0])]
        raise ValueError(f"loadings must be finite; rows with NaN/inf: {', '.join(bad)}")
    return a, rows, cols


def _kaiser_weights(a: np.ndarray) -> np.ndarray:
    w = np.sqrt(np.einsum("ij,ij->i", a, a))
    # a row without any loading has nothing to normalize
    w[w == 0] = 1.0
    return w


def _varimax_vgq(lam: np.ndarray) -> tuple[float, np.ndarray]:
    """Varimax criterion (to minimise) and its gradient (GPArotation ``vgQ.varimax``)."""
    l2 = lam * lam
    ql = l2 - l2.mean(axis=0, keepdims=True)
    return -float(np.sum(ql * ql)) / 4.0, -lam * ql


def _gpf_oblique(a, t, gam, tol, max_iter):
    """GPArotation's GPFoblq with ``vgQ.oblimin``. Returns (L, T, f, iterations, converged, s,
    last_change).

    The loop works on plain arrays and on the transposed pattern ``L' = T⁻¹ A'``: one LAPACK
    ``gesv`` per line-search step (no finiteness check) solves for ``L'`` and ``T⁻¹`` together,
    instead of an inverse and a product. A step computes only the criterion,
    ``f = ¼ ⟨L², X⟩`` with ``X = (I − γ/p 11') L² (11' − I)``, which is
    ``¼ (r'r − ⟨L², L²⟩ − γ/p (t² − c'c))`` for the row sums ``r``, column sums ``c`` and total
    ``t`` of ``L²``; the gradient ``G = −T'⁻¹ (L ∘ X)' L`` is formed once per accepted step. The
    loop keeps ``−G`` and the negated projected gradient.
    """
    p, k = a.shape
    rhs = np.asfortranarray(np.vstack([a, np.eye(k)]).T)  # [A | I]': solves give [L' | T⁻¹]
    shrink = gam / p
    add = np.add.reduce

    def evaluate(tm):
        sol, info = _gesv(tm, rhs)[2:]
        if info > 0:
            raise np.linalg.LinAlgError("Singular matrix")
        lt = sol[:, :p]
        l2 = lt * lt
        rs = add(l2, 0)
        ft = float(rs @ rs) - float(np.vdot(l2, l2))
        if gam != 0:
            cs = add(l2, 1)
            ft -= shrink * (float(cs.sum()) ** 2 - float(cs @ cs))
        return ft / 4.0, lt, l2, rs, sol[:, p:]

    def descent(lt, l2, rs, tinv):
        x = rs - l2  # (L² (11' − I))'
        if gam != 0:
            x -= shrink * add(x, 1, keepdims=True)  # (I − γ/p 11') X
        return tinv.T @ ((lt * x) @ lt.T)  # −G

    f, lt, l2, rs, tinv = evaluate(t)
    h = descent(lt, l2, rs, tinv)
    al = 1.0
    change = np.nan
    it = 0
    while True:
        q = h - t * add(t * h, 0)  # the negated projected gradient
        s = math.sqrt(float(np.vdot(q, q)))
        if s < tol or it == max_iter:
            break
        al *= 2.0
        for _ in range(11):
            xm = t + al * q
            tt = xm / np.sqrt(add(xm * xm, 0))
            ft, lt, l2, rs, tinv = evaluate(tt)
            if f - ft > 0.5 * s * s * al:
                break
            al /= 2.0
        change = f - ft
        t, f = tt, ft
        h = descent(lt, l2, rs, tinv)
        it += 1
    return lt.T, t, f, it, s < tol, s, change


def _gpf_orthogonal(a, t, tol, max_iter):
    """GPArotation's GPForth for varimax. Returns (L, T, f, iterations, converged, s, change)."""
    lam = a @ t
    f, gq = _varimax_vgq(lam)
    g = a.T @ gq
    al = 1.0
    change = np.nan
    it = 0
    while True:
        m = t.T @ g
        gp = g - t @ ((m + m.T) / 2.0)
        s = float(np.sqrt(np.sum(gp * gp)))
        if s < tol or it == max_iter:
            break
        al *= 2.0
        for _ in range(11):
            u, _d, vt = np.linalg.svd(t - al * gp)
            tt = u @ vt
            lam = a @ tt
            ft, gqt = _varimax_vgq(lam)
            if ft < f - 0.5 * s * s * al:
                break
            al /= 2.0
        change = f - ft
        t, f = tt, ft
        g = a.T @ gqt
        it += 1
    return lam, t, f, it, s < tol, s, change


def _random_orthogonal(k: int, rng: np.random.Generator) -> np.ndarray:
    """A random orthogonal matrix, as GPArotation's ``Random.Start`` (QR of normal deviates)."""
    q, r = np.linalg.qr(rng.standard_normal((k, k)))
    return q * np.sign(np.diag(r))


def _rotate(loadings, method, delta, normalize, max_iter, tol, random_starts, seed):
    if max_iter < 0:
        raise ValueError(f"max_iter must be >= 0, got {max_iter}")
    if random_starts < 0:
        raise ValueError(f"random_starts must be >= 0, got {random_starts}")
    a, rows, cols = _as_matrix(loadings)
    k = a.shape[1]
    w = _kaiser_weights(a) if normalize else np.ones(a.shape[0])
    an = a / w[:, None]
    starts = [np.eye(k)]
    if random_starts:  # a generator (seeded from the system without a seed) only when drawn from
        rng = np.random.default_rng(seed)
        starts += [_random_orthogonal(k, rng) for _ in range(random_starts)]
    runs = []
    for t0 in starts:
        if method == "oblimin":
            runs.append(_gpf_oblique(an, t0, float(delta), tol, max_iter))
        else:
            runs.append(_gpf_orthogonal(an, t0, tol, max_iter))
    crit = np.array([r[2] for r in runs])
    best_f = crit.min()
    near = np.abs(crit - best_f) <= 1e-6 * max(1.0, abs(best_f))
    # the first start reaching the best value (the identity when it does) gives the solution
    lam, t, f, it, conv, s, change = runs[int(np.argmax(near))]
    if not conv:
        warnings.warn(
            f"{method} rotation did not converge in {it} iterations: the norm of the projected "
            f"gradient is {s:.3g} (tol {tol:g}) and the criterion changed by {change:.3g} in "
            "the last iteration; raise max_iter",
            ConvergenceWarning,
            stacklevel=3,
        )
    pattern = lam * w[:, None]
    if method == "oblimin":
        rot = np.linalg.inv(t).T
        phi = t.T @ t
    else:
        rot = t
        phi = np.eye(k)
    phi = (phi + phi.T) / 2.0
    np.fill_diagonal(phi, 1.0)
    return RotationResult(
        pattern=pd.DataFrame(pattern, index=rows, columns=cols),
        structure=pd.DataFrame(pattern @ phi, index=rows, columns=cols),
        phi=pd.DataFrame(phi, index=cols, columns=cols),
        rotation=pd.DataFrame(rot, index=cols, columns=cols),
        iterations=int(it),
        converged=bool(conv),
        criterion=float(f),
        method=method,
        delta=float(delta) if method == "oblimin" else float("nan"),
        normalize=bool(normalize),
        gradient_norm=float(s),
        criterion_change=float(change),
        n_starts=len(starts),
        n_best=int(near.sum()),
        criteria=tuple(float(c) for c in crit),
    )


def oblimin(
    loadings,
    delta: float = 0.0,
    normalize: bool = True,
    max_iter: int = 1000,
    tol: float = 1e-5,
    random_starts: int = 0,
    seed=None,
) -> RotationResult:
    """Direct oblimin rotation by oblique gradient projection (SPSS ``/ROTATION OBLIMIN(delta)``).

    Same algorithm, start, step rule and stopping rule as GPArotation's
    ``oblimin(L, gam = delta, normalize = normalize, eps = tol, maxit = max_iter)``.

    Parameters
    ----------
    loadings : DataFrame or array-like
        Unrotated loadings, items × components (at least two components).
    delta : float, default 0
        SPSS's delta (GPArotation's ``gam``); 0 is quartimin. SPSS allows delta ≤ 0.8.
    normalize : bool, default True
        Kaiser normalization (SPSS's default; GPArotation's default is False).
    max_iter : int, default 1000
        Maximum number of gradient-projection steps per start.
    tol : float, default 1e-5
        Convergence when the norm of the projected gradient is below ``tol``.
    random_starts : int, default 0
        Number of random orthogonal start matrices tried in addition to the identity; the
        solution with the lowest criterion is kept and ``n_best`` tells how many starts reached
        it (a check for local minima).
    seed : int or numpy Generator, optional
        Seed for the random starts.

    Returns
    -------
    RotationResult

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` is reached first (``converged`` is then False).

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[.8, .3], [.7, .4], [.6, -.5], [.5, -.6], [.7, .1]])
    >>> r = oblimin(a)
    >>> r.converged, r.phi.shape
    (True, (2, 2))
    >>> bool(np.allclose(r.structure, r.pattern @ r.phi))
    True
    >>> bool(np.allclose(a @ r.rotation.to_numpy(), r.pattern))
    True
    """
    if delta > 0.8:
        raise ValueError(f"delta must be <= 0.8 (as in SPSS), got {delta}")
    return _rotate(loadings, "oblimin", delta, normalize, max_iter, tol, random_starts, seed)


def varimax(
    loadings,
    normalize: bool = True,
    max_iter: int = 1000,
    tol: float = 1e-5,
    random_starts: int = 0,
    seed=None,
) -> RotationResult:
    """Varimax rotation by orthogonal gradient projection, with Kaiser normalization by default.

    Maximises the same criterion as SPSS's ``/ROTATION VARIMAX`` (Kaiser normalization on) and
    R's ``stats::varimax(normalize = TRUE)``; the algorithm is GPArotation's ``GPForth``.

    Parameters
    ----------
    loadings : DataFrame or array-like
        Unrotated loadings, items × components (at least two components).
    normalize, max_iter, tol, random_starts, seed
        As in :func:`oblimin`.

    Returns
    -------
    RotationResult
        With ``phi`` the identity and ``structure`` equal to ``pattern``.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[.8, .3], [.7, .4], [.6, -.5], [.5, -.6], [.7, .1]])
    >>> r = varimax(a)
    >>> bool(np.allclose(r.rotation.T @ r.rotation, np.eye(2)))
    True
    >>> bool(np.allclose((r.pattern ** 2).sum(axis=1), (a ** 2).sum(axis=1)))
    True
    """
    return _rotate(loadings, "varimax", 0.0, normalize, max_iter, tol, random_starts, seed)
