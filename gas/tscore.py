"""The Kiresuk–Sherman GAS T-score, per person and vectorised over many persons.

.. math::

    T = 50 + \\frac{10 \\sum_i w_i x_i}{\\sqrt{(1-\\rho) \\sum_i w_i^2 + \\rho (\\sum_i w_i)^2}}

with :math:`x_i` the GAS level of goal *i* (−2 … +2, baseline 0), :math:`w_i` its weight (1 when
unweighted) and :math:`\\rho` the assumed correlation between goal scores (0.3 by default,
Kiresuk & Sherman, 1968). With every goal at 0 the T-score is 50 whatever the number of goals;
one goal at −1 gives 40, three goals at −1 give 36.31.

The T-score of a case depends on its goals only through the three sums Σwx, Σw² and Σw, so the
computation is split into a *partial-sum* step (:func:`tscore_partials`, one row per case — or per
case and period) that can run chunk by chunk and be added up (:func:`combine_partials`), and a
final step (:func:`tscores_from_partials`).

Missing scores (NaN) are dropped and counted per case, as ``gasr::calc_tscore(na.rm = TRUE)``
does; a case whose scores are all missing gets a NaN T-score.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalstats.errors import DataValidationError, Problem, listed_rows

SUM_COLUMNS = ("n_goals", "n_missing", "sum_wx", "sum_w2", "sum_w")


def _check_rho(rho: float) -> None:
    if not (0.0 <= rho < 1.0):
        raise ValueError(f"rho must be in [0, 1), got {rho!r}")


def _t_from_sums(sum_wx: Any, sum_w2: Any, sum_w: Any, rho: float) -> Any:
    denom = np.sqrt((1.0 - rho) * np.asarray(sum_w2, dtype=float) + rho * np.asarray(sum_w, dtype=float) ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = 50.0 + 10.0 * np.asarray(sum_wx, dtype=float) / denom
    return np.where(denom > 0, t, np.nan)


def _level_check(x: np.ndarray, scale: Any) -> np.ndarray:
    """Boolean mask of present scores that are not levels of the scale."""
    if scale is None:
        return np.zeros(x.shape, dtype=bool)
    from gas.scale import get_scale

    allowed = np.asarray(get_scale(scale).values, dtype=float)
    return ~np.isnan(x) & ~np.isin(x, allowed)


def tscore(
    scores: Sequence[float] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None = None,
    rho: float = 0.3,
    scale: Any = "gas5",
) -> float:
    """The Kiresuk–Sherman T-score of one person's goals.

    Parameters
    ----------
    scores:
        GAS levels of the goals (−2 … +2; not the 1 … 5 analysis scores — convert those with
        :func:`gas.to_level`). NaN scores are dropped together with their weights.
    weights:
        Positive goal weights; None means all 1.
    rho:
        Assumed correlation between goal scores, 0 ≤ ρ < 1.
    scale:
        Scale whose levels the scores must be (None: any finite number).

    Returns
    -------
    float
        The T-score; NaN when no score is present.

    Examples
    --------
    >>> tscore([0, 0, 0])
    50.0
    >>> tscore([-1])
    40.0
    >>> round(tscore([-1, -1, -1]), 2)
    36.31
    >>> round(tscore([2, 1, float("nan")], weights=[1, 3, 5], rho=0.5), 4)
    63.8675
    """
    _check_rho(rho)
    x = np.asarray(scores, dtype=float).reshape(-1)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float).reshape(-1)
    if w.shape != x.shape:
        raise ValueError(f"scores and weights differ in length: {x.size} and {w.size}")
    bad_level = _level_check(x, scale)
    if bad_level.any():
        raise ValueError(
            f"{int(bad_level.sum())} score(s) are not GAS levels of scale {scale!r} "
            f"({listed_rows(np.flatnonzero(bad_level), 'position')}); "
            "T-scores use the −2…+2 coding (convert 1…5 analysis scores with gas.to_level)"
        )
    keep = ~np.isnan(x)
    x, w = x[keep], w[keep]
    if np.any(~np.isfinite(w) | (w <= 0)):
        wrong = np.flatnonzero(~np.isfinite(w) | (w <= 0))
        raise ValueError(f"weights must be positive finite numbers; not at {listed_rows(wrong, 'position')}")
    if x.size == 0:
        return float("nan")
    return float(_t_from_sums((w * x).sum(), (w * w).sum(), w.sum(), rho))


def _factorize_sorted(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values, sort=True)``; text keys are hashed unsorted and only their distinct
    values sorted (as fixed-width unicode, in C), which gives the same codes much faster."""
    if not (pd.api.types.is_string_dtype(values.dtype) or values.dtype == object):
        return pd.factorize(values, sort=True)
    codes, uniques = pd.factorize(values)
    u = np.asarray(uniques, dtype=object)
    if pd.api.types.infer_dtype(u, skipna=False) != "string":
        return pd.factorize(values, sort=True)
    fixed = u.astype(str)
    order = np.argsort(fixed, kind="stable")
    ordered = fixed[order]
    # fixed-width unicode orders as Python does, but drops trailing NUL characters, so that two
    # distinct ids could become equal: then sort as Python does
    if (ordered[1:] == ordered[:-1]).any():
        return pd.factorize(values, sort=True)
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return np.where(codes >= 0, rank[codes], -1), uniques.take(order)


def _key_codes(frame: pd.DataFrame, keys: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group codes (0..k-1, ordered by sorted keys) and the key values of each group."""
    problems: list[Problem] = []
    codes_list, uniques_list = [], []
    for col in keys:
        codes, uniques = _factorize_sorted(frame[col])
        bad = np.flatnonzero(codes < 0)
        problems += [Problem(frame.index[i], col, None, "a key value (not missing)") for i in bad[:1000]]
        codes_list.append(codes.astype(np.int64))
        uniques_list.append(uniques)
    if problems:
        raise DataValidationError(problems, context="T-score keys")
    combined = codes_list[0]
    for codes, uniques in zip(codes_list[1:], uniques_list[1:], strict=True):
        combined = combined * len(uniques) + codes
    if len(keys) == 1:
        group, first = combined, uniques_list[0]
        return group, pd.DataFrame({keys[0]: first})
    group, ucomb = pd.factorize(combined, sort=True)
    out = {}
    rest = np.asarray(ucomb, dtype=np.int64)
    for col, uniques in zip(reversed(keys), reversed(uniques_list), strict=True):
        out[col] = uniques.take(rest % len(uniques))
        rest = rest // len(uniques)
    return group.astype(np.int64), pd.DataFrame({c: np.asarray(out[c]) for c in keys})


def tscore_partials(
    frame: pd.DataFrame,
    case: str = "case",
    score: str = "level",
    weight: str | None = None,
    by: str | Sequence[str] | None = None,
    scale: Any = "gas5",
) -> pd.DataFrame:
    """The decomposable sums behind the T-score, one row per case (and ``by`` group).

    Columns: the key columns, ``n_goals`` (scores present), ``n_missing`` (NaN scores dropped),
    ``sum_wx``, ``sum_w2``, ``sum_w``. Partial sums of chunks of the data add up to the sums of
    the whole (:func:`combine_partials`), so large data can be processed chunk by chunk.

    Examples
    --------
    >>> df = pd.DataFrame({"case": ["a", "a", "b"], "level": [1, -1, 2]})
    >>> tscore_partials(df)
      case  n_goals  n_missing  sum_wx  sum_w2  sum_w
    0    a        2          0     0.0     2.0    2.0
    1    b        1          0     2.0     1.0    1.0
    """
    frame = getattr(frame, "frame", frame)  # GoalData and RaterAggregation carry their frame
    keys = [case] + ([by] if isinstance(by, str) else list(by or []))
    missing_cols = [c for c in [*keys, score, *([weight] if weight else [])] if c not in frame.columns]
    if missing_cols:
        raise KeyError(f"columns {missing_cols} not in the frame (columns: {list(frame.columns)})")
    x = pd.to_numeric(frame[score], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    problems: list[Problem] = []
    not_numeric = np.flatnonzero(np.isnan(x) & frame[score].notna().to_numpy())
    problems += [Problem(frame.index[i], score, frame[score].iloc[i], "a GAS level") for i in not_numeric[:1000]]
    bad_level = np.flatnonzero(_level_check(x, scale))
    problems += [
        Problem(frame.index[i], score, x[i], f"a level of GAS scale {scale!r} (−2…+2 coding)") for i in bad_level[:1000]
    ]
    present = ~np.isnan(x)
    if weight is None:
        w = present.astype(float)
    else:
        w = pd.to_numeric(frame[weight], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad_w = np.flatnonzero(present & (~np.isfinite(w) | (w <= 0)))
        problems += [Problem(frame.index[i], weight, frame[weight].iloc[i], "a positive weight") for i in bad_w[:1000]]
        w = np.where(present, w, 0.0)
    if problems:
        raise DataValidationError(problems, context="T-score input")
    xw = np.where(present, x, 0.0) * w
    group, out = _key_codes(frame, keys)
    k = len(out)
    out["n_goals"] = np.bincount(group, weights=present, minlength=k).astype(np.int64)
    out["n_missing"] = np.bincount(group, minlength=k).astype(np.int64) - out["n_goals"].to_numpy()
    out["sum_wx"] = np.bincount(group, weights=xw, minlength=k)
    out["sum_w2"] = np.bincount(group, weights=w * w, minlength=k)
    out["sum_w"] = np.bincount(group, weights=w, minlength=k)
    return out


def combine_partials(partials: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Add up partial sums of several chunks (the same case may occur in several chunks).

    Examples
    --------
    >>> df = pd.DataFrame({"case": ["a", "a", "b", "a"], "level": [1, -1, 2, 0]})
    >>> whole = tscore_partials(df)
    >>> parts = combine_partials([tscore_partials(df.iloc[:2]), tscore_partials(df.iloc[2:])])
    >>> parts.equals(whole)
    True
    """
    partials = list(partials)
    if not partials:
        raise ValueError("no partial sums to combine")
    keys = [c for c in partials[0].columns if c not in SUM_COLUMNS]
    stacked = pd.concat(partials, ignore_index=True)
    summed = stacked.groupby(keys, sort=True, dropna=False)[list(SUM_COLUMNS)].sum().reset_index()
    return summed


def tscores_from_partials(partials: pd.DataFrame, rho: float = 0.3) -> pd.DataFrame:
    """T-scores from partial sums: the input with a ``tscore`` column added.

    Examples
    --------
    >>> p = pd.DataFrame({"case": ["a"], "n_goals": [3], "n_missing": [0],
    ...                   "sum_wx": [-3.0], "sum_w2": [3.0], "sum_w": [3.0]})
    >>> float(round(tscores_from_partials(p)["tscore"].iloc[0], 2))
    36.31
    """
    _check_rho(rho)
    out = partials.copy()
    out["tscore"] = _t_from_sums(out["sum_wx"], out["sum_w2"], out["sum_w"], rho)
    return out


def tscores(
    frame: pd.DataFrame,
    case: str = "case",
    score: str = "level",
    weight: str | None = None,
    rho: float = 0.3,
    by: str | Sequence[str] | None = None,
    scale: Any = "gas5",
) -> pd.DataFrame:
    """One Kiresuk–Sherman T-score per case (or per case and ``by`` group, e.g. period).

    Parameters
    ----------
    frame:
        Long data: one row per goal evaluation (a DataFrame, or :class:`gas.GoalData` /
        :class:`gas.RaterAggregation`, whose ``.frame`` is used).
    case, score, weight:
        Column names; ``score`` holds GAS levels (−2…+2), ``weight`` positive weights (None: 1).
    rho:
        Assumed correlation between goal scores.
    by:
        Extra grouping column(s), e.g. ``"period"`` for a T-score per 3-month period
        (a trajectory; see :func:`tscore_change`).
    scale:
        Scale whose levels the scores must be (None: any finite number).

    Returns
    -------
    pandas.DataFrame
        Key columns, ``n_goals``, ``n_missing`` (NaN scores dropped), the three sums and
        ``tscore`` (NaN when a case has no score), sorted by the keys.

    Examples
    --------
    >>> df = pd.DataFrame({"case": [1, 1, 1, 2, 2], "level": [-1, -1, -1, 0, float("nan")]})
    >>> tscores(df)[["case", "n_goals", "n_missing", "tscore"]].round(2)
       case  n_goals  n_missing  tscore
    0     1        3          0   36.31
    1     2        1          1   50.00
    """
    _check_rho(rho)
    return tscores_from_partials(tscore_partials(frame, case, score, weight, by, scale), rho)


def tscore_change(
    ts: pd.DataFrame, case: str = "case", by: str = "period", first: Any = None, last: Any = None
) -> pd.DataFrame:
    """Change of the T-score between two periods per case, from :func:`tscores` with ``by``.

    Parameters
    ----------
    ts:
        Output of ``tscores(..., by=by)``.
    first, last:
        The periods to compare; None means each case's own first and last period with a T-score.

    Returns
    -------
    pandas.DataFrame
        ``case``, ``first``, ``last`` (the periods used), ``t_first``, ``t_last``, ``change``
        (``t_last - t_first``) and ``n_periods`` (periods with a T-score). Cases without a
        T-score in either period get NaN.

    Examples
    --------
    >>> df = pd.DataFrame({"case": [1, 1, 1, 1, 2], "period": [1, 1, 2, 2, 1],
    ...                    "level": [0, 1, 1, 2, -1]})
    >>> tscore_change(tscores(df, by="period")).round(2)
       case  first  last  t_first  t_last  change  n_periods
    0     1      1     2     56.2   68.61    12.4          2
    1     2      1     1     40.0   40.00     0.0          1
    """
    have = ts[ts["tscore"].notna()].sort_values([case, by])
    grouped = have.groupby(case, sort=True)
    n_periods = grouped.size()
    if first is None:
        a = grouped.head(1).set_index(case)
    else:
        a = have[have[by] == first].set_index(case)
    if last is None:
        b = grouped.tail(1).set_index(case)
    else:
        b = have[have[by] == last].set_index(case)
    cases = pd.Index(pd.unique(ts[case]), name=case).sort_values()
    out = pd.DataFrame(index=cases)
    out["first"] = a[by].reindex(cases)
    out["last"] = b[by].reindex(cases)
    out["t_first"] = a["tscore"].reindex(cases)
    out["t_last"] = b["tscore"].reindex(cases)
    out["change"] = out["t_last"] - out["t_first"]
    out["n_periods"] = n_periods.reindex(cases).fillna(0).astype(np.int64)
    return out.reset_index()
