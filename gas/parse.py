"""From dossier wording to GAS levels.

Matching ignores case, accents, surrounding and repeated whitespace and punctuation, so
``"Doel geheel behaald."``, ``"  DOEL  geheel-behaald "`` and ``"doel geheel behaald"`` are the
same phrase. Numbers (``"+2"``, ``"−1"``, ``"-0,5"``) are read as levels of the scale, and the
bolletjesschema symbols (``"++"``, ``"+/-"``, ``"--"``) are matched with their signs.

Nothing is guessed: a phrase that matches no level of the scale is an error, and every unplaced
phrase is listed once with its count. Missing values (None, NaN, empty strings) stay missing and
are counted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalstats.errors import Counted, DataValidationError, Problem
from gas.phrases import _fold, normalise_phrase
from gas.scale import get_scale

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def _number(text: str) -> float | None:
    compact = re.sub(r"\s+", "", _fold(text)).rstrip(".;:!?")
    if _NUMBER.match(compact):
        return float(compact.replace(",", "."))
    return None


def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float | np.floating) and np.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


@dataclass(frozen=True)
class ParsedLevels:
    """GAS levels read from wording, with the count of missing values.

    Attributes
    ----------
    levels:
        A float Series (index of the input), NaN where the input was missing.
    n_missing:
        How many inputs were missing (None, NaN, empty, or a user-declared missing phrase).
    scale:
        The id of the scale the levels belong to.

    Examples
    --------
    >>> from gas import parse_levels
    >>> r = parse_levels(["Doel geheel behaald.", None, "+1"])
    >>> r.levels.tolist(), r.n_missing, r.scale
    ([2.0, nan, 1.0], 1, 'gas5')
    """

    levels: pd.Series
    n_missing: int
    scale: str

    @property
    def n_parsed(self) -> int:
        """How many inputs were placed on a level."""
        return int(self.levels.notna().sum())


def _lookup(scale: Any, synonyms: Mapping[str, float] | None) -> dict[str, float]:
    table: dict[str, float] = {}
    for lv in scale.levels:
        for phrase in [lv.nl, lv.en, *lv.synonyms]:
            table[normalise_phrase(phrase)] = lv.value
    for phrase, value in (synonyms or {}).items():
        value = float(value)
        if value not in scale.values:
            raise ValueError(
                f"synonym {phrase!r} points at {value:g}, which is not a level of GAS scale "
                f"{scale.id!r} ({scale.values})"
            )
        table[normalise_phrase(phrase)] = value
    return table


def place_values(
    raw: np.ndarray, scale: Any, synonyms: Mapping[str, float] | None = None, missing: Iterable[str] = ()
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Place raw values on a scale: (levels with NaN, missing mask, unplaceable mask).

    Examples
    --------
    >>> from gas.scale import get_scale
    >>> lv, miss, bad = place_values(np.array(["++", None, "??"], dtype=object), get_scale("gas5"))
    >>> lv.tolist(), miss.tolist(), bad.tolist()
    ([2.0, nan, nan], [False, True, False], [False, False, True])
    """
    table = _lookup(scale, synonyms)
    missing_norm = {normalise_phrase(m) for m in missing}
    levels = set(scale.values)
    out = np.full(len(raw), np.nan)
    is_missing = np.zeros(len(raw), dtype=bool)
    is_unplaced = np.zeros(len(raw), dtype=bool)
    cache: dict[Any, float | None] = {}
    for i, v in enumerate(raw):
        if _is_missing(v):
            is_missing[i] = True
            continue
        key = v if isinstance(v, str) else float(v) if isinstance(v, int | float | np.number) else str(v)
        if key in cache:
            hit = cache[key]
        else:
            hit = None
            if isinstance(key, float):
                hit = key if key in levels else None
            else:
                norm = normalise_phrase(key)
                if norm in missing_norm:
                    hit = np.nan
                else:
                    num = _number(key)
                    if num is not None:
                        hit = num if num in levels else None
                    else:
                        hit = table.get(norm)
            cache[key] = hit
        if hit is None:
            is_unplaced[i] = True
        elif np.isnan(hit):
            is_missing[i] = True
        else:
            out[i] = hit
    return out, is_missing, is_unplaced


def parse_levels(
    values: Iterable[Any],
    scale: Any = "gas5",
    synonyms: Mapping[str, float] | None = None,
    missing: Iterable[str] = (),
    column: str | None = None,
) -> ParsedLevels:
    """Read dossier wording, numbers or symbols as GAS levels of a scale.

    Parameters
    ----------
    values:
        Phrases ("doel geheel behaald", "Progress towards the goal"), level numbers (2, "+1",
        "−1", "-0,5") or bolletjesschema symbols ("++", "+/-"). A Series keeps its index.
    scale:
        Scale id or :class:`gas.GasScale`; its level wordings and synonyms are matched.
    synonyms:
        Extra ``{phrase: level}`` pairs, matched the same way (they win over the scale's).
    missing:
        Phrases that mean "no score" (e.g. "n.v.t.", "onbekend"): they become NaN and are counted
        as missing like None, NaN and empty strings.
    column:
        A column name to put in the error report.

    Returns
    -------
    ParsedLevels
        ``.levels`` (float Series), ``.n_missing``, ``.n_parsed``.

    Raises
    ------
    DataValidationError
        Listing every phrase that could not be placed, once (variants that differ only in case,
        spacing or punctuation together), with its count and first row.

    Examples
    --------
    >>> r = parse_levels(["Doel geheel behaald.", "vooruitgang richting doel", None,
    ...                   "SITUATIE  hetzelfde gebleven", "--", "+1", "worse"])
    >>> r.levels.tolist()
    [2.0, 1.0, nan, 0.0, -2.0, 1.0, -1.0]
    >>> r.n_missing, r.n_parsed
    (1, 6)
    >>> parse_levels(["beetje beter", "beter", "beetje beter!", "doel behaald"])
    Traceback (most recent call last):
    ...
    evalstats.errors.DataValidationError: 2 problems in GAS wording (scale 'gas5'):
      row 0: got 'beetje beter' (2×), expected wording of a level of scale 'gas5' ...
      row 1: got 'beter' (1×), expected wording of a level of scale 'gas5' ...
    >>> parse_levels(["beter"], synonyms={"beter": 1}).levels.tolist()
    [1.0]
    """
    s = get_scale(scale)
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    raw = series.astype(object).to_numpy()
    out, is_missing, is_unplaced = place_values(raw, s, synonyms, missing)
    n_missing = int(is_missing.sum())
    unplaced: Counter[str] = Counter()
    first_row: dict[str, Any] = {}
    shown: dict[str, str] = {}
    index = series.index
    for i in np.flatnonzero(is_unplaced):
        v = raw[i]
        group = normalise_phrase(v) if isinstance(v, str) else repr(v)
        unplaced[group] += 1
        if group not in first_row:
            first_row[group] = index[i]
            shown[group] = v if isinstance(v, str) else repr(v)
    if unplaced:
        expected = (
            f"wording of a level of scale {s.id!r} (levels {s.values}); add it with "
            "synonyms={phrase: level} or missing=[phrase]"
        )
        problems = [Problem(first_row[g], column, Counted(shown[g], n), expected) for g, n in unplaced.items()]
        raise DataValidationError(problems, context=f"GAS wording (scale {s.id!r})")
    return ParsedLevels(pd.Series(out, index=index, name=series.name), n_missing, s.id)
