"""Time the group comparisons against scipy and statsmodels on the same data.

Run from the repository root:  PYTHONPATH=. python benchmarks/bench_groups.py [--n N] [--k K]

Compares (seconds per call, ratio ours / peer, and the largest relative difference of the
statistic so the timings are of the same computation):

* ``oneway_anova`` (descriptives, classical F, mean-centred Levene, Welch, Brown–Forsythe) with
  ``scipy.stats.f_oneway`` (classical F only) and ``statsmodels.stats.oneway.anova_oneway``
  (Welch only);
* ``posthoc("tukey")`` with ``scipy.stats.tukey_hsd`` (same Tukey–Kramer formula);
* ``ttest_ind`` (Levene, Student and Welch rows, Cohen's d) with two ``scipy.stats.ttest_ind``
  calls.
"""

from __future__ import annotations

import argparse
import timeit

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.oneway import anova_oneway

from evalstats import oneway_anova, ttest_ind


def per_call(fn, reps: int) -> float:
    """Best of five timings of ``reps`` calls (after one warm-up call), per call."""
    fn()
    return min(timeit.repeat(fn, number=reps, repeat=5)) / reps


def make_data(n: int, k: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(n // 2, n + 1, size=k)
    y = np.concatenate([rng.normal(3 + 0.2 * i, 1 + 0.1 * i, s) for i, s in enumerate(sizes)])
    g = np.repeat([f"G{i}" for i in range(k)], sizes)
    return pd.DataFrame({"y": np.round(y, 1), "g": g})


def rel(a: float, b: float) -> float:
    return abs(a - b) / abs(b)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500, help="largest group size")
    ap.add_argument("--k", type=int, default=5, help="number of groups")
    ap.add_argument("--reps", type=int, default=20)
    args = ap.parse_args()
    df = make_data(args.n, args.k)
    arrays = [df.loc[df["g"] == lev, "y"].to_numpy() for lev in sorted(df["g"].unique())]
    print(f"{len(df)} observations in {args.k} groups")

    ours = per_call(lambda: oneway_anova(df, "y", "g"), args.reps)
    sp = per_call(lambda: stats.f_oneway(*arrays), args.reps)
    sm = per_call(lambda: anova_oneway(arrays, use_var="unequal"), args.reps)
    res = oneway_anova(df, "y", "g")
    d_f = rel(res.F, stats.f_oneway(*arrays).statistic)
    d_w = rel(res.welch.F, anova_oneway(arrays, use_var="unequal").statistic)
    print(f"oneway_anova (F, Levene, Welch, BF)  {ours:.2e} s")
    print(
        f"  scipy f_oneway (F only)             {sp:.2e} s   ratio {ours / sp:6.1f}   max rel diff F {d_f:.1e}"
    )
    print(
        f"  statsmodels anova_oneway (Welch)    {sm:.2e} s   ratio {ours / sm:6.1f}   max rel diff F {d_w:.1e}"
    )

    tk_ours = per_call(lambda: res.posthoc("tukey"), max(1, args.reps // 10))
    tk_sp = per_call(lambda: stats.tukey_hsd(*arrays), max(1, args.reps // 10))
    mine = res.posthoc("tukey").table
    theirs = stats.tukey_hsd(*arrays).pvalue
    labels = list(res.stats.labels)
    d_p = max(
        abs(r.p - theirs[labels.index(r.group_i), labels.index(r.group_j)]) / max(r.p, 1e-300)
        for r in mine.itertuples()
    )
    print(f"posthoc('tukey')                      {tk_ours:.2e} s")
    print(
        f"  scipy tukey_hsd                     {tk_sp:.2e} s   ratio {tk_ours / tk_sp:6.1f}   max rel diff p {d_p:.1e}"
    )

    two = df[df["g"].isin(["G0", "G1"])]
    a, b = arrays[0], arrays[1]
    t_ours = per_call(lambda: ttest_ind(two, "y", "g"), args.reps)
    t_sp = per_call(
        lambda: (stats.ttest_ind(a, b), stats.ttest_ind(a, b, equal_var=False)), args.reps
    )
    t = ttest_ind(two, "y", "g")
    d_t = max(
        rel(t.student.t, stats.ttest_ind(a, b).statistic),
        rel(t.welch.t, stats.ttest_ind(a, b, equal_var=False).statistic),
    )
    print(f"ttest_ind (Levene, Student, Welch, d) {t_ours:.2e} s")
    print(
        f"  scipy ttest_ind x2                  {t_sp:.2e} s   ratio {t_ours / t_sp:6.1f}   max rel diff t {d_t:.1e}"
    )


if __name__ == "__main__":
    main()
