"""read_table speed on a large Dutch-locale survey export, against pandas.read_csv.

Run from the repository root:  python benchmarks/bench_read_table.py [n_rows]
Writes 10,000 respondents x 100 five-point items plus one decimal column (default; about 1 million
cells) as a ';'-separated file with decimal commas, then times read_table with everything detected
and pandas.read_csv told the separator and decimal mark (pandas checks neither mixed decimal marks
nor digit grouping). Target: under 1 s for a million cells; surveys are far smaller.
"""

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evalstats import read_table  # noqa: E402

n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
rng = np.random.default_rng(2026)
frame = pd.DataFrame(rng.integers(1, 6, (n_rows, 100)).astype(float), columns=[f"Q{i}" for i in range(100)])
frame.iloc[::7, 3] = np.nan
frame["mean"] = frame.mean(axis=1)

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "survey.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)

    t0 = time.perf_counter()
    ours = read_table(path)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = pd.read_csv(path, sep=";", decimal=",")
    t_pandas = time.perf_counter() - t0

same = np.array_equal(ours.to_numpy(float), theirs.to_numpy(float), equal_nan=True)
print(f"{n_rows} rows x {frame.shape[1]} columns ({frame.size:,} cells)")
print(f"read_table (detecting ';', ',' and the encoding): {t_ours:.3f} s")
print(f"pandas.read_csv (told sep and decimal):           {t_pandas:.3f} s")
print(f"ratio read_table / pandas: {t_ours / t_pandas:.1f}; identical numbers: {same}")
