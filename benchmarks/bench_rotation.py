"""Time one direct oblimin rotation (27×4, 30×8 and 100×8 loadings): ours, factor_analyzer,
GPArotation.

Run from the repository root:  PYTHONPATH=. python benchmarks/bench_rotation.py [--reps N]

All three run the same gradient-projection algorithm from the identity (quartimin, delta 0,
tol 1e-5) on the same loadings, without Kaiser normalization because factor_analyzer's
``Rotator`` ignores ``normalize`` for oblimin; ours is also timed with normalization. GPArotation
is timed inside R (``system.time`` over many repetitions) when ``Rscript`` and the package are
there, so process start-up is not counted; otherwise its column is left out. Prints, per size,
seconds per rotation, the ratio of each implementation to ours and the largest difference of our
pattern from ``Rotator``'s and GPArotation's.
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


def time_r(a: np.ndarray, reps: int) -> tuple[float, int, np.ndarray] | None:
    """GPArotation's seconds per rotation, iterations and pattern; None without R or the package."""
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
            f"cat(t / {reps}, nrow(r$Table) - 1, sprintf('%.17g', r$loadings), '\\n')"
        )
        run = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, timeout=600)
    if run.returncode != 0:  # GPArotation not installed
        return None
    out = run.stdout.split()
    return float(out[0]), int(out[1]), np.array(out[2:], dtype=float).reshape(a.shape, order="F")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20, help="rotations per timing (default 20)")
    args = parser.parse_args()
    print(f"{'loadings':<10}{'implementation':<38}{'s/rotation':>12}{'vs ours':>9}{'max |diff|':>12}")
    for p, k in ((27, 4), (30, 8), (100, 8)):
        a = loadings(p, k)
        ours = oblimin(a, normalize=False)
        theirs = Rotator(method="oblimin", max_iter=1000).fit_transform(a)
        t_ours = per_call(lambda a=a: oblimin(a, normalize=False), args.reps)
        t_kaiser = per_call(lambda a=a: oblimin(a, normalize=True), args.reps)
        t_fa = per_call(
            lambda a=a: Rotator(method="oblimin", max_iter=1000).fit_transform(a), args.reps
        )
        r = time_r(a, args.reps * 5)
        size = f"{p}x{k}"
        rows = [
            (f"zorgeval oblimin ({ours.iterations} it.)", t_ours, 0.0),
            ("zorgeval oblimin(normalize=True)", t_kaiser, float("nan")),
            ("factor_analyzer Rotator('oblimin')", t_fa,
             float(np.abs(ours.pattern.to_numpy() - theirs).max())),
        ]
        if r is not None:
            rows.append((f"GPArotation::oblimin in R ({r[1]} it.)", r[0],
                         float(np.abs(ours.pattern.to_numpy() - r[2]).max())))
        for name, t, diff in rows:
            print(f"{size:<10}{name:<38}{t:>12.6f}{t / t_ours:>8.2f}x{diff:>12.1e}")
    if r is None:
        print("(Rscript or GPArotation not found: GPArotation not timed)")


if __name__ == "__main__":
    main()
