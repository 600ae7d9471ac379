"""Scale reliability: Cronbach's alpha as SPSS RELIABILITY prints it, plus McDonald's omega.

:func:`cronbach_alpha` reproduces SPSS ``RELIABILITY /MODEL=ALPHA /STATISTICS=DESCRIPTIVE
/SUMMARY=TOTAL``: cases missing any listed item are deleted listwise (and counted), then

* Cronbach's alpha ``k/(k-1) * (1 - sum(item variances) / variance(total))``;
* alpha based on standardised items ``k r / (1 + (k-1) r)`` with ``r`` the mean inter-item
  correlation;
* item statistics (mean, standard deviation with ``n - 1``, N);
* item-total statistics: scale mean and variance if the item is deleted, the corrected
  item-total correlation (the item against the sum of the *other* items), the squared multiple
  correlation (R² of the item regressed on the others, ``1 - 1 / diag(R^-1)``) and alpha if the
  item is deleted.

As an extra the result carries McDonald's omega total, computed the way R's
``psych::omega(x, nfactors = 1)`` does: a one-factor minimum-residual (unweighted least squares)
solution of the correlation matrix, items with a negative loading reflected, and
``omega_t = 1 - sum(uniquenesses) / sum(R)``, i.e. the common variance relative to the
*observed* variance of the standardised total (not the model-implied total, which gives the
slightly different ``(sum l)^2 / ((sum l)^2 + sum u)``). The minres solution is found by iterated
principal axes from the squared multiple correlations, polished by L-BFGS-B on the least-squares
criterion with an analytic gradient. On data with a common factor this agrees with psych to 1e-6
in omega and 1e-4 in the loadings (tests); on data without one the criterion is flat, psych's
optimiser stops earlier and omega may differ in the fourth decimal (ours has the lower
criterion).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from evalstats.errors import ConvergenceWarning, DataValidationError, EmptyGroupError, Problem
from evalstats.format import Lang, fmt_num
from evalstats.result import Result

__all__ = ["ReliabilityResult", "cronbach_alpha", "omega_total"]


# -- core formulas on arrays (shared with the factor workflows and the bootstrap) ---------------
def alpha_from_cov(cov: np.ndarray) -> float:
    """Cronbach's alpha from an item covariance matrix (``k >= 2``).

    Examples
    --------
    >>> alpha_from_cov(np.array([[1.0, 0.5], [0.5, 1.0]]))  # 2 * .5 / 1.5
    0.666666...
    """
    k = cov.shape[0]
    return float(k / (k - 1) * (1.0 - np.trace(cov) / cov.sum()))


def alpha_from_cov_batch(cov: np.ndarray) -> np.ndarray:
    """Cronbach's alpha for a stack of covariance matrices of shape ``(b, k, k)``.

    Examples
    --------
    >>> c = np.array([[[1.0, 0.5], [0.5, 1.0]], [[1.0, 0.0], [0.0, 1.0]]])
    >>> alpha_from_cov_batch(c).round(4).tolist()
    [0.6667, 0.0]
    """
    k = cov.shape[-1]
    tr = np.trace(cov, axis1=-2, axis2=-1)
    return k / (k - 1) * (1.0 - tr / cov.sum(axis=(-2, -1)))


def _uls_residual(psi: np.ndarray, r: np.ndarray) -> tuple[float, np.ndarray]:
    """psych's minres fit and its gradient in the uniquenesses ``psi``.

    The criterion is the sum of squared off-diagonal residuals of the one-factor principal axis
    of ``R - diag(psi)``; the gradient follows from first-order eigen-perturbation.
    """
    work = r.copy()
    np.fill_diagonal(work, 1.0 - psi)
    vals, vecs = np.linalg.eigh(work)
    mu, v = max(vals[-1], 0.0), vecs[:, -1]
    e = r - mu * np.outer(v, v)
    np.fill_diagonal(e, 0.0)
    f = float((e**2).sum())
    a = e @ v
    gap = mu - vals[:-1]
    c = (vecs[:, :-1].T @ a) / np.where(np.abs(gap) > 1e-12, gap, np.inf)
    grad = 2.0 * v**2 * (a @ v) + 4.0 * mu * v * (vecs[:, :-1] @ c)
    return f, grad


def _one_factor_minres(r: np.ndarray, tol: float = 1e-10, max_iter: int = 200) -> np.ndarray:
    """One-factor unweighted-least-squares (minres) loadings of a correlation matrix.

    Iterated principal axes from the squared multiple correlations (communalities kept in
    psych's bounds ``[0, .995]``), then the least-squares criterion is minimised directly from
    there (L-BFGS-B with psych's bounds on the uniquenesses), because principal axes converge
    only linearly when the leading eigenvalues are close.
    """
    from scipy.optimize import minimize

    rinv = np.linalg.pinv(r)
    h2 = np.clip(1.0 - 1.0 / np.diag(rinv), 0.005, 0.995)
    work = r.copy()
    converged = False
    for _ in range(max_iter):
        np.fill_diagonal(work, h2)
        vals, vecs = np.linalg.eigh(work)
        new = np.clip(vecs[:, -1] ** 2 * max(vals[-1], 0.0), 0.0, 0.995)
        if np.max(np.abs(new - h2)) < tol:
            h2, converged = new, True
            break
        h2 = new
    # principal axes converge only linearly when eigenvalues are close: polish the fixed point by
    # minimising the least-squares criterion directly (as psych's optim call does)
    psi0 = 1.0 - h2
    opt = minimize(
        _uls_residual, psi0, args=(r,), method="L-BFGS-B", jac=True,
        bounds=[(0.005, 1.0)] * r.shape[0], options={"ftol": 1e-15, "gtol": 1e-12},
    )
    if opt.fun <= _uls_residual(psi0, r)[0]:
        h2 = 1.0 - opt.x
    elif not converged:
        warnings.warn(
            f"one-factor minres solution did not converge: {opt.message}",
            ConvergenceWarning,
            stacklevel=3,
        )
    np.fill_diagonal(work, h2)
    vals, vecs = np.linalg.eigh(work)
    lam = vecs[:, -1] * math.sqrt(max(vals[-1], 0.0))
    if lam.sum() < 0:
        lam = -lam
    return lam


def omega_total(r: np.ndarray) -> tuple[float, np.ndarray]:
    """McDonald's omega total from a correlation matrix, as ``psych::omega(nfactors = 1)``.

    Returns ``(omega_t, loadings)`` of the one-factor minres solution (loadings of reflected
    items keep their negative sign; the reflection only enters the total variance).

    Examples
    --------
    >>> r = np.full((4, 4), 0.49) + np.eye(4) * 0.51  # one factor, loadings .7
    >>> w, lam = omega_total(r)
    >>> round(w, 6), lam.round(6).tolist()
    (0.793522, [0.7, 0.7, 0.7, 0.7])
    """
    lam = _one_factor_minres(r)
    sign = np.where(lam < 0, -1.0, 1.0)
    u2 = 1.0 - lam**2
    vt = (sign[:, None] * r * sign[None, :]).sum()
    return float(1.0 - u2.sum() / vt), lam


# -- input checks ---------------------------------------------------------------------------------
def _validate(items: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"items must be a pandas DataFrame, got {type(items).__name__}")
    cols = list(items.columns)
    if len(cols) < 2:
        named = f" (only {cols[0]!r})" if cols else ""
        raise ValueError(f"Cronbach's alpha needs at least 2 items, got {len(cols)}{named}")
    dupes = sorted({str(c) for c in cols if cols.count(c) > 1})
    if dupes:
        raise ValueError(f"duplicate item columns: {dupes}")
    problems: list[Problem] = []
    for c in cols:
        s = items[c]
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            bad = s[pd.to_numeric(s, errors="coerce").isna() & s.notna()]
            if len(bad) == 0 and not pd.api.types.is_bool_dtype(s):
                continue
            for idx, v in bad.head(20).items():
                problems.append(Problem(idx, c, v, "a numeric answer code (or missing)"))
            if pd.api.types.is_bool_dtype(s):
                problems.append(Problem(None, c, str(s.dtype), "a numeric column"))
    if problems:
        raise DataValidationError(problems, context="the items for Cronbach's alpha")
    return items.apply(pd.to_numeric, errors="coerce").astype("float64")


def _listwise(items: pd.DataFrame) -> tuple[np.ndarray, pd.Index, pd.Index]:
    data = _validate(items)
    x = data.to_numpy()
    keep = ~np.isnan(x).any(axis=1)
    return x[keep], data.index[keep], data.index[~keep]


# -- result ----------------------------------------------------------------------------------------
_LABELS = {
    "en": {
        "alpha": "Cronbach's Alpha",
        "std": "Cronbach's Alpha Based on Standardized Items",
        "k": "N of Items",
        "mean": "Mean",
        "sd": "Std. Deviation",
        "var": "Variance",
        "n": "N",
        "smd": "Scale Mean if Item Deleted",
        "svd": "Scale Variance if Item Deleted",
        "citc": "Corrected Item-Total Correlation",
        "smc": "Squared Multiple Correlation",
        "aid": "Cronbach's Alpha if Item Deleted",
        "valid": "Valid",
        "excluded": "Excluded",
        "total": "Total",
        "cases": "Cases",
        "pct": "%",
    },
    "nl": {
        "alpha": "Cronbach's Alpha",
        "std": "Cronbach's Alpha gebaseerd op gestandaardiseerde items",
        "k": "Aantal items",
        "mean": "Gemiddelde",
        "sd": "Std. deviatie",
        "var": "Variantie",
        "n": "N",
        "smd": "Schaalgemiddelde als item is verwijderd",
        "svd": "Schaalvariantie als item is verwijderd",
        "citc": "Gecorrigeerde item-totaalcorrelatie",
        "smc": "Kwadratische meervoudige correlatie",
        "aid": "Cronbach's Alpha als item is verwijderd",
        "valid": "Geldig",
        "excluded": "Uitgesloten",
        "total": "Totaal",
        "cases": "Cases",
        "pct": "%",
    },
}


class ReliabilityResult(Result):
    """Cronbach's alpha with SPSS item statistics and McDonald's omega total.

    Attributes
    ----------
    alpha, std_alpha, omega_total : float
        Cronbach's alpha, alpha of the standardised items, McDonald's omega total
        (``nan`` with fewer than 3 items, where a one-factor model is not identified).
    n_items, n_total, n_used, n_dropped : int
        Items, rows given, rows used (complete on every item) and rows deleted listwise.
    dropped_index : pandas.Index
        Index labels of the rows deleted listwise.
    item_statistics : pandas.DataFrame
        Per item: mean, sd, n.
    item_total_statistics : pandas.DataFrame
        Per item: scale_mean_if_deleted, scale_variance_if_deleted, corrected_item_total_r,
        squared_multiple_r, alpha_if_deleted, std_alpha_if_deleted.
    omega_loadings : pandas.Series
        Loadings of the one-factor minres solution behind omega.

    Examples
    --------
    >>> import pandas as pd
    >>> from fidelity import cronbach_alpha
    >>> d = pd.DataFrame({"q1": [1, 2, 3, 4, 5, 3], "q2": [2, 2, 3, 5, 4, 3],
    ...                   "q3": [1, 3, 3, 4, 5, None]})
    >>> res = cronbach_alpha(d)
    >>> res.n_items, res.n_used, res.n_dropped, res.dropped_index.tolist()
    (3, 5, 1, [5])
    """

    titles = {"en": "Reliability", "nl": "Betrouwbaarheid"}

    def __init__(
        self,
        items: list[str],
        x: np.ndarray,
        used_index: pd.Index,
        dropped_index: pd.Index,
    ):
        k = len(items)
        n = x.shape[0]
        self.items = list(items)
        self.n_items = k
        self.n_used = n
        self.n_dropped = len(dropped_index)
        self.n_total = n + self.n_dropped
        self.used_index = used_index
        self.dropped_index = dropped_index
        cov = np.cov(x, rowvar=False, ddof=1)
        var = np.diag(cov)
        sd = np.sqrt(var)
        r = cov / np.outer(sd, sd)
        total = x.sum(axis=1)
        self.scale_mean = float(total.mean())
        self.scale_variance = float(total.var(ddof=1))
        self.alpha = float(alpha_from_cov(cov))
        rbar = (r.sum() - k) / (k * (k - 1))
        self.std_alpha = float(k * rbar / (1 + (k - 1) * rbar))

        rest_var = cov.sum() - 2 * cov.sum(axis=1) + var  # variance of total minus item j
        cov_rest = cov.sum(axis=1) - var  # covariance of item j with total minus item j
        citc = cov_rest / np.sqrt(var * rest_var)
        try:
            smc = 1.0 - 1.0 / np.diag(np.linalg.inv(r))
            if np.linalg.cond(r) > 1e12:
                raise np.linalg.LinAlgError
        except np.linalg.LinAlgError:
            warnings.warn(
                "the item correlation matrix is singular: squared multiple correlations are "
                "set to NaN (SPSS prints a warning here too)",
                RuntimeWarning,
                stacklevel=3,
            )
            smc = np.full(k, np.nan)
        aid = np.full(k, np.nan)
        std_aid = np.full(k, np.nan)
        if k > 2:
            for j in range(k):
                keep = np.arange(k) != j
                aid[j] = alpha_from_cov(cov[np.ix_(keep, keep)])
                rj = r[np.ix_(keep, keep)]
                rb = (rj.sum() - (k - 1)) / ((k - 1) * (k - 2))
                std_aid[j] = (k - 1) * rb / (1 + (k - 2) * rb)
        self.item_statistics = pd.DataFrame(
            {"mean": x.mean(axis=0), "sd": sd, "n": np.full(k, n)},
            index=pd.Index(self.items, name="item"),
        )
        self.item_total_statistics = pd.DataFrame(
            {
                "scale_mean_if_deleted": self.scale_mean - x.mean(axis=0),
                "scale_variance_if_deleted": rest_var,
                "corrected_item_total_r": citc,
                "squared_multiple_r": smc,
                "alpha_if_deleted": aid,
                "std_alpha_if_deleted": std_aid,
            },
            index=pd.Index(self.items, name="item"),
        )
        if k >= 3:
            w, lam = omega_total(r)
            self.omega_total = w
            self.omega_loadings = pd.Series(lam, index=self.items, name="loading")
        else:
            self.omega_total = math.nan
            self.omega_loadings = pd.Series(np.nan, index=self.items, name="loading")

    # -- Result interface ----------------------------------------------------------------------
    @property
    def table(self) -> pd.DataFrame:
        """One row: alpha, std_alpha, omega_total, n_items, n_used, n_dropped, n_total."""
        return pd.DataFrame(
            [
                {
                    "alpha": self.alpha,
                    "std_alpha": self.std_alpha,
                    "omega_total": self.omega_total,
                    "n_items": self.n_items,
                    "n_used": self.n_used,
                    "n_dropped": self.n_dropped,
                    "n_total": self.n_total,
                }
            ]
        )

    def spss_table(self, lang: Lang = "en", which: str = "reliability") -> pd.DataFrame:
        """An SPSS RELIABILITY table, rounded to three decimals as SPSS prints it.

        ``which``: ``"reliability"`` (Reliability Statistics), ``"cases"`` (Case Processing
        Summary), ``"items"`` (Item Statistics), ``"item_total"`` (Item-Total Statistics) or
        ``"scale"`` (Scale Statistics).

        Examples
        --------
        >>> d = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4], "c": [1, 3, 3, 4, 4]})
        >>> cronbach_alpha(d).spss_table(which="scale")
           Mean Variance Std. Deviation N of Items
        0  9.20   15.200          3.899          3
        """
        lab = _LABELS[lang]

        def num(v: float) -> str:
            return "" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt_num(
                float(v), 3, lang, leading_zero=False
            )

        if which == "reliability":
            return pd.DataFrame(
                [[num(self.alpha), num(self.std_alpha), str(self.n_items)]],
                columns=[lab["alpha"], lab["std"], lab["k"]],
            )
        if which == "cases":
            tot = self.n_total or 1
            rows = [
                (lab["valid"], self.n_used, 100 * self.n_used / tot),
                (lab["excluded"], self.n_dropped, 100 * self.n_dropped / tot),
                (lab["total"], self.n_total, 100.0 if self.n_total else 0.0),
            ]
            return pd.DataFrame(
                [[str(a), fmt_num(b, 1, lang)] for _, a, b in rows],
                index=pd.Index([r[0] for r in rows], name=lab["cases"]),
                columns=[lab["n"], lab["pct"]],
            )
        if which == "items":
            s = self.item_statistics
            return pd.DataFrame(
                {
                    lab["mean"]: [fmt_num(v, 2, lang) for v in s["mean"]],
                    lab["sd"]: [fmt_num(v, 3, lang) for v in s["sd"]],
                    lab["n"]: [str(int(v)) for v in s["n"]],
                },
                index=s.index,
            )
        if which == "item_total":
            s = self.item_total_statistics
            return pd.DataFrame(
                {
                    lab["smd"]: [fmt_num(v, 2, lang) for v in s["scale_mean_if_deleted"]],
                    lab["svd"]: [fmt_num(v, 3, lang) for v in s["scale_variance_if_deleted"]],
                    lab["citc"]: [num(v) for v in s["corrected_item_total_r"]],
                    lab["smc"]: [num(v) for v in s["squared_multiple_r"]],
                    lab["aid"]: [num(v) for v in s["alpha_if_deleted"]],
                },
                index=s.index,
            )
        if which == "scale":
            return pd.DataFrame(
                [[fmt_num(self.scale_mean, 2, lang), fmt_num(self.scale_variance, 3, lang),
                  fmt_num(math.sqrt(self.scale_variance), 3, lang), str(self.n_items)]],
                columns=[lab["mean"], lab["var"], lab["sd"], lab["k"]],
            )
        raise ValueError(
            "which must be 'reliability', 'cases', 'items', 'item_total' or 'scale', "
            f"got {which!r}"
        )

    def apa(self, lang: Lang = "en") -> str:
        """An APA sentence, e.g. ``Cronbach's α = .83 (4 items, N = 69; ...)``.

        Examples
        --------
        >>> d = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4], "c": [1, 3, 3, 4, None]})
        >>> print(cronbach_alpha(d).apa())
        Cronbach's α = .95 (standardised α = .95; 3 items, N = 4; 1 case with missing answers excluded listwise); McDonald's ω_t = .95.
        """
        a = fmt_num(self.alpha, 2, lang, leading_zero=False)
        sa = fmt_num(self.std_alpha, 2, lang, leading_zero=False)
        w = fmt_num(self.omega_total, 2, lang, leading_zero=False)
        nd = self.n_dropped
        if lang == "nl":
            drop = (
                f"; {nd} {'case' if nd == 1 else 'cases'} met ontbrekende antwoorden listwise "
                "uitgesloten"
                if nd
                else ""
            )
            s = (
                f"Cronbachs α = {a} (gestandaardiseerd α = {sa}; {self.n_items} items, "
                f"N = {self.n_used}{drop})"
            )
            return s + (f"; McDonalds ω_t = {w}." if not math.isnan(self.omega_total) else ".")
        drop = (
            f"; {nd} {'case' if nd == 1 else 'cases'} with missing answers excluded listwise"
            if nd
            else ""
        )
        s = (
            f"Cronbach's α = {a} (standardised α = {sa}; {self.n_items} items, "
            f"N = {self.n_used}{drop})"
        )
        return s + (f"; McDonald's ω_t = {w}." if not math.isnan(self.omega_total) else ".")


def cronbach_alpha(items: pd.DataFrame) -> ReliabilityResult:
    """Cronbach's alpha of a set of items, as SPSS RELIABILITY computes it.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item (numeric answer codes, NaN = missing), one row per respondent.
        Rows missing any item are deleted listwise and counted (``n_dropped``,
        ``dropped_index``). Reverse-keyed items must be recoded before.

    Returns
    -------
    ReliabilityResult

    Raises
    ------
    ValueError
        Fewer than 2 items (naming the one given).
    DataValidationError
        Non-numeric answers (every bad cell listed), or items without variance among the
        complete rows (every such item named).
    EmptyGroupError
        Fewer than 3 complete rows.

    Examples
    --------
    >>> d = pd.DataFrame({"q1": [1, 2, 3, 4, 5, 3], "q2": [2, 2, 3, 5, 4, 3],
    ...                   "q3": [1, 3, 3, 4, 5, None]})
    >>> res = cronbach_alpha(d)
    >>> round(res.alpha, 4), res.n_used, res.n_dropped
    (0.9451, 5, 1)
    >>> res.item_total_statistics["alpha_if_deleted"].round(3).tolist()
    [0.853, 0.978, 0.909]
    """
    x, used, dropped = _listwise(items)
    names = [str(c) for c in items.columns]
    if x.shape[0] < 3:
        raise EmptyGroupError(
            f"Cronbach's alpha needs at least 3 rows complete on every item; got {x.shape[0]} "
            f"of {len(items)} (items {names})"
        )
    var = x.var(axis=0, ddof=1)
    flat = [names[j] for j in np.flatnonzero(var <= 1e-12 * np.maximum(1.0, np.abs(x).max()))]
    if flat:
        raise DataValidationError(
            [
                Problem(None, c, f"variance 0 (every complete row answers {x[0, names.index(c)]:g})",
                        "an item whose answers vary")
                for c in flat
            ],
            context=f"the items for Cronbach's alpha ({x.shape[0]} complete rows)",
        )
    return ReliabilityResult(names, x, used, dropped)
