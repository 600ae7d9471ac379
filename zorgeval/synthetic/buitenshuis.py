"""SYNTHETIC repeated-measurement data calibrated to the Buitenshuisproject pilot evaluation
(seed ``000``: sections 4.2.3-4.2.5, chapter 6 and appendix 2).

48 families with 92 children and 80 parents are measured at intake (T0) and 6, 12, 18 and 24
months later (T1-T4). Published, and reproduced exactly:

* children: 39 girls and 53 boys; aged 0-1 (20), 2-7 (39), 8-11 (26) and 12-17 (7) at T0;
  families with 1 (23), 2 (12), 3 (9) and 4 or more (4) children (table 2);
* financial strain ("moeite met rondkomen") yes in 25 families, no in 19, unknown in 4
  (table 3);
* the number of scored measurements per wave of each outcome (the ``n`` column of appendix 2):
  :data:`RESPONSE`; the satisfaction forms' response per wave (table 5): :data:`SATISFACTION`;
* the wave effects and covariate effects of the mixed models of appendix 2 are the effects the
  scores are drawn with (:data:`EFFECTS`).

INVENTED: the family and person random effects and residual SDs, parents' ages (mean 36.8,
SD 7.8 as published, the spread drawn), dates (intakes from January 2019 to June 2020), which
person drops out when, the item answers (drawn around the scale score with the instruments'
own scoring rules), the satisfaction answers and grades. Never report them as findings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from outcomes import OutcomeScale, get_outcome_instrument, get_satisfaction_form
from zorgeval.synthetic._common import SyntheticData

WAVES = ["T0", "T1", "T2", "T3", "T4"]
MONTHS = [0, 6, 12, 18, 24]
N_FAMILIES = 48
#: families by number of children (table 2); the four "4 or more" have 4, 4, 5 and 5
CHILDREN_PER_FAMILY = [1] * 23 + [2] * 12 + [3] * 9 + [4, 4, 5, 5]
#: children's age bands at T0 (table 2): (low, high, n)
CHILD_AGES = [(0, 1, 20), (2, 7, 39), (8, 11, 26), (12, 17, 7)]
N_GIRLS = 39
#: families with two measured parents (80 parents: the n of "Leeftijd ouder", appendix 2)
N_TWO_PARENTS = 32
#: financial strain per family (table 3: some or great difficulty 16 + 9, none 6 + 13, unknown 4)
STRAIN = {"yes": 25, "no": 19, "unknown": 4}
#: scored measurements per wave T0-T4 (appendix 2, column n)
RESPONSE = {
    ("pedsql", "total"): [71, 60, 42, 34, 21],
    ("sdq", "total"): [70, 55, 41, 34, 21],
    ("who5", "total"): [73, 61, 38, 27, 19],
    ("vgk", "samenwerking"): [73, 60, 38, 27, 19],
    ("vgk", "waardering"): [73, 63, 38, 27, 19],
    ("parenting_scale", "overreactivity"): [72, 63, 38, 26, 19],
    ("parenting_scale", "laxness"): [70, 62, 38, 26, 19],
}
#: satisfaction forms filled in at T1-T4 (table 5): children of 8 and older (of 34), parents
#: (one per family, of 48 families)
SATISFACTION = {"buitenshuis_child": [24, 16, 16, 5], "buitenshuis_parent": [39, 22, 16, 12]}
#: appendix 2: intercept, wave effects T1-T4, covariate effects (child: girl, age; parent:
#: strain, age); then INVENTED family SD, person SD, residual SD
EFFECTS = {
    ("pedsql", "total"): (76.42, [3.54, 0.36, 1.88, -4.13], (0.24, -0.19), (7.0, 6.0, 8.0)),
    ("sdq", "total"): (13.25, [-0.46, -1.01, 0.38, 2.03], (-3.07, -0.059), (3.5, 3.0, 3.0)),
    ("who5", "total"): (42.97, [11.23, 10.03, 16.70, 8.50], (-12.56, 0.19), (10.0, 8.0, 13.0)),
    ("vgk", "samenwerking"): (60.37, [4.10, 5.21, 4.99, 4.18], (0.01, -0.26), (5.0, 3.0, 4.5)),
    ("vgk", "waardering"): (31.05, [2.44, 2.11, 2.91, 1.89], (0.53, -0.13), (3.0, 2.0, 3.5)),
    ("parenting_scale", "overreactivity"): (2.08, [-0.20, -0.18, -0.24, -0.33], (0.11, 0.02),
                                            (0.45, 0.35, 0.5)),
    ("parenting_scale", "laxness"): (2.15, [-0.05, -0.12, -0.03, -0.20], (0.21, 0.01),
                                     (0.45, 0.35, 0.45)),
}
NOTE = ("SYNTHETIC data calibrated to the Buitenshuisproject pilot evaluation (48 families, 92 "
        "children, the response per wave of appendix 2); not real families. Never report as findings.")


def _answers(scale: OutcomeScale, target: np.ndarray, low: int, high: int,
             rng: np.random.Generator) -> np.ndarray:
    """Raw answers to the scale's items whose score lies near ``target`` (one row per target)."""
    n = len(scale.items)
    per_item = target / scale.multiplier / (n if scale.method == "sum" else 1)
    if scale.rescale is not None:
        a, b = scale.rescale
        per_item = low + (per_item - a) * (high - low) / (b - a)
    p = np.clip((per_item - low) / (high - low), 0.01, 0.99)
    keyed = low + rng.binomial(high - low, np.repeat(p[:, None], n, axis=1))
    rev = np.array([i in scale.reverse for i in scale.items])
    keyed[:, rev] = low + high - keyed[:, rev]
    return keyed


def _pick(eligible: np.ndarray, n: int, before: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``n`` of the eligible (boolean mask) persons, those measured before ten times as likely."""
    idx = np.flatnonzero(eligible)
    if n > len(idx):
        raise ValueError(f"{n} measurements asked from {len(idx)} eligible persons")
    w = np.where(before[idx], 10.0, 1.0)
    chosen = rng.choice(idx, size=n, replace=False, p=w / w.sum())
    out = np.zeros(len(eligible), dtype=bool)
    out[chosen] = True
    return out


def make_buitenshuis(seed: int = 2024) -> SyntheticData:
    """Draw the SYNTHETIC Buitenshuis evaluation data.

    Returns
    -------
    SyntheticData
        ``families`` (one row per family: intake date, financial strain, number of children)
        and ``measurements`` (long: one row per person and wave measured, with ``family``,
        ``person``, ``role``, ``wave``, ``date``, ``age``, ``sex`` (children),
        ``financial_strain`` (parents), the items of PedsQL and SDQ (children) or WHO-5, VGK
        and Parenting Scale (parents), and the satisfaction statements ``s1``... and ``grade``).

    Examples
    --------
    >>> d = make_buitenshuis()
    >>> m = d["measurements"]
    >>> len(d["families"]), m.loc[m["role"] == "child", "person"].nunique()
    (48, 92)
    >>> m.loc[m["wave"] == "T0", "role"].value_counts().to_dict()
    {'child': 92, 'parent': 80}
    >>> int(m.loc[m["wave"] == "T1"].filter(like="pedsql_").notna().any(axis=1).sum())
    60
    """
    rng = np.random.default_rng(seed)
    fam_ids = np.array([f"F{i:02d}" for i in range(1, N_FAMILIES + 1)])
    n_kids = rng.permutation(CHILDREN_PER_FAMILY)
    strain = rng.permutation(np.repeat(list(STRAIN), list(STRAIN.values())))
    intake = pd.Timestamp("2019-01-07") + pd.to_timedelta(rng.integers(0, 540, N_FAMILIES), "D")
    families = pd.DataFrame({"family": fam_ids, "intake_date": intake.strftime("%Y-%m-%d"),
                             "financial_strain": strain, "n_children": n_kids})
    fam_effect = {k: rng.normal(0, EFFECTS[k][3][0], N_FAMILIES) for k in EFFECTS}

    # persons
    kid_family = np.repeat(np.arange(N_FAMILIES), n_kids)
    n_c = len(kid_family)
    bands = np.repeat(np.arange(len(CHILD_AGES)), [b[2] for b in CHILD_AGES])
    bands = rng.permutation(bands)
    age0 = np.array([rng.uniform(CHILD_AGES[b][0], CHILD_AGES[b][1] + 0.999) for b in bands])
    girl = rng.permutation(np.r_[np.ones(N_GIRLS, bool), np.zeros(n_c - N_GIRLS, bool)])
    two = rng.permutation(np.r_[np.ones(N_TWO_PARENTS, int), np.zeros(N_FAMILIES - N_TWO_PARENTS, int)])
    par_family = np.repeat(np.arange(N_FAMILIES), 1 + two)
    n_p = len(par_family)
    par_age0 = np.round(rng.normal(36.8, 7.8, n_p).clip(19, 62), 1)
    persons = {
        "child": pd.DataFrame({"fam": kid_family, "age0": age0, "girl": girl,
                               "person": [f"{fam_ids[f]}-C{i}" for i, f in
                                          zip(_counter(kid_family), kid_family, strict=True)]}),
        "parent": pd.DataFrame({"fam": par_family, "age0": par_age0,
                                "person": [f"{fam_ids[f]}-P{i}" for i, f in
                                           zip(_counter(par_family), par_family, strict=True)]}),
    }
    rows = []
    for role, per in persons.items():
        keys = [k for k in RESPONSE if get_outcome_instrument(k[0]).respondent == role]
        measured_before = {k: np.zeros(len(per), bool) for k in keys}
        present_before = np.zeros(len(per), bool)
        person_effect = {k: rng.normal(0, EFFECTS[k][3][1], len(per)) for k in keys}
        for w, (wave, months) in enumerate(zip(WAVES, MONTHS, strict=True)):
            age = per["age0"].to_numpy() + months / 12
            eligible = (age >= 2) & (age < 19) if role == "child" else np.ones(len(per), bool)
            # who filled in anything at this wave; each instrument's respondents among them
            filled = _pick(eligible, max(RESPONSE[k][w] for k in keys), present_before, rng)
            present_before |= filled
            picks = {}
            for k in keys:
                picks[k] = _pick(filled, RESPONSE[k][w], measured_before[k], rng)
                measured_before[k] |= picks[k]
            # 0-1 year olds are measured too (with the TAPQOL, not part of these data)
            young = (age < 2) & (rng.random(len(per)) < [1.0, 0.55, 0.5, 0, 0][w])
            present = young | filled | (w == 0)  # everyone's background is recorded at intake
            days = intake[per["fam"]] + pd.to_timedelta(np.round(months * 30.44) +
                                                        rng.integers(0, 21, len(per)), "D")
            for i in np.flatnonzero(present):
                f = per["fam"].iat[i]
                row = {"family": fam_ids[f], "person": per["person"].iat[i], "role": role,
                       "wave": wave, "date": days[i].strftime("%Y-%m-%d"),
                       "age": round(float(age[i]), 2)}
                if role == "child":
                    row["sex"] = "girl" if per["girl"].iat[i] else "boy"
                else:
                    row["financial_strain"] = strain[f]
                for k in keys:
                    if not picks[k][i]:
                        continue
                    icpt, waves_eff, (b1, b2), (_, _, sd) = EFFECTS[k]
                    x1 = float(per["girl"].iat[i]) if role == "child" else float(strain[f] == "yes")
                    mu = (icpt + ([0.0] + waves_eff)[w] + b1 * x1 + b2 * age[i]
                          + fam_effect[k][f] + person_effect[k][i])
                    row[k] = mu + rng.normal(0, sd)
                rows.append(row)
    frame = pd.DataFrame(rows)
    frame = _items(frame, rng)
    frame = _satisfaction(frame, rng)
    frame = frame.sort_values(["family", "role", "person", "wave"], kind="stable")
    frame = frame.reset_index(drop=True)
    return SyntheticData("buitenshuis", {"families": families, "measurements": frame},
                         note=NOTE, seed=seed, scale=1.0)


def _counter(groups: np.ndarray) -> list[int]:
    seen: dict[int, int] = {}
    out = []
    for g in groups:
        seen[g] = seen.get(g, 0) + 1
        out.append(seen[g])
    return out


def _items(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Item answers drawn around each person's scale scores; the latent columns removed."""
    blocks = []
    for iid in ("pedsql", "sdq", "who5", "vgk", "parenting_scale"):
        inst = get_outcome_instrument(iid)
        items = pd.DataFrame(np.nan, index=frame.index, columns=inst.item_codes)
        for scale in inst.scales:
            key = (iid, scale.id)
            if key in RESPONSE:
                lat = frame[key]
                lo, hi = scale.score_range
                target = lat.clip(lo, hi)
                ok = target.notna().to_numpy()
                items.loc[ok, scale.items] = _answers(scale, target[ok].to_numpy(),
                                                      inst.response.low, inst.response.high, rng)
        if iid == "sdq":  # prosocial items: answered wherever the SDQ was
            pro = inst.scale("prosocial")
            ok = items[inst.scale("total").items].notna().any(axis=1).to_numpy()
            items.loc[ok, pro.items] = rng.binomial(2, 0.7, (ok.sum(), len(pro.items)))
        if iid in ("pedsql", "sdq"):  # a few items skipped, within the minimum answered
            filled = items.notna().to_numpy()
            skip = filled & (rng.random(items.shape) < 0.01)
            items = items.mask(skip)
        order = sorted(items.columns, key=lambda c: (c.rstrip("0123456789"),
                                                     int(c[len(c.rstrip("0123456789")):])))
        blocks.append(items[order].astype("Int64"))
    frame = frame.drop(columns=list(RESPONSE))
    return pd.concat([frame, *blocks], axis=1)


def _satisfaction(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Satisfaction answers (1 = strongly agree) and grades at T1-T4."""
    parent_form = get_satisfaction_form("buitenshuis_parent")
    codes = [s.code for s in parent_form.statements]
    for c in [*codes, "grade"]:
        frame[c] = np.nan
    for form_id, counts in SATISFACTION.items():
        form = get_satisfaction_form(form_id)
        role = form.respondent
        agree_p = 0.85 if role == "parent" else 0.65
        grade_mean = 8.3 if role == "parent" else 7.2
        for w, n in zip(WAVES[1:], counts, strict=True):
            at = (frame["wave"] == w) & (frame["role"] == role)
            if role == "child":
                at &= frame["age"] >= form.ages.min_age
                cand = frame.index[at.to_numpy()]
            else:  # one parent per family
                cand = frame[at].groupby("family").head(1).index
            chosen = rng.choice(np.asarray(cand), size=min(n, len(cand)), replace=False)
            for s in form.statements:
                agree = rng.random(len(chosen)) < agree_p
                frame.loc[chosen, s.code] = np.where(agree, rng.integers(1, 3, len(chosen)),
                                                     rng.integers(3, 6, len(chosen)))
            grades = np.round(rng.normal(grade_mean, 1.1, len(chosen))).clip(1, 10)
            frame.loc[chosen, "grade"] = grades
    return frame.astype({c: "Int64" for c in [*codes, "grade"]})


__all__ = ["EFFECTS", "RESPONSE", "SATISFACTION", "make_buitenshuis"]
