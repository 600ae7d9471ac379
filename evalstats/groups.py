"""Group comparisons as SPSS prints them: Levene, one-way ANOVA (+ Welch, post hoc) and t tests.

Raw-data functions (:func:`levene`, :func:`oneway_anova`, :func:`ttest_ind`) and summary-data
functions (:func:`oneway_from_summary`, :func:`ttest_from_summary`) reduce their input to group
sizes, means and standard deviations and share one computational core
(:mod:`evalstats._groups_core`). Rows with a missing dependent variable or group are deleted
listwise and counted in ``n_dropped``.

See ``docs/methods-group-comparisons.md`` for the formulas and where SPSS and R differ.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from evalstats._compat import renamed_kwargs
from evalstats._groups_core import (
    FTest,
    GroupStats,
    PairNumbers,
    TTestNumbers,
    anova_from_stats,
    brown_forsythe_from_stats,
    cohen_d_from_stats,
    games_howell_from_stats,
    levene_from_samples,
    ttest_from_stats,
    tukey_from_stats,
    welch_from_stats,
)
from evalstats._groups_labels import label
from evalstats.errors import DataValidationError, EmptyGroupError, Problem
from evalstats.format import Lang, _check_lang, fmt_df, fmt_num, fmt_p, p_spss, stat_sep
from evalstats.result import Result

__all__ = [
    "Descriptives",
    "FTest",
    "LeveneResult",
    "OnewayResult",
    "PosthocResult",
    "TTestNumbers",
    "TTestResult",
    "WelchResult",
    "levene",
    "oneway_anova",
    "oneway_from_summary",
    "ttest_from_summary",
    "ttest_ind",
]

# --------------------------------------------------------------------------- formatting helpers


def _spss_num(x: float, decimals: int, lang: Lang) -> str:
    """A number as an SPSS pivot table shows it: fixed decimals, no leading zero."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return fmt_num(float(x), decimals, lang, leading_zero=False)


def _spss_sig(p: float, lang: Lang) -> str:
    s = p_spss(p)
    return s.replace(".", ",") if lang == "nl" else s


def _spss_df(df: float, lang: Lang) -> str:
    """Whole df as integers; Welch df with three decimals as SPSS prints them."""
    if float(df).is_integer():
        return str(int(df))
    return _spss_num(df, 3, lang)


def _pct(conf: float) -> str:
    return f"{conf * 100:g}"


def _check_conf(conf: float) -> float:
    if not 0 < conf < 1:
        raise ValueError(f"conf must be a confidence level between 0 and 1, got {conf!r}")
    return float(conf)


def _report(sections: list[tuple[str, pd.DataFrame]], sentence: str) -> str:
    blocks = [f"{title}\n{frame.to_string()}" for title, frame in sections]
    return "\n\n".join([*blocks, sentence])


def _apa_F(name: str, test: FTest, lang: Lang) -> str:
    sep = stat_sep(lang)
    return (
        f"{name}{fmt_df(test.df1, test.df2, lang=lang)} = {fmt_num(test.F, 2, lang)}"
        f"{sep}{fmt_p(test.p, lang)}"
    )


def _plain(value):
    """numpy scalars to Python scalars, for readable labels."""
    return value.item() if isinstance(value, np.generic) else value


# --------------------------------------------------------------------------- input handling


def _numeric_column(data: pd.DataFrame, column, problems: list[Problem]) -> pd.Series:
    raw = data[column]
    if pd.api.types.is_bool_dtype(raw):
        problems.append(Problem(None, column, str(raw.dtype), "a numeric column"))
        return pd.Series(np.nan, index=raw.index)
    if pd.api.types.is_numeric_dtype(raw):
        y = raw.astype(float)
    else:
        y = pd.to_numeric(raw, errors="coerce").astype(float)
        bad = (y.isna() & raw.notna()).to_numpy()
        for pos in np.flatnonzero(bad):
            problems.append(
                Problem(
                    raw.index[pos], column, raw.iloc[pos], "a number (decimal point, not comma)"
                )
            )
    for pos in np.flatnonzero(np.isinf(y.to_numpy())):
        problems.append(Problem(raw.index[pos], column, raw.iloc[pos], "a finite number"))
    return y


def _levels(g: pd.Series) -> list:
    if isinstance(g.dtype, pd.CategoricalDtype):
        return [_plain(c) for c in g.cat.categories]
    values = [_plain(v) for v in pd.unique(g)]
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _split(data, outcome, group) -> tuple[list[np.ndarray], list, int]:
    """Validate, delete missing rows listwise, split outcome by group (levels in SPSS order)."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    problems = [
        Problem(None, col, None, f"a column of the data ({role})")
        for col, role in ((outcome, "dependent variable"), (group, "grouping variable"))
        if col not in data.columns
    ]
    if problems:
        raise DataValidationError(problems, context="the group comparison input")
    y = _numeric_column(data, outcome, problems)
    if problems:
        raise DataValidationError(problems, context=f"column {outcome!r}")
    g = data[group]
    missing = (y.isna() | g.isna()).to_numpy()
    y, g = y[~missing], g[~missing]
    levels = _levels(g)
    gv = g.to_numpy()
    samples = [y.to_numpy()[gv == lev] for lev in levels]
    return samples, levels, int(missing.sum())


def _check_groups(samples: Sequence[np.ndarray], levels: Sequence, group) -> None:
    if len(levels) < 2:
        raise ValueError(
            f"a group comparison needs at least 2 groups; grouping variable {group!r} has "
            f"{len(levels)} ({', '.join(map(repr, levels)) or 'none'}) after listwise deletion"
        )
    small = [(lev, len(s)) for lev, s in zip(levels, samples, strict=True) if len(s) < 2]
    if small:
        where = "; ".join(
            f"group {lev!r}: {n} observation{'s' if n != 1 else ''}" for lev, n in small
        )
        hint = (
            " (an unused category? use .cat.remove_unused_categories())"
            if any(n == 0 for _, n in small)
            else ""
        )
        raise EmptyGroupError(
            f"every group of {group!r} needs at least 2 observations after listwise deletion; "
            f"{where}{hint}"
        )


def _check_summary(means, sds, ns, labels) -> GroupStats:
    means, sds, ns = (np.asarray(a, dtype=float).ravel() for a in (means, sds, ns))
    if not (len(means) == len(sds) == len(ns)):
        raise ValueError(
            f"means, sds and ns must have equal length, got {len(means)}, {len(sds)}, {len(ns)}"
        )
    labels = list(labels) if labels is not None else list(range(1, len(means) + 1))
    if len(labels) != len(means):
        raise ValueError(f"labels has {len(labels)} entries for {len(means)} groups")
    problems = []
    for lab, m, s, n in zip(labels, means, sds, ns, strict=True):
        if not np.isfinite(m):
            problems.append(Problem(lab, "mean", m, "a finite number"))
        if not (np.isfinite(s) and s >= 0):
            problems.append(Problem(lab, "sd", s, "a finite number >= 0"))
        if not (np.isfinite(n) and n == round(n) and n >= 0):
            problems.append(Problem(lab, "n", n, "a whole number of observations"))
    if problems:
        raise DataValidationError(problems, context="the summary statistics")
    _check_groups([np.empty(int(n)) for n in ns], labels, "summary")
    return GroupStats.from_summary(means, sds, ns, labels)


# --------------------------------------------------------------------------- result objects


class LeveneResult(Result):
    """Levene's test for equality of variances (mean-centred as SPSS, or median-centred).

    Attributes
    ----------
    F, df1, df2, p : float
    center : {"mean", "median"}
    n_dropped : int
        Rows deleted listwise (missing dependent variable or group).

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1, 2, 3, 1, 3, 5], "g": list("aaabbb")})
    >>> res = levene(df, "y", "g")
    >>> round(res.F, 6), res.df1, res.df2
    (0.8, 1.0, 4.0)
    >>> res.apa()
    "Levene's test (based on mean): F(1, 4) = 0.80, p = .422"
    """

    titles = {"en": "Test of homogeneity of variances", "nl": "Toets op gelijkheid van varianties"}

    def __init__(self, test: FTest, center: str, n_dropped: int = 0):
        self._test = test
        self.center = center
        self.n_dropped = n_dropped

    F = property(lambda self: self._test.F, doc="Levene statistic.")
    df1 = property(lambda self: self._test.df1, doc="k − 1.")
    df2 = property(lambda self: self._test.df2, doc="N − k.")
    p = property(lambda self: self._test.p, doc="Exact p-value.")

    @property
    def table(self) -> pd.DataFrame:
        """One row: center, F, df1, df2, p."""
        t = self._test
        return pd.DataFrame(
            {"center": [self.center], "F": [t.F], "df1": [int(t.df1)], "df2": [int(t.df2)], "p": [t.p]}
        )

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """SPSS "Test of Homogeneity of Variances" (Levene Statistic, df1, df2, Sig.)."""
        t = self._test
        return pd.DataFrame(
            {
                label("levene_stat", lang): [_spss_num(t.F, 3, lang)],
                label("df1", lang): [_spss_df(t.df1, lang)],
                label("df2", lang): [_spss_df(t.df2, lang)],
                label("sig", lang): [_spss_sig(t.p, lang)],
            },
            index=[label(f"levene_{self.center}", lang)],
        )

    def apa(self, lang: Lang = "en") -> str:
        """E.g. ``Levene's test (based on mean): F(3, 62) = 1.23, p = .305``."""
        where = label(f"levene_{self.center}", lang).lower()
        return _apa_F(f"{label('levene_test', lang)} ({where}): F", self._test, lang)


class Descriptives(Result):
    """Descriptive statistics per group, as SPSS ONEWAY ``/STATISTICS DESCRIPTIVES`` or the
    T-TEST "Group Statistics" table (``layout="ttest"``: no CI, min, max or Total row).

    Examples
    --------
    >>> res = oneway_from_summary([3.0, 4.0], [1.0, 1.0], [10, 10], labels=["A", "B"])
    >>> res.descriptives.table[["group", "n", "mean"]]
       group   n  mean
    0      A  10   3.0
    1      B  10   4.0
    2  Total  20   3.5
    """

    titles = {"en": "Descriptives", "nl": "Beschrijvende statistieken"}

    def __init__(self, stats: GroupStats, conf: float = 0.95, layout: str = "oneway"):
        self.stats = stats
        self.conf = conf
        self.layout = layout

    @property
    def table(self) -> pd.DataFrame:
        """Columns group, n, mean, sd, se, ci_lower, ci_upper, min, max (exact values)."""
        from scipy import stats as st

        gs = self.stats
        labels = list(gs.labels)
        n, mean, sd = gs.n, gs.mean, gs.sd
        mins, maxs = gs.minimum, gs.maximum
        if self.layout == "oneway":
            a = anova_from_stats(gs)
            labels.append("Total")
            n = np.append(n, gs.n.sum())
            mean = np.append(mean, a.grand_mean)
            sd = np.append(sd, math.sqrt(a.ss_total / a.df_total))
            mins = np.append(mins, np.min(mins))
            maxs = np.append(maxs, np.max(maxs))
        se = sd / np.sqrt(n)
        out = pd.DataFrame(
            {
                "group": pd.Series(labels, dtype=object),
                "n": n.astype(int),
                "mean": mean,
                "sd": sd,
                "se": se,
            }
        )
        if self.layout == "oneway":
            half = st.t.ppf(0.5 + self.conf / 2, n - 1) * se
            out["ci_lower"] = mean - half
            out["ci_upper"] = mean + half
            out["min"] = mins
            out["max"] = maxs
        return out

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """SPSS layout: Mean 4 decimals, SD and SE 5, CI 4, Minimum/Maximum 2."""
        t = self.table
        pct = _pct(self.conf)
        cols = {
            label("N", lang): t["n"].astype(str).tolist(),
            label("mean", lang): [_spss_num(x, 4, lang) for x in t["mean"]],
            label("sd", lang): [_spss_num(x, 5, lang) for x in t["sd"]],
            label("se" if self.layout == "oneway" else "se_mean", lang): [
                _spss_num(x, 5, lang) for x in t["se"]
            ],
        }
        if self.layout == "oneway":
            cols[label("ci_lower", lang, pct=pct)] = [_spss_num(x, 4, lang) for x in t["ci_lower"]]
            cols[label("ci_upper", lang, pct=pct)] = [_spss_num(x, 4, lang) for x in t["ci_upper"]]
            cols[label("min", lang)] = [_spss_num(x, 2, lang) for x in t["min"]]
            cols[label("max", lang)] = [_spss_num(x, 2, lang) for x in t["max"]]
        index = [
            label("total", lang)
            if g == "Total" and i == len(t) - 1 and self.layout == "oneway"
            else str(g)
            for i, g in enumerate(t["group"])
        ]
        return pd.DataFrame(cols, index=index).astype(object)

    def apa(self, lang: Lang = "en") -> str:
        """E.g. ``A (M = 3.00, SD = 1.00, n = 10), B (…)``; Dutch ``A (M = 3,00; SD = 1,00;
        n = 10), B (…)`` (groups only, no Total).

        Examples
        --------
        >>> res = oneway_from_summary([3.0, 4.5], [1.0, 1.25], [10, 12], labels=["A", "B"])
        >>> res.descriptives.apa("nl")
        'A (M = 3,00; SD = 1,00; n = 10), B (M = 4,50; SD = 1,25; n = 12)'
        """
        _check_lang(lang)
        sep = stat_sep(lang)
        gs = self.stats
        parts = [
            f"{lab} (M = {fmt_num(m, 2, lang)}{sep}SD = {fmt_num(s, 2, lang)}{sep}n = {int(n)})"
            for lab, m, s, n in zip(gs.labels, gs.mean, gs.sd, gs.n, strict=True)
        ]
        return ", ".join(parts)


class WelchResult(Result):
    """SPSS "Robust Tests of Equality of Means": Welch's F (main) and Brown–Forsythe F*.

    Attributes
    ----------
    F, df1, df2, p : float
        Welch's test; df2 is fractional.
    brown_forsythe : FTest
        Brown and Forsythe's F* with its Satterthwaite df2.

    Examples
    --------
    >>> res = oneway_from_summary([3.0, 4.0, 5.0], [1.0, 2.0, 1.5], [10, 12, 8])
    >>> round(res.welch.df2, 4)
    16.0205
    >>> res.welch.apa()
    "Welch's F(2, 16.02) = 5.30, p = .017"
    """

    titles = {"en": "Robust tests of equality of means", "nl": "Robuuste toetsen op gelijkheid van gemiddelden"}

    def __init__(self, welch: FTest, brown_forsythe: FTest):
        self._welch = welch
        self.brown_forsythe = brown_forsythe

    F = property(lambda self: self._welch.F, doc="Welch's F.")
    df1 = property(lambda self: self._welch.df1, doc="k − 1.")
    df2 = property(lambda self: self._welch.df2, doc="Welch's fractional denominator df.")
    p = property(lambda self: self._welch.p, doc="Exact p-value.")

    @property
    def table(self) -> pd.DataFrame:
        """Rows welch and brown_forsythe; columns test, F, df1, df2, p."""
        rows = [("welch", self._welch), ("brown_forsythe", self.brown_forsythe)]
        return pd.DataFrame(
            [(name, t.F, t.df1, t.df2, t.p) for name, t in rows],
            columns=["test", "F", "df1", "df2", "p"],
        )

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Statistic (3 decimals), df1, df2 (3 decimals), Sig."""
        rows = [("welch", self._welch), ("brown_forsythe", self.brown_forsythe)]
        return pd.DataFrame(
            {
                label("statistic", lang): [_spss_num(t.F, 3, lang) for _, t in rows],
                label("df1", lang): [_spss_df(t.df1, lang) for _, t in rows],
                label("df2", lang): [_spss_df(t.df2, lang) for _, t in rows],
                label("sig", lang): [_spss_sig(t.p, lang) for _, t in rows],
            },
            index=[label(name, lang) for name, _ in rows],
        )

    def apa(self, lang: Lang = "en") -> str:
        """E.g. ``Welch's F(3, 30.46) = 5.12, p = .006`` (df2 with two decimals)."""
        return _apa_F(f"{label('welch_test', lang)} F", self._welch, lang)


class PosthocResult(Result):
    """Pairwise comparisons after a one-way ANOVA (Tukey HSD or Games–Howell).

    ``table`` has one row per pair i < j (as R); :meth:`spss_table` lists every ordered pair
    (I, J) as SPSS "Multiple Comparisons" does, with ``*`` at significant mean differences.

    Examples
    --------
    >>> res = oneway_from_summary([3.0, 4.0, 5.0], [1.0, 1.0, 1.0], [10, 10, 10], labels="ABC")
    >>> ph = res.posthoc("tukey")
    >>> ph.table[["group_i", "group_j", "mean_diff"]]
      group_i group_j  mean_diff
    0       A       B       -1.0
    1       A       C       -2.0
    2       B       C       -1.0
    >>> round(float(ph.table["p"].iloc[1]), 6)
    0.000359
    """

    titles = {"en": "Multiple comparisons", "nl": "Meervoudige vergelijkingen"}

    def __init__(
        self, pairs: PairNumbers, labels: Sequence, method: str, conf: float, group="group"
    ):
        self._pairs = pairs
        self.labels = list(labels)
        self.method = method
        self.conf = conf
        self.group = group

    @property
    def table(self) -> pd.DataFrame:
        """Columns group_i, group_j, mean_diff (i − j), se, df, p, ci_lower, ci_upper."""
        pr = self._pairs
        lab = np.array(self.labels, dtype=object)
        return pd.DataFrame(
            {
                "group_i": pd.Series(lab[pr.i], dtype=object),
                "group_j": pd.Series(lab[pr.j], dtype=object),
                "mean_diff": pr.mean_diff,
                "se": pr.se,
                "df": pr.df,
                "p": pr.p,
                "ci_lower": pr.ci_lower,
                "ci_upper": pr.ci_upper,
            }
        )

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Every ordered pair; mean difference, SE and CI with 5 decimals, Sig. with 3."""
        t = self.table
        rows = []
        for a in self.labels:
            for b in self.labels:
                if a == b:
                    continue
                hit = t[(t["group_i"] == a) & (t["group_j"] == b)]
                if len(hit):
                    r = hit.iloc[0]
                    d, lo, hi = r["mean_diff"], r["ci_lower"], r["ci_upper"]
                else:
                    r = t[(t["group_i"] == b) & (t["group_j"] == a)].iloc[0]
                    d, lo, hi = -r["mean_diff"], -r["ci_upper"], -r["ci_lower"]
                star = "*" if r["p"] < 1 - self.conf else ""
                rows.append(
                    (
                        str(a),
                        str(b),
                        _spss_num(d, 5, lang) + star,
                        _spss_num(r["se"], 5, lang),
                        _spss_sig(r["p"], lang),
                        _spss_num(lo, 5, lang),
                        _spss_num(hi, 5, lang),
                    )
                )
        pct = _pct(self.conf)
        cols = [
            label("group_i", lang, group=self.group),
            label("group_j", lang, group=self.group),
            label("mean_diff_ij", lang),
            label("se", lang),
            label("sig", lang),
            label("lower", lang, pct=pct),
            label("upper", lang, pct=pct),
        ]
        return pd.DataFrame(rows, columns=cols).astype(object)

    def apa(self, lang: Lang = "en") -> str:
        """E.g. ``Tukey HSD. A vs. B: Mdiff = -1.00, 95% CI [-2.11, 0.11], p = .080. ...``."""
        _check_lang(lang)
        sep = stat_sep(lang)
        pct = _pct(self.conf)
        ci = f"{pct}% CI" if lang == "en" else f"{pct}%-BI"
        parts = [label(self.method, lang)]
        for r in self.table.itertuples(index=False):
            parts.append(
                f"{r.group_i} {label('vs', lang)} {r.group_j}: {label('diff', lang)} = "
                f"{fmt_num(r.mean_diff, 2, lang)}{sep}{ci} [{fmt_num(r.ci_lower, 2, lang)}{sep}"
                f"{fmt_num(r.ci_upper, 2, lang)}]{sep}{fmt_p(r.p, lang)}"
            )
        return ". ".join(parts) + "."


class OnewayResult(Result):
    """One-way ANOVA as SPSS ONEWAY prints it, with Levene, Welch and post hoc tests.

    Build it with :func:`oneway_anova` (long DataFrame), :meth:`from_samples` (dict or list of
    arrays) or :func:`oneway_from_summary` (published means, SDs and ns; no Levene then).

    Attributes
    ----------
    F, df1, df2, p : float
        The classical F test (exact p).
    eta_squared, omega_squared : float
    ss_between, ss_within, ss_total, ms_between, ms_within : float
    descriptives : Descriptives
    levene : LeveneResult or None
        Mean-centred as SPSS; ``None`` when built from summaries.
    welch : WelchResult
    n : int
        Observations used.
    n_dropped : int
        Rows deleted listwise (missing dependent variable or group).

    Examples
    --------
    >>> df = pd.DataFrame({"score": [4, 5, 5, 3, 4, 2, 3, 3, 2], "org": list("AAABBBCCC")})
    >>> res = oneway_anova(df, "score", "org")
    >>> res.table.round(4)
        source       ss  df      ms    F       p
    0  between   6.8889   2  3.4444  6.2  0.0347
    1   within   3.3333   6  0.5556  NaN     NaN
    2    total  10.2222   8     NaN  NaN     NaN
    >>> res.apa()
    'F(2, 6) = 6.20, p = .035, η² = .67'
    >>> res.apa("nl")
    'F(2; 6) = 6,20; p = ,035; η² = ,67'
    """

    titles = {"en": "One-way ANOVA", "nl": "Eenweg-variantieanalyse"}

    def __init__(
        self,
        stats: GroupStats,
        *,
        samples: Sequence[np.ndarray] | None = None,
        conf: float = 0.95,
        group: str = "group",
        n_dropped: int = 0,
    ):
        self.stats = stats
        self.conf = _check_conf(conf)
        self.group = group
        self.n_dropped = n_dropped
        self._anova = anova_from_stats(stats)
        self.descriptives = Descriptives(stats, conf, "oneway")
        self.levene = (
            LeveneResult(
                levene_from_samples(samples, list(stats.labels), "mean"), "mean", n_dropped
            )
            if samples is not None
            else None
        )
        self.welch = WelchResult(welch_from_stats(stats), brown_forsythe_from_stats(stats))

    @classmethod
    def from_samples(
        cls,
        samples: Mapping[object, Sequence[float]] | Sequence[Sequence[float]],
        names: Sequence | None = None,
        conf: float = 0.95,
    ) -> OnewayResult:
        """One-way ANOVA from one array per group: a dict ``{label: values}`` or a list.

        List groups are labelled 1, 2, … unless ``names`` is given. NaN values are dropped and
        counted in ``n_dropped``.

        Examples
        --------
        >>> res = OnewayResult.from_samples({"A": [4, 5, 5], "B": [3, 4, 2], "C": [3, 3, 2]})
        >>> round(res.F, 6), res.df1, res.df2
        (6.2, 2.0, 6.0)
        """
        if isinstance(samples, Mapping):
            labels = list(samples.keys()) if names is None else list(names)
            arrays = list(samples.values())
        else:
            arrays = list(samples)
            labels = list(names) if names is not None else list(range(1, len(arrays) + 1))
        if len(labels) != len(arrays):
            raise ValueError(f"names has {len(labels)} entries for {len(arrays)} samples")
        problems, clean, dropped = [], [], 0
        for lab, arr in zip(labels, arrays, strict=True):
            a = pd.to_numeric(pd.Series(list(arr), dtype=object), errors="coerce").astype(float)
            raw = pd.Series(list(arr), dtype=object)
            for pos in np.flatnonzero((a.isna() & raw.notna()).to_numpy() | np.isinf(a.to_numpy())):
                problems.append(Problem(pos, lab, raw.iloc[pos], "a finite number"))
            dropped += int(a.isna().sum())
            clean.append(a.dropna().to_numpy())
        if problems:
            raise DataValidationError(
                problems, context="the samples (row = position, column = group)"
            )
        _check_groups(clean, labels, "samples")
        return cls(
            GroupStats.from_samples(clean, labels), samples=clean, conf=conf, n_dropped=dropped
        )

    F = property(lambda self: self._anova.F, doc="F = MS_between / MS_within.")
    df1 = property(lambda self: self._anova.df_between, doc="k − 1.")
    df2 = property(lambda self: self._anova.df_within, doc="N − k.")
    p = property(lambda self: self._anova.p, doc="Exact p-value of F.")
    eta_squared = property(lambda self: self._anova.eta_squared, doc="SS_between / SS_total.")
    omega_squared = property(
        lambda self: self._anova.omega_squared,
        doc="(SS_between − df1 · MS_within) / (SS_total + MS_within).",
    )
    ss_between = property(lambda self: self._anova.ss_between)
    ss_within = property(lambda self: self._anova.ss_within)
    ss_total = property(lambda self: self._anova.ss_total)
    ms_between = property(lambda self: self._anova.ms_between)
    ms_within = property(lambda self: self._anova.ms_within)
    n = property(lambda self: int(self.stats.n.sum()), doc="Observations used.")

    def _repr_fields(self) -> str:
        return f"{self.apa('en')}, n = {self.n}"

    @property
    def table(self) -> pd.DataFrame:
        """The ANOVA table: rows between, within, total; columns source, ss, df, ms, F, p."""
        a = self._anova
        return pd.DataFrame(
            {
                "source": ["between", "within", "total"],
                "ss": [a.ss_between, a.ss_within, a.ss_total],
                "df": np.array([a.df_between, a.df_within, a.df_total]).astype(int),
                "ms": [a.ms_between, a.ms_within, np.nan],
                "F": [a.F, np.nan, np.nan],
                "p": [a.p, np.nan, np.nan],
            }
        )

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """SPSS "ANOVA": Sum of Squares, df, Mean Square, F, Sig. (3 decimals)."""
        t = self.table
        return pd.DataFrame(
            {
                label("ss", lang): [_spss_num(x, 3, lang) for x in t["ss"]],
                label("df", lang): t["df"].astype(str).tolist(),
                label("ms", lang): [_spss_num(x, 3, lang) for x in t["ms"]],
                label("F", lang): [_spss_num(x, 3, lang) for x in t["F"]],
                label("sig", lang): [_spss_sig(x, lang) for x in t["p"]],
            },
            index=[label(s, lang) for s in t["source"]],
        ).astype(object)

    def apa(self, lang: Lang = "en") -> str:
        """E.g. ``F(3, 62) = 7.22, p < .001, η² = .26`` (Dutch ``F(3; 62) = 7,22; p < ,001; η² = ,26``)."""
        a = self._anova
        test = FTest(a.F, a.df_between, a.df_within, a.p)
        eta = fmt_num(a.eta_squared, 2, lang, leading_zero=False)
        return _apa_F("F", test, lang) + f"{stat_sep(lang)}η² = {eta}"

    def report(self, lang: Lang = "en") -> str:
        """All SPSS tables of the analysis (Descriptives, Levene, ANOVA, Robust Tests) and the
        APA sentence, as text; ``str(result)`` is the English report.

        Examples
        --------
        >>> res = OnewayResult.from_samples({"A": [4, 5, 5], "B": [3, 4, 2], "C": [3, 3, 2]})
        >>> print(res.report("nl"))  # doctest: +ELLIPSIS
        Beschrijvende statistieken
        ...
        F(2; 6) = 6,20; p = ,035; η² = ,67
        """
        sections = [(label("title_descriptives", lang), self.descriptives.spss_table(lang))]
        if self.levene is not None:
            sections.append((label("title_levene", lang), self.levene.spss_table(lang)))
        sections.append((label("title_anova", lang), self.spss_table(lang)))
        sections.append((label("title_robust", lang), self.welch.spss_table(lang)))
        return _report(sections, self.apa(lang))

    def posthoc(
        self, method: Literal["tukey", "games-howell"] = "tukey", conf: float | None = None
    ) -> PosthocResult:
        """Pairwise comparisons: ``"tukey"`` (Tukey–Kramer) or ``"games-howell"``.

        Examples
        --------
        >>> res = oneway_from_summary([3.0, 4.0, 5.0], [1.0, 2.0, 1.5], [10, 12, 8], labels="ABC")
        >>> gh = res.posthoc("games-howell")
        >>> gh.table["df"].round(3).tolist()
        [16.748, 11.711, 17.649]
        """
        conf = self.conf if conf is None else _check_conf(conf)
        if method == "tukey":
            pairs = tukey_from_stats(self.stats, conf)
        elif method == "games-howell":
            pairs = games_howell_from_stats(self.stats, conf)
        else:
            raise ValueError(f"method must be 'tukey' or 'games-howell', got {method!r}")
        return PosthocResult(pairs, self.stats.labels, method, conf, self.group)


class TTestResult(Result):
    """Independent-samples t test as SPSS T-TEST prints it (group 1 minus group 2).

    Attributes
    ----------
    student, welch : TTestNumbers
        "Equal variances assumed" and "Equal variances not assumed" rows, each with
        ``t, df, p, mean_diff, se_diff, ci_lower, ci_upper``.
    levene : LeveneResult or None
        Mean-centred (SPSS); ``None`` when built from summaries.
    group_stats : Descriptives
        N, Mean, Std. Deviation, Std. Error Mean per group.
    cohen_d, hedges_g : float
        Standardised mean difference with the pooled SD; g with the exact correction.
    n_dropped : int
        Rows deleted listwise (missing dependent variable or group).
    n_other_groups : int
        Rows of groups other than the two compared.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [5, 6, 7, 8, 2, 3, 4, 4, 5], "sex": list("mmmmfffff")})
    >>> res = ttest_ind(df, "y", "sex", groups=("m", "f"))
    >>> round(res.student.t, 4), res.student.df, round(res.welch.df, 4)
    (3.5813, 7.0, 6.1238)
    >>> res.apa(variant="student")
    't(7) = 3.58, p = .009, d = 2.40'
    >>> res.apa("nl", variant="welch")
    'Welch t(6,12) = 3,53; p = ,012; d = 2,40'
    """

    titles = {"en": "Independent samples t test", "nl": "t-toets voor onafhankelijke steekproeven"}

    def __init__(
        self,
        stats: GroupStats,
        *,
        samples: Sequence[np.ndarray] | None = None,
        conf: float = 0.95,
        n_dropped: int = 0,
        n_other_groups: int = 0,
    ):
        self.stats = stats
        self.conf = _check_conf(conf)
        self.n_dropped = n_dropped
        self.n_other_groups = n_other_groups
        self.student, self.welch = ttest_from_stats(stats, conf)
        self.cohen_d, self.hedges_g = cohen_d_from_stats(stats)
        self.group_stats = Descriptives(stats, conf, "ttest")
        self.levene = (
            LeveneResult(
                levene_from_samples(samples, list(stats.labels), "mean"), "mean", n_dropped
            )
            if samples is not None
            else None
        )

    def _repr_fields(self) -> str:
        return f"{self.apa('en')}, n = {int(self.stats.n.sum())}"

    @property
    def table(self) -> pd.DataFrame:
        """Rows student and welch: t, df, p, mean_diff, se_diff, ci_lower, ci_upper, and
        Levene's F and p on the student row (as SPSS prints them)."""
        lev_F = self.levene.F if self.levene is not None else np.nan
        lev_p = self.levene.p if self.levene is not None else np.nan
        rows = []
        for name, r in (("student", self.student), ("welch", self.welch)):
            rows.append(
                {
                    "variant": name,
                    "equal_var": name == "student",
                    "levene_F": lev_F if name == "student" else np.nan,
                    "levene_p": lev_p if name == "student" else np.nan,
                    "t": r.t,
                    "df": r.df,
                    "p": r.p,
                    "mean_diff": r.mean_diff,
                    "se_diff": r.se_diff,
                    "ci_lower": r.ci_lower,
                    "ci_upper": r.ci_upper,
                }
            )
        return pd.DataFrame(rows)

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """SPSS "Independent Samples Test": Levene F and Sig., t, df, Sig. (2-tailed), Mean
        Difference, Std. Error Difference, CI of the difference."""
        t = self.table
        pct = _pct(self.conf)
        return pd.DataFrame(
            {
                label("levene_F", lang): [_spss_num(x, 3, lang) for x in t["levene_F"]],
                label("levene_sig", lang): [
                    _spss_sig(x, lang) if not math.isnan(x) else "" for x in t["levene_p"]
                ],
                label("t", lang): [_spss_num(x, 3, lang) for x in t["t"]],
                label("df", lang): [_spss_df(x, lang) for x in t["df"]],
                label("sig2", lang): [_spss_sig(x, lang) for x in t["p"]],
                label("mean_diff", lang): [_spss_num(x, 5, lang) for x in t["mean_diff"]],
                label("se_diff", lang): [_spss_num(x, 5, lang) for x in t["se_diff"]],
                label("diff_lower", lang, pct=pct): [_spss_num(x, 5, lang) for x in t["ci_lower"]],
                label("diff_upper", lang, pct=pct): [_spss_num(x, 5, lang) for x in t["ci_upper"]],
            },
            index=[label("equal", lang), label("unequal", lang)],
        ).astype(object)

    def report(self, lang: Lang = "en") -> str:
        """Group Statistics, Independent Samples Test and the APA sentence, as text;
        ``str(result)`` is the English report.

        Examples
        --------
        >>> print(ttest_from_summary(4.59, 0.79, 33, 3.86, 0.86, 14).report())  # doctest: +ELLIPSIS
        Group Statistics
        ...
        Welch's t(22.79) = 2.73, p = .012, d = 0.90
        """
        sections = [
            (label("title_group_stats", lang), self.group_stats.spss_table(lang)),
            (label("title_independent", lang), self.spss_table(lang)),
        ]
        return _report(sections, self.apa(lang))

    def apa(self, lang: Lang = "en", variant: Literal["auto", "student", "welch"] = "auto") -> str:
        """``t(df) = …, p = …, d = …``.

        ``variant="auto"`` follows the SPSS reading rule: the Welch row when Levene's p < .05,
        else the Student row; without Levene (summary input) the Welch row. Welch df are printed
        with two decimals and the statistic is marked "Welch".
        """
        _check_lang(lang)
        if variant == "auto":
            use_welch = self.levene is None or self.levene.p < 0.05
        elif variant in ("student", "welch"):
            use_welch = variant == "welch"
        else:
            raise ValueError(f"variant must be 'auto', 'student' or 'welch', got {variant!r}")
        r = self.welch if use_welch else self.student
        sep = stat_sep(lang)
        name = f"{label('welch_test', lang)} t" if use_welch else "t"
        return (
            f"{name}{fmt_df(r.df, lang=lang)} = {fmt_num(r.t, 2, lang)}{sep}{fmt_p(r.p, lang)}"
            f"{sep}d = {fmt_num(self.cohen_d, 2, lang)}"
        )


# --------------------------------------------------------------------------- public functions


@renamed_kwargs(dv="outcome")
def levene(
    data: pd.DataFrame, outcome: str, group: str, center: Literal["mean", "median"] = "mean"
) -> LeveneResult:
    """Levene's test for equality of variances.

    ``center="mean"`` is what SPSS ONEWAY and T-TEST print (= ``car::leveneTest(center = mean)``);
    ``center="median"`` is the Brown–Forsythe variant (the default of ``car::leveneTest``).

    Parameters
    ----------
    data : DataFrame
        Long data, one row per observation.
    outcome, group : str
        Column of the dependent variable and of the grouping variable.
    center : {"mean", "median"}

    Returns
    -------
    LeveneResult

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1, 2, 3, 1, 3, 8], "g": list("aaabbb")})
    >>> round(levene(df, "y", "g", center="median").F, 4)
    1.25
    """
    if center not in ("mean", "median"):
        raise ValueError(f"center must be 'mean' or 'median', got {center!r}")
    samples, levels, dropped = _split(data, outcome, group)
    _check_groups(samples, levels, group)
    return LeveneResult(levene_from_samples(samples, levels, center), center, dropped)


@renamed_kwargs(dv="outcome")
def oneway_anova(data: pd.DataFrame, outcome: str, group: str, conf: float = 0.95) -> OnewayResult:
    """One-way ANOVA of ``outcome`` by ``group``, with Levene, Welch and post hoc tests.

    Groups appear in the order of their values (categories order for a categorical column), as
    SPSS orders them. Rows with a missing ``outcome`` or ``group`` are deleted listwise and counted in
    ``n_dropped``. See :class:`OnewayResult` for the dict/list form
    (:meth:`OnewayResult.from_samples`).

    Parameters
    ----------
    data : DataFrame
    outcome, group : str
    conf : float
        Confidence level of the descriptive and post hoc intervals.

    Returns
    -------
    OnewayResult

    Raises
    ------
    DataValidationError
        A column is missing or ``outcome`` holds values that are not numbers.
    EmptyGroupError
        A group has fewer than 2 observations (all such groups are named).
    ValueError
        Fewer than 2 groups.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [4, 5, None, 3, 4, 2, 3, 3, 2], "g": list("AAABBBCCC")})
    >>> res = oneway_anova(df, "y", "g")
    >>> res.n, res.n_dropped, res.df2
    (8, 1, 5.0)
    """
    samples, levels, dropped = _split(data, outcome, group)
    _check_groups(samples, levels, group)
    return OnewayResult(
        GroupStats.from_samples(samples, levels),
        samples=samples,
        conf=conf,
        group=group,
        n_dropped=dropped,
    )


def oneway_from_summary(
    means, sds, ns, labels: Sequence | None = None, conf: float = 0.95
) -> OnewayResult:
    """One-way ANOVA (classical, Welch, Brown–Forsythe, post hoc) from published M, SD, n.

    Uses the same core as :func:`oneway_anova`; Levene's test needs raw data and is ``None``.

    Examples
    --------
    >>> res = oneway_from_summary([4.6, 3.7, 4.5, 3.3], [0.8, 1.4, 0.8, 1.0], [11, 14, 22, 24],
    ...                           labels="ABCD")
    >>> res.apa()
    'F(3, 67) = 7.30, p < .001, η² = .25'
    """
    gs = _check_summary(means, sds, ns, labels)
    return OnewayResult(gs, conf=conf)


@renamed_kwargs(dv="outcome")
def ttest_ind(
    data: pd.DataFrame, outcome: str, group: str, groups: Sequence | None = None, conf: float = 0.95
) -> TTestResult:
    """Independent-samples t test as SPSS T-TEST: Levene, Student and Welch rows, Cohen's d.

    Parameters
    ----------
    data : DataFrame
    outcome, group : str
    groups : pair of values, optional
        The two groups compared, in SPSS ``GROUPS=(a b)`` order (difference = a − b). Without it
        the grouping variable must have exactly two values, taken in sorted order.
    conf : float

    Returns
    -------
    TTestResult

    Examples
    --------
    >>> df = pd.DataFrame({"y": [5, 6, 7, 8, 2, 3, 4, 4, 5, 9], "g": [1, 1, 1, 1, 2, 2, 2, 2, 2, 3]})
    >>> res = ttest_ind(df, "y", "g", groups=(1, 2))
    >>> res.n_other_groups, round(res.student.mean_diff, 2)
    (1, 2.9)
    """
    samples, levels, dropped = _split(data, outcome, group)
    if groups is None:
        if len(levels) != 2:
            raise ValueError(
                f"grouping variable {group!r} has {len(levels)} values "
                f"({', '.join(map(repr, levels))}); pass groups=(a, b) to choose two"
            )
        chosen = levels
    else:
        chosen = [_plain(x) for x in groups]
        if len(chosen) != 2 or chosen[0] == chosen[1]:
            raise ValueError(f"groups must name two different groups, got {groups!r}")
        absent = [c for c in chosen if c not in levels]
        if absent:
            raise EmptyGroupError(
                f"group(s) {', '.join(map(repr, absent))} not found in {group!r} after listwise "
                f"deletion; present: {', '.join(map(repr, levels))}"
            )
    pos = [levels.index(c) for c in chosen]
    picked = [samples[i] for i in pos]
    other = sum(len(s) for i, s in enumerate(samples) if i not in pos)
    _check_groups(picked, chosen, group)
    return TTestResult(
        GroupStats.from_samples(picked, chosen),
        samples=picked,
        conf=conf,
        n_dropped=dropped,
        n_other_groups=other,
    )


def ttest_from_summary(
    m1: float,
    sd1: float,
    n1: int,
    m2: float,
    sd2: float,
    n2: int,
    labels: Sequence = (1, 2),
    conf: float = 0.95,
) -> TTestResult:
    """Student and Welch t tests from published M, SD and n of two groups (group 1 − group 2).

    Uses the same core as :func:`ttest_ind`; Levene's test needs raw data and is ``None``.

    Examples
    --------
    >>> res = ttest_from_summary(4.59, 0.79, 33, 3.86, 0.86, 14)
    >>> round(res.student.t, 4), res.student.df, round(res.welch.df, 2)
    (2.8227, 45.0, 22.79)
    """
    gs = _check_summary([m1, m2], [sd1, sd2], [n1, n2], labels)
    return TTestResult(gs, conf=conf)
