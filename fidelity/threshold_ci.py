"""Uncertainty around the fidelity threshold: a confidence interval for each group mean and a
three-way verdict.

"Fidelity met" for a team mean of 4.02 from 6 respondents is a weaker claim than for the same
mean from 60. Each mean gets a t-based confidence interval, mean ± t(1 − α/2, n − 1) · SD/√n,
and the share of that interval that lies above the threshold. The verdict is

* ``"met"`` when the whole interval meets the threshold (its lower limit does),
* ``"not met"`` when no part of it does (its upper limit is below the threshold),
* ``"undecided"`` when the interval straddles the threshold, or when there is no interval
  (fewer than two answers, or no spread to estimate it from).

The plain verdict (the mean itself meets the threshold) stays in ``meets_threshold``.
``docs/methods-inference.md`` explains the choice.
"""

from __future__ import annotations

import math

import pandas as pd
from scipy import stats

from evalstats.format import Lang, _check_lang, fmt_num
from evalstats.result import Result
from fidelity.instrument import Threshold

VERDICTS = ("met", "not met", "undecided")
_VERDICT_NL = {"met": "gehaald", "not met": "niet gehaald", "undecided": "onbeslist"}


def ci_verdict(mean: float, sd: float, n: int, threshold: Threshold | float,
               conf: float = 0.95) -> dict:
    """The t-based CI of one mean, the share of it above the threshold, and the verdict.

    Parameters
    ----------
    mean, sd, n : float, float, int
        The group's mean, SD (ddof = 1) and number of answers.
    threshold : Threshold or float
        A float means an inclusive threshold (a mean equal to it meets it).
    conf : float
        Confidence level, between 0 and 1.

    Returns
    -------
    dict
        ``mean``, ``sd``, ``n``, ``se``, ``df``, ``ci_low``, ``ci_high``, ``threshold``,
        ``share_above`` (the part of [ci_low, ci_high] at or above the threshold, 0..1; 1 or 0
        for a zero-width interval), ``meets_threshold`` (the plain verdict on the mean) and
        ``verdict``.

    Examples
    --------
    >>> r = ci_verdict(4.02, 0.5, 6, 4.0)
    >>> round(r["ci_low"], 3), round(r["ci_high"], 3), round(r["share_above"], 3), r["verdict"]
    (3.495, 4.545, 0.519, 'undecided')
    >>> ci_verdict(4.02, 0.5, 600, 4.0)["verdict"], ci_verdict(4.6, 0.3, 20, 4.0)["verdict"]
    ('undecided', 'met')
    """
    thr = threshold if isinstance(threshold, Threshold) else Threshold(value=float(threshold))
    if not 0 < conf < 1:
        raise ValueError(f"conf must lie between 0 and 1, got {conf!r}")
    n = int(n)
    out = {"mean": float(mean), "sd": float(sd), "n": n, "se": math.nan, "df": math.nan,
           "ci_low": math.nan, "ci_high": math.nan, "threshold": float(thr.value),
           "share_above": math.nan, "meets_threshold": thr.met(float(mean)),
           "verdict": "undecided"}
    if n < 2 or not math.isfinite(sd) or not math.isfinite(mean):
        return out
    df = n - 1
    se = sd / math.sqrt(n)
    half = float(stats.t.ppf(0.5 + conf / 2, df)) * se
    lo, hi = mean - half, mean + half
    if hi > lo:
        share = min(1.0, max(0.0, (hi - thr.value) / (hi - lo)))
    else:
        share = 1.0 if thr.met(lo) else 0.0
    verdict = "met" if thr.met(lo) else ("not met" if not thr.met(hi) else "undecided")
    out.update(se=se, df=float(df), ci_low=lo, ci_high=hi, share_above=share, verdict=verdict)
    return out


def verdict_label(verdict: str, lang: Lang = "en") -> str:
    """A verdict in the report's language.

    Examples
    --------
    >>> verdict_label("undecided", "nl")
    'onbeslist'
    """
    _check_lang(lang)
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {list(VERDICTS)}, got {verdict!r}")
    return _VERDICT_NL[verdict] if lang == "nl" else verdict


class ThresholdCI(Result):
    """Group means with their confidence interval against the fidelity threshold.

    Attributes
    ----------
    table : DataFrame
        One row per variable × group (``grouping``, ``group``, ``level``, ``variable``): the
        columns of :func:`ci_verdict`. Variables without a threshold are left out.
    conf : float

    Examples
    --------
    >>> from fidelity.scoring import _doc_instrument, score_survey
    >>> df = pd.DataFrame({"respondent": range(8), "team": list("XXXXYYYY"),
    ...                    "M1": [4, 5, 5, 4, 3, 3, 2, 4], "M2": [1, 2, 1, 2, 3, 2, 3, 3]})
    >>> ci = score_survey(df, _doc_instrument(), groups=["team"]).threshold_ci("team", "item")
    >>> ci.table.query("variable == 'M1'")[["group", "n", "mean", "verdict"]].values.tolist()
    [['Total', 8, 3.75, 'undecided'], ['X', 4, 4.5, 'undecided'], ['Y', 4, 3.0, 'undecided']]
    >>> ci.spss_table("nl").iloc[3].tolist()
    ['Y', 'M1', '4', '3,00', '[1,70; 4,30]', '4,0', '12', 'onbeslist']
    """

    titles = {"en": "Confidence intervals around the threshold", "nl": "Betrouwbaarheidsintervallen rond de norm"}

    def __init__(self, table: pd.DataFrame, conf: float):
        self._table = table
        self.conf = conf

    @property
    def table(self) -> pd.DataFrame:
        """The exact values, one row per variable × group."""
        return self._table.copy()

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Group, variable, N, mean, CI, threshold, share of the CI above it, verdict."""
        _check_lang(lang)
        t = self._table
        pct = fmt_num(100 * self.conf, 0, lang)

        def num(v, d=2):
            return "" if pd.isna(v) else fmt_num(float(v), d, lang)

        heads = (["Group", "Variable", "N", "Mean", f"{pct}% CI", "Threshold", "% of CI above", "Verdict"]
                 if lang == "en" else
                 ["Groep", "Variabele", "N", "Gemiddelde", f"{pct}%-BI", "Norm", "% van BI erboven", "Oordeel"])  # fmt: skip
        sep = "; " if lang == "nl" else ", "
        total = "Totaal" if lang == "nl" else "Total"
        cols = [[total if g == "Total" else str(g) for g in t["group"]], t["variable"],
                [str(int(v)) for v in t["n"]], [num(v) for v in t["mean"]],
                ["" if pd.isna(lo) else f"[{num(lo)}{sep}{num(hi)}]"
                 for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)],
                [num(v, 1) for v in t["threshold"]], [num(100 * v, 0) for v in t["share_above"]],
                [verdict_label(v, lang) for v in t["verdict"]]]
        return pd.DataFrame({h: list(c) for h, c in zip(heads, cols, strict=True)})

    def apa(self, lang: Lang = "en") -> str:
        """How many group means meet the threshold with their whole CI, miss it, or straddle it."""
        _check_lang(lang)
        c = self._table["verdict"].value_counts()
        met, no, und = (int(c.get(v, 0)) for v in VERDICTS)
        pct = fmt_num(100 * self.conf, 0, lang)
        if lang == "nl":
            return (f"Van {len(self._table)} gemiddelden haalden er {met} de norm met hun hele "
                    f"{pct}%-betrouwbaarheidsinterval, {no} niet, en {und} waren onbeslist "
                    "(het interval omvat de norm).")
        return (f"Of {len(self._table)} means, {met} met the threshold with their whole {pct}% "
                f"confidence interval, {no} did not, and {und} were undecided (the interval "
                "straddles the threshold).")


def survey_threshold_ci(scores, by: str | None = None, level: str = "category",
                        conf: float = 0.95) -> ThresholdCI:
    """The CI verdict of every group mean of a scored survey (see :meth:`SurveyScores.threshold_ci`).

    Examples
    --------
    >>> from fidelity.scoring import _doc_instrument, score_survey
    >>> df = pd.DataFrame({"respondent": range(4), "M1": [4, 5, 5, 4], "M2": [1, 2, 1, 2]})
    >>> t = survey_threshold_ci(score_survey(df, _doc_instrument()), level="item").table
    >>> t[["variable", "mean", "meets_threshold", "verdict"]].values.tolist()
    [['M1', 4.5, True, 'undecided'], ['M2', 4.5, True, 'undecided']]
    """
    gs = scores.group_stats
    sel = gs[gs["level"] == level]
    sel = sel[(sel["grouping"] == by) | (sel["grouping"] == "Total")] if by is not None else (
        sel[sel["grouping"] == "Total"])
    if by is not None:
        scores.variables(level)  # checks the level
        if by not in scores.groups:
            raise KeyError(f"{by!r} is not a group column of this survey; groups: {scores.groups}")
    thresholds = _thresholds(scores, level)
    rows = []
    for r in sel.itertuples(index=False):
        thr = thresholds.get(r.variable)
        if thr is None:
            continue
        res = ci_verdict(r.mean, r.sd, int(r.n), thr, conf)
        # the plain verdict as the survey decided it, on the exact mean
        res["meets_threshold"] = None if pd.isna(r.meets_threshold) else bool(r.meets_threshold)
        rows.append({"grouping": r.grouping, "group": r.group, "level": level,
                     "variable": r.variable, **res})
    cols = ["grouping", "group", "level", "variable", "n", "mean", "sd", "se", "df", "ci_low",
            "ci_high", "threshold", "share_above", "meets_threshold", "verdict"]
    return ThresholdCI(pd.DataFrame(rows, columns=cols), conf)


def _thresholds(scores, level: str) -> dict[str, Threshold]:
    """The threshold of each variable of ``level`` that has one (items: their own; scales:
    the scale's, as the plain verdict uses)."""
    if level == "item":
        found = {c: scores.instrument.threshold_for(scores.instrument.item(c)) for c in scores.item_codes}
    else:
        found = {s.column: s.threshold for s in scores._scales if s.level == level}
    return {v: thr for v, thr in found.items() if thr is not None}


__all__ = ["VERDICTS", "ThresholdCI", "ci_verdict", "survey_threshold_ci", "verdict_label"]
