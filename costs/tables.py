"""User cost tables: unit costs per activity or professional hour, by validity period and source.

The library has no built-in prices. A cost table row gives an ``activity``, its ``unit``
(``hour``, ``sitting``, ``month``, ``trajectory`` ...), the ``unit_cost`` in euros (an exact
decimal), the period it is valid (``year``, or ``valid_from`` and ``valid_to``, both inclusive)
and its ``source`` (a tariff list, a collective agreement, an expert's estimate). Two rows of
one activity whose periods overlap are an error naming both rows; an activity that has no
unit cost on the date it is needed is an error naming the activity and the case.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from costs.money import CostInputError, to_decimal

__all__ = ["CostTable", "UnitCost", "load_cost_table"]


@dataclass(frozen=True)
class UnitCost:
    """One row of a cost table; ``row`` is its line in the file (header = line 1).

    Examples
    --------
    >>> u = UnitCost("coach_hour", "hour", Decimal("85"), dt.date(2021, 1, 1), dt.date(2021, 12, 31), "tariff 2021", 2)
    >>> u.covers(dt.date(2021, 6, 1)), u.covers(dt.date(2022, 1, 1))
    (True, False)
    """

    activity: str
    unit: str
    unit_cost: Decimal
    valid_from: dt.date
    valid_to: dt.date
    source: str
    row: int

    def covers(self, day: dt.date) -> bool:
        """Whether the row is valid on ``day``."""
        return self.valid_from <= day <= self.valid_to

    def describe(self) -> str:
        """The row as named in messages."""
        return f"row {self.row} ({self.activity}, {self.valid_from} to {self.valid_to})"


class CostTable:
    """The unit costs, checked: one valid row per activity and date.

    Examples
    --------
    >>> t = CostTable([UnitCost("coach_hour", "hour", Decimal("85"), dt.date(2021, 1, 1),
    ...                         dt.date(2021, 12, 31), "synthetic", 2)])
    >>> t.lookup("coach_hour", dt.date(2021, 5, 1)).unit_cost
    Decimal('85')
    >>> t.lookup("coach_hour", dt.date(2022, 5, 1)) is None
    True
    >>> CostTable(t.rows + (UnitCost("coach_hour", "hour", Decimal("90"), dt.date(2021, 7, 1),
    ...                              dt.date(2022, 6, 30), "synthetic", 3),), source="costs.csv")
    Traceback (most recent call last):
    ...
    costs.money.CostInputError: costs.csv: row 2 (coach_hour, 2021-01-01 to 2021-12-31) and row 3 (coach_hour, 2021-07-01 to 2022-06-30) overlap: ...
    """

    def __init__(self, rows, source: str | None = None):
        self.rows = tuple(rows)
        self.source = source
        problems = []
        by: dict[str, list[UnitCost]] = {}
        for r in self.rows:
            by.setdefault(r.activity, []).append(r)
        for activity, rs in by.items():
            rs = sorted(rs, key=lambda r: (r.valid_from, r.row))
            for i, a in enumerate(rs):
                for b in rs[i + 1:]:
                    if b.valid_from <= a.valid_to:
                        problems.append(f"{a.describe()} and {b.describe()} overlap: one unit "
                                        f"cost of {activity!r} per date is expected")
            units = sorted({r.unit for r in rs})
            if len(units) > 1:
                problems.append(f"activity {activity!r} has rows in different units "
                                f"({', '.join(units)}); one unit per activity is expected")
        if problems:
            raise CostInputError(problems, context=source)

    def lookup(self, activity: str, day: dt.date) -> UnitCost | None:
        """The row of ``activity`` valid on ``day``, or ``None`` (see the class example)."""
        return next((r for r in self.rows if r.activity == activity and r.covers(day)), None)

    @property
    def sources(self) -> list[str]:
        """The distinct sources, in the order of the rows."""
        return list(dict.fromkeys(r.source for r in self.rows))

    def frame(self) -> pd.DataFrame:
        """The rows as a tidy frame (exact decimals).

        Examples
        --------
        >>> from importlib import resources
        >>> t = load_cost_table(resources.files("costs") / "data" / "synthetic_unit_costs.csv")
        >>> list(t.frame().columns)
        ['activity', 'unit', 'unit_cost', 'valid_from', 'valid_to', 'source', 'row']
        """
        return pd.DataFrame([r.__dict__ for r in self.rows])


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CostInputError([f"{where}: expected a date as YYYY-MM-DD, got "
                              f"{str(value)[:12]!r}"]) from None


def _row(raw: dict, row: int) -> UnitCost:
    where = f"row {row}"
    problems = [f"{where}: {k} is empty" for k in ("activity", "unit", "unit_cost", "source")
                if not str(raw.get(k, "") or "").strip()]
    year = str(raw.get("year", "") or "").strip()
    period = [str(raw.get(k, "") or "").strip() for k in ("valid_from", "valid_to")]
    if year and any(period):
        problems.append(f"{where}: give year or valid_from/valid_to, not both")
    elif not year and not all(period):
        problems.append(f"{where}: give year, or both valid_from and valid_to")
    if problems:
        raise CostInputError(problems)
    if year:
        if not year.isdigit():
            raise CostInputError([f"{where}: year: expected a year such as 2021, got {year[:12]!r}"])
        start, end = dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    else:
        start, end = _date(raw["valid_from"], f"{where}, valid_from"), _date(raw["valid_to"], f"{where}, valid_to")
        if end < start:
            raise CostInputError([f"{where}: valid_to {end} lies before valid_from {start}"])
    cost = to_decimal(raw["unit_cost"], f"{where}, unit_cost")
    if cost < 0:
        raise CostInputError([f"{where}, unit_cost: a negative amount ({cost})"])
    return UnitCost(str(raw["activity"]).strip(), str(raw["unit"]).strip(), cost, start, end,
                    str(raw["source"]).strip(), row)


def load_cost_table(path: str | Path) -> CostTable:
    """Read a cost table from CSV (one row per unit cost) or TOML (``[[cost]]`` tables).

    Rows are numbered as lines of the CSV file (the header is line 1) or as the TOML tables
    (first = 1). Every bad row is reported at once.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "costs.csv"
    >>> _ = p.write_text("activity,unit,unit_cost,year,source\\ncoach_hour,hour,85.50,2021,tariff\\n")
    >>> load_cost_table(p).rows[0].unit_cost
    Decimal('85.50')
    >>> _ = p.write_text("activity,unit,unit_cost,year,source\\ncoach_hour,hour,,2021,tariff\\n")
    >>> load_cost_table(p)
    Traceback (most recent call last):
    ...
    costs.money.CostInputError: ...costs.csv: row 2: unit_cost is empty
    """
    path = Path(path)
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except tomllib.TOMLDecodeError as exc:
            raise CostInputError([f"not valid TOML ({exc})"], context=str(path)) from None
        raws = [(i, r) for i, r in enumerate(data.get("cost", []), start=1)]
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python")
        need = [c for c in ("activity", "unit", "unit_cost", "source") if c not in frame.columns]
        if need:
            raise CostInputError([f"missing column {c!r}" for c in need], context=str(path))
        raws = [(i + 2, r) for i, r in enumerate(frame.to_dict("records"))]
    if not raws:
        raise CostInputError(["no unit costs"], context=str(path))
    rows, problems = [], []
    for row, raw in raws:
        try:
            rows.append(_row(raw, row))
        except CostInputError as exc:
            problems += exc.problems
    if problems:
        raise CostInputError(problems, context=str(path))
    return CostTable(rows, source=str(path))
