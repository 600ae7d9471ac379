"""The common shape of every result object.

A result holds its numbers once, in tidy DataFrames; its SPSS-like table (:meth:`spss_table`) and
its APA sentence (:meth:`apa`) are generated from those same numbers, so the three can never
disagree. Every result has the same surface:

* ``table``: tidy DataFrame of exact values (column names as in ``docs/conventions.md``);
* ``spss_table(lang)``: the numbers labelled and rounded as SPSS prints them;
* ``apa(lang)``: an APA sentence in English or Dutch;
* ``report(lang)``: the SPSS table(s) and the APA sentence as text (``str(result)``);
* ``summary(lang)``: a statsmodels-like text block with the title, the tidy table, the notes and
  the APA sentence;
* ``repr(result)``: the class name and the key figures; ``_repr_html_`` for notebooks.

All rounding and p-value formatting goes through :mod:`evalstats.format`: half up on the written
decimal value, exact p with three decimals, ``< .001`` below it.
"""

from __future__ import annotations

import html
import re
from abc import ABC, abstractmethod
from typing import ClassVar

import pandas as pd

from evalstats.format import Lang, _check_lang

_REPR_WIDTH = 120


def _words(name: str) -> str:
    """``OnewayResult`` -> ``Oneway result``; ``ANOVA`` kept as one word."""
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\b)|[A-Z]?[a-z]+|[A-Z]+|\d+", name)
    if not parts:
        return name
    return " ".join([parts[0], *(p if p.isupper() else p.lower() for p in parts[1:])])


class Result(ABC):
    """Base class of result objects.

    Subclasses provide ``table`` (a tidy DataFrame of exact values), :meth:`spss_table` (the same
    numbers laid out and rounded as SPSS prints them) and :meth:`apa` (a sentence in English or
    Dutch). They may name themselves in ``titles`` (``{"en": ..., "nl": ...}``), add
    :meth:`notes_in`, lay out a longer :meth:`report`, and give :meth:`_repr_fields` the few figures
    ``repr`` shows (by default the first line of the English APA sentence).

    Examples
    --------
    >>> import pandas as pd
    >>> class Mean(Result):
    ...     titles = {"en": "Mean", "nl": "Gemiddelde"}
    ...     def __init__(self, m, n):
    ...         self.m, self.n = m, n
    ...     @property
    ...     def table(self):
    ...         return pd.DataFrame({"mean": [self.m], "n": [self.n]})
    ...     def spss_table(self, lang="en"):
    ...         return pd.DataFrame({"M": [f"{self.m:.2f}"], "N": [self.n]})
    ...     def apa(self, lang="en"):
    ...         return f"M = {self.m:.2f}, n = {self.n}"
    >>> res = Mean(4.5, 12)
    >>> res
    <Mean M = 4.50, n = 12>
    >>> print(res.summary())
    ====================
    Mean
    ====================
     mean  n
      4.5 12
    --------------------
    M = 4.50, n = 12
    ====================
    >>> print(res)
    Mean
          M   N
    0  4.50  12
    <BLANKLINE>
    M = 4.50, n = 12
    """

    titles: ClassVar[dict[str, str]] = {}

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

    def title_in(self, lang: Lang = "en") -> str:
        """The result's name in ``lang``: ``titles[lang]``, else the class name in words."""
        _check_lang(lang)
        return self.titles.get(lang) or _words(type(self).__name__)

    def notes_in(self, lang: Lang = "en") -> list[str]:
        """Remarks that go with the numbers (dropped cases, warnings); none by default."""
        _check_lang(lang)
        return []

    def report(self, lang: Lang = "en") -> str:
        """The SPSS table(s) and the APA sentence as text; ``str(result)`` is the English one."""
        return f"{self.title_in(lang)}\n{self.spss_table(lang).to_string()}\n\n{self.apa(lang)}"

    def summary(self, lang: Lang = "en") -> str:
        """A text block like statsmodels' ``summary()``: title, tidy table (exact values),
        numbered notes and the APA sentence, between rules."""
        body = self.table.to_string(index=False)
        notes = self.notes_in(lang)
        sentence = self.apa(lang)
        lines = [self.title_in(lang), body]
        if notes:
            head = "Notes:" if lang == "en" else "Opmerkingen:"
            lines.append("\n".join([head, *(f"[{i}] {t}" for i, t in enumerate(notes, 1))]))
        lines.append(sentence)
        width = max(len(x) for block in lines for x in block.splitlines() or [""])
        width = min(max(width, 20), 120)
        thick, thin = "=" * width, "-" * width
        out = [thick, lines[0], thick, lines[1]]
        for block in lines[2:]:
            out += [thin, block]
        out.append(thick)
        return "\n".join(out)

    def _repr_fields(self) -> str:
        """The key figures ``repr`` shows after the class name."""
        first = self.apa("en").strip().splitlines()
        return first[0] if first else ""

    def __repr__(self) -> str:
        name = type(self).__name__
        fields = " ".join(self._repr_fields().split())
        room = _REPR_WIDTH - len(name) - 3
        if len(fields) > room:
            fields = fields[: room - 1] + "…"
        return f"<{name} {fields}>" if fields else f"<{name}>"

    def __str__(self) -> str:
        return self.report("en")

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(t)}</li>" for t in self.notes_in("en"))
        return (
            f"<h4>{html.escape(self.title_in('en'))}</h4>"
            + self.spss_table("en").to_html()
            + (f"<ul>{notes}</ul>" if notes else "")
            + f"<p>{html.escape(self.apa('en'))}</p>"
        )
