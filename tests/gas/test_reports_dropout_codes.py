"""gas.dropout reads yes/no text as yes/no: a "nee" is not a dropout."""

import pandas as pd
import pytest

from evalstats.errors import DataValidationError
from gas import dropout


def test_text_codes_are_read_as_yes_and_no():
    cases = pd.DataFrame({"case": [1, 2, 3, 4], "premature": ["ja", "nee", "no", "Yes"]})
    d = dropout(cases)
    assert d.apa() == "2 of 4 cases (50.0%) ended prematurely."


def test_missing_or_unknown_codes_name_the_row():
    cases = pd.DataFrame({"case": [1, 2, 3], "premature": ["ja", None, "misschien"]})
    with pytest.raises(DataValidationError) as err:
        dropout(cases)
    problems = err.value.problems
    assert [p.row for p in problems] == [1, 2]
    assert pd.isna(problems[0].value) and problems[1].value == "misschien"
