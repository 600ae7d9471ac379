"""Example evaluation of Nieuwe Perspectieven (NP) on the bundled SYNTHETIC data.

Run from anywhere after ``pip install .``::

    python examples/np_evaluation.py [output-dir]      # default: report-np/

The NP evaluation differs from ReSet in four ways, each a section below:

1. method factors per theoretical principle, a component kept only if Cronbach's α ≥ .6
   (``fidelity.factors_per_principle``, dissertation section 5.7);
2. GAS rated every three months by youth, practitioner and VIP: the VIP rated too rarely and is
   dropped, youth and practitioner are averaged with a split rounded toward the youth
   (``GoalData.aggregate_raters(rule="np")``);
3. dropout: premature ends and when they happened (``gas.dropout``), and a logistic regression
   of dropout on the target characteristics at the start (``evalstats.logistic_regression``);
4. independent t tests of the GAS T-score between youths with and without each of five target
   characteristics (``evalstats.ttest_ind``).

Finally the evaluation runs as a project and its report is written to the output folder
(``report.html``, ``report.md``, ``tables/``, figures). Synthetic data: the numbers illustrate
the method, they are not the dissertation's results.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import pandas as pd

import evalstats
import fidelity
import gas
import profiles
import zorgeval

DEFAULT_OUT = "report-np"
DATA = resources.files("zorgeval") / "data" / "np"
TARGET = ["homeless", "young_parent", "start_qualification", "school", "work"]


def read(name: str) -> pd.DataFrame:
    """A bundled data file (installed package data)."""
    with resources.as_file(DATA / name) as path:
        return pd.read_csv(path)


def heading(text: str) -> None:
    print(f"\n== {text} ==")


def yes_no(values: pd.Series) -> pd.Series:
    """yes/no/unknown (also ja/nee, True/False, 1/0) as 1/0/missing."""
    return values.map(profiles.parse_tri).map({"yes": 1.0, "no": 0.0})


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else DEFAULT_OUT)

    # -----------------------------------------------------------------------------------------
    # 1. Fidelity and method factors per principle
    # -----------------------------------------------------------------------------------------
    heading("1. Fidelity and method factors per principle")
    instrument = fidelity.get_instrument("np")
    scores = fidelity.score_survey(read("survey.csv"), instrument, groups=["location"])
    print(scores.apa())
    factors = fidelity.factors_per_principle(
        scores.answers, instrument, min_alpha=0.6,
        principles=["IP", "HG", "PL", "GvW", "VpG", "LD", "OA", "NwG"],
    )
    print(factors.apa())
    print(factors.factors[["factor", "n_items", "alpha", "two_items"]].to_string(index=False))

    # -----------------------------------------------------------------------------------------
    # 2. GAS: three raters, combined by the NP rule
    # -----------------------------------------------------------------------------------------
    heading("2. Goal attainment: rater aggregation")
    goals = gas.validate_goals(read("ratings.csv"), taxonomy="np", case="youth", rater="rater",
                               period="period")
    combined = goals.aggregate_raters(rule="np", missing="use_available", min_ratings=100)
    print(combined.apa())
    print(gas.trajectory_counts(combined).apa())
    last = combined.frame.loc[combined.frame.groupby(["case", "goal"])["period"].idxmax()]
    tscores = gas.tscores(last, case="case", score="level").set_index("case")["tscore"]

    # -----------------------------------------------------------------------------------------
    # 3. Dropout and a logistic regression of dropout on the target characteristics
    # -----------------------------------------------------------------------------------------
    heading("3. Dropout")
    youths = read("youths.csv")
    youths["premature"] = yes_no(youths["premature"]).astype("boolean")
    print(gas.dropout(youths, case="youth", when="dropout_contact").apa())
    cases = youths.assign(**{f"{c}_start": yes_no(youths[f"{c}_start"]) for c in TARGET})
    cases["dropout"] = cases["premature"].astype(int)
    cases["tscore"] = cases["youth"].map(tscores)
    logit = evalstats.logistic_regression(cases, "dropout", [f"{c}_start" for c in TARGET])
    print(logit.spss_table().to_string())
    print(logit.apa())
    print(profiles.np_target_change(youths).apa())

    # -----------------------------------------------------------------------------------------
    # 4. t tests of the T-score on five target characteristics
    # -----------------------------------------------------------------------------------------
    heading("4. T-score by target characteristic at the start")
    for c in TARGET:
        sub = cases[cases[f"{c}_start"].notna()]
        print(f"  {c:20} {evalstats.ttest_ind(sub, 'tscore', f'{c}_start').apa()}")

    # -----------------------------------------------------------------------------------------
    # 5. The report
    # -----------------------------------------------------------------------------------------
    heading("5. Report")
    project = zorgeval.write_example("np", out / "project")
    evaluation = zorgeval.run_evaluation(project)
    # force: the report folder holds the project folder written just above; a run into the same
    # folder again removes the report files of the earlier run that it does not write again
    files = zorgeval.write_report(evaluation, out, force=True)
    print(f"report written to {files.html}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
