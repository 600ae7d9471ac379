"""Small simulated ReSet-like evaluation data written to a folder, with a project file."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

PROJECT = """\
title = "Test evaluation"
instrument = "reset"

[survey]
file = "survey.csv"
groups = ["organisation"]

[factors]
workflow = "exploratory"
items = ["LD3", "LD4", "LD5", "NWG1", "NWG2", "NWG3", "NWG4", "VG1", "VG2", "VG3", "VG4",
         "EMP1", "EMP2", "GEN1", "GEN2", "ACT1", "ACT2", "ACT3"]
remove = [{item = "ACT1", reason = "differs in content"}]

[cases]
file = "families.csv"
case = "family"
practitioner = "practitioner"
profile = "profile"
premature = "premature"

[goals]
file = "goals.csv"
case = "family"
taxonomy = "reset"
rater_rule = "joint"

[models]
screen = ["profile", "organisation"]
overall = {covariates = ["F1", "F2"]}
profile_set = "reset"
profile_predictors = ["young_mother", "single_parent"]
logistic = [{dv = "premature", predictors = ["young_mother", "single_parent"], categorical = ["young_mother"]}]
ttests = [{group = "single_parent", dvs = ["tscore"]}]

[report]
min_cell = 5
"""


def write_data(folder: Path, n_families: int = 150, seed: int = 7) -> Path:
    """Write survey.csv, families.csv, goals.csv and project.toml into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    src = resources.files("fidelity") / "data" / "reset_survey.csv"
    with resources.as_file(src) as f:
        shutil.copy(f, folder / "survey.csv")
    survey = pd.read_csv(folder / "survey.csv")
    rng = np.random.default_rng(seed)
    prac = rng.choice(survey["respondent"].to_numpy(), n_families)
    org = survey.set_index("respondent").loc[prac, "organisation"].to_numpy()
    # profile E is rare: 3 families, so its count must be suppressed in the report
    profile = rng.choice(["A", "B", "C", "D"], n_families)
    profile[:3] = "E"
    families = pd.DataFrame({
        "family": [f"G{i:03d}" for i in range(n_families)],
        "practitioner": prac,
        "organisation": org,
        "profile": profile,
        "young_mother": rng.choice(["ja", "nee"], n_families, p=[0.3, 0.7]),
        "single_parent": rng.choice([0, 1], n_families),
        "premature": rng.choice([0, 1], n_families, p=[0.85, 0.15]),
    })
    families.to_csv(folder / "families.csv", index=False)
    rows = []
    for fam in families["family"]:
        for cat in ("child-1", "parent-1"):
            if rng.random() < 0.8:
                rows.append([fam, f"{fam}-{cat}", cat, int(rng.choice([-1, 0, 1, 2], p=[.1, .2, .4, .3])), 1])
    # a rare category: two goals only
    rows.append([families["family"][0], "x-family-4", "family-4", 2, 1])
    rows.append([families["family"][1], "y-family-4", "family-4", 1, 1])
    pd.DataFrame(rows, columns=["family", "goal", "category", "level", "period"]).to_csv(
        folder / "goals.csv", index=False)
    (folder / "project.toml").write_text(PROJECT, encoding="utf-8")
    return folder / "project.toml"


@pytest.fixture(scope="package")
def project_file(tmp_path_factory) -> Path:
    return write_data(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="package")
def data_writer():
    """:func:`write_data`, for tests that change the data before running the project."""
    return write_data
