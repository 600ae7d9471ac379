"""Finding outcome instruments: built-ins, definition files and plugins (entry-point group
``zorgeval.outcome_instruments``)."""

from __future__ import annotations

from pathlib import Path

from evalstats.registry import Registry
from outcomes.instrument import OutcomeInstrument

ENTRY_POINT_GROUP = "zorgeval.outcome_instruments"

OUTCOME_INSTRUMENTS: Registry[OutcomeInstrument] = Registry(
    OutcomeInstrument,
    "outcome instrument",
    builtin_dir=Path(__file__).parent / "instruments",
    entry_point_group=ENTRY_POINT_GROUP,
)


def get_outcome_instrument(instrument_id: str) -> OutcomeInstrument:
    """Find an outcome instrument by id among built-ins, loaded files and plugins.

    Examples
    --------
    >>> get_outcome_instrument("who5").scale("total").cutoffs[0].describe()
    '< 50'
    """
    return OUTCOME_INSTRUMENTS.get(instrument_id)


def load_outcome_instrument(path: str | Path, register: bool = True) -> OutcomeInstrument:
    """Read and validate an outcome instrument file (TOML or JSON) and register it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mini.toml"
    >>> _ = p.write_text('''
    ... id = "mini-outcome"
    ... name = "Mini"
    ... respondent = "parent"
    ... response = { low = 1, high = 3 }
    ... [[scales]]
    ... id = "total"
    ... name_en = "Total"
    ... name_nl = "Totaal"
    ... items = ["m1", "m2"]
    ... method = "sum"
    ... cutoffs = [{ value = 5, direction = "above", inclusive = true }]
    ... ''')
    >>> load_outcome_instrument(p, register=False).item_codes
    ['m1', 'm2']
    """
    return OUTCOME_INSTRUMENTS.load(path, register=register)


def list_outcome_instruments() -> list[str]:
    """Ids of every outcome instrument that can be found.

    Examples
    --------
    >>> list_outcome_instruments()[:5]
    ['parenting_scale', 'pedsql', 'sdq', 'vgk', 'who5']
    """
    return OUTCOME_INSTRUMENTS.ids()
