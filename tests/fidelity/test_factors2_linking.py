"""Linking practitioner factor scores to cases: no case lost, duplicates refused."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalstats.errors import DataValidationError
from fidelity import link_to_cases


def _frames():
    cases = pd.DataFrame(
        {"case": [10, 11, 12, 13, 14, 15], "practitioner": ["p1", "p2", "p1", "p9", None, "p3"]},
        index=list("abcdef"),
    )
    scores = pd.DataFrame(
        {"F1": [1.0, 2.0, 3.0, 4.0], "F2": [-1.0, -2.0, -3.0, -4.0]},
        index=pd.Index(["p1", "p2", "p3", "p4"], name="respondent"),
    )
    answers = pd.DataFrame({"id": ["p3", "p1", "p2"], "LD1": [5, 4, 3], "LD2": [1, 2, 3]})
    return cases, scores, answers


def test_attach_scores_and_items_by_id():
    cases, scores, answers = _frames()
    before = (cases.copy(), scores.copy(), answers.copy())
    res = link_to_cases(cases, scores, answers=answers, answer_id="id", items=["LD1"], prefix="pr_")
    for a, b in zip((cases, scores, answers), before, strict=True):
        pd.testing.assert_frame_equal(a, b)
    d = res.data
    assert list(d.index) == list("abcdef")
    assert d["pr_F1"].tolist()[:3] == [1.0, 2.0, 1.0]
    assert d["pr_LD1"].tolist()[:3] == [4, 3, 4]
    assert np.isnan(d.loc["d", "pr_F1"]) and np.isnan(d.loc["e", "pr_F2"])
    assert d.loc["f", "pr_F2"] == -3.0 and d.loc["f", "pr_LD1"] == 5
    assert res.attached == ["pr_F1", "pr_F2", "pr_LD1"]
    assert (res.n_cases, res.n_linked, res.n_unlinked, res.n_no_practitioner) == (6, 4, 2, 1)
    assert res.unlinked_practitioners == ["p9"]
    assert res.unused_practitioners == ["p4"]
    assert list(res.unlinked_cases.index) == ["d", "e"]
    t = res.spss_table()
    assert t.loc["Linked", "N"] == "4" and t.loc["No practitioner id", "N"] == "1"
    assert "2 cases of 1 practitioner without a survey" in res.apa()
    assert res.apa("nl").startswith("Van 6 casussen zijn er 4 (66,7%)")
    tab = res.table
    assert tab.set_index("practitioner").loc["p1", "n_cases"] == 2
    assert tab["n_cases"].sum() == 6


def test_duplicate_practitioner_ids_raise_listing_all():
    cases, scores, _ = _frames()
    dup = pd.concat([scores, scores.iloc[[0, 1, 1]]])
    with pytest.raises(DataValidationError) as e:
        link_to_cases(cases, dup)
    assert {p.row for p in e.value.problems} == {"p1", "p2"}
    assert "one row per practitioner id" in str(e.value)


def test_score_id_column_and_result_object():
    cases, scores, _ = _frames()
    flat = scores.reset_index()

    class Fake:
        pass

    obj = Fake()
    obj.scores = scores
    a = link_to_cases(cases, flat, score_id="respondent", scores=["F2"])
    b = link_to_cases(cases, obj, scores=["F2"])
    pd.testing.assert_frame_equal(a.data, b.data)
    assert a.attached == ["F2"]


def test_name_clash_and_unknown_columns():
    cases, scores, _ = _frames()
    with pytest.raises(ValueError, match="already exist"):
        link_to_cases(cases.assign(F1=0), scores)
    with pytest.raises(KeyError, match="nope"):
        link_to_cases(cases, scores, case_practitioner="nope")
    with pytest.raises(KeyError, match="F9"):
        link_to_cases(cases, scores, scores=["F9"])


def test_type_mismatch_warns():
    cases = pd.DataFrame({"practitioner": [1, 2]})
    scores = pd.DataFrame({"F1": [0.1, 0.2]}, index=["1", "2"])
    with pytest.warns(UserWarning, match="no case was linked"):
        res = link_to_cases(cases, scores)
    assert res.n_unlinked == 2


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 8)), max_size=40),
    st.sets(st.integers(0, 10), max_size=8),
)
def test_no_row_lost(case_ids, survey_ids):
    cases = pd.DataFrame({"practitioner": pd.array(case_ids, dtype="Int64"),
                          "y": np.arange(len(case_ids))})
    ids = sorted(survey_ids)
    scores = pd.DataFrame({"F": [float(i) * 10 for i in ids]}, index=pd.Index(ids, dtype="Int64"))
    res = link_to_cases(cases, scores) if ids or not case_ids else None
    if res is None:
        return
    assert len(res.data) == len(cases)
    assert res.data["y"].tolist() == list(range(len(case_ids)))
    assert res.n_linked + res.n_unlinked == len(cases)
    expect = [c is not None and c in survey_ids for c in case_ids]
    assert res.linked.tolist() == expect
    for c, v in zip(case_ids, res.data["F"], strict=True):
        if c is not None and c in survey_ids:
            assert v == c * 10
        else:
            assert np.isnan(v)
