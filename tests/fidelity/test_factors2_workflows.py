"""Factor workflows on synthetic Likert data with a KNOWN (planted) loading structure."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalstats.errors import DataValidationError
from fidelity import Instrument, cronbach_alpha, exploratory_factors, factors_per_principle, pca

sys.path.insert(0, str(Path(__file__).parent))
from factors2_synth import planted_likert  # noqa: E402

EXPL_NAMES = ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "X1", "Z1"]


def _exploratory_data(seed=7, n=250):
    lam = np.zeros((13, 3))
    lam[0:4, 0] = [0.8, 0.75, 0.7, 0.7]
    lam[4:8, 1] = [0.8, 0.75, 0.7, 0.65]
    lam[8:11, 2] = [0.8, 0.75, 0.7]
    lam[11] = [0.6, 0.55, 0.0]  # planted cross-loader
    lam[12] = [0.0, 0.0, 0.1]  # planted item without loading / low communality
    return planted_likert(lam, n, seed, EXPL_NAMES)


def _drops(res):
    st = res.steps
    d = st[st["action"] == "dropped"]
    return list(zip(d["item"], d["rule"], strict=True))


def test_exploratory_recovers_planted_factors_and_drops_bad_items():
    data = _exploratory_data()
    before = data.copy()
    res = exploratory_factors(data)
    pd.testing.assert_frame_equal(data, before)
    # the low-communality item goes first (rule precedence), then the cross-loader
    assert _drops(res) == [("Z1", "low_communality"), ("X1", "cross_loading_both")]
    assert [set(i) for i in res.factors["items"]] == [
        {"A1", "A2", "A3", "A4"}, {"B1", "B2", "B3", "B4"}, {"C1", "C2", "C3"}]
    assert res.loose_items["item"].tolist() == ["Z1", "X1"]
    # each drop is followed by a refit on one item fewer
    fits = res.steps[res.steps["rule"] == "pca"]
    assert fits["n_items"].tolist() == [13, 12, 11]
    # factor alphas are the alphas of their items (checked against psych in the reliability tests)
    for f in res.factors.itertuples():
        assert f.alpha == pytest.approx(cronbach_alpha(data[f.items]).alpha, abs=1e-12)
        assert not f.two_items
    # the final PCA is fidelity.pca on the kept items; scores are its regression scores
    final = pca(data[[i for i in EXPL_NAMES if i not in ("X1", "Z1")]])
    np.testing.assert_allclose(res.pcas["all"].pattern, final.pattern, atol=1e-12)
    assert list(res.scores.index) == list(data.index)
    assert list(res.scores.columns) == ["F1", "F2", "F3"]
    np.testing.assert_allclose(res.scores.std(ddof=1), 1.0, atol=1e-10)
    # steps record value and threshold of each decision
    z = res.steps[res.steps["item"] == "Z1"].iloc[0]
    assert z["value"] < 0.3 and z["threshold"] == 0.3


def test_precedence_low_communality_before_no_loading():
    # with min_loading .45 Z1 fails both rules in the first PCA (and X1 cross-loads);
    # Z1 is recorded under the first rule in RULES
    data = _exploratory_data()
    first = pca(data)
    assert first.communalities.loc["Z1", "extraction"] < 0.3
    assert first.pattern.loc["Z1"].abs().max() < 0.45
    res = exploratory_factors(data, min_loading=0.45)
    assert _drops(res)[0] == ("Z1", "low_communality")


def test_no_primary_loading_rule():
    # without the communality rule Z1 (largest loading .40) survives min_loading .40 ...
    res = exploratory_factors(_exploratory_data(), min_communality=None)
    assert _drops(res) == [("X1", "cross_loading_both")]
    # ... and fails .45, before the cross-loader X1 (no_primary_loading precedes cross-loading)
    res = exploratory_factors(_exploratory_data(), min_communality=None, min_loading=0.45)
    assert _drops(res) == [("Z1", "no_primary_loading"), ("X1", "cross_loading_both")]
    row = res.steps[res.steps["item"] == "Z1"].iloc[0]
    assert row["value"] < row["threshold"] == 0.45


def test_cross_loading_margin_rule():
    res = exploratory_factors(_exploratory_data(), cross_loading_min=None)
    assert ("X1", "cross_loading_margin") in _drops(res)
    row = res.steps[res.steps["item"] == "X1"].iloc[0]
    assert row["value"] <= 0.2 and row["component"] in ("C1/C2", "C2/C1")


def test_worst_first_within_a_rule():
    # two unrelated items both fail the communality rule: the lower communality goes first
    data = _exploratory_data()
    rng = np.random.default_rng(5)
    data = data.assign(Z2=np.clip(np.round(data["A1"] * 0.3 + rng.normal(3, 1, len(data))), 1, 5))
    first = pca(data)
    c = first.communalities["extraction"]
    res = exploratory_factors(data)
    low = [i for i, r in _drops(res) if r == "low_communality"]
    assert set(low) == {"Z1", "Z2"}
    assert low[0] == ("Z1" if c["Z1"] < c["Z2"] else "Z2")


def test_analyst_removal_is_a_step_not_a_loose_item():
    data = _exploratory_data()
    res = exploratory_factors(data, remove=[("A4", "removed on content")])
    first = res.steps.iloc[0]
    assert (first["rule"], first["item"], first["action"]) == ("analyst", "A4",
                                                               "removed on content")
    assert res.removed["item"].tolist() == ["A4"]
    assert "A4" not in res.loose_items["item"].tolist()
    assert all("A4" not in i for i in res.factors["items"])
    assert "removed by the analyst: removed on content" in res.report()
    with pytest.raises(DataValidationError, match="reason"):
        exploratory_factors(data, remove=[("A4", " ")])
    with pytest.raises(DataValidationError, match="NOPE"):
        exploratory_factors(data, remove=[("NOPE", "why")])


def test_exploratory_output_formats():
    data = _exploratory_data()
    res = exploratory_factors(data)
    tab = res.spss_table()
    assert tab.shape == (11, 3)
    assert tab.columns[0].startswith("Factor F1 (α .")
    assert (tab != "").sum().tolist() == [4, 4, 3]
    assert len(res.table) == 11
    rep = res.report()
    assert "**Z1** dropped: communality" in rep
    assert "**X1** dropped: loads on two components" in rep
    assert "Loose items: Z1, X1." in rep
    nl = res.report("nl")
    assert "verwijderd" in nl and "Losse items" in nl and "," in nl
    assert res.apa().startswith("A PCA with direct oblimin rotation placed 11 of the 13 items "
                                "in 3 factors")


def test_missing_item_column():
    with pytest.raises(DataValidationError, match="Q9"):
        exploratory_factors(_exploratory_data(), items=["A1", "A2", "Q9"])


# -- NP-style: one PCA per principle --------------------------------------------------------
NP_NAMES = [f"HG{i}" for i in range(1, 7)] + [f"PL{i}" for i in range(1, 5)] + [
    f"NW{i}" for i in range(1, 6)]
NP_MAP = {"HG": NP_NAMES[0:6], "PL": NP_NAMES[6:10], "NW": NP_NAMES[10:15]}


def _np_data(seed=11, n=300):
    lam = np.zeros((15, 5))
    lam[0:3, 0] = 0.75  # HG splits into two factors
    lam[3:6, 1] = 0.75
    lam[6:8, 2] = 0.8  # PL: a strong pair (two items: "hardly a factor")...
    lam[8:10, 3] = 0.42  # ... and a weak pair whose alpha stays below .6
    lam[10:14, 4] = 0.75  # NW: four items plus NW5, barely related (low communality)
    lam[14, 4] = 0.2
    return planted_likert(lam, n, seed, NP_NAMES)


def test_per_principle_split_reject_and_communality():
    data = _np_data()
    res = factors_per_principle(data, NP_MAP)
    f = res.factors.set_index("factor")
    assert list(f.index) == ["HGa", "HGb", "PL", "NW"]
    assert {frozenset(i) for i in f.loc[["HGa", "HGb"], "items"]} == {
        frozenset({"HG1", "HG2", "HG3"}), frozenset({"HG4", "HG5", "HG6"})}
    assert f.loc["PL", "items"] == ["PL1", "PL2"] and bool(f.loc["PL", "two_items"])
    assert set(f.loc["NW", "items"]) == {"NW1", "NW2", "NW3", "NW4"}
    rej = res.steps[res.steps["rule"] == "min_alpha"]
    assert len(rej) == 1 and rej.iloc[0]["group"] == "PL" and rej.iloc[0]["value"] < 0.6
    assert rej.iloc[0]["value"] == pytest.approx(cronbach_alpha(data[["PL3", "PL4"]]).alpha)
    assert _drops(res) == [("NW5", "low_communality")]
    loose = res.loose_items.set_index("item")["reason"].to_dict()
    assert loose == {"PL3": "min_alpha", "PL4": "min_alpha", "NW5": "low_communality"}
    assert (f["alpha"] >= 0.6).all()
    assert list(res.scores.columns) == ["HGa", "HGb", "PL", "NW"]
    rep = res.report()
    assert "### Principle PL" in rep and "hardly a factor" in rep
    assert "not kept as a factor: too little coherence (Cronbach's α = ." in rep
    assert "nauwelijks een factor" in res.report("nl")


def test_per_principle_accepts_an_instrument():
    data = _np_data()
    inst = Instrument.model_validate({
        "id": "np-demo", "name": "demo", "default_scale": "s5", "threshold": {"value": 4.0},
        "scales": [{"id": "s5", "codes": [{"value": v, "nl": str(v), "en": str(v)}
                                           for v in range(1, 6)]}],
        "categories": [{"id": "M", "nl": "Methode"}],
        "principles": [{"id": p, "nl": p, "category": "M"} for p in NP_MAP],
        "items": [{"code": c, "text_nl": c, "category": "M", "principle": p}
                  for p, cs in NP_MAP.items() for c in cs],
    })
    a = factors_per_principle(data, inst)
    b = factors_per_principle(data, NP_MAP)
    pd.testing.assert_frame_equal(a.steps, b.steps)
    pd.testing.assert_frame_equal(a.scores, b.scores)
    only = factors_per_principle(data, inst, principles=["NW"])
    assert only.factors["factor"].tolist() == ["NW"]
    with pytest.raises(KeyError, match="XX"):
        factors_per_principle(data, inst, principles=["XX"])


def test_min_alpha_none_keeps_every_component():
    res = factors_per_principle(_np_data(), NP_MAP, min_alpha=None)
    assert "PLb" in res.factors["factor"].tolist()


def test_missing_answers_are_listwise_per_pca_and_scores_keep_the_index():
    data = _exploratory_data().astype(float)
    data.iloc[3, data.columns.get_loc("Z1")] = np.nan  # only in the item that will be dropped
    data.iloc[5, data.columns.get_loc("A1")] = np.nan  # in a kept item
    res = exploratory_factors(data)
    fits = res.steps[res.steps["rule"] == "pca"]
    # the first PCA loses both rows; after Z1 is dropped row 3 is used again
    assert fits["n_used"].tolist() == [248, 249, 249]
    assert np.isnan(res.scores.iloc[5]).all()
    assert not np.isnan(res.scores.iloc[3]).any()
    assert list(res.scores.index) == list(data.index)
    f1 = res.factors.set_index("factor").loc["F1"]
    assert f1["n_alpha"] == 249


RESET_ITEMS = ["NWG1", "NWG2", "NWG3", "NWG4", "VG1", "VG2", "VG3", "VG4", "GEN1", "GEN2",
               "EMP1", "EMP2", "ACT1", "ACT2", "ACT3"]


@pytest.mark.parametrize("seed", [0, 3])
def test_reset_path_of_section_4_11(seed):
    # the structure of table 34 (three factors) plus the items the dissertation took out:
    # ACT1 clusters with the network items (removed on content), ACT2, ACT3, VG1 and VG3 load
    # on two components. n = 400 so that the planted structure shows in every sample.
    lam = pd.DataFrame(0.0, index=RESET_ITEMS, columns=["F1", "F2", "F3"])
    lam.loc[["NWG4", "NWG2", "NWG3", "NWG1"], "F1"] = [0.85, 0.85, 0.7, 0.65]
    lam.loc[["VG4", "GEN2", "EMP2", "VG2"], "F2"] = [0.85, 0.85, 0.7, 0.6]
    lam.loc[["GEN1", "EMP1"], "F3"] = [0.85, 0.8]
    lam.loc["ACT1"] = [0.65, 0, 0]
    lam.loc["ACT2"] = [0, 0.5, 0.5]
    lam.loc["ACT3"] = [0.5, 0.5, 0]
    lam.loc["VG1"] = [0.5, 0.5, 0]
    lam.loc["VG3"] = [0, 0.5, 0.5]
    data = planted_likert(lam.to_numpy(), 400, seed, RESET_ITEMS)
    res = exploratory_factors(data, remove=[("ACT1", "differs in content from the network items")])
    assert res.steps.iloc[0]["rule"] == "analyst"
    drops = _drops(res)
    assert {i for i, _ in drops} == {"ACT2", "ACT3", "VG1", "VG3"}
    assert all(r.startswith("cross_loading") for _, r in drops)
    assert {frozenset(i) for i in res.factors["items"]} == {
        frozenset({"NWG1", "NWG2", "NWG3", "NWG4"}),
        frozenset({"VG2", "VG4", "GEN2", "EMP2"}),
        frozenset({"GEN1", "EMP1"}),
    }
    assert res.factors["n_items"].sum() == 10
    assert res.factors.set_index("n_items").loc[2, "two_items"]
    assert res.loose_items["item"].tolist() == [i for i, _ in drops]


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_row_order_does_not_change_the_path(perm_seed):
    # PCA and alpha do not depend on the order of respondents: same steps, scores follow rows
    data = _np_data()
    shuffled = data.sample(frac=1.0, random_state=perm_seed % 2**31)
    a = factors_per_principle(data, NP_MAP)
    b = factors_per_principle(shuffled, NP_MAP)
    cols = ["item", "component", "rule", "action"]
    pd.testing.assert_frame_equal(a.steps[cols], b.steps[cols])
    np.testing.assert_allclose(a.steps["value"], b.steps["value"], atol=1e-8)
    np.testing.assert_allclose(b.scores.loc[data.index], a.scores, atol=1e-8)


def test_stop_and_too_few_items():
    data = _np_data()
    res = factors_per_principle(data, {"NW": NP_MAP["NW"], "ONE": ["HG1"]}, min_items=5)
    st = res.steps.set_index("rule")
    # NW5 fails the communality rule but dropping it would leave fewer than min_items
    assert st.loc["stop", "item"] == "NW5" and "fewer than 5 items" in st.loc["stop", "action"]
    assert "NW5" not in res.loose_items["item"].tolist()
    assert st.loc["too_few_items", "group"] == "ONE"
    assert res.loose_items.set_index("item").loc["HG1", "reason"] == "too_few_items"
    assert "ONE" not in res.pcas
