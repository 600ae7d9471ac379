"""Goal taxonomies and validation of long goal data."""

import numpy as np
import pandas as pd
import pytest

import gas
from evalstats.errors import DataValidationError


def test_reset_taxonomy_has_the_dissertations_goals():
    t = gas.get_taxonomy("reset")
    main = [c.id for c in t.categories if c.parent is None]
    assert main == [f"child-{i}" for i in range(1, 6)] + [f"family-{i}" for i in range(1, 6)] + \
        [f"parent-{i}" for i in range(1, 11)]
    assert t.label("parent-7", "nl") == "Er is een oplossing voor de schulden."  # 003: 7028
    assert t.label("family-4", "en").startswith("Adverse events")
    assert t.category("family-1a").parent == "family-1"  # merged goal, 003: 6400-6414
    assert t.group_of("child-3") == "opvoeden"


def test_np_taxonomy_has_four_domains():
    t = gas.get_taxonomy("np")
    assert [g.id for g in t.groups] == ["basics", "finances_housing", "challenges", "participation"]
    per_group = {g.id: [c.id for c in t.categories if c.group == g.id and c.parent is None] for g in t.groups}
    assert per_group == {
        "basics": ["basics-1", "basics-2", "basics-3"],
        "finances_housing": ["finances-1", "finances-2", "housing-1", "housing-2"],
        "challenges": [f"challenges-{i}" for i in range(1, 6)],
        "participation": ["participation-1", "participation-2"],
    }


def test_taxonomy_validation(tmp_path):
    with pytest.raises(ValueError, match="unknown parent"):
        gas.GoalTaxonomy(id="x", categories=[{"id": "a", "nl": "a", "parent": "b"}])
    with pytest.raises(ValueError, match="repeated"):
        gas.GoalTaxonomy(id="x", categories=[{"id": "a", "nl": "a"}, {"id": "a", "nl": "b"}])
    with pytest.raises(ValueError, match="unknown group"):
        gas.GoalTaxonomy(id="x", categories=[{"id": "a", "nl": "a", "group": "g"}])


def _good():
    return pd.DataFrame({
        "family": ["F1", "F1", "F1", "F1", "F2"],
        "goal": ["d1", "d1", "d2", "d2", "d1"],
        "cat": ["basics-1", "basics-1", "finances-2", "finances-2", "basics-1"],
        "who": ["Jongere", "begeleider", "youth", "JIT", "practitioner"],
        "period": [1, 1, 1, 1, 2],
        "level": ["Doel geheel behaald", 1, None, "-1", "vooruitgang richting doel"],
        "w": [1, 1, 2.5, 2.5, 1],
        "act": ["ja", "ja", "nee", "nee", None],
    })


def test_valid_goal_data_is_canonical():
    df = _good()
    before = df.copy()
    gd = gas.validate_goals(df, taxonomy="np", case="family", category="cat", rater="who", weight="w", activities="act")
    pd.testing.assert_frame_equal(df, before)
    f = gd.frame
    assert f["rater"].tolist() == ["youth", "practitioner", "youth", "practitioner", "practitioner"]
    assert f["level"].tolist()[:2] == [2.0, 1.0] and np.isnan(f["level"][2])
    assert f["score"].tolist()[3:] == [2.0, 4.0]
    assert f["group"].tolist() == ["basics", "basics", "finances_housing", "finances_housing", "basics"]
    assert f["activities"].tolist()[:4] == [True, True, False, False] and f["activities"].isna()[4]
    assert gd.n_missing_level == 1 and gd.scale == "gas5" and gd.taxonomy == "np"


def test_every_problem_reported_at_once():
    df = _good()
    df.loc[0, "cat"] = "basics-9"
    df.loc[1, "who"] = "oma"
    df.loc[2, "period"] = 0
    df.loc[3, "level"] = "beetje"
    df.loc[4, "w"] = -1
    df.loc[4, "act"] = "misschien"
    df.loc[4, "family"] = None
    with pytest.raises(DataValidationError) as exc:
        gas.validate_goals(df, taxonomy="np", case="family", category="cat", rater="who", weight="w", activities="act")
    got = [(p.row, p.column, p.value) for p in exc.value.problems]
    assert got == [(0, "cat", "basics-9"), (1, "who", "oma"), (2, "period", 0), (3, "level", "beetje"),
                   (4, "family", None), (4, "w", -1), (4, "act", "misschien")]
    assert all(p.expected for p in exc.value.problems)


def test_duplicates_and_inconsistent_categories():
    df = _good()
    df.loc[1, "who"] = "youth"
    df.loc[2, "cat"] = "finances-1"
    with pytest.raises(DataValidationError) as exc:
        gas.validate_goals(df, taxonomy="np", case="family", category="cat", rater="who")
    expected = [p.expected for p in exc.value.problems]
    assert expected.count("one rating per case, goal, rater and period") == 2
    assert "one category per goal of a case" in expected


def test_periods_from_dates():
    df = pd.DataFrame({"case": [1, 1, 1, 2], "goal": ["a"] * 4, "category": "child-1",
                       "date": ["2016-04-01", "2016-07-01", "2016-10-15", "2016-09-30"],
                       "start": ["2016-01-01", "2016-01-01", "2016-01-01", "2016-07-01"],
                       "level": [0, 1, 2, 1]})
    by_start = gas.validate_goals(df, rater=None, default_rater="joint", period=None, date="date", start="start")
    assert by_start.frame["period"].tolist() == [1, 2, 3, 1]
    by_order = gas.validate_goals(df, rater=None, default_rater="joint", period=None, date="date")
    assert by_order.frame["period"].tolist() == [1, 2, 3, 1]
    bad = df.assign(date=["2016-04-01", "gisteren", "2016-10-15", "2016-09-30"])
    with pytest.raises(DataValidationError, match=r"row 1, column 'date': expected a date") as err:
        gas.validate_goals(bad, rater=None, default_rater="joint", period=None, date="date")
    assert "gisteren" not in str(err.value)  # a date cell's content is not shown


def test_missing_columns_named():
    with pytest.raises(KeyError, match="'category'"):
        gas.validate_goals(_good().drop(columns="cat").rename(columns={"family": "case", "who": "rater"}))
