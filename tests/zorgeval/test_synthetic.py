"""Synthetic evaluation data: determinism, counts, validators, calibration to the published figures.

Published figures (seed ``003_52d41406753d5716.txt``) are read from the files the extraction
script ``zorgeval/data/published/extract_published.py`` wrote, or from the library's own
definitions; none is typed in here except the counts the brief and DOMAIN.md state with their
seed lines (noted at each constant of ``zorgeval.synthetic``).
"""

import filecmp
import runpy
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gas
import profiles
from evalstats.errors import DataValidationError
from fidelity import exploratory_factors, get_instrument, score_survey, simulate_survey
from zorgeval.synthetic import RESET_LOADINGS, load_bundled, make_np, make_reset
from zorgeval.synthetic import np_data as npmod
from zorgeval.synthetic import reset as rmod

ROOT = Path(__file__).resolve().parents[2]
# the dissertation text lies in shared/seeds/ beside the repository
SEED_TEXT = ROOT.parent / "shared" / "seeds" / "003_52d41406753d5716.txt"


@pytest.fixture(scope="module")
def reset():
    return make_reset()


@pytest.fixture(scope="module")
def np_data():
    return make_np()


@pytest.fixture(scope="module")
def registration(reset):
    return profiles.validate_registration(reset["members"], reset["families"])


@pytest.fixture(scope="module")
def reset_goals(reset):
    return gas.validate_goals(reset["goals"], taxonomy="reset", case="family", rater=None,
                              default_rater="joint", period=None, activities="activities")


@pytest.fixture(scope="module")
def np_goals(np_data):
    return gas.validate_goals(np_data["ratings"], taxonomy="np", case="youth")


# --- determinism ---------------------------------------------------------------------------------
def test_same_seed_same_frames_other_seed_other_frames():
    a, b, c = make_reset(seed=5, scale=0.5), make_reset(seed=5, scale=0.5), make_reset(seed=6, scale=0.5)
    for key in a:
        pd.testing.assert_frame_equal(a[key], b[key])
    assert not a["goals"].equals(c["goals"]) and not a["members"].equals(c["members"])
    x, y = make_np(seed=5, scale=0.5), make_np(seed=5, scale=0.5)
    for key in x:
        pd.testing.assert_frame_equal(x[key], y[key])
    assert not x["ratings"].equals(make_np(seed=6, scale=0.5)["ratings"])


def test_every_frame_is_labelled_synthetic(reset, np_data):
    for data in (reset, np_data):
        assert data.attrs["synthetic"] is True
        for frame in data.values():
            assert frame.attrs["synthetic"] is True
            assert "SYNTHETIC" in frame.attrs["note"]


def test_inputs_are_checked():
    with pytest.raises(ValueError, match="scale"):
        make_reset(scale=0)
    with pytest.raises(ValueError, match="unknown item code"):
        simulate_survey(get_instrument("reset"), loadings=pd.DataFrame({"F1": [0.5]}, index=["XX"]))


# --- ReSet: counts -------------------------------------------------------------------------------
def test_reset_counts(reset):
    survey, fam, goals = reset["survey"], reset["families"], reset["goals"]
    assert survey["organisation"].value_counts().to_dict() == rmod.ORGANISATIONS  # 71
    assert len(fam) == 388 and fam["family"].is_unique
    assert fam["profile"].value_counts().to_dict() == rmod.PROFILE_COUNTS  # exact
    assert goals["family"].nunique() == 244
    # each family's practitioner works in the family's organisation and team
    prac = survey.set_index("respondent")
    assert (prac.loc[fam["practitioner"], "organisation"].to_numpy() == fam["organisation"]).all()
    assert (prac.loc[fam["practitioner"], "team"].to_numpy() == fam["team"]).all()
    assert set(fam["organisation"]) == set(rmod.FAMILY_ORGANISATIONS)


def test_family_types_exact(registration):
    types = registration.family_types()
    assert (types.table["family_type"] != "undetermined").all()
    assert types.table["family_type"].value_counts().to_dict() == rmod.FAMILY_TYPE_COUNTS
    # the dissertation's collapses: 131 single-parent incl. blended, 64 in divorce incl. blended
    four = types.collapsed("four_types").value_counts()
    assert four["single_parent"] == 131 and four["in_divorce"] == 64


def test_multiproblem_and_risk_family_counts(reset):
    mp = profiles.classify_multiproblem(reset["domains"].set_index("family"))
    assert mp.table["result"].value_counts().to_dict() == {"yes": 247, "no": 138, "undetermined": 3}
    no_mp = mp.table.index[mp.table["result"] == "no"]
    rmo = reset["rmo"].set_index("family").loc[no_mp]
    strict = profiles.classify_risk_family(rmo, missing="unknown", strict=True)
    assert (strict.table["result"] == "undetermined").sum() == 62  # 62 of 138 (003: 3852-3856)
    lenient = profiles.classify_risk_family(rmo, missing="unknown")
    # without strict, families with four indicators found are decided although some are unknown
    assert (lenient.table["result"] == "undetermined").sum() < 62


def test_unknown_shares_are_realistic(reset):
    items = [c for c in reset["members"].columns if c in {i for i, *_ in rmod.MEMBER_ITEMS}]
    share = (reset["members"][items] == "unknown").to_numpy().mean()
    assert 0.01 < share < 0.15


# --- ReSet: the library's validators accept every frame ------------------------------------------
def test_registration_and_goals_validate(registration, reset_goals, reset):
    assert len(registration.families) == 388
    assert len(registration.members) == len(reset["members"])
    assert reset_goals.frame["case"].nunique() == 244
    assert reset_goals.n_missing_level == 0
    assert set(reset_goals.frame["rater"]) == {"joint"}


def test_reset_survey_scores(reset):
    scores = score_survey(reset["survey"], get_instrument("reset"), respondent="respondent",
                          groups=["organisation", "team"])
    assert scores is not None
    assert reset["survey"]["team"].nunique() == 7


def test_reset_goal_data_rejects_corruption(reset):
    bad = reset["goals"].copy()
    bad.loc[0, "category"] = "child-9"
    with pytest.raises(DataValidationError):
        gas.validate_goals(bad, taxonomy="reset", case="family", rater=None,
                           default_rater="joint", period=None)


# --- ReSet: calibration ------------------------------------------------------------------------
def _feasible(mean, sd, lo, hi):
    """A mean inside the scale and an SD the scale allows (variance <= (m - lo)(hi - m))."""
    return lo <= mean <= hi and (sd is None or sd**2 <= (mean - lo) * (hi - mean))


def test_item_means_follow_reference_statistics(reset):
    # simulate_survey reproduces each organisation's printed item mean up to half an answer step
    # (0.5 / n); references the scale cannot produce (HM14 means above 5, HM17 C: M 4.95 with
    # SD 1.66) are approximated as well as the scale allows and left out here.
    instrument, survey = get_instrument("reset"), reset["survey"]
    checked = 0
    for item in instrument.items:
        scale = instrument.scale_of(item)
        for ref in item.reference:
            if ref.group not in rmod.ORGANISATIONS or ref.mean is None:
                continue
            if not _feasible(ref.mean, ref.sd, scale.min, scale.max):
                continue
            answers = survey.loc[survey["organisation"] == ref.group, item.code].astype(float)
            assert abs(answers.mean() - ref.mean) <= 0.5 / len(answers) + 1e-9, (item.code, ref.group)
            checked += 1
    assert checked > 200


def test_gas_level_distributions_match_printed(reset_goals):
    # counts are whole families: each printed % is reproduced within half a family (100 / 2N)
    # plus the printed rounding (.05); the N per goal equals the text's N exactly
    pub = rmod.published_gas_levels()
    dist = gas.level_distribution(reset_goals, taxonomy="reset").table.set_index("category")
    for category, row in pub.iterrows():
        got = dist.loc[category]
        assert got["n_cases"] == row["n"], category
        for lv, col in zip(["+2", "+1", "0", "-1", "-2"],
                           ["pct_p2", "pct_p1", "pct_0", "pct_m1", "pct_m2"], strict=True):
            tol = 100 / (2 * row["n"]) + 0.05
            assert abs(got[f"pct_{lv}"] - row[col]) <= tol, (category, lv, row["line"])
    # child goal 1 exactly as printed at 003: 5808-5812 (65.9 / 20.6 / 11.9 / 1.6 / 0.0)
    c1 = dist.loc["child-1", ["pct_+2", "pct_+1", "pct_0", "pct_-1", "pct_-2"]].astype(float)
    assert np.round(c1.to_numpy(), 1).tolist() == [65.9, 20.6, 11.9, 1.6, 0.0]


def test_exploratory_factors_recovers_table_34(reset):
    items = list(RESET_LOADINGS.index)
    data = reset["survey"].set_index("respondent")[items].astype(float)
    res = exploratory_factors(data, remove=[("ACT1", "differs in content from the network items")])
    found = {frozenset(i) for i in res.factors["items"]}
    assert len(res.factors) == 3
    assert frozenset({"NWG1", "NWG2", "NWG3", "NWG4"}) in found
    assert frozenset({"GEN1", "EMP1"}) in found
    demand = next(f for f in found if "VG4" in f)
    assert {"VG2", "VG4", "GEN2", "EMP2"} <= demand
    assert (res.factors["alpha"] > 0.6).all()


def test_profile_validation_finds_the_table_15_18_effects(registration):
    reg = registration
    types = reg.family_types()
    cases = reg.families[["family", "profile"]].copy()
    cases["broken_family"] = types.collapsed("broken_family").to_numpy()
    cases["young_mother"] = reg.mothers()["young_or_teen"].to_numpy()
    spec = {"social_isolation": "child", "household_organisation": "parent",
            "physical_abuse": "child", "physical_complaints": "parent", "poor_dutch": "parent",
            "loss_grief": "parent", "psychiatric_psychological": "parent",
            "youth_care_history": "parent", "overburdening": "parent"}
    for item, role in spec.items():
        cases[item] = reg.family_any(item, role=role).to_numpy()
    cases["intellectual_disability_child"] = reg.family_any("intellectual_disability", role="child").to_numpy()
    predictors = {
        "A": ["social_isolation", "broken_family", "household_organisation", "physical_abuse"],
        "B": ["young_mother", "poor_dutch", "intellectual_disability_child", "loss_grief"],
        "C": ["psychiatric_psychological", "youth_care_history"],
        "D": ["loss_grief", "physical_complaints"],
        "E": ["overburdening"],
    }
    val = profiles.validate(cases, profile="profile", predictors=predictors, profiles="reset")
    assert (val.model_table["p"] < 0.001).all()
    t = val.table.set_index(["profile", "term"])
    # directions of tables 15-18 (B > 0: more often in the profile; B < 0: less often)
    expected_sign = {("A", "broken_family"): 1, ("A", "household_organisation"): 1,
                     ("B", "young_mother"): 1, ("B", "poor_dutch"): 1,
                     ("B", "intellectual_disability_child"): -1, ("B", "loss_grief"): -1,
                     ("C", "psychiatric_psychological"): 1, ("D", "loss_grief"): 1,
                     ("E", "overburdening"): 1}
    for key, sign in expected_sign.items():
        assert np.sign(t.loc[key, "B"]) == sign, key
        assert t.loc[key, "exp_B"] > 0
    assert t.loc[("B", "young_mother"), "p"] < 0.001


def test_overall_analysis_finds_profile_and_method_effects(reset, registration, reset_goals):
    items = list(RESET_LOADINGS.index)
    survey = reset["survey"].set_index("respondent")
    fa = exploratory_factors(survey[items].astype(float), remove=[("ACT1", "content")])
    cases = registration.families[["family", "organisation", "team", "practitioner", "profile"]]
    cases = cases.rename(columns={"family": "case"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # empty-cell warnings of small factorial designs
        res = profiles.overall_analysis(
            cases, reset_goals, screen=["profile"],
            model=profiles.ModelSpec(covariates=list(fa.scores.columns)),
            practitioner_scores=fa.scores)
    t = res.table
    screens = t[(t["step"] == "screen") & (t["variable"] == "profile")]
    assert screens["significant"].sum() >= 3
    models = t[t["step"] == "factorial"]
    assert models["significant"].mean() > 0.5
    # results on one goal go with the family's results on its other goals ("earlier goals")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        earlier = profiles.overall_analysis(
            cases[["case", "profile"]], reset_goals, screen=[],
            model={"parent-2": profiles.ModelSpec(earlier_goals=["parent-1"])})
    row = earlier.table.set_index("category").loc["parent-2"]
    assert row["significant"] and row["n_used"] > 30


# --- NP ------------------------------------------------------------------------------------------
def test_np_counts_and_periods(np_data, np_goals):
    survey, youths = np_data["survey"], np_data["youths"]
    assert survey["location"].value_counts().to_dict() == npmod.LOCATIONS  # 53
    assert len(youths) == 935
    evaluations = np_data["ratings"][["youth", "period"]].drop_duplicates()
    assert len(evaluations) == 1359
    traj = gas.trajectory_counts(np_goals.frame).table
    pub = npmod.published_periods()  # table 86, 003: 9980-9985
    assert traj["n_evaluated"].tolist() == pub["evaluations"].tolist()
    assert traj["n_cases"].tolist() == pub["youths_with_n_periods"].tolist()
    assert set(np_goals.frame["category"].map(lambda c: c.split("-")[0])) == {
        "basics", "finances", "housing", "challenges", "participation"}


def test_np_raters(np_goals):
    agg = np_goals.aggregate_raters(rule="np", min_ratings=100)
    t = agg.table.set_index(["what", "who"])["n"]
    assert t[("dropped", "vip")] <= 100  # too sparse, dropped (003: 2025-2031)
    # youth ratings sometimes missing: some evaluations rest on the practitioner alone
    assert 0 < t[("result", "practitioner")] < t[("result", "youth+practitioner")]


def test_np_dropout(np_data):
    d = gas.dropout(np_data["youths"], case="youth", premature="premature", when="dropout_contact")
    summary = d.by_group.iloc[0]
    assert summary["n_dropout"] == 135 and round(summary["pct"], 1) == 14.4  # 003: 2034-2035
    assert summary["n_unknown_when"] == 0
    first_three = d.table.loc[d.table["when"] <= 3, "n"].sum()
    assert first_three / 135 > 0.5  # mostly within the first three contacts


def test_np_target_characteristics_validate(np_data):
    res = profiles.np_target_change(np_data["youths"])
    close_only = {"police_justice_contact", "mental_health_complaints", "sufficiently_learnable"}
    assert set(res.table.index) == set(npmod.TARGET) | close_only
    assert res.table.loc["homeless", "became_no"] > res.table.loc["homeless", "became_yes"]
    assert res.table.loc["work", "became_yes"] > res.table.loc["work", "became_no"]


def test_np_target_counts_as_published(np_data):
    # section 5.8 (003: 10056-10076)
    y = np_data["youths"]
    assert y["sex"].value_counts().to_dict() == {"m": 494, "f": 441}
    assert (y["homeless_start"] == "yes").sum() == 421
    police = pd.crosstab(y["sex"], y["police_justice_contact_close"])
    assert police.loc["m", "yes"] == 130 and police.loc["m", "no"] == 216 - 130
    assert police.loc["f", "yes"] == 70 and police.loc["f", "no"] == 200 - 70
    mental = y["mental_health_complaints_close"].value_counts()
    assert mental["yes"] == 314 and mental["yes"] + mental["no"] == 923
    share = (y["mental_health_complaints_close"] == "yes").groupby(y["n_periods"].clip(upper=3)).mean()
    assert share[1] < share[2] and share[1] < share[3]  # more complaints with longer support
    learn = y["sufficiently_learnable_close"].value_counts()
    assert learn["no"] == 66 and learn["yes"] + learn["no"] == 338
    assert y["age"].between(15, 27).all() and abs(y["age"].mean() - 20.8) < 0.3


def test_np_survey_scores(np_data):
    scores = score_survey(np_data["survey"], get_instrument("np"), respondent="respondent",
                          groups=["location"])
    assert scores is not None


# --- scale ---------------------------------------------------------------------------------------
def test_scale_ten():
    d = make_reset(scale=10)
    assert len(d["survey"]) == 71
    assert len(d["families"]) == 3880
    assert d["families"]["profile"].value_counts().to_dict() == {
        k: 10 * v for k, v in rmod.PROFILE_COUNTS.items()}
    assert d["goals"]["family"].nunique() == 2440
    assert d["goals"].groupby("category")["family"].nunique()["child-1"] == 1260
    e = make_np(scale=10)
    assert len(e["youths"]) == 9350
    assert len(e["ratings"][["youth", "period"]].drop_duplicates()) == 13590
    assert int(e["youths"]["premature"].sum()) == 1350


def test_generators_are_vectorised(monkeypatch):
    # no Python-level work per case: the number of calls into the random generator does not
    # grow with the number of cases
    real = np.random.default_rng

    class Counting:
        calls = 0

        def __init__(self, rng):
            self._rng = rng

        def __getattr__(self, name):
            attr = getattr(self._rng, name)

            def counted(*args, **kwargs):
                Counting.calls += 1
                return attr(*args, **kwargs)

            return counted

    monkeypatch.setattr(np.random, "default_rng", lambda seed=None: Counting(real(seed)))
    counts = {}
    for make in (make_reset, make_np):
        for scale in (1, 20):
            Counting.calls = 0
            make(seed=1, scale=scale)
            counts[make.__name__, scale] = Counting.calls
    assert counts["make_reset", 1] == counts["make_reset", 20] > 0
    assert counts["make_np", 1] == counts["make_np", 20] > 0


# --- bundled files --------------------------------------------------------------------------------
def test_regenerating_gives_identical_files(tmp_path):
    script = runpy.run_path(str(ROOT / "examples" / "make_example_data.py"))
    written = script["write_evaluation_data"](tmp_path)
    assert len(written) == 12
    for path in written:
        bundled = ROOT / "zorgeval" / "data" / path.parent.name / path.name
        assert filecmp.cmp(path, bundled, shallow=False), path.name


def test_load_bundled(reset):
    d = load_bundled("reset")
    assert set(d) == set(reset)
    pd.testing.assert_frame_equal(d["goals"], reset["goals"], check_dtype=False)
    assert len(load_bundled("np")["youths"]) == 935
    with pytest.raises(ValueError, match="unknown bundled"):
        load_bundled("other")


@pytest.mark.skipif(not SEED_TEXT.exists(), reason="the dissertation text is not available")
def test_published_files_are_what_the_extraction_gives():
    script = runpy.run_path(str(ROOT / "zorgeval" / "data" / "published" / "extract_published.py"))
    lines = SEED_TEXT.read_text(encoding="utf-8").splitlines()
    folder = ROOT / "zorgeval" / "data" / "published"
    for name, fn in (("reset_gas_levels.csv", "reset_gas_levels"), ("np_periods.csv", "np_periods"),
                     ("reset_ttests.csv", "reset_ttests")):
        expected = pd.DataFrame(script[fn](lines))
        pd.testing.assert_frame_equal(pd.read_csv(folder / name), expected, check_dtype=False)


# --- the re-check example -------------------------------------------------------------------------
def test_recheck_published_table_example(capsys):
    mod = runpy.run_path(str(ROOT / "examples" / "recheck_published_table.py"))
    anovas = mod["recheck_anovas"]().set_index("item")
    # ORG-4: printed F(3; 65) = 4.75 gives p = .005, printed p = .01 (003: 4498)
    assert not anovas.loc["ORG-4", "follows"]
    assert abs(anovas.loc["ORG-4", "p_of_printed_F"] - 0.0047) < 5e-5
    tt = mod["recheck_ttests"]().set_index("comparison")
    row = tt.loc["parent-8: profile B vs A"]  # 003: 8037, T(27) = 2,73; p = .00
    assert row["printed_t_is"] == "Welch" and row["student_df"] == 27
    assert not row["follows"] and abs(row["p_of_printed_t"] - 0.0110) < 5e-4
    assert tt.loc["parent-5: debts vs no debts", "follows"]
    mod["main"]()
    out = capsys.readouterr().out
    assert "does not follow" in out and "ORG-4" in out
