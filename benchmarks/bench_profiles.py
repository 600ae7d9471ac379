"""Speed of the three-valued classification of many families.

Prints the time of ``profiles.classify_multiproblem`` for N families (seven domains, random
yes/no/unknown codes) against a brute-force reference that tries every way of filling in the
unknowns, and their ratio. Run from the repository root: ``PYTHONPATH=. python benchmarks/bench_profiles.py [N]``.
"""

from __future__ import annotations

import itertools
import sys
import time

import numpy as np
import pandas as pd

from profiles import classify_multiproblem
from profiles.definitions import get_rule


def brute_force(row: list[str], k: int) -> str:
    unknown = [i for i, v in enumerate(row) if v == "onbekend"]
    seen = set()
    for fill in itertools.product((True, False), repeat=len(unknown)):
        n = sum(v == "ja" for v in row) + sum(fill)
        seen.add(n >= k)
    return "yes" if seen == {True} else "no" if seen == {False} else "undetermined"


def main(n: int = 20_000) -> None:
    ids = get_rule("multiproblem_bodden_dekovic").definition.indicator_ids
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.choice(["ja", "nee", "onbekend"], size=(n, 7)), columns=ids)
    t0 = time.perf_counter()
    ours = classify_multiproblem(frame).classification.tolist()
    t1 = time.perf_counter()
    ref = [brute_force(r, 6) for r in frame.to_numpy().tolist()]
    t2 = time.perf_counter()
    assert ours == ref
    print(f"families: {n}")
    print(f"classify_multiproblem (with evidence table): {t1 - t0:.3f} s")
    print(f"brute-force enumeration (outcome only):     {t2 - t1:.3f} s")
    print(f"ratio ours / brute force: {(t1 - t0) / (t2 - t1):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
