"""The blocks of a report document: sections of tables, figures and paragraphs."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["DASH", "Figure", "Paragraph", "Report", "Section", "Table"]

#: How a statistic of a hidden or small group is shown.
DASH = "–"


@dataclass
class Table:
    """A report table: display strings, its N, an optional note and APA sentences.

    Examples
    --------
    >>> Table("k", "Title", pd.DataFrame({"x": ["1"]}), "N = 1").sentences
    []
    """

    key: str
    title: str
    frame: pd.DataFrame
    n: str
    note: str = ""
    sentences: list[str] = field(default_factory=list)


@dataclass
class Figure:
    """A PNG file (name relative to the report folder) with its caption.

    Examples
    --------
    >>> Figure("gas_levels.png", "GAS levels").file
    'gas_levels.png'
    """

    file: str
    caption: str


@dataclass
class Paragraph:
    """A paragraph of plain text.

    Examples
    --------
    >>> Paragraph("text").text
    'text'
    """

    text: str


@dataclass
class Section:
    """A titled list of tables, figures and paragraphs.

    Examples
    --------
    >>> Section("1. Fidelity").blocks
    []
    """

    title: str
    blocks: list = field(default_factory=list)


@dataclass
class Report:
    """The whole report: title, language, notes and sections.

    Examples
    --------
    >>> Report("T", "en", [], [Section("S", [Paragraph("p")])]).tables()
    []
    """

    title: str
    lang: str
    notes: list[str]
    sections: list[Section]

    def tables(self) -> list[Table]:
        """Every table, in order (see the class example)."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]
