"""Outcome models as an evaluation report needs them, on synthetic data.

1. Validate a profile: logistic regression of "profile B vs the rest" on registration
   characteristics (a categorical one with an explicit reference), reported as B and Exp(B).
2. Explain GAS T-scores: factorial ANOVA with profile dummies and method-factor scores,
   Type III, partial eta squared, listwise N reported.
3. Cross-tabulate profile by family type and correlate a factor score with the T-score.

Run from the repository root:  PYTHONPATH=. python examples/models_example.py
"""

import warnings

import numpy as np
import pandas as pd

import evalstats

rng = np.random.default_rng(2026)
n = 300
cases = pd.DataFrame(
    {
        "profielB": rng.binomial(1, 0.3, n),
        "profielC": rng.binomial(1, 0.35, n),
        "gezinstype": rng.choice(["eenouder", "samengesteld", "traditioneel"], n),
        "kinderen": rng.integers(1, 6, n),
        "factor1": rng.normal(size=n).round(3),
        "factor2": rng.normal(size=n).round(3),
    }
)
cases["tscore"] = (50 + 3 * cases["profielB"] - 2 * cases["factor1"] + rng.normal(0, 8, n)).round(2)
cases.loc[rng.choice(n, 12, replace=False), "factor2"] = np.nan  # not every practitioner answered

# 1. profile validation
logit = evalstats.logistic_regression(
    cases,
    "profielB",
    ["kinderen", "gezinstype"],
    categorical=["gezinstype"],
    reference={"gezinstype": "traditioneel"},
)
print("Profile B vs the rest — Variables in the Equation")
print(logit.spss_table().to_string())
print(logit.apa(), "|", logit.apa("nl"))
hl = logit.hosmer_lemeshow
print(f"Hosmer–Lemeshow χ²({hl.df}) = {hl.chi2:.2f}, p = {hl.p:.3f}; N = {logit.n_used}\n")

# 2. what explains the T-score
anova = evalstats.factorial_anova(
    cases,
    "tscore",
    factors=["profielB", "profielC"],
    covariates=["factor1", "factor2"],
    interactions=True,
)
table = anova.spss_table()
print(table.to_string())
print(table.attrs["footnote"])
print(f"N = {anova.n_used} ({anova.n_dropped} cases left out listwise)")
print(anova.apa(term="profielB"), "|", anova.apa("nl", term="profielB"))
print("Levene:", anova.levene.apa(), "\n")

# 3. crosstab and correlation
with warnings.catch_warnings():
    warnings.simplefilter("error", evalstats.LowExpectedCountWarning)
    chi = evalstats.chi_square(pd.crosstab(cases["profielB"], cases["gezinstype"]))
print(chi.spss_table().to_string())
print(chi.apa())
print(evalstats.correlation(cases, "factor1", "tscore").apa())
