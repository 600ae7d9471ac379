"""Checks of single printed statistics and of printed table rows, rounding-aware.

Every function takes the numbers as printed (strings keep their decimals: ``"2.37"``,
``"2,37"``; a float is read with the decimals of its shortest form) and returns a
:class:`~evalstats.recheck.RecheckResult` with one row per recomputed quantity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

from evalstats.format import Lang, _check_lang
from evalstats.recheck._core import (
    Num,
    _abs_interval,
    df_interval,
    judge_p,
    judge_value,
    num,
    overlaps,
    p_chi2,
    p_f,
    p_t,
    parse_p,
    show,
)
from evalstats.recheck._result import Check, RecheckResult

Z975 = float(stats.norm.ppf(0.975))

_NOT = {
    "no_p": {"en": "no p value printed, nothing to compare", "nl": "geen p-waarde gedrukt, niets "
             "te vergelijken"},
    "no_df": {"en": "no degrees of freedom or N printed", "nl": "geen vrijheidsgraden of N gedrukt"},
    "negative": {"en": "{s} cannot be negative", "nl": "{s} kan niet negatief zijn"},
    "r_range": {"en": "a correlation lies between -1 and 1", "nl": "een correlatie ligt tussen "
                "-1 en 1"},
    "exp_b": {"en": "Exp(B) is an odds ratio and cannot be negative",
              "nl": "Exp(B) is een odds ratio en kan niet negatief zijn"},
}


def _msg(key: str, lang: Lang, **kw) -> str:
    return _NOT[key][lang].format(**kw)


def _iv(n: Num) -> tuple[float, float]:
    return (n.lo, n.hi)


def _div(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    if b[0] <= 0 <= b[1]:
        return (-math.inf, math.inf)
    q = [a[0] / b[0], a[0] / b[1], a[1] / b[0], a[1] / b[1]]
    return (min(q), max(q))


def _intersect(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return (lo, hi) if lo <= hi else a


def _df_text(*dfs) -> str:
    return ", ".join(str(d) for d in dfs if d is not None)


def p_check(statistic: str, what: str, value: Num, computed: tuple[float, float], p,
            lang: Lang, df: str = "") -> Check:
    """The row comparing a printed p (or its absence) with the p recomputed from a statistic."""
    pp = parse_p(p)
    base = dict(statistic=statistic, text=what, check="p", df=df, value=value.value,
                p=pp.text if pp else "", low=computed[0], high=computed[1])
    if pp is None:
        return Check(**base, verdict="not checked", explanation=_msg("no_p", lang))
    verdict, expl = judge_p(what, computed, pp, lang)
    return Check(**base, verdict=verdict, explanation=expl)


def value_check(statistic: str, what: str, label: str, formula: str, printed: Num,
                computed: tuple[float, float], lang: Lang, df: str = "", p: str = "") -> Check:
    """The row comparing a printed number with the interval recomputed for it."""
    verdict, expl = judge_value(label, formula, computed, printed, lang)
    return Check(statistic=statistic, text=what, check=label, df=df, value=printed.value, p=p,
                 low=computed[0], high=computed[1], verdict=verdict, explanation=expl)


def _impossible(statistic: str, what: str, value: Num, reason: str, p, df: str = "") -> Check:
    pp = parse_p(p)
    return Check(statistic=statistic, text=what, check=statistic, df=df, value=value.value,
                 p=pp.text if pp else "", verdict="inconsistent", explanation=reason + ".")


def not_checked(statistic: str, what: str, reason: str) -> Check:
    """A row for a statistic that was recognised but could not be checked, with the reason."""
    return Check(statistic=statistic, text=what, check="", verdict="not checked",
                 explanation=reason)


# ---------------------------------------------------------------- single statistics


def t_checks(t, df, p=None, lang: Lang = "en", what: str | None = None) -> list[Check]:
    """Checks of a printed t (see :func:`t_test`)."""
    tv = num(t, "t")
    what = what or f"t({df}) = {tv.text}"
    return [p_check("t", what, tv, p_t(_iv(tv), df_interval(df)), p, lang, _df_text(df))]


def t_test(t, df, p=None, lang: Lang = "en") -> RecheckResult:
    """Check the two-sided p of a printed t against its df, rounding-aware.

    Examples
    --------
    >>> t_test(t="2.37", df=28, p=".03").table.loc[0, "verdict"]
    'consistent'
    >>> r = t_test(t="2,37", df=28, p=".30", lang="nl").table.loc[0]
    >>> r.verdict
    'decision error'
    >>> r.explanation.split(":")[0]
    't(28) = 2,37 geeft p tussen 0,02464 en 0,02519, niet verenigbaar met de gedrukte p = ,30'
    """
    _check_lang(lang)
    return RecheckResult(t_checks(t, df, p, lang), lang)


def f_checks(f, df1, df2, p=None, lang: Lang = "en", what: str | None = None) -> list[Check]:
    """Checks of a printed F (see :func:`f_test`)."""
    fv = num(f, "F")
    what = what or f"F({df1}, {df2}) = {fv.text}"
    dft = _df_text(df1, df2)
    if fv.hi < 0:
        return [_impossible("F", what, fv, _msg("negative", lang, s="F"), p, dft)]
    return [p_check("F", what, fv, p_f(_iv(fv), df_interval(df1, "df1"),
                                       df_interval(df2, "df2")), p, lang, dft)]


def f_test(f, df1, df2, p=None, lang: Lang = "en") -> RecheckResult:
    """Check the p of a printed F(df1, df2).

    Examples
    --------
    >>> f_test("9,20", 2, 121, "< ,001").table.loc[0, "verdict"]
    'consistent'
    >>> f_test("2.10", 3, 62, ".01").table.loc[0, "verdict"]
    'decision error'
    """
    _check_lang(lang)
    return RecheckResult(f_checks(f, df1, df2, p, lang), lang)


def chi2_checks(chi2, df, p=None, lang: Lang = "en", what: str | None = None,
                statistic: str = "chi2") -> list[Check]:
    """Checks of a printed chi-square or Wald value (see :func:`chi2_test`)."""
    xv = num(chi2, statistic)
    what = what or f"χ²({df}) = {xv.text}"
    if xv.hi < 0:
        return [_impossible(statistic, what, xv, _msg("negative", lang, s=statistic), p,
                            _df_text(df))]
    return [p_check(statistic, what, xv, p_chi2(_iv(xv), df_interval(df)), p, lang,
                    _df_text(df))]


def chi2_test(chi2, df, p=None, lang: Lang = "en") -> RecheckResult:
    """Check the p of a printed chi-square.

    Examples
    --------
    >>> chi2_test("7.8", 3, ".05").table.loc[0, "verdict"]
    'consistent'
    """
    _check_lang(lang)
    return RecheckResult(chi2_checks(chi2, df, p, lang), lang)


def wald_test(wald, df=1, p=None, lang: Lang = "en") -> RecheckResult:
    """Check the p of a printed Wald statistic (chi-square with df, 1 for one coefficient).

    Examples
    --------
    >>> wald_test("4.1", 1, ".04").table.loc[0, "verdict"]
    'consistent'
    """
    _check_lang(lang)
    return RecheckResult(chi2_checks(wald, df, p, lang, f"Wald = {num(wald, 'Wald').text} "
                                     f"(df {df})", "Wald"), lang)


def r_checks(r, df=None, p=None, lang: Lang = "en", what: str | None = None) -> list[Check]:
    """Checks of a printed correlation (see :func:`r_test`)."""
    rv = num(r, "r")
    what = what or (f"r({df}) = {rv.text}" if df is not None else f"r = {rv.text}")
    if abs(rv.value) > 1 and min(abs(rv.lo), abs(rv.hi)) > 1:
        return [_impossible("r", what, rv, _msg("r_range", lang), p, _df_text(df))]
    if df is None:
        return [not_checked("r", what, _msg("no_df", lang))]
    d = df_interval(df)
    edge = 1 - 1e-12
    corners = [x / math.sqrt(1 - x * x) * math.sqrt(dv) for x in
               (min(max(rv.lo, -edge), edge), min(max(rv.hi, -edge), edge))
               for dv in (d[0], d[1] if math.isfinite(d[1]) else 1e12)]
    span = (min(corners), max(corners))
    return [p_check("r", what, rv, p_t(span, d), p, lang, _df_text(df))]


def r_test(r, df=None, p=None, lang: Lang = "en") -> RecheckResult:
    """Check the p of a printed Pearson correlation with df = N - 2.

    Examples
    --------
    >>> r_test(".32", 48, ".02").table.loc[0, "verdict"]
    'consistent'
    >>> r_test(".32", None, ".02").table.loc[0, "verdict"]
    'not checked'
    """
    _check_lang(lang)
    return RecheckResult(r_checks(r, df, p, lang), lang)


def z_test(z, p=None, lang: Lang = "en") -> RecheckResult:
    """Check the two-sided p of a printed z (standard normal).

    Examples
    --------
    >>> z_test("1.96", ".05").table.loc[0, "verdict"]
    'consistent'
    """
    _check_lang(lang)
    zv = num(z, "z")
    return RecheckResult([p_check("z", f"z = {zv.text}", zv, p_t(_iv(zv), (math.inf, math.inf)),
                                  p, lang)], lang)


# ---------------------------------------------------------------- table rows


def _ms_interval(ss, df, ms) -> tuple[float, float] | None:
    """MS as far as the printed SS/df and MS pin it down."""
    out = None
    if ss is not None and df is not None:
        d = df_interval(df)
        s = num(ss, "SS")
        out = _div((s.lo, s.hi), d)
    if ms is not None:
        m = _iv(num(ms, "MS"))
        out = m if out is None else _intersect(out, m)
    return out


def anova_checks(ss=None, df=None, ms=None, f=None, p=None, ss_error=None, df_error=None,
                 ms_error=None, partial_eta2=None, lang: Lang = "en", what: str = "",
                 check_error: bool = True) -> list[Check]:
    """Checks of one printed ANOVA row (see :func:`anova_row`); ``check_error=False`` leaves out
    the check of MS_error (a table checks its Error row once)."""
    out: list[Check] = []
    what = what or "ANOVA row"
    if df is None:
        raise ValueError("df: the effect's degrees of freedom are needed")
    dft = _df_text(df, df_error)
    if ss is not None and ms is not None:
        out.append(value_check("MS", what, "MS", "SS/df", num(ms, "MS"),
                               _div(_iv(num(ss, "SS")), df_interval(df)), lang, dft))
    if check_error and ss_error is not None and ms_error is not None and df_error is not None:
        out.append(value_check("MS", what, "MS_error", "SS_error/df_error",
                               num(ms_error, "ms_error"),
                               _div(_iv(num(ss_error, "ss_error")), df_interval(df_error)),
                               lang, dft))
    ms_eff = _ms_interval(ss, df, ms)
    ms_err = _ms_interval(ss_error, df_error, ms_error) if df_error is not None else None
    if f is not None and ms_eff is not None and ms_err is not None:
        out.append(value_check("F", what, "F", "MS/MS_error", num(f, "F"),
                               _div(ms_eff, ms_err), lang, dft))
    if f is not None and df_error is not None and p is not None:
        out.extend(f_checks(f, df, df_error, p, lang, what=what))
    if partial_eta2 is not None and ss is not None and ss_error is not None:
        s, e = num(ss, "SS"), num(ss_error, "ss_error")
        eta = (s.lo / (s.lo + e.hi), s.hi / (s.hi + e.lo))
        out.append(value_check("partial eta2", what, "partial η²", "SS/(SS + SS_error)",
                               num(partial_eta2, "partial_eta2"), eta, lang, dft))
    return out


def anova_row(ss=None, df=None, ms=None, f=None, p=None, ss_error=None, df_error=None,
              ms_error=None, partial_eta2=None, lang: Lang = "en") -> RecheckResult:
    """Check a printed ANOVA/GLM row: MS = SS/df, F = MS/MS_error, p from F(df, df_error),
    partial η² = SS/(SS + SS_error).

    The row's MS is what both the printed SS/df and the printed MS allow (their intersection);
    so is MS_error.

    Examples
    --------
    >>> res = anova_row(ss="17,82", df=4, ms="4,45", f="25,58", p=",00", ss_error="7,31",
    ...                 df_error=42, ms_error=",17", partial_eta2=",71")
    >>> res.table[["check", "verdict"]].values.tolist()
    [['MS', 'consistent'], ['MS_error', 'consistent'], ['F', 'consistent'], ['p', 'consistent'], ['partial η²', 'consistent']]
    >>> anova_row(ss="12,3", df=2, ms="6,15", f="5,08", ss_error="60", df_error=30,
    ...           ms_error="2,0").table.loc[2, "verdict"]
    'inconsistent'
    """
    _check_lang(lang)
    return RecheckResult(anova_checks(ss, df, ms, f, p, ss_error, df_error, ms_error,
                                      partial_eta2, lang), lang)


def logistic_checks(b=None, se=None, wald=None, df=1, p=None, exp_b=None, ci_low=None,
                    ci_high=None, lang: Lang = "en", what: str = "") -> list[Check]:
    """Checks of one printed logistic-regression row (see :func:`logistic_row`)."""
    what = what or "B/SE/Wald/Exp(B)"
    out: list[Check] = []
    dft = _df_text(df)
    e = num(exp_b, "exp_b") if exp_b is not None else None
    if e is not None and e.hi < 0:
        out.append(_impossible("Exp(B)", what, e, _msg("exp_b", lang), p, dft))
    bv = num(b, "B") if b is not None else None
    sv = num(se, "SE") if se is not None else None
    if bv is not None and sv is not None:
        z = _div(_iv(bv), _iv(sv))
        lo, hi = (0.0 if z[0] <= 0 <= z[1] else min(z[0] ** 2, z[1] ** 2)), max(z[0] ** 2,
                                                                               z[1] ** 2)
        if wald is not None:
            out.append(value_check("Wald", what, "Wald", "(B/SE)²", num(wald, "Wald"),
                                   (lo, hi), lang, dft))
        elif p is not None:
            out.append(p_check("Wald", what, bv, p_chi2((lo, hi), df_interval(df)), p, lang,
                               dft))
    if bv is not None and e is not None and e.hi >= 0:
        out.append(value_check("Exp(B)", what, "Exp(B)", "e^B", e,
                               (math.exp(bv.lo), math.exp(bv.hi)), lang, dft))
    if bv is not None and sv is not None:
        for name, printed, sign in (("CI low", ci_low, -1), ("CI high", ci_high, 1)):
            if printed is not None:
                ends = [math.exp(x + sign * Z975 * s) for x in (bv.lo, bv.hi)
                        for s in (sv.lo, sv.hi)]
                out.append(value_check("Exp(B)", what, name, f"exp(B {'+' if sign > 0 else '-'}"
                                       " 1.96·SE)", num(printed, name), (min(ends), max(ends)),
                                       lang, dft))
    if wald is not None and p is not None:
        out.extend(chi2_checks(wald, df, p, lang, what=what, statistic="Wald"))
    return out


def logistic_row(b=None, se=None, wald=None, df=1, p=None, exp_b=None, ci_low=None,
                 ci_high=None, lang: Lang = "en") -> RecheckResult:
    """Check a printed logistic-regression row: Wald = (B/SE)², Exp(B) = e^B (never negative),
    the CI of Exp(B) = exp(B ± 1.96·SE), and p from Wald with df (when p is given).

    Examples
    --------
    >>> res = logistic_row(b="1,33", se=",38", wald="12,15", p=",000", exp_b="3,79",
    ...                    ci_low="1,79", ci_high="7,97")
    >>> res.table[["check", "verdict"]].values.tolist()
    [['Wald', 'consistent'], ['Exp(B)', 'consistent'], ['CI low', 'consistent'], ['CI high', 'consistent'], ['p', 'consistent']]
    >>> logistic_row(exp_b="-0,33", wald="7,83", p="*").table.loc[0, "verdict"]
    'inconsistent'
    """
    _check_lang(lang)
    return RecheckResult(logistic_checks(b, se, wald, df, p, exp_b, ci_low, ci_high, lang), lang)


def mixed_checks(estimate, se, t=None, df=None, p=None, lang: Lang = "en",
                 what: str = "") -> list[Check]:
    """Checks of one printed mixed-model (or regression) row (see :func:`mixed_row`)."""
    what = what or "estimate/SE/t"
    ev, sv = num(estimate, "estimate"), num(se, "se")
    out: list[Check] = []
    if t is None:
        tv = _div(_iv(ev), _iv(sv))
        out.append(p_check("t", what, ev, p_t(tv, df_interval(df)), p, lang, _df_text(df)))
        return out
    out.append(value_check("t", what, "t", "estimate/SE", num(t, "t"), _div(_iv(ev), _iv(sv)),
                           lang, _df_text(df)))
    out.extend(t_checks(t, df, p, lang, what))
    return out


def mixed_row(estimate, se, t=None, df=None, p=None, lang: Lang = "en") -> RecheckResult:
    """Check a printed mixed-model row: t = estimate/SE and the p of t with df.

    Without df (tables that print none) the p is checked over every df from 1 to infinity,
    so only a p that no df can give is flagged.

    Examples
    --------
    >>> mixed_row("-0,059", "0,18", "-0,32", p="0,075").table[["check", "verdict"]].values.tolist()
    [['t', 'consistent'], ['p', 'inconsistent']]
    """
    _check_lang(lang)
    return RecheckResult(mixed_checks(estimate, se, t, df, p, lang), lang)


# ---------------------------------------------------------------- group summaries


def _box(values: Sequence, name: str) -> np.ndarray:
    out = np.array([[num(v, f"{name}[{i}]").lo, num(v, f"{name}[{i}]").hi]
                    for i, v in enumerate(values)])
    return out


def _ss_between_range(m: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Range of sum n_i (m_i - M)^2 over the box of means: the maximum lies at a corner
    (convex function), the minimum at m_i = clip(c) for some common c."""
    k = len(n)
    corners = np.array(np.meshgrid(*[m[i] for i in range(k)], indexing="ij")).reshape(k, -1)
    grand = (n[:, None] * corners).sum(0) / n.sum()
    hi = float((n[:, None] * (corners - grand) ** 2).sum(0).max())
    cs = np.concatenate([np.linspace(m.min(), m.max(), 4001), m.ravel()])
    clipped = np.clip(cs[None, :], m[:, :1], m[:, 1:])
    g = (n[:, None] * clipped).sum(0) / n.sum()
    lo = float((n[:, None] * (clipped - g) ** 2).sum(0).min())
    return (lo, hi)


def group_checks(means, sds, ns, t=None, F=None, p=None, df=None, total_mean=None,
                 total_sd=None, lang: Lang = "en", what: str = "") -> list[Check]:
    """Checks of statistics printed with group means, SDs and Ns (see :func:`groups`)."""
    if not (len(means) == len(sds) == len(ns)) or len(means) < 2:
        raise ValueError("means, sds, ns: give one mean, SD and N per group, at least two groups")
    m, s = _box(means, "means"), _box(sds, "sds")
    n = np.array([float(x) for x in ns])
    if np.any(n < 2):
        raise ValueError(f"ns: every group needs N >= 2, got {list(ns)}")
    k, N = len(n), n.sum()
    if t is not None and k != 2:
        raise ValueError(f"t: a t test compares two groups, got {k}; give F for a one-way ANOVA")
    what = what or "groups"
    out: list[Check] = []
    s = np.clip(s, 0.0, None)
    ssw = (float(((n - 1) * s[:, 0] ** 2).sum()), float(((n - 1) * s[:, 1] ** 2).sum()))
    ssb = _ss_between_range(m, n)
    if t is not None:
        tv = num(t, "t")
        diff = (m[0, 0] - m[1, 1], m[0, 1] - m[1, 0])
        sp = (math.sqrt(ssw[0] / (N - 2) * (1 / n[0] + 1 / n[1])),
              math.sqrt(ssw[1] / (N - 2) * (1 / n[0] + 1 / n[1])))
        sw = (math.sqrt((s[:, 0] ** 2 / n).sum()), math.sqrt((s[:, 1] ** 2 / n).sum()))
        student, welch = _div(diff, sp), _div(diff, sw)
        printed = _abs_interval(tv.lo, tv.hi)
        ok = [name for name, iv in (("Student", student), ("Welch", welch))
              if overlaps(_abs_interval(*iv), printed)]
        use_welch = ok == ["Welch"]
        out.append(value_check("t", what, "t (Welch)" if use_welch else "t (Student)",
                               "|M1 - M2|/SE", Num(tv.text, abs(tv.value), *printed, tv.decimals),
                               _abs_interval(*(welch if use_welch else student)), lang))
        if df is None:
            df = int(N - 2)
        if p is not None:
            out.extend(t_checks(t, df, p, lang, f"t({df}) = {tv.text}"))
    if F is not None:
        fv = num(F, "F")
        f_iv = (ssb[0] / (k - 1) / (ssw[1] / (N - k)), ssb[1] / (k - 1) / (ssw[0] / (N - k)))
        out.append(value_check("F", what, "F", "MS_between/MS_within", fv, f_iv, lang,
                               _df_text(k - 1, int(N - k))))
        if p is not None:
            out.extend(f_checks(F, k - 1, int(N - k), p, lang,
                                f"F({k - 1}, {int(N - k)}) = {fv.text}"))
    if total_mean is not None:
        tm = ((n * m[:, 0]).sum() / N, (n * m[:, 1]).sum() / N)
        out.append(value_check("M", what, "total M", "Σ n·M / N", num(total_mean, "total_mean"),
                               (float(tm[0]), float(tm[1])), lang))
    if total_sd is not None:
        sd = (math.sqrt((ssw[0] + ssb[0]) / (N - 1)), math.sqrt((ssw[1] + ssb[1]) / (N - 1)))
        out.append(value_check("SD", what, "total SD", "√((SS_within + SS_between)/(N - 1))",
                               num(total_sd, "total_sd"), sd, lang))
    return out


def groups(means, sds, ns, t=None, F=None, p=None, df=None, total_mean=None, total_sd=None,
           lang: Lang = "en") -> RecheckResult:
    """Check a t (two groups: Student or Welch), a one-way F, and the pooled total M/SD against
    printed group means, SDs and Ns.

    Examples
    --------
    >>> res = groups(["4,07", "3,45"], ["1,00", "1,20"], [21, 88], t="2,20", p=",03")
    >>> res.table[["check", "verdict"]].values.tolist()
    [['t (Student)', 'consistent'], ['p', 'consistent']]
    >>> groups(["4.6", "3.3", "3.8"], ["0.9", "1.0", "1.4"], [20, 20, 20],
    ...        F="9.90").table.loc[0, "verdict"]
    'inconsistent'
    """
    _check_lang(lang)
    return RecheckResult(group_checks(means, sds, ns, t, F, p, df, total_mean, total_sd, lang),
                         lang)


# ---------------------------------------------------------------- GRIM and GRIMMER


def _grim_sums(mean: Num, units: int) -> list[int]:
    lo, hi = math.ceil(mean.lo * units - 1e-9), math.floor(mean.hi * units + 1e-9)
    return list(range(lo, hi + 1))


def grim_checks(mean, n, items: int = 1, sd=None, lang: Lang = "en") -> list[Check]:
    """GRIM (and with ``sd`` GRIMMER) checks (see :func:`grim`)."""
    mv = num(mean, "mean")
    if int(n) != n or n < 1 or int(items) != items or items < 1:
        raise ValueError(f"n and items must be positive whole numbers, got n={n!r}, "
                         f"items={items!r}")
    n, items = int(n), int(items)
    units = n * items
    what = f"M = {mv.text}, N = {n}" + (f", {items} items" if items > 1 else "")
    out: list[Check] = []
    if units >= 10 ** mv.decimals:
        reason = {"en": f"GRIM: with N × items = {units} ≥ 10^{mv.decimals} every mean with "
                        f"{mv.decimals} decimals is possible",
                  "nl": f"GRIM: met N × items = {units} ≥ 10^{mv.decimals} is elk gemiddelde met "
                        f"{mv.decimals} decimalen mogelijk"}[lang]
        out.append(not_checked("GRIM", what, reason))
    sums = _grim_sums(mv, units)
    ok = bool(sums)
    near = math.floor(mv.value * units)
    closest = (near / units, (near + 1) / units)
    if units < 10 ** mv.decimals:
        expl = {"en": (f"GRIM: {mv.text} × {units} = {mv.value * units:.2f}; "
                       + ("a whole sum gives this mean." if ok else
                          f"no whole sum gives it (nearest means {closest[0]:.4f} and "
                          f"{closest[1]:.4f}).")),
                "nl": (f"GRIM: {show(mv.text, 'nl')} × {units} = "
                       f"{show(f'{mv.value * units:.2f}', 'nl')}; "
                       + ("een geheel totaal geeft dit gemiddelde." if ok else
                          "geen geheel totaal geeft dit gemiddelde."))}[lang]
        out.append(Check(statistic="GRIM", text=what, check="mean", value=mv.value,
                         low=mv.lo * units, high=mv.hi * units,
                         verdict="consistent" if ok else "inconsistent", explanation=expl))
    if sd is not None and ok and n >= 2:
        sv = num(sd, "sd")
        found = False
        for total in sums:
            base = total * total / n
            qlo = (n - 1) * (max(sv.lo, 0) * items) ** 2 + base
            qhi = (n - 1) * (sv.hi * items) ** 2 + base
            q = math.ceil(qlo - 1e-9)
            if q % 2 != total % 2:
                q += 1
            if q <= qhi + 1e-9:
                found = True
                break
        expl = {"en": ("GRIMMER: a whole sum of squares with the parity of the sum gives this SD."
                       if found else "GRIMMER: no whole sum of squares of integer answers gives "
                       f"SD = {sv.text} with this mean and N."),
                "nl": ("GRIMMER: een gehele kwadratensom met de pariteit van het totaal geeft "
                       "deze SD." if found else "GRIMMER: geen gehele kwadratensom van gehele "
                       f"antwoorden geeft SD = {show(sv.text, 'nl')} bij dit gemiddelde en N.")
                }[lang]
        out.append(Check(statistic="GRIMMER", text=what + f", SD = {sv.text}", check="SD",
                         value=sv.value, low=sv.lo, high=sv.hi,
                         verdict="consistent" if found else "inconsistent", explanation=expl))
    return out


def grim(mean, n, items: int = 1, sd=None, lang: Lang = "en") -> RecheckResult:
    """GRIM: can N answers to ``items`` integer-valued items have this printed mean?
    With ``sd``, GRIMMER: can they have this SD (sum of squares whole, with the parity of the sum)?

    Examples
    --------
    >>> grim("3,48", 17).table.loc[0, "verdict"]
    'inconsistent'
    >>> grim("3.47", 17).table.loc[0, "verdict"]
    'consistent'
    >>> grim("3.50", 10, sd="1.00").table["verdict"].tolist()
    ['consistent', 'inconsistent']
    """
    _check_lang(lang)
    return RecheckResult(grim_checks(mean, n, items, sd, lang), lang)


def grimmer(mean, sd, n, items: int = 1, lang: Lang = "en") -> RecheckResult:
    """GRIM and GRIMMER together (see :func:`grim`).

    Examples
    --------
    >>> grimmer("3.50", "1.08", 10).table["verdict"].tolist()
    ['consistent', 'consistent']
    """
    return grim(mean, n, items, sd, lang)


# ---------------------------------------------------------------- contingency tables


def contingency(counts, chi2=None, df=None, p=None, lang: Lang = "en") -> RecheckResult:
    """Check a printed chi-square, its df and p against the table of counts it came from.

    The printed value may be Pearson's chi-square or, for a 2×2 table, the continuity-corrected
    one (SPSS prints both); the p is checked against the printed chi-square.

    Examples
    --------
    >>> res = contingency([[12, 8], [5, 15]], chi2="5.01", df=1, p=".03")
    >>> res.table[["check", "verdict"]].values.tolist()
    [['chi2', 'consistent'], ['df', 'consistent'], ['p', 'consistent']]
    """
    _check_lang(lang)
    obs = np.asarray(counts, dtype=float)
    if obs.ndim != 2 or min(obs.shape) < 2 or np.any(obs < 0):
        raise ValueError("counts: expected a table of non-negative counts with at least 2 rows "
                         "and 2 columns")
    dof = (obs.shape[0] - 1) * (obs.shape[1] - 1)
    pearson = stats.chi2_contingency(obs, correction=False)[0]
    candidates = [("Pearson", float(pearson))]
    if obs.shape == (2, 2):
        candidates.append(("Yates", float(stats.chi2_contingency(obs, correction=True)[0])))
    out: list[Check] = []
    what = f"χ²({df if df is not None else dof}) = {chi2}"
    if chi2 is not None:
        cv = num(chi2, "chi2")
        best = next(((nm, v) for nm, v in candidates if cv.lo - 1e-9 <= v <= cv.hi + 1e-9),
                    candidates[0])
        c = value_check("chi2", what, "chi2", f"{best[0]} χ² of the counts", cv,
                        (best[1], best[1]), lang)
        out.append(c)
    if df is not None:
        out.append(value_check("chi2", what, "df", "(rows - 1)(columns - 1)", num(df, "df"),
                               (dof, dof), lang))
    if chi2 is not None and p is not None:
        out.extend(chi2_checks(chi2, dof, p, lang, what))
    return RecheckResult(out, lang)


def frequencies(values, counts, percentages=None, n=None, mean=None, sd=None,
                lang: Lang = "en") -> RecheckResult:
    """Check the percentages, N, mean and SD printed with a frequency table.

    ``values`` are the answer codes (or scores) and ``counts`` how many gave each. Percentages
    are of the total count (SPSS's "Percent"; give the valid counts only for "Valid Percent");
    the mean and SD (N − 1 in the denominator, as SPSS) are those of the values weighted by
    their counts. Each printed number is its rounding interval.

    Examples
    --------
    >>> res = frequencies([1, 2, 3], [5, 3, 2], percentages=["50.0", "30.0", "20.0"], n=10,
    ...                   mean="1.70", sd="0.82")
    >>> res.table[["check", "verdict"]].values.tolist()
    [['%', 'consistent'], ['%', 'consistent'], ['%', 'consistent'], ['N', 'consistent'], ['mean', 'consistent'], ['SD', 'consistent']]
    >>> frequencies([1, 2], [3, 1], percentages=["70", "30"]).table["verdict"].tolist()
    ['inconsistent', 'inconsistent']
    """
    _check_lang(lang)
    x = np.asarray(values, dtype=float)
    c = np.asarray(counts, dtype=float)
    if len(x) != len(c):
        raise ValueError(f"values and counts: expected the same length, got {len(x)} values "
                         f"and {len(c)} counts")
    if np.any(c < 0) or np.any(c != np.round(c)) or c.sum() < 1:
        raise ValueError("counts: expected whole non-negative counts with a positive total")
    total = float(c.sum())
    out: list[Check] = []
    if percentages is not None:
        if len(percentages) != len(c):
            raise ValueError(f"percentages: expected one per count ({len(c)}), got "
                             f"{len(percentages)}")
        for v, k, pct in zip(x, c, percentages, strict=True):
            if pct is None:
                continue
            exact = 100 * float(k) / total
            what = f"{v:g}: {int(k)} of {int(total)}"
            out.append(value_check("frequencies", what, "%", "100 × count / total",
                                   num(pct, "percentage"), (exact, exact), lang))
    if n is not None:
        out.append(value_check("frequencies", f"N = {n}", "N", "sum of the counts",
                               num(n, "n"), (total, total), lang))
    m = float((x * c).sum() / total)
    if mean is not None:
        out.append(value_check("frequencies", f"M = {mean}", "mean",
                               "Σ value × count / N", num(mean, "mean"), (m, m), lang))
    if sd is not None:
        if total < 2:
            out.append(not_checked("frequencies", f"SD = {sd}",
                                   {"en": "an SD needs at least 2 answers",
                                    "nl": "een SD vraagt minstens 2 antwoorden"}[lang]))
        else:
            s = math.sqrt(float((c * (x - m) ** 2).sum()) / (total - 1))
            out.append(value_check("frequencies", f"SD = {sd}", "SD",
                                   "√(Σ count × (value − M)² / (N − 1))", num(sd, "sd"),
                                   (s, s), lang))
    return RecheckResult(out, lang)
