"""Regenerate the bundled SYNTHETIC example survey data sets.

    python examples/make_example_data.py [output-folder]

Writes ``reset_survey.csv`` (71 practitioners in organisations A 11, B 14, C 22, D 24) and
``np_survey.csv`` (53 practitioners at locations A 34 and B 19, the split of table 73) into
``fidelity/data/`` (or the given folder). Both are drawn by :func:`fidelity.synthetic.simulate_survey`
with seed 2024 and 2 % missing answers: their per-group item means and SDs approximate the
published values of the dissertation, but they are not real answers.

    python examples/make_example_data.py --zorgeval [output-folder]

writes the complete SYNTHETIC evaluation data sets of :func:`zorgeval.synthetic.make_reset`,
:func:`zorgeval.synthetic.make_np` and :func:`zorgeval.synthetic.make_buitenshuis` (seed 2024,
scale 1) into ``zorgeval/data/reset/``, ``zorgeval/data/np/`` and ``zorgeval/data/buitenshuis/``
(or the same folders under ``<output-folder>``).
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


def write_evaluation_data(folder: Path) -> list[Path]:
    """Write the zorgeval synthetic data sets into ``folder/reset``, ``folder/np`` and
    ``folder/buitenshuis``."""
    from zorgeval.synthetic import make_buitenshuis, make_np, make_reset

    return [*make_reset(seed=SEED).write_csv(folder / "reset"),
            *make_np(seed=SEED).write_csv(folder / "np"),
            *make_buitenshuis(seed=SEED).write_csv(folder / "buitenshuis")]


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    args = sys.argv[1:]
    if args[:1] == ["--zorgeval"]:
        out = Path(args[1]) if len(args) > 1 else root / "zorgeval" / "data"
        paths = write_evaluation_data(out)
    else:
        out = Path(args[0]) if args else root / "fidelity" / "data"
        paths = write_example_data(out)
    for p in paths:
        print(f"wrote {p}")
