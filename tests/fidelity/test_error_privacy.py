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


def test_background_answer_outside_the_options_names_the_row(survey):
    data = survey.astype({"education": object, "years_experience": object})
    data.loc[3, "education"] = "PhD"
    data.loc[5, "years_experience"] = "veel"
    data.loc[6, "education"] = None  # an empty cell is a missing answer, not an error
    with pytest.raises(DataValidationError) as err:
        score_survey(data, "reset", groups=["organisation"])
    text = str(err.value)
    rid3, rid5 = data.loc[3, "respondent"], data.loc[5, "respondent"]
    assert (f"row {rid3!r}, column 'education': got 'PhD', expected one of the options of "
            "background question 'education': 'MBO', 'HBO', 'WO'") in text
    assert f"row {rid5!r}, column 'years_experience': got 'veel', expected a number" in text
    assert repr(data.loc[6, "respondent"]) not in text
    # the bundled survey itself is valid, and its background columns can be groups
    res = score_survey(survey, "reset", groups=["organisation", "education"])
    assert res.n_respondents == len(survey)
