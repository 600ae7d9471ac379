"""Family types (003: 2425-2460), their collapses, and teen / young mothers (footnotes 65, 67)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from profiles import classify_family_type, classify_young_mother, get_rule, validate_registration
from profiles.family import _possible_types

START = "2015-06-01"
COLS = ["family", "member", "role", "sex", "biological", "date_of_birth", "sibling_group"]


def roster(rows, separating="nee"):
    fams = sorted({r[0] for r in rows})
    sep = separating if isinstance(separating, dict) else dict.fromkeys(fams, separating)
    fam = pd.DataFrame({"family": fams, "start_date": START, "separating": [sep[f] for f in fams]})
    return validate_registration(pd.DataFrame(rows, columns=COLS), fam)


def mk(parents, children, separating="nee"):
    """parents: list of (sex, biological); children: list of (dob, sibling_group)."""
    rows = [["g", f"P{i}", "parent", s, b, "1980-01-01", None] for i, (s, b) in enumerate(parents)]
    rows += [["g", f"K{i}", "child", "f", None, d, g] for i, (d, g) in enumerate(children)]
    return roster(rows, separating)


KID = ("2010-01-01", "a")
ADULT = ("1990-01-01", "a")  # 25 at the start


@pytest.mark.parametrize(
    ("parents", "children", "separating", "expected", "four"),
    [
        ([("f", "ja"), ("m", "ja")], [KID], "nee", "traditional", "traditional"),
        ([("f", "ja")], [KID, ("2012-01-01", "a")], "nee", "single_parent", "single_parent"),
        ([("f", "ja")], [KID, ("2012-01-01", "b")], "nee", "blended_single_parent", "single_parent"),
        ([("f", "ja"), ("m", "nee")], [KID], "nee", "blended", "blended"),
        ([("f", "ja"), ("m", "nee")], [KID], "ja", "blended_in_divorce", "in_divorce"),
        ([("f", "ja"), ("m", "ja")], [KID], "ja", "in_divorce", "in_divorce"),
        # no child of 18 or younger: none of the six types
        ([("f", "ja"), ("m", "ja")], [ADULT], "nee", "other", "other"),
        # a non-biological single carer is none of the six types
        ([("f", "nee")], [KID], "nee", "other", "other"),
        # unknown separation: traditional or in divorce
        ([("f", "ja"), ("m", "ja")], [KID], "onbekend", "undetermined", "undetermined"),
        # unknown sibling groups: single-parent either way after collapsing
        ([("f", "ja")], [KID, ("2012-01-01", None)], "nee", "undetermined", "single_parent"),
        # unknown biological status of the second parent: traditional or blended
        ([("f", "ja"), ("m", "onbekend")], [KID], "nee", "undetermined", "undetermined"),
        # one child without date of birth next to a known minor child: still a minor child
        ([("f", "ja"), ("m", "ja")], [KID, (None, "a")], "nee", "traditional", "traditional"),
        # only child without date of birth: minor or not unknown
        ([("f", "ja"), ("m", "ja")], [(None, "a")], "nee", "undetermined", "undetermined"),
    ],
)
def test_family_types(parents, children, separating, expected, four):
    r = classify_family_type(mk(parents, children, separating))
    assert r.family_type.iloc[0] == expected
    assert r.collapsed("four_types").iloc[0] == four


def test_child_of_exactly_eighteen_counts_and_nineteen_does_not():
    assert classify_family_type(mk([("f", "ja")], [("1997-06-01", "a")])).family_type.iloc[0] == "single_parent"
    assert classify_family_type(mk([("f", "ja")], [("1996-05-31", "a")])).family_type.iloc[0] == "other"


def test_candidates_and_overlapping_collapse():
    r = classify_family_type(mk([("f", "ja"), ("m", "onbekend")], [KID], "nee"))
    assert r.table["candidates"].iloc[0] == "traditional, blended"
    assert r.collapsed("blended_any").iloc[0] == "undetermined"
    assert r.collapsed("broken_family").iloc[0] == "undetermined"
    r = classify_family_type(mk([("f", "ja")], [KID, ("2012-01-01", None)]))
    assert r.collapsed("blended_any").iloc[0] == "undetermined"
    assert r.collapsed("broken_family").iloc[0] == "yes"
    with pytest.raises(KeyError, match="four_types"):
        r.collapsed("five_types")


def test_family_type_reports():
    r = classify_family_type(mk([("f", "ja"), ("m", "ja")], [KID]))
    t = r.spss_table("nl")
    assert t.loc["Traditioneel gezin", "Frequentie"] == 1
    assert "traditional family 1 (100.0%)" in r.apa()


def mothers(mother_dob, child_dobs, sex="f", bio="ja"):
    rows = [["g", "M", "parent", sex, bio, mother_dob, None]]
    rows += [["g", f"K{i}", "child", "f", None, d, "a"] for i, d in enumerate(child_dobs)]
    return classify_young_mother(roster(rows)).iloc[0]


@pytest.mark.parametrize(
    ("mother", "children", "category", "young_or_teen"),
    [
        ("1990-01-01", ["2009-12-31"], "teen", "yes"),  # 19 at the birth
        ("1990-01-01", ["2010-01-01"], "young", "yes"),  # 20th birthday: young
        ("1990-01-01", ["2013-12-31"], "young", "yes"),  # 23
        ("1990-01-01", ["2014-01-01"], "neither", "no"),  # 24
        ("1990-01-01", ["2014-06-01", "2009-06-01"], "teen", "yes"),  # the oldest child decides
        # footnote 65: first child's date unknown, below 24 at a later birth
        ("1990-01-01", ["2012-06-01", None], "undetermined", "yes"),
        # a later birth before 20 already decides 'teen'
        ("1990-01-01", ["2009-06-01", None], "teen", "yes"),
        ("1990-01-01", ["2015-01-01", None], "undetermined", "unknown"),
        (None, ["2015-01-01"], "undetermined", "unknown"),
    ],
)
def test_young_mother(mother, children, category, young_or_teen):
    row = mothers(mother, children)
    assert (row["category"], row["young_or_teen"]) == (category, young_or_teen)


def test_mother_must_be_known_biological():
    row = mothers("1990-01-01", ["2009-01-01"], bio="onbekend")
    assert row["category"] == "undetermined" and "biological mother" in row["reason"]

TRI = st.sampled_from(["yes", "no", "unknown"])


@given(st.integers(0, 3), TRI, TRI, TRI, TRI, TRI, st.data())
def test_knowing_more_never_overturns_a_determined_family_type(parents, allb, anyb, sep, sib, minor, data):
    body = get_rule("family_type_reset").definition
    feats = {"parents": parents, "all_parents_biological": allb, "any_parent_biological": anyb,
             "separating": sep, "several_sibling_groups": sib, "minor_child": minor}
    before = _possible_types(body, feats)
    unknown = [k for k, v in feats.items() if v == "unknown"]
    if not unknown:
        assert len(before) == 1
        return
    k = data.draw(st.sampled_from(unknown))
    after = _possible_types(body, feats | {k: data.draw(st.sampled_from(["yes", "no"]))})
    assert set(after) <= set(before)  # the candidates only shrink
    if len(before) == 1:
        assert after == before
