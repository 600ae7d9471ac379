"""Synthetic survey data: determinism, valid codes, closeness to the published reference values."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fidelity.registry import get_instrument
from fidelity.synthetic import code_probabilities, simulate_survey

ROOT = Path(__file__).resolve().parents[2]
NP_GROUPS = {"A": 34, "B": 19}


@pytest.fixture(scope="module")
def reset_df():
    return simulate_survey(get_instrument("reset"), seed=2024)


@pytest.fixture(scope="module")
def np_df():
    return simulate_survey(get_instrument("np"), groups=NP_GROUPS, seed=2024, group_column="location")


def test_deterministic_given_the_seed():
    inst = get_instrument("np")
    a = simulate_survey(inst, groups=NP_GROUPS, seed=7, missing=0.05)
    b = simulate_survey(inst, groups=NP_GROUPS, seed=7, missing=0.05)
    pd.testing.assert_frame_equal(a, b)
    c = simulate_survey(inst, groups=NP_GROUPS, seed=8, missing=0.05)
    assert not a[inst.item_codes].equals(c[inst.item_codes])


def test_input_frame_layout(reset_df):
    inst = get_instrument("reset")
    assert list(reset_df.columns[:2]) == ["organisation", "respondent"]
    assert list(reset_df.columns[-len(inst.item_codes):]) == inst.item_codes
    assert reset_df["organisation"].value_counts().to_dict() == {"D": 24, "C": 22, "B": 14, "A": 11}
    assert reset_df["respondent"].is_unique
    assert reset_df["respondent"].str.startswith("synthetic-").all()
    assert reset_df.attrs["synthetic"] is True and "SYNTHETIC" in reset_df.attrs["description"]
    assert {"sex", "age_band", "education", "years_experience"} <= set(reset_df.columns)
    assert set(reset_df["education"]) <= {"MBO", "HBO", "WO"}
    assert (reset_df["sex"] == "vrouw").all()  # all 71 practitioners were women


@pytest.mark.parametrize("which", ["reset", "np"])
def test_codes_within_each_items_scale(which, reset_df, np_df):
    inst = get_instrument(which)
    df = reset_df if which == "reset" else np_df
    for it in inst.items:
        allowed = set(inst.scale_of(it).values)
        assert set(df[it.code].dropna().astype(int)) <= allowed, it.code
        assert str(df[it.code].dtype) == "Int64"
    if which == "reset":
        assert set(df["FACT14"].dropna()) <= {1, 2, 3}
        assert df[[f"FACT{i}" for i in range(1, 10)]].max().max() <= 4


def _feasible(ref, scale) -> bool:
    """Mean inside the scale and SD within the Bhatia-Davis bound sqrt((M - min)(max - M))."""
    if not scale.min <= ref.mean <= scale.max:
        return False
    return ref.sd is None or ref.sd <= math.sqrt((ref.mean - scale.min) * (scale.max - ref.mean))


@pytest.mark.parametrize("which", ["reset", "np"])
def test_group_means_and_sds_match_the_reference(which, reset_df, np_df):
    """Tolerance: a group's item mean within half an answer step (0.5 / n) of the published mean,
    the SD within 0.10, for every reference value a scale can produce at all."""
    inst = get_instrument(which)
    df, col = (reset_df, "organisation") if which == "reset" else (np_df, "location")
    checked = 0
    for it in inst.items:
        scale = inst.scale_of(it)
        for ref in it.reference:
            if ref.group not in set(df[col]) or not _feasible(ref, scale):
                continue
            x = df.loc[df[col] == ref.group, it.code].astype(float)
            assert abs(x.mean() - ref.mean) <= 0.5 / len(x) + 1e-9, (it.code, ref.group, x.mean(), ref.mean)
            if ref.sd is not None:
                assert abs(x.std(ddof=1) - ref.sd) <= 0.10, (it.code, ref.group, x.std(), ref.sd)
            checked += 1
    assert checked >= (280 if which == "reset" else 10)


def test_groups_without_own_reference_use_the_total(np_df):
    for g in NP_GROUPS:
        x = np_df.loc[np_df.location == g, "IP1"].astype(float)
        assert abs(x.mean() - 5.74) <= 0.5 / len(x) + 1e-9


def test_unreachable_reference_is_clipped_to_the_scale(reset_df):
    # appendix 14 prints M=5,70 for 'Positief labellen' in A, impossible on 1-5
    x = reset_df.loc[reset_df.organisation == "A", "HM14"]
    assert x.max() <= 5 and x.mean() >= 4.5


def test_items_of_one_principle_correlate_more(np_df):
    inst = get_instrument("np")
    c = np_df[inst.item_codes].astype(float).corr().to_numpy()
    block = np.array([it.principle for it in inst.items])
    same = (block[:, None] == block[None, :]) & ~np.eye(len(block), dtype=bool)
    other = block[:, None] != block[None, :]
    assert np.nanmean(c[same]) > np.nanmean(c[other]) + 0.15


def test_missing_share():
    inst = get_instrument("reset")
    df = simulate_survey(inst, seed=3, missing=0.1)
    share = df[inst.item_codes].isna().to_numpy().mean()
    assert 0.08 <= share <= 0.12
    assert df[["organisation", "respondent", "education"]].notna().all().all()
    assert simulate_survey(inst, seed=3)[inst.item_codes].notna().all().all()


def test_bad_arguments_are_all_reported():
    with pytest.raises(ValueError, match=r"group 'A': size must be a positive integer.*missing must be in \[0, 1\)"):
        simulate_survey(get_instrument("np"), groups={"A": 0}, missing=1.5)


@settings(max_examples=40, deadline=None)
@given(mean=st.floats(2.0, 4.0), sd=st.floats(0.5, 1.2))
def test_code_probabilities_reproduce_mean_and_sd(mean, sd):
    v = np.arange(1, 6)
    p = code_probabilities(v, mean, sd)
    assert p.min() >= 0 and abs(p.sum() - 1) < 1e-12
    mu = p @ v
    assert abs(mu - mean) < 1e-4
    assert abs(math.sqrt(p @ (v - mu) ** 2) - sd) < 1e-4


def _example_module():
    spec = importlib.util.spec_from_file_location("make_example_data", ROOT / "examples" / "make_example_data.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_regenerating_example_data_gives_identical_files(tmp_path):
    written = _example_module().write_example_data(tmp_path)
    assert sorted(p.name for p in written) == ["np_survey.csv", "reset_survey.csv"]
    for p in written:
        assert p.read_bytes() == (ROOT / "fidelity" / "data" / p.name).read_bytes(), p.name


def test_example_data_files_read_back():
    reset = pd.read_csv(ROOT / "fidelity" / "data" / "reset_survey.csv")
    assert reset.shape[0] == 71 and reset["organisation"].value_counts().to_dict() == {"D": 24, "C": 22, "B": 14, "A": 11}
    np_ = pd.read_csv(ROOT / "fidelity" / "data" / "np_survey.csv")
    assert np_["location"].value_counts().to_dict() == {"A": 34, "B": 19}


def test_planted_loadings_shape_the_correlations_and_keep_the_group_means():
    # items planted on one factor correlate strongly, items on different factors hardly; the
    # answers per group are the same multiset as without loadings (the counts follow the
    # reference statistics, the latent scores only decide who gives which answer)
    inst = get_instrument("reset")
    lam = pd.DataFrame({"F1": [0.9, 0.9, 0.0, 0.0], "F2": [0.0, 0.0, 0.9, 0.9]},
                       index=["NWG1", "NWG2", "GEN1", "EMP1"])
    groups = {"A": 400, "B": 400}
    df = simulate_survey(inst, groups=groups, seed=3, loadings=lam)
    assert df.attrs["planted_factors"] == ["F1", "F2"]
    r = df[lam.index].astype(float).corr(method="spearman")
    assert r.loc["NWG1", "NWG2"] > 0.5 and r.loc["GEN1", "EMP1"] > 0.5
    assert abs(r.loc["NWG1", "GEN1"]) < 0.2
    plain = simulate_survey(inst, groups=groups, seed=3)
    for code in inst.item_codes:
        for g in groups:
            got = np.sort(df.loc[df["organisation"] == g, code].to_numpy(dtype=float))
            ref = np.sort(plain.loc[plain["organisation"] == g, code].to_numpy(dtype=float))
            np.testing.assert_array_equal(got, ref)
    assert plain.attrs["planted_factors"] is None


def test_bad_loadings_are_reported():
    inst = get_instrument("reset")
    with pytest.raises(ValueError, match="unknown item code.*XX.*finite"):
        simulate_survey(inst, loadings=pd.DataFrame({"F1": [0.5, np.nan]}, index=["XX", "NWG1"]))
