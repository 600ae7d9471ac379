"""From raw NP-style ratings to T-score trajectories and reports in one pass."""

import numpy as np
import pandas as pd
import pytest

import gas


def test_ratings_to_trajectories_and_reports():
    rows = [
        # case, goal, category, rater, period, wording
        ("Y1", "d1", "basics-1", "jongere", 1, "vooruitgang richting doel"),
        ("Y1", "d1", "basics-1", "JIT", 1, "Doel geheel behaald"),
        ("Y1", "d2", "finances-1", "JIT", 1, "situatie hetzelfde gebleven"),
        ("Y1", "d1", "basics-1", "jongere", 2, "doel geheel behaald"),
        ("Y1", "d1", "basics-1", "JIT", 2, "doel geheel behaald"),
        ("Y1", "d2", "finances-1", "JIT", 2, "vooruitgang"),
        ("Y2", "d1", "finances-1", "jongere", 1, "achteruitgang"),
        ("Y2", "d1", "finances-1", "begeleider", 1, "+/-"),
        ("Y2", "d1", "finances-1", "VIP", 1, "++"),
    ]
    df = pd.DataFrame(rows, columns=["case", "goal", "category", "rater", "period", "level"])
    goals = gas.validate_goals(df, taxonomy="np")
    agg = goals.aggregate_raters(rule="np", min_ratings=2)
    counts = agg.table.set_index(["what", "who"])["n"]
    assert counts[("dropped", "vip")] == 1
    assert counts[("result", "youth+practitioner")] == 3 and counts[("result", "practitioner")] == 2
    f = agg.frame.set_index(["case", "goal", "period"])
    assert f.loc[("Y1", "d1", 1), "level"] == 1.0  # 1.5 -> toward the youth (+1)
    assert f.loc[("Y2", "d1", 1), "level"] == -1.0  # -0.5 -> toward the youth (-1)
    assert f.loc[("Y2", "d1", 1), "score"] == 2.0

    ts = gas.tscores(agg, by="period")
    assert ts.set_index(["case", "period"]).loc[("Y1", 1), "tscore"] == pytest.approx(gas.tscore([1, 0]))
    change = gas.tscore_change(ts).set_index("case")
    assert change.at["Y1", "change"] == pytest.approx(gas.tscore([2, 1]) - gas.tscore([1, 0]))
    assert np.isclose(change.at["Y2", "change"], 0.0)

    dist = gas.level_distribution(agg, period="last", taxonomy="np")
    assert dist.table["category"].tolist() == ["basics-1", "finances-1"]
    assert dist.table["n_cases"].tolist() == [1, 2]
    traj = gas.trajectory_counts(agg)
    assert traj.table["n_evaluated"].tolist() == [2, 1] and traj.table["n_cases"].tolist() == [1, 1]
