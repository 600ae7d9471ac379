"""Group comparison over a scored survey: one test per item, principle or category.

:func:`compare_groups` (also :meth:`fidelity.scoring.SurveyScores.compare`) runs, for every
variable of a level, a one-way ANOVA (three or more groups) or an independent-samples t test (two
groups) with :mod:`evalstats`, and gathers F, df, exact p, eta squared, Levene's test and the
Welch test into one tidy table with an APA sentence per row.

Missing values are handled per variable, as SPSS ONEWAY and T-TEST do by default
(``/MISSING ANALYSIS``): every respondent with an answer on the variable enters that variable's
test. A group with fewer than two answers on a variable (for instance a team whose answers to an
item were excluded) is left out of that variable's test and named in the ``left_out`` column.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

import numpy as np
import pandas as pd

import evalstats
from evalstats.format import Lang, fmt_df, fmt_num, fmt_p, p_spss, stat_sep
from evalstats.result import Result
from fidelity.instrument import Level

_COLUMNS = [
    "variable", "label", "level", "test", "k", "n", "groups", "left_out",
    "F", "df1", "df2", "p", "eta_squared",
    "levene_F", "levene_df1", "levene_df2", "levene_p",
    "welch_F", "welch_df1", "welch_df2", "welch_p",
    "t", "t_df", "welch_t", "welch_t_df", "cohen_d", "apa",
]  # fmt: skip


class GroupComparison(Result):
    """Per-variable group comparisons of a scored survey.

    Attributes
    ----------
    by:
        The grouping column.
    level:
        ``"item"``, ``"principle"`` or ``"category"``.
    results:
        The :mod:`evalstats` result per variable (``OnewayResult`` or ``TTestResult``), for post
        hoc tests and the full SPSS tables; ``None`` where fewer than two groups could be compared.
    alpha:
        The significance level used in the sentences.

    Examples
    --------
    >>> from fidelity.scoring import _doc_instrument, score_survey
    >>> df = pd.DataFrame({"respondent": range(8), "team": list("XXXXYYYY"),
    ...                    "M1": [4, 5, 5, 4, 3, 3, 2, 4], "M2": [1, 2, 1, 2, 3, 2, 3, 3]})
    >>> cmp = score_survey(df, _doc_instrument(), groups=["team"]).compare("team")
    >>> cmp.table.loc[0, "test"], round(float(cmp.table.loc[0, "t"]), 3)
    ('t-test', 3.0)
    >>> cmp.statistic("M1", "nl")
    't(6) = 3,00; p = ,024; d = 2,12'
    """

    titles = {"en": "Group comparison", "nl": "Groepsvergelijking"}

    def __init__(self, table: pd.DataFrame, results: dict[str, Any], by: str, level: str,
                 alpha: float):
        self._table = table
        self.results = results
        self.by = by
        self.level = level
        self.alpha = alpha

    @property
    def table(self) -> pd.DataFrame:
        """One row per variable: test, k, N, F, df1, df2, p, eta², Levene, Welch, t, d, APA text.

        For two groups F = t² with df (1, N − 2) and the same p as the Student t test, and eta
        squared = t² / (t² + df), as SPSS ONEWAY prints for two groups.
        """
        return self._table

    def sentence(self, variable: str, lang: Lang = "en") -> str:
        """The APA sentence of one variable in English or Dutch."""
        row = self._table.set_index("variable").loc[variable]
        return _sentence(variable, row, self.results.get(variable), self.by, self.alpha, lang)

    def statistic(self, variable: str, lang: Lang = "en") -> str:
        """The APA statistic of one variable, e.g. ``F(3, 62) = 7.22, p < .001, η² = .26``;
        empty when no comparison was possible."""
        result = self.results.get(variable)
        if result is None:
            return ""
        return _stat_text(self._table.set_index("variable").loc[variable], result, lang)

    def sentences(self, lang: Lang = "en") -> pd.Series:
        """The APA sentences of every variable (index = variable)."""
        return pd.Series(
            [self.sentence(v, lang) for v in self._table["variable"]],
            index=self._table["variable"].to_list(),
            name="apa",
        )

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """F, df, Sig., eta squared, Levene and Welch per variable, rounded as SPSS prints them."""
        t = self._table
        nl = lang == "nl"

        def num(x: float, d: int = 3) -> str:
            return "" if pd.isna(x) else fmt_num(float(x), d, lang)

        def df_(x: float) -> str:
            return "" if pd.isna(x) else (str(int(x)) if float(x).is_integer() else num(x))

        def sig(x: float) -> str:
            return "" if pd.isna(x) else p_spss(float(x)).replace(".", "," if nl else ".")

        out = pd.DataFrame(index=t["variable"].to_list())
        out["N"] = t["n"].to_list()
        out["F"] = [num(x) for x in t["F"]]
        out["df1"] = [df_(x) for x in t["df1"]]
        out["df2"] = [df_(x) for x in t["df2"]]
        out["Sig."] = [sig(x) for x in t["p"]]
        out["η²"] = [num(x) for x in t["eta_squared"]]
        out["Levene"] = [num(x) for x in t["levene_F"]]
        out["Levene Sig."] = [sig(x) for x in t["levene_p"]]
        out["Welch F"] = [num(x) for x in t["welch_F"]]
        out["Welch df2"] = [df_(x) for x in t["welch_df2"]]
        out["Welch Sig."] = [sig(x) for x in t["welch_p"]]
        return out

    def apa(self, lang: Lang = "en") -> str:
        """The sentences of every variable, one per line."""
        return "\n".join(self.sentences(lang))


def _stat_text(row: pd.Series, result: Any, lang: Lang) -> str:
    if row["test"] == "t-test":
        return result.apa(lang)
    sep = stat_sep(lang)
    eta = fmt_num(float(row["eta_squared"]), 2, lang, leading_zero=False)
    return (
        f"F{fmt_df(row['df1'], row['df2'], lang=lang)} = {fmt_num(float(row['F']), 2, lang)}"
        f"{sep}{fmt_p(float(row['p']), lang)}{sep}η² = {eta}"
    )


def _sentence(var: str, row: pd.Series, result: Any, by: str, alpha: float, lang: Lang) -> str:
    if result is None:
        if lang == "nl":
            return f"{var}: geen vergelijking mogelijk (minder dan twee groepen met ten minste twee antwoorden)."
        return f"{var}: no comparison possible (fewer than two groups with at least two answers)."
    stat = _stat_text(row, result, lang)
    p = row["welch_p"] if row["test"] == "t-test" and "Welch" in stat else row["p"]
    significant = p < alpha
    if lang == "nl":
        verb = "verschilden significant" if significant else "verschilden niet significant"
        return f"De groepen van {by} {verb} op {var}, {stat}."
    verb = "differed significantly" if significant else "did not differ significantly"
    return f"The {by} groups {verb} on {var}, {stat}."


class _Scored(Protocol):
    """What a comparison reads from a scored survey (:class:`fidelity.scoring.SurveyScores`)."""

    _group_values: pd.DataFrame

    def _check_group(self, by: str) -> None: ...

    def variables(self, level: Level) -> list[str]: ...

    def values(self, variable: str) -> np.ndarray: ...

    def label(self, variable: str, lang: Lang = "en") -> str: ...


def compare_groups(
    scores: _Scored, by: str, level: Level = "item", alpha: float = 0.05
) -> GroupComparison:
    """Compare the groups of ``by`` on every item, principle or category of a scored survey.

    Three or more groups: one-way ANOVA (:func:`evalstats.oneway_anova`) with Levene's test
    (mean-centred, as SPSS) and Welch's F. Two groups: independent-samples t test
    (:func:`evalstats.ttest_ind`) with Levene, the Student and the Welch row and Cohen's d; the
    APA sentence follows the SPSS reading rule (Welch row when Levene's p < .05).

    Parameters
    ----------
    scores:
        The result of :func:`fidelity.scoring.score_survey`; ``by`` must be one of its groups.
    by:
        Grouping column.
    level:
        ``"item"``, ``"principle"`` or ``"category"``.
    alpha:
        Significance level for the wording of the sentences (the table keeps exact p-values).

    Examples
    --------
    >>> from fidelity.scoring import _doc_instrument, score_survey
    >>> df = pd.DataFrame({"respondent": range(9), "org": list("AAABBBCCC"),
    ...                    "M1": [4, 5, 5, 3, 4, 2, 3, 3, 2], "M2": [2, 1, 2, 3, 2, 2, 1, 2, 3]})
    >>> cmp = score_survey(df, _doc_instrument(), groups=["org"]).compare("org")
    >>> cmp.table[["variable", "test", "F", "df1", "df2", "p"]].round(4)
      variable   test    F  df1  df2       p
    0       M1  anova  6.2  2.0  6.0  0.0347
    1       M2  anova  0.6  2.0  6.0  0.5787
    >>> cmp.sentence("M1")
    'The org groups differed significantly on M1, F(2, 6) = 6.20, p = .035, η² = .67.'
    """
    scores._check_group(by)
    variables = scores.variables(level)
    group_col = scores._group_values[by].to_numpy()
    rows: list[dict[str, Any]] = []
    results: dict[str, Any] = {}
    for var in variables:
        y = scores.values(var)
        ok = ~np.isnan(y)
        frame = pd.DataFrame({by: group_col[ok], var: y[ok]})
        counts = frame[by].value_counts()
        all_groups = pd.unique(pd.Series(group_col))
        usable = [g for g in all_groups if counts.get(g, 0) >= 2]
        left_out = [g for g in all_groups if counts.get(g, 0) < 2]
        frame = frame[frame[by].isin(usable)]
        row: dict[str, Any] = dict.fromkeys(_COLUMNS, math.nan)
        row.update(
            variable=var,
            label=scores.label(var, "en"),
            level=level,
            k=len(usable),
            n=len(frame),
            groups=", ".join(str(g) for g in _sorted(usable)),
            left_out=", ".join(
                f"{g} (n = {int(counts.get(g, 0))})" for g in _sorted(left_out)
            ),
        )
        res: Any = None
        if len(usable) == 2:
            res = evalstats.ttest_ind(frame, var, by, groups=tuple(_sorted(usable)))
            st, we = res.student, res.welch
            row.update(
                test="t-test",
                t=st.t,
                t_df=st.df,
                welch_t=we.t,
                welch_t_df=we.df,
                cohen_d=res.cohen_d,
                F=st.t**2,
                df1=1.0,
                df2=st.df,
                p=st.p,
                eta_squared=st.t**2 / (st.t**2 + st.df),
                welch_F=we.t**2,
                welch_df1=1.0,
                welch_df2=we.df,
                welch_p=we.p,
            )
        elif len(usable) > 2:
            res = evalstats.oneway_anova(frame, var, by)
            row.update(
                test="anova",
                F=res.F,
                df1=res.df1,
                df2=res.df2,
                p=res.p,
                eta_squared=res.eta_squared,
                welch_F=res.welch.F,
                welch_df1=res.welch.df1,
                welch_df2=res.welch.df2,
                welch_p=res.welch.p,
            )
        else:
            row.update(test="none")
        if res is not None and res.levene is not None:
            row.update(
                levene_F=res.levene.F,
                levene_df1=res.levene.df1,
                levene_df2=res.levene.df2,
                levene_p=res.levene.p,
            )
        results[var] = res
        rows.append(row)
    table = pd.DataFrame(rows, columns=_COLUMNS)
    out = GroupComparison(table, results, by, level, alpha)
    table["apa"] = [out.sentence(v, "en") for v in table["variable"]]
    return out


def _sorted(values: list[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


__all__ = ["GroupComparison", "compare_groups"]
