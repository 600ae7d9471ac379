"""The common shape of every result object.

A result holds its numbers once, in tidy DataFrames; its SPSS-like table (:meth:`spss_table`) and
its APA sentence (:meth:`apa`) are generated from those same numbers, so the three can never
disagree.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import pandas as pd

from evalstats.format import Lang


class Result(ABC):
    """Base class of result objects.

    Subclasses provide ``table`` (a tidy DataFrame of exact values), :meth:`spss_table` (the same
    numbers laid out and rounded as SPSS prints them) and :meth:`apa` (a sentence in English or
    Dutch).
    """

    @property
    @abstractmethod
    def table(self) -> pd.DataFrame:
        """Tidy DataFrame with exact values."""

    @abstractmethod
    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """The numbers laid out, labelled and rounded as SPSS prints them."""

    @abstractmethod
    def apa(self, lang: Lang = "en") -> str:
        """An APA-style sentence generated from :attr:`table`."""

    def __str__(self) -> str:
        return f"{self.spss_table().to_string()}\n\n{self.apa()}"

    def _repr_html_(self) -> str:
        return self.spss_table().to_html() + f"<p>{self.apa()}</p>"
