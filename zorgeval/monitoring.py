"""Monitoring indicators: "is the project on track?" per quarter and per year.

An implementation guide asks a municipality to agree on indicators with the parties involved
and to decide at evaluation moments, by criteria, whether to stop or continue (seed 001: lines
175, 193, 321–329: how many children start, what steps families take, the experience of the
professionals). Here an indicator is DATA — an :class:`Indicator` in a TOML file:

* a **numerator** and an optional **denominator**, each a :class:`Count`: the number of
  distinct ``unit`` values (families, goals, practitioners) among the rows of a ``source``
  frame (``cases``, ``goals``, ``survey``, ``practitioners``) that satisfy every condition of
  ``where``, dated by the column ``date``;
* a **period**: a quarter (``2025Q3``) or a year; a row counts in a period when its date lies
  in it — the first day inclusive, the first day of the next period exclusive
  (``2025-07-01 <= date < 2025-10-01``). A ``cumulative`` count counts every row dated before
  the period's end (a stock, e.g. practitioners trained so far);
* a **target**: a value and a direction (``at_least`` / ``at_most``), in percent when there is
  a denominator;
* **evaluation moments** (:class:`Moment`) with stop/continue criteria: at a date, each
  criterion judges an indicator over the ``months`` up to and including that date.

:func:`compute_indicators` returns a :class:`MonitoringResult`: per indicator and period the
numerator, denominator, value, target and status (``met``, ``not_met``, ``too_few`` when the
denominator is below ``min_denominator`` — never a 0 % from an empty denominator — or
``no_target``), and the decisions of the evaluation moments.

Examples
--------
>>> import pandas as pd
>>> cases = pd.DataFrame({"family": ["F1", "F2", "F3"],
...                       "start_date": ["2025-07-01", "2025-09-30", "2025-10-01"]})
>>> ind = Indicator(id="started", label={"en": "Families started", "nl": "Gezinnen gestart"},
...                 numerator={"source": "cases", "unit": "family", "date": "start_date"})
>>> res = compute_indicators(IndicatorSet(indicators=[ind]), {"cases": cases}, "2025Q4")
>>> res.table[["period", "numerator"]].to_dict("list")
{'period': ['2025Q1', '2025Q2', '2025Q3', '2025Q4', '2025'], 'numerator': [0, 0, 2, 1, 3]}
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from evalstats.errors import DataValidationError, Problem
from evalstats.format import fmt_num
from evalstats.result import Result

__all__ = ["BUILTIN_SETS", "Condition", "Count", "Indicator", "IndicatorSet", "MonitoringResult",
           "MonitoringSection", "Moment", "Period", "Target", "compute_indicators",
           "load_indicators", "parse_quarter", "report_periods"]

#: Indicator sets shipped with the package (``zorgeval/indicators/<id>.toml``).
BUILTIN_SETS = ("municipal",)

_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_ID = r"^[A-Za-z][A-Za-z0-9_\-]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _both_languages(v: dict[str, str]) -> dict[str, str]:
    missing = [lang for lang in ("en", "nl") if not v.get(lang, "").strip()]
    if missing:
        raise ValueError(f"a label in English and Dutch is needed; missing: {', '.join(missing)}")
    return v


class Condition(_Model):
    """One condition on a row: ``column op value``.

    ``op`` is a comparison (``==``, ``!=``, ``>``, ``>=``, ``<``, ``<=``; numeric for the
    four orderings), ``in`` / ``not_in`` (``value`` a list, or the values of
    ``source_column`` in the frame ``source``), ``present`` or ``missing``. A missing value
    satisfies no condition but ``missing``.

    Examples
    --------
    >>> Condition(column="level", op=">=", value=0).describe()
    'level >= 0'
    >>> Condition(column="practitioner", op="in", source="survey",
    ...           source_column="respondent").describe()
    'practitioner in survey.respondent'
    """

    column: str = Field(min_length=1)
    op: Literal["==", "!=", ">", ">=", "<", "<=", "in", "not_in", "present", "missing"]
    value: Any = None
    source: str | None = None
    source_column: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Condition:
        if self.op in ("in", "not_in"):
            if (self.source is None) != (self.source_column is None):
                raise ValueError("source and source_column go together")
            if self.source is None and not isinstance(self.value, list):
                raise ValueError(f"op {self.op!r} needs a list value or source and source_column")
        elif self.source is not None or self.source_column is not None:
            raise ValueError("source and source_column are for the ops 'in' and 'not_in'")
        elif self.op in ("present", "missing"):
            if self.value is not None:
                raise ValueError(f"op {self.op!r} takes no value")
        elif self.value is None:
            raise ValueError(f"op {self.op!r} needs a value")
        return self

    def describe(self) -> str:
        """The condition as text (see the class example)."""
        if self.op in ("present", "missing"):
            return f"{self.column} {self.op}"
        if self.source is not None:
            return f"{self.column} {self.op} {self.source}.{self.source_column}"
        return f"{self.column} {self.op} {self.value}"


class Count(_Model):
    """The number of distinct ``unit`` values among the rows of ``source`` meeting ``where``.

    ``date`` is the column that places a row in a period (``None``: every row counts in every
    period, e.g. all practitioners of the project); ``cumulative`` counts the rows dated before
    the end of the period instead of those dated inside it.

    Examples
    --------
    >>> Count(source="goals", unit="family", where=[{"column": "level", "op": ">=", "value": 0}],
    ...       date="end_date").where[0].describe()
    'level >= 0'
    """

    source: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    where: list[Condition] = []
    date: str | None = None
    cumulative: bool = False

    @model_validator(mode="after")
    def _cumulative_needs_date(self) -> Count:
        if self.cumulative and self.date is None:
            raise ValueError("a cumulative count needs a date column")
        return self

    def key(self) -> str:
        """A text that is equal for equal counts (they share one cell in a report)."""
        return self.model_dump_json()


class Target(_Model):
    """A target value and its direction; in percent for an indicator with a denominator.

    Examples
    --------
    >>> Target(value=60).met(62.5), Target(value=10, direction="at_most").met(12)
    (True, False)
    """

    value: float
    direction: Literal["at_least", "at_most"] = "at_least"

    def met(self, value: float) -> bool:
        """Whether ``value`` meets the target (see the class example)."""
        return value >= self.value if self.direction == "at_least" else value <= self.value


class Indicator(_Model):
    """A monitoring indicator (see the module docstring).

    ``numerator`` must be dated: an indicator is reported per period. Without a
    ``denominator`` the value is the numerator (a count); with one, it is the numerator as a
    percentage of the denominator, judged ``too_few`` when the denominator is below
    ``min_denominator``.

    Examples
    --------
    >>> Indicator(id="x", label={"en": "X", "nl": "X"},
    ...           numerator={"source": "cases", "unit": "family"})
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Indicator
      Value error, indicator 'x': the numerator has no date column; a period needs dates ...
    """

    id: str = Field(pattern=_ID)
    label: dict[str, str]
    numerator: Count
    denominator: Count | None = None
    target: Target | None = None
    min_denominator: int = Field(5, ge=1)
    description: dict[str, str] = {}

    _label = field_validator("label")(_both_languages)

    @model_validator(mode="after")
    def _dated(self) -> Indicator:
        if self.numerator.date is None:
            raise ValueError(f"indicator {self.id!r}: the numerator has no date column; a "
                             "period needs dates (set numerator.date)")
        return self

    @property
    def percent(self) -> bool:
        """Whether the value is a percentage (the indicator has a denominator)."""
        return self.denominator is not None


class Criterion(_Model):
    """A stop/continue criterion of an evaluation moment: ``indicator`` against ``target``.

    Examples
    --------
    >>> Criterion(indicator="goal_reached", target={"value": 60}).target.direction
    'at_least'
    """

    indicator: str
    target: Target


class Moment(_Model):
    """An evaluation moment: at ``date``, each criterion judges its indicator over the
    ``months`` up to and including ``date``. All criteria met: continue; one not met: stop;
    otherwise (a denominator too small) too few to judge.

    Examples
    --------
    >>> m = Moment(id="year1", label={"en": "After one year", "nl": "Na een jaar"},
    ...            date="2015-06-30", months=12,
    ...            criteria=[{"indicator": "goal_reached", "target": {"value": 60}}])
    >>> m.period().label, str(m.period().start.date()), str(m.period().end.date())
    ('year1', '2014-07-01', '2015-07-01')
    """

    id: str = Field(pattern=_ID)
    label: dict[str, str]
    date: dt.date
    months: int = Field(12, ge=1)
    criteria: list[Criterion] = Field(min_length=1)

    _label = field_validator("label")(_both_languages)

    def period(self) -> Period:
        """The window judged: from ``months`` before the day after ``date`` (inclusive) to
        the day after ``date`` (exclusive)."""
        end = pd.Timestamp(self.date) + pd.Timedelta(days=1)
        return Period(self.id, end - pd.DateOffset(months=self.months), end, "moment")


class IndicatorSet(_Model):
    """Indicators and evaluation moments, as loaded by :func:`load_indicators`.

    Ids must be unique, criteria must name an indicator of the set, and the windows of two
    evaluation moments must not overlap (a family would be judged twice).

    Examples
    --------
    >>> ind = {"id": "a", "label": {"en": "A", "nl": "A"},
    ...        "numerator": {"source": "cases", "unit": "family", "date": "start_date"}}
    >>> m = {"label": {"en": "M", "nl": "M"}, "months": 12,
    ...      "criteria": [{"indicator": "a", "target": {"value": 1}}]}
    >>> IndicatorSet(indicators=[ind], moments=[m | {"id": "m1", "date": "2015-06-30"},
    ...                                         m | {"id": "m2", "date": "2015-12-31"}])
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for IndicatorSet
      Value error, evaluation moments 'm1' (2014-07-01 to 2015-06-30) and 'm2' (2015-01-01 to 2015-12-31) overlap...
    """

    title: dict[str, str] = {"en": "Monitoring indicators", "nl": "Monitoringsindicatoren"}
    indicators: list[Indicator] = Field(min_length=1)
    moments: list[Moment] = []

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorSet:
        for kind, ids in (("indicator", [i.id for i in self.indicators]),
                          ("evaluation moment", [m.id for m in self.moments])):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                raise ValueError(f"{kind} id used twice: {', '.join(dup)}")
        known = {i.id for i in self.indicators}
        for m in self.moments:
            for c in m.criteria:
                if c.indicator not in known:
                    raise ValueError(f"evaluation moment {m.id!r}: unknown indicator "
                                     f"{c.indicator!r}; expected one of {', '.join(sorted(known))}")
        windows = sorted((m.period(), m) for m in self.moments)
        for (p, a), (q, b) in zip(windows, windows[1:], strict=False):
            if q.start < p.end:
                raise ValueError(
                    f"evaluation moments {a.id!r} ({p.describe()}) and {b.id!r} "
                    f"({q.describe()}) overlap; give each moment its own months")
        return self

    def indicator(self, ident: str) -> Indicator:
        """The indicator with id ``ident``."""
        for i in self.indicators:
            if i.id == ident:
                return i
        raise KeyError(f"no indicator {ident!r}")


class MonitoringSection(_Model):
    """The ``[monitoring]`` section of a project file.

    ``indicators`` is a built-in set id (:data:`BUILTIN_SETS`) or the path of a TOML file
    (relative to the project file); ``quarter`` the quarter reported (``2025Q3``; default the
    last quarter with a dated row); ``min_cell`` the smallest count shown (default the
    ``[report]`` min_cell).

    Examples
    --------
    >>> MonitoringSection(quarter="2015q3").quarter
    '2015Q3'
    """

    indicators: str = "municipal"
    quarter: str | None = None
    min_cell: int | None = Field(None, ge=1)

    @field_validator("quarter")
    @classmethod
    def _quarter(cls, v: str | None) -> str | None:
        if v is not None:
            parse_quarter(v)
            return v.upper()
        return v

    def indicator_path(self) -> Path | None:
        """The indicator file, or ``None`` for a built-in set.

        >>> MonitoringSection().indicator_path() is None
        True
        """
        return None if self.indicators in BUILTIN_SETS else Path(self.indicators)


def load_indicators(source: str | Path) -> IndicatorSet:
    """An indicator set from a built-in id or a TOML/JSON file (tables ``[[indicators]]`` and
    ``[[moments]]``).

    Raises ``ValueError`` naming the file and every wrong field (e.g.
    ``indicators.2.numerator.unit``).

    Examples
    --------
    >>> s = load_indicators("municipal")
    >>> [i.id for i in s.indicators][:3]
    ['families_started', 'families_goals_set', 'goals_reached']
    """
    if str(source) in BUILTIN_SETS:
        text = (resources.files("zorgeval") / "indicators" / f"{source}.toml").read_text("utf-8")
        name = f"built-in indicator set {source!r}"
    else:
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"indicator file not found: {path}")
        text, name = path.read_text(encoding="utf-8"), str(path)
    try:
        data = (json.loads(text) if str(source).lower().endswith(".json")
                else tomllib.loads(text))
        return IndicatorSet.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{name}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        problems = [f"{'.'.join(str(x) for x in e['loc']) or '(top level)'}: "
                    f"{'unknown field' if e['type'] == 'extra_forbidden' else e['msg']}"
                    for e in exc.errors()]
        raise ValueError(f"{name}: " + "; ".join(problems)) from None


@dataclass(frozen=True, order=True)
class Period:
    """A period ``start <= date < end``; ``kind`` is ``quarter``, ``year`` or ``moment``.

    Examples
    --------
    >>> parse_quarter("2025Q3").describe()
    '2025-07-01 to 2025-09-30'
    """

    label: str
    start: pd.Timestamp
    end: pd.Timestamp
    kind: str = "quarter"

    def describe(self) -> str:
        """First and last day (inclusive)."""
        last = self.end - pd.Timedelta(days=1)
        return f"{self.start.date()} to {last.date()}"


def parse_quarter(text: str) -> Period:
    """The quarter ``YYYYQn`` (see :class:`Period`).

    >>> parse_quarter("2024Q4").end
    Timestamp('2025-01-01 00:00:00')
    >>> parse_quarter("2024-4")
    Traceback (most recent call last):
    ...
    ValueError: quarter '2024-4': expected YYYYQn with n 1-4, e.g. 2025Q3
    """
    m = _QUARTER.match(str(text).strip())
    if not m:
        raise ValueError(f"quarter {text!r}: expected YYYYQn with n 1-4, e.g. 2025Q3")
    year, q = int(m.group(1)), int(m.group(2))
    start = pd.Timestamp(year, 3 * q - 2, 1)
    return Period(f"{year}Q{q}", start, start + pd.DateOffset(months=3), "quarter")


def report_periods(quarter: str) -> list[Period]:
    """The quarters of ``quarter``'s year up to it and the year to date (its last column).

    >>> [p.label for p in report_periods("2025Q3")], report_periods("2025Q3")[-1].describe()
    (['2025Q1', '2025Q2', '2025Q3', '2025'], '2025-01-01 to 2025-09-30')
    """
    last = parse_quarter(quarter)
    year = last.start.year
    quarters = [parse_quarter(f"{year}Q{q}") for q in range(1, int(last.label[-1]) + 1)]
    return [*quarters, Period(str(year), quarters[0].start, last.end, "year")]


# ---------------------------------------------------------------------------------- computing
def _problem(ind: str, part: str, source: str, rows, column, expected: str) -> DataValidationError:
    rows = list(rows)
    shown = [Problem(r, column, None, expected) for r in rows[:5]]
    if not rows:
        shown = [Problem(None, column, None, expected)]
    return DataValidationError(shown, context=f"indicator {ind!r} ({part}, the {source} data)"
                               + (f"; {len(rows)} rows" if len(rows) > 5 else ""))


class _Rows:
    """The rows of one count, checked once: the unit ids and dates of the rows meeting ``where``."""

    def __init__(self, ind: str, part: str, count: Count, frames: dict[str, pd.DataFrame]):
        if count.source not in frames:
            raise ValueError(f"indicator {ind!r} ({part}): no {count.source!r} data in the project; "
                             f"expected one of {', '.join(sorted(frames)) or 'none'}")
        f = frames[count.source]
        needed = [count.unit, *(c.column for c in count.where)] + ([count.date] if count.date else [])
        missing = [c for c in dict.fromkeys(needed) if c not in f.columns]
        if missing:
            raise DataValidationError(
                [Problem(None, c, None, f"a column of the {count.source} data") for c in missing],
                context=f"indicator {ind!r} ({part})")
        keep = pd.Series(True, index=f.index)
        for c in count.where:
            keep &= _condition(ind, part, count.source, f, c, frames)
        sub = f[keep.to_numpy()]
        unit = sub[count.unit]
        if unit.isna().any():
            raise _problem(ind, part, count.source, sub.index[unit.isna().to_numpy()], count.unit,
                           "a unit id (a row without one cannot be counted)")
        self.units = unit.astype(str).to_numpy()
        self.dates = None
        self.n_undated = 0
        if count.date is not None:
            raw = sub[count.date]
            dates = pd.to_datetime(raw.astype("string"), format="ISO8601", errors="coerce")
            bad = dates.isna().to_numpy() & raw.notna().to_numpy()
            if bad.any():
                raise _problem(ind, part, count.source, sub.index[bad], count.date,
                               "a date as YYYY-MM-DD")
            self.dates = dates.to_numpy()
            self.n_undated = int(np.isnat(self.dates).sum())
        self.cumulative = count.cumulative

    def count(self, period: Period) -> int:
        if self.dates is None:
            return int(len(np.unique(self.units)))
        end = np.datetime64(period.end)
        inside = self.dates < end
        if not self.cumulative:
            inside &= self.dates >= np.datetime64(period.start)
        return int(len(np.unique(self.units[inside])))


def _condition(ind, part, source, f: pd.DataFrame, c: Condition, frames) -> pd.Series:
    col = f[c.column]
    if c.op == "present":
        return col.notna()
    if c.op == "missing":
        return col.isna()
    if c.op in ("in", "not_in"):
        if c.source is not None:
            if c.source not in frames or c.source_column not in frames[c.source].columns:
                raise ValueError(f"indicator {ind!r} ({part}): condition {c.describe()!r} needs "
                                 f"column {c.source_column!r} of the {c.source} data")
            values = set(frames[c.source][c.source_column].dropna().astype(str))
        else:
            values = {str(v) for v in c.value}
        hit = col.notna() & col.astype(str).isin(values)
        return hit if c.op == "in" else col.notna() & ~hit
    if c.op in ("==", "!="):
        if isinstance(c.value, bool | int | float) and not isinstance(c.value, str):
            num = pd.to_numeric(col, errors="coerce")
            eq = num == float(c.value)
        else:
            eq = col.astype(str) == str(c.value)
        return col.notna() & (eq if c.op == "==" else ~eq)
    num = pd.to_numeric(col, errors="coerce")
    bad = num.isna() & col.notna()
    if bad.any():
        raise _problem(ind, part, source, f.index[bad.to_numpy()], c.column,
                       f"a number (condition {c.describe()!r})")
    if isinstance(c.value, str):
        raise ValueError(f"indicator {ind!r} ({part}): condition {c.describe()!r} needs a number")
    ops = {">": num.gt, ">=": num.ge, "<": num.lt, "<=": num.le}
    return ops[c.op](float(c.value)).fillna(False).astype(bool)


def _judge(ind: Indicator, target: Target | None, num: int, den: int | None) -> tuple[float, str]:
    if den is None:
        value = float(num)
    elif den < ind.min_denominator:
        return np.nan, "too_few"
    else:
        value = 100.0 * num / den
    if target is None:
        return value, "no_target"
    return value, "met" if target.met(value) else "not_met"


def compute_indicators(indicators: IndicatorSet, frames: dict[str, pd.DataFrame],
                       quarter: str) -> MonitoringResult:
    """Every indicator per quarter of ``quarter``'s year up to it and for the year to date,
    and the decisions of the evaluation moments (all of them, whatever the quarter).

    ``frames`` maps source names (``cases``, ``goals``, ``survey``, ``practitioners``) to
    frames. Raises :class:`evalstats.DataValidationError` or ``ValueError`` naming the
    indicator and the column or rows when a column is missing, a date cannot be read or a
    condition needs numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> goals = pd.DataFrame({"family": ["F1", "F1", "F2"], "level": [1, -1, -1],
    ...                       "end_date": ["2025-02-01", "2025-02-01", "2025-03-31"]})
    >>> count = {"source": "goals", "unit": "family", "date": "end_date"}
    >>> ind = Indicator(id="reached", label={"en": "Reached", "nl": "Behaald"},
    ...                 numerator=count | {"where": [{"column": "level", "op": ">=", "value": 0}]},
    ...                 denominator=count, target={"value": 60}, min_denominator=2)
    >>> res = compute_indicators(IndicatorSet(indicators=[ind]), {"goals": goals}, "2025Q2")
    >>> res.table[["period", "numerator", "denominator", "value", "status"]].to_string(index=False)
    'period  numerator  denominator  value  status\\n2025Q1          1            2   50.0 not_met\\n2025Q2          0            0    NaN too_few\\n  2025          1            2   50.0 not_met'
    """
    periods = report_periods(quarter)
    rows, moments = [], []
    checked: dict[str, tuple[_Rows, _Rows | None]] = {}
    for ind in indicators.indicators:
        num = _Rows(ind.id, "numerator", ind.numerator, frames)
        den = (_Rows(ind.id, "denominator", ind.denominator, frames)
               if ind.denominator is not None else None)
        checked[ind.id] = (num, den)
        for p in periods:
            n, d = num.count(p), (den.count(p) if den is not None else None)
            value, status = _judge(ind, ind.target, n, d)
            rows.append(_row(ind, p, n, d, value, ind.target, status, num, den))
    for m in indicators.moments:
        p = m.period()
        for c in m.criteria:
            ind = indicators.indicator(c.indicator)
            num, den = checked[ind.id]
            n, d = num.count(p), (den.count(p) if den is not None else None)
            value, status = _judge(ind, c.target, n, d)
            moments.append({"moment": m.id, "date": pd.Timestamp(m.date), "start": p.start,
                            "end": p.end, **_row(ind, p, n, d, value, c.target, status, num, den)})
    moment_frame = pd.DataFrame(moments, columns=_MOMENT_COLUMNS)
    moment_frame = moment_frame.drop(columns=["period", "kind", "period_start", "period_end"])
    return MonitoringResult(pd.DataFrame(rows, columns=_COLUMNS), moment_frame, indicators,
                            quarter)


_COLUMNS = ["indicator", "period", "kind", "period_start", "period_end", "numerator",
            "denominator", "value", "percent", "target", "direction", "status",
            "numerator_key", "denominator_key", "cumulative", "n_undated_numerator",
            "n_undated_denominator"]
_MOMENT_COLUMNS = ["moment", "date", "start", "end", *_COLUMNS]


def _row(ind, p, n, d, value, target, status, num, den) -> dict:
    return {"indicator": ind.id, "period": p.label, "kind": p.kind, "period_start": p.start,
            "period_end": p.end, "numerator": n, "denominator": d, "value": value,
            "percent": ind.percent, "target": None if target is None else target.value,
            "direction": None if target is None else target.direction, "status": status,
            "numerator_key": ind.numerator.key(),
            "denominator_key": None if ind.denominator is None else ind.denominator.key(),
            "cumulative": bool(ind.numerator.cumulative), "n_undated_numerator": num.n_undated,
            "n_undated_denominator": None if den is None else den.n_undated}


_STATUS = {"en": {"met": "met", "not_met": "not met", "too_few": "too few to judge",
                  "no_target": "no target"},
           "nl": {"met": "gehaald", "not_met": "niet gehaald", "too_few": "te weinig om te beoordelen",
                  "no_target": "geen doel"}}
_DECISION = {"en": {"continue": "continue", "stop": "stop", "too_few": "too few to judge"},
             "nl": {"continue": "doorgaan", "stop": "stoppen", "too_few": "te weinig om te beoordelen"}}


class MonitoringResult(Result):
    """Indicators per period and the decisions at the evaluation moments.

    ``table``: one row per indicator and period (columns ``indicator``, ``period``, ``kind``
    (``quarter``/``year``), ``period_start`` (inclusive), ``period_end`` (exclusive),
    ``numerator``, ``denominator`` (missing for a count), ``value`` (percent or count; NaN
    when too few), ``target``, ``direction``, ``status``, ``cumulative``, and
    ``n_undated_numerator`` / ``n_undated_denominator``: the rows meeting the count's
    conditions that have no date and so count in no period; ``numerator_key`` /
    ``denominator_key`` are equal for equal counts). ``moments``: one row per criterion
    of an evaluation moment, with the window judged; :meth:`decisions` gives one decision per
    moment. The exact counts are kept here; a report suppresses small cells
    (:mod:`zorgeval.report.monitoring`).

    Examples
    --------
    >>> from zorgeval.synthetic import load_bundled
    >>> d = load_bundled("reset")
    >>> goals = d["goals"].merge(d["families"], on="family", how="left")
    >>> res = compute_indicators(load_indicators("municipal"),
    ...                          {"cases": d["families"], "goals": goals,
    ...                           "survey": d["survey"], "practitioners": d["practitioners"]},
    ...                          "2015Q3")
    >>> res.decisions()["decision"].tolist()
    ['continue', 'continue']
    """

    titles = {"en": "Monitoring indicators", "nl": "Monitoringsindicatoren"}

    def __init__(self, table: pd.DataFrame, moments: pd.DataFrame, indicators: IndicatorSet,
                 quarter: str):
        self._table = table
        self.moments = moments
        self.indicators = indicators
        self.quarter = quarter

    @property
    def table(self) -> pd.DataFrame:
        return self._table

    def decisions(self) -> pd.DataFrame:
        """One row per evaluation moment: ``stop`` when a criterion is not met, else
        ``too_few`` when one could not be judged, else ``continue``."""
        out = []
        for m in self.indicators.moments:
            st = self.moments.loc[self.moments["moment"] == m.id, "status"].tolist()
            decision = ("stop" if "not_met" in st else "too_few" if "too_few" in st
                        else "continue")
            p = m.period()
            out.append({"moment": m.id, "date": pd.Timestamp(m.date), "start": p.start,
                        "end": p.end, "n_criteria": len(st), "n_met": st.count("met"),
                        "decision": decision})
        return pd.DataFrame(out, columns=["moment", "date", "start", "end", "n_criteria",
                                          "n_met", "decision"])

    def label(self, ident: str, lang: str = "en") -> str:
        """The indicator's label in ``lang``."""
        return self.indicators.indicator(ident).label[lang]

    @staticmethod
    def status_text(status: str, lang: str = "en") -> str:
        """A status (``met``, ``not_met``, ``too_few``, ``no_target``) in words."""
        return _STATUS[lang][status]

    @staticmethod
    def decision_text(decision: str, lang: str = "en") -> str:
        """A decision (``continue``, ``stop``, ``too_few``) in words."""
        return _DECISION[lang][decision]

    def spss_table(self, lang: str = "en") -> pd.DataFrame:
        """Indicators (rows) by period (columns), values rounded to one decimal."""
        t = self._table.copy()
        t["label"] = [self.label(i, lang) for i in t["indicator"]]
        t["shown"] = [("" if pd.isna(v) else fmt_num(v, 1 if p else 0, lang) + (" %" if p else ""))
                      for v, p in zip(t["value"], t["percent"], strict=True)]
        order = list(dict.fromkeys(t["period"]))
        wide = t.pivot(index="label", columns="period", values="shown")[order]
        return wide.reindex(list(dict.fromkeys(t["label"])))

    def apa(self, lang: str = "en") -> str:
        """How many indicators with a target met it in the year to date."""
        year = self._table[self._table["kind"] == "year"]
        judged = year[year["status"].isin(["met", "not_met"])]
        met = int((judged["status"] == "met").sum())
        if lang == "nl":
            return (f"Tot en met {self.quarter} haalden {met} van de {len(judged)} beoordeelde "
                    "indicatoren hun doel.")
        return f"Through {self.quarter}, {met} of {len(judged)} judged indicators met their target."
