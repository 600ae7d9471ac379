"""From fidelity-survey items to method factors attached to cases, in one script.

Replace the simulated ``survey`` and ``cases`` below by your own files, e.g.
``survey = pd.read_csv("survey.csv", index_col="practitioner")``. Run from the repository root:

    pip install -e .   # once, or run with PYTHONPATH=.
    python examples/method_factors.py [output directory]
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import fidelity  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(2026)

# -- a simulated survey: 71 practitioners, 3 principles, 7-point answers ------------------------
principles = {
    "IP": ["IP1", "IP2", "IP3", "IP4", "IP5"],
    "HG": ["HG1", "HG2", "HG3", "HG4", "HG5", "HG6"],
    "NW": ["NW1", "NW2", "NW3", "NW4"],
}
lam = np.zeros((15, 4))
lam[0:4, 0] = 0.75  # IP1-IP4 one factor; IP5 barely related
lam[4, 0] = 0.2
lam[5:8, 1] = 0.75  # HG splits into two factors
lam[8:11, 2] = 0.7
lam[11:15, 3] = 0.7
f = rng.normal(size=(71, 4))
x = f @ lam.T + rng.normal(size=(71, 15)) * np.sqrt(1 - (lam**2).sum(axis=1))
items = [c for cs in principles.values() for c in cs]
survey = pd.DataFrame(np.digitize(x, np.linspace(-1.5, 1.5, 6)) + 1, columns=items,
                      index=pd.Index([f"P{i:02d}" for i in range(71)], name="practitioner"))
cases = pd.DataFrame({
    "case": range(300),
    "practitioner": rng.choice([*survey.index, "P98", "P99"], size=300),  # two without survey
    "goal_reached": rng.integers(0, 2, size=300),
})

# -- method factors per principle ---------------------------------------------------------------
result = fidelity.factors_per_principle(survey, principles, min_alpha=0.6)
print(result.report())
print(result.spss_table().to_string(), "\n")

# -- reliability of one factor in SPSS layout ---------------------------------------------------
first = result.factors.iloc[0]
rel = fidelity.cronbach_alpha(survey[first["items"]])
print(rel.spss_table(which="item_total").to_string())
print(rel.apa(), "\n")

# -- uncertainty: bootstrap the final PCAs ------------------------------------------------------
boot = result.bootstrap(n=1000, seed=1)
print(boot.apa())
print(boot.stability.to_string(index=False), "\n")

# -- factor scores as covariates of each practitioner's cases -----------------------------------
linked = fidelity.link_to_cases(cases, result, case_practitioner="practitioner",
                                answers=survey, items=list(result.loose_items["item"]),
                                prefix="pr_")
print(linked.apa())
print(linked.data.head().to_string(), "\n")

# -- plots -------------------------------------------------------------------------------------
hg = result.pcas["HG"]
ax = fidelity.scree_plot(hg, parallel=fidelity.parallel_analysis(survey[hg.items], seed=1))
ax.figure.savefig(out / "scree_HG.png", dpi=120, bbox_inches="tight")
ax = fidelity.loadings_heatmap(hg)
ax.figure.savefig(out / "loadings_HG.png", dpi=120, bbox_inches="tight")
print(f"plots written to {out.resolve()}")
