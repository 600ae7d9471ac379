"""Errors and warnings shared by every package of the library.

Input checks collect *all* problems before raising, so an evaluator fixes a file in one pass.
Each problem names where it is (row, column or item) and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Problem:
    """One problem found in input data.

    Examples
    --------
    >>> Problem(row="r7", column="LD1", value=6, expected="a code of scale 1-5").describe()
    "row 'r7', column 'LD1': got 6, expected a code of scale 1-5"
    """

    row: Any
    column: Any
    value: Any
    expected: str

    def describe(self) -> str:
        """A one-line human description of the problem."""
        where = []
        if self.row is not None:
            where.append(f"row {self.row!r}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        loc = ", ".join(where) if where else "input"
        return f"{loc}: got {self.value!r}, expected {self.expected}"


class DataValidationError(ValueError):
    """Raised when input data has one or more problems; ``.problems`` lists them all.

    Examples
    --------
    >>> err = DataValidationError([Problem(1, "x", "3,5", "a number with a decimal point")])
    >>> len(err.problems)
    1
    >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
    1 problem in the input:
      row 1, column 'x': got '3,5', expected a number with a decimal point
    """

    def __init__(self, problems: list[Problem], context: str | None = None, max_shown: int = 50):
        self.problems = list(problems)
        self.context = context
        head = f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        head += f" in {context}" if context else " in the input"
        lines = [head + ":"]
        lines += ["  " + p.describe() for p in self.problems[:max_shown]]
        if len(self.problems) > max_shown:
            lines.append(f"  ... and {len(self.problems) - max_shown} more (see .problems)")
        super().__init__("\n".join(lines))

    def to_frame(self) -> pd.DataFrame:
        """The problems as a DataFrame with columns row, column, value, expected."""
        return pd.DataFrame(
            [(p.row, p.column, p.value, p.expected) for p in self.problems],
            columns=["row", "column", "value", "expected"],
        )


class EmptyGroupError(ValueError):
    """A group, cell or sample has too few observations for the requested statistic."""


class SingularMatrixError(ValueError):
    """A correlation or design matrix is singular where an inverse is needed."""


class SeparationError(ValueError):
    """Complete or quasi-complete separation in a logistic regression."""


class ConvergenceWarning(UserWarning):
    """An iterative procedure stopped at its iteration limit without converging."""


class RegistryError(LookupError):
    """A definition id is unknown, or defined twice by different sources."""
