"""Type III contrasts of the fixed effects as lmerTest builds them for treatment coding.

lmerTest (``extract_contrasts_type3``) expresses the columns of an over-parameterised design
(the intercept and, per term, the full indicator columns of ``~ 0 + term``) in the columns of
the treatment-coded X, makes each term's columns orthogonal to those of the terms containing it
(higher-order terms first), and reads the contrast of a term off the rows that correspond to the
columns of X. For main effects alone this selects the term's columns of X; with interactions a
main effect is tested averaged over the levels of the factors it interacts with, independent of
the coding. With a single term lmerTest uses its type I contrasts instead: the rows of the unit
upper triangular (Doolittle) factor of X'X.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

_ZAP = 1e-8  # entries below this share of the largest are zero (R's zapsmall)


def _zap(a: np.ndarray) -> np.ndarray:
    a = a.copy()
    mx = np.max(np.abs(a)) if a.size else 0.0
    a[np.abs(a) < _ZAP * max(mx, 1.0)] = 0.0
    return a


def _contains(inner: tuple, outer: tuple, numeric: set) -> bool:
    a, b = set(inner), set(outer)
    return a < b and (a & numeric) == (b & numeric)


def contrasts(design) -> dict[str, np.ndarray]:
    """Term name → its contrast matrix (rows) on the coefficients of X."""
    X, owner, terms = design.X, design.owner, design.terms
    cols = {name: [j for j, o in enumerate(owner) if o == name] for name, _ in terms}
    if len(terms) == 1:
        C = np.linalg.cholesky(X.T @ X)
        basis = _zap((C / np.diag(C)).T)
        return {name: basis[cols[name]] for name, _ in terms}
    numeric = {v for _, tv in terms for v in tv if v not in design.levels}
    # ginv(X) rdX by the normal equations (X has full rank, checked when it was built)
    B = linalg.solve(X.T @ X, X.T @ design.rdX, assume_a="pos")
    L = _zap(B.T)  # rows: over-parameterised columns, columns: columns of X
    order = sorted(range(len(terms)), key=lambda i: -len(terms[i][1]))  # stable
    for i in order:
        name, tv = terms[i]
        outer = [j for nm, ov in terms if _contains(tv, ov, numeric) for j in cols[nm]]
        if outer:
            Z = L[:, outer]
            coef = np.linalg.lstsq(Z, L[:, cols[name]], rcond=None)[0]
            L[:, cols[name]] = _zap(L[:, cols[name]] - Z @ coef)
    rows = [design.rd_names.index(c) for c in design.columns]
    Lx = L[rows]
    out = {}
    for name, _ in terms:
        Ct = Lx[:, cols[name]].T
        out[name] = Ct[np.sum(np.abs(Ct), axis=1) > 1e-8]
    return out
