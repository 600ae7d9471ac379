"""The library's version, read from the installed distribution's metadata.

``pyproject.toml`` is the one place the version is written; every import package
(``evalstats``, ``fidelity``, ``gas``, ``profiles``, ``zorgeval``) exposes this value as
``__version__``.
"""

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "zorgeval"

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
