"""Bootstrap speed: 1,000 resamples of 71 respondents x 27 items (the NP survey's size).

Run from the repository root:  python benchmarks/bench_bootstrap.py
Prints the time of the vectorised bootstrap (target < 5 s) for one 27-item PCA with 8
oblimin components and for the 8-factor per-principle workflow, and the ratio against refitting
with ``fidelity.pca`` in a plain loop (timed on 50 resamples, scaled to 1,000).
"""

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fidelity import factors_per_principle, pca  # noqa: E402
from fidelity.factors.bootstrap import bootstrap_pca  # noqa: E402

N_RESP, N_BOOT, N_LOOP = 71, 1000, 50
rng = np.random.default_rng(2026)
# 8 planted factors on 27 items (3 or 4 items each), 7-point answers like the NP survey
sizes = [4, 4, 4, 3, 3, 3, 3, 3]
lam = np.zeros((27, 8))
row = 0
for j, s in enumerate(sizes):
    lam[row:row + s, j] = rng.uniform(0.6, 0.85, s)
    row += s
f = rng.normal(size=(N_RESP, 8))
x = f @ lam.T + rng.normal(size=(N_RESP, 27)) * np.sqrt(1 - (lam**2).sum(axis=1))
names = [f"I{i + 1:02d}" for i in range(27)]
data = pd.DataFrame(np.digitize(x, np.linspace(-1.5, 1.5, 6)) + 1, columns=names)
groups, row = {}, 0
for j, s in enumerate(sizes):
    groups[f"P{j + 1}"] = names[row:row + s]
    row += s

res = pca(data, n_components=8)
t0 = time.perf_counter()
b = bootstrap_pca(res, data, n=N_BOOT, seed=1)
t_vec = time.perf_counter() - t0

wf = factors_per_principle(data, groups)
t0 = time.perf_counter()
wf.bootstrap(n=N_BOOT, seed=1)
t_wf = time.perf_counter() - t0

t0 = time.perf_counter()
boot_rng = np.random.default_rng(1)
xv = data.to_numpy(float)
for _ in range(N_LOOP):
    idx = boot_rng.integers(0, N_RESP, N_RESP)
    pca(pd.DataFrame(xv[idx], columns=names), n_components=8)
t_loop = (time.perf_counter() - t0) / N_LOOP * N_BOOT

print(f"data: {N_RESP} respondents x {len(names)} items; {N_BOOT} resamples")
print(f"bootstrap_pca, one PCA, 8 oblimin components : {t_vec:6.2f} s "
      f"(target < 5 s; {b.n_not_converged} rotations at the iteration limit)")
print(f"workflow.bootstrap, {len(wf.pcas)} per-principle PCAs      : {t_wf:6.2f} s")
print(f"loop over fidelity.pca (scaled from {N_LOOP})         : {t_loop:6.2f} s")
print(f"speed-up of the vectorised path              : {t_loop / t_vec:6.1f} x")
