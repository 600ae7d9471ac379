"""Example zorgeval plugin: definition files registered through entry points.

zorgeval loads each entry point and receives a path to a TOML file; it validates the file against
its pydantic model (``fidelity.Instrument``, ``gas.GasScale``) the first time definitions are looked up.
This module imports nothing from zorgeval, so loading it can never create an import cycle.
"""

from pathlib import Path

_HERE = Path(__file__).resolve().parent

#: Entry point ``zorgeval.instruments``: an illustrative strengths-model fidelity checklist.
INSTRUMENT_FILE = _HERE / "houvast_demo.toml"

#: Entry point ``zorgeval.gas_scales``: a 7-level GAS scale, -3 to +3.
GAS_SCALE_FILE = _HERE / "gas7.toml"
