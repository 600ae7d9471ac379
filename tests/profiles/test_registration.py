"""Registration-list validation: every problem named by row, column and value."""

from __future__ import annotations

import pandas as pd
import pytest

from evalstats.errors import NOT_SHOWN, DataValidationError
from profiles import get_registration_list, validate_registration


def frames():
    fam = pd.DataFrame({"family": ["g1", "g2"], "start_date": ["2015-03-01", "2015-05-01"],
                        "separating": ["nee", None], "team": ["T1", "T2"]})
    mem = pd.DataFrame({
        "family": ["g1", "g1", "g2", "g2"],
        "member": ["M", "K1", "V", "K1"],
        "role": ["ouder", "kind", "parent", "child"],
        "sex": ["v", "jongen", "M", "meisje"],
        "biological": ["ja", None, 1, None],
        "date_of_birth": ["1985-03-20", "2013-01-10", "1980-01-01", "2010-02-02"],
        "addiction": ["ja", "nee", True, 0],
        "domestic_violence": ["onbekend", float("nan"), "j", "n"],
        "education": ["no_start_qualification", None, "hbo_university", None],
    })
    return mem, fam


def test_valid_frames_are_normalised_and_inputs_untouched():
    mem, fam = frames()
    before = (mem.copy(), fam.copy())
    reg = validate_registration(mem, fam)
    pd.testing.assert_frame_equal(mem, before[0])
    pd.testing.assert_frame_equal(fam, before[1])
    assert reg.members["role"].tolist() == ["parent", "child", "parent", "child"]
    assert reg.members["sex"].tolist() == ["f", "m", "m", "f"]
    assert reg.members["addiction"].tolist() == ["yes", "no", "yes", "no"]
    assert reg.members["domestic_violence"].tolist() == ["unknown", "unknown", "yes", "no"]
    assert reg.members["age_at_start"].tolist() == [30.0, 2.0, 35.0, 5.0]
    assert reg.families["separating"].tolist() == ["no", "unknown"]
    assert reg.families["team"].tolist() == ["T1", "T2"]  # passed through
    assert reg.family_any("addiction", role="child").tolist() == ["no", "no"]
    assert reg.family_any("domestic_violence").tolist() == ["unknown", "yes"]


def test_all_problems_collected():
    mem, fam = frames()
    mem.loc[1, "addiction"] = "misschien"
    mem.loc[2, "role"] = "oma"
    mem.loc[3, "date_of_birth"] = "2016-01-01"
    mem.loc[0, "education"] = "phd"
    mem.loc[3, "family"] = "g9"
    fam.loc[1, "start_date"] = "01-05-2015"
    with pytest.raises(DataValidationError) as err:
        validate_registration(mem, fam)
    got = {(p.row, p.column, p.value) for p in err.value.problems}
    assert got == {
        (1, "addiction", "misschien"),
        (2, "role", "oma"),
        (0, "education", "phd"),
        (3, "family", "g9"),
        (1, "start_date", NOT_SHOWN),  # a date is not shown in messages
    }
    frame = err.value.to_frame()
    assert list(frame.columns) == ["row", "column", "value", "expected"]


def test_birth_after_start_and_duplicates():
    mem, fam = frames()
    mem.loc[3, "date_of_birth"] = "2016-01-01"
    mem.loc[1, "member"] = "M"
    with pytest.raises(DataValidationError) as err:
        validate_registration(mem, fam)
    got = {(p.row, p.column) for p in err.value.problems}
    assert got == {(3, "date_of_birth"), (0, "member"), (1, "member")}


def test_missing_required_columns():
    mem, fam = frames()
    with pytest.raises(DataValidationError) as err:
        validate_registration(mem.drop(columns="role"), fam.drop(columns="start_date"))
    assert {p.column for p in err.value.problems} == {"role", "start_date"}


def test_appendix6_items_and_footnote48_risk_factors():
    defn = get_registration_list("reset_appendix6")
    assert "intellectual_disability" in defn.member_item_ids
    risk = [i for i in defn.member_items + defn.family_items if i.risk_factor]
    # footnote 48 names sixteen risk factors; suicidal behaviour was added (1670-1671);
    # teen motherhood and blended family are derived from the roster
    assert len(risk) == 15
    assert defn.form_profile.codes["care_avoiding"] == "Zorg mijdend"


def test_family_indicators_feed_the_multiproblem_rule():
    from profiles import classify_multiproblem

    mem, fam = frames()
    reg = validate_registration(mem, fam)
    mapping = {
        "child": ["child:addiction", "child:domestic_violence"],
        "parent": ["parent:addiction"],
        "parenting": ["parenting_support"],  # absent column for every member
        "family_functioning": ["separating"],  # a family item
        "context": ["parent:addiction"],
        "social_network": ["parent:addiction"],
        "care_history": ["parent:addiction"],
    }
    with pytest.raises(KeyError, match="parenting_support"):
        reg.family_indicators(mapping)
    mapping["parenting"] = ["parent:domestic_violence"]
    ind = reg.family_indicators(mapping)
    assert ind.loc["g1"].tolist() == ["unknown", "yes", "unknown", "no", "yes", "yes", "yes"]
    assert ind.loc["g2"].tolist() == ["no", "yes", "yes", "unknown", "yes", "yes", "yes"]
    res = classify_multiproblem(ind)
    assert res.classification.tolist() == ["undetermined", "undetermined"]
    assert res.table["deciding"].tolist() == ["child, parenting", "family_functioning"]
