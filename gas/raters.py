"""Combining the GAS scores of several raters into one score per goal evaluation.

Rules are named and take parameters:

``"np"``
    Nieuwe Perspectieven (003: 2039–2051, 10012–10013): the mean of the youth's and the
    practitioner's score; a mean that falls between two levels ("een onderling verschil") is
    rounded to the adjacent level on the youth's side. Parameters: ``raters`` (the two raters,
    default youth and practitioner), ``toward`` (whose side a split is rounded to, default the
    first of ``raters``), ``grid`` (the allowed levels; default whole numbers, which serves both
    the 1–5 analysis scale and the −2…+2 coding; pass a scale's levels for −0.5 codes).
``"mean"``
    The plain mean of the raters present, not rounded.
``"joint"``
    ReSet (003: 1910–1913): parents and practitioner agree on one joint score; it is used as is.
``"single"``
    One rater's score as is (parameter ``rater``).

When one of two raters is missing, ``missing`` decides: ``"use_available"`` (the default) takes
the score that is there; ``"missing"`` makes the result missing; ``"error"`` raises, naming the
positions. The default follows the dissertation: youth scores were "regularly missing"
(003: 2045) and the 935 youths were nevertheless analysed, so a goal evaluated by the practitioner
alone kept that score. The frame-level :func:`aggregate_raters` always reports how many results
rest on one rater, so the choice is visible in every analysis.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from evalstats.errors import DataValidationError, Problem, listed_rows
from evalstats.format import Lang
from evalstats.result import Result

RATERS = ("youth", "parent", "practitioner", "vip", "joint")
MissingPolicy = Literal["error", "use_available", "missing"]
MISSING_POLICIES = ("error", "use_available", "missing")

RATER_LABELS = {
    "en": {"youth": "youth", "parent": "parent", "practitioner": "practitioner", "vip": "VIP", "joint": "joint"},
    "nl": {"youth": "jongere", "parent": "ouder", "practitioner": "begeleider", "vip": "VIP", "joint": "gezamenlijk"},
}


def _round_toward(mean: np.ndarray, toward: np.ndarray, grid: np.ndarray | None) -> np.ndarray:
    """Round each mean to a grid level; a mean between two levels goes to the side of ``toward``."""
    if grid is None:
        down, up = np.floor(mean), np.ceil(mean)
    else:
        idx = np.clip(np.searchsorted(grid, mean, side="left"), 0, len(grid) - 1)
        up = grid[idx]
        on = np.isclose(up, mean)
        down = np.where(on, up, grid[np.clip(idx - 1, 0, len(grid) - 1)])
    between = ~np.isclose(down, mean) & ~np.isclose(up, mean)
    exact = np.where(np.isclose(down, mean), down, up)
    return np.where(between, np.where(toward > mean, up, down), exact)


def _rule_np(scores: Mapping[str, np.ndarray], missing: str, raters: Sequence[str] = ("youth", "practitioner"),
             toward: str | None = None, grid: Sequence[float] | None = None) -> np.ndarray:
    if len(raters) != 2:
        raise ValueError(f"rule 'np' combines two raters, got {list(raters)}")
    a, b = (scores[r] for r in raters)
    toward = raters[0] if toward is None else toward
    if toward not in raters:
        raise ValueError(f"toward must be one of {list(raters)}, got {toward!r}")
    t = scores[toward]
    g = None if grid is None else np.sort(np.asarray(grid, dtype=float))

    def off(v: np.ndarray) -> np.ndarray:
        return ~np.isnan(v) & ((v != np.round(v)) if g is None else ~np.isin(v, g))

    off_any = off(a) | off(b)
    if off_any.any():
        where = "whole-number levels" if g is None else f"levels {g.tolist()}"
        raise ValueError(f"rule 'np' rounds to {where}; the scores at {listed_rows(np.flatnonzero(off_any), 'position')} "
                         "are not among them (pass grid= with the scale's levels)")
    with np.errstate(invalid="ignore"):
        mean = (a + b) / 2.0
        both = _round_toward(mean, t, g)
    out = np.where(np.isnan(a) | np.isnan(b), np.nan, both)
    return _fill_single(out, [a, b], raters, missing)


def _rule_mean(scores: Mapping[str, np.ndarray], missing: str, raters: Sequence[str] = ("youth", "practitioner")) -> np.ndarray:
    stack = np.vstack([scores[r] for r in raters])
    present = ~np.isnan(stack)
    with np.errstate(invalid="ignore"):
        out = np.where(present.all(axis=0), stack.mean(axis=0), np.nan)
    if len(raters) == 2:
        return _fill_single(out, list(stack), raters, missing)
    some = present.any(axis=0) & ~present.all(axis=0)
    if missing == "error" and some.any():
        raise ValueError(f"{int(some.sum())} evaluation(s) lack a rater (positions {np.flatnonzero(some)[:20].tolist()})")
    if missing == "use_available":
        with np.errstate(invalid="ignore"):
            out = np.where(some, np.nanmean(np.where(present, stack, np.nan), axis=0), out)
    return out


def _rule_single(scores: Mapping[str, np.ndarray], missing: str, rater: str = "joint") -> np.ndarray:
    return scores[rater].copy()


def _fill_single(out: np.ndarray, arrays: Sequence[np.ndarray], raters: Sequence[str], missing: str) -> np.ndarray:
    a, b = arrays
    only_a = ~np.isnan(a) & np.isnan(b)
    only_b = np.isnan(a) & ~np.isnan(b)
    if missing == "error" and (only_a.any() or only_b.any()):
        parts = []
        for arr, who in ((only_b, raters[0]), (only_a, raters[1])):
            if arr.any():
                parts.append(f"{who} missing in {int(arr.sum())} (positions {np.flatnonzero(arr)[:20].tolist()})")
        raise ValueError("one of two raters is missing: " + "; ".join(parts) + " — choose missing='use_available' or 'missing'")
    if missing == "use_available":
        out = np.where(only_a, a, np.where(only_b, b, out))
    return out


@dataclass(frozen=True)
class RaterRule:
    """A named rule that combines rater scores; ``raters(params)`` names the raters it reads.

    Examples
    --------
    >>> from gas import get_rule
    >>> rule = get_rule("np")
    >>> rule.description
    "mean of two raters, a split rounded toward the youth's score"
    >>> rule.raters({}), get_rule("joint").raters({})
    (['youth', 'practitioner'], ['joint'])
    """

    name: str
    func: Callable[..., np.ndarray]
    description: str
    defaults: dict[str, Any] = field(default_factory=dict)

    def raters(self, params: Mapping[str, Any]) -> list[str]:
        p = {**self.defaults, **params}
        return list(p["raters"]) if "raters" in p else [p["rater"]]


RULES: dict[str, RaterRule] = {
    "np": RaterRule("np", _rule_np, "mean of two raters, a split rounded toward the youth's score",
                    {"raters": ("youth", "practitioner")}),
    "mean": RaterRule("mean", _rule_mean, "plain mean of the raters present", {"raters": ("youth", "practitioner")}),
    "joint": RaterRule("joint", _rule_single, "the joint score as is", {"rater": "joint"}),
    "single": RaterRule("single", _rule_single, "one rater's score as is", {"rater": "practitioner"}),
}


def register_rule(rule: RaterRule) -> None:
    """Add a rater rule under a new name (an existing name is an error).

    Examples
    --------
    >>> import numpy as np
    >>> def best(scores, missing, raters=("youth", "practitioner")):
    ...     return np.fmax(*(scores[r] for r in raters))
    >>> register_rule(RaterRule("best-doc", best, "the higher score", {"raters": ("youth", "practitioner")}))
    >>> combine_raters(youth=2, practitioner=4, rule="best-doc")
    4.0
    """
    if rule.name in RULES:
        raise ValueError(f"rater rule {rule.name!r} already exists")
    RULES[rule.name] = rule


def get_rule(name: str) -> RaterRule:
    """The rater rule with this name.

    Examples
    --------
    >>> get_rule("mean").raters({"raters": ("youth", "parent")})
    ['youth', 'parent']
    >>> get_rule("nope")
    Traceback (most recent call last):
    ...
    KeyError: "unknown rater rule 'nope'; known: ..."
    """
    try:
        return RULES[name]
    except KeyError:
        raise KeyError(f"unknown rater rule {name!r}; known: {', '.join(sorted(RULES))}") from None


def combine_raters(
    youth: Any = None,
    practitioner: Any = None,
    *,
    parent: Any = None,
    vip: Any = None,
    joint: Any = None,
    rule: str = "np",
    missing: MissingPolicy = "use_available",
    **params: Any,
) -> Any:
    """Combine scalar or array scores of several raters with a named rule.

    Parameters
    ----------
    youth, practitioner, parent, vip, joint:
        Scores (scalars, arrays or Series of equal length) on one coding — the 1–5 analysis
        scale or −2…+2 both work; NaN/None is missing.
    rule:
        ``"np"``, ``"mean"``, ``"joint"``, ``"single"`` or a registered rule.
    missing:
        When one of two raters is missing: ``"use_available"`` (default; see the module
        documentation for why), ``"missing"`` or ``"error"``.
    **params:
        Rule parameters, e.g. ``toward="practitioner"``, ``grid=[-2, -1, -0.5, 0, 1, 2]``,
        ``rater="parent"``.

    Examples
    --------
    >>> combine_raters(youth=4, practitioner=5)          # 4.5: split, toward the youth
    4.0
    >>> combine_raters(youth=5, practitioner=2)          # 3.5 → 4
    4.0
    >>> combine_raters(youth=[-1, 2, None], practitioner=[0, 1, 1])
    array([-1.,  2.,  1.])
    >>> combine_raters(youth=[None], practitioner=[1], missing="missing")
    array([nan])
    >>> combine_raters(youth=-0.5, practitioner=0, grid=[-2, -1, -0.5, 0, 1, 2])
    -0.5
    >>> combine_raters(joint=[3, 5], rule="joint")
    array([3., 5.])
    """
    if missing not in MISSING_POLICIES:
        raise ValueError(f"missing must be one of {MISSING_POLICIES}, got {missing!r}")
    r = get_rule(rule)
    given = {"youth": youth, "practitioner": practitioner, "parent": parent, "vip": vip, "joint": joint}
    needed = r.raters(params)
    absent = [n for n in needed if given.get(n) is None]
    if absent:
        raise ValueError(f"rule {rule!r} needs scores of {needed}; not given: {absent}")
    scalar = all(np.ndim(given[n]) == 0 for n in needed)
    like = next((given[n] for n in needed if isinstance(given[n], pd.Series)), None)
    arrays = {n: _to_float(given[n]) for n in needed}
    lengths = {n: a.size for n, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"rater scores differ in length: {lengths}")
    out = r.func(arrays, missing, **{**r.defaults, **params})
    if scalar:
        return float(out[0])
    if like is not None:
        return pd.Series(out, index=like.index)
    return out


def _to_float(v: Any) -> np.ndarray:
    if isinstance(v, pd.Series):
        return pd.to_numeric(v, errors="raise").to_numpy(dtype=float, na_value=np.nan)
    if np.ndim(v) == 0:
        return np.array([np.nan if v is None else float(v)])
    return np.array([np.nan if x is None else float(x) for x in v], dtype=float)


class RaterAggregation(Result):
    """Goal evaluations after combining raters, with counts of what each step did.

    Attributes
    ----------
    frame:
        One row per case, goal and period with the combined ``level`` and ``basis`` (which
        raters it rests on, e.g. ``"youth+practitioner"``, ``"practitioner"``).
    counts:
        Ratings per rater, dropped raters, and results per basis.

    Examples
    --------
    >>> import pandas as pd
    >>> from gas import aggregate_raters
    >>> df = pd.DataFrame({"case": [1, 1, 2], "goal": ["g1"] * 3, "period": [1] * 3,
    ...                    "rater": ["youth", "practitioner", "practitioner"], "level": [4, 5, 3]})
    >>> agg = aggregate_raters(df)
    >>> agg.frame[["case", "level", "basis"]]
       case  level               basis
    0     1    4.0  youth+practitioner
    1     2    3.0        practitioner
    """

    titles = {"en": "Aggregation of raters", "nl": "Samenvoegen van beoordelaars"}

    def __init__(self, frame: pd.DataFrame, counts: pd.DataFrame, rule: str, missing: str):
        self.frame = frame
        self.counts = counts
        self.rule = rule
        self.missing = missing

    @property
    def table(self) -> pd.DataFrame:
        return self.counts

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        names = {"en": {"ratings": "Ratings", "dropped": "Dropped (too few ratings)", "result": "Combined scores",
                        "missing": "Combined score missing"},
                 "nl": {"ratings": "Beoordelingen", "dropped": "Verwijderd (te weinig beoordelingen)",
                        "result": "Gecombineerde scores",
                        "missing": "Gecombineerde score ontbreekt"}}[lang]
        t = self.counts.copy()
        t["what"] = t["what"].map(names)
        t["who"] = [("+".join(RATER_LABELS[lang].get(x, x) for x in w.split("+")) if w else w) for w in t["who"]]
        head = ["Onderdeel", "Beoordelaar", "N"] if lang == "nl" else ["Part", "Rater", "N"]
        t.columns = head
        return t.reset_index(drop=True)

    def apa(self, lang: Lang = "en") -> str:
        res = self.counts[self.counts["what"] == "result"]
        total = int(res["n"].sum())
        by = dict(zip(res["who"], res["n"], strict=True))
        dropped = self.counts[self.counts["what"] == "dropped"]
        n_missing = int(self.counts.loc[self.counts["what"] == "missing", "n"].sum())
        lab = RATER_LABELS[lang]

        def who(w: str) -> str:
            return " + ".join(lab.get(x, x) for x in w.split("+")) if w else ("geen" if lang == "nl" else "none")

        parts = ", ".join(f"{who(k)} {v}" for k, v in by.items())
        if lang == "nl":
            s = f"Scores zijn gecombineerd met regel '{self.rule}' tot {total} evaluaties (basis: {parts})"
            s += f", waarvan {n_missing} zonder score" if n_missing else ""
            if len(dropped):
                s += "; verwijderd wegens te weinig beoordelingen: " + ", ".join(
                    f"{who(w)} (n = {n})" for w, n in zip(dropped["who"], dropped["n"], strict=True))
        else:
            s = f"Scores were combined with rule '{self.rule}' into {total} evaluations (basis: {parts})"
            s += f", {n_missing} of them without a score" if n_missing else ""
            if len(dropped):
                s += "; dropped for too few ratings: " + ", ".join(
                    f"{who(w)} (n = {n})" for w, n in zip(dropped["who"], dropped["n"], strict=True))
        return s + "."


def aggregate_raters(
    frame: pd.DataFrame,
    rule: str = "np",
    missing: MissingPolicy = "use_available",
    keys: Sequence[str] = ("case", "goal", "period"),
    rater: str = "rater",
    level: str = "level",
    min_ratings: int = 0,
    drop: Sequence[str] = (),
    **params: Any,
) -> RaterAggregation:
    """Apply a rater rule to long goal data (one row per rating) and count what happened.

    Parameters
    ----------
    frame:
        Long data with the ``keys`` columns, a ``rater`` column (youth, parent, practitioner,
        vip, joint) and a ``level`` column. Other columns must be constant within a goal
        evaluation; they are carried over.
    rule, missing, **params:
        As in :func:`combine_raters`.
    min_ratings:
        A rater type with fewer non-missing ratings than this is dropped before combining, and
        reported (the dissertation dropped the VIP: ≤ 50 of 1359 evaluations, 003: 2025–2031).
    drop:
        Rater types to drop regardless of their count (also reported).

    Examples
    --------
    >>> df = pd.DataFrame({"case": [1, 1, 1, 2, 2, 3], "goal": ["g1"] * 6, "period": [1] * 6,
    ...     "rater": ["youth", "practitioner", "vip", "youth", "practitioner", "practitioner"],
    ...     "level": [4, 5, 3, 3, 2, 4]})
    >>> agg = aggregate_raters(df, min_ratings=2)
    >>> agg.frame[["case", "level", "basis"]]
       case  level               basis
    0     1    4.0  youth+practitioner
    1     2    3.0  youth+practitioner
    2     3    4.0        practitioner
    >>> agg.apa()
    "Scores were combined with rule 'np' into 3 evaluations (basis: youth + practitioner 2, practitioner 1); dropped for too few ratings: VIP (n = 1)."
    """
    keys = list(keys)
    needed_cols = [*keys, rater, level]
    absent = [c for c in needed_cols if c not in frame.columns]
    if absent:
        raise KeyError(f"columns {absent} not in the frame (columns: {list(frame.columns)})")
    r = get_rule(rule)
    used = r.raters(params)
    data = frame.copy()
    numbers = pd.to_numeric(data[level], errors="coerce").astype(float)
    problems = [Problem(i, level, data.at[i, level], "a GAS level (a number)")
                for i in data.index[numbers.isna() & data[level].notna()]]
    data[level] = numbers
    present = data[rater].notna()
    problems += [Problem(i, rater, data.at[i, rater], f"one of {RATERS}")
                 for i in data.index[present & ~data[rater].astype(str).isin(RATERS)]]
    if problems:
        raise DataValidationError(problems, context="rater aggregation")
    dup = data.duplicated([*keys, rater], keep=False)
    if dup.any():
        raise DataValidationError(
            [Problem(i, rater, data.at[i, rater], "one rating per rater and goal evaluation") for i in data.index[dup]],
            context="rater aggregation")
    rows: list[dict[str, Any]] = []
    n_ratings = data.dropna(subset=[level]).groupby(rater).size()
    for who, n in n_ratings.items():
        rows.append({"what": "ratings", "who": who, "n": int(n)})
    dropped = set(drop) | {str(w) for w, n in n_ratings.items() if n < min_ratings}
    for who in sorted(dropped):
        rows.append({"what": "dropped", "who": who, "n": int(n_ratings.get(who, 0))})
    keep = data[~data[rater].isin(dropped)]
    other = [c for c in data.columns if c not in needed_cols]
    base = data.drop_duplicates(keys)[keys + other].set_index(keys)
    if other:
        varying = [c for c in other if (data.groupby(keys, dropna=False)[c].nunique(dropna=False) > 1).any()]
        if varying:
            raise ValueError(f"columns {varying} differ between the ratings of one goal evaluation; "
                             "drop them or make them equal before combining raters")
    wide = keep.pivot(index=keys, columns=rater, values=level).reindex(base.index)
    for who in used:
        if who not in wide.columns:
            wide[who] = np.nan
    scores = {w: wide[w].to_numpy(dtype=float) for w in used}
    combined = r.func(scores, missing, **{**r.defaults, **params})
    present = np.vstack([~np.isnan(scores[w]) for w in used])
    basis = np.array(["+".join(w for w, p in zip(used, col, strict=True) if p) for col in present.T], dtype=object)
    out = base.copy()
    out[level] = combined
    out["basis"] = basis
    out = out.reset_index()
    for b, n in pd.Series(basis).value_counts(sort=False).items():
        rows.append({"what": "result", "who": b, "n": int(n)})
    rows.append({"what": "missing", "who": "", "n": int(np.isnan(combined).sum())})
    counts = pd.DataFrame(rows, columns=["what", "who", "n"])
    return RaterAggregation(out, counts, rule, missing)
