"""Scoring a fidelity survey: item statistics, scale scores per respondent, group tables.

:func:`score_survey` takes a *wide* DataFrame (one row per respondent, one column per item) and
an :class:`~fidelity.instrument.Instrument`, validates every answer against the item's own
response scale, recodes reverse-keyed items, applies per-group item exclusions and returns a
:class:`SurveyScores` result holding tidy tables.

Which columns are items
-----------------------
Every column that is not the respondent id, not a group column, not a column named in an
``exclude`` rule, not a background question of the instrument and not listed in ``ignore`` is
treated as an item column. A column that is treated as an item column but is not an item of the
instrument is reported as an unknown item column (with the closest item codes), so a typo such
as ``LD_3`` for ``LD3`` never silently drops an item.

Answer codes
------------
An answer is valid when it is a substantive code of the item's scale or its Dutch label
(``"vaak"``, any case and spacing), "niet van toepassing" (``n.v.t.``, ``nvt`` or a declared
not-applicable code; no value, counted apart), a non-substantive code of that scale (becomes
missing and is counted), or empty (missing). Text cells are read as numbers when they are plain
numbers (``"4"``); a decimal comma (``"3,5"``) and any other text is a problem naming the scale's
codes and labels. All problems are collected and raised together as one
:class:`~evalstats.errors.DataValidationError`.

The core is vectorised numpy: each answer column is converted and checked once, and scale and
group statistics use running sums and :func:`numpy.bincount`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from evalstats.errors import DataValidationError, Problem, shown_value
from evalstats.format import Lang, fmt_num
from evalstats.io import rename_map
from evalstats.result import Result
from fidelity.compare import compare_groups
from fidelity.instrument import (
    BandSet,
    Instrument,
    Item,
    Level,
    ResponseScale,
    Threshold,
    is_not_applicable,
    normalise_label,
)

TOTAL = "Total"

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


# --------------------------------------------------------------------------------------------
# exclusion rules
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExclusionRule:
    """Items whose answers are set to missing for a subgroup of respondents.

    Parameters
    ----------
    items:
        Item codes.
    reason:
        Why (recorded in the result and the report).
    where:
        Column -> value (or list of values): the rule applies to respondents whose row matches
        every condition.
    respondents:
        Alternatively (or additionally) an explicit list of respondent ids.
    source:
        Where the rule comes from (an instrument's exclusion, or empty for a user rule).

    Examples
    --------
    >>> ExclusionRule.parse({"items": ["LD8"], "where": {"team": "NPT"}, "reason": "variant"}).where
    {'team': ('NPT',)}
    """

    items: tuple[str, ...]
    reason: str
    where: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    respondents: tuple[Any, ...] | None = None
    source: str = ""

    @classmethod
    def parse(cls, rule: ExclusionRule | Mapping[str, Any]) -> ExclusionRule:
        """Build a rule from a mapping with keys ``items``, ``reason`` and ``where`` and/or ``respondents``."""
        if isinstance(rule, ExclusionRule):
            return rule
        if not isinstance(rule, Mapping):
            raise TypeError(f"an exclusion rule must be a mapping, got {type(rule).__name__}")
        unknown = set(rule) - {"items", "reason", "where", "respondents"}
        if unknown:
            raise ValueError(
                f"exclusion rule has unknown keys {sorted(unknown)}; "
                "allowed: items, reason, where, respondents"
            )
        items = rule.get("items")
        if isinstance(items, str) or not items:
            raise ValueError(f"exclusion rule needs a non-empty list of item codes, got {items!r}")
        reason = rule.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"exclusion rule for items {list(items)} needs a 'reason'")
        where_in = rule.get("where") or {}
        where = {
            str(col): tuple(v) if isinstance(v, list | tuple | set) else (v,)
            for col, v in where_in.items()
        }
        resp = rule.get("respondents")
        if not where and resp is None:
            raise ValueError(
                f"exclusion rule for items {list(items)} needs 'where' or 'respondents'"
            )
        return cls(
            items=tuple(items),
            reason=reason,
            where=where,
            respondents=None if resp is None else tuple(resp),
        )

    def describe(self) -> str:
        """The subgroup in words, e.g. ``team = NPT``."""
        parts = [
            f"{col} = {vals[0]}" if len(vals) == 1 else f"{col} in {list(vals)}"
            for col, vals in self.where.items()
        ]
        if self.respondents is not None:
            parts.append(f"{len(self.respondents)} listed respondents")
        return " and ".join(parts)


# --------------------------------------------------------------------------------------------
# answer conversion and validation
# --------------------------------------------------------------------------------------------
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")


@dataclass(frozen=True)
class _Reading:
    """How the answers on one response scale are read: codes, labels, and what is no value."""

    scale: ResponseScale
    codes: np.ndarray  # substantive codes, float
    labels: dict[str, int]  # normalised Dutch label or alias -> code
    ns_num: list[float]  # non-substantive codes other than "not applicable"
    na_num: list[float]  # codes that mean "not applicable"
    ns_text: frozenset[str]  # normalised texts counted as non-substantive
    na_text: frozenset[str]  # normalised texts (besides the n.v.t. spellings) = not applicable
    expected: str

    @classmethod
    def of(cls, scale: ResponseScale, not_applicable: Iterable[int] = ()) -> _Reading:
        ns_num, na_num, ns_text, na_text = [], [float(v) for v in scale.not_applicable], set(), set()
        na_num += [float(v) for v in not_applicable]
        for c in scale.non_substantive:
            na = is_not_applicable(c.nl) or (isinstance(c.value, str) and is_not_applicable(c.value))
            texts = {normalise_label(c.nl)}
            if isinstance(c.value, str):
                texts.add(normalise_label(c.value))
            else:
                (na_num if na else ns_num).append(float(c.value))
            (na_text if na else ns_text).update(texts)
        na_num = sorted(set(na_num))
        return cls(scale, np.asarray(scale.values, dtype=float), scale.labels(), ns_num, na_num,
                   frozenset(ns_text), frozenset(na_text), _scale_description(scale, na_num))


def _scale_description(scale: ResponseScale, na_num: Sequence[float] = ()) -> str:
    codes = ", ".join(str(v) for v in scale.values)
    text = f"a code of scale {scale.id!r} ({codes})"
    labels = [lab for c in scale.codes for lab in (c.nl, *c.aliases)]
    if [normalise_label(lab) for lab in labels] != [str(v) for v in scale.values]:
        text += f", one of its labels ({', '.join(labels)})"
    if scale.non_substantive:
        ns = ", ".join(repr(c.value) for c in scale.non_substantive)
        text += f", a non-substantive code ({ns})"
    na = ", ".join(str(_plain(v)) for v in na_num)
    if na or not any(is_not_applicable(c.nl) for c in scale.non_substantive):
        text += f", n.v.t.{f' ({na})' if na else ''}"
    text += " or empty"
    return text


@dataclass
class _Column:
    """One converted answer column: float values with NaN for missing."""

    values: np.ndarray  # float64, NaN = missing, after non-substantive -> NaN
    n_non_substantive: int
    n_not_applicable: int
    bad_rows: np.ndarray  # positions of invalid cells
    bad_values: list[Any]
    bad_expected: list[str]


def _convert_column(col: pd.Series, rd: _Reading) -> _Column:
    expected = rd.expected
    dtype = col.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        x = col.to_numpy(dtype=float, na_value=np.nan, copy=True)
        return _check_numeric(x, rd, original=None)
    # text or mixed column: work per distinct value, then broadcast
    raw = col.to_numpy(dtype=object, na_value=None)
    uniq_codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    mapped = np.full(len(uniques) + 1, np.nan)  # last slot = NA sentinel (-1)
    special: dict[int, str] = {}  # unique index -> expected text for a problem
    ns_uniques: list[int] = []
    na_uniques: list[int] = []
    for k, v in enumerate(uniques):
        if isinstance(v, bool | np.bool_):
            special[k] = expected
            continue
        if isinstance(v, int | float | np.integer | np.floating):
            mapped[k] = float(v)
            continue
        s = normalise_label(v)
        if s == "":
            continue
        if s in rd.labels:
            mapped[k] = rd.labels[s]
        elif s in rd.ns_text:
            ns_uniques.append(k)
        elif s in rd.na_text or is_not_applicable(s):
            na_uniques.append(k)
        elif _DECIMAL_COMMA.match(s):
            special[k] = (
                "a number written with a decimal point, not a decimal comma; and " + expected
            )
        else:
            try:
                mapped[k] = float(s)
            except ValueError:
                special[k] = expected
    idx = np.where(uniq_codes < 0, len(uniques), uniq_codes)
    x = mapped[idx]
    out = _check_numeric(x, rd, original=raw)
    if ns_uniques:
        out.n_non_substantive += int(np.isin(idx, ns_uniques).sum())
    if na_uniques:
        out.n_not_applicable += int(np.isin(idx, na_uniques).sum())
    if special:
        bad_mask = np.isin(idx, list(special))
        pos = np.flatnonzero(bad_mask)
        out.bad_rows = np.concatenate([out.bad_rows, pos])
        out.bad_values += [raw[p] for p in pos]
        out.bad_expected += [special[idx[p]] for p in pos]
        order = np.argsort(out.bad_rows, kind="stable")
        out.bad_rows = out.bad_rows[order]
        out.bad_values = [out.bad_values[i] for i in order]
        out.bad_expected = [out.bad_expected[i] for i in order]
    return out


def _check_numeric(x: np.ndarray, rd: _Reading, original: Any) -> _Column:
    codes = rd.codes
    missing = np.isnan(x)
    lo, hi = codes[0], codes[-1]
    contiguous = bool(np.all(codes == np.floor(codes))) and len(codes) == int(hi - lo) + 1
    if contiguous:
        ok = (x >= lo) & (x <= hi) & (x == np.floor(x))
    else:
        ok = np.isin(x, codes)
    counts = []
    for special in (rd.ns_num, rd.na_num):
        n_special = 0
        if special:
            hit = np.isin(x, special)
            n_special = int(hit.sum())
            if n_special:
                x[hit] = np.nan
                ok |= hit
        counts.append(n_special)
    bad = ~(ok | missing)
    pos = np.flatnonzero(bad)
    if len(pos):
        vals = [original[p] if original is not None else _plain(x[p]) for p in pos]
        x[pos] = np.nan
    else:
        vals = []
    return _Column(x, counts[0], counts[1], pos, vals, [rd.expected] * len(pos))


def _plain(v: float) -> Any:
    return int(v) if float(v).is_integer() else float(v)


# --------------------------------------------------------------------------------------------
# statistics helpers
# --------------------------------------------------------------------------------------------
def _describe(x: np.ndarray) -> tuple[int, float, float, float, float, float]:
    """N, sum, mean, SD (ddof=1), min, max of the non-missing values (two-pass for accuracy).

    For answer codes (whole numbers) the sum is exact, so ``Fraction(int(sum), N)`` is the exact
    mean.
    """
    m = ~np.isnan(x)
    n = int(m.sum())
    if n == 0:
        return 0, 0.0, math.nan, math.nan, math.nan, math.nan
    v = x[m] if n < len(x) else x
    v = v.astype(np.float64, copy=False)
    total = float(v.sum())
    mean = total / n
    sd = float(math.sqrt(((v - mean) ** 2).sum() / (n - 1))) if n > 1 else math.nan
    return n, total, mean, sd, float(v.min()), float(v.max())


def _group_describe(
    x: np.ndarray, codes: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-group N, sum, mean and SD (ddof=1) via bincount; codes are 0..n_groups-1."""
    m = ~np.isnan(x)
    filled = np.where(m, x, 0.0)
    cnt = np.bincount(codes, weights=m, minlength=n_groups)
    s = np.bincount(codes, weights=filled, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / cnt
        dev = np.where(m, x - mean[codes], 0.0)
        ss = np.bincount(codes, weights=dev * dev, minlength=n_groups)
        sd = np.sqrt(ss / (cnt - 1))
    sd[cnt < 2] = np.nan
    return cnt.astype(np.int64), s, mean, sd


def _exact_item_means(cnt: np.ndarray, total: np.ndarray) -> list[Fraction | None]:
    """Exact means of whole-number answers from their counts and (exact) sums; None for N = 0."""
    return [Fraction(int(t), int(c)) if c else None for c, t in zip(cnt, total, strict=True)]


def _exact_scale_means(
    num: np.ndarray, den: np.ndarray, codes: np.ndarray | None, n_groups: int
) -> list[Fraction | None]:
    """Exact mean per group of the respondents' scores ``num / den`` (``den = 0``: no score).

    ``num`` holds whole numbers, ``den`` the number of answered items. The scores of one group are
    summed per denominator with :func:`numpy.bincount` (exact: sums of whole numbers below 2**53)
    and the few partial sums ``S_d / d`` are added as fractions, so the result does not depend on
    the order of the rows.
    """
    width = int(den.max(initial=0)) + 1
    key = den if codes is None else codes * width + den
    size = n_groups * width
    sums = np.bincount(key, weights=num, minlength=size).reshape(n_groups, width)
    counts = np.bincount(key, minlength=size).reshape(n_groups, width)
    out: list[Fraction | None] = []
    for g in range(n_groups):
        n_scored = int(counts[g, 1:].sum())
        if n_scored == 0:
            out.append(None)
            continue
        total = sum((Fraction(int(sums[g, d]), d) for d in np.flatnonzero(counts[g]) if d),
                    Fraction(0))
        out.append(total / n_scored)
    return out


# --------------------------------------------------------------------------------------------
# the result
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _ScaleDef:
    level: str  # "category" | "principle"
    id: str
    column: str
    label_en: str
    label_nl: str
    items: tuple[str, ...]
    need: int
    method: str
    threshold: Threshold | None
    mixed_scales: bool


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
    >>> from fidelity.scoring import _doc_instrument
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
        >>> from fidelity.scoring import _doc_instrument
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
        >>> from fidelity.scoring import _doc_instrument
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
        >>> from fidelity.scoring import _doc_instrument
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
        >>> from fidelity.scoring import _doc_instrument
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
    def compare(self, by: str, level: Level = "item"):
        """Compare the groups of ``by`` on every variable of ``level`` (one-way ANOVA or t-test).

        See :func:`fidelity.compare.compare_groups`.
        """
        return compare_groups(self, by=by, level=level)


# --------------------------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------------------------
def score_survey(
    data: pd.DataFrame,
    instrument: Instrument | str,
    respondent: str | None = "respondent",
    groups: Sequence[str] = (),
    exclude: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    min_answered: int | float | None = None,
    band_sets: Sequence[str] = (),
    ignore: Iterable[str] = (),
    apply_instrument_exclusions: bool = True,
    missing_items: Literal["error", "skip"] = "error",
    mapping: Mapping[str, str] | str | Path | None = None,
    not_applicable: Iterable[int] = (),
) -> SurveyScores:
    """Score a fidelity survey given as a wide DataFrame.

    Parameters
    ----------
    data:
        One row per respondent; one column per item (item codes as column names); the respondent
        id column and group columns. Never modified.
    instrument:
        The instrument (scales, items, categories, principles, thresholds, bands, scoring rule),
        or the id of one that :func:`fidelity.get_instrument` finds (``"reset"``, ``"np"``).
    respondent:
        Column with the respondent id (must be unique and present). ``None`` uses the index.
    groups:
        Columns with grouping variables (organisation, team, education...). Missing group values
        are problems. Statistics are given per group of each column separately, and in total.
    exclude:
        One rule or a list of rules ``{"items": [...], "where": {column: value or [values]},
        "reason": "..."}`` (or ``"respondents": [ids]`` instead of ``where``). Matching answers
        become missing; :attr:`SurveyScores.exclusions` records which, for whom, why and how many.
    min_answered:
        Overrides the instrument's minimum for a scale score: an ``int`` is a number of items,
        a ``float`` in (0, 1] a fraction of the scale's items. Fewer answered items -> missing score.
    band_sets:
        Band sets to report besides the instrument's default (column ``band:<id>``).
    ignore:
        Further columns that are not items (remarks, dates); they are left out of the result.
    apply_instrument_exclusions:
        Apply the instrument's own item exclusions (``Instrument.exclusions``) whose group column
        is in the data. Those whose column is absent are listed in
        :attr:`SurveyScores.exclusions` with ``applied = False``.

    missing_items:
        What an item of the instrument without a column in the data is: ``"error"`` (default,
        reported with the other problems — usually a mapping mistake) or ``"skip"`` (a survey
        that asked part of the instrument): the item is not scored, scale scores use the items
        present, and the absent items are listed in :attr:`SurveyScores.absent_items`.
    mapping:
        Renames columns before scoring: ``{column in the data: item code or name to use}``, or
        the path of a TOML/JSON file holding that table (as :func:`evalstats.read_table`).
        Problems name the column as it is in the data.
    not_applicable:
        Numeric codes that mean "niet van toepassing" (e.g. ``[9]``), besides the instrument's
        own and the text ``n.v.t.``: no scale value, not in any mean, counted per item in
        ``n_not_applicable``.

    Answers are the codes of the item's scale (numbers, or text such as ``"4"``) or their Dutch
    labels and aliases (``"vaak"``, ``" Zeer  vaak"``: case and spaces do not matter).
    ``n.v.t.`` (``nvt``, ``NVT``, ``niet van toepassing``) is counted in ``n_not_applicable``.

    Item columns may be named by an item's code or by one of its aliases. Items the instrument
    excludes from every analysis (``Item.excluded``) are neither required nor scored; they are
    listed in :attr:`SurveyScores.excluded_items`.

    Returns
    -------
    SurveyScores

    Raises
    ------
    DataValidationError
        With every problem found: unknown item columns, missing item columns, answers outside an
        item's scale, text answers, decimal commas, duplicated or missing respondent ids, missing
        group values.

    Examples
    --------
    >>> from fidelity.scoring import _doc_instrument
    >>> inst = _doc_instrument()       # items M1, M2 (M2 reverse-keyed) on a 1-5 scale
    >>> df = pd.DataFrame({"respondent": ["a", "b", "c"], "org": ["A", "A", "B"],
    ...                    "M1": [4, 5, 3], "M2": [2, 1, 1]})
    >>> s = score_survey(df, inst, groups=["org"])
    >>> s.item_stats[["item", "n", "mean", "meets_threshold"]]
      item  n      mean  meets_threshold
    0   M1  3  4.000000             True
    1   M2  3  4.666667             True
    >>> s.scores
      respondent org    M
    0          a   A  4.0
    1          b   A  5.0
    2          c   B  4.0
    >>> bad = df.assign(M1=["4", "3,5", "x"])
    >>> try:
    ...     score_survey(bad, inst, groups=["org"])
    ... except DataValidationError as e:
    ...     print(e)  # doctest: +NORMALIZE_WHITESPACE
    2 problems in survey data for instrument 'doc':
      row 'b', column 'M1': got '3,5', expected a number written with a decimal point, not a
        decimal comma; and a code of scale 's5' (1, 2, 3, 4, 5), n.v.t. or empty
      row 'c', column 'M1': got 'x', expected a code of scale 's5' (1, 2, 3, 4, 5), n.v.t. or empty
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if isinstance(instrument, str):
        from fidelity.registry import get_instrument

        instrument = get_instrument(instrument)
    file_column: dict[str, str] = {}  # name after mapping -> column in the data
    if mapping is not None:
        renames = rename_map(mapping, [str(c) for c in data.columns], what="survey data")
        data = data.rename(columns=renames)
        file_column = {new: old for old, new in renames.items()}
    na_codes = _not_applicable_codes(not_applicable)
    groups = [groups] if isinstance(groups, str) else list(groups)
    rules = _parse_rules(exclude)
    problems: list[Problem] = []
    columns = [str(c) for c in data.columns]
    if len(set(columns)) != len(columns):
        dup = sorted({c for c in columns if columns.count(c) > 1})
        raise DataValidationError(
            [Problem(None, c, "duplicated column", "each column name once") for c in dup],
            context="survey data (columns must be unique before answers can be read)",
        )

    # -- respondent ids -----------------------------------------------------------------------
    if respondent is None:
        ids = data.index
        id_name = data.index.name or "respondent"
    elif respondent not in data.columns:
        problems.append(
            Problem(None, respondent, "missing column", "a column with the respondent ids")
        )
        ids = pd.RangeIndex(len(data))
        id_name = respondent
    else:
        ids = pd.Index(data[respondent].to_numpy())
        id_name = respondent
    id_list = None  # lazily materialised ids for problem messages

    def rid(pos: int) -> Any:
        nonlocal id_list
        if id_list is None:
            id_list = ids.to_numpy()
        v = id_list[pos]
        return v.item() if isinstance(v, np.generic) else v

    if respondent is not None and respondent in data.columns:
        na = pd.isna(ids)
        for pos in np.flatnonzero(na):
            problems.append(Problem(f"position {pos}", respondent, None, "a respondent id"))
        dup_mask = ids.duplicated(keep=False) & ~na
        if dup_mask.any():
            dup_pos = np.flatnonzero(dup_mask)
            by_id: dict[Any, list[int]] = {}
            for p in dup_pos:
                by_id.setdefault(rid(p), []).append(int(p))
            for v, pos in by_id.items():
                problems.append(
                    Problem(
                        v,
                        respondent,
                        v,
                        f"a unique respondent id (it appears {len(pos)} times, "
                        f"at positions {pos[:10]})",
                    )
                )

    # -- group columns ------------------------------------------------------------------------
    for g in groups:
        if g not in data.columns:
            problems.append(Problem(None, g, "missing column", "a group column"))
            continue
        for pos in np.flatnonzero(pd.isna(data[g]).to_numpy()):
            problems.append(Problem(rid(pos), g, None, f"a value of group column {g!r}"))

    # -- exclusion rules of the instrument ----------------------------------------------------
    code_of = {c: it.code for it in instrument.items for c in it.codes}
    not_applied: list[dict[str, Any]] = []
    if apply_instrument_exclusions:
        for ex in instrument.exclusions:
            items = tuple(code_of[c] for c in ex.items)
            if ex.group_column is not None and ex.groups and ex.group_column in data.columns:
                rules.append(
                    ExclusionRule(
                        items=items,
                        reason=ex.reason,
                        where={ex.group_column: tuple(ex.groups)},
                        source=f"instrument:{ex.id}",
                    )
                )
            else:
                why = (
                    f"column {ex.group_column!r} not in the data"
                    if ex.group_column is not None and ex.groups
                    else "no group column defined to find these respondents"
                )
                not_applied += [
                    dict(rule=f"instrument:{ex.id}", item=c, reason=ex.reason,
                         where=f"{ex.respondents} (not applied: {why})",
                         n_respondents=0, n_answers=0, applied=False)
                    for c in items
                ]
    for r in rules:
        bad = [i for i in r.items if i not in code_of]
        if bad:
            raise ValueError(
                f"exclusion rule ({r.reason}) names items that instrument {instrument.id!r} "
                f"does not have: {bad}"
            )
    rules = [replace(r, items=tuple(code_of[i] for i in r.items)) for r in rules]

    # -- which columns are items --------------------------------------------------------------
    background = {b.id for b in instrument.background}
    where_cols = {c for r in rules for c in r.where}
    for c in sorted(where_cols):
        if c not in data.columns:
            problems.append(Problem(None, c, "missing column", "a column used by an exclusion rule"))
    for r in rules:  # a user's rule that matches a value nobody has is a typo, not a rule
        if r.source:
            continue
        for c, vals in r.where.items():
            if c in data.columns:
                present = pd.unique(data[c].dropna())
                for v in vals:
                    if v not in set(present.tolist()):
                        shown = ", ".join(map(shown_value, sorted(present.tolist(), key=str)[:20]))
                        problems.append(
                            Problem(None, c, v, f"a value of column {c!r} for the exclusion "
                                    f"rule ({r.reason}); present: {shown}")
                        )
        if r.respondents is not None:
            known_ids = set(ids.tolist())
            for v in r.respondents:
                if v not in known_ids:
                    problems.append(
                        Problem(v, id_name, v, f"a respondent id in the data for the exclusion "
                                f"rule ({r.reason})")
                    )
    non_items = {respondent, *groups, *where_cols, *background, *ignore} - {None}
    all_codes = list(code_of)
    column_of: dict[str, Any] = {}  # item code -> data column (the code itself or an alias)
    for c in data.columns:
        if c in non_items:
            continue
        code = code_of.get(c) if isinstance(c, str) else None
        if code is None:
            close = difflib.get_close_matches(str(c), all_codes, n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            problems.append(
                Problem(
                    None,
                    c,
                    "unknown column",
                    f"an item code of instrument {instrument.id!r}{hint}, or pass it as "
                    "respondent, groups or ignore",
                )
            )
            continue
        if code in column_of:
            problems.append(
                Problem(None, c, "second column for an item",
                        f"one column for item {code!r} (also in column {column_of[code]!r})")
            )
            continue
        column_of[code] = c
    if missing_items not in ("error", "skip"):
        raise ValueError(f"missing_items must be 'error' or 'skip', got {missing_items!r}")
    absent_items = [it.code for it in instrument.items
                    if it.excluded is None and it.code not in column_of]
    if missing_items == "error":
        for code in absent_items:
            problems.append(Problem(None, code, "missing column",
                                    f"a column with the answers to item {code} "
                                    "(or missing_items='skip' for a partial survey)"))
    scored_items: list[Item] = [
        it for it in instrument.items if it.code in column_of and it.excluded is None
    ]
    excluded_items = pd.DataFrame(
        [(it.code, it.excluded, it.code in column_of) for it in instrument.items if it.excluded],
        columns=["item", "reason", "in_data"],
    )

    # -- answers --------------------------------------------------------------------------------
    n = len(data)
    k = len(scored_items)
    A = np.empty((n, k), dtype=np.float32, order="F")
    n_missing = np.zeros(k, dtype=np.int64)
    n_ns = np.zeros(k, dtype=np.int64)
    n_na = np.zeros(k, dtype=np.int64)
    readings: dict[str, _Reading] = {}
    for j, it in enumerate(scored_items):
        scale = instrument.scale_of(it)
        if scale.id not in readings:
            clash = sorted(set(scale.values) & set(na_codes))
            if clash:
                raise ValueError(f"not_applicable codes {clash} are answer codes of scale "
                                 f"{scale.id!r} ({scale.values})")
            readings[scale.id] = _Reading.of(scale, na_codes)
        col = _convert_column(data[column_of[it.code]], readings[scale.id])
        shown = file_column.get(column_of[it.code], column_of[it.code])
        for pos, v, exp in zip(col.bad_rows, col.bad_values, col.bad_expected, strict=True):
            problems.append(Problem(rid(int(pos)), shown, _plain_value(v), exp))
        x = col.values
        if it.reverse:
            x = scale.reverse(x)
        n_ns[j] = col.n_non_substantive
        n_na[j] = col.n_not_applicable
        A[:, j] = x
    if problems:
        raise DataValidationError(problems, context=f"survey data for instrument {instrument.id!r}")
    for j in range(k):
        n_missing[j] = int(np.isnan(A[:, j]).sum()) - n_ns[j] - n_na[j]

    # -- exclusions ---------------------------------------------------------------------------
    col_of = {it.code: j for j, it in enumerate(scored_items)}
    n_excl = np.zeros(k, dtype=np.int64)
    excl_rows: list[dict[str, Any]] = []
    excl_answers: list[pd.DataFrame] = []
    for ri, r in enumerate(rules):
        rule_id = r.source or f"exclude[{ri}]"
        mask = np.ones(n, dtype=bool)
        for c, vals in r.where.items():
            mask &= data[c].isin(list(vals)).to_numpy()
        if r.respondents is not None:
            mask &= ids.isin(list(r.respondents))
        who = np.flatnonzero(mask)
        for code in r.items:
            if code not in col_of:
                excl_rows.append(
                    dict(rule=rule_id, item=code, reason=r.reason, where=r.describe(),
                         n_respondents=len(who), n_answers=0, applied=True)
                )
                continue
            j = col_of[code]
            vals = A[who, j]
            answered = ~np.isnan(vals)
            n_excl[j] += int(answered.sum())
            excl_rows.append(
                dict(rule=rule_id, item=code, reason=r.reason, where=r.describe(),
                     n_respondents=len(who), n_answers=int(answered.sum()), applied=True)
            )
            raw = vals[answered].astype(np.float64)
            it = scored_items[j]
            if it.reverse:  # record the answer as given, not the recoded one
                raw = instrument.scale_of(it).reverse(raw)
            excl_answers.append(
                pd.DataFrame(
                    {"rule": rule_id, "respondent": ids.to_numpy()[who[answered]], "item": code,
                     "answer": raw, "reason": r.reason}
                )
            )
            A[who, j] = np.nan
    exclusions = pd.DataFrame(
        excl_rows + not_applied,
        columns=["rule", "item", "reason", "where", "n_respondents", "n_answers", "applied"],
    )
    excluded_answers = (
        pd.concat(excl_answers, ignore_index=True)
        if excl_answers
        else pd.DataFrame(columns=["rule", "respondent", "item", "answer", "reason"])
    )

    # -- item statistics ----------------------------------------------------------------------
    default_bs = instrument.default_band_set
    extra_bs = [b for b in band_sets if b != default_bs]
    for b in extra_bs:
        instrument.band_set_for(None, b)  # raises KeyError for unknown band sets
    item_rows = []
    for j, it in enumerate(scored_items):
        cnt, total, mean, sd, mn, mx = _describe(A[:, j])
        exact_mean = Fraction(int(total), cnt) if cnt else None
        thr = instrument.threshold_for(it)
        row = dict(
            item=it.code,
            text=it.text_nl,
            text_en=it.text_en,
            label=it.label_nl,
            category=it.category,
            principle=it.principle,
            scale=instrument.scale_of(it).id,
            reverse=it.reverse,
            n=cnt,
            mean=mean,
            sd=sd,
            min=mn,
            max=mx,
            threshold=thr.value if thr is not None else math.nan,
            threshold_inclusive=thr.inclusive if thr is not None else None,
            meets_threshold=thr.met(exact_mean) if cnt and thr is not None else None,
            no_threshold=it.no_threshold,
            band=instrument.band(exact_mean, it) if cnt and default_bs else None,
            n_missing=int(n_missing[j]),
            n_not_applicable=int(n_na[j]),
            n_non_substantive=int(n_ns[j]),
            n_excluded=int(n_excl[j]),
        )
        for b in extra_bs:
            row[f"band:{b}"] = instrument.band(exact_mean, it, b) if cnt else None
        item_rows.append(row)
    item_stats = pd.DataFrame(item_rows)
    if len(item_stats):
        item_stats["meets_threshold"] = item_stats["meets_threshold"].astype("boolean")

    # -- scale scores per respondent ----------------------------------------------------------
    scales = _scale_defs(instrument, scored_items, min_answered)
    group_codes = _group_codes(data, groups)
    S = np.full((n, len(scales)), np.nan)
    exact: dict[tuple[str, str], list[Fraction | None]] = {}  # (grouping, scale) -> exact means
    for si, sd_ in enumerate(scales):
        S[:, si], num, den = _scale_score(
            A, [col_of[c] for c in sd_.items], sd_, instrument, scored_items
        )
        exact[(TOTAL, sd_.column)] = _exact_scale_means(num, den, None, 1)
        for g, codes, uniques in group_codes:
            exact[(g, sd_.column)] = _exact_scale_means(num, den, codes, len(uniques))
    scale_rows = []
    for si, sd_ in enumerate(scales):
        cnt, _, mean, sd, mn, mx = _describe(S[:, si])
        exact_mean = exact[(TOTAL, sd_.column)][0]
        thr = sd_.threshold
        band = None
        if cnt and sd_.method == "mean" and not sd_.mixed_scales and default_bs:
            band = _scale_band(instrument, sd_, exact_mean, None)
        row = dict(
            level=sd_.level,
            scale=sd_.id,
            variable=sd_.column,
            label=sd_.label_nl,
            label_en=sd_.label_en,
            items=", ".join(sd_.items),
            n_items=len(sd_.items),
            method=sd_.method,
            min_answered=sd_.need,
            mixed_scales=sd_.mixed_scales,
            n=cnt,
            n_no_score=n - cnt,
            mean=mean,
            sd=sd,
            min=mn,
            max=mx,
            threshold=thr.value if thr else math.nan,
            meets_threshold=(thr.met(exact_mean) if thr and cnt else None),
            band=band,
        )
        for b in extra_bs:
            row[f"band:{b}"] = (
                _scale_band(instrument, sd_, exact_mean, b)
                if cnt and sd_.method == "mean" and not sd_.mixed_scales
                else None
            )
        scale_rows.append(row)
    scale_stats = pd.DataFrame(scale_rows)
    if len(scale_stats):
        scale_stats["meets_threshold"] = scale_stats["meets_threshold"].astype("boolean")

    # -- group statistics ---------------------------------------------------------------------
    group_values = pd.DataFrame({g: data[g].to_numpy() for g in groups}, index=range(n))
    variables = [("item", it.code, A[:, j]) for j, it in enumerate(scored_items)]
    variables += [(s.level, s.column, S[:, si]) for si, s in enumerate(scales)]
    group_stats, exact_col = _group_stats(variables, group_codes, exact)
    # threshold and band of every group mean, by the same rules as the overall means
    rules_of: dict[str, tuple[Threshold | None, BandSet | None]] = {}
    for it in scored_items:
        rules_of[it.code] = (
            instrument.threshold_for(it),
            instrument.band_set_for(it) if default_bs else None,
        )
    for sd_ in scales:
        plain_mean = sd_.method == "mean" and not sd_.mixed_scales
        rules_of[sd_.column] = (
            sd_.threshold,
            _scale_band_set(instrument, sd_, None) if plain_mean and default_bs else None,
        )
    met_col: list[Any] = []
    band_col: list[Any] = []
    for var, mean, cnt in zip(group_stats["variable"], exact_col, group_stats["n"], strict=True):
        thr, bs = rules_of[var]
        met_col.append(thr.met(mean) if thr is not None and cnt else None)
        band_col.append(bs.classify(mean) if bs is not None and cnt else None)
    group_stats["meets_threshold"] = pd.array(met_col, dtype="boolean")
    group_stats["band"] = band_col

    return SurveyScores(
        instrument=instrument,
        respondent=id_name,
        groups=groups,
        ids=pd.Index(ids.to_numpy(), name=id_name),
        group_values=group_values,
        answers=A,
        item_codes=[it.code for it in scored_items],
        item_stats=item_stats,
        scales=scales,
        score_matrix=S,
        scale_stats=scale_stats,
        group_stats=group_stats,
        exclusions=exclusions,
        excluded_answers=excluded_answers,
        excluded_items=excluded_items,
        absent_items=absent_items if missing_items == "skip" else [],
        band_sets=[b for b in [default_bs, *extra_bs] if b],
    )


def _not_applicable_codes(codes: Iterable[int]) -> list[int]:
    out = list(codes)
    bad = [c for c in out if isinstance(c, bool) or not isinstance(c, int | np.integer)]
    if bad:
        raise TypeError(f"not_applicable must be whole-number codes such as 9, got {bad}")
    return [int(c) for c in out]


def _plain_value(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def _parse_rules(exclude: Any) -> list[ExclusionRule]:
    if exclude is None:
        return []
    if isinstance(exclude, Mapping | ExclusionRule):
        exclude = [exclude]
    return [ExclusionRule.parse(r) for r in exclude]


def _min_needed(n_items: int, rule_fraction: float, rule_items: int | None, override: Any) -> int:
    if override is not None:
        if isinstance(override, bool) or not isinstance(override, int | float):
            raise TypeError(f"min_answered must be an int or a float, got {override!r}")
        if isinstance(override, int):
            if override < 1:
                raise ValueError(f"min_answered as a number of items must be >= 1, got {override}")
            return min(override, n_items)
        if not 0 < override <= 1:
            raise ValueError(f"min_answered as a fraction must be in (0, 1], got {override}")
        return max(1, math.ceil(override * n_items - 1e-9))
    need = max(1, math.ceil(rule_fraction * n_items - 1e-9))
    if rule_items is not None:
        need = max(need, min(rule_items, n_items))
    return need


def _scale_defs(
    instrument: Instrument, scored_items: list[Item], min_answered: Any
) -> list[_ScaleDef]:
    rule = instrument.scoring
    in_scales = scored_items
    if rule.method == "percent_met":  # only items with a threshold can meet one
        in_scales = [it for it in scored_items if instrument.threshold_for(it) is not None]
    cat_ids = {c.id for c in instrument.categories}
    out: list[_ScaleDef] = []
    for level, defs in (("category", instrument.categories), ("principle", instrument.principles)):
        for d in defs:
            members = [it for it in in_scales if getattr(it, level) == d.id]
            if not members:
                continue
            column = d.id
            if level == "principle" and d.id in cat_ids:
                column = f"principle:{d.id}"
            scale_ids = {instrument.scale_of(it).id for it in members}
            thr = None
            if rule.method == "mean":  # the items' common threshold; none when they differ
                thresholds = {instrument.threshold_for(it) for it in members}
                if len(thresholds) == 1:
                    thr = next(iter(thresholds))
            out.append(
                _ScaleDef(
                    level=level,
                    id=d.id,
                    column=column,
                    label_en=d.en,
                    label_nl=d.nl,
                    items=tuple(it.code for it in members),
                    need=_min_needed(
                        len(members), rule.min_answered_fraction, rule.min_answered_items, min_answered
                    ),
                    method=rule.method,
                    threshold=thr,
                    mixed_scales=len(scale_ids) > 1,
                )
            )
    return out


def _scale_band_set(instrument: Instrument, s: _ScaleDef, band_set: str | None) -> BandSet | None:
    """Band set of a mean scale score: the category's, else the one of its (first) item's scale."""
    wanted = band_set or instrument.default_band_set
    if wanted is None:
        return None
    cat = instrument.category(s.id if s.level == "category" else instrument.item(s.items[0]).category)
    for bs in cat.band_sets:
        if bs.id == wanted:
            return bs
    return instrument.band_set_for(s.items[0], wanted)


def _scale_band(
    instrument: Instrument, s: _ScaleDef, value: Fraction | None, band_set: str | None
) -> str | None:
    bs = _scale_band_set(instrument, s, band_set)
    return None if bs is None else bs.classify(value)


def _band_name(bs: BandSet | None, label: Any, lang: str) -> str:
    """The Dutch or English name of a band label (the label itself when the band has none)."""
    if label is None or (isinstance(label, float) and math.isnan(label)) or bs is None:
        return "" if label is None or (isinstance(label, float) and math.isnan(label)) else str(label)
    for b in bs.bands:
        if b.label == label:
            return getattr(b, lang) or b.label
    return str(label)


def _scale_score(
    A: np.ndarray, cols: list[int], s: _ScaleDef, instrument: Instrument, items: list[Item]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each respondent's score, and the score as a fraction ``num / den`` of whole numbers
    (``den`` = answered items, 0 where the respondent has no score)."""
    n = A.shape[0]
    total = np.zeros(n)
    answered = np.zeros(n, dtype=np.int64)
    met = np.zeros(n) if s.method == "percent_met" else None
    for j in cols:
        x = A[:, j]
        m = ~np.isnan(x)
        answered += m
        if met is not None:
            thr = instrument.threshold_for(items[j])
            assert thr is not None  # items without a threshold are not in percent_met scales
            met += x >= thr.min_code()  # NaN compares False
        else:
            total += np.where(m, x, 0.0)
    ok = answered >= s.need
    out = np.full(n, np.nan)
    if s.method == "sum":
        num = total * len(cols)
    elif s.method == "percent_met":
        num = met * 100.0
    else:
        num = total
    np.divide(num, answered, out=out, where=ok)
    return out, num, np.where(ok, answered, 0)


def _group_codes(data: pd.DataFrame, groups: list[str]) -> list[tuple[str, np.ndarray, list[Any]]]:
    """Per group column: its name, each row's group number 0..G-1 and the G groups in order."""
    out = []
    for g in groups:
        col = data[g]
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes = col.cat.codes.to_numpy().astype(np.int64)
            uniques = list(col.cat.categories)
        else:
            codes, uniq = pd.factorize(col, sort=True)
            uniques = list(uniq)
        out.append((g, codes, uniques))
    return out


def _group_stats(
    variables: list[tuple[str, str, np.ndarray]],
    group_codes: list[tuple[str, np.ndarray, list[Any]]],
    exact: dict[tuple[str, str], list[Fraction | None]],
) -> tuple[pd.DataFrame, list[Fraction | None]]:
    """The tidy group table and, row by row, the exact mean its verdicts are based on.

    Exact means of scales come in ``exact`` (keyed by grouping and scale column); those of items
    are their exact sums over N.
    """
    frames = []
    exact_col: list[Fraction | None] = []
    levels = np.array([v[0] for v in variables], dtype=object)
    names = np.array([v[1] for v in variables], dtype=object)
    total_n = np.empty(len(variables), dtype=np.int64)
    total_m = np.empty(len(variables))
    total_s = np.empty(len(variables))
    for i, (level, name, x) in enumerate(variables):
        total_n[i], total, total_m[i], total_s[i], _, _ = _describe(x)
        if level == "item":
            exact_col += _exact_item_means(total_n[i : i + 1], np.array([total]))
        else:
            exact_col += exact[(TOTAL, name)]
    frames.append(
        pd.DataFrame(
            {"grouping": TOTAL, "group": TOTAL, "level": levels, "variable": names,
             "n": total_n, "mean": total_m, "sd": total_s}
        )
    )
    for g, codes, uniques in group_codes:
        G = len(uniques)
        for level, name, x in variables:
            cnt, sums, mean, sd = _group_describe(x.astype(np.float64, copy=False), codes, G)
            exact_col += _exact_item_means(cnt, sums) if level == "item" else exact[(g, name)]
            frames.append(
                pd.DataFrame(
                    {"grouping": g, "group": [_plain_value(u) for u in uniques], "level": level,
                     "variable": name, "n": cnt, "mean": mean, "sd": sd}
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out["group"] = out["group"].astype(object)
    return out, exact_col


def _doc_instrument() -> Instrument:
    """A two-item instrument on a 1-5 scale (M2 reverse-keyed) used in the examples."""
    return Instrument.model_validate(
        {
            "id": "doc",
            "name": "Example",
            "default_scale": "s5",
            "threshold": {"value": 4.0},
            "scales": [
                {"id": "s5", "codes": [{"value": v, "nl": str(v), "en": str(v)} for v in range(1, 6)]}
            ],
            "categories": [{"id": "M", "nl": "Methode", "en": "Method"}],
            "items": [
                {"code": "M1", "text_nl": "Ik werk methodisch.", "category": "M"},
                {"code": "M2", "text_nl": "Ik improviseer.", "category": "M", "reverse": True},
            ],
        }
    )


__all__ = ["ExclusionRule", "SurveyScores", "score_survey"]
