"""Adjusting p-values for multiple testing, as R's ``p.adjust``.

Screening many variables and then modelling the ones that passed makes false positives likely:
with 20 goals × 4 screening variables at α = .05, four "significant" screening tests are expected
when nothing differs at all. The adjustments here control the family-wise error rate (Holm 1979;
Hochberg 1988; Bonferroni) or the false discovery rate (Benjamini & Hochberg 1995; Benjamini &
Yekutieli 2001) over a family of tests; ``docs/methods-inference.md`` explains the choice.

A NaN p (a test that could not be computed) is kept out of the family: the family size ``m`` is
the number of finite p-values, and the NaN stays NaN, as ``p.adjust(p, n = sum(!is.na(p)))``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalstats.format import Lang, _check_lang, fmt_num, p_spss
from evalstats.result import Result

METHODS = ("holm", "hochberg", "bonferroni", "bh", "by", "none")
_ALIASES = {"fdr": "bh", "BH": "bh", "BY": "by"}
_NAMES = {
    "holm": ("Holm", "Holm"),
    "hochberg": ("Hochberg", "Hochberg"),
    "bonferroni": ("Bonferroni", "Bonferroni"),
    "bh": ("Benjamini–Hochberg", "Benjamini–Hochberg"),
    "by": ("Benjamini–Yekutieli", "Benjamini–Yekutieli"),
    "none": ("unadjusted", "ongecorrigeerd"),
}


def _method(method: str) -> str:
    m = _ALIASES.get(method, method)
    if m not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)} (or 'fdr', 'BH', 'BY'), got {method!r}")
    return m


def adjust_p(p: Sequence[float] | np.ndarray, method: str = "holm") -> np.ndarray:
    """Adjusted p-values of one family of tests, equal to R ``p.adjust(p, method)``.

    Parameters
    ----------
    p : sequence of float
        The unadjusted p-values, in any order; NaN for tests that could not be computed.
    method : str
        ``"holm"`` (step-down, family-wise error; the default, as R), ``"hochberg"``
        (step-up, family-wise error under positive dependence), ``"bonferroni"``, ``"bh"``
        (Benjamini–Hochberg false discovery rate; alias ``"fdr"``), ``"by"``
        (Benjamini–Yekutieli, false discovery rate under any dependence) or ``"none"``.

    Returns
    -------
    ndarray
        Adjusted p-values in the order of ``p``, capped at 1; NaN where ``p`` is NaN. The
        family size is the number of finite p-values.

    Examples
    --------
    >>> adjust_p([0.01, 0.04, 0.03, float("nan")], "holm").round(4).tolist()
    [0.03, 0.06, 0.06, nan]
    >>> adjust_p([0.01, 0.04, 0.03], "bh").round(4).tolist()
    [0.03, 0.04, 0.04]
    """
    m = _method(method)
    arr = np.asarray(p, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"p must be one-dimensional, got shape {arr.shape}")
    bad = arr[np.isfinite(arr) & ((arr < 0) | (arr > 1))]
    if len(bad):
        raise ValueError(f"p-values must lie in [0, 1], got {bad[:5].tolist()}")
    out = np.full(arr.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(arr))
    x = arr[ok]
    n = len(x)
    if n == 0:
        return out
    if m == "none":
        adj = x.copy()
    elif m == "bonferroni":
        adj = np.minimum(1.0, n * x)
    elif m == "holm":
        o = np.argsort(x, kind="stable")
        steps = (n - np.arange(n)) * x[o]
        adj = np.empty(n)
        adj[o] = np.minimum(1.0, np.maximum.accumulate(steps))
    else:
        o = np.argsort(-x, kind="stable")  # decreasing, as R's order(p, decreasing = TRUE)
        i = np.arange(n, 0, -1)
        if m == "hochberg":
            steps = (n - i + 1) * x[o]
        else:
            q = float(np.sum(1.0 / np.arange(1, n + 1))) if m == "by" else 1.0
            steps = q * n / i * x[o]
        adj = np.empty(n)
        adj[o] = np.minimum(1.0, np.minimum.accumulate(steps))
    out[ok] = adj
    return out


class MultipleTests(Result):
    """One family of tests with its unadjusted and adjusted p-values.

    Attributes
    ----------
    table : DataFrame
        One row per test: ``test`` (label), ``p`` (unadjusted), ``p_<method>`` per method.
    methods : list of str
    m : int
        The family size: tests with a finite p.
    n_nan : int
        Tests without a p (not computable), kept out of the family and counted here.
    alpha : float

    Examples
    --------
    >>> mt = multiple_tests([0.001, 0.02, 0.04, float("nan")], ["a", "b", "c", "d"])
    >>> mt.table.round(3).to_dict("list")["p_holm"]
    [0.003, 0.04, 0.04, nan]
    >>> mt.m, mt.n_nan
    (3, 1)
    >>> mt.apa()
    'Of 3 tests, 3 had p < .05 unadjusted, 3 after Holm and 3 after Benjamini–Hochberg adjustment (1 test without p not counted).'
    """

    titles = {"en": "Adjusted p-values", "nl": "Gecorrigeerde p-waarden"}

    def __init__(self, p, labels, methods: Sequence[str] = ("holm", "bh"), alpha: float = 0.05):
        p = np.asarray(p, dtype=float)
        labels = list(labels)
        if len(labels) != len(p):
            raise ValueError(f"{len(labels)} labels for {len(p)} p-values")
        self.methods = [_method(x) for x in methods]
        self.alpha = float(alpha)
        frame = pd.DataFrame({"test": labels, "p": p})
        for x in self.methods:
            frame[f"p_{x}"] = adjust_p(p, x)
        self._table = frame
        self.m = int(np.isfinite(p).sum())
        self.n_nan = int(len(p) - self.m)

    @property
    def table(self) -> pd.DataFrame:
        """The tests with ``p`` and the adjusted ``p_<method>`` columns (exact values)."""
        return self._table.copy()

    def n_significant(self, column: str = "p") -> int:
        """How many tests have ``column`` (``"p"`` or ``"p_<method>"``) below alpha.

        Examples
        --------
        >>> mt = multiple_tests([0.02, 0.03, 0.04], ["a", "b", "c"])
        >>> mt.n_significant("p"), mt.n_significant("p_holm")
        (3, 0)
        """
        return int((self._table[column] < self.alpha).sum())

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Test, Sig. and one Sig. column per adjustment, three decimals."""
        _check_lang(lang)
        i = 1 if lang == "nl" else 0
        t = self._table

        def sig(v):
            s = p_spss(float(v))
            return s.replace(".", ",") if lang == "nl" else s

        out = pd.DataFrame({("Test" if i == 0 else "Toets"): t["test"].astype(str)})
        out["Sig."] = [sig(v) for v in t["p"]]
        for x in self.methods:
            out[f"Sig. {_NAMES[x][i]}"] = [sig(v) for v in t[f"p_{x}"]]
        return out

    def apa(self, lang: Lang = "en") -> str:
        """How many tests are significant unadjusted and after each adjustment."""
        _check_lang(lang)
        a = fmt_num(self.alpha, 2, lang, leading_zero=False)
        counts = [self.n_significant("p")] + [self.n_significant(f"p_{x}") for x in self.methods]
        if lang == "en":
            after = " and ".join(f"{c} after {_NAMES[x][0]}" for c, x in
                                 zip(counts[1:], self.methods, strict=True))
            s = f"Of {self.m} tests, {counts[0]} had p < {a} unadjusted, {after} adjustment"
            if self.n_nan:
                s += f" ({self.n_nan} test{'s' if self.n_nan != 1 else ''} without p not counted)"
        else:
            after = " en ".join(f"{c} na {_NAMES[x][1]}" for c, x in
                                zip(counts[1:], self.methods, strict=True))
            s = f"Van {self.m} toetsen hadden er {counts[0]} p < {a} ongecorrigeerd, {after}-correctie"
            if self.n_nan:
                s += f" ({self.n_nan} toets{'en' if self.n_nan != 1 else ''} zonder p niet meegeteld)"
        return s + "."


def multiple_tests(
    p: Sequence[float], labels: Sequence, methods: Sequence[str] = ("holm", "bh"),
    alpha: float = 0.05,
) -> MultipleTests:
    """A family of tests with unadjusted and adjusted p-values side by side.

    Parameters
    ----------
    p : sequence of float
        Unadjusted p-values; NaN for tests without a p (kept out of the family, counted).
    labels : sequence
        One label per test.
    methods : sequence of str
        Adjustments (see :func:`adjust_p`); default Holm and Benjamini–Hochberg.
    alpha : float
        For the counts of significant tests.

    Returns
    -------
    MultipleTests

    Examples
    --------
    >>> multiple_tests([0.01, 0.02], ["a", "b"], methods=["bonferroni"]).table["p_bonferroni"].tolist()
    [0.02, 0.04]
    """
    return MultipleTests(p, labels, methods, alpha)


__all__ = ["METHODS", "MultipleTests", "adjust_p", "multiple_tests"]
