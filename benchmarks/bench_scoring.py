"""Throughput and peak memory of fidelity survey scoring, against a plain pandas implementation.

Scores N respondents x 60 items (default N = 1,000,000) generated with numpy: a 60-item test
instrument on a 1-5 scale with six categories and twelve principles, 2 % missing answers, four
organisations. Prints answers per second for :func:`fidelity.scoring.score_survey` (validation,
recoding, item statistics, scale scores, group statistics) and for a straightforward pandas
version (``df.mean()``/``df.std()`` per item and a ``groupby`` per organisation, no validation,
no scale scores), the ratio between them, and the peak memory of each step (tracemalloc).

Usage::

    python benchmarks/bench_scoring.py [n_respondents]
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

from fidelity.instrument import Instrument
from fidelity.scoring import score_survey

N_ITEMS = 60


def make_instrument() -> Instrument:
    """A 60-item test instrument: six categories of ten items, two principles per category."""
    items = []
    for j in range(N_ITEMS):
        cat = f"C{j // 10 + 1}"
        items.append(
            {
                "code": f"I{j + 1}",
                "text_nl": f"Item {j + 1}",
                "category": cat,
                "principle": f"P{j // 5 + 1}",
                "reverse": j % 7 == 3,
            }
        )
    return Instrument.model_validate(
        {
            "id": "bench60",
            "name": "Benchmark instrument",
            "default_scale": "s5",
            "threshold": {"value": 4.0},
            "scales": [
                {
                    "id": "s5",
                    "codes": [{"value": v, "nl": str(v), "en": str(v)} for v in range(1, 6)],
                    "non_substantive": [{"value": 9, "nl": "n.v.t.", "en": "n/a"}],
                }
            ],
            "band_sets": [
                {
                    "id": "wolf",
                    "bands": [
                        {"label": "not faithful", "upper": 4.0},
                        {"label": "faithful", "lower": 4.0},
                    ],
                }
            ],
            "default_band_set": "wolf",
            "categories": [{"id": f"C{c}", "nl": f"Categorie {c}"} for c in range(1, 7)],
            "principles": [
                {"id": f"P{p}", "nl": f"Principe {p}", "category": f"C{(p - 1) // 2 + 1}"}
                for p in range(1, 13)
            ],
            "items": items,
        }
    )


def make_data(n: int, seed: int = 1) -> pd.DataFrame:
    """n respondents: id, organisation, 60 answers 1-5 (float, 2 % missing, 0.5 % code 9)."""
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {
        "respondent": np.arange(n),
        "organisation": rng.choice(np.array(["A", "B", "C", "D"], dtype=object), n),
    }
    for j in range(N_ITEMS):
        x = rng.integers(1, 6, n).astype(np.float64)
        u = rng.random(n)
        x[u < 0.02] = np.nan
        x[(u >= 0.02) & (u < 0.025)] = 9.0
        cols[f"I{j + 1}"] = x
    return pd.DataFrame(cols)


def pandas_baseline(df: pd.DataFrame, items: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The straightforward pandas way: per-item mean/SD, then per-organisation mean/SD."""
    clean = df[items].where(df[items] != 9)
    overall = pd.DataFrame({"mean": clean.mean(), "sd": clean.std(), "n": clean.count()})
    grouped = clean.groupby(df["organisation"]).agg(["mean", "std", "count"])
    return overall, grouped


def measure(fn, *args):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = fn(*args)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, elapsed, peak


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    inst = make_instrument()
    df = make_data(n)
    answers = n * N_ITEMS
    input_mb = df.memory_usage(deep=False).sum() / 2**20
    print(f"{n:,} respondents x {N_ITEMS} items = {answers:,} answers (input frame {input_mb:,.0f} MiB)")

    items = inst.item_codes
    base, t_pd, peak_pd = measure(pandas_baseline, df, items)
    scores, t_z, peak_z = measure(
        lambda: score_survey(df, inst, groups=["organisation"])
    )

    # the two agree on what both compute
    got = scores.item_stats.set_index("item")
    # pandas baseline does not recode reverse-keyed items: compare those reversed
    ref_mean = base[0]["mean"].copy()
    rev = [it.code for it in inst.items if it.reverse]
    ref_mean[rev] = 6 - ref_mean[rev]
    assert np.allclose(got["mean"], ref_mean[got.index], rtol=0, atol=1e-9)
    assert np.allclose(got["sd"], base[0]["sd"][got.index], rtol=0, atol=1e-9)

    print(f"zorgeval score_survey : {t_z:7.2f} s  {answers / t_z / 1e6:6.2f} M answers/s  "
          f"peak {peak_z / 2**20:7.0f} MiB  (validation, recoding, items, {len(scores.scale_stats)} "
          "scales, groups)")
    print(f"pandas baseline       : {t_pd:7.2f} s  {answers / t_pd / 1e6:6.2f} M answers/s  "
          f"peak {peak_pd / 2**20:7.0f} MiB  (item mean/std + groupby only)")
    print(f"ratio (pandas time / zorgeval time): {t_pd / t_z:.2f}")
    print("target: >= 5 M answers/s on a 2-core machine -> "
          + ("met" if answers / t_z >= 5e6 else "NOT met"))


if __name__ == "__main__":
    main()
