"""The scored survey: item, scale and group tables, the SPSS-like tables and the APA sentence,
all from the same numbers (see :func:`fidelity.scoring.score_survey`)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from evalstats.format import Lang, fmt_num
from evalstats.result import Result
from fidelity.compare import compare_groups
from fidelity.instrument import BandSet, Instrument, Level
from fidelity.scale_scores import _scale_band_set, _ScaleDef
from fidelity.survey_stats import TOTAL

_LABELS = {
    "en": {
        "item": "Item",
        "text": "Text",
        "scale": "Scale",
        "variable": "Variable",
        "n": "N",
        "min": "Minimum",
        "max": "Maximum",
        "mean": "Mean",
        "sd": "Std. Deviation",
        "band": "Band",
        "threshold": "Threshold",
        "met": "Threshold met",
        "missing": "Missing",
        "non_substantive": "Non-substantive",
        "not_applicable": "Not applicable",
        "excluded": "Excluded",
        "yes": "yes",
        "no": "no",
        "total": "Total",
        "items": "Items",
        "method": "Scoring",
        "level": "Level",
        "category": "category",
        "principle": "principle",
    },
    "nl": {
        "item": "Item",
        "text": "Tekst",
        "scale": "Schaal",
        "variable": "Variabele",
        "n": "N",
        "min": "Minimum",
        "max": "Maximum",
        "mean": "Gemiddelde",
        "sd": "Std. deviatie",
        "band": "Band",
        "threshold": "Drempel",
        "met": "Drempel gehaald",
        "missing": "Ontbrekend",
        "non_substantive": "Niet-inhoudelijk",
        "not_applicable": "N.v.t.",
        "excluded": "Uitgesloten",
        "yes": "ja",
        "no": "nee",
        "total": "Totaal",
        "items": "Items",
        "method": "Scoring",
        "level": "Niveau",
        "category": "categorie",
        "principle": "principe",
    },
}


def _lab(lang: str, key: str) -> str:
    if lang not in _LABELS:
        raise ValueError(f"lang must be one of {tuple(_LABELS)}, got {lang!r}")
    return _LABELS[lang][key]


class SurveyScores(Result):
    """The scored survey: item statistics, scale scores, group tables, exclusions.

    Attributes
    ----------
    instrument:
        The instrument the survey was scored with.
    item_stats:
        One row per item: N, mean, SD (ddof = 1), min, max, band(s), threshold and whether the
        item mean meets it, counts of missing, not applicable ("n.v.t."), other non-substantive
        and excluded answers.
    scores:
        One row per respondent: id, group columns and a score per category and principle.
    scale_stats:
        One row per category and principle: items, scoring method, minimum number of answered
        items, N, mean, SD, min, max, threshold, band.
    group_stats:
        Tidy long table: grouping column, group (``"Total"`` for everyone), level, variable, N,
        mean, SD, whether the mean meets the threshold and its band (default band set) — for
        every item, principle and category.
    exclusions:
        One row per exclusion rule and item: reason, subgroup, number of respondents and of
        answers set to missing, whether it was applied (an instrument's exclusion is not when
        its group column is absent from the data).
    excluded_answers:
        One row per answer set to missing by an exclusion: rule, respondent, item, answer.
    excluded_items:
        Items the instrument leaves out of every analysis: item, reason, whether the data had
        a column for it (such a column is not scored).
    absent_items:
        Items of the instrument that had no column in the data and were skipped
        (``missing_items="skip"``); empty otherwise.
    answers:
        The cleaned answers (reverse-keyed items recoded, non-substantive and excluded answers
        missing), one row per respondent.

    Examples
    --------
    >>> from fidelity.scoring import _doc_instrument, score_survey
    >>> df = pd.DataFrame({"respondent": [1, 2, 3, 4], "org": ["A", "A", "B", "B"],
    ...                    "M1": [4, 5, 3, None], "M2": [2, 1, 1, 3]})
    >>> s = score_survey(df, _doc_instrument(), groups=["org"])
    >>> s.scale_stats[["variable", "n_items", "min_answered", "n", "mean"]]
      variable  n_items  min_answered  n  mean
    0        M        2             1  4   4.0
    >>> s.group_stats.query("variable == 'M1'")[["grouping", "group", "n", "mean"]]
      grouping  group  n  mean
    0    Total  Total  3   4.0
    3      org      A  2   4.5
    4      org      B  1   3.0
    """

    titles = {"en": "Fidelity scores", "nl": "Modelgetrouwheidsscores"}

    def __init__(
        self,
        *,
        instrument: Instrument,
        respondent: str,
        groups: list[str],
        ids: pd.Index,
        group_values: pd.DataFrame,
        answers: np.ndarray,
        item_codes: list[str],
        item_stats: pd.DataFrame,
        scales: list[_ScaleDef],
        score_matrix: np.ndarray,
        scale_stats: pd.DataFrame,
        group_stats: pd.DataFrame,
        exclusions: pd.DataFrame,
        excluded_answers: pd.DataFrame,
        excluded_items: pd.DataFrame,
        absent_items: list[str],
        band_sets: list[str],
    ):
        self.instrument = instrument
        self.respondent = respondent
        self.groups = groups
        self._ids = ids
        self._group_values = group_values
        self._answers = answers
        self.item_codes = item_codes
        self.item_stats = item_stats
        self._scales = scales
        self._score_matrix = score_matrix
        self.scale_stats = scale_stats
        self.group_stats = group_stats
        self.exclusions = exclusions
        self.excluded_answers = excluded_answers
        self.excluded_items = excluded_items
        self.absent_items = absent_items
        self.band_sets = band_sets

    # -- tables ------------------------------------------------------------------------------
    @property
    def n_respondents(self) -> int:
        """Number of respondents (rows) scored."""
        return len(self._ids)

    @property
    def table(self) -> pd.DataFrame:
        """The item statistics (same as :attr:`item_stats`)."""
        return self.item_stats

    @property
    def answers(self) -> pd.DataFrame:
        """Cleaned answers: one row per respondent (index = respondent id), one column per item."""
        return pd.DataFrame(
            self._answers.astype(np.float64), index=self._ids, columns=self.item_codes
        )

    @property
    def scores(self) -> pd.DataFrame:
        """Scale scores per respondent, with the respondent id and group columns."""
        out = pd.DataFrame({self.respondent: self._ids.to_numpy()})
        for g in self.groups:
            out[g] = self._group_values[g].to_numpy()
        for j, s in enumerate(self._scales):
            out[s.column] = self._score_matrix[:, j]
        return out

    def variables(self, level: Level) -> list[str]:
        """The variables (item codes or scale columns) of a level, in instrument order."""
        if level == "item":
            return list(self.item_codes)
        if level in ("category", "principle"):
            return [s.column for s in self._scales if s.level == level]
        raise ValueError(f"level must be 'item', 'principle' or 'category', got {level!r}")

    def values(self, variable: str) -> np.ndarray:
        """The per-respondent values (float, NaN = missing) of an item or a scale column."""
        if variable in self.item_codes:
            return self._answers[:, self.item_codes.index(variable)].astype(np.float64)
        for j, s in enumerate(self._scales):
            if s.column == variable:
                return self._score_matrix[:, j]
        raise KeyError(f"{variable!r} is neither a scored item nor a scale of {self.instrument.id!r}")

    def data(self, level: Level, by: str | None = None) -> pd.DataFrame:
        """A long-format-ready wide frame: respondent, group column ``by`` and the variables of ``level``."""
        out = pd.DataFrame({self.respondent: self._ids.to_numpy()})
        if by is not None:
            self._check_group(by)
            out[by] = self._group_values[by].to_numpy()
        for v in self.variables(level):
            out[v] = self.values(v)
        return out

    def group_sizes(self, by: str) -> pd.Series:
        """Number of respondents per group of ``by`` (whatever they answered), in group order.

        Examples
        --------
        >>> from fidelity.scoring import _doc_instrument, score_survey
        >>> df = pd.DataFrame({"respondent": [1, 2, 3], "org": ["B", "A", "B"],
        ...                    "M1": [4, 5, 3], "M2": [2, 1, 1]})
        >>> score_survey(df, _doc_instrument(), groups=["org"]).group_sizes("org").to_dict()
        {'A': 1, 'B': 2}
        """
        self._check_group(by)
        gs = self.group_stats
        order = list(dict.fromkeys(gs.loc[gs["grouping"] == by, "group"]))
        counts = self._group_values[by].value_counts()
        return pd.Series([int(counts.get(g, 0)) for g in order], index=order, name="n")

    def _band_set_of(self, variable: str, level: str, band_set: str | None) -> BandSet | None:
        if level == "item":
            return self.instrument.band_set_for(variable, band_set)
        scale = next(s for s in self._scales if s.column == variable)
        return _scale_band_set(self.instrument, scale, band_set)

    def _check_group(self, by: str) -> None:
        if by not in self.groups:
            raise KeyError(f"{by!r} is not a group column of this survey; groups: {self.groups}")

    def label(self, variable: str, lang: Lang = "en") -> str:
        """The text of an item or the name of a category/principle in ``lang``."""
        if variable in self.item_codes:
            it = self.instrument.item(variable)
            return (it.text_en or it.text_nl) if lang == "en" else it.text_nl
        for s in self._scales:
            if s.column == variable:
                return (s.label_en or s.label_nl) if lang == "en" else (s.label_nl or s.label_en)
        raise KeyError(variable)

    def group_table(
        self, by: str | None = None, level: Level = "item", lang: Lang = "en", decimals: int = 2
    ) -> pd.DataFrame:
        """Wide SPSS-like table: per variable "M; SD" and N per group and in total.

        This is the layout of the dissertation's fidelity tables (one column per organisation and
        one for everyone, each cell ``M = 4.90; SD = 0.30``), with N beside every cell.

        Examples
        --------
        >>> from fidelity.scoring import _doc_instrument, score_survey
        >>> df = pd.DataFrame({"respondent": [1, 2, 3, 4], "org": ["A", "A", "B", "B"],
        ...                    "M1": [4, 5, 3, 4], "M2": [2, 1, 1, 3]})
        >>> t = score_survey(df, _doc_instrument(), groups=["org"]).group_table("org", lang="nl")
        >>> t.loc["M1", ("A", "M; SD")], int(t.loc["M1", ("Totaal", "N")])
        ('M = 4,50; SD = 0,71', 4)
        """
        self.variables(level)
        gs = self.group_stats
        sel = gs[(gs["level"] == level)]
        if by is not None:
            self._check_group(by)
            sel = sel[(sel["grouping"] == by) | (sel["grouping"] == TOTAL)]
        else:
            sel = sel[sel["grouping"] == TOTAL]
        total = _lab(lang, "total")
        order = list(dict.fromkeys(sel["group"]))
        order = [g for g in order if g != TOTAL] + [TOTAL]
        rows = []
        for var in self.variables(level):
            sub = sel[sel["variable"] == var].set_index("group")
            row: dict[tuple[str, str], Any] = {}
            for g in order:
                r = sub.loc[g]
                name = total if g == TOTAL else str(g)
                ms = (
                    f"M = {fmt_num(r['mean'], decimals, lang)}"
                    f"; SD = {fmt_num(r['sd'], decimals, lang)}"
                )
                row[(name, "M; SD")] = ms
                row[(name, "N")] = int(r["n"])
            rows.append(pd.Series(row, name=var))
        out = pd.DataFrame(rows)
        out.columns = pd.MultiIndex.from_tuples(out.columns)
        out.index.name = _lab(lang, "item") if level == "item" else _lab(lang, "variable")
        return out

    def spss_table(self, lang: Lang = "en", level: Level = "item", decimals: int = 2) -> pd.DataFrame:
        """Descriptive statistics as SPSS prints them, plus band and threshold columns.

        Examples
        --------
        >>> from fidelity.scoring import _doc_instrument, score_survey
        >>> df = pd.DataFrame({"respondent": [1, 2, 3], "M1": [4, 5, 3], "M2": [2, 1, 1]})
        >>> score_survey(df, _doc_instrument()).spss_table()  # doctest: +NORMALIZE_WHITESPACE
            N  Minimum  Maximum  Mean  Std. Deviation  Threshold  Threshold met
        M1  3        3        5  4.00           1.000      4.00            yes
        M2  3        4        5  4.67            .577      4.00            yes
        """
        L = lambda k: _lab(lang, k)  # noqa: E731
        if level == "item":
            src = self.item_stats.set_index("item")
        else:
            self.variables(level)
            src = self.scale_stats[self.scale_stats["level"] == level].set_index("variable")

        def yn(v: Any) -> str:
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                return ""
            return L("yes") if bool(v) else L("no")

        def num(v: float, d: int, lead: bool = True) -> str:
            return "" if pd.isna(v) else fmt_num(float(v), d, lang, leading_zero=lead)

        out = pd.DataFrame(index=src.index)
        out[L("n")] = src["n"].astype(int)
        out[L("min")] = [num(v, 0 if float(v).is_integer() else decimals) for v in src["min"]]
        out[L("max")] = [num(v, 0 if float(v).is_integer() else decimals) for v in src["max"]]
        out[L("mean")] = [num(v, decimals) for v in src["mean"]]
        out[L("sd")] = [num(v, decimals + 1, lead=False) for v in src["sd"]]
        band_cols = [c for c in src.columns if c == "band" or c.startswith("band:")]
        for c in band_cols:
            if src[c].notna().any():
                bs_id = c[5:] or None
                out[L("band") + c[4:]] = [
                    _band_name(self._band_set_of(var, level, bs_id), lab, lang)
                    for var, lab in zip(src.index, src[c], strict=True)
                ]
        out[L("threshold")] = [num(v, decimals) for v in src["threshold"]]
        out[L("met")] = [yn(v) for v in src["meets_threshold"]]
        if level == "item":
            if (src["n_missing"] > 0).any():
                out[L("missing")] = src["n_missing"].astype(int)
            for key in ("not_applicable", "non_substantive"):
                if (src[f"n_{key}"] > 0).any():
                    out[L(key)] = src[f"n_{key}"].astype(int)
            if (src["n_excluded"] > 0).any():
                out[L("excluded")] = src["n_excluded"].astype(int)
        out.index.name = None
        return out

    def apa(self, lang: Lang = "en") -> str:
        """A sentence summarising how many items meet their threshold.

        Examples
        --------
        >>> from fidelity.scoring import _doc_instrument, score_survey
        >>> df = pd.DataFrame({"respondent": [1, 2, 3], "M1": [4, 5, 3], "M2": [2, 1, 1]})
        >>> score_survey(df, _doc_instrument()).apa("nl")
        'Van de 2 items met een drempel voor modelgetrouwheid haalden 2 die; de itemgemiddelden liepen van 4,00 tot 4,67 (N = 3 respondenten).'
        """
        _lab(lang, "n")  # validates lang
        st = self.item_stats[self.item_stats["n"] > 0]
        with_thr = st[st["threshold"].notna()]
        met = int(with_thr["meets_threshold"].fillna(False).astype(bool).sum())
        k = len(with_thr)
        lo = fmt_num(float(st["mean"].min()), 2, lang) if len(st) else "NaN"
        hi = fmt_num(float(st["mean"].max()), 2, lang) if len(st) else "NaN"
        n = self.n_respondents
        n_excl = int(self.exclusions["n_answers"].sum()) if len(self.exclusions) else 0
        if lang == "nl":
            s = (
                f"Van de {k} items met een drempel voor modelgetrouwheid haalden {met} die; "
                f"de itemgemiddelden liepen van {lo} tot {hi} (N = {n} respondenten)."
            )
            return s + (f" {n_excl} antwoorden zijn uitgesloten." if n_excl else "")
        s = (
            f"Of the {k} items with a fidelity threshold, {met} met it; item means ranged "
            f"from {lo} to {hi} (N = {n} respondents)."
        )
        return s + (f" {n_excl} answers were excluded." if n_excl else "")

    # -- comparison --------------------------------------------------------------------------
    def threshold_ci(self, by: str | None = None, level: Level = "category", conf: float = 0.95):
        """Each group mean (and the total) with its t-based confidence interval, the share of
        the interval above the threshold and the verdict met / not met / undecided
        (:mod:`fidelity.threshold_ci`); ``meets_threshold`` keeps the plain verdict.

        Examples
        --------
        >>> from fidelity.scoring import _doc_instrument, score_survey
        >>> df = pd.DataFrame({"respondent": range(4), "M1": [4, 5, 5, 4], "M2": [1, 2, 1, 2]})
        >>> score_survey(df, _doc_instrument()).threshold_ci(level="item").table["verdict"].tolist()
        ['undecided', 'undecided']
        """
        from fidelity.threshold_ci import survey_threshold_ci

        return survey_threshold_ci(self, by, level, conf)

    def compare(self, by: str, level: Level = "item"):
        """Compare the groups of ``by`` on every variable of ``level`` (one-way ANOVA or t-test).

        See :func:`fidelity.compare.compare_groups`.
        """
        return compare_groups(self, by=by, level=level)


def _band_name(bs: BandSet | None, label: Any, lang: str) -> str:
    """The Dutch or English name of a band label (the label itself when the band has none)."""
    if label is None or (isinstance(label, float) and math.isnan(label)) or bs is None:
        return "" if label is None or (isinstance(label, float) and math.isnan(label)) else str(label)
    for b in bs.bands:
        if b.label == label:
            return getattr(b, lang) or b.label
    return str(label)


__all__ = ["SurveyScores"]
