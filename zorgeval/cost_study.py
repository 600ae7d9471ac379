"""The ``[costs]`` section of a project: the Effectencalculator case comparison and the budget.

A project may hold only this section (no instrument needed)::

    [costs]
    cases = "data/cases.toml"          # case records (TOML), or a cases CSV with `activities`
    unit_costs = "data/unit_costs.csv" # the user's cost table (CSV or TOML)
    budget = "data/budget.toml"        # optional budget plan per family
    horizon_months = 24
    payers = ["municipality"]          # leave out for every payer

Paths are relative to the project file and must lie inside its folder, as the data files do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

import costs

__all__ = ["CostStudy", "CostsSection", "example_files", "run_costs"]

_PATHS = ("cases", "activities", "unit_costs", "patterns", "budget")


class CostsSection(BaseModel):
    """Where the case records, the cost table and the budget plan are; horizon and payers.

    Examples
    --------
    >>> s = CostsSection(cases="c.toml", unit_costs="u.csv", payers=["municipality"])
    >>> s.settings().describe("en")
    'time horizon 24 months from the pilot start; payer: municipality'
    >>> s.resolved(Path("/p")).cases.as_posix()
    '/p/c.toml'
    """

    model_config = ConfigDict(extra="forbid")
    cases: Path
    activities: Path | None = None
    unit_costs: Path
    patterns: Path | None = None
    budget: Path | None = None
    horizon_months: int = Field(24, ge=1)
    payers: list[str] | None = None

    def paths(self) -> dict[str, Path]:
        """The files the section names, by key."""
        return {k: p for k in _PATHS if (p := getattr(self, k)) is not None}

    def settings(self) -> costs.CostSettings:
        """The comparison settings."""
        return costs.CostSettings(horizon_months=self.horizon_months,
                                  payers=None if self.payers is None else tuple(self.payers))

    def resolved(self, base: Path) -> CostsSection:
        """A copy with the relative paths made absolute against ``base``."""
        return self.model_copy(update={k: (base / p).resolve() for k, p in self.paths().items()
                                       if not p.is_absolute()})

    def outside(self, folder: Path) -> list[str]:
        """The paths (as written) that are absolute or leave ``folder``."""
        return [f"costs.{k}: {p} is outside the project folder {folder}; move the file into it, "
                "or set allow_outside = true in [data] (zorgeval report: --allow-outside-paths)"
                for k, p in self.paths().items()
                if p.is_absolute() or not Path(os.path.normpath(folder / p)).is_relative_to(folder)]

    def missing(self) -> list[str]:
        """The files that do not exist."""
        return [f"costs.{k}: file not found: {p}" for k, p in self.paths().items() if not p.is_file()]


@dataclass
class CostStudy:
    """What the ``[costs]`` section yields: cases, comparison, synthesis and budget.

    Examples
    --------
    >>> study = run_costs(CostsSection(cases=_DATA / "synthetic_cases.toml",
    ...                                unit_costs=_DATA / "synthetic_unit_costs.csv"))
    >>> len(study.cases), study.budget is None
    (8, True)
    """

    section: CostsSection
    cases: list[Any]
    table: Any
    comparison: Any
    synthesis: Any
    budget: Any = None


_DATA = resources.files("costs") / "data"


def run_costs(section: CostsSection) -> CostStudy:
    """Read the files of the section and compute the comparison, synthesis and budget.

    Raises :class:`costs.CostInputError` on bad input (see :mod:`costs`).

    Examples
    --------
    >>> study = run_costs(CostsSection(cases=_DATA / "synthetic_cases.toml",
    ...                                unit_costs=_DATA / "synthetic_unit_costs.csv",
    ...                                budget=_DATA / "budget_buitenshuis_seed001.toml",
    ...                                horizon_months=48))
    >>> study.comparison.cases[6].difference, study.budget.total[1]
    (Decimal('-52000.00'), Decimal('45000'))
    """
    if section.activities is not None:
        cases = costs.load_cases_csv(section.cases, section.activities)
    else:
        cases = costs.load_cases(section.cases)
    table = costs.load_cost_table(section.unit_costs)
    vocab = costs.load_patterns(section.patterns) if section.patterns is not None else None
    return CostStudy(
        section=section, cases=cases, table=table,
        comparison=costs.compare_cases(cases, table, section.settings()),
        synthesis=costs.synthesise(cases, vocab),
        budget=None if section.budget is None else costs.budget(costs.load_budget(section.budget)))


def example_files() -> dict[str, bytes]:
    """The files of the ``costs`` example project's ``data/`` folder (SYNTHETIC).

    Examples
    --------
    >>> sorted(example_files())
    ['data/budget.toml', 'data/cases.toml', 'data/unit_costs.csv']
    """
    return {"data/cases.toml": (_DATA / "synthetic_cases.toml").read_bytes(),
            "data/unit_costs.csv": (_DATA / "synthetic_unit_costs.csv").read_bytes(),
            "data/budget.toml": (_DATA / "budget_buitenshuis_seed001.toml").read_bytes()}
