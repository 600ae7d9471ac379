"""Group comparison over a scored survey, checked against scipy (an independent implementation)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from fidelity.instrument import Instrument
from fidelity.scoring import score_survey

TOL = 1e-10  # both sides compute the same closed forms in double precision


def instrument() -> Instrument:
    return Instrument.model_validate(
        {
            "id": "cmp",
            "name": "Comparison test",
            "default_scale": "s5",
            "threshold": {"value": 4.0},
            "scales": [
                {"id": "s5", "codes": [{"value": v, "nl": str(v), "en": str(v)} for v in range(1, 6)]}
            ],
            "categories": [{"id": "M", "nl": "Methode"}, {"id": "O", "nl": "Organisatie"}],
            "principles": [{"id": "P", "nl": "Principe", "category": "M"}],
            "items": [
                {"code": "M1", "text_nl": "m1", "text_en": "item m1", "category": "M", "principle": "P"},
                {"code": "M2", "text_nl": "m2", "category": "M", "principle": "P", "reverse": True},
                {"code": "O1", "text_nl": "o1", "category": "O"},
            ],
        }
    )


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 60
    org = np.repeat(["A", "B", "C", "D"], [11, 14, 15, 20])
    shift = pd.Series(org).map({"A": 1, "B": 0, "C": 0, "D": -1}).to_numpy()
    df = pd.DataFrame({"respondent": np.arange(n), "org": org,
                       "variant": np.where(np.arange(n) % 3 == 0, "plus", "regular")})
    for code in ["M1", "M2", "O1"]:
        x = np.clip(np.round(rng.normal(3.5, 1.0, n) + 0.5 * shift), 1, 5)
        x[rng.random(n) < 0.08] = np.nan
        df[code] = x
    return df


def samples(scores, var, by):
    d = scores.data("item" if var in scores.item_codes else "category", by)
    if var not in d:
        d = scores.data("principle", by)
    d = d.dropna(subset=[var])
    return [g[var].to_numpy() for _, g in sorted(d.groupby(by), key=lambda t: t[0])]


def test_anova_rows_match_scipy(survey):
    s = score_survey(survey, instrument(), groups=["org", "variant"])
    for level in ("item", "principle", "category"):
        cmp = s.compare("org", level)
        for row in cmp.table.itertuples():
            xs = samples(s, row.variable, "org")
            ref = stats.f_oneway(*xs)
            welch = stats.f_oneway(*xs, equal_var=False)
            lev = stats.levene(*xs, center="mean")
            allx = np.concatenate(xs)
            ss_b = sum(len(x) * (x.mean() - allx.mean()) ** 2 for x in xs)
            ss_t = ((allx - allx.mean()) ** 2).sum()
            assert row.test == "anova" and row.k == 4 and row.n == len(allx)
            assert row.F == pytest.approx(ref.statistic, abs=TOL)
            assert row.p == pytest.approx(ref.pvalue, abs=TOL)
            assert (row.df1, row.df2) == (3, len(allx) - 4)
            assert row.eta_squared == pytest.approx(ss_b / ss_t, abs=TOL)
            assert row.welch_F == pytest.approx(welch.statistic, abs=1e-8)
            assert row.welch_p == pytest.approx(welch.pvalue, abs=1e-8)
            assert row.levene_F == pytest.approx(lev.statistic, abs=TOL)
            assert row.levene_p == pytest.approx(lev.pvalue, abs=TOL)


def test_reverse_keyed_item_is_compared_after_recoding(survey):
    s = score_survey(survey, instrument(), groups=["org"], ignore=["variant"])
    row = s.compare("org").table.set_index("variable").loc["M2"]
    d = survey.dropna(subset=["M2"])
    xs = [6 - g["M2"].to_numpy() for _, g in sorted(d.groupby("org"), key=lambda t: t[0])]
    # F is invariant under reversal, the group means are not: compare the means too
    assert row["F"] == pytest.approx(stats.f_oneway(*xs).statistic, abs=TOL)
    gs = s.group_stats.query("grouping == 'org' and variable == 'M2'")
    assert list(gs["mean"]) == pytest.approx([x.mean() for x in xs], abs=TOL)


def test_two_groups_give_t_tests_matching_scipy(survey):
    s = score_survey(survey, instrument(), groups=["org", "variant"])
    cmp = s.compare("variant", "item")
    for row in cmp.table.itertuples():
        plus, regular = samples(s, row.variable, "variant")  # sorted: plus, regular
        st_ = stats.ttest_ind(plus, regular)
        we = stats.ttest_ind(plus, regular, equal_var=False)
        assert row.test == "t-test" and row.k == 2
        assert row.t == pytest.approx(st_.statistic, abs=TOL)
        assert row.p == pytest.approx(st_.pvalue, abs=TOL)
        assert row.welch_t == pytest.approx(we.statistic, abs=TOL)
        assert row.welch_p == pytest.approx(we.pvalue, abs=TOL)
        # as SPSS ONEWAY prints for two groups: F = t^2 with df (1, N - 2)
        assert row.F == pytest.approx(row.t**2, abs=TOL) and row.df1 == 1
        assert row.df2 == len(plus) + len(regular) - 2
        assert row.apa.startswith("The variant groups ")
        assert (" t(" in row.apa) or ("Welch t(" in row.apa)


def test_sentences_tables_and_groups_left_out(survey):
    df = survey.copy()
    df["team"] = np.where(df["org"] == "A", "NPT", df["org"])
    s = score_survey(df, instrument(), groups=["org"], ignore=["variant"],
                     exclude={"items": ["O1"], "where": {"team": "NPT"}, "reason": "variant"})
    cmp = s.compare("org", "item")
    o1 = cmp.table.set_index("variable").loc["O1"]
    assert o1["k"] == 3 and o1["left_out"] == "A (n = 0)" and o1["groups"] == "B, C, D"
    assert cmp.sentence("M1", "nl").startswith("De groepen van org verschilden")
    assert "F(3; " in cmp.sentence("M1", "nl")
    sig = cmp.spss_table()
    assert list(sig.columns[:5]) == ["N", "F", "df1", "df2", "Sig."]
    assert sig.loc["M1", "df1"] == "3"
    assert len(cmp.apa().splitlines()) == 3
    assert cmp.statistic("M1").startswith("F(3, ")
    # a variable no two groups answered cannot be compared, and says so
    only_b = df.assign(O1=np.where(df["org"] == "B", df["O1"], np.nan))
    c2 = score_survey(only_b, instrument(), groups=["org"], ignore=["variant", "team"]).compare("org")
    row = c2.table.set_index("variable").loc["O1"]
    assert row["test"] == "none" and np.isnan(row["F"])
    assert "no comparison possible" in row["apa"]
    with pytest.raises(KeyError, match="groups"):
        s.compare("team")
