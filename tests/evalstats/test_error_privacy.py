"""Error messages name the row, column and what was expected, never personal data values."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalstats.errors import (
    MAX_SHOWN_CHARS,
    NOT_SHOWN,
    Counted,
    DataValidationError,
    Problem,
    listed_rows,
    shown_value,
    withheld,
)
from evalstats.tristate import yes_no_column

FREE_TEXT = "Moeder vertelt dat Jan sinds mei bij oma woont"


def test_a_code_is_shown_and_free_text_and_dates_are_not():
    assert Problem(4, "LD3", "7", "a code 1-5").describe() == "row 4, column 'LD3': got '7', expected a code 1-5"
    text = Problem(4, "LD3", FREE_TEXT, "a code 1-5").describe()
    assert FREE_TEXT[:5] not in text and f"a text of {len(FREE_TEXT)} characters" in text
    for date in (dt.date(1987, 3, 2), pd.Timestamp("1987-03-02"), np.datetime64("1987-03-02")):
        text = Problem(4, "geboortedatum", date, "a date").describe()
        assert "1987" not in text and "a date" in text and "row 4" in text


def test_withheld_values_say_so_and_keep_missing_apart():
    text = Problem(9, "date_of_birth", withheld("1987-13-02"), "a date (YYYY-MM-DD)").describe()
    assert text == "row 9, column 'date_of_birth': expected a date (YYYY-MM-DD) (the value is not shown)"
    assert withheld(None) is None and withheld(np.nan) is None and withheld("x") is NOT_SHOWN
    err = DataValidationError([Problem(9, "date_of_birth", NOT_SHOWN, "a date")])
    assert err.to_frame().loc[0, "value"] is NOT_SHOWN and repr(NOT_SHOWN) == "(not shown)"


@given(st.text(min_size=MAX_SHOWN_CHARS + 1, max_size=200))
def test_no_long_text_reaches_a_message(text):
    shown = Problem(1, "c", text, "a code").describe()
    assert shown == f"row 1, column 'c': got a text of {len(text)} characters, expected a code"
    assert repr(Counted(text, 3)) == f"a text of {len(text)} characters (3×)"


def test_rows_are_listed_not_values():
    assert listed_rows([3, 8, 12]) == "rows 3, 8, 12"
    assert listed_rows(range(100), noun="position").endswith("and 95 more")
    assert shown_value(6) == "6"


def test_free_text_in_a_yes_no_column_is_not_shown():
    values = pd.Series(["ja", FREE_TEXT, "nee"], index=[2, 3, 4])
    with pytest.raises(DataValidationError) as err:
        yes_no_column(values, "premature", context="cases.csv")
    text = str(err.value)
    assert "row 3, column 'premature'" in text and "cases.csv" in text
    assert "Jan" not in text and "oma" not in text
