"""The complete example evaluation of the ReSet method on the bundled SYNTHETIC data.

Run from anywhere after ``pip install .``::

    python examples/reset_evaluation.py [output-dir]      # default: report-reset/

The four sub-studies of the evaluation, each in a section below with the library calls an
evaluator writes in a script of their own:

1. fidelity — the practitioners' survey scored per item, principle and category, organisations
   compared (``fidelity.score_survey``, ``scores.compare``);
2. method factors — PCA with oblimin on the method items, items dropped one by one
   (``fidelity.exploratory_factors``);
3. target group — family types from the registration list, multi-problem and risk families,
   profiles validated by logistic regression (``profiles``);
4. goal attainment and the overall analysis — GAS results per goal and which profiles, family
   types, organisations and method factors explain them (``gas``, ``profiles.overall_analysis``).

Finally the same evaluation runs as a project (``zorgeval.run_evaluation``) and its report is
written to the output folder: ``report.html`` (open it in a browser), ``report.md``, the tables as
CSV in ``tables/``, the figures as PNG, and in ``project/`` the project file with its data — copy
that folder, put your own files in ``data/`` and run ``zorgeval report project/project.toml``. The data are synthetic (``zorgeval.synthetic``), so the
numbers illustrate the method; they are not the dissertation's results.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import pandas as pd

import fidelity
import gas
import profiles
import zorgeval

DEFAULT_OUT = "report-reset"
DATA = resources.files("zorgeval") / "data" / "reset"
METHOD_ITEMS = ["LD3", "LD4", "LD5", "NWG1", "NWG2", "NWG3", "NWG4", "VG1", "VG2", "VG3", "VG4",
                "EMP1", "EMP2", "GEN1", "GEN2", "ACT1", "ACT2", "ACT3"]


def read(name: str) -> pd.DataFrame:
    """A bundled data file (installed package data)."""
    with resources.as_file(DATA / name) as path:
        return pd.read_csv(path)


def heading(text: str) -> None:
    print(f"\n== {text} ==")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else DEFAULT_OUT)

    # -----------------------------------------------------------------------------------------
    # 1. Fidelity: 71 practitioners in four organisations
    # -----------------------------------------------------------------------------------------
    heading("1. Fidelity")
    instrument = fidelity.get_instrument("reset")
    survey = read("survey.csv")
    scores = fidelity.score_survey(survey, instrument, respondent="respondent",
                                   groups=["organisation"], ignore=["team"])
    print(scores.apa())
    principles = scores.compare(by="organisation", level="principle")
    for row in principles.table.itertuples():
        print(f"  {row.variable:10} {principles.statistic(row.variable)}")

    # -----------------------------------------------------------------------------------------
    # 2. Method factors: one exploratory PCA of the method items (dissertation section 4.11)
    # -----------------------------------------------------------------------------------------
    heading("2. Method factors")
    factors = fidelity.exploratory_factors(
        scores.answers, items=METHOD_ITEMS,
        remove=[("ACT1", "clusters with the network items but differs in content")],
    )
    print(factors.apa())
    print(factors.spss_table().to_string())

    # -----------------------------------------------------------------------------------------
    # 3. Target group: registration list, classifications, profiles
    # -----------------------------------------------------------------------------------------
    heading("3. Target group and profiles")
    families = read("families.csv")
    registration = profiles.validate_registration(read("members.csv"), families)
    types = registration.family_types()
    print(types.apa())
    multiproblem = profiles.classify_multiproblem(read("domains.csv").set_index("family"),
                                                  missing="unknown")
    print(multiproblem.apa())
    risk = profiles.classify_risk_family(read("rmo.csv").set_index("family"), missing="unknown")
    print(risk.apa())
    cases = families.rename(columns={"family": "case"})
    cases["family_type"] = cases["case"].map(types.collapsed("four_types"))
    cases["broken_family"] = cases["case"].map(types.collapsed("broken_family"))
    cases["young_mother"] = cases["case"].map(registration.mothers()["young_or_teen"])
    cases["multiproblem"] = cases["case"].map(multiproblem.table["result"])
    validation = profiles.validate(
        cases, profile="profile", profiles="reset",
        predictors=["broken_family", "young_mother", "multiproblem", "network_support"],
    )
    print(validation.apa())

    # -----------------------------------------------------------------------------------------
    # 4. Goal attainment and the overall analysis
    # -----------------------------------------------------------------------------------------
    heading("4. Goal attainment (GAS) and the overall analysis")
    goals = gas.validate_goals(read("goals.csv"), taxonomy="reset", case="family", rater=None,
                               default_rater="joint", period=None, activities="activities")
    levels = gas.level_distribution(goals, taxonomy="reset")
    child1 = levels.table.set_index("category").loc["child-1"]
    print(f"child-1: {int(child1['n_goals'])} goals, {child1['pct_+2']:.1f}% fully achieved, "
          f"{child1['pct_improved']:.1f}% improved")
    overall = profiles.overall_analysis(
        cases, goals, screen=["profile", "family_type", "organisation"],
        model=profiles.ModelSpec(covariates=["F1", "F2", "F3"]),
        practitioner_scores=factors, taxonomy="reset",
    )
    print(overall.apa())

    # -----------------------------------------------------------------------------------------
    # 5. The report: the same evaluation as a project file, written as HTML/Markdown/CSV/PNG
    # -----------------------------------------------------------------------------------------
    heading("5. Report")
    project = zorgeval.write_example("reset", out / "project")
    evaluation = zorgeval.run_evaluation(project)
    # force: the report folder holds the project folder written just above; a run into the same
    # folder again removes the report files of the earlier run that it does not write again
    files = zorgeval.write_report(evaluation, out, force=True)
    print(f"report written to {files.html}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
