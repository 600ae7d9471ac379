"""Time one direct oblimin rotation (30 items × 8 components): ours, factor_analyzer, GPArotation.

Run from the repository root:  PYTHONPATH=. python benchmarks/bench_rotation.py [--reps N]

All three run the same gradient-projection algorithm from the identity (quartimin, delta 0,
tol 1e-5) on the same loadings, without Kaiser normalization because factor_analyzer's
``Rotator`` ignores ``normalize`` for oblimin; ours is also timed with normalization. GPArotation
is timed inside R (``system.time`` over many repetitions) when ``Rscript`` is on the PATH, so
process start-up is not counted. Prints seconds per rotation and ratios to ``Rotator``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import timeit
from pathlib import Path

import numpy as np
from factor_analyzer.rotator import Rotator

from fidelity import oblimin


def loadings(p: int = 30, k: int = 8, seed: int = 1) -> np.ndarray:
    """Unrotated principal-component loadings of data with a noisy simple structure."""
    rng = np.random.default_rng(seed)
    lam = np.zeros((p, k))
    lam[np.arange(p), np.arange(p) % k] = rng.uniform(0.5, 0.8, p)
    x = rng.normal(size=(300, k)) @ lam.T + rng.normal(size=(300, p)) * 0.6
    vals, vecs = np.linalg.eigh(np.corrcoef(x, rowvar=False))
    return vecs[:, ::-1][:, :k] * np.sqrt(vals[::-1][:k])


def per_call(fn, reps: int) -> float:
    """Best of five timings of ``reps`` calls (after one warm-up call), per call."""
    fn()
    return min(timeit.repeat(fn, number=reps, repeat=5)) / reps


def time_r(a: np.ndarray, reps: int) -> tuple[float, int] | None:
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.csv"
        np.savetxt(path, a, delimiter=",", fmt="%.17g")
        code = (
            "suppressPackageStartupMessages(library(GPArotation));"
            f"a <- as.matrix(read.csv('{path}', header = FALSE));"
            "r <- oblimin(a, normalize = FALSE);"
            f"t <- system.time(for (i in 1:{reps}) oblimin(a, normalize = FALSE))[['elapsed']];"
            f"cat(t / {reps}, nrow(r$Table) - 1, '\\n')"
        )
        out = subprocess.run(
            ["Rscript", "-e", code], capture_output=True, text=True, check=True, timeout=600
        ).stdout.split()
    return float(out[0]), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20, help="rotations per timing (default 20)")
    args = parser.parse_args()
    a = loadings()
    ours = oblimin(a, normalize=False)
    theirs = Rotator(method="oblimin", max_iter=1000).fit_transform(a)
    diff = float(np.abs(ours.pattern.to_numpy() - theirs).max())

    t_ours = per_call(lambda: oblimin(a, normalize=False), args.reps)
    t_ours_kaiser = per_call(lambda: oblimin(a, normalize=True), args.reps)
    t_fa = per_call(lambda: Rotator(method="oblimin", max_iter=1000).fit_transform(a), args.reps)
    r = time_r(a, args.reps * 5)

    print(f"oblimin (quartimin), {a.shape[0]} items x {a.shape[1]} components, "
          f"{ours.iterations} iterations; max |ours - Rotator| = {diff:.1e}")
    print(f"{'implementation':<42}{'s/rotation':>12}{'vs Rotator':>12}")
    rows = [
        ("zorgeval oblimin(normalize=False)", t_ours),
        ("zorgeval oblimin(normalize=True)", t_ours_kaiser),
        ("factor_analyzer Rotator('oblimin')", t_fa),
    ]
    if r is not None:
        rows.append((f"GPArotation::oblimin in R ({r[1]} iterations)", r[0]))
    else:
        print("(Rscript not found: GPArotation not timed)")
    for name, t in rows:
        print(f"{name:<42}{t:>12.5f}{t / t_fa:>11.2f}x")


if __name__ == "__main__":
    main()
