"""Reading survey answers: each answer column converted once and checked against the item's
response scale (codes, Dutch labels, non-substantive and not-applicable answers, empty cells)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fidelity.instrument import (
    BackgroundQuestion,
    ResponseScale,
    is_not_applicable,
    normalise_label,
)

_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")


@dataclass(frozen=True)
class _Reading:
    """How the answers on one response scale are read: codes, labels, and what is no value."""

    scale: ResponseScale
    codes: np.ndarray  # substantive codes, float
    labels: dict[str, int]  # normalised Dutch label or alias -> code
    ns_num: list[float]  # non-substantive codes other than "not applicable"
    na_num: list[float]  # codes that mean "not applicable"
    ns_text: frozenset[str]  # normalised texts counted as non-substantive
    na_text: frozenset[str]  # normalised texts (besides the n.v.t. spellings) = not applicable
    expected: str

    @classmethod
    def of(cls, scale: ResponseScale, not_applicable: Iterable[int] = ()) -> _Reading:
        ns_num, na_num, ns_text, na_text = [], [float(v) for v in scale.not_applicable], set(), set()
        na_num += [float(v) for v in not_applicable]
        for c in scale.non_substantive:
            na = is_not_applicable(c.nl) or (isinstance(c.value, str) and is_not_applicable(c.value))
            texts = {normalise_label(c.nl)}
            if isinstance(c.value, str):
                texts.add(normalise_label(c.value))
            else:
                (na_num if na else ns_num).append(float(c.value))
            (na_text if na else ns_text).update(texts)
        na_num = sorted(set(na_num))
        return cls(scale, np.asarray(scale.values, dtype=float), scale.labels(), ns_num, na_num,
                   frozenset(ns_text), frozenset(na_text), _scale_description(scale, na_num))


def _scale_description(scale: ResponseScale, na_num: Sequence[float] = ()) -> str:
    codes = ", ".join(str(v) for v in scale.values)
    text = f"a code of scale {scale.id!r} ({codes})"
    labels = [lab for c in scale.codes for lab in (c.nl, *c.aliases)]
    if [normalise_label(lab) for lab in labels] != [str(v) for v in scale.values]:
        text += f", one of its labels ({', '.join(labels)})"
    if scale.non_substantive:
        ns = ", ".join(repr(c.value) for c in scale.non_substantive)
        text += f", a non-substantive code ({ns})"
    na = ", ".join(str(_plain(v)) for v in na_num)
    if na or not any(is_not_applicable(c.nl) for c in scale.non_substantive):
        text += f", n.v.t.{f' ({na})' if na else ''}"
    text += " or empty"
    return text


@dataclass
class _Column:
    """One converted answer column: float values with NaN for missing."""

    values: np.ndarray  # float64, NaN = missing, after non-substantive -> NaN
    n_non_substantive: int
    n_not_applicable: int
    bad_rows: np.ndarray  # positions of invalid cells
    bad_values: list[Any]
    bad_expected: list[str]


def _convert_column(col: pd.Series, rd: _Reading) -> _Column:
    expected = rd.expected
    dtype = col.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        x = col.to_numpy(dtype=float, na_value=np.nan, copy=True)
        return _check_numeric(x, rd, original=None)
    # text or mixed column: work per distinct value, then broadcast
    raw = col.to_numpy(dtype=object, na_value=None)
    uniq_codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    mapped = np.full(len(uniques) + 1, np.nan)  # last slot = NA sentinel (-1)
    special: dict[int, str] = {}  # unique index -> expected text for a problem
    ns_uniques: list[int] = []
    na_uniques: list[int] = []
    for k, v in enumerate(uniques):
        if isinstance(v, bool | np.bool_):
            special[k] = expected
            continue
        if isinstance(v, int | float | np.integer | np.floating):
            mapped[k] = float(v)
            continue
        s = normalise_label(v)
        if s == "":
            continue
        if s in rd.labels:
            mapped[k] = rd.labels[s]
        elif s in rd.ns_text:
            ns_uniques.append(k)
        elif s in rd.na_text or is_not_applicable(s):
            na_uniques.append(k)
        elif _DECIMAL_COMMA.match(s):
            special[k] = (
                "a number written with a decimal point, not a decimal comma; and " + expected
            )
        else:
            try:
                mapped[k] = float(s)
            except ValueError:
                special[k] = expected
    idx = np.where(uniq_codes < 0, len(uniques), uniq_codes)
    x = mapped[idx]
    out = _check_numeric(x, rd, original=raw)
    if ns_uniques:
        out.n_non_substantive += int(np.isin(idx, ns_uniques).sum())
    if na_uniques:
        out.n_not_applicable += int(np.isin(idx, na_uniques).sum())
    if special:
        bad_mask = np.isin(idx, list(special))
        pos = np.flatnonzero(bad_mask)
        out.bad_rows = np.concatenate([out.bad_rows, pos])
        out.bad_values += [raw[p] for p in pos]
        out.bad_expected += [special[idx[p]] for p in pos]
        order = np.argsort(out.bad_rows, kind="stable")
        out.bad_rows = out.bad_rows[order]
        out.bad_values = [out.bad_values[i] for i in order]
        out.bad_expected = [out.bad_expected[i] for i in order]
    return out


def _check_numeric(x: np.ndarray, rd: _Reading, original: Any) -> _Column:
    codes = rd.codes
    missing = np.isnan(x)
    lo, hi = codes[0], codes[-1]
    contiguous = bool(np.all(codes == np.floor(codes))) and len(codes) == int(hi - lo) + 1
    if contiguous:
        ok = (x >= lo) & (x <= hi) & (x == np.floor(x))
    else:
        ok = np.isin(x, codes)
    counts = []
    for special in (rd.ns_num, rd.na_num):
        n_special = 0
        if special:
            hit = np.isin(x, special)
            n_special = int(hit.sum())
            if n_special:
                x[hit] = np.nan
                ok |= hit
        counts.append(n_special)
    bad = ~(ok | missing)
    pos = np.flatnonzero(bad)
    if len(pos):
        vals = [original[p] if original is not None else _plain(x[p]) for p in pos]
        x[pos] = np.nan
    else:
        vals = []
    return _Column(x, counts[0], counts[1], pos, vals, [rd.expected] * len(pos))


def _plain(v: float) -> Any:
    return int(v) if float(v).is_integer() else float(v)


def _not_applicable_codes(codes: Iterable[int]) -> list[int]:
    out = list(codes)
    bad = [c for c in out if isinstance(c, bool) or not isinstance(c, int | np.integer)]
    if bad:
        raise TypeError(f"not_applicable must be whole-number codes such as 9, got {bad}")
    return [int(c) for c in out]


def _plain_value(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def background_offences(col: pd.Series, question: BackgroundQuestion) -> list[tuple[int, Any, str]]:
    """The answers to a background question that the instrument does not allow, as
    ``(position, value, expected)``: for a categorical question a value that is not one of its
    ``options`` (exactly as written there; a number matches an option written as that number),
    for a number question a value that is not a number. Empty cells are not offences.

    Examples
    --------
    >>> q = BackgroundQuestion(id="education", nl="Opleiding", options=["MBO", "HBO", "WO"])
    >>> background_offences(pd.Series(["HBO", "PhD", None, "WO"]), q)
    [(1, 'PhD', "one of the options of background question 'education': 'MBO', 'HBO', 'WO'")]
    >>> n = BackgroundQuestion(id="years", nl="Jaren", kind="number")
    >>> [p for p, _, _ in background_offences(pd.Series([3, "veel", 12.5]), n)]
    [1]
    """
    values = col.to_numpy(dtype=object)
    present = ~pd.isna(col).to_numpy()
    if question.kind == "number":
        numeric = pd.to_numeric(col, errors="coerce").notna().to_numpy()
        bad = np.flatnonzero(present & ~numeric)
        expected = f"a number (background question {question.id!r})"
    elif question.kind == "categorical" and question.options:
        allowed = set(question.options)

        def ok(v: Any) -> bool:
            v = _plain_value(v)
            if isinstance(v, str):
                return v in allowed
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            return not isinstance(v, bool) and str(v) in allowed

        bad = [i for i in np.flatnonzero(present) if not ok(values[i])]
        shown = ", ".join(repr(o) for o in question.options)
        expected = f"one of the options of background question {question.id!r}: {shown}"
    else:
        return []
    return [(int(i), _plain_value(values[i]), expected) for i in bad]
