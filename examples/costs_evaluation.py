"""Costs and case comparison on the bundled SYNTHETIC case records and unit costs.

Run from anywhere after ``pip install .``::

    python examples/costs_evaluation.py [output-dir]      # default: report-costs/

1. the Effectencalculator case records (seed 004): eight cases calibrated to the Haaglanden
   pilots, with the help domains, the attendance of the meeting and the reference scenarios;
2. the user's cost table (synthetic unit costs, by validity period and source);
3. the comparison per case: pilot cost, reference cost, the difference and its low–high range
   over the scenarios, and "not costable" with the reason (cases 2 to 5);
4. the settings: a longer time horizon and one payer change what counts;
5. bad input: each a clear error, never a zero;
6. the patterns across cases (not a ranking of pilots);
7. the municipal budget per family (seed 001), from its posts;
8. the report of the ``costs`` example project, in English and Dutch.

Every amount is an expert estimate; the data are synthetic and illustrate the method.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import costs
import zorgeval

DEFAULT_OUT = "report-costs"
DATA = resources.files("costs") / "data"


def heading(text: str) -> None:
    print(f"\n== {text} ==")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else DEFAULT_OUT)

    heading("1. Case records")
    cases = costs.load_cases(DATA / "synthetic_cases.toml")
    for c in cases:
        print(f"  {c.case}: {c.pilot}; {c.family}; {len(c.attendance)} roles present; "
              f"{len(c.scenarios)} scenario(s)")

    heading("2. Cost table")
    table = costs.load_cost_table(DATA / "synthetic_unit_costs.csv")
    print(f"  {len(table.rows)} unit costs from: {'; '.join(table.sources)}")

    heading("3. Comparison per case (expert estimates)")
    comparison = costs.compare_cases(cases, table)
    print(comparison.spss_table("en").drop(columns=["Not costable because"]).to_string(index=False))
    for c in comparison.cases:
        if not c.costable:
            print(f"  {c.case} not costable: {c.reason}")
    print(comparison.apa("en"))

    heading("4. Time horizon and payer")
    longer = costs.compare_cases(cases, table, costs.CostSettings(horizon_months=48))
    c7 = {c.case: c for c in longer.cases}["case 7"]
    print(f"  case 7 over 48 months: difference {costs.fmt_eur(c7.difference)} "
          "(the escalation after the second year now counts)")
    municipal = costs.compare_cases(cases, table, costs.CostSettings(payers=["municipality"]))
    c8 = {c.case: c for c in municipal.cases}["case 8"]
    print(f"  case 8, municipality only: pilot {costs.fmt_eur(c8.pilot_cost.total)}, "
          f"{c8.pilot_cost.n_other_payer} activity paid by another payer left out")

    heading("5. Bad input")
    bare = cases[0].model_copy(update={"scenarios": (cases[0].scenarios[0].model_copy(update={
        "activities": (costs.Activity(activity="respite_care_day", quantity=3),)}),)})
    try:
        costs.compare_cases([bare], table)
    except costs.CostInputError as err:
        print(f"  {err}")

    heading("6. Patterns across cases")
    synthesis = costs.synthesise(cases)
    print(synthesis.spss_table("en").to_string(index=False))
    print(synthesis.apa("en"))

    heading("7. Budget per family (seed 001)")
    seed = costs.seed_example()
    print(seed.spss_table("en").to_string(index=False))
    print(seed.apa("en"))
    own = costs.budget(costs.BudgetPlan(
        name="own figures", children=2, months=24, synthetic=True, items=[
            {"post": "activity", "label": "after-school care", "basis": "child_month",
             "quantity": 1, "unit_cost": "560", "unit_cost_high": "780", "source": "synthetic"},
            {"post": "linking_pin", "label": "linking pin", "basis": "family_month",
             "quantity": 4, "unit_cost": "75", "source": "synthetic"},
            {"post": "training", "label": "training share", "basis": "family",
             "quantity": 1, "unit_cost": "400", "source": "synthetic"}]))
    print(own.apa("en"))

    heading("8. Report")
    project = zorgeval.write_example("costs", out / "project")
    evaluation = zorgeval.run_evaluation(project, quiet=True)
    files = zorgeval.write_report(evaluation, out, force=True)
    zorgeval.write_report(evaluation, out / "nl", lang="nl", force=True)
    print(f"report written to {files.html}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
