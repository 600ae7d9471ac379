"""The SYNTHETIC Buitenshuis data reproduce the published counts of seed 000."""

from __future__ import annotations

import pandas as pd
import pytest

import outcomes
from zorgeval.synthetic import load_bundled, make_buitenshuis
from zorgeval.synthetic.buitenshuis import RESPONSE, SATISFACTION


@pytest.fixture(scope="module")
def data():
    return make_buitenshuis()


def test_families_children_and_background(data):
    m, f = data["measurements"], data["families"]
    kids = m[m["role"] == "child"].drop_duplicates("person")
    assert len(f) == 48 and len(kids) == 92
    assert kids["sex"].value_counts().to_dict() == {"boy": 53, "girl": 39}
    t0 = m[(m["role"] == "child") & (m["wave"] == "T0")]
    bands = pd.cut(t0["age"], [0, 2, 8, 12, 18], right=False).value_counts(sort=False).tolist()
    assert bands == [20, 39, 26, 7]
    assert f["n_children"].value_counts().sort_index().tolist()[:3] == [23, 12, 9]
    assert f["financial_strain"].value_counts().to_dict() == {"yes": 25, "no": 19, "unknown": 4}
    assert m.loc[m["role"] == "parent", "person"].nunique() == 80
    assert m.attrs["synthetic"] is True


def test_scored_measurements_per_wave_are_the_published_n(data):
    m = data["measurements"]
    waves = outcomes.validate_waves(m)
    for (iid, scale), counts in RESPONSE.items():
        inst = outcomes.get_outcome_instrument(iid)
        rows = m["role"] == inst.respondent
        res = outcomes.outcome_by_wave(waves.subset(rows), outcomes.score_outcomes(m[rows], iid),
                                       scale)
        assert res.table["n"].tolist() == counts, (iid, scale)


def test_satisfaction_response_is_table_5(data):
    m = data["measurements"]
    for form_id, counts in SATISFACTION.items():
        form = outcomes.get_satisfaction_form(form_id)
        res = outcomes.satisfaction_by_wave(m[m["role"] == form.respondent], form,
                                            waves=["T1", "T2", "T3", "T4"])
        assert res.grades["n"].tolist() == counts
    parents = m[(m["role"] == "parent") & m["grade"].notna()]
    assert not parents.duplicated(["family", "wave"]).any()  # one parent per family
    kids = m[(m["role"] == "child") & m["grade"].notna()]
    assert (kids["age"] >= 8).all()


def test_bundled_copy_is_the_default_draw(data):
    bundled = load_bundled("buitenshuis")
    assert len(bundled["measurements"]) == len(data["measurements"])
    pd.testing.assert_frame_equal(bundled["families"], data["families"], check_dtype=False)


def test_seed_changes_the_draw_not_the_counts():
    a, b = make_buitenshuis(seed=1)["measurements"], make_buitenshuis(seed=2)["measurements"]
    assert not a["pedsql_1"].equals(b["pedsql_1"])
    assert a.loc[a["role"] == "child", "person"].nunique() == 92
