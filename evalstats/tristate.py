"""Three-valued answers: every registration item or yes/no flag is ``"yes"``, ``"no"`` or ``"unknown"``.

Dossier research rarely knows everything, so "not found in the dossier" is a state of its own and
never silently becomes "no". This module reads the codings evaluators use and combines answers
with Kleene's three-valued logic.

Accepted codings (case and surrounding spaces ignored):

======================  ======================================================================
state                   accepted values
======================  ======================================================================
``"yes"``               ``yes``, ``y``, ``ja``, ``j``, ``true``, ``waar``, ``1``, ``1.0``, ``True``, 1
``"no"``                ``no``, ``n``, ``nee``, ``false``, ``onwaar``, ``0``, ``0.0``, ``False``, 0
``"unknown"``           ``unknown``, ``onbekend``, ``?``, ``undetermined``, ``onbepaald``, empty
                        string, ``None``, ``NaN``, ``pd.NA``
======================  ======================================================================

``undetermined`` is what the classifications of this package return when the unknowns could
change the answer, so their outcomes can be used as input again. Any other value (``2``, ``"ja/nee"``, ``"misschien"``) is a validation problem, never a guess.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Literal

import pandas as pd

Tri = Literal["yes", "no", "unknown"]

YES: Tri = "yes"
NO: Tri = "no"
UNKNOWN: Tri = "unknown"

_YES_TEXT = {"yes", "y", "ja", "j", "true", "waar", "1", "1.0"}
_NO_TEXT = {"no", "n", "nee", "false", "onwaar", "0", "0.0"}
_UNKNOWN_TEXT = {"unknown", "onbekend", "?", "", "undetermined", "onbepaald"}

ACCEPTED_CODES = (
    "yes/no/unknown, ja/nee/onbekend, j/n, y/n, true/false, waar/onwaar, 1/0, "
    "undetermined, or empty/NaN for unknown"
)


def parse_tri(value: Any) -> Tri | None:
    """Read one answer as ``"yes"``, ``"no"`` or ``"unknown"``; ``None`` if it is not a valid code.

    Examples
    --------
    >>> [parse_tri(v) for v in ["Ja", "nee", "onbekend", 1, 0.0, True, float("nan"), None, " J "]]
    ['yes', 'no', 'unknown', 'yes', 'no', 'yes', 'unknown', 'unknown', 'yes']
    >>> parse_tri(2) is None
    True
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return UNKNOWN
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return UNKNOWN
        if value == 1:
            return YES
        if value == 0:
            return NO
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return parse_tri(value.item())
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _YES_TEXT:
            return YES
        if text in _NO_TEXT:
            return NO
        if text in _UNKNOWN_TEXT:
            return UNKNOWN
    return None


def tri_and(values: Iterable[Tri]) -> Tri:
    """Kleene conjunction: ``"no"`` if any is no, else ``"unknown"`` if any is unknown, else yes.

    Examples
    --------
    >>> tri_and(["yes", "unknown"]), tri_and(["no", "unknown"]), tri_and([])
    ('unknown', 'no', 'yes')
    """
    vals = list(values)
    if NO in vals:
        return NO
    if UNKNOWN in vals:
        return UNKNOWN
    return YES


def tri_or(values: Iterable[Tri]) -> Tri:
    """Kleene disjunction: ``"yes"`` if any is yes, else ``"unknown"`` if any is unknown, else no.

    An empty collection gives ``"no"`` (nobody has the characteristic).

    Examples
    --------
    >>> tri_or(["no", "unknown"]), tri_or(["yes", "unknown"]), tri_or(["no", "no"])
    ('unknown', 'yes', 'no')
    """
    vals = list(values)
    if YES in vals:
        return YES
    if UNKNOWN in vals:
        return UNKNOWN
    return NO


def yes_no_column(
    values: pd.Series, column: str | None = None, unknown: bool = False, context: str | None = None
) -> pd.Series:
    """A yes/no column in any accepted coding as 1/0 (and NaN for unknown where allowed).

    Every value that is not a yes/no code (or an unknown, when ``unknown=True``) is reported
    with its row in one :class:`~evalstats.errors.DataValidationError`; nothing becomes "yes"
    just because it is a non-empty string.

    Examples
    --------
    >>> yes_no_column(pd.Series(["ja", "nee", "Yes", 0])).tolist()
    [1, 0, 1, 0]
    >>> yes_no_column(pd.Series(["ja", None]), unknown=True).tolist()
    [1.0, nan]
    >>> yes_no_column(pd.Series(["ja", "misschien"]), column="premature")
    Traceback (most recent call last):
    ...
    evalstats.errors.DataValidationError: 1 problem in the input:
      row 1, column 'premature': got 'misschien', expected yes or no (ja/nee, 1/0, true/false), not empty
    """
    from evalstats.errors import DataValidationError, Problem

    codes = [parse_tri(v) for v in values]
    ok = (YES, NO, UNKNOWN) if unknown else (YES, NO)
    expected = (
        "yes, no or unknown (" + ACCEPTED_CODES + ")"
        if unknown
        else "yes or no (ja/nee, 1/0, true/false), not empty"
    )
    problems = [
        Problem(row, column, v, expected)
        for row, v, c in zip(values.index, values, codes, strict=True)
        if c not in ok
    ]
    if problems:
        raise DataValidationError(problems, context=context)
    out = pd.Series([{YES: 1.0, NO: 0.0}.get(c, math.nan) for c in codes], index=values.index, name=values.name)
    return out if unknown else out.astype("int64")
