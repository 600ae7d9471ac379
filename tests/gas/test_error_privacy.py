"""GAS errors name positions, rows and columns, never the list of outcome values or dates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gas
from evalstats.errors import DataValidationError

# many distinct outcome values that are not GAS levels (e.g. T-scores in the level column)
OUTCOMES = [37.25, 41.5, 44.75, 48.125, 52.5, 55.375, 58.0625, 61.5, 63.25, 66.75]


def _absent(text: str, values=OUTCOMES) -> None:
    for v in values:
        assert f"{v:g}" not in text and repr(v) not in text


def test_tscore_names_positions_not_scores():
    with pytest.raises(ValueError) as err:
        gas.tscore([0, 1, *OUTCOMES])
    text = str(err.value)
    _absent(text)
    assert "10 score(s)" in text and "positions 2, 3, 4, 5, 6 and 5 more" in text


def test_tscore_weights_named_by_position():
    with pytest.raises(ValueError, match=r"not at position 1$"):
        gas.tscore([0, 1], weights=[1.0, -48.125])


def test_level_distribution_names_rows_not_levels():
    df = pd.DataFrame({"case": [f"c{i}" for i in range(12)], "goal": 1,
                       "category": "child", "level": [0, 1, *OUTCOMES]})
    with pytest.raises(ValueError) as err:
        gas.level_distribution(df)
    text = str(err.value)
    _absent(text)
    assert "column 'level'" in text and "rows 2, 3, 4, 5, 6 and 5 more" in text
    df["level"] = df["level"].astype(object)
    df.loc[3, "level"] = "veel beter dan vorige keer, zegt moeder"
    with pytest.raises(ValueError) as err:
        gas.level_distribution(df)
    assert "moeder" not in str(err.value) and "rows 2, 3" in str(err.value)


def test_convert_and_combine_name_positions():
    with pytest.raises(ValueError) as err:
        gas.convert_levels(np.array([0.0, *OUTCOMES]), "gas5", "gas4_form")
    _absent(str(err.value))
    assert "positions 1, 2" in str(err.value)
    with pytest.raises(ValueError) as err:
        gas.combine_raters(youth=[0, 1.5, 0.25], practitioner=[0, 1, 1])
    text = str(err.value)
    assert "1.5" not in text and "0.25" not in text and "positions 1, 2" in text


def test_goal_dates_are_not_shown():
    frame = pd.DataFrame({"case": ["a", "a"], "goal": [1, 2], "category": ["child", "child"],
                          "level": [0, 1], "date": ["2016-03-01", "31-02-2016"],
                          "start": ["2016-01-05", "2016-13-01"]})
    with pytest.raises(DataValidationError) as err:
        gas.validate_goals(frame, rater=None, default_rater="joint", period=None, date="date",
                           start="start")
    text = str(err.value)
    assert "2016" not in text
    assert "row 1, column 'date'" in text and "row 1, column 'start'" in text
