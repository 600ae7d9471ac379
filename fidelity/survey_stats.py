"""Survey statistics: N, mean and SD in total and per group (two-pass sums and
:func:`numpy.bincount`), and the exact means that thresholds and bands are judged on."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from fidelity.answers import _plain_value

TOTAL = "Total"


def _describe(x: np.ndarray) -> tuple[int, float, float, float, float, float]:
    """N, sum, mean, SD (ddof=1), min, max of the non-missing values (two-pass for accuracy).

    For answer codes (whole numbers) the sum is exact, so ``Fraction(int(sum), N)`` is the exact
    mean.
    """
    m = ~np.isnan(x)
    n = int(m.sum())
    if n == 0:
        return 0, 0.0, math.nan, math.nan, math.nan, math.nan
    v = x[m] if n < len(x) else x
    v = v.astype(np.float64, copy=False)
    total = float(v.sum())
    mean = total / n
    sd = float(math.sqrt(((v - mean) ** 2).sum() / (n - 1))) if n > 1 else math.nan
    return n, total, mean, sd, float(v.min()), float(v.max())


def _group_describe(
    x: np.ndarray, codes: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per-group N, sum, mean and SD (ddof=1) via bincount; codes are 0..n_groups-1."""
    m = ~np.isnan(x)
    filled = np.where(m, x, 0.0)
    cnt = np.bincount(codes, weights=m, minlength=n_groups)
    s = np.bincount(codes, weights=filled, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / cnt
        dev = np.where(m, x - mean[codes], 0.0)
        ss = np.bincount(codes, weights=dev * dev, minlength=n_groups)
        sd = np.sqrt(ss / (cnt - 1))
    sd[cnt < 2] = np.nan
    return cnt.astype(np.int64), s, mean, sd


def _exact_item_means(cnt: np.ndarray, total: np.ndarray) -> list[Fraction | None]:
    """Exact means of whole-number answers from their counts and (exact) sums; None for N = 0."""
    return [Fraction(int(t), int(c)) if c else None for c, t in zip(cnt, total, strict=True)]


def _exact_scale_means(
    num: np.ndarray, den: np.ndarray, codes: np.ndarray | None, n_groups: int
) -> list[Fraction | None]:
    """Exact mean per group of the respondents' scores ``num / den`` (``den = 0``: no score).

    ``num`` holds whole numbers, ``den`` the number of answered items. The scores of one group are
    summed per denominator with :func:`numpy.bincount` (exact: sums of whole numbers below 2**53)
    and the few partial sums ``S_d / d`` are added as fractions, so the result does not depend on
    the order of the rows.
    """
    width = int(den.max(initial=0)) + 1
    key = den if codes is None else codes * width + den
    size = n_groups * width
    sums = np.bincount(key, weights=num, minlength=size).reshape(n_groups, width)
    counts = np.bincount(key, minlength=size).reshape(n_groups, width)
    out: list[Fraction | None] = []
    for g in range(n_groups):
        n_scored = int(counts[g, 1:].sum())
        if n_scored == 0:
            out.append(None)
            continue
        total = sum((Fraction(int(sums[g, d]), d) for d in np.flatnonzero(counts[g]) if d),
                    Fraction(0))
        out.append(total / n_scored)
    return out


def _group_codes(data: pd.DataFrame, groups: list[str]) -> list[tuple[str, np.ndarray, list[Any]]]:
    """Per group column: its name, each row's group number 0..G-1 and the G groups in order."""
    out = []
    for g in groups:
        col = data[g]
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes = col.cat.codes.to_numpy().astype(np.int64)
            uniques = list(col.cat.categories)
        else:
            codes, uniq = pd.factorize(col, sort=True)
            uniques = list(uniq)
        out.append((g, codes, uniques))
    return out


def _group_stats(
    variables: list[tuple[str, str, np.ndarray]],
    group_codes: list[tuple[str, np.ndarray, list[Any]]],
    exact: dict[tuple[str, str], list[Fraction | None]],
) -> tuple[pd.DataFrame, list[Fraction | None]]:
    """The tidy group table and, row by row, the exact mean its verdicts are based on.

    Exact means of scales come in ``exact`` (keyed by grouping and scale column); those of items
    are their exact sums over N.
    """
    frames = []
    exact_col: list[Fraction | None] = []
    levels = np.array([v[0] for v in variables], dtype=object)
    names = np.array([v[1] for v in variables], dtype=object)
    total_n = np.empty(len(variables), dtype=np.int64)
    total_m = np.empty(len(variables))
    total_s = np.empty(len(variables))
    for i, (level, name, x) in enumerate(variables):
        total_n[i], total, total_m[i], total_s[i], _, _ = _describe(x)
        if level == "item":
            exact_col += _exact_item_means(total_n[i : i + 1], np.array([total]))
        else:
            exact_col += exact[(TOTAL, name)]
    frames.append(
        pd.DataFrame(
            {"grouping": TOTAL, "group": TOTAL, "level": levels, "variable": names,
             "n": total_n, "mean": total_m, "sd": total_s}
        )
    )
    for g, codes, uniques in group_codes:
        G = len(uniques)
        for level, name, x in variables:
            cnt, sums, mean, sd = _group_describe(x.astype(np.float64, copy=False), codes, G)
            exact_col += _exact_item_means(cnt, sums) if level == "item" else exact[(g, name)]
            frames.append(
                pd.DataFrame(
                    {"grouping": g, "group": [_plain_value(u) for u in uniques], "level": level,
                     "variable": name, "n": cnt, "mean": mean, "sd": sd}
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out["group"] = out["group"].astype(object)
    return out, exact_col
