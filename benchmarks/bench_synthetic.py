"""Speed and memory of the synthetic data generators at benchmark sizes.

    PYTHONPATH=. python benchmarks/bench_synthetic.py [scale ...]      # default: 10 100

For each scale prints the time and peak traced memory (``tracemalloc``) of
``zorgeval.synthetic.make_reset`` (388 families per unit of scale) and ``make_np`` (935
youths), and compares the ReSet registration list with the straightforward way of drawing it —
a Python loop per family that appends one row per member, as ``examples/target_group_profiles.py``
does — on the same number of families (the loop is capped at 50,000 families and its time
extrapolated linearly above that).
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

from zorgeval.synthetic import make_np, make_reset
from zorgeval.synthetic.reset import MEMBER_ITEMS

LOOP_CAP = 50_000


def timed(fn, *args, **kwargs):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, seconds, peak


def loop_members(n_families: int, seed: int = 0) -> pd.DataFrame:
    """Registration rows drawn family by family (the per-case baseline)."""
    rng = np.random.default_rng(seed)
    states = np.array(["yes", "no", "unknown"])
    rows = []
    for f in range(n_families):
        n_parents = 1 + int(rng.random() < 0.6)
        n_children = 1 + min(int(rng.poisson(1.35)), 3)
        for k in range(n_parents + n_children):
            role = "parent" if k < n_parents else "child"
            row = {"family": f"G{f + 1:06d}", "member": f"{role}{k}", "role": role}
            for item, *_ in MEMBER_ITEMS:
                row[item] = states[rng.choice(3, p=[0.25, 0.63, 0.12])]
            rows.append(row)
    return pd.DataFrame(rows)


def main(scales: list[float]) -> None:
    for scale in scales:
        reset, t_reset, m_reset = timed(make_reset, scale=scale)
        _, t_np, m_np = timed(make_np, scale=scale)
        n_fam, n_mem = len(reset["families"]), len(reset["members"])
        print(f"scale {scale:g}: {n_fam:,} families, {n_mem:,} members, {len(reset['goals']):,} goals")
        print(f"  make_reset : {t_reset:7.2f} s  peak {m_reset:8.0f} MiB")
        print(f"  make_np    : {t_np:7.2f} s  peak {m_np:8.0f} MiB  "
              f"({int(935 * scale):,} youths)")
        n_loop = min(n_fam, LOOP_CAP)
        _, t_loop, _ = timed(loop_members, n_loop)
        t_loop_all = t_loop * n_fam / n_loop
        note = "" if n_loop == n_fam else f" (measured on {n_loop:,} families, extrapolated)"
        print(f"  per-family loop, registration list only: {t_loop_all:7.2f} s{note}; "
              f"ratio loop / complete make_reset = {t_loop_all / t_reset:.1f}")


if __name__ == "__main__":
    main([float(a) for a in sys.argv[1:]] or [10.0, 100.0])
