"""Errors and warnings shared by every package of the library.

Input checks collect *all* problems before raising, so an evaluator fixes a file in one pass.
Each problem names where it is (row, column or item) and what was expected. Messages show no
personal data: a problem in a cell shows its value only when it is short (a code such as ``7``
or ``'ja'``); a longer text is described by its length, a date is never shown, and a check on a
column that holds personal data (dates of birth, free text) passes :data:`NOT_SHOWN`. A problem
without a row is about a whole column: its text is a placeholder such as ``'missing column'``
or a value from the project file, never a cell's content, and is shown as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MAX_SHOWN_CHARS = 12  # longest text a message shows: codes and yes/no words, not free text


class _NotShown:
    """The value of a problem that a message must not show (personal data)."""

    def __repr__(self) -> str:
        return "(not shown)"


NOT_SHOWN = _NotShown()


class Counted(str):
    """A value with the number of cells that hold it, shown as ``'beter' (2×)`` in messages.

    Examples
    --------
    >>> repr(Counted("beter", 2)), repr(Counted("een hele lange zin", 1))
    ("'beter' (2×)", 'a text of 18 characters (1×)')
    """

    n: int

    def __new__(cls, value: str, n: int):
        obj = super().__new__(cls, value)
        obj.n = n
        return obj

    def __repr__(self) -> str:
        return f"{shown_value(str(self))} ({self.n}×)"


def withheld(value: Any) -> Any:
    """The value a problem on personal data (a date of birth, free text) keeps: ``None`` for a
    missing cell, else :data:`NOT_SHOWN`.

    Examples
    --------
    >>> withheld(None), withheld(float("nan")), withheld("1987-13-01")
    (None, None, (not shown))
    """
    try:
        missing = bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array is not a single missing value
        missing = False
    return None if missing else NOT_SHOWN


def listed_rows(labels: Any, noun: str = "row", max_listed: int = 5) -> str:
    """Where offending values are, by row (or position) and not by value: the first few.

    Examples
    --------
    >>> listed_rows([4]), listed_rows(range(8), noun="position")
    ('row 4', 'positions 0, 1, 2, 3, 4 and 3 more')
    """
    labels = list(labels)
    head = ", ".join(str(v) for v in labels[:max_listed])
    more = f" and {len(labels) - max_listed} more" if len(labels) > max_listed else ""
    return f"{noun}{'s' if len(labels) != 1 else ''} {head}{more}"


def shown_value(value: Any) -> str:
    """How a message shows an offending value: its repr when short and not a date.

    Examples
    --------
    >>> shown_value("7"), shown_value(6)
    ("'7'", '6')
    >>> shown_value("Jan woont sinds kort bij zijn oma")
    'a text of 33 characters'
    >>> shown_value(pd.Timestamp("2011-03-04"))
    'a date'
    """
    if isinstance(value, Counted):
        return repr(value)
    if isinstance(value, str) and len(value) > MAX_SHOWN_CHARS:
        return f"a text of {len(value)} characters"
    if isinstance(value, dt.date | np.datetime64):  # pd.Timestamp is a datetime.date
        return "a date"
    return repr(value)


@dataclass(frozen=True)
class Problem:
    """One problem found in input data.

    Examples
    --------
    >>> Problem(row="r7", column="LD1", value=6, expected="a code of scale 1-5").describe()
    "row 'r7', column 'LD1': got 6, expected a code of scale 1-5"
    >>> Problem(row=3, column="geboortedatum", value=NOT_SHOWN, expected="a date").describe()
    "row 3, column 'geboortedatum': expected a date (the value is not shown)"
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
        if self.value is NOT_SHOWN:
            return f"{loc}: expected {self.expected} (the value is not shown)"
        if self.row is None and type(self.value) is str:
            # about a whole column: a placeholder ("missing column") or a project setting
            return f"{loc}: got {self.value!r}, expected {self.expected}"
        return f"{loc}: got {shown_value(self.value)}, expected {self.expected}"


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
    """A group, cell or sample has too few observations for the requested statistic.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalstats import EmptyGroupError, ttest_ind
    >>> d = pd.DataFrame({"y": [1, 2, 3, 4], "g": ["a", "a", "a", "b"]})
    >>> try:
    ...     ttest_ind(d, "y", "g")
    ... except EmptyGroupError as exc:
    ...     print(exc)
    every group of 'g' needs at least 2 observations after listwise deletion; group 'b': 1 observation
    """


class SingularMatrixError(ValueError):
    """A correlation or design matrix is singular where an inverse is needed.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalstats import SingularMatrixError, logistic_regression
    >>> d = pd.DataFrame({"y": [0, 1, 0, 1, 1, 0], "x": [1, 2, 3, 4, 5, 6],
    ...                   "z": [2, 4, 6, 8, 10, 12]})
    >>> try:
    ...     logistic_regression(d, "y", ["x", "z"])
    ... except SingularMatrixError as exc:
    ...     print(exc)
    the predictors are linearly dependent (perfect collinearity) among x, z; remove or recode one of them
    """


class SeparationError(ValueError):
    """Complete or quasi-complete separation in a logistic regression.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalstats import SeparationError, logistic_regression
    >>> d = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "x": [1, 2, 3, 4, 5, 6]})
    >>> try:
    ...     logistic_regression(d, "y", ["x"])
    ... except SeparationError as exc:
    ...     print(str(exc).split(":")[0])
    complete separation of 'y'
    """


class LocalizedWarning(UserWarning):
    """A warning whose message is given in English (its ``str``) and in Dutch.

    Examples
    --------
    >>> w = LocalizedWarning("2 empty cells", "2 lege cellen")
    >>> str(w), w.text("nl"), w.prefixed("goal 'a': ", "doel 'a': ").text("nl")
    ('2 empty cells', '2 lege cellen', "doel 'a': 2 lege cellen")
    """

    def __init__(self, en: str, nl: str | None = None):
        super().__init__(en)
        self.en = en
        self.nl = nl or en

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"en"`` or ``"nl"``)."""
        return self.nl if lang == "nl" else self.en

    def prefixed(self, en: str, nl: str) -> LocalizedWarning:
        """The same kind of warning with a prefix before each language's message."""
        return type(self)(en + self.en, nl + self.nl)


class ConvergenceWarning(UserWarning):
    """An iterative procedure stopped at its iteration limit without converging.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> from evalstats import ConvergenceWarning, logistic_regression
    >>> d = pd.DataFrame({"y": [0, 1, 0, 1, 1, 0, 1, 1], "x": [1, 2, 3, 4, 5, 6, 3, 2]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = logistic_regression(d, "y", ["x"], max_iter=1)
    >>> [str(w.message) for w in caught if w.category is ConvergenceWarning]
    ["logistic regression of 'y' stopped after 1 iterations without converging"]
    """


class RegistryError(LookupError):
    """A definition id is unknown, or defined twice by different sources.

    Examples
    --------
    >>> from pydantic import BaseModel
    >>> from evalstats import RegistryError
    >>> from evalstats.registry import Registry
    >>> class Thing(BaseModel):
    ...     id: str
    >>> things = Registry(Thing, "thing", entry_point_group="zorgeval.example_things")
    >>> things.register(Thing(id="a"), source="doctest")
    >>> try:
    ...     things.get("b")
    ... except RegistryError as exc:
    ...     print(exc)
    unknown thing 'b'; known: a
    """
