"""Thresholds and bands are decided on exact means, so row and item order never change a verdict.

Reference values are exact fractions worked out by hand (sums of codes over N); the float mean
of the same data is 3.9999999999999996 in some orders, which a float comparison judges below 4.0.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fidelity import get_instrument
from fidelity.instrument import Band, BandSet, Instrument, Threshold, exact
from fidelity.scoring import score_survey

CODES5 = [{"value": v, "nl": f"n{v}", "en": f"e{v}"} for v in range(1, 6)]
ITEMS = ["A1", "A2", "A3"]  # A3 reverse-keyed


def make_instrument() -> Instrument:
    """Three items of category A on 1-5 (A3 reverse-keyed), threshold 4.0, ReSet's two band sets."""
    reset = get_instrument("reset")
    return Instrument.model_validate(
        {
            "id": "edges",
            "name": "Edges",
            "default_scale": "s5",
            "threshold": {"value": 4.0},
            "scales": [{"id": "s5", "codes": CODES5}],
            "band_sets": [reset.band_set_for(None, b).model_dump() for b in ("fidelity", "vugt2015")],
            "default_band_set": "fidelity",
            "categories": [{"id": "A", "nl": "A"}],
            "items": [
                {"code": "A1", "text_nl": "a1", "category": "A"},
                {"code": "A2", "text_nl": "a2", "category": "A"},
                {"code": "A3", "text_nl": "a3", "category": "A", "reverse": True},
            ],
        }
    )


def frame(scored: list[list[float]], groups: list[str] | None = None) -> pd.DataFrame:
    """A survey from the scored answers (after reverse keying): A3 is written as given, 6 - x."""
    x = np.array(scored, dtype=float)
    out = pd.DataFrame({"respondent": [f"r{i}" for i in range(len(x))],
                        "A1": x[:, 0], "A2": x[:, 1], "A3": 6 - x[:, 2]})
    if groups is not None:
        out["org"] = groups
    return out


def verdicts(s) -> dict:
    """Every decision of a scored survey, keyed so that row and column order do not matter."""
    out = {}
    for _, r in s.item_stats.iterrows():
        out[("item", r["item"])] = (r["meets_threshold"], r["band"], r["band:vugt2015"])
    for _, r in s.scale_stats.iterrows():
        out[("scale", r["variable"])] = (r["meets_threshold"], r["band"], r["band:vugt2015"])
    for _, r in s.group_stats.iterrows():
        out[("group", r["grouping"], r["group"], r["variable"])] = (r["meets_threshold"], r["band"])
    return out


# ---------------------------------------------------------------------------------------------
# exact comparisons of the rule objects
# ---------------------------------------------------------------------------------------------
def test_exact_reads_floats_by_their_decimal_form():
    assert exact(3.6) == Fraction(18, 5)
    assert exact(4.1) == Fraction(41, 10)
    assert exact(Fraction(1, 3)) == Fraction(1, 3)
    assert Fraction(3.6) != Fraction(18, 5)  # why: the binary float is not 3.6


@pytest.mark.parametrize(
    ("mean", "wolf", "vugt"),
    [
        (Fraction(4), "fidelity", "moderate"),
        (Fraction(4) - Fraction(1, 10**12), "below", "moderate"),
        (Fraction(4) + Fraction(1, 10**12), "fidelity", "gap"),
        (Fraction(18, 5), "below", "moderate"),
        (Fraction(18, 5) - Fraction(1, 10**12), "below", "low"),
        (Fraction(41, 10), "fidelity", "high"),
        (Fraction(41, 10) - Fraction(1, 10**12), "fidelity", "gap"),
    ],
)
def test_reset_band_sets_at_and_around_their_edges(mean, wolf, vugt):
    reset = get_instrument("reset")
    assert reset.band(mean) == wolf
    assert reset.band(mean, band_set="vugt2015") == vugt
    assert reset.meets_threshold(mean) is (wolf == "fidelity")


def test_threshold_and_band_edges_given_as_decimals():
    t36 = Threshold(value=3.6)
    assert t36.met(Fraction(18, 5)) and t36.met(3.6)
    assert not t36.met(Fraction(18, 5) - Fraction(1, 10**15))
    assert not Threshold(value=3.6, inclusive=False).met(Fraction(18, 5))
    assert Threshold(value=4.1).met(Fraction(41, 10))
    assert (Threshold(value=3.6).min_code(), Threshold(value=4.0).min_code()) == (4, 4)
    assert Threshold(value=4.0, inclusive=False).min_code() == 5
    band = Band(label="m", lower=3.6, upper=4.1)
    assert band.contains(Fraction(18, 5)) and not band.contains(Fraction(41, 10))
    bs = BandSet(id="b", bands=[{"label": "lo", "upper": 4.1}, {"label": "hi", "lower": 4.1}])
    assert bs.classify(Fraction(41, 10)) == "hi"
    assert bs.classify(Fraction(41, 10) - Fraction(1, 10**15)) == "lo"


# ---------------------------------------------------------------------------------------------
# scored surveys at the edges
# ---------------------------------------------------------------------------------------------
def test_scale_mean_of_exactly_4_in_an_order_where_floats_give_less():
    # respondents' item sums 13, 15, 8 over three items: scale scores 13/3, 5, 8/3, mean 4 exactly
    rows = [[5, 4, 4], [5, 5, 5], [3, 3, 2]]
    s = score_survey(frame(rows), make_instrument(), band_sets=["vugt2015"])
    float_mean = (13 / 3 + 15 / 3 + 8 / 3) / 3
    assert float_mean < 4.0  # the float mean a naive comparison would use
    row = s.scale_stats.set_index("variable").loc["A"]
    assert row["mean"] == pytest.approx(4.0, abs=1e-12)
    assert bool(row["meets_threshold"]) and row["band"] == "fidelity"
    assert row["band:vugt2015"] == "moderate"
    total = s.group_stats.query("grouping == 'Total' and variable == 'A'").iloc[0]
    assert bool(total["meets_threshold"]) and total["band"] == "fidelity"


def test_item_means_at_36_and_41_and_just_below():
    # A1: 18/5 = 3.6; A2: 41/10 = 4.1 over ten respondents; A3 (reverse): 39/10 = 3.9
    a1 = [4, 4, 4, 3, 3, 4, 4, 4, 3, 3]
    a2 = [5, 4, 4, 4, 4, 4, 4, 4, 4, 4]
    a3 = [4, 4, 4, 4, 4, 4, 4, 4, 4, 3]
    s = score_survey(frame(list(map(list, zip(a1, a2, a3, strict=True)))), make_instrument(),
                     band_sets=["vugt2015"])
    st_ = s.item_stats.set_index("item")
    assert st_.loc["A1", "band:vugt2015"] == "moderate" and not st_.loc["A1", "meets_threshold"]
    assert st_.loc["A2", "band:vugt2015"] == "high" and st_.loc["A2", "meets_threshold"]
    assert st_.loc["A3", "band:vugt2015"] == "moderate"
    assert st_.loc["A3", "band"] == "below"


def test_scale_mean_with_different_numbers_of_answered_items():
    # scores 10/3, 14/3 (three items) and 4 (two items answered): mean exactly 4
    rows = [[3, 3, 4], [5, 5, 4], [4, 4, np.nan]]
    s = score_survey(frame(rows), make_instrument(), band_sets=["vugt2015"])
    row = s.scale_stats.set_index("variable").loc["A"]
    assert bool(row["meets_threshold"]) and row["band:vugt2015"] == "moderate"


def test_percent_met_counts_whole_codes_against_a_decimal_threshold():
    data = make_instrument().model_dump()
    data["scoring"] = {"method": "percent_met"}
    data["threshold"] = {"value": 3.6}
    inst = Instrument.model_validate(data)
    s = score_survey(frame([[4, 3, 5]]), inst)
    assert s.scores.loc[0, "A"] == pytest.approx(200 / 3, abs=1e-12)  # 4 and 5 meet 3.6, 3 not


# ---------------------------------------------------------------------------------------------
# property: permuting rows and item columns never changes a verdict
# ---------------------------------------------------------------------------------------------
TARGETS = [Fraction(4), Fraction(18, 5), Fraction(41, 10)]


def _block(draw, target: Fraction, n: int) -> list[list[float]]:
    """n respondents answering all three items with a total of exactly 3 * n * target, plus a
    respondent answering two items with a score of exactly ``target`` when that is possible."""
    total = 3 * n * target
    cells = draw(st.lists(st.integers(1, 5), min_size=3 * n, max_size=3 * n))
    gap = int(total) - sum(cells)
    i = 0
    while gap:  # move cells one step towards the total; always possible as 3n <= total <= 15n
        step = 1 if gap > 0 else -1
        if 1 <= cells[i] + step <= 5:
            cells[i] += step
            gap -= step
        i = (i + 1) % len(cells)
    rows = [cells[3 * r: 3 * r + 3] for r in range(n)]
    if (2 * target).denominator == 1 and draw(st.booleans()):
        two = int(2 * target)
        first = draw(st.integers(max(1, two - 5), min(5, two - 1)))
        rows.append([first, two - first, np.nan])
    return rows


@st.composite
def edge_surveys(draw):
    target = draw(st.sampled_from(TARGETS))
    unit = (3 * target).denominator  # n must make 3 * n * target a whole number
    rows, groups = [], []
    for g in ("A", "B"):
        block = _block(draw, target, unit * draw(st.integers(1, 4)))
        rows += block
        groups += [g] * len(block)
    df = frame(rows, groups)
    row_order = draw(st.permutations(range(len(df))))
    col_order = draw(st.permutations(["A1", "A2", "A3"]))
    return target, df, row_order, col_order


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edge_surveys())
def test_verdicts_do_not_depend_on_row_or_item_order(case):
    target, df, row_order, col_order = case
    inst = make_instrument()
    base = score_survey(df, inst, groups=["org"], band_sets=["vugt2015"])
    shuffled = df.iloc[list(row_order)][["respondent", "org", *col_order]].reset_index(drop=True)
    again = score_survey(shuffled, inst, groups=["org"], band_sets=["vugt2015"])
    assert verdicts(base) == verdicts(again)
    # the scale means (overall and per group) are the target exactly: their verdicts are known
    expect_met = target >= 4
    expect_wolf = "fidelity" if expect_met else "below"
    expect_vugt = {Fraction(4): "moderate", Fraction(18, 5): "moderate", Fraction(41, 10): "high"}
    row = base.scale_stats.set_index("variable").loc["A"]
    assert (bool(row["meets_threshold"]), row["band"], row["band:vugt2015"]) == (
        expect_met, expect_wolf, expect_vugt[target])
    groups = base.group_stats.query("variable == 'A'")
    assert groups["meets_threshold"].tolist() == [expect_met] * 3
    assert groups["band"].tolist() == [expect_wolf] * 3
