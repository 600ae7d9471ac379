"""Goal reports against published figures of the dissertation."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import gas  # noqa: E402


def _goals(category, counts, start=0):
    """One goal per case with the given number of cases at +2, +1, 0, -1, -2."""
    levels = np.repeat([2, 1, 0, -1, -2], counts)
    return pd.DataFrame({"case": np.arange(start, start + len(levels)), "goal": "g", "category": category,
                         "level": levels})


# (category, counts at +2..-2, published percentages at +2..-2, source line in 003)
PUBLISHED = [
    ("child-1", [83, 26, 15, 2, 0], [65.9, 20.6, 11.9, 1.6, 0.0], 5808),
    ("parent-1", [80, 27, 24, 0, 0], [61.1, 20.6, 18.3, 0.0, 0.0], 6689),
    ("finances-1", [206, 88, 58, 4, 3], [57.4, 24.5, 16.2, 1.1, 0.8], 10565),
    ("participation-1", [171, 86, 85, 1, 0], [49.9, 25.1, 24.8, 0.3, 0.0], 11215),
]


@pytest.mark.parametrize(("category", "counts", "published", "line"), PUBLISHED)
def test_published_distribution_reproduced(category, counts, published, line):
    d = gas.level_distribution(_goals(category, counts))
    row = d.table.iloc[0]
    got = [round(row[f"pct_{c}"], 1) for c in ("+2", "+1", "0", "-1", "-2")]
    assert got == published, f"003 line {line}"
    assert row["n_goals"] == sum(counts) == row["n_cases"]
    printed = d.spss_table("nl").iloc[0]
    assert printed["Doel geheel behaald"] == f"{published[0]:.1f}%".replace(".", ",")


def test_improved_share_and_moments():
    d = gas.level_distribution(_goals("child-1", [83, 26, 15, 2, 0]))
    row = d.table.iloc[0]
    # 003: 5817-5818: "bij 109 (86,5%) ... een verbetering"
    assert round(row["pct_improved"], 1) == 86.5 and row["n_+2"] + row["n_+1"] == 109
    scores = np.repeat([5, 4, 3, 2, 1], [83, 26, 15, 2, 0])
    assert row["mean"] == pytest.approx(scores.mean(), abs=1e-12)
    assert row["sd"] == pytest.approx(scores.std(ddof=1), abs=1e-12)
    assert "65.9% (N = 83)" in d.apa() and "86.5% improved" in d.apa()


def test_grouped_and_period_selection():
    df = pd.concat([_goals("child-1", [3, 1, 0, 0, 0]).assign(org="A"),
                    _goals("child-1", [1, 1, 1, 1, 0], start=10).assign(org="B")])
    d = gas.level_distribution(df, group="org")
    assert d.table["org"].tolist() == ["A", "B"]
    assert d.table["pct_+2"].tolist() == [75.0, 25.0]
    long = pd.DataFrame({"case": [1, 1, 2], "goal": "g", "category": "child-1", "period": [1, 2, 1],
                         "level": [0, 2, 1]})
    with pytest.raises(ValueError, match="period="):
        gas.level_distribution(long)
    assert gas.level_distribution(long, period="last").table["n_+2"].iloc[0] == 1
    assert gas.level_distribution(long, period="first").table["n_0"].iloc[0] == 1
    assert gas.level_distribution(long, period=2).table["n_goals"].iloc[0] == 1
    raters = long.assign(rater=["youth", "practitioner", "youth"], period=1)
    with pytest.raises(ValueError, match="combine them first"):
        gas.level_distribution(raters)
    with pytest.raises(ValueError, match=r"column 'level': rows 1, 2 hold values that are not levels"):
        gas.level_distribution(long.assign(level=5), period="last")


def test_missing_levels_are_counted_not_in_percentages():
    df = _goals("child-2", [1, 1, 0, 0, 0])
    df = pd.concat([df, pd.DataFrame({"case": [99], "goal": "g", "category": "child-2", "level": [np.nan]})])
    row = gas.level_distribution(df).table.iloc[0]
    assert row["n_missing"] == 1 and row["n_goals"] == 2 and row["pct_+2"] == 50.0


def test_table_86_trajectories():
    # 003: 9976-9985: cases with 1..6 periods of three months, and evaluations per period
    per_case = [655, 188, 51, 33, 5, 3]
    rows = []
    case = 0
    for k, n in enumerate(per_case, start=1):
        for _ in range(n):
            rows += [(case, p) for p in range(1, k + 1)]
            case += 1
    t = gas.trajectory_counts(pd.DataFrame(rows, columns=["case", "period"]))
    assert t.table["n_evaluated"].tolist() == [935, 280, 92, 41, 8, 3]
    assert t.table["n_cases"].tolist() == per_case
    assert t.table["months"].tolist() == [3, 6, 9, 12, 15, 18]
    sp = t.spss_table("nl")
    assert sp.iloc[-1]["GAS-scores"] == 1359 and sp.iloc[-1]["Jongeren/gezinnen"] == 935
    assert t.apa().startswith("The goals of 935 cases were evaluated 1359 times; 655 (70.1%)")


def test_dropout_share_and_moment():
    # 003: 2034-2035 and 10005-10007: 135 of 935 (14.4%); 113 no-shows in the first period, 19 later
    # (their periods are not published; period 2 here is illustrative) and 3 at a return
    cases = pd.DataFrame({"case": range(935), "premature": [True] * 135 + [False] * 800,
                          "period": [1] * 113 + [2] * 19 + [None] * 3 + [None] * 800})
    d = gas.dropout(cases, when="period")
    s = d.by_group.iloc[0]
    assert (s["n_cases"], s["n_dropout"], round(s["pct"], 1), s["n_unknown_when"]) == (935, 135, 14.4, 3)
    assert d.table["n"].tolist() == [113, 19, 3]
    assert d.apa("nl") == "Bij 135 van de 935 cliënten (14,4%) is het traject voortijdig afgebroken."
    by = gas.dropout(cases.assign(org=["A", "B"] * 467 + ["A"]), group="org")
    assert by.by_group["n_cases"].tolist() == [468, 467]
    with pytest.raises(ValueError, match=r"column .premature.: got None, expected yes or no"):
        gas.dropout(cases.assign(premature=None))


def test_stacked_bars_match_percentages():
    df = pd.concat([_goals("child-1", [83, 26, 15, 2, 0]), _goals("child-2", [1, 1, 1, 1, 0], start=500)])
    d = gas.level_distribution(df, taxonomy="reset")
    fig, ax = plt.subplots()
    gas.plot_levels(d, ax=ax, lang="nl")
    bars = ax.patches
    assert len(bars) == 2 * 5  # categories x levels
    # bars are drawn level by level (best first); within a level, one bar per category
    widths = np.array([b.get_width() for b in bars]).reshape(5, 2)
    lefts = np.array([b.get_x() for b in bars]).reshape(5, 2)
    expected = d.table[["pct_+2", "pct_+1", "pct_0", "pct_-1", "pct_-2"]].to_numpy().T
    np.testing.assert_allclose(widths, expected, atol=1e-12)
    np.testing.assert_allclose(lefts, np.vstack([np.zeros(2), np.cumsum(expected, axis=0)[:-1]]), atol=1e-12)
    np.testing.assert_allclose(lefts[-1] + widths[-1], [100, 100], atol=1e-9)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "De basiszorg voor kind is gewaarborgd."
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == "Doel geheel behaald"
    plt.close(fig)


def test_undefined_values_print_as_empty_cells_and_plain_sentences():
    df = pd.DataFrame({"case": [1, 2], "goal": "g", "category": ["child-1", "child-2"], "level": [2, np.nan]})
    d = gas.level_distribution(df)
    sp = d.spss_table()
    assert sp.loc[0, "SD"] == "" and sp.loc[1, "Goal fully achieved"] == "" and sp.loc[0, "M"] == "5.00"
    assert "(M = 5.00)" in d.apa() and "Goal 'child-2' has no evaluation with a score." in d.apa()
    assert "geen evaluatie" in d.apa("nl")
