"""Regenerate the bundled SYNTHETIC example survey data sets.

    python examples/make_example_data.py [output-folder]

Writes ``reset_survey.csv`` (71 practitioners in organisations A 11, B 14, C 22, D 24) and
``np_survey.csv`` (53 practitioners at locations A 34 and B 19, the split of table 73) into
``fidelity/data/`` (or the given folder). Both are drawn by :func:`fidelity.synthetic.simulate_survey`
with seed 2024 and 2 % missing answers: their per-group item means and SDs approximate the
published values of the dissertation, but they are not real answers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fidelity.registry import get_instrument
from fidelity.synthetic import simulate_survey

SEED = 2024
MISSING = 0.02
DATA_SETS = {
    "reset_survey.csv": ("reset", {"A": 11, "B": 14, "C": 22, "D": 24}, "organisation"),
    "np_survey.csv": ("np", {"A": 34, "B": 19}, "location"),
}


def write_example_data(folder: Path) -> list[Path]:
    """Write every example data set into ``folder``; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (instrument_id, groups, group_column) in DATA_SETS.items():
        df = simulate_survey(get_instrument(instrument_id), groups=groups, seed=SEED,
                             group_column=group_column, missing=MISSING)
        path = folder / name
        df.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "fidelity" / "data"
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    for p in write_example_data(out):
        print(f"wrote {p}")
