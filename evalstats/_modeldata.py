"""Input checks and listwise deletion shared by the model procedures.

Every procedure that drops cases reports how many, per variable, so no row is lost silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from evalstats.errors import DataValidationError, Problem, shown_value


def check_columns(data: pd.DataFrame, columns: Iterable[str], context: str) -> None:
    """Raise one :class:`DataValidationError` listing every column missing from ``data``."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{context}: data must be a pandas DataFrame, got {type(data).__name__}")
    problems = [
        Problem(None, c, "absent", f"a column of the data (columns: {list(data.columns)})")
        for c in columns
        if c not in data.columns
    ]
    if problems:
        raise DataValidationError(problems, context=context)


def numeric_problems(
    data: pd.DataFrame, columns: Sequence[str], hint: str | None = None
) -> list[Problem]:
    """Problems for every non-missing value of ``columns`` that is not a finite number.

    A column without a single number gets one problem for the whole column (with ``hint``,
    e.g. that a categorical variable must be declared) instead of one per row.
    """
    problems: list[Problem] = []
    for c in columns:
        s = data[c]
        if pd.api.types.is_bool_dtype(s):
            continue
        conv = pd.to_numeric(s, errors="coerce")
        bad = s.notna() & (conv.isna() | ~np.isfinite(conv.astype(float)))
        if bad.any() and conv.notna().sum() == 0:
            shown = ", ".join(shown_value(v) for v in sorted_levels(s)[:3])
            expected = "numbers" + (f"; {hint}" if hint else "")
            problems.append(Problem(None, c, f"text values such as {shown}", expected))
            continue
        for idx in s.index[bad.to_numpy()]:
            problems.append(Problem(idx, c, s.loc[idx], "a finite number"))
    return problems


def listwise(data: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the rows complete on ``columns``; count what was dropped per variable.

    Returns the complete rows (a copy, never a view of the input) and a table with, per
    variable, the number of cases missing on it (a case missing on two variables counts for
    both), plus a final row ``(any)`` with the number of cases dropped in total.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1.0, None, 3.0, None], "x": [1.0, 2.0, None, None]})
    >>> kept, dropped = listwise(df, ["y", "x"])
    >>> len(kept)
    1
    >>> dropped["n_missing"].tolist()
    [2, 2, 3]
    """
    cols = list(dict.fromkeys(columns))
    miss = data[cols].isna()
    any_miss = miss.any(axis=1)
    dropped = pd.DataFrame(
        {
            "variable": cols + ["(any)"],
            "n_missing": [int(miss[c].sum()) for c in cols] + [int(any_miss.sum())],
        }
    )
    kept = data.loc[~any_miss.to_numpy(), cols].copy()
    return kept, dropped


def sorted_levels(values: pd.Series) -> list:
    """The distinct non-missing values in ascending order (numbers numerically, text as text)."""
    levels = pd.unique(values.dropna())
    try:
        return sorted(levels.tolist())
    except TypeError:
        return sorted(levels.tolist(), key=str)
