"""Computational core of the group comparisons, working on per-group summary statistics.

Every group comparison in :mod:`evalstats.groups` -- from raw data or from published
descriptives -- reduces the data to ``n``, mean and standard deviation per group
(:class:`GroupStats`) and calls the functions below. Raw-data and summary forms therefore share
one set of formulas. Levene's test is the one-way ANOVA of absolute deviations from the group
centre, computed with the same :func:`anova_from_stats`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

CONSTANT_RTOL = 1e-9  # a group SD below this share of the data's scale is rounding noise


@dataclass(frozen=True)
class GroupStats:
    """Size, mean and standard deviation (ddof = 1) per group, in display order.

    ``minimum`` and ``maximum`` are NaN when only summaries are known.

    Examples
    --------
    >>> gs = GroupStats.from_samples([[1.0, 2.0, 3.0], [2.0, 4.0]], ["a", "b"])
    >>> gs.n.tolist(), gs.mean.tolist()
    ([3.0, 2.0], [2.0, 3.0])
    """

    labels: tuple
    n: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray

    @classmethod
    def from_samples(cls, samples: list[np.ndarray], labels: list) -> GroupStats:
        """Summaries of raw samples (one array per group)."""
        arrays = [np.asarray(s, dtype=float) for s in samples]
        return cls(
            labels=tuple(labels),
            n=np.array([a.size for a in arrays], dtype=float),
            mean=np.array([a.mean() for a in arrays]),
            sd=np.array([a.std(ddof=1) for a in arrays]),
            minimum=np.array([a.min() for a in arrays]),
            maximum=np.array([a.max() for a in arrays]),
        )

    @classmethod
    def from_summary(cls, means, sds, ns, labels) -> GroupStats:
        """Summaries given directly (published tables); min and max are unknown."""
        k = len(means)
        return cls(
            labels=tuple(labels),
            n=np.asarray(ns, dtype=float),
            mean=np.asarray(means, dtype=float),
            sd=np.asarray(sds, dtype=float),
            minimum=np.full(k, np.nan),
            maximum=np.full(k, np.nan),
        )

    @property
    def k(self) -> int:
        """Number of groups."""
        return len(self.labels)

    @property
    def var(self) -> np.ndarray:
        """Variance per group (ddof = 1)."""
        return self.sd**2

    @property
    def constant(self) -> np.ndarray:
        """Per group, whether it is constant: its SD at most ``CONSTANT_RTOL`` (1e-9) times the
        scale of the data, max |mean| + max SD over the groups.

        A group of equal answers computed in floating point (``0.1 + 0.2`` beside ``0.3``)
        has an SD of rounding noise, ~1e-16 of the values' size, which an exact ``== 0``
        would take as real spread. The scale grows and shrinks with the data under
        ``a·x + b``, so the decision does not depend on the unit or origin of the data.

        Examples
        --------
        >>> gs = GroupStats.from_samples([[0.1 + 0.2, 0.3, 0.3], [1.0, 2.0]], ["a", "b"])
        >>> bool(gs.sd[0] > 0), gs.constant.tolist()
        (True, [True, False])
        """
        scale = float(np.nanmax(np.abs(self.mean)) + np.nanmax(self.sd)) if self.k else 0.0
        return ~(self.sd > CONSTANT_RTOL * scale)


@dataclass(frozen=True)
class AnovaNumbers:
    """Sums of squares, degrees of freedom, mean squares, F and p of a one-way ANOVA."""

    ss_between: float
    ss_within: float
    ss_total: float
    df_between: float
    df_within: float
    df_total: float
    ms_between: float
    ms_within: float
    F: float
    p: float
    eta_squared: float
    omega_squared: float
    grand_mean: float


@dataclass(frozen=True)
class FTest:
    """An F test: statistic, degrees of freedom and p-value.

    Examples
    --------
    >>> FTest(4.0, 2, 10, 0.053).df1
    2
    """

    F: float
    df1: float
    df2: float
    p: float


def anova_from_stats(gs: GroupStats) -> AnovaNumbers:
    """Classical one-way ANOVA from per-group n, mean and SD.

    SS_between = Σ n_i (m_i − m)², SS_within = Σ (n_i − 1) s_i², F = MS_between / MS_within.

    Examples
    --------
    >>> gs = GroupStats.from_summary([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [5, 5, 5], "abc")
    >>> a = anova_from_stats(gs)
    >>> a.ss_between, a.ss_within, a.F
    (10.0, 12.0, 5.0)
    """
    n, m, v = gs.n, gs.mean, gs.var
    N = float(n.sum())
    k = gs.k
    grand = float((n * m).sum() / N)
    ss_b = float((n * (m - grand) ** 2).sum())
    ss_w = float(((n - 1) * v).sum())
    ss_t = ss_b + ss_w
    df_b, df_w = float(k - 1), float(N - k)
    ms_b, ms_w = ss_b / df_b, ss_w / df_w
    with np.errstate(divide="ignore", invalid="ignore"):
        F = float(np.divide(ms_b, ms_w))
        eta = float(np.divide(ss_b, ss_t))
        omega = float(np.divide(ss_b - df_b * ms_w, ss_t + ms_w))
    p = float(stats.f.sf(F, df_b, df_w)) if np.isfinite(F) else (0.0 if F == np.inf else np.nan)
    return AnovaNumbers(
        ss_between=ss_b,
        ss_within=ss_w,
        ss_total=ss_t,
        df_between=df_b,
        df_within=df_w,
        df_total=N - 1,
        ms_between=ms_b,
        ms_within=ms_w,
        F=F,
        p=p,
        eta_squared=eta,
        omega_squared=omega,
        grand_mean=grand,
    )


def welch_from_stats(gs: GroupStats) -> FTest:
    """Welch's (1951) heteroscedastic one-way ANOVA, as R ``oneway.test(var.equal = FALSE)``.

    Weights w_i = n_i / s_i². NaN when a group is constant (:attr:`GroupStats.constant`:
    zero SD up to rounding, decided relative to the scale of the data), whatever the unit or
    origin of the data.

    Examples
    --------
    >>> gs = GroupStats.from_summary([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [5, 5, 5], "abc")
    >>> round(welch_from_stats(gs).F, 4)
    4.6154
    """
    n, m, v = gs.n, gs.mean, gs.var
    k = gs.k
    if gs.constant.any():
        return FTest(np.nan, float(k - 1), np.nan, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = n / v
        W = w.sum()
        mw = (w * m).sum() / W
        a = (w * (m - mw) ** 2).sum() / (k - 1)
        tmp = ((1 - w / W) ** 2 / (n - 1)).sum()
        b = 1 + 2 * (k - 2) / (k**2 - 1) * tmp
        F = float(a / b)
        df2 = float((k**2 - 1) / (3 * tmp))
    if not (np.isfinite(F) and np.isfinite(df2)):
        return FTest(np.nan, float(k - 1), np.nan, np.nan)
    return FTest(F, float(k - 1), df2, float(stats.f.sf(F, k - 1, df2)))


def brown_forsythe_from_stats(gs: GroupStats) -> FTest:
    """Brown and Forsythe's (1974) F* for means (SPSS ONEWAY ``/STATISTICS BROWNFORSYTHE``).

    F* = SS_between / Σ (1 − n_i/N) s_i²; df2 by Satterthwaite with c_i = (1 − n_i/N) s_i².

    Examples
    --------
    >>> gs = GroupStats.from_summary([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [5, 5, 5], "abc")
    >>> f = brown_forsythe_from_stats(gs)
    >>> round(f.F, 4), round(f.df2, 4)
    (5.0, 12.0)
    """
    n, v = gs.n, gs.var
    N = n.sum()
    ss_b = anova_from_stats(gs).ss_between
    c = (1 - n / N) * v
    with np.errstate(divide="ignore", invalid="ignore"):
        F = float(ss_b / c.sum())
        df2 = float(c.sum() ** 2 / (c**2 / (n - 1)).sum())
    df1 = float(gs.k - 1)
    if not (np.isfinite(F) and np.isfinite(df2)):
        return FTest(np.nan, df1, np.nan, np.nan)
    return FTest(F, df1, df2, float(stats.f.sf(F, df1, df2)))


@dataclass(frozen=True)
class TTestNumbers:
    """One row of an independent-samples t test (group 1 minus group 2)."""

    t: float
    df: float
    p: float
    mean_diff: float
    se_diff: float
    ci_lower: float
    ci_upper: float
    conf: float


def _t_row(diff: float, se: float, df: float, conf: float) -> TTestNumbers:
    with np.errstate(divide="ignore", invalid="ignore"):
        t = float(np.divide(diff, se))
    if np.isfinite(t):
        p = float(2 * stats.t.sf(abs(t), df))
    else:  # zero SE: a difference without any variance is certain, 0/0 is undefined
        p = 0.0 if np.isinf(t) and df > 0 else np.nan
    half = float(stats.t.ppf(0.5 + conf / 2, df) * se)
    return TTestNumbers(t, float(df), p, diff, se, diff - half, diff + half, conf)


def ttest_from_stats(gs: GroupStats, conf: float = 0.95) -> tuple[TTestNumbers, TTestNumbers]:
    """Student (pooled) and Welch t tests of group 0 minus group 1.

    Examples
    --------
    >>> gs = GroupStats.from_summary([3.0, 2.0], [1.0, 1.0], [10, 10], "ab")
    >>> s, w = ttest_from_stats(gs)
    >>> round(s.t, 6) == round(w.t, 6), s.df, w.df
    (True, 18.0, 18.0)
    """
    (n1, n2), (m1, m2), (v1, v2) = gs.n, gs.mean, gs.var
    diff = float(m1 - m2)
    df_pooled = float(n1 + n2 - 2)
    sp2 = ((n1 - 1) * v1 + (n2 - 1) * v2) / df_pooled
    se_pooled = float(np.sqrt(sp2 * (1 / n1 + 1 / n2)))
    a1, a2 = v1 / n1, v2 / n2
    se_welch = float(np.sqrt(a1 + a2))
    with np.errstate(divide="ignore", invalid="ignore"):
        df_welch = float((a1 + a2) ** 2 / (a1**2 / (n1 - 1) + a2**2 / (n2 - 1)))
    return _t_row(diff, se_pooled, df_pooled, conf), _t_row(diff, se_welch, df_welch, conf)


def cohen_d_from_stats(gs: GroupStats) -> tuple[float, float]:
    """Cohen's d with the pooled SD, and Hedges' g with the exact small-sample correction.

    J = Γ(df/2) / (√(df/2) Γ((df − 1)/2)), df = n1 + n2 − 2 (Hedges & Olkin 1985, eq. 5.2.7).

    Examples
    --------
    >>> gs = GroupStats.from_summary([3.0, 2.0], [1.0, 1.0], [10, 10], "ab")
    >>> d, g = cohen_d_from_stats(gs)
    >>> d, round(g, 4)
    (1.0, 0.9576)
    """
    (n1, n2), (m1, m2), (v1, v2) = gs.n, gs.mean, gs.var
    df = n1 + n2 - 2
    sp = np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / df)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = float((m1 - m2) / sp)
    from scipy.special import gammaln

    j = float(np.exp(gammaln(df / 2) - gammaln((df - 1) / 2)) / np.sqrt(df / 2))
    return d, d * j


@dataclass(frozen=True)
class PairNumbers:
    """Arrays over the pairs i < j of a post-hoc comparison."""

    i: np.ndarray
    j: np.ndarray
    mean_diff: np.ndarray
    se: np.ndarray
    df: np.ndarray
    p: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray


def _pairs(k: int) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.triu_indices(k, 1)
    return i, j


def _studentized(diff, se, df, k, conf) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p-values and CI limits from q = |diff| / se · √2 with the studentized range.

    Zero standard errors (groups without variance) give q = ∞ (p = 0) or NaN (0/0), no warning.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.abs(diff) / se * np.sqrt(2)
    p = np.array(
        [
            stats.studentized_range.sf(qq, k, d)
            if np.isfinite(qq) and np.isfinite(d)
            else (0.0 if qq == np.inf and d > 0 else np.nan)
            for qq, d in zip(q, df, strict=True)
        ]
    )
    # the quantile is the slow part: one evaluation per distinct df
    finite = [d for d in df.tolist() if np.isfinite(d)]
    crit_of = {d: stats.studentized_range.ppf(conf, k, d) / np.sqrt(2) for d in set(finite)}
    crit = np.array([crit_of.get(d, np.nan) for d in df.tolist()])
    return np.minimum(p, 1.0), diff - crit * se, diff + crit * se


def tukey_from_stats(gs: GroupStats, conf: float = 0.95) -> PairNumbers:
    """Tukey HSD with the Tukey–Kramer standard error for unequal n (as SPSS and R ``TukeyHSD``).

    SE_ij = √(MS_within (1/n_i + 1/n_j)); p from the studentized range with k groups and
    df_within.

    Examples
    --------
    >>> gs = GroupStats.from_summary([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [5, 5, 5], "abc")
    >>> t = tukey_from_stats(gs)
    >>> t.mean_diff.tolist()
    [-1.0, -2.0, -1.0]
    """
    a = anova_from_stats(gs)
    i, j = _pairs(gs.k)
    diff = gs.mean[i] - gs.mean[j]
    se = np.sqrt(a.ms_within * (1 / gs.n[i] + 1 / gs.n[j]))
    df = np.full(i.size, a.df_within)
    p, lo, hi = _studentized(diff, se, df, gs.k, conf)
    return PairNumbers(i, j, diff, se, df, p, lo, hi)


def games_howell_from_stats(gs: GroupStats, conf: float = 0.95) -> PairNumbers:
    """Games–Howell: per-pair Welch SE and df, studentized range with k groups.

    SE_ij = √(s_i²/n_i + s_j²/n_j), df_ij = SE⁴ / ((s_i²/n_i)²/(n_i − 1) + (s_j²/n_j)²/(n_j − 1)).

    Examples
    --------
    >>> gs = GroupStats.from_summary([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [5, 5, 5], "abc")
    >>> gh = games_howell_from_stats(gs)
    >>> gh.df.tolist()
    [8.0, 8.0, 8.0]
    """
    i, j = _pairs(gs.k)
    a_i, a_j = gs.var[i] / gs.n[i], gs.var[j] / gs.n[j]
    diff = gs.mean[i] - gs.mean[j]
    se = np.sqrt(a_i + a_j)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (a_i + a_j) ** 2 / (a_i**2 / (gs.n[i] - 1) + a_j**2 / (gs.n[j] - 1))
    p, lo, hi = _studentized(diff, se, df, gs.k, conf)
    return PairNumbers(i, j, diff, se, df, p, lo, hi)


def levene_from_samples(samples: list[np.ndarray], labels: list, center: str = "mean") -> FTest:
    """Levene's test: one-way ANOVA of |y − centre of its group| (centre = mean or median).

    Examples
    --------
    >>> f = levene_from_samples([[1.0, 2.0, 3.0], [1.0, 3.0, 5.0]], ["a", "b"])
    >>> round(f.F, 4), f.df1, f.df2
    (0.8, 1.0, 4.0)
    """
    if center not in ("mean", "median"):
        raise ValueError(f"center must be 'mean' or 'median', got {center!r}")
    fn = np.mean if center == "mean" else np.median
    devs = [np.abs(np.asarray(s, dtype=float) - fn(s)) for s in samples]
    a = anova_from_stats(GroupStats.from_samples(devs, labels))
    return FTest(a.F, a.df_between, a.df_within, a.p)
