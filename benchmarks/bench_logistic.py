"""Binary logistic regression speed: evalstats.logistic_regression against statsmodels Logit.

10 numeric predictors, 100,000 cases by default. Both timings include taking the columns out of
the DataFrame; ours also does everything SPSS prints (the constant-only model, Block 0 score
tests, Hosmer–Lemeshow, classification table) and the separation check. Prints the times, the
ratio and the largest relative difference between the two sets of coefficients and SEs.

    PYTHONPATH=. python benchmarks/bench_logistic.py [--rows 100000] [--repeat 3]

(from the repository root; PYTHONPATH is not needed once the package is installed).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import statsmodels.api as sm
from bench_glm import best_of  # the scripts' folder is on sys.path when run as a script

from evalstats import logistic_regression

N_PRED = 10


def make_data(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, N_PRED)) * (1 + np.arange(N_PRED)) + 5 * np.arange(N_PRED)
    beta = rng.uniform(-0.5, 0.5, N_PRED) / (1 + np.arange(N_PRED))
    eta = (x - 5 * np.arange(N_PRED)) @ beta - 0.3
    df = pd.DataFrame(x, columns=[f"x{k}" for k in range(N_PRED)])
    df["y"] = (rng.random(rows) < 1 / (1 + np.exp(-eta))).astype(int)
    return df


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    df = make_data(args.rows)
    preds = [f"x{k}" for k in range(N_PRED)]

    def ours():
        return logistic_regression(df, "y", preds)

    def theirs():
        return sm.Logit(df["y"].to_numpy(float), sm.add_constant(df[preds].to_numpy())).fit(
            disp=0
        )

    ours()  # warm-up (imports, BLAS threads)
    theirs()
    t_ours, res = best_of(ours, args.repeat)
    t_sm, fit = best_of(theirs, args.repeat)
    b_sm = np.r_[fit.params[1:], fit.params[0]]
    se_sm = np.r_[fit.bse[1:], fit.bse[0]]
    rel_b = float(np.max(np.abs(res.table["B"].to_numpy() - b_sm) / np.abs(b_sm)))
    rel_se = float(np.max(np.abs(res.table["SE"].to_numpy() - se_sm) / se_sm))

    print(f"rows: {args.rows:,}, predictors: {N_PRED} (best of {args.repeat})")
    print(f"evalstats.logistic_regression (all SPSS tables): {t_ours:8.3f} s")
    print(f"statsmodels Logit().fit():                       {t_sm:8.3f} s")
    print(f"ratio evalstats / statsmodels:                   {t_ours / t_sm:8.2f}x")
    print(f"largest relative difference: B {rel_b:.1e}, SE {rel_se:.1e}")


if __name__ == "__main__":
    main()
