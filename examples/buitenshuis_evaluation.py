"""Example evaluation of repeated measurements as in the Buitenshuisproject pilot evaluation, on
the bundled SYNTHETIC data.

Run from anywhere after ``pip install .``::

    python examples/buitenshuis_evaluation.py [output-dir]      # default: report-buitenshuis/

Questionnaires at intake (T0) and 6, 12, 18 and 24 months later (T1-T4), no control group,
change per wave tested against T0. Each step is a section below:

1. the long data (one row per person and wave) checked against the wave design, response and
   attrition per wave (``outcomes.validate_waves``, ``outcomes.wave_response``);
2. outcome instruments scored with their cut-offs for the age at the measurement, mean with
   its confidence interval and % problematic per wave (``outcomes.score_outcomes``,
   ``outcomes.outcome_by_wave``);
3. satisfaction statements (1 = helemaal mee eens) and the grade per wave
   (``outcomes.satisfaction_by_wave``);
4. linear mixed models: score ~ wave (T0 reference) + covariates, random intercept per family,
   REML, Satterthwaite df (``outcomes.wave_model`` on ``evalstats.mixed_model``);
5. the same study as a project, and its report.

Synthetic data: the numbers illustrate the method, they are not the evaluation's results.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import pandas as pd

import outcomes
import zorgeval

DEFAULT_OUT = "report-buitenshuis"
DATA = resources.files("zorgeval") / "data" / "buitenshuis"


def heading(text: str) -> None:
    print(f"\n== {text} ==")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else DEFAULT_OUT)
    with resources.as_file(DATA / "measurements.csv") as path:
        data = pd.read_csv(path)

    heading("1. Waves, response and attrition")
    waves = outcomes.validate_waves(data)
    response = outcomes.wave_response(waves)
    print(response.spss_table().to_string())
    print(response.apa())

    heading("2. Outcomes per wave")
    scored = {}
    for iid in ("pedsql", "sdq", "who5", "vgk", "parenting_scale"):
        inst = outcomes.get_outcome_instrument(iid)
        rows = data["role"] == inst.respondent
        scores = outcomes.score_outcomes(data[rows], inst)
        for scale in inst.scales:
            if not scale.cutoffs:
                continue
            per_wave = outcomes.outcome_by_wave(waves.subset(rows), scores, scale.id)
            scored[(iid, scale.id)] = (waves.subset(rows), scores)
            print(per_wave.apa())

    heading("3. Satisfaction")
    for form_id in ("buitenshuis_parent", "buitenshuis_child"):
        form = outcomes.get_satisfaction_form(form_id)
        res = outcomes.satisfaction_by_wave(data[data["role"] == form.respondent], form,
                                            waves=["T1", "T2", "T3", "T4"])
        print(f"{form.name}: {res.apa()}")

    heading("4. Linear mixed models against T0")
    for (_, scale), (sub, scores) in scored.items():
        model = outcomes.wave_model(sub, scores, scale)
        print(model.title)
        print(model.spss_table().to_string(index=False))
        print()

    heading("5. Report")
    project = zorgeval.write_example("buitenshuis", out / "project")
    evaluation = zorgeval.run_evaluation(project)
    # force: the report folder holds the project folder written just above
    files = zorgeval.write_report(evaluation, out, force=True)
    print(f"report written to {files.html}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
