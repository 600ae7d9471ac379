"""SYNTHETIC Nieuwe Perspectieven (NP) evaluation data (dissertation chapter 5), vectorised.

What is calibrated to which seed line, and what is invented, is in ``docs/synthetic-data.md``.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

from fidelity import get_instrument, simulate_survey
from zorgeval.synthetic._common import (
    TRI,
    SyntheticData,
    allocate,
    dates,
    ids,
    scaled,
    shuffled_labels,
    tri,
    tri_codes,
)

#: Practitioners per location: A 34 (table 73, 003: 9125), B the remaining 19 of 53.
LOCATIONS = {"A": 34, "B": 19}
N_YOUTHS = 935
#: Premature ends: 135 of 935 youths, 14.4 % (003: 2034-2035).
N_DROPOUT = 135
#: When a premature end happened (contact number 1-10). "Mostly within the first three
#: contacts" (003: 2034 ff.); the shares are INVENTED.
DROPOUT_CONTACT_P = np.array([0.30, 0.22, 0.16, 0.08, 0.07, 0.05, 0.04, 0.03, 0.03, 0.02])
#: VIP ratings: too sparse to analyse, at most 50 of 1359 evaluations (003: 2025-2031).
VIP_EVALUATIONS = 45
#: Share of evaluations without a youth rating ("regularly missing", 003: 2045) — INVENTED size.
YOUTH_MISSING = 0.2
#: NP goal categories used (the top-level goals of the four domains, 003: 10179 ff.) and their
#: relative frequency — INVENTED.
NP_CATEGORIES = {"basics-1": 3, "basics-2": 2, "basics-3": 2, "finances-1": 2, "finances-2": 2,
                 "housing-1": 2, "housing-2": 1, "challenges-1": 2, "challenges-2": 2,
                 "challenges-3": 1, "challenges-4": 1, "challenges-5": 1,
                 "participation-1": 3, "participation-2": 2}
#: Target characteristics recorded at start and close (rule ``np_target_characteristics``):
#: share yes at start, share of the yes that become no by the close, share of the no that
#: become yes, unknown share — INVENTED, except homeless at start (below).
TARGET = {
    "homeless": (None, 0.5, 0.05, 0.0),
    "young_parent": (0.12, 0.0, 0.03, 0.02),
    "start_qualification": (0.35, 0.0, 0.10, 0.08),
    "school": (0.45, 0.2, 0.15, 0.05),
    "work": (0.20, 0.15, 0.25, 0.05),
}
#: Published counts of section 5.8 (003: 10056-10076), reproduced exactly (scaled):
#: 494 men and 441 women; homeless at the start of support 421 (45 %); police/justice contact
#: known for 416 youths, yes for 200 (130 of 216 men known, 70 of 200 women known); mental-health
#: complaints known for 923, yes for 314, more often with more periods (27.1 % with one,
#: 54.4 % with two, 59.7 % with three periods); learnability known for 338, insufficiently
#: learnable 66; age at registration 15-27, mean 20.8.
SEX_COUNTS = {"m": 494, "f": 441}
HOMELESS_START = 421
POLICE_KNOWN = {"m": 216, "f": 200}
POLICE_YES = {"m": 130, "f": 70}
MENTAL_KNOWN, MENTAL_YES = 923, 314
MENTAL_BY_PERIODS = {1: 0.271, 2: 0.544, 3: 0.597}
LEARNABLE_KNOWN, NOT_LEARNABLE = 338, 66


def _top(key: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the ``k`` largest values of ``key``."""
    mask = np.zeros(len(key), dtype=bool)
    mask[np.argsort(-key, kind="stable")[:k]] = True
    return mask


def _scaled_count(published: int, total: int, n: int) -> int:
    return int(allocate([published, total - published], n)[0])


def published_periods() -> pd.DataFrame:
    """Table 86 as extracted by ``zorgeval/data/published/extract_published.py``.

    Examples
    --------
    >>> published_periods()["evaluations"].tolist()
    [935, 280, 92, 41, 8, 3]
    """
    with resources.as_file(resources.files("zorgeval") / "data" / "published"
                           / "np_periods.csv") as path:
        return pd.read_csv(path)


def _youths(n: int, survey: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    locs = np.array(list(LOCATIONS))
    loc = shuffled_labels(locs, allocate(list(LOCATIONS.values()), n), rng).astype(str)
    practitioner = np.empty(n, dtype=object)
    for code in locs:
        idx = np.flatnonzero(loc == code)
        pool = survey.loc[survey["location"] == code, "respondent"].to_numpy()
        practitioner[idx] = pool[rng.integers(0, len(pool), len(idx))]
    periods = published_periods()
    n_periods = shuffled_labels(periods["period"].to_numpy(),
                                allocate(periods["youths_with_n_periods"].to_numpy(), n),
                                rng).astype(np.int64)
    # dropouts: exactly 14.4 %, three times as likely among youths with a single period
    # (weighted draw without replacement: the smallest exponential(1) / weight keys)
    n_drop = int(allocate([N_DROPOUT, N_YOUTHS - N_DROPOUT], n)[0])
    key = rng.exponential(1.0, n) / np.where(n_periods == 1, 3.0, 1.0)
    drop = np.zeros(n, dtype=bool)
    drop[np.argsort(key, kind="stable")[:n_drop]] = True
    contact = rng.choice(np.arange(1, 11), n, p=DROPOUT_CONTACT_P)
    sex = shuffled_labels(list(SEX_COUNTS), allocate(list(SEX_COUNTS.values()), n), rng).astype(str)
    out = pd.DataFrame({
        "youth": ids("J", n),
        "location": loc,
        "practitioner": practitioner,
        "start_date": dates("2015-10-01", rng.integers(0, 791, n)).dt.date,  # 003: 2029
        "sex": sex,
        "age": np.clip(np.round(rng.normal(20.8, 2.4, n)), 15, 27).astype(np.int64),
        "n_periods": n_periods,
        "premature": drop,
        "dropout_contact": pd.Series(contact, dtype="Int64").where(drop),
    })
    homeless = tri_codes(_top(rng.random(n), _scaled_count(HOMELESS_START, N_YOUTHS, n)))
    for item, (p_start, p_off, p_on, p_unknown) in TARGET.items():
        start = homeless if item == "homeless" else tri(n, p_start, p_unknown, rng)
        change = rng.random(n)
        was_yes = start == "yes"
        close_yes = np.where(was_yes, change >= p_off, change < p_on)
        close = tri_codes(close_yes, (start == "unknown") | (rng.random(n) < p_unknown))
        out[f"{item}_start"] = start
        out[f"{item}_close"] = close
    # close only: exact published counts
    police = TRI[np.full(n, 2, dtype=np.int8)]
    for code in SEX_COUNTS:
        idx = np.flatnonzero(sex == code)
        known = idx[_top(rng.random(len(idx)), _scaled_count(POLICE_KNOWN[code], SEX_COUNTS[code], len(idx)))]
        yes = known[_top(rng.random(len(known)), _scaled_count(POLICE_YES[code], POLICE_KNOWN[code], len(known)))]
        police[known] = TRI[0]
        police[yes] = TRI[1]
    out["police_justice_contact_close"] = police
    known = _top(rng.random(n), _scaled_count(MENTAL_KNOWN, N_YOUTHS, n))
    p = pd.Series(np.minimum(n_periods, 3)).map(MENTAL_BY_PERIODS).to_numpy()
    key = np.log(p / (1 - p)) + rng.logistic(0.0, 1.0, n)  # P(key > 0) = p
    key[~known] = -np.inf
    yes = _top(key, _scaled_count(MENTAL_YES, N_YOUTHS, n))
    out["mental_health_complaints_close"] = tri_codes(yes, ~known)
    known = _top(rng.random(n), _scaled_count(LEARNABLE_KNOWN, N_YOUTHS, n))
    key = np.where(known, rng.random(n), -np.inf)
    insufficient = _top(key, _scaled_count(NOT_LEARNABLE, N_YOUTHS, n))
    out["sufficiently_learnable_close"] = tri_codes(~insufficient, ~known)
    return out


def _ratings(youths: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(youths)
    cats = np.array(list(NP_CATEGORIES), dtype=object)
    p = np.array(list(NP_CATEGORIES.values()), dtype=float)
    p /= p.sum()
    # 1-4 goals per youth in distinct categories (Gumbel top-k draw, vectorised)
    n_goals = 1 + rng.binomial(3, 0.3, n)
    keys = np.log(p)[None, :] - np.log(-np.log(rng.random((n, len(cats)))))
    top = np.argsort(-keys, axis=1)
    g_youth = np.repeat(np.arange(n), n_goals)
    g_rank = np.arange(len(g_youth)) - np.repeat(np.cumsum(n_goals) - n_goals, n_goals)
    g_cat = cats[top[g_youth, g_rank]]
    ability = rng.normal(0.0, 1.0, n)
    goal_effect = ability[g_youth] + rng.normal(0.0, 0.6, len(g_youth))
    # one row per goal and period
    n_per = youths["n_periods"].to_numpy()[g_youth]
    e_goal = np.repeat(np.arange(len(g_youth)), n_per)
    e_period = np.arange(len(e_goal)) - np.repeat(np.cumsum(n_per) - n_per, n_per) + 1
    e_youth = g_youth[e_goal]
    latent = 0.6 + goal_effect[e_goal] + 0.35 * (e_period - 1) + rng.normal(0.0, 0.5, len(e_goal))
    cuts = np.array([-1.8, -0.9, 0.0, 1.0])  # -> levels -2..+2 (INVENTED cut points)

    def level(x):
        return np.searchsorted(cuts, x).astype(np.int64) - 2

    practitioner = level(latent + rng.normal(0.0, 0.5, len(e_goal)))
    youth = level(latent + 0.2 + rng.normal(0.0, 0.6, len(e_goal)))
    vip = level(latent + rng.normal(0.0, 0.6, len(e_goal)))
    # missing youth ratings and sparse VIP ratings are decided per evaluation (youth x period)
    evaluation = pd.factorize(pd.Series(e_youth) * 100 + e_period)[0]
    n_eval = evaluation.max() + 1
    youth_missing = (rng.random(n_eval) < YOUTH_MISSING)[evaluation]
    vip_eval = np.zeros(n_eval, dtype=bool)
    vip_eval[rng.permutation(n_eval)[:min(n_eval, max(1, round(VIP_EVALUATIONS * n_eval / 1359)))]] = True
    vip_present = vip_eval[evaluation]
    # object arrays: every rating row refers to the same id strings instead of copying them
    youth_ids = youths["youth"].to_numpy(dtype=object)
    goal_id = np.char.add(np.char.add(youth_ids[g_youth].astype(str), ":"),
                          g_cat.astype(str)).astype(object)
    frames = []
    for rater, lev, keep in (("practitioner", practitioner, np.ones(len(e_goal), bool)),
                             ("youth", youth, ~youth_missing), ("vip", vip, vip_present)):
        frames.append(pd.DataFrame({
            "youth": youth_ids[e_youth[keep]], "goal": goal_id[e_goal[keep]],
            "category": g_cat[e_goal[keep]], "rater": rater,
            "period": e_period[keep].astype(np.int64), "level": lev[keep],
        }))
    out = pd.concat(frames, ignore_index=True)
    order = {"youth": 0, "practitioner": 1, "vip": 2}
    out["_r"] = out["rater"].map(order)
    out = out.sort_values(["youth", "goal", "period", "_r"], kind="stable").drop(columns="_r")
    return out.reset_index(drop=True)


NOTE = ("SYNTHETIC NP evaluation data drawn by zorgeval.synthetic.make_np: counts, periods and "
        "dropout follow the dissertation's published figures (see docs/synthetic-data.md); the "
        "youths, practitioners and ratings are invented.")


def make_np(seed: int = 2024, scale: float = 1.0) -> SyntheticData:
    """Draw a complete SYNTHETIC NP evaluation data set.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed and scale give identical frames.
    scale : float
        Multiplies the case counts (youths and their evaluations); the survey stays at 53.

    Returns
    -------
    SyntheticData
        Frames (every one with ``attrs["synthetic"] = True``):

        * ``survey`` — 53 practitioners at locations A 34 and B 19, the NP fidelity survey;
        * ``youths`` — 935 youths: location, practitioner, start date, number of 3-month
          periods (table 86), ``premature`` (bool; 135 = 14.4 %) and the contact at which it
          happened, and the NP target characteristics ``<item>_start`` / ``<item>_close``
          (input of :func:`profiles.np_target_change`);
        * ``ratings`` — GAS ratings in long format (one row per goal, period and rater:
          ``youth``, ``practitioner``, ``vip``; levels -2…+2 of ``gas5``): 1,359 evaluations
          (youth × period), youth ratings missing for about a fifth of them, VIP ratings for
          about 45; input of :func:`gas.validate_goals` with ``taxonomy="np", case="youth"``.

    Examples
    --------
    >>> d = make_np()
    >>> len(d["survey"]), len(d["youths"])
    (53, 935)
    >>> len(d["ratings"][["youth", "period"]].drop_duplicates())
    1359
    """
    rng = np.random.default_rng(seed)
    survey = simulate_survey(get_instrument("np"), groups=LOCATIONS, seed=seed,
                             group_column="location")
    youths = _youths(scaled(N_YOUTHS, scale), survey, rng)
    ratings = _ratings(youths, rng)
    return SyntheticData("np", {"survey": survey, "youths": youths, "ratings": ratings},
                         note=NOTE, seed=seed, scale=scale)
