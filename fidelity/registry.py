"""Finding instruments: built-ins, definition files and plugins (entry-point group
``zorgeval.instruments``)."""

from __future__ import annotations

from pathlib import Path

from evalstats.registry import Registry
from fidelity.instrument import Instrument

ENTRY_POINT_GROUP = "zorgeval.instruments"

INSTRUMENTS: Registry[Instrument] = Registry(
    Instrument,
    "instrument",
    builtin_dir=Path(__file__).parent / "instruments",
    entry_point_group=ENTRY_POINT_GROUP,
)


def get_instrument(instrument_id: str) -> Instrument:
    """Find an instrument by id among built-ins, loaded files and plugins.

    Examples
    --------
    >>> get_instrument("reset").threshold.value
    4.0
    """
    return INSTRUMENTS.get(instrument_id)


def load_instrument(path: str | Path, register: bool = True) -> Instrument:
    """Read and validate an instrument definition file (TOML or JSON) and register it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mini.toml"
    >>> _ = p.write_text('''
    ... id = "mini-doc"
    ... name = "Mini"
    ... default_scale = "s3"
    ... threshold = { value = 2.0 }
    ... [[scales]]
    ... id = "s3"
    ... codes = [{ value = 1, nl = "nooit", en = "never" }, { value = 2, nl = "soms", en = "sometimes" },
    ...          { value = 3, nl = "altijd", en = "always" }]
    ... [[categories]]
    ... id = "M"
    ... nl = "Methode"
    ... [[items]]
    ... code = "M1"
    ... text_nl = "Ik werk methodisch."
    ... category = "M"
    ... ''')
    >>> load_instrument(p, register=False).item_codes
    ['M1']
    """
    return INSTRUMENTS.load(path, register=register)


def list_instruments() -> list[str]:
    """Ids of every instrument that can be found.

    Examples
    --------
    >>> {"reset", "np"} <= set(list_instruments())
    True
    """
    return INSTRUMENTS.ids()
