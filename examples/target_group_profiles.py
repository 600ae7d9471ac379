"""Target group, profiles and the overall analysis, from a registration list to a report.

Replace the simulated frames below by your own files (one row per family member, one row per
family, long goal data, practitioners' factor scores). Run from the repository root:

    pip install -e .   # once, or run with PYTHONPATH=.
    python examples/target_group_profiles.py [output directory]

Writes ``target_group.md`` and the tidy tables as CSV. The data are simulated, not the
dissertation's.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import profiles

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(2026)
n_fam = 240
codes = np.array(["ja", "nee", "onbekend"])

# -- registration list: families and members ----------------------------------------------------
families = pd.DataFrame({
    "family": [f"G{i:03d}" for i in range(n_fam)],
    "start_date": pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 700, n_fam), unit="D"),
    "separating": rng.choice(codes, n_fam, p=[0.15, 0.75, 0.10]),
    "organisation": rng.choice(["A", "B", "C"], n_fam),
    "team": rng.choice(["T1", "T2", "T3", "T4"], n_fam),
    "practitioner": rng.choice([f"P{i:02d}" for i in range(30)], n_fam),
    "profile": rng.choice(["A", "B", "C", "D", "E", "unassignable"], n_fam,
                          p=[0.18, 0.17, 0.25, 0.22, 0.14, 0.04]),
})
rows = []
for fam, start in zip(families["family"], families["start_date"], strict=True):
    mother_dob = start - pd.Timedelta(days=int(rng.integers(20, 45) * 365.25))
    rows.append([fam, "M", "ouder", "v", "ja", mother_dob, None])
    if rng.random() < 0.6:
        rows.append([fam, "V", "ouder", "m", rng.choice(["ja", "nee"], p=[0.8, 0.2]),
                     mother_dob - pd.Timedelta(days=int(rng.integers(0, 2000))), None])
    for k in range(int(rng.integers(1, 4))):
        age_days = int(rng.integers(30, 17 * 365))
        dob = start - pd.Timedelta(days=age_days) if rng.random() > 0.05 else None
        rows.append([fam, f"K{k + 1}", "kind", rng.choice(["jongen", "meisje"]), None, dob,
                     rng.choice(["a", "b"], p=[0.85, 0.15])])
members = pd.DataFrame(rows, columns=["family", "member", "role", "sex", "biological",
                                      "date_of_birth", "sibling_group"])
items = ["parenting_support", "finances_debts", "psychiatric_psychological", "addiction",
         "domestic_violence", "social_isolation", "youth_care_history", "intellectual_disability"]
for item in items:
    members[item] = rng.choice(codes, len(members), p=[0.3, 0.55, 0.15])
families["separating"] = families["separating"].astype(object)

reg = profiles.validate_registration(members, families)
types = reg.family_types()
mothers = reg.mothers()

# -- multi-problem and risk families --------------------------------------------------------------
domains = reg.family_indicators({  # the evaluator's coding of the seven domains
    "child": ["child:psychiatric_psychological", "child:intellectual_disability"],
    "parent": ["parent:psychiatric_psychological", "parent:addiction"],
    "parenting": ["parenting_support"],
    "family_functioning": ["separating", "domestic_violence"],
    "context": ["finances_debts"],
    "social_network": ["social_isolation"],
    "care_history": ["youth_care_history"],
})
mp = profiles.classify_multiproblem(domains)
rmo_ids = profiles.get_rule("risk_family_rmo").definition.indicator_ids
rmo = pd.DataFrame({i: rng.choice(codes, n_fam, p=[0.3, 0.4, 0.3]) for i in rmo_ids},
                   index=reg.families.index)
risk = profiles.classify_risk_family(rmo)
target = profiles.combine_target_group(mp, risk)

# -- profiles validated by logistic regression --------------------------------------------------
cases = reg.families[["family", "organisation", "team", "practitioner", "profile"]].copy()
cases["family_type"] = types.collapsed("four_types").to_numpy()
cases["broken_family"] = types.collapsed("broken_family").to_numpy()
cases["young_mother"] = mothers["young_or_teen"].to_numpy()
cases["addiction_parent"] = reg.family_any("addiction", role="parent").to_numpy()
validation = profiles.validate(
    cases, profile="profile", profiles="reset",
    predictors=["broken_family", "young_mother", "addiction_parent"],
)

# -- overall analysis: GAS results, practitioners' factor scores --------------------------------
scores = pd.DataFrame({"F1_network": rng.normal(size=30), "F2_demand_led": rng.normal(size=30)},
                      index=[f"P{i:02d}" for i in range(30)])
goal_rows = []
for fam, prac, prof in zip(cases["family"], cases["practitioner"], cases["profile"], strict=True):
    base = 3.8 + 0.5 * scores.loc[prac, "F1_network"] - 0.6 * (prof == "A")
    for cat in ("child-1", "parent-3"):
        if rng.random() < 0.7:
            goal_rows.append([fam, cat, cat, int(np.clip(round(base + rng.normal(0, 0.7)), 1, 5)),
                              rng.choice(["ja", "nee"])])
goals = pd.DataFrame(goal_rows, columns=["case", "goal", "category", "score", "activities"])
overall = profiles.overall_analysis(
    cases.rename(columns={"family": "case"}), goals,
    model={"child-1": profiles.ModelSpec(covariates=["F1_network", "F2_demand_led"],
                                         earlier_goals=["parent-3"]),
           "parent-3": profiles.ModelSpec(covariates=["F1_network"])},
    practitioner_scores=scores,
)

# -- report -----------------------------------------------------------------------------------
def block(frame: pd.DataFrame) -> str:
    return "```\n" + frame.to_string() + "\n```"


md = ["# Target group and profiles (simulated data)", "",
      "## Family types", "", block(types.spss_table()), "", types.apa(), "",
      "## Multi-problem families", "", block(mp.spss_table()), "", mp.apa(), "",
      "## Risk families", "", block(risk.spss_table()), "", risk.apa(), "",
      "## Profile validation", "", block(validation.spss_table()), "",
      validation.spss_table().attrs["footnote"], "", validation.apa(), "",
      "## Overall analysis", "", "```", overall.report(), "```"]
(out / "target_group.md").write_text("\n".join(md), encoding="utf-8")
mp.table.to_csv(out / "multiproblem.csv")
risk.table.to_csv(out / "risk_family.csv")
target.to_csv(out / "target_group.csv")
types.table.to_csv(out / "family_types.csv")
validation.table.to_csv(out / "profile_validation.csv", index=False)
overall.table.to_csv(out / "overall_analysis.csv", index=False)
print(mp.apa())
print(validation.apa())
print(overall.report())
