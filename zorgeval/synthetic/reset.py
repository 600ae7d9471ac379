"""SYNTHETIC ReSet evaluation data (dissertation chapter 4), drawn with vectorised numpy.

What is calibrated to which seed line, and what is invented, is in ``docs/synthetic-data.md``;
the constants below carry the line numbers of the figures they reproduce.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

from fidelity import get_instrument, simulate_survey
from profiles import get_rule
from zorgeval.synthetic._common import (
    TRI,
    SyntheticData,
    allocate,
    dates,
    ids,
    ranked_levels,
    scaled,
    shuffled_labels,
    tri,
    tri_codes,
)

#: Practitioners per organisation (003: 1478-1494, 4176-4190).
ORGANISATIONS = {"A": 11, "B": 14, "C": 22, "D": 24}
#: Teams per organisation: seven teams (003: 1406); organisation D has teams 5, 6 and 7
#: (footnote 99, 003: 4475) and the goal study compares teams 1-4 (003: 6423, 7391). Which of
#: teams 1-4 belongs to A, B or C is INVENTED.
TEAMS = {"A": ["team 1"], "B": ["team 2"], "C": ["team 3", "team 4"],
         "D": ["team 5", "team 6", "team 7"]}
#: The families come from three organisations (003: 1984, 2367); the overall analysis compares
#: A, B and C (003: 6047-6048, 8042-8044). Families per organisation in proportion to its
#: practitioners — INVENTED.
FAMILY_ORGANISATIONS = ["A", "B", "C"]
#: Families per profile; 17 could not be assigned (003: 3927-3931).
PROFILE_COUNTS = {"A": 70, "B": 66, "C": 97, "D": 86, "E": 52, "unassignable": 17}
#: Family types, six types of section 4.2.2 (003: 2429-2452).
FAMILY_TYPE_COUNTS = {"traditional": 154, "single_parent": 111, "blended_single_parent": 20,
                      "blended": 39, "blended_in_divorce": 10, "in_divorce": 54}
#: Multi-problem families 247 of 388 (003: 3555-3559); 138 non-multi-problem families were
#: assessed as risk family, 62 of them could not be (003: 3852-3856); the remaining 3 are
#: undetermined on the multi-problem rule itself (invented to make 247 + 138 = 385 add up).
MULTIPROBLEM_COUNTS = {"yes": 247, "undetermined": 3, "no": 138}
RISK_UNDETERMINED = 62
#: Families with a GAS measurement (003: 7745-7748, "de 244 gezinnen ... met een GAS-meting").
N_GAS_FAMILIES = 244
N_FAMILIES = 388

#: Planted loadings of the method items: the three factors of table 34 (003: 5492-5503) and the
#: items the workflow of section 4.11 takes out (ACT1 clusters with the network items; ACT2,
#: ACT3, VG1, VG3 load on two components, 003: 5466-5478). Loadings are INVENTED, chosen so that
#: the printed pattern is recognisable in 71 respondents.
RESET_LOADINGS = pd.DataFrame(
    {
        "F1": [0.9, 0.9, 0.75, 0.7, 0, 0, 0, 0, 0, 0, 0.7, 0, 0.55, 0.55, 0],
        "F2": [0, 0, 0, 0, 0.9, 0.9, 0.75, 0.65, 0, 0, 0, 0.55, 0.55, 0.55, 0.55],
        "F3": [0, 0, 0, 0, 0, 0, 0, 0, 0.9, 0.85, 0, 0.55, 0, 0, 0.55],
    },
    index=["NWG4", "NWG2", "NWG3", "NWG1", "VG4", "GEN2", "EMP2", "VG2", "GEN1", "EMP1",
           "ACT1", "ACT2", "ACT3", "VG1", "VG3"],
)
METHOD_GROUPS = {"network": ["NWG1", "NWG2", "NWG3", "NWG4"],
                 "demand_led": ["VG2", "VG4", "GEN2", "EMP2"],
                 "broad": ["GEN1", "EMP1"]}

PROFILES = ["A", "B", "C", "D", "E", "unassignable"]
#: Registration items: (item, role it is recorded for, base log-odds of yes, unknown share,
#: log-odds added per profile). The profile effects follow the direction of tables 15-18
#: (003: 3971-4207); their sizes, the base rates and the unknown shares are INVENTED.
MEMBER_ITEMS = [
    ("parenting_support", "parent", 1.0, 0.05, {}),
    ("school_work", "child", -0.5, 0.12, {}),
    ("finances_debts", "parent", 0.2, 0.10, {"E": 0.5}),
    ("administration_budgeting", "parent", -0.2, 0.10, {"B": 0.6}),
    ("household_organisation", "parent", -0.4, 0.08, {"A": 1.0}),
    ("housing", "parent", -0.8, 0.10, {"D": 0.4}),
    ("unemployment", "parent", 0.0, 0.15, {}),
    ("divorce_relationship_problems", "parent", -0.3, 0.08, {}),
    ("domestic_violence", "parent", -1.2, 0.15, {"A": 0.8}),
    ("social_isolation", "child", -1.8, 0.20, {"A": 1.3, "B": 0.5}),
    ("loss_grief", "parent", -0.6, 0.12, {"D": 1.2, "B": -1.2}),
    ("suicidal_behaviour", "parent", -3.0, 0.20, {}),
    ("physical_complaints", "parent", -0.8, 0.12, {"D": 1.0, "A": -1.3}),
    ("psychiatric_psychological", "parent", 0.2, 0.10, {"C": 1.6, "D": -0.4}),
    ("addiction", "parent", -1.5, 0.15, {"C": 0.6, "A": 0.4}),
    ("youth_care_history", "parent", -0.8, 0.30, {"C": 0.8, "A": 0.5}),
    ("overburdening", "parent", -0.5, 0.10, {"E": 1.8}),
    ("physical_abuse", "child", -2.2, 0.20, {"A": 0.9}),
    ("sexual_abuse", "child", -3.5, 0.25, {}),
    ("neglect", "child", -2.0, 0.20, {"A": 0.9}),
    ("poor_dutch", "parent", -1.5, 0.05, {"B": 1.8}),
    ("other", "parent", -1.5, 0.10, {}),
    ("intellectual_disability", "parent", -1.2, 0.20, {"C": 1.4}),
    ("intellectual_disability", "child", -1.3, 0.25, {"C": 1.0, "B": -1.3}),
    ("behaviour_problems", "child", -0.5, 0.12, {}),
]
#: Bodden & Deković domains (003: 2678-2700).
DOMAINS = ["child", "parent", "parenting", "family_functioning", "context", "social_network",
           "care_history"]
#: Effect of the profile on the GAS result (latent scale, SD of the noise 1). Direction from the
#: overall analysis of parent goal 1 (003: 6697-6703: profile A families do worse); INVENTED sizes.
OUTCOME_PROFILE = {"A": -0.7, "B": 0.3, "C": 0.0, "D": 0.3, "E": -0.1, "unassignable": 0.0}
#: Effect of the practitioner's method scores (standardised) on the GAS result — INVENTED.
OUTCOME_METHOD = {"network": 0.4, "demand_led": 0.3, "broad": 0.15}
GAS_LEVELS = np.array([-2, -1, 0, 1, 2])


def published_gas_levels() -> pd.DataFrame:
    """The printed ReSet GAS distributions, extracted from the seed by
    ``zorgeval/data/published/extract_published.py`` (one row per goal category).

    Examples
    --------
    >>> published_gas_levels().loc["child-1", ["pct_p2", "n", "line"]].tolist()
    [65.9, 126.0, 5808.0]
    """
    with resources.as_file(resources.files("zorgeval") / "data" / "published"
                           / "reset_gas_levels.csv") as path:
        return pd.read_csv(path).set_index("category")


def _survey(seed: int) -> pd.DataFrame:
    survey = simulate_survey(get_instrument("reset"), groups=ORGANISATIONS, seed=seed,
                             loadings=RESET_LOADINGS)
    team_no = survey.groupby("organisation").cumcount().to_numpy()
    team = [TEAMS[o][k % len(TEAMS[o])] for o, k in zip(survey["organisation"], team_no, strict=True)]
    survey.insert(2, "team", team)
    return survey


def _method_scores(survey: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for name, items in METHOD_GROUPS.items():
        m = survey[items].astype(float).mean(axis=1)
        out[name] = ((m - m.mean()) / m.std(ddof=1)).to_numpy()
    return pd.DataFrame(out, index=survey["respondent"].to_numpy())


def _families(n: int, survey: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    orgs = np.array(FAMILY_ORGANISATIONS)
    org = shuffled_labels(orgs, allocate([ORGANISATIONS[o] for o in orgs], n), rng).astype(str)
    # a practitioner of the family's organisation, uniformly (vectorised per organisation code)
    prac_by_org = {o: survey.loc[survey["organisation"] == o, "respondent"].to_numpy() for o in orgs}
    practitioner = np.empty(n, dtype=object)
    for o in orgs:
        idx = np.flatnonzero(org == o)
        practitioner[idx] = prac_by_org[o][rng.integers(0, len(prac_by_org[o]), len(idx))]
    team = survey.set_index("respondent")["team"].reindex(practitioner).to_numpy()
    profile = shuffled_labels(PROFILES, allocate(list(PROFILE_COUNTS.values()), n), rng).astype(str)
    # family type: exact counts; care-avoiding (A) and overburdened (E) families are less often
    # traditional (table 15: broken families in profile A)
    type_counts = allocate(list(FAMILY_TYPE_COUNTS.values()), n)
    key = rng.standard_normal(n) + 1.0 * (profile == "A") + 0.4 * (profile == "E")
    ftype = np.empty(n, dtype=object)
    order = np.argsort(key, kind="stable")
    n_trad = type_counts[0]
    ftype[order[:n_trad]] = "traditional"
    ftype[order[n_trad:]] = shuffled_labels(list(FAMILY_TYPE_COUNTS)[1:], type_counts[1:], rng)
    separating = tri_codes(np.isin(ftype, ["in_divorce", "blended_in_divorce"]))
    return pd.DataFrame({
        "family": ids("G", n),
        "organisation": org,
        "team": team,
        "practitioner": practitioner,
        # trajectories closed in 2014-2016 (003: 1771-1773): start 2013-07-01 .. 2016-06-30
        "start_date": dates("2013-07-01", rng.integers(0, 3 * 365, n)),
        "profile": profile,
        "separating": separating,
        "network_support": tri(n, 0.45 - 0.2 * (profile == "A"), 0.1, rng),
        "care_ended": tri_codes(rng.random(n) < 0.9),
        "_type": ftype,
    })


def _members(fam: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(fam)
    ftype = fam["_type"].to_numpy()
    profile = fam["profile"].to_numpy()
    two_parents = ~np.isin(ftype, ["single_parent", "blended_single_parent"])
    # 876 children in 388 families (003: 1771): about 2.3 per family, at most four on the form
    n_children = np.clip(1 + rng.poisson(1.35, n), 1, 4)
    n_children = np.where(ftype == "blended_single_parent", np.maximum(n_children, 2), n_children)
    # ages: oldest child 0.3-17.5 years; mother's age at her first birth, younger in profile B
    # (table 16: teen or young mother)
    oldest = rng.uniform(0.3, 17.5, n)
    # 15 plus a gamma: mean 27 (SD 6), in profile B mean 22 (SD 4); no mother below 15
    is_b = profile == "B"
    first_birth = np.minimum(15.0 + rng.gamma(np.where(is_b, 3.0, 4.0), np.where(is_b, 2.4, 3.0)), 45.0)
    # --- parents ------------------------------------------------------------------------------
    n_par = np.where(two_parents, 2, 1)
    pf = np.repeat(np.arange(n), n_par)
    first = np.r_[True, pf[1:] != pf[:-1]]
    single_father = rng.random(n) < 0.12
    is_mother = np.where(first, ~(single_father[pf] & ~two_parents[pf]), False)
    partner_bio = ~np.isin(ftype, ["blended", "blended_in_divorce"])
    biological = tri_codes(first | partner_bio[pf])
    age_mother = oldest + first_birth
    # a partner 2.5 years older on average, at least 16 at the oldest child's birth
    partner_age = np.maximum(age_mother[pf] + rng.normal(2.5, 3.0, len(pf)), oldest[pf] + 16.0)
    age = np.where(is_mother | first, age_mother[pf], partner_age)
    parents = pd.DataFrame({
        "f": pf, "member": np.where(is_mother, "M", "V"),
        "role": "parent", "sex": np.where(is_mother, "f", "m"), "biological": biological,
        "sibling_group": None, "age": age,
        "education": rng.choice(["no_start_qualification", "mbo_havo_vwo", "hbo_university",
                                 "unknown"], len(pf), p=[0.45, 0.38, 0.07, 0.10]),
        "country_of_birth": np.where(
            np.repeat(profile == "B", n_par) & (rng.random(len(pf)) < 0.5),
            rng.choice(["other_non_western", "morocco", "turkey"], len(pf)),
            rng.choice(["netherlands", "suriname", "antilles", "other_western", "unknown"],
                       len(pf), p=[0.78, 0.07, 0.05, 0.05, 0.05])),
    })
    # --- children ------------------------------------------------------------------------------
    cf = np.repeat(np.arange(n), n_children)
    rank = np.arange(len(cf)) - np.repeat(np.cumsum(n_children) - n_children, n_children)
    gaps = rng.uniform(1.0, 4.0, len(cf)) * (rank > 0)
    # ages within a family: the oldest minus the running sum of 1-4 year gaps
    cum = np.cumsum(gaps)
    offsets = np.cumsum(n_children) - n_children
    within = cum - np.repeat(cum[offsets] - gaps[offsets], n_children)
    cage = np.maximum(oldest[cf] - within, 0.05)
    sib = np.where((ftype[cf] == "blended_single_parent") & (rank > 0), "b", "a")
    children = pd.DataFrame({
        "f": cf, "member": "K" + pd.Series(rank + 1).astype(str).to_numpy(), "role": "child",
        "sex": rng.choice(["f", "m"], len(cf)), "biological": None, "sibling_group": sib,
        "age": cage, "education": None, "country_of_birth": None,
    })
    m = pd.concat([parents, children], ignore_index=True).sort_values(["f", "role"], kind="stable",
                                                                      ascending=[True, False])
    m = m.reset_index(drop=True)
    start = fam["start_date"].to_numpy()[m["f"].to_numpy()]
    dob = pd.Series(start - pd.to_timedelta(np.round(m["age"].to_numpy() * 365.25), unit="D"))
    # unknown dates of birth: parents 8 % (355 of 388 mothers known, 003: 2372), children 2 %
    # (never the oldest child, so every family keeps a known minor child)
    is_parent = (m["role"] == "parent").to_numpy()
    unknown_dob = rng.random(len(m)) < np.where(is_parent, 0.08, 0.02)
    unknown_dob &= ~((m["role"] == "child") & (m["member"] == "K1")).to_numpy()
    dob[unknown_dob] = pd.NaT
    m.insert(0, "family", fam["family"].to_numpy()[m["f"].to_numpy()])
    m["date_of_birth"] = dob.dt.date.to_numpy()
    # --- registration items: a family-level state per (item, role), recorded on the first
    # member with that role; the other members get "no"
    f_idx = m["f"].to_numpy()
    role = m["role"].to_numpy()
    first_of_role = ~pd.DataFrame({"f": f_idx, "r": role}).duplicated().to_numpy()
    for item, item_role, base, p_unknown, effects in MEMBER_ITEMS:
        logit = base + pd.Series(profile).map(effects).fillna(0.0).to_numpy(dtype=float)
        state = tri(n, 1.0 / (1.0 + np.exp(-logit)), p_unknown, rng)
        col = m[item].to_numpy(dtype=object) if item in m.columns else TRI[np.zeros(len(m), dtype=np.int8)]
        here = first_of_role & (role == item_role)
        col[here] = state[f_idx[here]]
        m[item] = col
    return m.drop(columns=["f", "age"])


def _domains(fam: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    n = len(fam)
    profile = fam["profile"].to_numpy()
    counts = allocate(list(MULTIPROBLEM_COUNTS.values()), n)
    key = rng.standard_normal(n) + 0.8 * (profile == "C") + 0.5 * (profile == "A")
    status = np.empty(n, dtype=object)
    order = np.argsort(-key, kind="stable")
    status[order[:counts[0]]] = "yes"
    status[order[counts[0]:counts[0] + counts[1]]] = "undetermined"
    status[order[counts[0] + counts[1]:]] = "no"
    n_yes = np.where(status == "yes", np.where(rng.random(n) < 0.6, 7, 6),
                     np.where(status == "undetermined", 5, rng.integers(2, 6, n)))
    n_unknown = np.where(status == "undetermined", 1,
                         np.where(status == "no", (rng.random(n) * (6 - n_yes)).astype(int), 0))
    rank = np.argsort(np.argsort(rng.random((n, len(DOMAINS))), axis=1), axis=1)
    values = tri_codes(rank < n_yes[:, None], (rank >= n_yes[:, None]) & (rank < (n_yes + n_unknown)[:, None]))
    out = pd.DataFrame(values, columns=DOMAINS)
    out.insert(0, "family", fam["family"].to_numpy())
    return out, status


def _rmo(fam: pd.DataFrame, mp_status: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    ids = list(get_rule("risk_family_rmo").definition.indicator_ids)
    n, k = len(fam), len(ids)
    no_mp = np.flatnonzero(mp_status == "no")
    # exactly 62 of 138 non-multi-problem families (scaled) have an unknown indicator
    n_und = int(allocate([RISK_UNDETERMINED, 138 - RISK_UNDETERMINED], len(no_mp))[0])
    has_unknown = rng.random(n) < 0.45
    has_unknown[no_mp] = False
    has_unknown[rng.permutation(no_mp)[:n_und]] = True
    n_unknown = np.where(has_unknown, rng.integers(1, 4, n), 0)
    n_yes = np.clip(rng.poisson(3.2, n) + (mp_status == "yes"), 0, k - 3)
    rank = np.argsort(np.argsort(rng.random((n, k)), axis=1), axis=1)
    values = tri_codes(rank < n_yes[:, None], (rank >= n_yes[:, None]) & (rank < (n_yes + n_unknown)[:, None]))
    out = pd.DataFrame(values, columns=ids)
    out.insert(0, "family", fam["family"].to_numpy())
    return out


def _goals(fam: pd.DataFrame, scores: pd.DataFrame, n_gas: int, scale: float,
           rng: np.random.Generator) -> pd.DataFrame:
    pub = published_gas_levels()
    gas_idx = np.sort(rng.permutation(len(fam))[:n_gas])
    prac = fam["practitioner"].to_numpy()[gas_idx]
    method = sum(w * scores[name].reindex(prac).to_numpy() for name, w in OUTCOME_METHOD.items())
    base = fam["profile"].map(OUTCOME_PROFILE).to_numpy()[gas_idx] + method
    family_effect = rng.normal(0.0, 0.7, n_gas)
    parts = []
    for category, row in pub.iterrows():
        n_c = min(n_gas, scaled(int(row["n"]), scale))
        who = np.sort(rng.permutation(n_gas)[:n_c])
        activities = rng.random(n_c) < 0.85
        latent = base[who] + family_effect[who] + 0.4 * activities + rng.standard_normal(n_c)
        pct = row[["pct_m2", "pct_m1", "pct_0", "pct_p1", "pct_p2"]].to_numpy(dtype=float)
        level = ranked_levels(latent, GAS_LEVELS, allocate(pct, n_c))
        fam_ids = fam["family"].to_numpy(dtype=object)[gas_idx[who]]
        parts.append(pd.DataFrame({
            "family": fam_ids,
            "goal": np.char.add(fam_ids.astype(str), f":{category}"),
            "category": category,
            "level": level.astype(np.int64),
            "activities": tri_codes(activities),
        }))
    goals = pd.concat(parts, ignore_index=True)
    return goals.sort_values(["family", "goal"], kind="stable").reset_index(drop=True)


# practitioners of the organisations who did not return the survey (the survey's 71 did)
N_NON_RESPONDENTS = {"A": 2, "B": 3, "C": 2, "D": 2}


def _monitoring(fam: pd.DataFrame, survey: pd.DataFrame, seed: int) -> tuple[pd.Series, pd.DataFrame]:
    """The dates of the monitoring indicators, from a generator of their own (the other
    frames do not change): each ended trajectory's end date (6 to 24 months after the start;
    the date of the goals' end evaluation), and the practitioners with the date they finished
    the training (about 85 %) and the date they returned the fidelity survey (2015 Q2-Q3)."""
    rng = np.random.default_rng([seed, 1])
    n = len(fam)
    ended = (fam["care_ended"] == "yes").to_numpy()
    end = fam["start_date"] + pd.to_timedelta(rng.integers(182, 731, n), unit="D")
    end = end.where(ended)
    extra = [(o, f"synthetic-{o}-{90 + i:02d}") for o, k in N_NON_RESPONDENTS.items()
             for i in range(k)]
    names = np.concatenate([survey["respondent"].to_numpy(dtype=object), [p for _, p in extra]])
    orgs = np.concatenate([survey["organisation"].to_numpy(dtype=object), [o for o, _ in extra]])
    m = len(names)
    trained = dates("2013-03-01", rng.integers(0, 1035, m)).where(rng.random(m) < 0.85)
    returned = dates("2015-04-01", rng.integers(0, 183, m))
    returned = returned.where(np.arange(m) < len(survey))
    practitioners = pd.DataFrame({"practitioner": names, "organisation": orgs,
                                  "trained_date": trained.dt.date,
                                  "survey_date": returned.dt.date})
    return end, practitioners


NOTE = ("SYNTHETIC ReSet evaluation data drawn by zorgeval.synthetic.make_reset: counts, "
        "proportions and distributions follow the dissertation's published figures (see "
        "docs/synthetic-data.md); the families, practitioners and answers are invented.")


def make_reset(seed: int = 2024, scale: float = 1.0) -> SyntheticData:
    """Draw a complete SYNTHETIC ReSet evaluation data set.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed and scale give identical frames.
    scale : float
        Multiplies the case counts (families, GAS families, goals); the practitioner survey
        stays at 71. ``scale=1000`` gives 388,000 families. Drawn with vectorised numpy.

    Returns
    -------
    SyntheticData
        Frames (every one with ``attrs["synthetic"] = True``):

        * ``survey`` — 71 practitioners (organisations A 11, B 14, C 22, D 24, with a team),
          the ReSet fidelity survey in the format of :func:`fidelity.score_survey`; the method
          items carry the factor structure of table 34 (:data:`RESET_LOADINGS`);
        * ``families`` — one row per family (the ``families`` frame of
          :func:`profiles.validate_registration`): organisation (A-C), team, practitioner, start
          date, profile A-E or ``unassignable``, family items;
        * ``members`` — one row per family member in the registration-list format;
        * ``domains`` — the seven Bodden & Deković domains per family (yes/no/unknown), input
          of :func:`profiles.classify_multiproblem`;
        * ``rmo`` — the sixteen RMO risk indicators per family, input of
          :func:`profiles.classify_risk_family`;
        * ``goals`` — GAS results (one joint end rating per goal, levels -2…+2 of ``gas5``) of
          244 families in the goal categories of the ``reset`` taxonomy, with the activities
          flag; input of :func:`gas.validate_goals` with ``case="family", rater=None,
          default_rater="joint", period=None, activities="activities"``;
        * ``practitioners`` — the survey's 71 practitioners and 9 who did not return it, with
          the date they finished the training and the date they returned the survey (the
          dates of the monitoring indicators, :mod:`zorgeval.monitoring`); the families also
          carry the ``end_date`` of an ended trajectory.

    Examples
    --------
    >>> d = make_reset()
    >>> len(d["survey"]), len(d["families"]), d["goals"]["family"].nunique()
    (71, 388, 244)
    >>> d["families"]["profile"].value_counts()["C"], d["goals"].attrs["synthetic"]
    (np.int64(97), True)
    """
    rng = np.random.default_rng(seed)
    survey = _survey(seed)
    n = scaled(N_FAMILIES, scale)
    fam = _families(n, survey, rng)
    members = _members(fam, rng)
    domains, mp_status = _domains(fam, rng)
    rmo = _rmo(fam, mp_status, rng)
    goals = _goals(fam, _method_scores(survey), min(n, scaled(N_GAS_FAMILIES, scale)), scale, rng)
    families = fam.drop(columns=["_type"])
    families["end_date"], practitioners = _monitoring(families, survey, seed)
    for col in ("start_date", "end_date"):
        families[col] = families[col].dt.date
    return SyntheticData(
        "reset",
        {"survey": survey, "families": families, "members": members, "domains": domains,
         "rmo": rmo, "goals": goals, "practitioners": practitioners},
        note=NOTE, seed=seed, scale=scale,
    )
