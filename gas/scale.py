"""GAS scales as data, and explicit conversions between their codings.

A :class:`GasScale` lists its levels in ascending order. Each level has

* ``value`` — the GAS level (−2 … +2, or −0.5 on the partial-achievement variant), the coding the
  Kiresuk–Sherman T-score uses;
* ``score`` — the analysis score the dissertation's tables use (1 … 5), or none;
* ``key`` — what the level *means* ("achieved", "progress", "unchanged", "worse", "worst", …).
  Conversions between two scales go through equal keys, never through equal numbers: level 0 means
  "unchanged" on ``gas5`` but "achieved as expected" on ``gas_partial``;
* Dutch and English wording and synonyms used by :func:`gas.parse_levels`.

Built-in scales are the TOML files in ``gas/scales/``; plugins register more under the entry-point
group ``zorgeval.gas_scales``; :func:`load_scale` reads a user file.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from evalstats.errors import listed_rows
from evalstats.registry import Registry
from gas.phrases import normalise_phrase

ENTRY_POINT_GROUP = "zorgeval.gas_scales"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GasLevel(_Model):
    """One level of a GAS scale.

    Examples
    --------
    >>> GasLevel(value=2, score=5, key="achieved", nl="Doel geheel behaald", en="Goal fully achieved").score
    5.0
    """

    value: float
    score: float | None = None
    key: str
    nl: str
    en: str
    synonyms: list[str] = []

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError(f"a level value must be a finite number, got {v}")
        return v


class GasScale(_Model):
    """An ordered GAS scale.

    Parameters
    ----------
    id:
        Identifier used by :func:`get_scale`.
    levels:
        Levels in strictly ascending order of ``value``; analysis scores, if given, must be given
        for every level and ascend with the values; keys must be unique.
    baseline:
        The level at which a goal starts (0 on the dissertation's scale, −1 in the
        partial-achievement variant). "Improved" means a level above it.

    Examples
    --------
    >>> s = get_scale("gas5")
    >>> s.values, s.scores
    ([-2.0, -1.0, 0.0, 1.0, 2.0], [1.0, 2.0, 3.0, 4.0, 5.0])
    >>> s.label(1, "nl")
    'Vooruitgang richting doel'
    """

    id: str
    nl: str = ""
    en: str = ""
    baseline: float = 0.0
    source: str = ""
    levels: list[GasLevel] = Field(min_length=2)

    @field_validator("levels")
    @classmethod
    def _ascending(cls, levels: list[GasLevel]) -> list[GasLevel]:
        values = [lv.value for lv in levels]
        if any(b <= a for a, b in zip(values, values[1:], strict=False)):
            raise ValueError(f"level values must be strictly ascending, got {values}")
        keys = [lv.key for lv in levels]
        dup = sorted(k for k, n in Counter(keys).items() if n > 1)
        if dup:
            raise ValueError(f"level keys must be unique, repeated: {dup}")
        scores = [lv.score for lv in levels]
        given = [s for s in scores if s is not None]
        if given and len(given) != len(scores):
            missing = [lv.value for lv in levels if lv.score is None]
            raise ValueError(f"analysis scores must be given for every level or none; missing for levels {missing}")
        if given and any(b <= a for a, b in zip(given, given[1:], strict=False)):
            raise ValueError(f"analysis scores must ascend with the levels, got {given}")
        return levels

    @model_validator(mode="after")
    def _checks(self) -> GasScale:
        if self.baseline not in self.values:
            raise ValueError(f"scale {self.id!r}: baseline {self.baseline:g} is not one of its levels {self.values}")
        seen: dict[str, float] = {}
        clashes = []
        for lv in self.levels:
            for phrase in [lv.nl, lv.en, *lv.synonyms]:
                norm = normalise_phrase(phrase)
                if norm in seen and seen[norm] != lv.value:
                    clashes.append(f"{phrase!r} (levels {seen[norm]:g} and {lv.value:g})")
                seen[norm] = lv.value
        if clashes:
            raise ValueError(f"scale {self.id!r}: wording used for two levels: {', '.join(clashes)}")
        return self

    # -- views ----------------------------------------------------------------------------------
    @property
    def values(self) -> list[float]:
        """The GAS level values, ascending."""
        return [lv.value for lv in self.levels]

    @property
    def scores(self) -> list[float] | None:
        """The analysis scores, ascending, or None when the scale has none."""
        if self.levels[0].score is None:
            return None
        return [lv.score for lv in self.levels]  # type: ignore[misc]

    @property
    def keys(self) -> list[str]:
        """The level keys, in level order."""
        return [lv.key for lv in self.levels]

    def level(self, value: float) -> GasLevel:
        """The level with this GAS value; an unknown value raises naming the scale's values."""
        for lv in self.levels:
            if lv.value == value:
                return lv
        raise KeyError(f"{value!r} is not a level of GAS scale {self.id!r} (levels {self.values})")

    def label(self, value: float, lang: str = "en") -> str:
        """The wording of a level in ``"en"`` or ``"nl"``."""
        return getattr(self.level(value), lang)


SCALES: Registry[GasScale] = Registry(
    GasScale,
    "GAS scale",
    builtin_dir=Path(__file__).parent / "scales",
    entry_point_group=ENTRY_POINT_GROUP,
)


def get_scale(scale: str | GasScale) -> GasScale:
    """Find a GAS scale by id among built-ins, loaded files and plugins (a scale passes through).

    Examples
    --------
    >>> get_scale("gas4_form").values
    [-1.0, 0.0, 1.0, 2.0]
    """
    if isinstance(scale, GasScale):
        return scale
    return SCALES.get(scale)


def load_scale(path: str | Path, register: bool = True) -> GasScale:
    """Read and validate a GAS scale file (TOML or JSON) and, by default, register it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "three.toml"
    >>> _ = p.write_text('''
    ... id = "three-doc"
    ... [[levels]]
    ... value = -1
    ... key = "worse"
    ... nl = "slechter"
    ... en = "worse"
    ... [[levels]]
    ... value = 0
    ... key = "unchanged"
    ... nl = "gelijk"
    ... en = "same"
    ... [[levels]]
    ... value = 1
    ... key = "achieved"
    ... nl = "behaald"
    ... en = "achieved"
    ... ''')
    >>> load_scale(p, register=False).keys
    ['worse', 'unchanged', 'achieved']
    """
    return SCALES.load(path, register=register)


def list_scales() -> list[str]:
    """Ids of every GAS scale that can be found.

    Examples
    --------
    >>> {"gas5", "gas4_form", "gas_partial"} <= set(list_scales())
    True
    """
    return SCALES.ids()


# -- conversions ---------------------------------------------------------------------------------
def _as_float_array(values: Any) -> tuple[np.ndarray, bool, Any]:
    """Values as a float array; remembers whether the input was a scalar and its pandas index."""
    if isinstance(values, pd.Series):
        return pd.to_numeric(values, errors="raise").to_numpy(dtype=float, na_value=np.nan), False, values
    arr = np.asarray(values, dtype=float)
    return arr, arr.ndim == 0, None


def _restore(out: np.ndarray, scalar: bool, like: Any, name: str | None = None) -> Any:
    if scalar:
        return float(out)
    if isinstance(like, pd.Series):
        return pd.Series(out, index=like.index, name=name if name is not None else like.name)
    return out


def _map_values(values: Any, mapping: Mapping[float, float], what: str) -> Any:
    arr, scalar, like = _as_float_array(values)
    flat = arr.reshape(-1)
    out = np.full(flat.shape, np.nan)
    present = ~np.isnan(flat)
    bad: Counter[float] = Counter()
    for v in np.unique(flat[present]):
        hit = flat == v
        if float(v) in mapping:
            out[hit] = mapping[float(v)]
        else:
            bad[float(v)] = int(hit.sum())
    if bad:
        listed = ", ".join(f"{v:g} ({n}×)" for v, n in sorted(bad.items()))
        raise ValueError(f"cannot convert {what}: no counterpart for {listed}")
    return _restore(out.reshape(arr.shape), scalar, like)


def to_score(levels: Any, scale: str | GasScale = "gas5") -> Any:
    """GAS levels (−2 … +2) → analysis scores (1 … 5) of a scale; NaN stays NaN.

    A value that is not a level of the scale raises an error naming it and its count.

    Examples
    --------
    >>> to_score([-2, 0, 2])
    array([1., 3., 5.])
    >>> to_score(1, "gas4_form")
    4.0
    >>> to_score([3, 2, 3])
    Traceback (most recent call last):
    ...
    ValueError: cannot convert GAS levels of 'gas5' to analysis scores: no counterpart for 3 (2×)
    """
    s = get_scale(scale)
    if s.scores is None:
        raise ValueError(f"GAS scale {s.id!r} defines no analysis scores")
    mapping = {lv.value: lv.score for lv in s.levels}
    return _map_values(levels, mapping, f"GAS levels of {s.id!r} to analysis scores")  # type: ignore[arg-type]


def to_level(scores: Any, scale: str | GasScale = "gas5") -> Any:
    """Analysis scores (1 … 5) → GAS levels (−2 … +2) of a scale; NaN stays NaN.

    Examples
    --------
    >>> to_level([5, 4, 1])
    array([ 2.,  1., -2.])
    >>> to_level(1, "gas4_form")
    Traceback (most recent call last):
    ...
    ValueError: cannot convert analysis scores of 'gas4_form' to GAS levels: no counterpart for 1 (1×)
    """
    s = get_scale(scale)
    if s.scores is None:
        raise ValueError(f"GAS scale {s.id!r} defines no analysis scores")
    mapping = {lv.score: lv.value for lv in s.levels}
    return _map_values(scores, mapping, f"analysis scores of {s.id!r} to GAS levels")  # type: ignore[arg-type]


def conversion_table(source: str | GasScale, target: str | GasScale) -> pd.DataFrame:
    """How the levels of ``source`` map onto ``target`` through their keys (NaN: no counterpart).

    Examples
    --------
    >>> conversion_table("gas_partial", "gas5")[["key", "source", "target"]]
                 key  source  target
    0          worse    -2.0    -1.0
    1      unchanged    -1.0     0.0
    2       progress    -0.5     1.0
    3       achieved     0.0     2.0
    4  somewhat_more     1.0     NaN
    5      much_more     2.0     NaN
    """
    a, b = get_scale(source), get_scale(target)
    by_key = {lv.key: lv.value for lv in b.levels}
    return pd.DataFrame(
        {
            "key": [lv.key for lv in a.levels],
            "source": [lv.value for lv in a.levels],
            "target": [by_key.get(lv.key, np.nan) for lv in a.levels],
        }
    )


def convert_levels(
    levels: Any,
    source: str | GasScale,
    target: str | GasScale,
    mapping: Mapping[float, float] | None = None,
) -> Any:
    """Convert GAS levels from one scale to another through the level keys.

    Parameters
    ----------
    levels:
        A scalar, array or Series of levels of ``source``; NaN stays NaN.
    source, target:
        Scale ids or :class:`GasScale` objects.
    mapping:
        An explicit ``{source level: target level}`` mapping that replaces the key-based one,
        for conversions the scales do not define (every target value must be a level of
        ``target``).

    Raises
    ------
    ValueError
        When a value has no counterpart on the target scale (named with its count), or is not
        a level of the source scale.

    Examples
    --------
    >>> convert_levels([-1, 0, 2], "gas4_form", "gas5")
    array([-1.,  0.,  2.])
    >>> convert_levels([-2, 1], "gas5", "gas4_form")
    Traceback (most recent call last):
    ...
    ValueError: cannot convert GAS levels from 'gas5' to 'gas4_form': no counterpart for -2 (1×)
    >>> convert_levels([-2, 1], "gas5", "gas4_form", mapping={-2: -1, -1: -1, 0: 0, 1: 1, 2: 2})
    array([-1.,  1.])
    """
    a, b = get_scale(source), get_scale(target)
    if mapping is None:
        table = conversion_table(a, b).dropna()
        use = dict(zip(table["source"].astype(float), table["target"].astype(float), strict=True))
    else:
        wrong_keys = [k for k in mapping if float(k) not in a.values]
        if wrong_keys:
            raise ValueError(f"mapping keys {wrong_keys} are not levels of GAS scale {a.id!r} ({a.values})")
        wrong = [v for v in mapping.values() if float(v) not in b.values]
        if wrong:
            raise ValueError(f"mapping targets {wrong} are not levels of GAS scale {b.id!r} ({b.values})")
        use = {float(k): float(v) for k, v in mapping.items()}
    arr, _, _ = _as_float_array(levels)
    unknown = ~np.isnan(arr) & ~np.isin(arr, a.values)
    if unknown.any():
        where = listed_rows(np.flatnonzero(unknown.reshape(-1)), "position")
        raise ValueError(f"the values at {where} are not levels of GAS scale {a.id!r} ({a.values})")
    return _map_values(levels, use, f"GAS levels from {a.id!r} to {b.id!r}")
