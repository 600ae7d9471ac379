"""Linear mixed model speed: evalstats.mixed_model against statsmodels MixedLM (and lme4).

10,000 persons × 5 waves by default (about 8 % of the measurements missing), a random
intercept per person, the wave as a factor (T0 reference) and two numeric covariates; REML.
Ours includes everything the result holds: the Satterthwaite df of every coefficient and the
type III F tests. statsmodels' MixedLM gives estimates and Wald z tests only. With Rscript,
lme4 + lmerTest (``lmer`` and ``summary`` with Satterthwaite df) are timed in the same run on the
same data, excluding R's start-up and reading the file. Prints the times, the ratios and the
largest absolute differences of the estimates and SEs.

    PYTHONPATH=. python benchmarks/bench_mixed.py [--persons 10000] [--waves 5] [--repeat 3]

(from the repository root; PYTHONPATH is not needed once the package is installed).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from bench_glm import best_of  # the scripts' folder is on sys.path when run as a script

from evalstats import mixed_model

R_SCRIPT = """
suppressPackageStartupMessages(library(lmerTest))
d <- read.csv("data.csv")
d$wave <- factor(d$wave)
t <- system.time({
  m <- lmer(y ~ wave + x1 + x2 + (1 | person), data = d)
  s <- summary(m)$coefficients
})[["elapsed"]]
cat(t, "\\n")
"""


def make_data(persons: int, waves: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    person = np.repeat(np.arange(persons), waves)
    wave = np.tile(np.arange(waves), persons)
    x1 = rng.normal(40, 10, persons)[person]  # a person-level covariate (age of the parent)
    x2 = rng.normal(0, 1, len(person))  # a time-varying covariate
    y = (
        50
        + np.array([0, 3, 4, 4.5, 4])[wave % 5]
        - 0.2 * x1
        + 1.5 * x2
        + rng.normal(0, 6, persons)[person]
        + rng.normal(0, 8, len(person))
    )
    keep = rng.random(len(person)) > 0.08
    return pd.DataFrame(
        {
            "person": person[keep],
            "wave": [f"T{w}" for w in wave[keep]],
            "x1": x1[keep],
            "x2": x2[keep],
            "y": y[keep],
        }
    )


def r_time(df: pd.DataFrame) -> float | None:
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        df.to_csv(Path(tmp) / "data.csv", index=False)
        (Path(tmp) / "bench.R").write_text(R_SCRIPT)
        done = subprocess.run(
            ["Rscript", "bench.R"], cwd=tmp, capture_output=True, text=True, timeout=600
        )
    if done.returncode != 0:
        return None
    return float(done.stdout.split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=10_000)
    ap.add_argument("--waves", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    df = make_data(args.persons, args.waves)

    def ours():
        return mixed_model(df, "y", ["wave", "x1", "x2"], "person", reference={"wave": "T0"})

    def theirs():
        return smf.mixedlm("y ~ wave + x1 + x2", df, groups=df["person"]).fit(reml=True)

    ours()  # warm-up (imports, BLAS threads)
    t_ours, res = best_of(ours, args.repeat)
    t_sm, fit = best_of(theirs, args.repeat)
    d_b = float(np.max(np.abs(res.table["estimate"].to_numpy() - fit.fe_params.to_numpy())))
    d_se = float(np.max(np.abs(res.table["se"].to_numpy() - fit.bse.to_numpy()[:-1])))
    print(
        f"{args.persons:,} persons x {args.waves} waves = {len(df):,} observations, "
        "y ~ wave + x1 + x2 + (1 | person), REML"
    )
    print(f"evalstats mixed_model  : {t_ours:8.3f} s  (with Satterthwaite df and type III F)")
    print(f"statsmodels MixedLM    : {t_sm:8.3f} s  (estimates and z tests)")
    print(f"ratio (statsmodels / evalstats): {t_sm / t_ours:.2f}")
    print(f"largest |difference|: estimates {d_b:.2e}, SE {d_se:.2e}")
    t_r = r_time(df)
    if t_r is not None:
        print(f"R lmer + lmerTest      : {t_r:8.3f} s  (ratio R / evalstats: {t_r / t_ours:.2f})")


if __name__ == "__main__":
    main()
