"""Tests of fidelity survey scoring against hand-checkable closed forms and pandas."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalstats.errors import DataValidationError
from fidelity.instrument import Instrument
from fidelity.scoring import score_survey

CODES5 = [{"value": v, "nl": f"n{v}", "en": f"e{v}"} for v in range(1, 6)]
CODES4 = [{"value": v, "nl": f"n{v}", "en": f"e{v}"} for v in range(1, 5)]


def make_instrument(method: str = "mean", frac: float = 0.5, min_items: int | None = None) -> Instrument:
    """Items L1-L3 (principle L, L3 reverse-keyed), N1-N2 (principle N) in category M on a 1-5
    scale with threshold 4; F1-F2 in category F on a 1-4 scale with threshold 3 (as ReSet FACT)."""
    scoring = {"method": method, "min_answered_fraction": frac}
    if min_items is not None:
        scoring["min_answered_items"] = min_items
    return Instrument.model_validate(
        {
            "id": "test",
            "name": "Test",
            "default_scale": "s5",
            "threshold": {"value": 4.0},
            "scales": [
                {
                    "id": "s5",
                    "codes": CODES5,
                    "non_substantive": [
                        {"value": 9, "nl": "weet niet", "en": "don't know"},
                        {"value": "n.v.t.", "nl": "n.v.t.", "en": "n/a"},
                    ],
                },
                {"id": "s4", "codes": CODES4},
            ],
            "band_sets": [
                {
                    "id": "wolf",
                    "scale": "s5",
                    "bands": [{"label": "low", "upper": 4.0}, {"label": "fidelity", "lower": 4.0}],
                },
                {
                    "id": "vugt",
                    "scale": "s5",
                    "bands": [
                        {"label": "low", "upper": 3.6},
                        {"label": "moderate", "lower": 3.6, "upper": 4.0, "upper_inclusive": True},
                        {"label": "high", "lower": 4.0, "lower_inclusive": False},
                    ],
                },
            ],
            "default_band_set": "wolf",
            "categories": [
                {"id": "M", "nl": "Methode", "en": "Method"},
                {"id": "F", "nl": "Facilitering", "en": "Facilitation", "threshold": {"value": 3.0}},
            ],
            "principles": [
                {"id": "L", "nl": "Laagdrempelig", "en": "Low threshold", "category": "M"},
                {"id": "N", "nl": "Netwerk", "en": "Network", "category": "M"},
            ],
            "items": [
                {"code": "L1", "text_nl": "l1", "category": "M", "principle": "L"},
                {"code": "L2", "text_nl": "l2", "category": "M", "principle": "L"},
                {"code": "L3", "text_nl": "l3", "category": "M", "principle": "L", "reverse": True},
                {"code": "N1", "text_nl": "n1", "category": "M", "principle": "N"},
                {"code": "N2", "text_nl": "n2", "category": "M", "principle": "N"},
                {"code": "F1", "text_nl": "f1", "category": "F", "scale": "s4"},
                {"code": "F2", "text_nl": "f2", "category": "F", "scale": "s4"},
            ],
            "scoring": scoring,
        }
    )


def small_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent": ["r1", "r2", "r3", "r4"],
            "org": ["A", "A", "B", "B"],
            "L1": [5, 4, 3, 4],
            "L2": [4, 4, np.nan, 2],
            "L3": [1, 2, 5, 3],  # reverse-keyed: recoded 5, 4, 1, 3
            "N1": [5, 5, 4, 9],  # 9 = don't know -> missing, counted
            "N2": [4, 3, 3, 5],
            "F1": [3, 4, 2, 3],
            "F2": [4, 4, 1, 2],
        }
    )


def item(s, code):
    return s.item_stats.set_index("item").loc[code]


# ---------------------------------------------------------------------------------------------
# closed forms
# ---------------------------------------------------------------------------------------------
def test_item_statistics_closed_form():
    s = score_survey(small_frame(), make_instrument(), groups=["org"])
    l1 = item(s, "L1")  # 5, 4, 3, 4
    assert l1["n"] == 4
    assert l1["mean"] == pytest.approx(4.0, abs=1e-12)
    assert l1["sd"] == pytest.approx(math.sqrt(2 / 3), abs=1e-12)  # SS = 1+0+1+0, ddof = 1
    assert (l1["min"], l1["max"]) == (3, 5)
    assert bool(l1["meets_threshold"]) and l1["band"] == "fidelity"
    l2 = item(s, "L2")  # 4, 4, -, 2
    assert l2["n"] == 3 and l2["n_missing"] == 1
    assert l2["mean"] == pytest.approx(10 / 3, abs=1e-12)
    assert not bool(l2["meets_threshold"]) and l2["band"] == "low"
    # FACT-like items: own 1-4 scale and threshold 3.0 (category threshold), no 1-5 band
    f1 = item(s, "F1")  # 3, 4, 2, 3
    assert f1["mean"] == pytest.approx(3.0) and f1["threshold"] == 3.0
    assert bool(f1["meets_threshold"])
    assert f1["band"] is None or pd.isna(f1["band"])
    f2 = item(s, "F2")  # 4, 4, 1, 2 -> 2.75
    assert f2["mean"] == pytest.approx(2.75) and not bool(f2["meets_threshold"])


def test_reverse_keying_before_aggregation():
    s = score_survey(small_frame(), make_instrument(), groups=["org"])
    l3 = item(s, "L3")  # 1, 2, 5, 3 -> 5, 4, 1, 3
    assert l3["mean"] == pytest.approx(13 / 4)
    assert list(s.answers["L3"]) == [5, 4, 1, 3]
    # principle L for r3: L1 = 3, L2 missing, L3 recoded 1 -> mean 2
    scores = s.scores.set_index("respondent")
    assert scores.loc["r3", "L"] == pytest.approx(2.0)
    assert scores.loc["r1", "L"] == pytest.approx((5 + 4 + 5) / 3)


def test_non_substantive_codes_become_missing_and_are_counted():
    df = small_frame().astype({"N2": object})
    df.loc[0, "N2"] = "n.v.t."
    s = score_survey(df, make_instrument(), groups=["org"])
    n1, n2 = item(s, "N1"), item(s, "N2")
    assert (n1["n"], n1["n_non_substantive"], n1["n_missing"]) == (3, 1, 0)
    assert (n2["n"], n2["n_non_substantive"], n2["n_not_applicable"]) == (3, 0, 1)
    assert n1["mean"] == pytest.approx(14 / 3)


def test_category_and_principle_scores_and_summary():
    s = score_survey(small_frame(), make_instrument(), groups=["org"])
    sc = s.scores.set_index("respondent")
    # category M for r4: L1 4, L2 2, L3 rec 3, N1 missing, N2 5 -> 14 / 4
    assert sc.loc["r4", "M"] == pytest.approx(3.5)
    # principle N for r4: only N2 answered, 1 of 2 items >= 50 % -> 5
    assert sc.loc["r4", "N"] == pytest.approx(5.0)
    m_scores = [sc.loc[r, "M"] for r in ["r1", "r2", "r3", "r4"]]
    st_ = s.scale_stats.set_index("variable")
    assert st_.loc["M", "mean"] == pytest.approx(statistics.mean(m_scores))
    assert st_.loc["M", "sd"] == pytest.approx(statistics.stdev(m_scores))
    assert st_.loc["M", "n"] == 4
    assert st_.loc["F", "threshold"] == 3.0
    assert st_.loc["L", "level"] == "principle" and st_.loc["M", "level"] == "category"


def test_min_answered_rule():
    df = pd.DataFrame(
        {
            "respondent": [1, 2, 3],
            "L1": [5, 5, np.nan],
            "L2": [4, np.nan, np.nan],
            "L3": [1, np.nan, 1],
            "N1": [5, 5, 5],
            "N2": [5, 5, 5],
            "F1": [1, 1, 1],
            "F2": [1, 1, 1],
        }
    )
    # principle L has 3 items; 50 % -> at least 2 answered
    s = score_survey(df, make_instrument(frac=0.5))
    L = s.scores["L"].to_numpy()
    assert L[0] == pytest.approx(14 / 3) and np.isnan(L[1]) and np.isnan(L[2])
    assert s.scale_stats.set_index("variable").loc["L", "min_answered"] == 2
    assert s.scale_stats.set_index("variable").loc["L", "n_no_score"] == 2
    # override: one item is enough
    s1 = score_survey(df, make_instrument(frac=0.5), min_answered=1)
    assert list(s1.scores["L"]) == pytest.approx([14 / 3, 5.0, 5.0])
    # fraction override: all items
    s2 = score_survey(df, make_instrument(), min_answered=1.0)
    assert s2.scale_stats.set_index("variable").loc["M", "min_answered"] == 5
    assert np.isnan(s2.scores["M"]).sum() == 2
    # rule with a minimum number of items
    s3 = score_survey(df, make_instrument(frac=0.1, min_items=3))
    assert s3.scale_stats.set_index("variable").loc["L", "min_answered"] == 3
    # the item count never exceeds the items of the scale (principle N has 2)
    assert s3.scale_stats.set_index("variable").loc["N", "min_answered"] == 2


def test_sum_rule_is_prorated():
    df = small_frame()
    s = score_survey(df, make_instrument(method="sum"), groups=["org"])
    sc = s.scores.set_index("respondent")
    # r3 principle L: L1 = 3, L3 rec 1 answered of 3 items -> mean 2 * 3 items = 6
    assert sc.loc["r3", "L"] == pytest.approx(6.0)
    # r1 complete: 5 + 4 + 5
    assert sc.loc["r1", "L"] == pytest.approx(14.0)
    st_ = s.scale_stats.set_index("variable")
    assert st_.loc["L", "method"] == "sum" and math.isnan(st_.loc["L", "threshold"])


def test_percent_met_rule_uses_each_items_own_threshold():
    s = score_survey(small_frame(), make_instrument(method="percent_met"), groups=["org"])
    sc = s.scores.set_index("respondent")
    # r1 category M: L1 5, L2 4, L3 rec 5, N1 5, N2 4 -> all >= 4 -> 100
    assert sc.loc["r1", "M"] == pytest.approx(100.0)
    # r3 category M: L1 3, L3 rec 1, N1 4, N2 3 (L2 missing) -> 1 of 4 -> 25
    assert sc.loc["r3", "M"] == pytest.approx(25.0)
    # category F (threshold 3 on the 1-4 scale): r4 F1 3, F2 2 -> 50; r3 2, 1 -> 0
    assert sc.loc["r4", "F"] == pytest.approx(50.0)
    assert sc.loc["r3", "F"] == pytest.approx(0.0)


def test_other_band_set_by_name():
    df = small_frame()
    df["N2"] = [4, 4, 4, 4]
    s = score_survey(df, make_instrument(), groups=["org"], band_sets=["vugt"])
    n2 = item(s, "N2")
    assert n2["band"] == "fidelity" and n2["band:vugt"] == "moderate"  # 4.0 exactly
    assert s.spss_table("en").loc["N2", "Band:vugt"] == "moderate"
    with pytest.raises(KeyError, match="nope"):
        score_survey(df, make_instrument(), groups=["org"], band_sets=["nope"])


def test_group_statistics_and_tables():
    s = score_survey(small_frame(), make_instrument(), groups=["org"])
    gs = s.group_stats
    a = gs[(gs.grouping == "org") & (gs.group == "A") & (gs.variable == "L1")].iloc[0]
    assert (a["n"], a["mean"], a["sd"]) == (2, 4.5, pytest.approx(math.sqrt(0.5)))
    assert bool(a["meets_threshold"]) and a["band"] == "fidelity"
    b = gs[(gs.grouping == "org") & (gs.group == "B") & (gs.variable == "F1")].iloc[0]
    assert b["mean"] == 2.5 and not bool(b["meets_threshold"])  # F1: 2, 3 vs threshold 3.0
    assert pd.isna(b["band"])  # the 1-5 band set does not apply to a 1-4 item
    tot = gs[(gs.grouping == "Total") & (gs.variable == "L1")].iloc[0]
    assert tot["n"] == 4 and tot["mean"] == 4.0
    wide = s.group_table("org", "item")
    assert wide.loc["L1", ("A", "M; SD")] == "M = 4.50; SD = 0.71"
    assert wide.loc["L1", ("Total", "N")] == 4
    nl = s.group_table("org", "principle", lang="nl", decimals=1)
    assert nl.loc["L", ("Totaal", "N")] == 4
    assert "; SD = " in nl.loc["L", ("A", "M; SD")] and "," in nl.loc["L", ("A", "M; SD")]
    with pytest.raises(KeyError, match="team"):
        s.group_table("team")


def test_spss_table_and_apa_in_two_languages():
    s = score_survey(small_frame(), make_instrument(), groups=["org"])
    en = s.spss_table("en")
    assert en.loc["L1", "Mean"] == "4.00" and en.loc["L1", "Std. Deviation"] == ".816"
    assert en.loc["F1", "Threshold"] == "3.00" and en.loc["L2", "Threshold met"] == "no"
    assert en.loc["N1", "Non-substantive"] == 1
    nl = s.spss_table("nl")
    assert nl.loc["L1", "Gemiddelde"] == "4,00" and nl.loc["L2", "Drempel gehaald"] == "nee"
    cat = s.spss_table("en", level="category")
    assert list(cat.index) == ["M", "F"]
    # 7 items; meeting: L1 4.0, N1 4.67, F1 3.0 -> 3 (N2 3.75, L2 3.33, L3 3.25, F2 2.75 not)
    assert s.apa() == (
        "Of the 7 items with a fidelity threshold, 3 met it; item means ranged from 2.75 to 4.67 "
        "(N = 4 respondents)."
    )
    assert s.apa("nl").startswith("Van de 7 items met een drempel voor modelgetrouwheid haalden 3")
    with pytest.raises(ValueError, match="lang"):
        s.apa("de")


# ---------------------------------------------------------------------------------------------
# exclusion
# ---------------------------------------------------------------------------------------------
def test_exclusion_rule_records_which_for_whom_why_and_how_many():
    df = small_frame()
    df["team"] = ["T1", "NPT", "NPT", "T1"]
    rule = {"items": ["L1", "L2"], "where": {"team": "NPT"}, "reason": "other variant"}
    s = score_survey(df, make_instrument(), groups=["org"], exclude=rule)
    ex = s.exclusions.set_index("item")
    assert ex.loc["L1", "n_respondents"] == 2 and ex.loc["L1", "n_answers"] == 2
    assert ex.loc["L2", "n_answers"] == 1  # r3 had L2 missing already
    assert ex.loc["L1", "reason"] == "other variant" and ex.loc["L1", "where"] == "team = NPT"
    ea = s.excluded_answers
    assert set(zip(ea.respondent, ea.item, ea.answer, strict=True)) == {
        ("r2", "L1", 4.0),
        ("r3", "L1", 3.0),
        ("r2", "L2", 4.0),
    }
    l1 = item(s, "L1")
    assert (l1["n"], l1["n_excluded"], l1["mean"]) == (2, 2, 4.5)
    assert s.apa().endswith("3 answers were excluded.")
    # the team column is not an item column and the input frame is untouched
    assert df.loc[1, "L1"] == 4


def test_exclusion_by_respondent_list_and_reverse_item_records_given_answer():
    rule = {"items": ["L3"], "respondents": ["r1"], "reason": "misread"}
    s = score_survey(small_frame(), make_instrument(), groups=["org"], exclude=[rule])
    assert s.excluded_answers.loc[0, "answer"] == 1.0  # as given, not recoded
    assert item(s, "L3")["n"] == 3


def test_exclusion_rule_values_must_exist_in_the_data():
    df = small_frame()
    df["team"] = ["T1", "NPT", "NPT", "T1"]
    rules = [
        {"items": ["L1"], "where": {"team": "NTP"}, "reason": "typo in the team"},
        {"items": ["L2"], "respondents": ["r9"], "reason": "unknown respondent"},
    ]
    with pytest.raises(DataValidationError) as info:
        score_survey(df, make_instrument(), groups=["org"], exclude=rules)
    probs = {(p.row, p.column): p for p in info.value.problems}
    assert probs[(None, "team")].value == "NTP" and "'NPT'" in probs[(None, "team")].expected
    assert probs[("r9", "respondent")].value == "r9"


@pytest.mark.parametrize(
    "rule, message",
    [
        ({"items": ["L1"], "where": {"org": "A"}}, "reason"),
        ({"items": [], "where": {"org": "A"}, "reason": "x"}, "item codes"),
        ({"items": ["L1"], "reason": "x"}, "where"),
        ({"items": ["ZZ"], "where": {"org": "A"}, "reason": "x"}, "ZZ"),
        ({"items": ["L1"], "where": {"org": "A"}, "reason": "x", "when": 1}, "when"),
    ],
)
def test_bad_exclusion_rules(rule, message):
    with pytest.raises(ValueError, match=message):
        score_survey(small_frame(), make_instrument(), groups=["org"], exclude=rule)


# ---------------------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------------------
def test_every_problem_is_collected_and_named():
    df = small_frame().astype({"L1": object, "L2": object, "N2": float})
    df.loc[1, "L1"] = "3,5"  # decimal comma
    df.loc[2, "L1"] = "often"  # text
    df.loc[0, "L2"] = 6  # outside the scale
    df.loc[3, "F1"] = 5  # 5 is valid on 1-5 but not on the item's own 1-4 scale
    df.loc[0, "N2"] = 3.5  # not a code
    df.loc[3, "respondent"] = "r1"  # duplicated id
    df.loc[2, "org"] = None  # missing group value
    df["LD_3"] = 1  # unknown item column
    df = df.drop(columns=["F2"])  # required item missing
    with pytest.raises(DataValidationError) as info:
        score_survey(df, make_instrument(), groups=["org"])
    probs = {(p.row, p.column): p for p in info.value.problems}
    assert len(info.value.problems) == 9
    assert probs[("r2", "L1")].value == "3,5" and "decimal comma" in probs[("r2", "L1")].expected
    assert probs[("r3", "L1")].value == "often"
    assert "one of its labels (n1, n2, n3, n4, n5)" in probs[("r3", "L1")].expected
    assert probs[("r1", "L2")].value == 6 and "(1, 2, 3, 4, 5)" in probs[("r1", "L2")].expected
    assert "'weet niet'" not in probs[("r1", "L2")].expected  # codes, not labels
    assert "9, 'n.v.t.'" in probs[("r1", "L2")].expected
    # row 3 now has the duplicated id r1
    assert probs[("r1", "F1")].value == 5 and "scale 's4' (1, 2, 3, 4)" in probs[("r1", "F1")].expected
    assert probs[("r1", "N2")].value == 3.5
    assert "unique" in probs[("r1", "respondent")].expected
    assert probs[("r3", "org")].value is None
    assert probs[(None, "LD_3")].value == "unknown column"
    assert "did you mean" in probs[(None, "LD_3")].expected
    assert probs[(None, "F2")].value == "missing column"
    text = str(info.value)
    assert "row 'r2', column 'L1': got '3,5'" in text
    for p in info.value.problems:  # every message names the item/column, respondent and value
        line = p.describe()
        assert repr(p.column) in line and repr(p.value) in line
        assert p.row is None or repr(p.row) in line
        assert line in text


def test_missing_respondent_and_group_columns_and_missing_ids():
    df = small_frame()
    with pytest.raises(DataValidationError) as info:
        score_survey(df.drop(columns=["respondent"]), make_instrument(), groups=["org", "team"])
    cols = {p.column for p in info.value.problems}
    assert {"respondent", "team"} <= cols
    df2 = small_frame()
    df2.loc[1, "respondent"] = None
    with pytest.raises(DataValidationError, match="position 1"):
        score_survey(df2, make_instrument(), groups=["org"])


def test_duplicated_column_names():
    df = pd.concat([small_frame(), small_frame()[["L1"]]], axis=1)
    with pytest.raises(DataValidationError, match="column 'L1': got 'duplicated column'"):
        score_survey(df, make_instrument(), groups=["org"])


def test_numeric_strings_are_read_and_ignore_and_index_ids_work():
    df = small_frame().astype({"L1": str})
    df["remark"] = "x"
    s = score_survey(df.set_index("respondent"), make_instrument(), respondent=None,
                     groups=["org"], ignore=["remark"])
    assert item(s, "L1")["mean"] == pytest.approx(4.0)
    assert list(s.scores["respondent"]) == ["r1", "r2", "r3", "r4"]


def test_input_frame_is_not_modified_small():
    df = small_frame()
    before = df.copy(deep=True)
    score_survey(df, make_instrument(), groups=["org"],
                 exclude={"items": ["L1"], "where": {"org": "A"}, "reason": "x"})
    pd.testing.assert_frame_equal(df, before)


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------
ITEMS = ["L1", "L2", "L3", "N1", "N2", "F1", "F2"]


@st.composite
def surveys(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    data = {"respondent": [f"p{i}" for i in range(n)]}
    data["org"] = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=n, max_size=n))
    for code in ITEMS:
        top = 4 if code.startswith("F") else 5
        opts = [float(v) for v in range(1, top + 1)] + [np.nan]
        if top == 5:
            opts.append(9.0)
        data[code] = draw(st.lists(st.sampled_from(opts), min_size=n, max_size=n))
    return pd.DataFrame(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys())
def test_properties_against_pandas(df):
    copy = df.copy(deep=True)
    s = score_survey(df, make_instrument(), groups=["org"])
    # never changes its input
    pd.testing.assert_frame_equal(df, copy)
    recoded = df[ITEMS].where(df[ITEMS] != 9)
    recoded["L3"] = 6 - recoded["L3"]
    stats = s.item_stats.set_index("item")
    for code in ITEMS:
        exp_mean = recoded[code].mean()
        exp_sd = recoded[code].std()
        got_mean, got_sd = stats.loc[code, "mean"], stats.loc[code, "sd"]
        # item means equal pandas' mean() of the recoded column
        assert (np.isnan(got_mean) and np.isnan(exp_mean)) or got_mean == pytest.approx(exp_mean, abs=1e-12)
        assert (np.isnan(got_sd) and np.isnan(exp_sd)) or got_sd == pytest.approx(exp_sd, abs=1e-12)
        assert stats.loc[code, "n"] == recoded[code].count()
    # per-group means equal pandas groupby means
    gs = s.group_stats[s.group_stats.grouping == "org"]
    expected = recoded.groupby(df["org"]).mean()
    counts = recoded.groupby(df["org"]).count()
    for _, row in gs[gs.level == "item"].iterrows():
        e = expected.loc[row["group"], row["variable"]]
        assert (np.isnan(e) and np.isnan(row["mean"])) or row["mean"] == pytest.approx(e, abs=1e-12)
        assert row["n"] == counts.loc[row["group"], row["variable"]]
    # scale scores per group equal pandas groupby of the per-respondent scores
    sc = s.scores
    exp_scales = sc.groupby("org")[["M", "L"]].mean()
    for _, row in gs[gs.variable.isin(["M", "L"])].iterrows():
        e = exp_scales.loc[row["group"], row["variable"]]
        assert (np.isnan(e) and np.isnan(row["mean"])) or row["mean"] == pytest.approx(e, abs=1e-12)


# ---------------------------------------------------------------------------------------------
# definitions from the instrument: aliases, excluded items, items without threshold, exclusions
# ---------------------------------------------------------------------------------------------
def instrument_with_extras() -> Instrument:
    data = make_instrument().model_dump()
    for it in data["items"]:
        if it["code"] == "L1":
            it["aliases"] = ["LD1"]
        if it["code"] == "F2":
            it["no_threshold"] = "no threshold defined"
    data["items"].append(
        {"code": "X1", "text_nl": "dubbel", "category": "M", "excluded": "double-barrelled"}
    )
    data["exclusions"] = [
        {"id": "npt", "items": ["LD1", "N2"], "respondents": "team NPT", "group_column": "team",
         "groups": ["NPT"], "reason": "answered for another variant"}
    ]
    return Instrument.model_validate(data)


def test_alias_columns_excluded_items_and_items_without_threshold():
    df = small_frame().rename(columns={"L1": "LD1"})
    s = score_survey(df, instrument_with_extras(), groups=["org"])
    assert "L1" in s.item_codes and item(s, "L1")["mean"] == pytest.approx(4.0)
    assert "X1" not in s.item_codes  # excluded item: not required, not scored
    assert s.excluded_items.to_dict("records") == [
        {"item": "X1", "reason": "double-barrelled", "in_data": False}
    ]
    f2 = item(s, "F2")
    assert math.isnan(f2["threshold"]) and pd.isna(f2["meets_threshold"])
    assert f2["no_threshold"] == "no threshold defined"
    # category F mixes an item with threshold 3 and one without: no scale threshold
    assert math.isnan(s.scale_stats.set_index("variable").loc["F", "threshold"])
    # instrument exclusion not applied: no 'team' column; recorded as such
    ex = s.exclusions
    assert list(ex["applied"]) == [False, False] and "not in the data" in ex.loc[0, "where"]
    # both the code and an alias as columns is a problem
    with pytest.raises(DataValidationError, match="also in column 'LD1'"):
        score_survey(df.assign(L1=df["LD1"]), instrument_with_extras(), groups=["org"])


def test_instrument_exclusion_applied_when_its_group_column_is_present():
    df = small_frame()
    df["team"] = ["NPT", "T2", "NPT", "T2"]
    s = score_survey(df, instrument_with_extras(), groups=["org", "team"])
    ex = s.exclusions.set_index("item")
    assert ex.loc["L1", "rule"] == "instrument:npt"
    assert (ex.loc["L1", "n_answers"], ex.loc["N2", "n_answers"]) == (2, 2)
    assert item(s, "L1")["n"] == 2 and item(s, "N2")["n_excluded"] == 2
    s_off = score_survey(df, instrument_with_extras(), groups=["org", "team"],
                         apply_instrument_exclusions=False)
    assert item(s_off, "L1")["n"] == 4 and s_off.exclusions.empty


def test_percent_met_ignores_items_without_threshold():
    data = instrument_with_extras().model_dump()
    data["scoring"]["method"] = "percent_met"
    s = score_survey(small_frame(), Instrument.model_validate(data), groups=["org"])
    st_ = s.scale_stats.set_index("variable")
    assert st_.loc["F", "items"] == "F1" and st_.loc["F", "n_items"] == 1
    assert list(s.scores["F"]) == [100.0, 100.0, 0.0, 100.0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys(), st.sampled_from([0.3, 0.5, 1.0]))
def test_scale_scores_equal_pandas_row_means(df, frac):
    s = score_survey(df, make_instrument(frac=frac), groups=["org"])
    recoded = df[ITEMS].where(df[ITEMS] != 9)
    recoded["L3"] = 6 - recoded["L3"]
    for scale, items in {"L": ["L1", "L2", "L3"], "N": ["N1", "N2"],
                         "M": ["L1", "L2", "L3", "N1", "N2"], "F": ["F1", "F2"]}.items():
        need = max(1, math.ceil(frac * len(items) - 1e-9))
        expected = recoded[items].mean(axis=1).where(recoded[items].count(axis=1) >= need)
        got = s.scores[scale]
        assert np.allclose(got, expected, equal_nan=True, rtol=0, atol=1e-12)


def test_instrument_may_be_given_by_id():
    import fidelity

    survey = fidelity.simulate_survey(fidelity.get_instrument("reset"), seed=3)
    by_id = score_survey(survey, "reset", groups=["organisation"])
    by_object = score_survey(survey, fidelity.get_instrument("reset"), groups=["organisation"])
    pd.testing.assert_frame_equal(by_id.table, by_object.table)


def test_absent_items_are_an_error_or_skipped_and_listed():
    import fidelity

    survey = fidelity.simulate_survey(fidelity.get_instrument("reset"), seed=3)
    partial = survey[["respondent", "organisation", "LD3", "LD4", "LD5", "NWG1", "NWG2"]]
    with pytest.raises(DataValidationError) as err:
        score_survey(partial, "reset", groups=["organisation"])
    missing = {p.column for p in err.value.problems if p.value == "missing column"}
    assert "NWG3" in missing and "LD3" not in missing
    res = score_survey(partial, "reset", groups=["organisation"], missing_items="skip")
    assert list(res.table["item"]) == ["LD3", "LD4", "LD5", "NWG1", "NWG2"]
    assert "NWG3" in res.absent_items and "LD3" not in res.absent_items
    reset = fidelity.get_instrument("reset")
    assert len(res.absent_items) == sum(it.excluded is None for it in reset.items) - 5
    # the principle score of NWG uses the two items present: the respondents' row means
    expected = partial[["NWG1", "NWG2"]].mean(axis=1).to_numpy()
    np.testing.assert_allclose(res.scores["NWG"].to_numpy(), expected)
