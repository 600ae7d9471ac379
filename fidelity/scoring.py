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

The steps
---------
:func:`score_survey` runs seven steps, each a function of this module that can be read and
tried on its own: ``_validate`` (the frame's layout: ids, groups, exclusion rules, which
column is which item), ``_recode`` (every answer read on its item's scale, reverse-keyed items
recoded), ``_exclude`` (the exclusion rules applied), ``_item_statistics``, ``_scales`` (each
respondent's category and principle scores, ``_scale_statistics`` their table), ``_bands`` (the
threshold and band set every mean is judged by) and ``_groups`` (the tidy group table). The
pieces they use live beside this module: :mod:`fidelity.answers` (reading answers),
:mod:`fidelity.exclusion`, :mod:`fidelity.scale_scores`, :mod:`fidelity.survey_stats` and the
result, :mod:`fidelity.survey_scores`.

The core is vectorised numpy: each answer column is converted and checked once, and scale and
group statistics use running sums and :func:`numpy.bincount`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from evalstats.errors import DataValidationError, Problem, shown_value
from evalstats.io import rename_map
from fidelity.answers import (
    _convert_column,
    _not_applicable_codes,
    _plain_value,
    _Reading,
    background_offences,
)
from fidelity.exclusion import ExclusionRule, _parse_rules
from fidelity.instrument import BandSet, Instrument, Item, Threshold
from fidelity.instrument import Level as Level
from fidelity.registry import get_instrument
from fidelity.scale_scores import _scale_band, _scale_band_set, _scale_defs, _scale_score, _ScaleDef
from fidelity.survey_scores import SurveyScores
from fidelity.survey_stats import TOTAL, _describe, _exact_scale_means, _group_codes, _group_stats


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
        instrument = get_instrument(instrument)
    file_column: dict[str, str] = {}  # name after mapping -> column in the data
    if mapping is not None:
        renames = rename_map(mapping, [str(c) for c in data.columns], what="survey data")
        data = data.rename(columns=renames)
        file_column = {new: old for old, new in renames.items()}
    na_codes = _not_applicable_codes(not_applicable)
    groups = [groups] if isinstance(groups, str) else list(groups)
    layout = _validate(data, instrument, respondent, groups, _parse_rules(exclude),
                       apply_instrument_exclusions, missing_items, ignore)
    answers = _recode(data, instrument, layout, na_codes, file_column)
    if layout.problems:
        raise DataValidationError(layout.problems,
                                  context=f"survey data for instrument {instrument.id!r}")
    excluded = _exclude(data, instrument, layout, answers)
    default_bs = instrument.default_band_set
    extra_bs = [b for b in band_sets if b != default_bs]
    for b in extra_bs:
        instrument.band_set_for(None, b)  # raises KeyError for unknown band sets
    item_stats = _item_statistics(instrument, layout.items, answers, excluded.n_excluded, extra_bs)
    group_codes = _group_codes(data, groups)
    scales = _scales(instrument, layout.items, answers.values, min_answered, group_codes)
    scale_stats = _scale_statistics(instrument, scales, extra_bs)
    verdicts = _bands(instrument, layout.items, scales.defs)
    variables = [("item", it.code, answers.values[:, j]) for j, it in enumerate(layout.items)]
    variables += [(s.level, s.column, scales.matrix[:, si]) for si, s in enumerate(scales.defs)]
    group_stats = _groups(variables, group_codes, scales.exact, verdicts)
    ids = layout.respondents.ids
    return SurveyScores(
        instrument=instrument,
        respondent=layout.respondents.name,
        groups=groups,
        ids=pd.Index(ids.to_numpy(), name=layout.respondents.name),
        group_values=pd.DataFrame({g: data[g].to_numpy() for g in groups}, index=range(len(data))),
        answers=answers.values,
        item_codes=[it.code for it in layout.items],
        item_stats=item_stats,
        scales=scales.defs,
        score_matrix=scales.matrix,
        scale_stats=scale_stats,
        group_stats=group_stats,
        exclusions=excluded.exclusions,
        excluded_answers=excluded.answers,
        excluded_items=layout.excluded_items,
        absent_items=layout.absent_items if missing_items == "skip" else [],
        band_sets=[b for b in [default_bs, *extra_bs] if b],
    )


# --------------------------------------------------------------------------------------------
# the steps
# --------------------------------------------------------------------------------------------
@dataclass
class _Respondents:
    """The respondent ids (the index when there is no id column) and the name they go by."""

    ids: pd.Index
    name: str
    _values: np.ndarray | None = field(default=None, repr=False)

    def at(self, pos: int) -> Any:
        """The id of the respondent at a row position, as a plain Python value for messages."""
        if self._values is None:
            self._values = self.ids.to_numpy()
        v = self._values[pos]
        return v.item() if isinstance(v, np.generic) else v


@dataclass
class _Layout:
    """What :func:`_validate` finds: who the respondents are, the exclusion rules, which column
    holds which item, the items scored, left out and absent, and every problem so far."""

    respondents: _Respondents
    rules: list[ExclusionRule]
    not_applied: list[dict[str, Any]]  # rows of the exclusions table for rules not applied
    column_of: dict[str, Any]  # item code -> data column (the code itself or an alias)
    items: list[Item]  # the scored items, in instrument order
    excluded_items: pd.DataFrame
    absent_items: list[str]
    problems: list[Problem]


def _validate(
    data: pd.DataFrame,
    instrument: Instrument,
    respondent: str | None,
    groups: list[str],
    rules: list[ExclusionRule],
    apply_instrument_exclusions: bool,
    missing_items: str,
    ignore: Iterable[str],
) -> _Layout:
    """Step 1: check the frame's layout (columns, respondent ids, group values, exclusion rules)
    and decide which column holds which item.

    Problems with the data are collected in :attr:`_Layout.problems` (the answers are checked by
    :func:`_recode` and add theirs); a duplicated column, a rule naming an item the instrument
    does not have or a bad ``missing_items`` raise at once.

    Examples
    --------
    >>> df = pd.DataFrame({"respondent": [1, 1], "M1": [4, 5], "M_2": [2, 1]})
    >>> lay = _validate(df, _doc_instrument(), "respondent", [], [], True, "error", ())
    >>> [it.code for it in lay.items], [p.column for p in lay.problems]
    (['M1'], ['respondent', 'M_2', 'M2'])
    """
    problems: list[Problem] = []
    columns = [str(c) for c in data.columns]
    if len(set(columns)) != len(columns):
        dup = sorted({c for c in columns if columns.count(c) > 1})
        raise DataValidationError(
            [Problem(None, c, "duplicated column", "each column name once") for c in dup],
            context="survey data (columns must be unique before answers can be read)",
        )
    people = _respondents(data, respondent, problems)
    for g in groups:
        if g not in data.columns:
            problems.append(Problem(None, g, "missing column", "a group column"))
            continue
        for pos in np.flatnonzero(pd.isna(data[g]).to_numpy()):
            problems.append(Problem(people.at(pos), g, None, f"a value of group column {g!r}"))
    code_of = {c: it.code for it in instrument.items for c in it.codes}
    rules, not_applied = _rules(data, instrument, code_of, rules, apply_instrument_exclusions)
    where_cols = {c for r in rules for c in r.where}
    _check_rule_columns(data, rules, where_cols, people, problems)
    background = {b.id for b in instrument.background}
    for b in instrument.background:
        if b.id in data.columns:
            for pos, value, expected in background_offences(data[b.id], b):
                problems.append(Problem(people.at(pos), b.id, value, expected))
    non_items = {respondent, *groups, *where_cols, *background, *ignore} - {None}
    all_codes = list(code_of)
    column_of: dict[str, Any] = {}
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
    return _Layout(
        respondents=people,
        rules=rules,
        not_applied=not_applied,
        column_of=column_of,
        items=[it for it in instrument.items if it.code in column_of and it.excluded is None],
        excluded_items=pd.DataFrame(
            [(it.code, it.excluded, it.code in column_of) for it in instrument.items if it.excluded],
            columns=["item", "reason", "in_data"],
        ),
        absent_items=absent_items,
        problems=problems,
    )


def _respondents(data: pd.DataFrame, respondent: str | None, problems: list[Problem]) -> _Respondents:
    """The respondent ids; a missing id column, missing ids and duplicated ids are problems."""
    if respondent is None:
        return _Respondents(data.index, data.index.name or "respondent")
    if respondent not in data.columns:
        problems.append(
            Problem(None, respondent, "missing column", "a column with the respondent ids")
        )
        return _Respondents(pd.RangeIndex(len(data)), respondent)
    people = _Respondents(pd.Index(data[respondent].to_numpy()), respondent)
    ids = people.ids
    na = pd.isna(ids)
    for pos in np.flatnonzero(na):
        problems.append(Problem(f"position {pos}", respondent, None, "a respondent id"))
    dup_mask = ids.duplicated(keep=False) & ~na
    if dup_mask.any():
        by_id: dict[Any, list[int]] = {}
        for p in np.flatnonzero(dup_mask):
            by_id.setdefault(people.at(p), []).append(int(p))
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
    return people


def _rules(
    data: pd.DataFrame,
    instrument: Instrument,
    code_of: dict[str, str],
    rules: list[ExclusionRule],
    apply_instrument_exclusions: bool,
) -> tuple[list[ExclusionRule], list[dict[str, Any]]]:
    """The user's rules followed by the instrument's own exclusions whose group column is in the
    data, with item aliases replaced by item codes; and the exclusions table's rows for the
    instrument's exclusions that cannot be applied."""
    rules = list(rules)
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
    return [replace(r, items=tuple(code_of[i] for i in r.items)) for r in rules], not_applied


def _check_rule_columns(
    data: pd.DataFrame, rules: list[ExclusionRule], where_cols: set[str], people: _Respondents,
    problems: list[Problem],
) -> None:
    """A rule's column must be in the data; a user's rule that matches a value or a respondent
    nobody has is a typo, not a rule."""
    for c in sorted(where_cols):
        if c not in data.columns:
            problems.append(Problem(None, c, "missing column", "a column used by an exclusion rule"))
    for r in rules:
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
            known_ids = set(people.ids.tolist())
            for v in r.respondents:
                if v not in known_ids:
                    problems.append(
                        Problem(v, people.name, v, f"a respondent id in the data for the "
                                f"exclusion rule ({r.reason})")
                    )


@dataclass
class _Answers:
    """The answers of the scored items: a respondents x items float32 matrix (reverse-keyed
    items recoded; missing, non-substantive and not-applicable answers NaN) and the counts of
    each kind of empty answer per item."""

    values: np.ndarray
    n_missing: np.ndarray
    n_non_substantive: np.ndarray
    n_not_applicable: np.ndarray


def _recode(
    data: pd.DataFrame,
    instrument: Instrument,
    layout: _Layout,
    na_codes: list[int],
    file_column: Mapping[str, str],
) -> _Answers:
    """Step 2: read every item column on its response scale and recode reverse-keyed items.

    An answer that is not valid on the item's scale is added to ``layout.problems``, named by the
    row's respondent and the column as it is in the data (``file_column``: name after a mapping
    -> column in the file).

    Examples
    --------
    >>> df = pd.DataFrame({"respondent": [1, 2, 3], "M1": [4, "n.v.t.", None], "M2": [2, 1, 7]})
    >>> lay = _validate(df, _doc_instrument(), "respondent", [], [], True, "error", ())
    >>> ans = _recode(df, _doc_instrument(), lay, [], {})
    >>> ans.values.tolist(), ans.n_missing.tolist(), ans.n_not_applicable.tolist()
    ([[4.0, 4.0], [nan, 5.0], [nan, nan]], [1, 1], [1, 0])
    >>> [(p.row, p.column, p.value) for p in lay.problems]
    [(3, 'M2', 7)]
    """
    items = layout.items
    n, k = len(data), len(items)
    A = np.empty((n, k), dtype=np.float32, order="F")
    n_ns = np.zeros(k, dtype=np.int64)
    n_na = np.zeros(k, dtype=np.int64)
    readings: dict[str, _Reading] = {}
    for j, it in enumerate(items):
        scale = instrument.scale_of(it)
        if scale.id not in readings:
            clash = sorted(set(scale.values) & set(na_codes))
            if clash:
                raise ValueError(f"not_applicable codes {clash} are answer codes of scale "
                                 f"{scale.id!r} ({scale.values})")
            readings[scale.id] = _Reading.of(scale, na_codes)
        column = layout.column_of[it.code]
        col = _convert_column(data[column], readings[scale.id])
        shown = file_column.get(column, column)
        for pos, v, exp in zip(col.bad_rows, col.bad_values, col.bad_expected, strict=True):
            layout.problems.append(Problem(layout.respondents.at(int(pos)), shown, _plain_value(v), exp))
        x = col.values
        if it.reverse:
            x = scale.reverse(x)
        n_ns[j] = col.n_non_substantive
        n_na[j] = col.n_not_applicable
        A[:, j] = x
    n_missing = np.isnan(A).sum(axis=0).astype(np.int64) - n_ns - n_na
    return _Answers(A, n_missing, n_ns, n_na)


@dataclass
class _Excluded:
    """What :func:`_exclude` set to missing: per item the number of answers, one row per rule
    and item, one row per answer."""

    n_excluded: np.ndarray
    exclusions: pd.DataFrame
    answers: pd.DataFrame


def _exclude(data: pd.DataFrame, instrument: Instrument, layout: _Layout, answers: _Answers) -> _Excluded:
    """Step 3: set the answers that the exclusion rules name to missing (in ``answers.values``)
    and count them; the excluded answers are kept as they were given (before recoding).

    Examples
    --------
    >>> df = pd.DataFrame({"respondent": [1, 2], "team": ["X", "Y"], "M1": [4, 5], "M2": [2, 1]})
    >>> rule = ExclusionRule.parse({"items": ["M2"], "where": {"team": "Y"}, "reason": "variant"})
    >>> lay = _validate(df, _doc_instrument(), "respondent", ["team"], [rule], True, "error", ())
    >>> ans = _recode(df, _doc_instrument(), lay, [], {})
    >>> ex = _exclude(df, _doc_instrument(), lay, ans)
    >>> ex.n_excluded.tolist(), ans.values[:, 1].tolist(), ex.answers["answer"].tolist()
    ([0, 1], [4.0, nan], [1.0])
    """
    A, ids, n = answers.values, layout.respondents.ids, len(data)
    col_of = {it.code: j for j, it in enumerate(layout.items)}
    n_excl = np.zeros(len(layout.items), dtype=np.int64)
    excl_rows: list[dict[str, Any]] = []
    excl_answers: list[pd.DataFrame] = []
    for ri, r in enumerate(layout.rules):
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
            it = layout.items[j]
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
        excl_rows + layout.not_applied,
        columns=["rule", "item", "reason", "where", "n_respondents", "n_answers", "applied"],
    )
    excluded_answers = (
        pd.concat(excl_answers, ignore_index=True)
        if excl_answers
        else pd.DataFrame(columns=["rule", "respondent", "item", "answer", "reason"])
    )
    return _Excluded(n_excl, exclusions, excluded_answers)


def _item_statistics(
    instrument: Instrument,
    items: list[Item],
    answers: _Answers,
    n_excluded: np.ndarray,
    extra_bs: list[str],
) -> pd.DataFrame:
    """Step 4: one row per scored item: N, mean, SD, min, max, the threshold and band of the
    exact mean, and the counts of missing, not applicable, non-substantive and excluded answers.

    Examples
    --------
    >>> inst = _doc_instrument()
    >>> df = pd.DataFrame({"respondent": [1, 2, 3], "M1": [4, 5, 3], "M2": [2, 1, 1]})
    >>> lay = _validate(df, inst, "respondent", [], [], True, "error", ())
    >>> st = _item_statistics(inst, lay.items, _recode(df, inst, lay, [], {}), np.zeros(2, int), [])
    >>> st[["item", "n", "mean", "threshold", "meets_threshold"]].round(3)
      item  n   mean  threshold  meets_threshold
    0   M1  3  4.000        4.0             True
    1   M2  3  4.667        4.0             True
    """
    default_bs = instrument.default_band_set
    A = answers.values
    item_rows = []
    for j, it in enumerate(items):
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
            n_missing=int(answers.n_missing[j]),
            n_not_applicable=int(answers.n_not_applicable[j]),
            n_non_substantive=int(answers.n_non_substantive[j]),
            n_excluded=int(n_excluded[j]),
        )
        for b in extra_bs:
            row[f"band:{b}"] = instrument.band(exact_mean, it, b) if cnt else None
        item_rows.append(row)
    item_stats = pd.DataFrame(item_rows)
    if len(item_stats):
        item_stats["meets_threshold"] = item_stats["meets_threshold"].astype("boolean")
    return item_stats


@dataclass
class _Scales:
    """The scales (categories and principles) of the scored items, each respondent's score
    (respondents x scales) and the exact mean scores by (grouping, scale column)."""

    defs: list[_ScaleDef]
    matrix: np.ndarray
    exact: dict[tuple[str, str], list[Fraction | None]]
    n_respondents: int


def _scales(
    instrument: Instrument,
    items: list[Item],
    A: np.ndarray,
    min_answered: Any,
    group_codes: list[tuple[str, np.ndarray, list[Any]]],
) -> _Scales:
    """Step 5: every respondent's score on every category and principle, with the exact mean
    score in total and per group (what thresholds and bands are judged on).

    Examples
    --------
    >>> A = np.array([[4, 4], [5, np.nan], [np.nan, np.nan]], dtype=np.float32)
    >>> sc = _scales(_doc_instrument(), _doc_instrument().items, A, None, [])
    >>> [s.column for s in sc.defs], sc.matrix[:, 0].tolist(), sc.exact[("Total", "M")]
    (['M'], [4.0, 5.0, nan], [Fraction(9, 2)])
    """
    defs = _scale_defs(instrument, items, min_answered)
    col_of = {it.code: j for j, it in enumerate(items)}
    S = np.full((A.shape[0], len(defs)), np.nan)
    exact: dict[tuple[str, str], list[Fraction | None]] = {}
    for si, sd_ in enumerate(defs):
        S[:, si], num, den = _scale_score(A, [col_of[c] for c in sd_.items], sd_, instrument, items)
        exact[(TOTAL, sd_.column)] = _exact_scale_means(num, den, None, 1)
        for g, codes, uniques in group_codes:
            exact[(g, sd_.column)] = _exact_scale_means(num, den, codes, len(uniques))
    return _Scales(defs, S, exact, A.shape[0])


def _scale_statistics(instrument: Instrument, scales: _Scales, extra_bs: list[str]) -> pd.DataFrame:
    """One row per scale: its items and scoring, N (and how many have no score), mean, SD, min,
    max, and the threshold and band of the exact mean score (a band only for a mean of items on
    one response scale).

    Examples
    --------
    >>> A = np.array([[4, 4], [5, np.nan], [np.nan, np.nan]], dtype=np.float32)
    >>> sc = _scales(_doc_instrument(), _doc_instrument().items, A, None, [])
    >>> _scale_statistics(_doc_instrument(), sc, [])[["variable", "n", "n_no_score", "mean"]]
      variable  n  n_no_score  mean
    0        M  2           1   4.5
    """
    default_bs = instrument.default_band_set
    scale_rows = []
    for si, sd_ in enumerate(scales.defs):
        cnt, _, mean, sd, mn, mx = _describe(scales.matrix[:, si])
        exact_mean = scales.exact[(TOTAL, sd_.column)][0]
        thr = sd_.threshold
        banded = bool(cnt) and sd_.method == "mean" and not sd_.mixed_scales
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
            n_no_score=scales.n_respondents - cnt,
            mean=mean,
            sd=sd,
            min=mn,
            max=mx,
            threshold=thr.value if thr else math.nan,
            meets_threshold=(thr.met(exact_mean) if thr and cnt else None),
            band=_scale_band(instrument, sd_, exact_mean, None) if banded and default_bs else None,
        )
        for b in extra_bs:
            row[f"band:{b}"] = _scale_band(instrument, sd_, exact_mean, b) if banded else None
        scale_rows.append(row)
    scale_stats = pd.DataFrame(scale_rows)
    if len(scale_stats):
        scale_stats["meets_threshold"] = scale_stats["meets_threshold"].astype("boolean")
    return scale_stats


def _bands(
    instrument: Instrument, items: list[Item], scales: list[_ScaleDef]
) -> dict[str, tuple[Threshold | None, BandSet | None]]:
    """Step 6: the threshold and the band set (of the default band set) every item and scale
    mean is judged by, so that group means follow the same rules as the overall means.

    Examples
    --------
    >>> inst = _doc_instrument()
    >>> thr, bs = _bands(inst, inst.items, [])["M1"]
    >>> thr.value, bs
    (4.0, None)
    """
    default_bs = instrument.default_band_set
    rules_of: dict[str, tuple[Threshold | None, BandSet | None]] = {}
    for it in items:
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
    return rules_of


def _groups(
    variables: list[tuple[str, str, np.ndarray]],
    group_codes: list[tuple[str, np.ndarray, list[Any]]],
    exact: dict[tuple[str, str], list[Fraction | None]],
    verdicts: Mapping[str, tuple[Threshold | None, BandSet | None]],
) -> pd.DataFrame:
    """Step 7: the tidy group table (in total and per group of every group column, N, mean and
    SD of every item and scale) with each exact mean judged by the variable's threshold and band
    set (``verdicts``, from :func:`_bands`).

    Examples
    --------
    >>> inst = _doc_instrument()
    >>> x = np.array([4.0, 5.0, 3.0])
    >>> codes = [("org", np.array([0, 0, 1]), ["A", "B"])]
    >>> gs = _groups([("item", "M1", x)], codes, {}, _bands(inst, inst.items[:1], []))
    >>> gs[["grouping", "group", "n", "mean", "meets_threshold"]]
      grouping  group  n  mean  meets_threshold
    0    Total  Total  3   4.0             True
    1      org      A  2   4.5             True
    2      org      B  1   3.0            False
    """
    group_stats, exact_col = _group_stats(variables, group_codes, exact)
    met_col: list[Any] = []
    band_col: list[Any] = []
    for var, mean, cnt in zip(group_stats["variable"], exact_col, group_stats["n"], strict=True):
        thr, bs = verdicts[var]
        met_col.append(thr.met(mean) if thr is not None and cnt else None)
        band_col.append(bs.classify(mean) if bs is not None and cnt else None)
    group_stats["meets_threshold"] = pd.array(met_col, dtype="boolean")
    group_stats["band"] = band_col
    return group_stats


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
