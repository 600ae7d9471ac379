"""Chi-square tests of a contingency table and correlations, as SPSS CROSSTABS and CORRELATIONS.

See ``docs/methods-models.md`` for the formulas and where SPSS and R differ.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalstats._modeldata import check_columns, numeric_problems, sorted_levels
from evalstats.errors import DataValidationError, EmptyGroupError, Problem
from evalstats.format import Lang, fmt_df, fmt_num, fmt_p, p_spss, stat_sep
from evalstats.result import Result


class LowExpectedCountWarning(UserWarning):
    """Cells of a contingency table have expected counts below 5 (SPSS footnote a).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = chi_square([[3, 1], [1, 6]])
    >>> str(caught[0].message)
    '4 of 4 cells (100.0%) have an expected count below 5 (minimum 1.45); the chi-square approximation may be poor'
    """


class ChiSquareResult(Result):
    """Result of :func:`chi_square`; see that function for the attributes.

    Examples
    --------
    >>> res = chi_square([[20, 15], [10, 25]])
    >>> res.spss_table().loc["Pearson Chi-Square"].tolist()
    ['5.833', '1', '.016', '']
    >>> res.apa("nl")
    'χ²(1; N = 70) = 5,83; p = ,016; V = ,29'
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)

    @property
    def table(self) -> pd.DataFrame:
        """One row per test: ``test``, ``statistic``, ``df``, ``p``."""
        return self._table

    titles = {"en": "Chi-square tests", "nl": "Chikwadraattoetsen"}

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """The "Chi-Square Tests" table of SPSS CROSSTABS (3 decimals); the footnote on
        expected counts is in ``.attrs["footnote"]``."""
        names = {
            "pearson": ("Pearson Chi-Square", "Pearson chi-kwadraat"),
            "yates": ("Continuity Correction", "Continuïteitscorrectie"),
            "likelihood_ratio": ("Likelihood Ratio", "Aannemelijkheidsquotiënt"),
            "fisher": ("Fisher's Exact Test", "Exacte toets van Fisher"),
            "linear_by_linear": ("Linear-by-Linear Association", "Lineair-met-lineair verband"),
        }
        k = 0 if lang == "en" else 1
        rows = []
        for _, r in self._table.iterrows():
            sig = p_spss(r["p"])
            rows.append(
                {
                    "Value": ""
                    if pd.isna(r["statistic"])
                    else fmt_num(r["statistic"], 3, lang, leading_zero=False),
                    "df": "" if pd.isna(r["df"]) else str(int(r["df"])),
                    "Asymptotic Significance (2-sided)": ""
                    if r["test"] == "fisher"
                    else (sig.replace(".", ",") if lang == "nl" else sig),
                    "Exact Sig. (2-sided)": (sig.replace(".", ",") if lang == "nl" else sig)
                    if r["test"] == "fisher"
                    else "",
                }
            )
        rows.append(
            {
                "Value": str(self.n),
                "df": "",
                "Asymptotic Significance (2-sided)": "",
                "Exact Sig. (2-sided)": "",
            }
        )
        out = pd.DataFrame(rows)
        out.index = pd.Index(
            [names[t][k] for t in self._table["test"]]
            + ["N of Valid Cases" if lang == "en" else "Aantal geldige waarnemingen"],
            name="Chi-Square Tests" if lang == "en" else "Chi-kwadraattoetsen",
        )
        pct = fmt_num(100 * self.n_expected_below_5 / self.observed.size, 1, lang)
        mn = fmt_num(self.min_expected, 2, lang)
        out.attrs["footnote"] = (
            f"a. {self.n_expected_below_5} cells ({pct}%) have expected count less than 5. "
            f"The minimum expected count is {mn}."
            if lang == "en"
            else f"a. {self.n_expected_below_5} cellen ({pct}%) hebben een verwachte frequentie "
            f"kleiner dan 5. De kleinste verwachte frequentie is {mn}."
        )
        return out

    def apa(self, lang: Lang = "en", test: str = "pearson") -> str:
        """e.g. ``χ²(2, N = 120) = 7.31, p = .026, V = .25``."""
        t = self._table.set_index("test")
        if test not in t.index or test == "fisher":
            raise KeyError(f"test must be one of {[x for x in t.index if x != 'fisher']}")
        r = t.loc[test]
        sep = stat_sep(lang)
        inner = fmt_df(r["df"], lang=lang)[1:-1]
        return (
            f"χ²({inner}{sep}N = {self.n}) = {fmt_num(r['statistic'], 2, lang)}{sep}"
            f"{fmt_p(r['p'], lang)}{sep}V = {fmt_num(self.cramers_v, 2, lang, leading_zero=False)}"
        )


def chi_square(
    table,
    correction: bool = True,
    linear_by_linear: bool = True,
    row_scores: Sequence[float] | None = None,
    col_scores: Sequence[float] | None = None,
) -> ChiSquareResult:
    """Pearson, continuity-corrected, likelihood-ratio and linear-by-linear chi-square tests.

    Parameters
    ----------
    table : array-like or DataFrame
        Observed counts, rows × columns (e.g. ``pd.crosstab(df.a, df.b)``), at least 2 × 2.
    correction : bool
        Add Yates' continuity-corrected test for a 2 × 2 table (SPSS prints it for 2 × 2 only).
        As R's ``chisq.test``, the correction per cell is ``min(0.5, |O − E|)``.
    linear_by_linear : bool
        Add the linear-by-linear (Mantel–Haenszel) test ``(N − 1) r²`` with df 1.
    row_scores, col_scores : sequence of float, optional
        Scores for the linear-by-linear test; default 1, 2, 3, ... (SPSS uses the category
        codes; pass them here when they are not consecutive).

    Returns
    -------
    ChiSquareResult
        ``.table`` (tests ``pearson``, ``yates`` (2 × 2), ``likelihood_ratio``, ``fisher``
        (2 × 2, two-sided exact p), ``linear_by_linear``), ``.n``, ``.expected``, ``.observed``,
        ``.n_expected_below_5``, ``.min_expected``, ``.cramers_v``, ``.phi`` (2 × 2, signed).

    Warns
    -----
    LowExpectedCountWarning
        With the number of cells whose expected count is below 5.

    Examples
    --------
    >>> res = chi_square([[20, 15], [10, 25]])
    >>> res.table.round(4)
                   test  statistic   df       p
    0           pearson     5.8333  1.0  0.0157
    1             yates     4.7250   1.0  0.0297
    2  likelihood_ratio     5.9247   1.0  0.0149
    3            fisher        NaN   NaN  0.0290
    4  linear_by_linear     5.7500   1.0  0.0165
    >>> res.apa()
    'χ²(1, N = 70) = 5.83, p = .016, V = .29'
    """
    obs = np.asarray(table.to_numpy() if isinstance(table, pd.DataFrame) else table, dtype=float)
    problems = []
    if obs.ndim != 2 or obs.shape[0] < 2 or obs.shape[1] < 2:
        raise ValueError(
            f"table must be a 2-D table of at least 2 × 2 counts, got shape {obs.shape}"
        )
    bad = ~np.isfinite(obs) | (obs < 0)
    for i, j in zip(*np.nonzero(bad), strict=True):
        problems.append(Problem(int(i), int(j), float(obs[i, j]), "a non-negative count"))
    if problems:
        raise DataValidationError(problems, context="chi_square table")
    rs, cs = obs.sum(axis=1), obs.sum(axis=0)
    zero = [
        Problem(int(i), None, 0, "a row with at least one case") for i in np.flatnonzero(rs == 0)
    ]
    zero += [
        Problem(None, int(j), 0, "a column with at least one case") for j in np.flatnonzero(cs == 0)
    ]
    if zero:
        raise DataValidationError(zero, context="chi_square table (empty rows/columns)")
    n = obs.sum()
    exp = np.outer(rs, cs) / n
    r, c = obs.shape
    df = (r - 1) * (c - 1)
    pearson = float(((obs - exp) ** 2 / exp).sum())
    rows = [("pearson", pearson, df, float(stats.chi2.sf(pearson, df)))]
    is22 = obs.shape == (2, 2)
    if is22 and correction:
        dev = np.abs(obs - exp)
        yates = float(((dev - np.minimum(0.5, dev)) ** 2 / exp).sum())
        rows.append(("yates", yates, 1, float(stats.chi2.sf(yates, 1))))
    pos = obs > 0
    g2 = float(2 * (obs[pos] * np.log(obs[pos] / exp[pos])).sum())
    rows.append(("likelihood_ratio", g2, df, float(stats.chi2.sf(g2, df))))
    if is22:
        fisher_p = float(stats.fisher_exact(obs, alternative="two-sided").pvalue)
        rows.append(("fisher", np.nan, np.nan, fisher_p))
    if linear_by_linear:
        u = (
            np.arange(1, r + 1, dtype=float)
            if row_scores is None
            else np.asarray(row_scores, float)
        )
        v = (
            np.arange(1, c + 1, dtype=float)
            if col_scores is None
            else np.asarray(col_scores, float)
        )
        if u.shape != (r,) or v.shape != (c,):
            raise ValueError(f"row_scores needs {r} values and col_scores {c}")
        ub = (rs * u).sum() / n
        vb = (cs * v).sum() / n
        cov = (obs * np.outer(u - ub, v - vb)).sum()
        su = (rs * (u - ub) ** 2).sum()
        sv = (cs * (v - vb) ** 2).sum()
        rr = cov / math.sqrt(su * sv)
        m2 = float((n - 1) * rr**2)
        rows.append(("linear_by_linear", m2, 1, float(stats.chi2.sf(m2, 1))))
    low = int((exp < 5).sum())
    if low:
        warnings.warn(
            f"{low} of {exp.size} cells ({100 * low / exp.size:.1f}%) have an expected count "
            f"below 5 (minimum {exp.min():.2f}); the chi-square approximation may be poor",
            LowExpectedCountWarning,
            stacklevel=2,
        )
    v_cramer = math.sqrt(pearson / (n * (min(r, c) - 1)))
    phi = (
        float((obs[0, 0] * obs[1, 1] - obs[0, 1] * obs[1, 0]) / math.sqrt(rs.prod() * cs.prod()))
        if is22
        else float("nan")
    )
    tab = pd.DataFrame(rows, columns=["test", "statistic", "df", "p"])
    return ChiSquareResult(
        _table=tab,
        n=int(round(n)) if float(n).is_integer() else n,
        observed=obs,
        expected=exp,
        n_expected_below_5=low,
        min_expected=float(exp.min()),
        cramers_v=v_cramer,
        phi=phi,
    )


class CorrelationResult(Result):
    """Result of :func:`correlation`; see that function for the attributes.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6], "b": [2.0, 1, 4, 3, 6, 5]})
    >>> correlation(df, "a", "b", method="spearman").apa("nl")
    'r_s(4) = ,83; p = ,042; 95%-BI [,05; ,98]'
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)

    @property
    def table(self) -> pd.DataFrame:
        """One row: ``x``, ``y``, ``method``, ``n``, ``n_dropped``, ``r``, ``df``, ``t``, ``p``,
        ``ci_lower``, ``ci_upper``."""
        return self._table

    titles = {"en": "Correlation", "nl": "Correlatie"}

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Correlations as SPSS prints the off-diagonal cell: coefficient, Sig. (2-tailed), N."""
        r = self._table.iloc[0]
        label = {
            "pearson": "Pearson Correlation",
            "pointbiserial": "Pearson Correlation",
            "spearman": "Spearman's rho Correlation Coefficient",
        }[r["method"]]
        sig = p_spss(r["p"])
        if lang == "nl":
            sig = sig.replace(".", ",")
        out = pd.DataFrame(
            {r["y"]: [fmt_num(r["r"], 3, lang, leading_zero=False), sig, str(int(r["n"]))]},
            index=pd.Index([label, "Sig. (2-tailed)", "N"], name=r["x"]),
        )
        return out

    def apa(self, lang: Lang = "en") -> str:
        """e.g. ``r(98) = .32, p = .001, 95% CI [.13, .49]``."""
        r = self._table.iloc[0]
        sym = {"pearson": "r", "pointbiserial": "r_pb", "spearman": "r_s"}[r["method"]]
        sep = stat_sep(lang)
        ci = "95% CI" if lang == "en" else "95%-BI"
        cis = "; " if lang == "nl" else ", "
        lvl = f"{round(100 * (1 - self.alpha))}%"
        ci = ci.replace("95%", lvl)
        return (
            f"{sym}({int(r['df'])}) = {fmt_num(r['r'], 2, lang, leading_zero=False)}{sep}"
            f"{fmt_p(r['p'], lang)}{sep}{ci} "
            f"[{fmt_num(r['ci_lower'], 2, lang, leading_zero=False)}{cis}"
            f"{fmt_num(r['ci_upper'], 2, lang, leading_zero=False)}]"
        )


def correlation(
    data: pd.DataFrame, x: str, y: str, method: str = "pearson", alpha: float = 0.05
) -> CorrelationResult:
    """Pearson, point-biserial or Spearman correlation with N, p and a Fisher-z CI.

    Cases missing ``x`` or ``y`` are left out pairwise and counted (``n_dropped``).

    Parameters
    ----------
    data : DataFrame
    x, y : str
        Column names. For ``"pointbiserial"`` one of them must have exactly two distinct values;
        it is coded 0/1 (higher value = 1), so a positive r means the higher group scores higher.
    method : "pearson", "pointbiserial" or "spearman"
        p from ``t = r √(df / (1 − r²))`` with ``df = n − 2`` (as SPSS; for Spearman R's
        ``cor.test`` uses an exact test for small samples without ties instead).
    alpha : float
        1 − confidence level of ``tanh(atanh(r) ± z / √(n − 3))``.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6, None], "b": [2.0, 1, 4, 3, 6, 5, 7]})
    >>> res = correlation(df, "a", "b")
    >>> res.table[["n", "n_dropped", "r", "p"]].round(4)
       n  n_dropped       r       p
    0  6          1  0.8286  0.0416
    >>> res.apa()
    'r(4) = .83, p = .042, 95% CI [.05, .98]'
    """
    methods = ("pearson", "pointbiserial", "spearman")
    if method not in methods:
        raise ValueError(f"method must be one of {methods}, got {method!r}")
    check_columns(data, [x, y], "correlation")
    sub = data[[x, y]]
    ok = sub.notna().all(axis=1).to_numpy()
    problems = []
    binary: list[str] = []
    if method == "pointbiserial":
        binary = [c for c in (x, y) if len(sorted_levels(sub.loc[ok, c])) == 2]
        if not binary:
            problems.append(
                Problem(
                    None,
                    f"{x}, {y}",
                    [sorted_levels(sub.loc[ok, c])[:10] for c in (x, y)],
                    "one of the two variables to have exactly two distinct values",
                )
            )
    problems += numeric_problems(
        sub, [c for c in (x, y) if not (method == "pointbiserial" and c in binary[:1])]
    )
    if problems:
        raise DataValidationError(problems, context="correlation")
    cols = {}
    for c in (x, y):
        s = sub.loc[ok, c]
        if method == "pointbiserial" and c == binary[0]:
            hi = sorted_levels(s)[-1]
            cols[c] = (s.to_numpy(dtype=object) == hi).astype(float)
        else:
            cols[c] = pd.to_numeric(s).to_numpy(dtype=float)
    a, b = cols[x], cols[y]
    n = int(ok.sum())
    if n < 4:
        raise EmptyGroupError(
            f"correlation of {x!r} and {y!r}: {n} complete pairs, need at least 4"
        )
    if method == "spearman":
        a, b = stats.rankdata(a), stats.rankdata(b)
    if a.std() == 0 or b.std() == 0:
        const = x if a.std() == 0 else y
        raise EmptyGroupError(f"correlation: {const!r} is constant among the {n} complete pairs")
    r = float(np.corrcoef(a, b)[0, 1])
    r = max(-1.0, min(1.0, r))
    df = n - 2
    if abs(r) < 1:
        t = r * math.sqrt(df / (1 - r * r))
        p = float(2 * stats.t.sf(abs(t), df))
    else:
        t, p = math.copysign(math.inf, r), 0.0
    z = float(stats.norm.ppf(1 - alpha / 2))
    zr = math.atanh(r) if abs(r) < 1 else math.copysign(math.inf, r)
    lo, hi = math.tanh(zr - z / math.sqrt(n - 3)), math.tanh(zr + z / math.sqrt(n - 3))
    tab = pd.DataFrame(
        [
            {
                "x": x,
                "y": y,
                "method": method,
                "n": n,
                "n_dropped": int((~ok).sum()),
                "r": r,
                "df": df,
                "t": t,
                "p": p,
                "ci_lower": lo,
                "ci_upper": hi,
            }
        ]
    )
    return CorrelationResult(_table=tab, alpha=alpha, n=n, n_dropped=int((~ok).sum()), r=r, p=p)
