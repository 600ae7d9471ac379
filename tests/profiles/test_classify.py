"""Three-valued count rules: every unknown pattern of the multi-problem rule, brute force."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalstats.errors import DataValidationError
from profiles import classify_multiproblem, classify_risk_family
from profiles.classify import combine_target_group, decide_count
from profiles.definitions import get_rule

DOMAINS = get_rule("multiproblem_bodden_dekovic").definition.indicator_ids


def brute_force(pattern: tuple[str, ...], threshold: int) -> str:
    """Could the unknowns change the answer? Try every way of filling them in."""
    unknown = [i for i, v in enumerate(pattern) if v == "unknown"]
    answers = set()
    for fill in itertools.product(("yes", "no"), repeat=len(unknown)):
        full = list(pattern)
        for i, v in zip(unknown, fill, strict=True):
            full[i] = v
        answers.add(sum(v == "yes" for v in full) >= threshold)
    if answers == {True}:
        return "yes"
    if answers == {False}:
        return "no"
    return "undetermined"


ALL_PATTERNS = list(itertools.product(("yes", "no", "unknown"), repeat=7))


def test_domains_are_the_seven_of_bodden_dekovic():
    assert DOMAINS == ["child", "parent", "parenting", "family_functioning", "context",
                       "social_network", "care_history"]
    assert get_rule("multiproblem_bodden_dekovic").definition.threshold == 6


def test_every_unknown_pattern_of_the_multiproblem_rule():
    frame = pd.DataFrame(ALL_PATTERNS, columns=DOMAINS)
    assert len(frame) == 3**7 == 2187
    result = classify_multiproblem(frame)
    expected = [brute_force(p, 6) for p in ALL_PATTERNS]
    assert result.classification.tolist() == expected
    t = result.table
    assert (t["n_yes"] + t["n_no"] + t["n_unknown"] == 7).all()
    assert set(t["rule"]) == {"multiproblem_bodden_dekovic"}
    # the deciding items are the yes items, the no items, or the unknown items
    for pattern, (_, row) in zip(ALL_PATTERNS, t.iterrows(), strict=True):
        state = {"yes": "yes", "no": "no", "undetermined": "unknown"}[row["result"]]
        assert row["deciding"].split(", ") == [d for d, v in zip(DOMAINS, pattern, strict=True) if v == state] or (
            row["deciding"] == "" and not any(v == state for v in pattern)
        )
    counts = result.counts()["n"]
    assert counts["total"] == 2187
    assert counts["yes"] == sum(e == "yes" for e in expected)


@pytest.mark.parametrize(
    ("yes", "no", "unknown", "expected"),
    [
        (5, 1, 1, "undetermined"),  # 5 yes + 1 unknown
        (6, 0, 1, "yes"),  # 6 yes + 1 unknown
        (1, 0, 6, "undetermined"),  # 1 yes + 6 unknown
        (2, 5, 0, "no"),  # 2 yes, 5 no
        (5, 2, 0, "no"),
        (0, 1, 6, "undetermined"),
        (0, 2, 5, "no"),
        (7, 0, 0, "yes"),
    ],
)
def test_documented_examples(yes, no, unknown, expected):
    fam = dict(zip(DOMAINS, ["ja"] * yes + ["nee"] * no + ["onbekend"] * unknown, strict=True))
    assert classify_multiproblem(fam).classification.iloc[0] == expected


tri = st.sampled_from(["yes", "no", "unknown"])


@given(st.lists(tri, min_size=7, max_size=7), st.integers(0, 6), st.sampled_from(["yes", "no"]))
def test_refining_an_unknown_never_overturns_a_decided_answer(pattern, pos, fill):
    before = decide_count(pattern.count("yes"), pattern.count("unknown"), 6)
    if pattern[pos] != "unknown":
        return
    after_pattern = list(pattern)
    after_pattern[pos] = fill
    after = decide_count(after_pattern.count("yes"), after_pattern.count("unknown"), 6)
    if before != "undetermined":
        assert after == before
    if fill == "yes":  # turning an unknown into yes never turns yes into no, nor no into yes
        assert not (before == "yes" and after == "no")
        assert {"no": 0, "undetermined": 1, "yes": 2}[after] >= {"no": 0, "undetermined": 1, "yes": 2}[before]


@given(st.lists(tri, min_size=1, max_size=9), st.integers(1, 9))
def test_closed_form_equals_brute_force_for_any_threshold(pattern, k):
    if k > len(pattern):
        return
    assert decide_count(pattern.count("yes"), pattern.count("unknown"), k) == brute_force(tuple(pattern), k)


def test_strict_mode_reproduces_the_dissertation_practice():
    fam = dict(zip(DOMAINS, ["ja"] * 6 + ["onbekend"], strict=True))
    assert classify_multiproblem(fam, strict=True).classification.iloc[0] == "undetermined"
    assert classify_multiproblem(fam).classification.iloc[0] == "yes"


def test_risk_family_lists_sixteen_rmo_indicators_over_four_domains():
    body = get_rule("risk_family_rmo").definition
    assert len(body.indicators) == 16 and body.threshold == 4
    per_domain = pd.Series([i.domain for i in body.indicators]).value_counts().to_dict()
    assert per_domain == {"ses": 4, "family_parenting": 5, "parent_health": 3, "child_health": 4}
    with_net = get_rule("risk_family_rmo_with_network").definition
    assert len(with_net.indicators) == 17
    assert set(with_net.indicator_ids) - set(body.indicator_ids) == {"no_supportive_network"}


def test_risk_family_three_valued_and_missing_columns():
    ids = get_rule("risk_family_rmo").definition.indicator_ids
    three = {i: "nee" for i in ids if i != "low_birth_weight"} | {
        "poverty": 1, "single_parenthood": 1, "domestic_violence": 1}
    with pytest.raises(DataValidationError) as err:
        classify_risk_family(three)
    assert [p.column for p in err.value.problems] == ["low_birth_weight"]
    r = classify_risk_family(three, missing="unknown")
    assert r.missing_indicators == ["low_birth_weight"]
    assert r.classification.iloc[0] == "undetermined"
    assert r.table["deciding"].iloc[0] == "low_birth_weight"
    three["parent_addiction"] = "ja"
    assert classify_risk_family(three, missing="unknown").classification.iloc[0] == "yes"


def test_invalid_codes_are_all_reported_with_row_column_value():
    frame = pd.DataFrame([["ja"] * 7, ["ja"] * 6 + ["misschien"], [2] + ["nee"] * 6],
                         columns=DOMAINS, index=["f1", "f2", "f3"])
    with pytest.raises(DataValidationError) as err:
        classify_multiproblem(frame)
    got = [(p.row, p.column, p.value) for p in err.value.problems]
    assert got == [("f3", "child", 2), ("f2", "care_history", "misschien")]


def test_input_frame_not_modified():
    frame = pd.DataFrame([["ja"] * 7], columns=DOMAINS)
    before = frame.copy()
    classify_multiproblem(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_target_group_combination():
    mp = pd.Series(["yes", "no", "undetermined", "undetermined"], index=list("abcd"))
    rk = pd.Series(["undetermined", "no", "no", "undetermined"], index=list("abcd"))
    out = combine_target_group(mp, rk)
    assert out["in_target_group"].tolist() == ["yes", "no", "undetermined", "undetermined"]


def test_report_formats():
    frame = pd.DataFrame([["ja"] * 7, ["nee"] * 7], columns=DOMAINS)
    r = classify_multiproblem(frame)
    assert r.spss_table("nl").loc["Ja", "Percentage"] == "50,0"
    assert "1 (50.0%)" in r.apa()
