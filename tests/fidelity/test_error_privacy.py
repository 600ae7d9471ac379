"""Survey errors name the respondent and the item; a free-text answer is not shown, a code is."""

from __future__ import annotations

from importlib import resources

import pandas as pd
import pytest

from evalstats.errors import DataValidationError
from fidelity import score_survey

ANSWER = "ik werk pas sinds kort bij dit team en weet het niet"


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    with resources.as_file(resources.files("fidelity") / "data" / "reset_survey.csv") as f:
        return pd.read_csv(f)


def test_free_text_in_a_likert_item_is_not_shown(survey):
    data = survey.astype({"LD3": object, "LD4": object})
    data.loc[2, "LD3"] = ANSWER
    data.loc[4, "LD4"] = 9
    with pytest.raises(DataValidationError) as err:
        score_survey(data, "reset", groups=["organisation"])
    text = str(err.value)
    rid2, rid4 = data.loc[2, "respondent"], data.loc[4, "respondent"]
    assert f"row {rid2!r}, column 'LD3': got a text of {len(ANSWER)} characters" in text
    assert f"row {rid4!r}, column 'LD4': got 9" in text  # a code is fine to show
    assert "team" not in text and "sinds" not in text


def test_exclusion_rule_lists_present_values_without_long_texts(survey):
    data = survey.assign(organisation=[ANSWER] + list(survey["organisation"].iloc[1:]))
    with pytest.raises(DataValidationError) as err:
        score_survey(data, "reset", exclude={"items": ["LD3"], "where": {"organisation": ["Z"]}, "reason": "test"})
    text = str(err.value)
    assert "column 'organisation': got 'Z'" in text and "sinds" not in text
