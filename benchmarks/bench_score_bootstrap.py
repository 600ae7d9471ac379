"""Speed of the bootstrap over practitioners with factor-score covariates: 500 resamples of 71
practitioners (27 items, the 8-factor per-principle workflow of the NP survey's size) with 3
cases each.

Run from the repository root:  python benchmarks/bench_score_bootstrap.py
Prints the time of ``fidelity.bootstrap_factor_model`` (target < 10 s) and the ratio against a
plain loop that refits every PCA with ``fidelity.pca``, scores and fits the case model with
numpy (timed on 20 resamples, scaled to 500).
"""

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fidelity import bootstrap_factor_model, factors_per_principle, pca  # noqa: E402

N_PRAC, N_BOOT, N_LOOP, PER = 71, 500, 20, 3
rng = np.random.default_rng(2026)
sizes = [4, 4, 4, 3, 3, 3, 3, 3]
lam = np.zeros((27, 8))
row = 0
for j, s in enumerate(sizes):
    lam[row:row + s, j] = rng.uniform(0.6, 0.85, s)
    row += s
f = rng.normal(size=(N_PRAC, 8))
x = f @ lam.T + rng.normal(size=(N_PRAC, 27)) * np.sqrt(1 - (lam**2).sum(axis=1))
names = [f"I{i + 1:02d}" for i in range(27)]
ids = [f"p{i:02d}" for i in range(N_PRAC)]
data = pd.DataFrame(np.digitize(x, np.linspace(-1.5, 1.5, 6)) + 1, columns=names, index=ids)
groups, row = {}, 0
for j, s in enumerate(sizes):
    groups[f"P{j + 1}"] = names[row:row + s]
    row += s
wf = factors_per_principle(data, groups)
terms = list(wf.factors["factor"])
cases = pd.DataFrame({"practitioner": np.repeat(ids, PER)})
cases["result"] = np.repeat(f[:, 0], PER) + rng.normal(size=len(cases))

t0 = time.perf_counter()
b = bootstrap_factor_model(wf, cases, "result", covariates=terms, n=N_BOOT, seed=1)
ours = time.perf_counter() - t0

t0 = time.perf_counter()
draws = rng.integers(0, N_PRAC, size=(N_LOOP, N_PRAC))
for d in draws:
    xb = data.iloc[d].reset_index(drop=True)
    cols = []
    for gname, res in wf.pcas.items():
        r = pca(xb[res.items], n_components=res.pattern.shape[1])
        cols.append(r.scores(xb[res.items]).to_numpy())
    sc = np.column_stack(cols)[:, : len(terms)]
    rows = np.concatenate([np.arange(i * PER, (i + 1) * PER) for i in d])
    xm = np.column_stack([np.ones(len(rows)), np.repeat(sc, PER, axis=0)])
    np.linalg.lstsq(xm, cases["result"].to_numpy()[rows], rcond=None)
peer = (time.perf_counter() - t0) * N_BOOT / N_LOOP

print(f"bootstrap_factor_model, {N_BOOT} resamples, {len(terms)} factors: {ours:.2f} s "
      f"({b.n_failed} failed)")
print(f"plain loop with fidelity.pca (scaled from {N_LOOP}): {peer:.2f} s")
print(f"ratio plain / ours: {peer / ours:.1f}")
