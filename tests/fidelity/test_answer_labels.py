"""Answers by Dutch label, "niet van toepassing", column mappings (files too) for the built-in
instruments. The reference is the same survey given as numeric codes."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from evalstats.errors import DataValidationError
from fidelity import get_instrument
from fidelity.instrument import Instrument, ResponseScale, is_not_applicable
from fidelity.scoring import score_survey

DATA = {"reset": "reset_survey.csv", "np": "np_survey.csv"}
GROUPS = {"reset": ["organisation"], "np": ["location"]}


def bundled(name: str) -> pd.DataFrame:
    with resources.as_file(resources.files("fidelity") / "data" / DATA[name]) as f:
        return pd.read_csv(f)


def as_labels(df: pd.DataFrame, name: str, rng: np.random.Generator) -> pd.DataFrame:
    """Every answer written as its Dutch label, in random case with stray spaces."""
    inst = get_instrument(name)
    out = df.copy()
    for col in df.columns:
        try:
            item = inst.item(col)
        except KeyError:
            continue
        labels = {c.value: [c.nl, *c.aliases] for c in inst.scale_of(item).codes}

        def write(v, labels=labels):
            if pd.isna(v):
                return None
            lab = str(rng.choice(labels[int(v)]))
            lab = lab.upper() if rng.random() < 0.3 else lab.capitalize() if rng.random() < 0.5 else lab
            return " " * int(rng.integers(0, 3)) + lab.replace(" ", "  ") + " " * int(rng.integers(0, 3))

        out[col] = df[col].map(write).astype(object)
    return out


@pytest.mark.parametrize("name", ["reset", "np"])
def test_labels_score_as_the_codes(name):
    codes = bundled(name)
    labels = as_labels(codes, name, np.random.default_rng(3))
    known = {c for it in get_instrument(name).items for c in it.codes}
    items = [c for c in codes.columns if c in known]
    assert len(items) > 20
    assert all(labels[c].dropna().map(lambda v: not v.strip().isdigit()).all() for c in items)
    kw = dict(groups=GROUPS[name], ignore=["team"] if "team" in codes else ())
    a, b = score_survey(codes, name, **kw), score_survey(labels, name, **kw)
    pd.testing.assert_frame_equal(a.item_stats, b.item_stats)
    pd.testing.assert_frame_equal(a.scale_stats, b.scale_stats)
    pd.testing.assert_frame_equal(a.group_stats, b.group_stats)


def test_reset_scale_labels_and_the_zelden_alias():
    s5 = get_instrument("reset").scale("s5")
    assert s5.labels() == {"nooit": 1, "soms": 2, "zelden": 2, "regelmatig": 3, "vaak": 4, "altijd": 5}
    np7 = get_instrument("np").scale("s7")
    assert np7.labels()["zeer zelden"] == 2 and np7.labels()["zeer vaak"] == 6


def reset_part(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    return pd.DataFrame({"respondent": [f"r{i + 1}" for i in range(n)], **cols})


def test_not_applicable_in_every_spelling_is_counted_not_scored():
    df = reset_part(**{"LD3": ["n.v.t.", "nvt", "N.V.T", "NVT", " Niet van toepassing ", 4, None, "vaak"]})
    s = score_survey(df, "reset", missing_items="skip")
    row = s.item_stats.set_index("item").loc["LD3"]
    assert (row["n"], row["n_not_applicable"], row["n_missing"], row["n_non_substantive"]) == (2, 5, 1, 0)
    assert row["mean"] == 4.0
    assert row["n"] + row["n_missing"] + row["n_not_applicable"] + row["n_non_substantive"] \
        + row["n_excluded"] == s.n_respondents
    assert s.spss_table("nl").loc["LD3", "N.v.t."] == 5
    assert s.spss_table("en").loc["LD3", "Not applicable"] == 5
    assert [is_not_applicable(t) for t in ["n v t", "nvt.", "nietvantoepassing", "niet", "n.v.w."]] \
        == [True, True, True, False, False]


def test_not_applicable_code_declared_by_the_caller():
    df = reset_part(LD3=[9, 5, 9, 3], LD4=["9", "nooit", "altijd", 9])
    with pytest.raises(DataValidationError) as info:
        score_survey(df, "reset", missing_items="skip")
    assert len(info.value.problems) == 4  # 9 is no code of the 5-point scale
    s = score_survey(df, "reset", missing_items="skip", not_applicable=[9])
    st = s.item_stats.set_index("item")
    assert (st.loc["LD3", "n_not_applicable"], st.loc["LD3", "mean"]) == (2, 4.0)
    assert (st.loc["LD4", "n_not_applicable"], st.loc["LD4", "mean"]) == (2, 3.0)
    with pytest.raises(ValueError, match=r"not_applicable codes \[5\] are answer codes of scale 's5'"):
        score_survey(df, "reset", missing_items="skip", not_applicable=[5])
    with pytest.raises(TypeError, match="whole-number codes"):
        score_survey(df, "reset", missing_items="skip", not_applicable=["n.v.t."])


def test_not_applicable_declared_by_the_instrument():
    codes = [{"value": v, "nl": n, "en": n} for v, n in enumerate(["nooit", "soms", "vaak"], 1)]
    inst = Instrument.model_validate({
        "id": "na", "name": "NA", "default_scale": "s3", "threshold": {"value": 2.0},
        "scales": [{"id": "s3", "codes": codes, "not_applicable": [7],
                    "non_substantive": [{"value": 8, "nl": "n.v.t.", "en": "n/a"},
                                        {"value": 9, "nl": "weet niet", "en": "don't know"}]}],
        "categories": [{"id": "C", "nl": "C"}],
        "items": [{"code": "Q1", "text_nl": "q", "category": "C"}]})
    df = reset_part(Q1=[7, 8, 9, "Weet niet", "N.v.t.", "vaak", 1])
    row = score_survey(df, inst).item_stats.iloc[0]
    assert (row["n"], row["n_not_applicable"], row["n_non_substantive"], row["mean"]) == (2, 3, 2, 2.0)
    with pytest.raises(ValueError, match="both substantive and not applicable"):
        ResponseScale(id="x", codes=codes, not_applicable=[3])
    with pytest.raises(ValueError, match="label 'Soms' names codes 2 and 3"):
        ResponseScale(id="x", codes=[*codes[:2], {"value": 3, "nl": "vaak", "en": "", "aliases": ["Soms"]}])


def test_a_label_of_another_scale_is_an_error_naming_column_row_and_the_labels():
    # FACT14 is answered nee / enigszins / ja; "vaak" belongs to the 5-point items
    df = reset_part(FACT14=["ja", "vaak", "Enigszins", "banaan"], LD3=["vaak", "nooit", "soms", "vaak"])
    with pytest.raises(DataValidationError) as info:
        score_survey(df, "reset", missing_items="skip")
    probs = {(p.row, p.column): p for p in info.value.problems}
    assert set(probs) == {("r2", "FACT14"), ("r4", "FACT14")}
    p = probs[("r2", "FACT14")]
    assert p.value == "vaak"
    assert "one of its labels (nee, enigszins, ja)" in p.expected and "(1, 2, 3)" in p.expected
    assert "banaan" not in p.expected  # the other values of the column are not listed
    assert "row 'r2', column 'FACT14': got 'vaak'" in str(info.value)


def test_mapping_as_dict_or_file_and_problems_name_the_column_in_the_data(tmp_path):
    df = pd.DataFrame({"id": ["a", "b"], "Vraag 3": ["vaak", "altijd"], "Vraag 4": [3, "zelden"]})
    wanted = {"id": "respondent", "Vraag 3": "LD3", "Vraag 4": "LD4"}
    (tmp_path / "map.toml").write_text("".join(f'"{k}" = "{v}"\n' for k, v in wanted.items()),
                                       encoding="utf-8")
    (tmp_path / "map.json").write_text(json.dumps(wanted), encoding="utf-8")
    means = []
    for mapping in (wanted, tmp_path / "map.toml", str(tmp_path / "map.json")):
        s = score_survey(df, "reset", missing_items="skip", mapping=mapping)
        means.append(s.item_stats.set_index("item")["mean"].to_dict())
    assert means == [{"LD3": 4.5, "LD4": 2.5}] * 3
    assert list(df.columns) == ["id", "Vraag 3", "Vraag 4"]  # the input is not renamed
    with pytest.raises(DataValidationError) as info:
        score_survey(df.assign(**{"Vraag 4": ["ja", 2]}), "reset", missing_items="skip", mapping=wanted)
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [("a", "Vraag 4", "ja")]
    with pytest.raises(DataValidationError, match="(?s)column mapping for survey data.*'Vraag 5'.*did you mean 'Vraag 4', 'Vraag 3'"):
        score_survey(df, "reset", missing_items="skip", mapping={"Vraag 5": "LD5", **wanted})
