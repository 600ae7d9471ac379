"""Report cells with their exact values, and the exact-value tables the report exports.

A report table holds display strings (``"4,09 (0,83)"``, ``"<5"``). A cell the report computes
itself is a :class:`Shown`: the display string that also carries the unrounded number (or the
numbers, for a cell such as ``M (SD)``). :func:`exact_frame` turns a table into the frame
written to ``tables/<key>.csv`` and to the workbook: exact numbers where the cell carries them,
whole counts as integers, other numbers as printed (in the report's decimal notation) as
numbers, text as text, and a suppressed cell as its marker (``"<5"``, ``"x"``, ``"–"``): a
hidden cell never carries a value, so none can be written.
"""

from __future__ import annotations

import math
import re

import pandas as pd

__all__ = ["Shown", "exact_frame"]

_WHOLE = re.compile(r"^-?\d+$")
_DECIMAL = {"en": re.compile(r"^-?\d*\.\d+$"), "nl": re.compile(r"^-?\d*,\d+$")}


class Shown(str):
    """A display string with the exact value(s) it shows.

    ``value`` is a number, or a tuple of numbers for a cell showing several; ``parts`` then
    names them (the column is exported as one column per part).

    Examples
    --------
    >>> cell = Shown("4,09 (0,83)", (4.0912, 0.8301), ("M", "SD"))
    >>> cell, cell.value, cell.parts
    ('4,09 (0,83)', (4.0912, 0.8301), ('M', 'SD'))
    >>> Shown("4,09", 4.0912).value
    4.0912
    """

    value: float | int | tuple
    parts: tuple[str, ...]

    def __new__(cls, text: str, value, parts: tuple[str, ...] = ()) -> Shown:
        out = super().__new__(cls, text)
        out.value = value
        out.parts = parts
        return out


def _exact(v, lang: str):
    """The exact value of one cell (see the module description)."""
    if isinstance(v, Shown):
        return v.value
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if not isinstance(v, str):
        return v
    text = v.strip().replace("\u2212", "-")
    if _WHOLE.match(text):
        return int(text)
    if _DECIMAL[lang].match(text):
        return float(text.replace(",", "."))
    return v


def exact_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The exact values of a table of display strings, suppressed cells as their markers.

    A column whose cells show several numbers (``M (SD)``) becomes one column per part, named
    by the part after the column's prefix (``"Total: M (SD)"`` gives ``"Total: M"`` and
    ``"Total: SD"``) or after the column's name (``"Achteruitgang"`` with a count and a
    percentage gives ``"Achteruitgang: N"`` and ``"Achteruitgang: %"``); a suppressed cell puts
    its marker in each.

    Examples
    --------
    >>> f = pd.DataFrame({"Group": ["A", "B"], "N": ["12", "<5"],
    ...                   "Total: M (SD)": [Shown("4,09 (0,83)", (4.0912, 0.8301), ("M", "SD")), "–"],
    ...                   "Norm": ["4,0", "4,0"]})
    >>> exact_frame(f, "nl").to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'Group': ['A', 'B'], 'N': [12, '<5'], 'Total: M': [4.0912, '–'], 'Total: SD': [0.8301, '–'],
     'Norm': [4.0, 4.0]}
    """
    out = {}
    for col in frame.columns:
        cells = list(frame[col])
        parts = next((c.parts for c in cells if isinstance(c, Shown) and c.parts), ())
        if not parts:
            out[col] = [_exact(c, lang) for c in cells]
            continue
        prefix = str(col).rsplit(": ", 1)[0]
        for k, part in enumerate(parts):
            out[f"{prefix}: {part}"] = [c.value[k] if isinstance(c, Shown) else _exact(c, lang)
                                      for c in cells]
    return pd.DataFrame(out, index=frame.index)
