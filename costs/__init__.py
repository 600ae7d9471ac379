"""Costs and case comparison: the Effectencalculator and the municipal budget calculator.

* :mod:`costs.records`: case records of the Effectencalculator (seed 004), from TOML or CSV.
* :mod:`costs.tables`: the user's unit costs per activity, by validity period and source.
* :mod:`costs.compare`: pilot cost against the reference scenarios per case, a low–high
  range over the scenarios, and "not costable" with the reason.
* :mod:`costs.synthesis`: patterns across cases with the cases that show each.
* :mod:`costs.budgeting`: cost per family over a period from its posts (seed 001).

Money is held as exact :class:`decimal.Decimal` euros; every amount is an expert estimate.

Examples
--------
>>> import costs
>>> costs.seed_example().total
(Decimal('34000'), Decimal('45000'))
"""

from costs.budgeting import BudgetItem, BudgetPlan, BudgetResult, budget, load_budget, seed_example
from costs.compare import CaseComparison, CostComparison, CostSettings, PartCost, compare_cases
from costs.money import CostInputError, fmt_eur
from costs.records import (
    DOMAINS,
    ROLES,
    Activity,
    CaseRecord,
    Event,
    Scenario,
    load_cases,
    load_cases_csv,
)
from costs.synthesis import PatternSynthesis, load_patterns, synthesise
from costs.tables import CostTable, UnitCost, load_cost_table
from evalstats import __version__ as __version__

__all__ = ["DOMAINS", "ROLES", "Activity", "BudgetItem", "BudgetPlan", "BudgetResult",
           "CaseComparison", "CaseRecord", "CostComparison", "CostInputError", "CostSettings",
           "CostTable", "Event", "PartCost", "PatternSynthesis", "Scenario", "UnitCost", "budget",
           "compare_cases", "fmt_eur", "load_budget", "load_cases", "load_cases_csv",
           "load_cost_table", "load_patterns", "seed_example", "synthesise"]
