"""Scale scores: an instrument's categories and principles as scales of its scored items, each
respondent's score, and the band set a mean score is judged by."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from fidelity.instrument import BandSet, Instrument, Item, Threshold


@dataclass(frozen=True)
class _ScaleDef:
    level: str  # "category" | "principle"
    id: str
    column: str
    label_en: str
    label_nl: str
    items: tuple[str, ...]
    need: int
    method: str
    threshold: Threshold | None
    mixed_scales: bool


def _min_needed(n_items: int, rule_fraction: float, rule_items: int | None, override: Any) -> int:
    if override is not None:
        if isinstance(override, bool) or not isinstance(override, int | float):
            raise TypeError(f"min_answered must be an int or a float, got {override!r}")
        if isinstance(override, int):
            if override < 1:
                raise ValueError(f"min_answered as a number of items must be >= 1, got {override}")
            return min(override, n_items)
        if not 0 < override <= 1:
            raise ValueError(f"min_answered as a fraction must be in (0, 1], got {override}")
        return max(1, math.ceil(override * n_items - 1e-9))
    need = max(1, math.ceil(rule_fraction * n_items - 1e-9))
    if rule_items is not None:
        need = max(need, min(rule_items, n_items))
    return need


def _scale_defs(
    instrument: Instrument, scored_items: list[Item], min_answered: Any
) -> list[_ScaleDef]:
    rule = instrument.scoring
    in_scales = scored_items
    if rule.method == "percent_met":  # only items with a threshold can meet one
        in_scales = [it for it in scored_items if instrument.threshold_for(it) is not None]
    cat_ids = {c.id for c in instrument.categories}
    out: list[_ScaleDef] = []
    for level, defs in (("category", instrument.categories), ("principle", instrument.principles)):
        for d in defs:
            members = [it for it in in_scales if getattr(it, level) == d.id]
            if not members:
                continue
            column = d.id
            if level == "principle" and d.id in cat_ids:
                column = f"principle:{d.id}"
            scale_ids = {instrument.scale_of(it).id for it in members}
            thr = None
            if rule.method == "mean":  # the items' common threshold; none when they differ
                thresholds = {instrument.threshold_for(it) for it in members}
                if len(thresholds) == 1:
                    thr = next(iter(thresholds))
            out.append(
                _ScaleDef(
                    level=level,
                    id=d.id,
                    column=column,
                    label_en=d.en,
                    label_nl=d.nl,
                    items=tuple(it.code for it in members),
                    need=_min_needed(
                        len(members), rule.min_answered_fraction, rule.min_answered_items, min_answered
                    ),
                    method=rule.method,
                    threshold=thr,
                    mixed_scales=len(scale_ids) > 1,
                )
            )
    return out


def _scale_band_set(instrument: Instrument, s: _ScaleDef, band_set: str | None) -> BandSet | None:
    """Band set of a mean scale score: the category's, else the one of its (first) item's scale."""
    wanted = band_set or instrument.default_band_set
    if wanted is None:
        return None
    cat = instrument.category(s.id if s.level == "category" else instrument.item(s.items[0]).category)
    for bs in cat.band_sets:
        if bs.id == wanted:
            return bs
    return instrument.band_set_for(s.items[0], wanted)


def _scale_band(
    instrument: Instrument, s: _ScaleDef, value: Fraction | None, band_set: str | None
) -> str | None:
    bs = _scale_band_set(instrument, s, band_set)
    return None if bs is None else bs.classify(value)


def _scale_score(
    A: np.ndarray, cols: list[int], s: _ScaleDef, instrument: Instrument, items: list[Item]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each respondent's score, and the score as a fraction ``num / den`` of whole numbers
    (``den`` = answered items, 0 where the respondent has no score)."""
    n = A.shape[0]
    total = np.zeros(n)
    answered = np.zeros(n, dtype=np.int64)
    met = np.zeros(n) if s.method == "percent_met" else None
    for j in cols:
        x = A[:, j]
        m = ~np.isnan(x)
        answered += m
        if met is not None:
            thr = instrument.threshold_for(items[j])
            assert thr is not None  # items without a threshold are not in percent_met scales
            met += x >= thr.min_code()  # NaN compares False
        else:
            total += np.where(m, x, 0.0)
    ok = answered >= s.need
    out = np.full(n, np.nan)
    if s.method == "sum":
        num = total * len(cols)
    elif s.method == "percent_met":
        num = met * 100.0
    else:
        num = total
    np.divide(num, answered, out=out, where=ok)
    return out, num, np.where(ok, answered, 0)
