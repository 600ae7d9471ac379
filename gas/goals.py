"""Goal taxonomies as data and validated long-format goal data.

A :class:`GoalTaxonomy` lists goal categories (with Dutch and English names) in groups — ReSet's
modules, NP's four domains. Built-ins are the TOML files in ``gas/taxonomies/``; plugins register
more under the entry-point group ``zorgeval.gas_taxonomies``.

:func:`validate_goals` checks a long table (one row per rating of one goal of one case in one
period) and returns :class:`GoalData` with canonical column names. Every bad cell is reported in
one :class:`evalstats.errors.DataValidationError`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

from evalstats.errors import DataValidationError, Problem, withheld
from evalstats.registry import Registry
from gas.parse import place_values
from gas.phrases import normalise_phrase
from gas.scale import get_scale

ENTRY_POINT_GROUP = "zorgeval.gas_taxonomies"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoalGroup(_Model):
    """A group of goal categories: a ReSet module or an NP domain.

    Examples
    --------
    >>> from gas import get_taxonomy
    >>> get_taxonomy("reset").groups[0].id
    'opvoeden'
    >>> GoalGroup(id="basics", nl="Basis op orde", en="Basics in order").en
    'Basics in order'
    """

    id: str
    nl: str
    en: str = ""


class GoalCategory(_Model):
    """A goal category; ``parent`` marks a sub-goal (or a goal merged into a broader one).

    Examples
    --------
    >>> from gas import get_taxonomy
    >>> sub = [c for c in get_taxonomy("reset").categories if c.parent][0]
    >>> sub.id, sub.parent, sub.group
    ('family-1a', 'family-1', 'communicatie')
    """

    id: str
    nl: str
    en: str = ""
    group: str | None = None
    parent: str | None = None


class GoalTaxonomy(_Model):
    """A set of goal categories in groups.

    Examples
    --------
    >>> t = get_taxonomy("reset")
    >>> t.label("child-1", "nl")
    'De basiszorg voor kind is gewaarborgd.'
    >>> t.group_of("parent-7")
    'financien'
    >>> len(get_taxonomy("np").groups)
    4
    """

    id: str
    nl: str = ""
    en: str = ""
    source: str = ""
    groups: list[GoalGroup] = []
    categories: list[GoalCategory]

    @model_validator(mode="after")
    def _consistent(self) -> GoalTaxonomy:
        ids = [c.id for c in self.categories]
        dup = sorted(i for i, n in Counter(ids).items() if n > 1)
        if dup:
            raise ValueError(f"taxonomy {self.id!r}: category ids repeated: {dup}")
        groups = {g.id for g in self.groups}
        bad_group = [c.id for c in self.categories if c.group is not None and c.group not in groups]
        if bad_group:
            raise ValueError(f"taxonomy {self.id!r}: categories {bad_group} name an unknown group")
        bad_parent = [c.id for c in self.categories if c.parent is not None and c.parent not in ids]
        if bad_parent:
            raise ValueError(f"taxonomy {self.id!r}: categories {bad_parent} name an unknown parent")
        return self

    @property
    def category_ids(self) -> list[str]:
        """Every category id, in definition order."""
        return [c.id for c in self.categories]

    def category(self, cat_id: str) -> GoalCategory:
        """The category with this id (unknown ids raise, listing the known ones)."""
        for c in self.categories:
            if c.id == cat_id:
                return c
        raise KeyError(f"{cat_id!r} is not a category of taxonomy {self.id!r}; known: {', '.join(self.category_ids)}")

    def label(self, cat_id: str, lang: str = "en") -> str:
        """The name of a category in ``"en"`` or ``"nl"``."""
        c = self.category(cat_id)
        return getattr(c, lang) or c.nl

    def group_of(self, cat_id: str) -> str | None:
        """The group (module, domain) of a category."""
        return self.category(cat_id).group


TAXONOMIES: Registry[GoalTaxonomy] = Registry(
    GoalTaxonomy,
    "goal taxonomy",
    builtin_dir=Path(__file__).parent / "taxonomies",
    entry_point_group=ENTRY_POINT_GROUP,
)


def get_taxonomy(taxonomy: str | GoalTaxonomy) -> GoalTaxonomy:
    """Find a goal taxonomy by id (a taxonomy passes through).

    Examples
    --------
    >>> get_taxonomy("np").category_ids[:3]
    ['basics-1', 'basics-2', 'basics-3']
    """
    if isinstance(taxonomy, GoalTaxonomy):
        return taxonomy
    return TAXONOMIES.get(taxonomy)


def load_taxonomy(path: str | Path, register: bool = True) -> GoalTaxonomy:
    """Read and validate a goal taxonomy file (TOML or JSON) and, by default, register it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mine.toml"
    >>> _ = p.write_text('id = "mine-doc"\\n[[categories]]\\nid = "g1"\\nnl = "Werk"\\n')
    >>> load_taxonomy(p, register=False).category_ids
    ['g1']
    """
    return TAXONOMIES.load(path, register=register)


def list_taxonomies() -> list[str]:
    """Ids of every goal taxonomy that can be found.

    Examples
    --------
    >>> {"reset", "np"} <= set(list_taxonomies())
    True
    """
    return TAXONOMIES.ids()


RATER_SYNONYMS: dict[str, str] = {
    **{w: "youth" for w in ("youth", "jongere", "jeugdige", "young person", "client", "cliënt")},
    **{w: "parent" for w in ("parent", "parents", "ouder", "ouders", "verzorger")},
    **{w: "practitioner" for w in ("practitioner", "begeleider", "thuisbegeleider", "jit", "worker",
                                     "professional", "hulpverlener", "np begeleider")},
    **{w: "vip" for w in ("vip", "netwerk", "network")},
    **{w: "joint" for w in ("joint", "gezamenlijk", "samen", "ouder en begeleider", "parent and practitioner")},
}

_TRUE = {"1", "ja", "yes", "true", "waar", "j", "y", "gestart", "started"}
_FALSE = {"0", "nee", "no", "false", "onwaar", "n", "niet gestart", "not started"}


@dataclass(frozen=True)
class GoalData:
    """Validated long goal data.

    Attributes
    ----------
    frame:
        Canonical columns ``case``, ``goal``, ``category``, ``group``, ``rater``, ``period``,
        ``level`` (GAS level, NaN if missing), ``score`` (analysis score, if the scale has one),
        ``weight`` and ``activities`` (boolean, NA if unknown), plus ``date`` when given.
    scale, taxonomy:
        Ids of the GAS scale and goal taxonomy the data were checked against.
    n_missing_level:
        Ratings without a level (kept, as NaN).

    Examples
    --------
    >>> import pandas as pd
    >>> from gas import validate_goals
    >>> df = pd.DataFrame({"case": ["F1", "F1", "F2"], "goal": ["a", "b", "a"],
    ...     "category": ["child-1", "parent-7", "child-1"],
    ...     "level": ["doel geheel behaald", "achteruitgang", None]})
    >>> gd = validate_goals(df, rater=None, default_rater="joint", period=None)
    >>> gd.scale, gd.taxonomy, gd.n_missing_level
    ('gas5', 'reset', 1)
    >>> gd.frame[["case", "category", "level", "score"]]
      case  category  level  score
    0   F1   child-1    2.0    5.0
    1   F1  parent-7   -1.0    2.0
    2   F2   child-1    NaN    NaN
    """

    frame: pd.DataFrame
    scale: str
    taxonomy: str
    n_missing_level: int

    def aggregate_raters(self, rule: str = "np", **kwargs: Any):
        """Combine raters with :func:`gas.aggregate_raters` on the canonical columns."""
        from gas.raters import aggregate_raters

        cols = [c for c in self.frame.columns if c != "score"]
        agg = aggregate_raters(self.frame[cols], rule=rule, keys=("case", "goal", "period"), **kwargs)
        s = get_scale(self.scale)
        if s.scores is not None:
            from gas.scale import to_score

            rounded = agg.frame["level"].isin(s.values) | agg.frame["level"].isna()
            agg.frame["score"] = np.nan
            agg.frame.loc[rounded, "score"] = to_score(agg.frame.loc[rounded, "level"], s)
        return agg


def _periods_from_dates(case: pd.Series, dates: pd.Series, start: pd.Series | None) -> pd.Series:
    if start is not None:
        months = (dates.dt.year - start.dt.year) * 12 + (dates.dt.month - start.dt.month)
        months = months - (dates.dt.day < start.dt.day).astype(int)
        return (np.ceil(months.clip(lower=1) / 3)).astype("Int64")
    return dates.groupby(case).rank(method="dense").astype("Int64")


def validate_goals(
    frame: pd.DataFrame,
    taxonomy: str | GoalTaxonomy = "reset",
    scale: Any = "gas5",
    case: str = "case",
    goal: str = "goal",
    category: str = "category",
    level: str = "level",
    rater: str | None = "rater",
    default_rater: str | None = None,
    period: str | None = "period",
    date: str | None = None,
    start: str | None = None,
    weight: str | None = None,
    activities: str | None = None,
    synonyms: dict[str, float] | None = None,
    missing: tuple[str, ...] = (),
) -> GoalData:
    """Check long goal data and return it with canonical columns; every bad cell is reported.

    Parameters
    ----------
    frame:
        One row per rating: case id, goal id, goal category, rater, period (or date), level.
    taxonomy:
        Goal taxonomy the categories are checked against (``"reset"``, ``"np"``, or your own).
    scale:
        GAS scale of the levels; levels may be numbers or wording (see :func:`gas.parse_levels`,
        with ``synonyms`` and ``missing``).
    case, goal, category, level:
        Column names (required).
    rater:
        Column with youth / parent / practitioner / vip / joint (Dutch accepted: jongere, ouder,
        begeleider, JIT, gezamenlijk). None: every row is ``default_rater``.
    period:
        Column with the 3-month period (1 = first three months). If None, periods are derived
        from ``date``: from ``start`` (the start of support) as ⌈months/3⌉, or else as the order
        of the case's evaluation dates.
    weight:
        Optional column of positive goal weights (default 1).
    activities:
        Optional column: were activities started on the goal (ja/nee, yes/no, 1/0, True/False).

    Raises
    ------
    DataValidationError
        All problems at once: (row, column, value, expected).

    Examples
    --------
    >>> df = pd.DataFrame({"case": ["F1", "F1", "F2"], "goal": ["a", "b", "a"],
    ...     "category": ["child-1", "parent-7", "child-1"],
    ...     "level": ["doel geheel behaald", "achteruitgang", 1]})
    >>> gd = validate_goals(df, rater=None, default_rater="joint", period=None)
    >>> gd.frame[["case", "category", "rater", "period", "level", "score"]]
      case category  rater  period  level  score
    0   F1  child-1  joint       1    2.0    5.0
    1   F1 parent-7  joint       1   -1.0    2.0
    2   F2  child-1  joint       1    1.0    4.0
    >>> bad = df.assign(category=["child-1", "child-9", "child-1"], level=["goed!", "vooruit", 7])
    >>> validate_goals(bad, rater=None, default_rater="joint", period=None)
    Traceback (most recent call last):
    ...
    evalstats.errors.DataValidationError: 3 problems in goal data:
      row 1, column 'category': got 'child-9', expected a category of taxonomy 'reset' ...
      row 1, column 'level': got 'vooruit', expected a level of scale 'gas5' ...
      row 2, column 'level': got 7, expected a level of scale 'gas5' ...
    """
    tax = get_taxonomy(taxonomy)
    s = get_scale(scale)
    problems: list[Problem] = []
    named = {"case": case, "goal": goal, "category": category, "level": level, "rater": rater,
             "period": period, "date": date, "start": start, "weight": weight, "activities": activities}
    absent = [c for c in named.values() if c is not None and c not in frame.columns]
    if absent:
        raise KeyError(f"columns {absent} not in the goal data (columns: {list(frame.columns)})")
    if rater is None and default_rater is None:
        raise ValueError("give a rater column or a default_rater")
    idx = frame.index
    out = pd.DataFrame(index=idx)

    for canon, col in (("case", case), ("goal", goal)):
        values = frame[col]
        for i in idx[values.isna().to_numpy()]:
            problems.append(Problem(i, col, None, f"a {canon} id"))
        out[canon] = values.to_numpy(dtype=object)

    cats = frame[category].astype(object)
    known = set(tax.category_ids)
    ok_cat = cats.isin(known).to_numpy()
    for i, v in zip(idx[~ok_cat], cats[~ok_cat], strict=True):
        problems.append(Problem(i, category, None if pd.isna(v) else v,
                                f"a category of taxonomy {tax.id!r} ({', '.join(tax.category_ids)})"))
    out["category"] = cats.to_numpy()
    group_of = {c.id: c.group for c in tax.categories}
    out["group"] = [group_of.get(c) for c in cats]

    if rater is None:
        if default_rater not in ("youth", "parent", "practitioner", "vip", "joint"):
            raise ValueError(f"default_rater must be one of youth, parent, practitioner, vip, joint; got {default_rater!r}")
        out["rater"] = default_rater
    else:
        raw = frame[rater].astype(object)
        mapped = [RATER_SYNONYMS.get(normalise_phrase(v)) if isinstance(v, str) else None for v in raw]
        for i, v, m in zip(idx, raw, mapped, strict=True):
            if m is None:
                problems.append(Problem(i, rater, None if pd.isna(v) else v,
                                        "a rater: youth, parent, practitioner, vip or joint (or jongere, ouder, begeleider, JIT, gezamenlijk)"))
        out["rater"] = mapped

    dates = None
    if date is not None:
        dates = pd.to_datetime(frame[date], errors="coerce")
        for i in idx[dates.isna().to_numpy()]:
            problems.append(Problem(i, date, withheld(frame.at[i, date]), "a date"))
        out["date"] = dates.to_numpy()
    if period is not None:
        p = pd.to_numeric(frame[period], errors="coerce")
        good = p.notna() & (p >= 1) & (p == np.floor(p))
        for i in idx[~good.to_numpy()]:
            problems.append(Problem(i, period, frame.at[i, period], "a period number 1, 2, 3, … (3-month periods)"))
        out["period"] = p.where(good).astype("Int64").to_numpy()
    elif dates is not None:
        starts = None
        if start is not None:
            starts = pd.to_datetime(frame[start], errors="coerce")
            for i in idx[starts.isna().to_numpy()]:
                problems.append(Problem(i, start, withheld(frame.at[i, start]), "a start date"))
        out["period"] = _periods_from_dates(frame[case], dates, starts).to_numpy()
    else:
        out["period"] = 1

    raw_levels = frame[level].astype(object).to_numpy()
    lv, miss, bad = place_values(raw_levels, s, synonyms, missing)
    for i in np.flatnonzero(bad):
        problems.append(Problem(idx[i], level, raw_levels[i],
                                f"a level of scale {s.id!r} ({s.values}) or its wording"))
    out["level"] = lv
    if s.scores is not None:
        score_of = {lvl.value: lvl.score for lvl in s.levels}
        out["score"] = [score_of.get(x, np.nan) for x in lv]

    if weight is not None:
        w = pd.to_numeric(frame[weight], errors="coerce")
        good = w.notna() & np.isfinite(w) & (w > 0)
        for i in idx[~good.to_numpy()]:
            problems.append(Problem(i, weight, frame.at[i, weight], "a positive weight"))
        out["weight"] = w.to_numpy(dtype=float)
    else:
        out["weight"] = 1.0

    if activities is not None:
        acts = []
        for i, v in zip(idx, frame[activities].astype(object), strict=True):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                acts.append(pd.NA)
            elif isinstance(v, bool | np.bool_):
                acts.append(bool(v))
            elif normalise_phrase(str(v)) in _TRUE or (isinstance(v, int | float) and v == 1):
                acts.append(True)
            elif normalise_phrase(str(v)) in _FALSE or (isinstance(v, int | float) and v == 0):
                acts.append(False)
            else:
                acts.append(pd.NA)
                problems.append(Problem(i, activities, v, "yes/no (ja/nee, 1/0, True/False) or missing"))
        out["activities"] = pd.array(acts, dtype="boolean")

    key = out[["case", "goal", "rater", "period"]]
    if not problems:
        dup = key.duplicated(keep=False).to_numpy()
        for i in idx[dup]:
            problems.append(Problem(i, None, tuple(key.loc[i]), "one rating per case, goal, rater and period"))
        cat_per_goal = out.groupby(["case", "goal"], sort=False)["category"].nunique()
        for (c, g) in cat_per_goal.index[cat_per_goal.to_numpy() > 1]:
            rows = idx[((out["case"] == c) & (out["goal"] == g)).to_numpy()]
            problems.append(Problem(list(rows), category, (c, g), "one category per goal of a case"))
    if problems:
        pos = {label: k for k, label in enumerate(idx)}
        cols = {c: k for k, c in enumerate(frame.columns)}

        def order(pr: Problem) -> tuple[int, int]:
            row = pr.row[0] if isinstance(pr.row, list) else pr.row
            return pos.get(row, len(pos)), cols.get(pr.column, len(cols))

        problems.sort(key=order)
        raise DataValidationError(problems, context="goal data")
    out = out.reset_index(drop=True)
    return GoalData(out, s.id, tax.id, int(miss.sum()))
