"""Registration errors name the member's row and the column, never a date of birth."""

from __future__ import annotations

import pandas as pd
import pytest

from evalstats.errors import DataValidationError
from profiles import ages_at_start, validate_registration

FAMILIES = pd.DataFrame({"family": ["F1", "F2"], "start_date": ["2015-05-04", "2013-11-06"]})


def _members(dobs):
    return pd.DataFrame({"family": ["F1", "F1", "F2"], "member": ["M", "K1", "M"],
                         "role": ["parent", "child", "parent"], "date_of_birth": dobs})


def test_dates_of_birth_are_not_in_the_message():
    members = _members(["1979-05-18", "2016-02-17", "1981-31-12"])
    with pytest.raises(DataValidationError) as err:
        validate_registration(members, FAMILIES)
    text = str(err.value)
    for secret in ("2016-02-17", "1981-31-12", "2015-05-04", "1979"):
        assert secret not in text
    assert "row 1, column 'date_of_birth': expected a date not after the family's start date" in text
    assert "row 2, column 'date_of_birth': expected a date (YYYY-MM-DD) or empty" in text
    assert all(secret not in str(p.value) for p in err.value.problems for secret in ("2016", "1981"))


def test_start_dates_and_country_of_birth_are_not_shown():
    fam = FAMILIES.assign(start_date=["2015-05-04", "4 november 2013"])
    members = _members(["1979-05-18", "2009-02-17", None]).assign(
        country_of_birth=["netherlands", "Marokko", None])
    with pytest.raises(DataValidationError) as err:
        validate_registration(members, fam)
    text = str(err.value)
    assert "november" not in text and "Marokko" not in text
    assert "row 1, column 'start_date'" in text and "row 1, column 'country_of_birth'" in text


def test_ages_at_start_hides_the_dates():
    data = pd.DataFrame({"date_of_birth": ["2010-05-03", "2012-14-01"],
                         "start_date": ["2015-01-01", "2015-01-01"]}, index=["c1", "c2"])
    with pytest.raises(DataValidationError) as err:
        ages_at_start(data)
    text = str(err.value)
    assert "2012" not in text and "row 'c2', column 'date_of_birth'" in text
