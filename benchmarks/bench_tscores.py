"""Per-case Kiresuk-Sherman T-scores for many goal evaluations: time, peak memory, and the ratio
against a straightforward pandas ``groupby().apply`` of the same formula.

    python benchmarks/bench_tscores.py            # 10 million goal evaluations
    python benchmarks/bench_tscores.py --rows 1e6 # smaller

Targets: < 10 s and < 3 GB for 10 million evaluations, >= 20x faster than groupby().apply.
The apply version is run on a random subsample of cases and scaled linearly to the full size
(its cost is per group); the output says so. The same data with the case ids as text (as read
from a file) are timed too, with the ratio to integer ids.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gas  # noqa: E402

RHO = 0.3


def make_data(n_rows: int, goals_per_case: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_cases = max(1, int(n_rows / goals_per_case))
    return pd.DataFrame({
        "case": rng.integers(0, n_cases, n_rows),
        "level": rng.integers(-2, 3, n_rows).astype(float),
        "weight": rng.integers(1, 6, n_rows).astype(float),
    })


def apply_formula(g: pd.DataFrame) -> float:
    x, w = g["level"], g["weight"]
    keep = x.notna()
    x, w = x[keep], w[keep]
    if len(x) == 0:
        return float("nan")
    return 50 + 10 * (w * x).sum() / np.sqrt((1 - RHO) * (w**2).sum() + RHO * w.sum() ** 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=float, default=1e7)
    ap.add_argument("--goals-per-case", type=float, default=5.0)
    ap.add_argument("--apply-cases", type=int, default=20_000, help="cases in the apply subsample")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    n_rows = int(args.rows)

    df = make_data(n_rows, args.goals_per_case, args.seed)
    df.loc[df.sample(frac=0.01, random_state=args.seed).index, "level"] = np.nan
    n_cases = df["case"].nunique()
    print(f"data: {n_rows:,} goal evaluations, {n_cases:,} cases, 1% missing scores, weights 1-5")

    tracemalloc.start()
    t0 = time.perf_counter()
    ts = gas.tscores(df, case="case", score="level", weight="weight", rho=RHO)
    t_gas = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    print(f"gas.tscores: {t_gas:.2f} s; peak traced memory during the call {peak / 2**20:,.0f} MiB; "
          f"process peak RSS (incl. the input data) {rss:,.0f} MiB; {len(ts):,} T-scores")

    as_text = df.assign(case=df["case"].astype(str))
    t0 = time.perf_counter()
    ts_text = gas.tscores(as_text, case="case", score="level", weight="weight", rho=RHO)
    t_text = time.perf_counter() - t0
    same = np.array_equal(
        ts_text.sort_values("case", key=lambda c: c.astype(int))["tscore"].to_numpy(),
        ts["tscore"].to_numpy(), equal_nan=True,
    )
    print(f"gas.tscores with text case ids: {t_text:.2f} s; ratio to integer ids {t_text / t_gas:.2f}; "
          f"same T-scores: {same}")

    rng = np.random.default_rng(args.seed + 1)
    chosen = rng.choice(ts["case"].to_numpy(), size=min(args.apply_cases, len(ts)), replace=False)
    sub = df[df["case"].isin(chosen)]
    t0 = time.perf_counter()
    ref = sub.groupby("case").apply(apply_formula, include_groups=False)
    t_apply_sub = time.perf_counter() - t0
    t0 = time.perf_counter()
    ts_sub = gas.tscores(sub, case="case", score="level", weight="weight", rho=RHO)
    t_gas_sub = time.perf_counter() - t0
    def max_diff(got: pd.DataFrame) -> float:
        a = got.set_index("case")["tscore"].loc[ref.index].to_numpy()
        b = ref.to_numpy(dtype=float)
        if not np.array_equal(np.isnan(a), np.isnan(b)):
            return float("inf")
        return float(np.nanmax(np.abs(a - b))) if (~np.isnan(a)).any() else 0.0

    diff, diff_full = max_diff(ts_sub), max_diff(ts)
    scaled = t_apply_sub * len(ts) / len(chosen)
    print(f"pandas groupby().apply on a subsample of {len(chosen):,} cases ({len(sub):,} rows): "
          f"{t_apply_sub:.2f} s; scaled linearly to {len(ts):,} cases: {scaled:.1f} s")
    print(f"gas.tscores on the same subsample: {t_gas_sub:.3f} s "
          f"(ratio on the subsample: {t_apply_sub / t_gas_sub:.0f}x)")
    print(f"ratio apply (scaled) / gas.tscores (full run): {scaled / t_gas:.0f}x")
    print(f"max |difference| from apply: subsample {diff:.2e}, full run {diff_full:.2e}")
    ok_t, ok_m, ok_r = t_gas < 10, peak < 3 * 2**30, scaled / t_gas >= 20
    print(f"targets: time < 10 s {'met' if ok_t else 'MISSED'}; memory < 3 GB {'met' if ok_m else 'MISSED'}; "
          f">= 20x faster than apply {'met' if ok_r else 'MISSED'}")


if __name__ == "__main__":
    main()
