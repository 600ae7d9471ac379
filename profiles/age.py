"""Age at the start of the last trajectory, by the dissertation's rule (003: 1707-1716).

* The age is taken at the start of the last trajectory.
* A birthday within one calendar month *after* the start rounds the age up (a birthday exactly
  one month after the start counts; a birthday on the start day is already a completed year).
* Below 4 years the age is given in completed quarters (0.25 steps).

All parameters come from the rule definition (``profiles/rules/age_at_start.toml``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from typing import Any

import pandas as pd

from evalstats.errors import DataValidationError, Problem, withheld
from profiles.definitions import AgeRule, ClassificationRule, resolve_rule


def _to_date(value: Any) -> dt.date | None:
    """A date from a date, datetime, Timestamp or ISO string; ``None`` for missing."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not value.strip():
            return None
        return dt.date.fromisoformat(value.strip()[:10])
    raise TypeError(f"not a date: a value of type {type(value).__name__}")


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, clamped to the end of a shorter month.

    Examples
    --------
    >>> add_months(dt.date(2016, 1, 31), 1), add_months(dt.date(2015, 1, 31), 1)
    (datetime.date(2016, 2, 29), datetime.date(2015, 2, 28))
    """
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def birthday_in(dob: dt.date, year: int, leap_day_birthday: str = "mar1") -> dt.date:
    """The date of the birthday in ``year``; 29 February falls on 1 March (or 28 February).

    Examples
    --------
    >>> birthday_in(dt.date(2012, 2, 29), 2015), birthday_in(dt.date(2012, 2, 29), 2015, "feb28")
    (datetime.date(2015, 3, 1), datetime.date(2015, 2, 28))
    """
    if dob.month == 2 and dob.day == 29 and not calendar.isleap(year):
        return dt.date(year, 3, 1) if leap_day_birthday == "mar1" else dt.date(year, 2, 28)
    return dob.replace(year=year)


def completed_years(dob: dt.date, on: dt.date, leap_day_birthday: str = "mar1") -> int:
    """Age in completed years on a date.

    Examples
    --------
    >>> completed_years(dt.date(2000, 5, 10), dt.date(2015, 5, 9)), completed_years(dt.date(2000, 5, 10), dt.date(2015, 5, 10))
    (14, 15)
    """
    years = on.year - dob.year
    if birthday_in(dob, on.year, leap_day_birthday) > on:
        years -= 1
    return years


def _completed_months(dob: dt.date, on: dt.date) -> int:
    months = (on.year - dob.year) * 12 + (on.month - dob.month)
    if add_months(dob, months) > on:
        months -= 1
    return months


def age_at_start(
    date_of_birth: Any, start: Any, rule: str | ClassificationRule = "age_at_start"
) -> float:
    """Age at the start of the trajectory by the rule; NaN when a date is missing.

    Parameters
    ----------
    date_of_birth, start:
        Dates (``datetime.date``, ``Timestamp`` or ISO string).
    rule:
        An ``age_at_start`` rule id or object.

    Examples
    --------
    >>> age_at_start("2000-05-10", "2015-04-10")   # birthday exactly one month after the start
    15.0
    >>> age_at_start("2000-05-11", "2015-04-10")   # one month and a day: no rounding up
    14.0
    >>> age_at_start("2013-01-15", "2015-09-01")   # 2 years 7 months: quarters below 4
    2.5
    >>> age_at_start(None, "2015-09-01")
    nan
    """
    body: AgeRule = resolve_rule(rule, "age_at_start").definition
    dob, st = _to_date(date_of_birth), _to_date(start)
    if dob is None or st is None:
        return float("nan")
    if dob > st:
        raise ValueError(f"date of birth {dob} is after the start {st}")
    leap = body.leap_day_birthday
    window_end = add_months(st, body.round_up_months)

    def within(d: dt.date) -> bool:
        return st < d <= window_end if body.window_inclusive else st < d < window_end

    years = completed_years(dob, st, leap)
    if body.round_up_months > 0 and within(birthday_in(dob, dob.year + years + 1, leap)):
        return float(years + 1)
    if years >= body.quarters_below_years:
        return float(years)
    # completed quarters, kept consistent with the completed years of the birthday convention
    quarters = min(max(_completed_months(dob, st) // 3, 4 * years), 4 * years + 3)
    if body.round_up_quarters and body.round_up_months > 0 and (quarters + 1) % 4 != 0:
        if within(add_months(dob, 3 * (quarters + 1))):
            quarters += 1
    return quarters / 4


def ages_at_start(
    data: pd.DataFrame,
    date_of_birth: str = "date_of_birth",
    start: str = "start_date",
    rule: str | ClassificationRule = "age_at_start",
) -> pd.Series:
    """Age at start for every row of a frame; invalid dates are collected into one error.

    Examples
    --------
    >>> df = pd.DataFrame({"date_of_birth": ["1980-03-01", None], "start_date": ["2015-02-15"] * 2})
    >>> ages_at_start(df).tolist()
    [35.0, nan]
    >>> ages_at_start(pd.DataFrame({"date_of_birth": ["1980-13-01"], "start_date": ["2015-01-01"]}))
    Traceback (most recent call last):
    ...
    evalstats.errors.DataValidationError: 1 problem in ages at start:
      row 0, column 'date_of_birth': expected a date (YYYY-MM-DD) not after the start (the value is not shown)
    """
    problems: list[Problem] = []
    out = []
    for idx, row in data.iterrows():
        try:
            out.append(age_at_start(row[date_of_birth], row[start], rule))
        except (ValueError, TypeError):
            bad_col = date_of_birth
            try:
                _to_date(row[date_of_birth])
            except (ValueError, TypeError):
                pass
            else:
                try:
                    _to_date(row[start])
                except (ValueError, TypeError):
                    bad_col = start
            problems.append(
                Problem(idx, bad_col, withheld(row[bad_col]), "a date (YYYY-MM-DD) not after the start")
            )
            out.append(float("nan"))
    if problems:
        raise DataValidationError(problems, context="ages at start")
    return pd.Series(out, index=data.index, name="age_at_start", dtype=float)


def birth_date_from_stated_age(mention_date: Any, stated_age: int) -> dt.date:
    """Birth date coded from a stated age: the date of mention minus the stated age (003: 1711).

    Only the birth month and year are meaningful, as in the dissertation.

    Examples
    --------
    >>> birth_date_from_stated_age("2015-06-20", 34)
    datetime.date(1981, 6, 20)
    """
    d = _to_date(mention_date)
    if d is None:
        raise ValueError("a date of mention is needed")
    return add_months(d, -12 * int(stated_age))
