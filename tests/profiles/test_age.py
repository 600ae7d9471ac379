"""Age at start (003: 1707-1716): round-up window, leap days, quarters below 4."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiles import age_at_start, birth_date_from_stated_age
from profiles.age import completed_years
from profiles.definitions import ClassificationRule, get_rule


def variant(**changes) -> ClassificationRule:
    base = get_rule("age_at_start")
    return base.model_copy(update={"definition": base.definition.model_copy(update=changes)})


@pytest.mark.parametrize(
    ("dob", "start", "expected", "why"),
    [
        ("2000-05-10", "2015-04-10", 15.0, "birthday exactly one month after the start rounds up"),
        ("2000-05-11", "2015-04-10", 14.0, "one month and one day after: no rounding"),
        ("2000-04-10", "2015-04-10", 15.0, "birthday on the start day is a completed year"),
        ("2000-04-11", "2015-04-10", 15.0, "birthday the day after the start"),
        ("2000-04-09", "2015-04-10", 15.0, "birthday the day before: completed"),
        ("2000-02-28", "2015-01-31", 15.0, "31 Jan + 1 month = 28 Feb (clamped): inclusive"),
        ("2000-03-01", "2015-01-31", 14.0, "1 March is after the clamped window"),
        ("2000-02-29", "2016-01-31", 16.0, "leap year: 31 Jan + 1 month = 29 Feb"),
        ("2013-01-15", "2015-09-01", 2.5, "2 years 7 months: completed quarters"),
        ("2014-09-01", "2015-09-01", 1.0, "first birthday on the start day"),
        ("2015-08-15", "2015-09-01", 0.0, "two weeks old"),
        ("2014-10-01", "2015-09-01", 1.0, "first birthday exactly one month later rounds up"),
        ("2014-10-02", "2015-09-01", 0.75, "11 months: three quarters"),
        ("2011-08-01", "2015-09-01", 4.0, "four: whole years from here"),
        ("2011-09-15", "2015-09-01", 4.0, "3y11.5m with birthday within the month: 4"),
        ("2011-10-15", "2015-09-01", 3.75, "3y10.5m: quarters"),
        ("2010-10-15", "2015-09-01", 4.0, "4y10.5m: whole years, no quarters"),
    ],
)
def test_age_rule_table(dob, start, expected, why):
    assert age_at_start(dob, start) == expected, why


def test_leap_day_birthdays():
    # born 29 Feb 2012; start 29 Jan 2015, window ends 28 Feb 2015
    assert age_at_start("2012-02-29", "2015-01-29") == 2.75  # birthday 1 March: outside the window
    assert age_at_start("2012-02-29", "2015-01-29", rule=variant(leap_day_birthday="feb28")) == 3.0
    assert completed_years(dt.date(2012, 2, 29), dt.date(2015, 2, 28)) == 2
    assert completed_years(dt.date(2012, 2, 29), dt.date(2015, 3, 1)) == 3
    assert completed_years(dt.date(2012, 2, 29), dt.date(2016, 2, 29)) == 4


def test_window_exclusive_variant():
    assert age_at_start("2000-05-10", "2015-04-10", rule=variant(window_inclusive=False)) == 14.0
    assert age_at_start("2000-05-09", "2015-04-10", rule=variant(window_inclusive=False)) == 15.0


def test_quarter_round_up_variant():
    # 2.5 months old, next quarter anniversary 15 September lies within the month
    assert age_at_start("2015-06-15", "2015-09-01") == 0.0
    assert age_at_start("2015-06-15", "2015-09-01", rule=variant(round_up_quarters=True)) == 0.25


def test_missing_dates_are_nan_and_future_births_are_errors():
    assert pd.isna(age_at_start(None, "2015-01-01"))
    assert pd.isna(age_at_start("2000-01-01", float("nan")))
    with pytest.raises(ValueError, match="after the start"):
        age_at_start("2016-01-01", "2015-01-01")


def test_stated_age():
    assert birth_date_from_stated_age("2016-02-29", 3) == dt.date(2013, 2, 28)


dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 12, 31))


@given(dates, st.integers(0, 60 * 366))
def test_age_properties(dob, days):
    start = dob + dt.timedelta(days=days)
    a = age_at_start(dob, start)
    exact = completed_years(dob, start)
    assert a in (exact + 1, float(exact)) or (a < 4 and int(a) == exact)
    if a < 4:
        assert (a * 4).is_integer()
    else:
        assert a.is_integer()
    # never more than one year above the completed age, never below it
    assert exact <= a <= exact + 1
