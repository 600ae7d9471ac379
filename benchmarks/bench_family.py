"""Per-family cost of the roster classifications at 388 and 3,880 families.

Run from the repository root:  PYTHONPATH=. python benchmarks/bench_family.py [scale ...]

Draws the SYNTHETIC ReSet registration list (``zorgeval.synthetic.make_reset``, 388 families
per unit of scale; scales 1 and 10 by default), validates it once, and times
``profiles.family_features``, ``profiles.classify_family_type`` and
``profiles.classify_young_mother``. Prints milliseconds per family at each size and the ratio
of the per-family cost at the largest size to that at the smallest: about 1 when the cost per
family does not grow with the number of families (a scan of the members table per family makes
it grow in proportion). There is no peer library for these classifications.
"""

from __future__ import annotations

import sys
import time

import profiles
from zorgeval.synthetic import make_reset


def best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(scales: list[float]) -> None:
    steps = {
        "family_features": lambda reg: profiles.family_features(reg),
        "classify_family_type": lambda reg: profiles.classify_family_type(reg),
        "classify_young_mother": lambda reg: profiles.classify_young_mother(reg),
    }
    per_family: dict[str, list[float]] = {name: [] for name in steps}
    sizes = []
    for scale in scales:
        data = make_reset(seed=1, scale=scale)
        reg = profiles.validate_registration(data["members"], data["families"])
        n = len(reg.families)
        sizes.append(n)
        for name, fn in steps.items():
            per_family[name].append(best_of(lambda fn=fn, reg=reg: fn(reg)) / n * 1000)
    head = "".join(f"{f'{n:,} families':>18}" for n in sizes)
    print(f"{'ms per family':<24}{head}{'ratio largest/smallest':>26}")
    for name, ms in per_family.items():
        cells = "".join(f"{m:>18.4f}" for m in ms)
        print(f"{name:<24}{cells}{ms[-1] / ms[0]:>25.2f}x")


if __name__ == "__main__":
    main([float(a) for a in sys.argv[1:]] or [1.0, 10.0])
