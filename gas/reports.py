"""Goal reports: the distribution of results per goal category, trajectories and dropout.

Each report is a :class:`evalstats.result.Result`: ``.table`` holds exact values,
``.spss_table(lang)`` the same numbers rounded as printed in the dissertation's result blocks
(003: 5806–5812: one percentage per level) and ``.apa(lang)`` a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalstats.errors import listed_rows
from evalstats.format import Lang, axes_decimal_mark, fmt_num
from evalstats.result import Result
from evalstats.tristate import yes_no_column
from gas.scale import GasScale, get_scale


def _frame_of(data: Any) -> pd.DataFrame:
    from gas.goals import GoalData
    from gas.raters import RaterAggregation

    if isinstance(data, GoalData):
        return data.frame
    if isinstance(data, RaterAggregation):
        return data.frame
    if isinstance(data, pd.DataFrame):
        return data
    raise TypeError(f"expected a DataFrame, GoalData or RaterAggregation, got {type(data).__name__}")


def _pct(n: float, d: float) -> float:
    return 100.0 * n / d if d else float("nan")


def _cell(x: float, decimals: int, lang: Lang, suffix: str = "") -> str:
    """A number as SPSS prints it in a table; an undefined value is an empty cell."""
    return "" if x is None or np.isnan(x) else fmt_num(x, decimals, lang) + suffix


def _level_col(v: float) -> str:
    return f"{v:+g}" if v else "0"


class LevelDistribution(Result):
    """Results per goal category: N, % per level, mean and SD of the analysis score, % improved.

    Attributes
    ----------
    table:
        One row per (group and) category: ``n_cases`` (cases with a scored goal in the
        category), ``n_goals`` (scored goal evaluations), ``n_missing`` (evaluations without a
        score, left out of the percentages), ``n_<level>`` and ``pct_<level>`` for every level,
        ``mean`` and ``sd`` (n − 1) of the analysis score (of the level when the scale has no
        analysis score) and ``pct_improved`` (level above the scale's baseline).
    counts:
        Long form: one row per category and level with ``n`` and ``pct``.

    Examples
    --------
    >>> import pandas as pd
    >>> from gas import level_distribution
    >>> df = pd.DataFrame({"case": range(4), "category": "child-1", "level": [2, 2, 1, -1]})
    >>> d = level_distribution(df, goal=None, taxonomy="reset")
    >>> d.table[["category", "n_goals", "pct_+2", "mean", "pct_improved"]]
      category  n_goals  pct_+2  mean  pct_improved
    0  child-1        4    50.0   4.0          75.0
    """

    titles = {"en": "GAS levels", "nl": "GAS-niveaus"}

    def __init__(self, table: pd.DataFrame, counts: pd.DataFrame, scale: GasScale, group: list[str],
                 labels: dict[str, dict[str, str]]):
        self._table = table
        self.counts = counts
        self.scale = scale
        self.group = group
        self.labels = labels

    @property
    def table(self) -> pd.DataFrame:
        return self._table

    def _cat_label(self, cat: str, lang: str) -> str:
        return self.labels.get(lang, {}).get(cat, cat)

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        rows = []
        for _, r in self._table.iterrows():
            row: dict[str, Any] = {g: r[g] for g in self.group}
            row["Doel" if lang == "nl" else "Goal"] = self._cat_label(r["category"], lang)
            row["N"] = int(r["n_goals"])
            for lv in reversed(self.scale.levels):
                row[getattr(lv, lang)] = _cell(r[f"pct_{_level_col(lv.value)}"], 1, lang, "%")
            row["M"] = _cell(r["mean"], 2, lang)
            row["SD"] = _cell(r["sd"], 2, lang)
            row["Verbeterd" if lang == "nl" else "Improved"] = _cell(r["pct_improved"], 1, lang, "%")
            rows.append(row)
        return pd.DataFrame(rows)

    def apa(self, lang: Lang = "en") -> str:
        top = self.scale.levels[-1]
        out = []
        for _, r in self._table.iterrows():
            cat = self._cat_label(r["category"], lang)
            where = "".join(f" ({g} {r[g]})" for g in self.group)
            n, n_top = int(r["n_goals"]), int(r[f"n_{_level_col(top.value)}"])
            if n == 0:
                out.append(f"Voor doel '{cat}'{where} is geen evaluatie met een score beschikbaar." if lang == "nl"
                           else f"Goal '{cat}'{where} has no evaluation with a score.")
                continue
            moments = f"M = {fmt_num(r['mean'], 2, lang)}" + (
                f"{'; ' if lang == 'nl' else ', '}SD = {fmt_num(r['sd'], 2, lang)}" if n > 1 else "")
            pct_top = fmt_num(r[f"pct_{_level_col(top.value)}"], 1, lang)
            imp = fmt_num(r["pct_improved"], 1, lang)
            if lang == "nl":
                out.append(f"Van de {n} geëvalueerde doelen '{cat}'{where} is bij {pct_top}% (N = {n_top}) "
                           f"'{top.nl.lower()}' gescoord en is bij {imp}% de situatie verbeterd "
                           f"({moments}).")
            else:
                out.append(f"Of the {n} evaluated goals '{cat}'{where}, {pct_top}% (N = {n_top}) were scored "
                           f"'{top.en.lower()}' and {imp}% improved ({moments}).")
        return " ".join(out)


def _select_period(df: pd.DataFrame, period: Any, keys: list[str]) -> pd.DataFrame:
    if period is None or "period" not in df.columns:
        return df
    if period == "first":
        idx = df.groupby(keys, sort=False)["period"].idxmin()
        return df.loc[idx.to_numpy()]
    if period == "last":
        idx = df.groupby(keys, sort=False)["period"].idxmax()
        return df.loc[idx.to_numpy()]
    return df[df["period"] == period]


def level_distribution(
    data: Any,
    category: str = "category",
    level: str = "level",
    case: str = "case",
    goal: str | None = "goal",
    group: str | Sequence[str] | None = None,
    scale: str | GasScale = "gas5",
    period: Any = None,
    taxonomy: Any = None,
) -> LevelDistribution:
    """The distribution of GAS results per goal category (optionally per group).

    Parameters
    ----------
    data:
        A DataFrame, :class:`gas.GoalData` or :class:`gas.RaterAggregation` with one level per
        goal evaluation (combine raters first).
    category, level, case, goal:
        Column names; ``level`` holds GAS levels of ``scale``.
    group:
        Column(s) to split by, e.g. organisation, profile or family type.
    period:
        Which evaluation of each goal to use when goals were evaluated in several periods:
        ``"first"``, ``"last"`` or a period number. None requires one evaluation per goal.
    taxonomy:
        A taxonomy (id) whose category names label the SPSS table and sentence.

    Examples
    --------
    >>> df = pd.DataFrame({"case": range(126), "category": "child-1",
    ...                    "level": [2] * 83 + [1] * 26 + [0] * 15 + [-1] * 2})
    >>> d = level_distribution(df, goal=None, taxonomy="reset")
    >>> d.counts["pct"].round(1).tolist()
    [0.0, 1.6, 11.9, 20.6, 65.9]
    >>> print(d.apa("nl"))
    Van de 126 geëvalueerde doelen 'De basiszorg voor kind is gewaarborgd.' is bij 65,9% (N = 83) 'doel geheel behaald' gescoord en is bij 86,5% de situatie verbeterd (M = 4,51; SD = 0,77).
    """
    df = _frame_of(data)
    s = get_scale(scale)
    groups = [group] if isinstance(group, str) else list(group or [])
    need = [category, level, case, *groups] + ([goal] if goal else [])
    absent = [c for c in need if c not in df.columns]
    if absent:
        raise KeyError(f"columns {absent} not in the data (columns: {list(df.columns)})")
    goal_keys = [case, goal] if goal else [case, category]
    if "rater" in df.columns:
        per = df.groupby([*goal_keys, *(["period"] if "period" in df.columns else [])])["rater"].nunique()
        if (per > 1).any():
            raise ValueError("several raters per goal evaluation: combine them first with gas.aggregate_raters")
    df = _select_period(df, period, goal_keys)
    dups = df.duplicated(goal_keys, keep=False)
    if dups.any():
        raise ValueError(f"{int(dups.sum())} rows are repeated evaluations of the same goal; "
                         "choose period='first', 'last' or a period number")
    x = pd.to_numeric(df[level], errors="coerce").to_numpy(dtype=float)
    bad = df[level].notna().to_numpy() & ~np.isin(x, s.values)
    if bad.any():
        raise ValueError(f"column {level!r}: {listed_rows(df.index[bad])} hold values that are not levels of "
                         f"GAS scale {s.id!r} ({s.values})")
    work = df[[case, category, *groups]].copy()
    work["_x"] = x
    score_map = {lv.value: (lv.score if lv.score is not None else lv.value) for lv in s.levels}
    work["_score"] = work["_x"].map(score_map)
    rows, long = [], []
    for key, sub in work.groupby([*groups, category], sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        present = sub[sub["_x"].notna()]
        n = len(present)
        row: dict[str, Any] = dict(zip([*groups, "category"], key, strict=True))
        row.update(n_cases=int(present[case].nunique()), n_goals=n, n_missing=int(len(sub) - n))
        for lv in s.levels:
            k = int((present["_x"] == lv.value).sum())
            row[f"n_{_level_col(lv.value)}"] = k
            row[f"pct_{_level_col(lv.value)}"] = _pct(k, n)
            long.append({**dict(zip([*groups, "category"], key, strict=True)), "level": lv.value,
                         "label_en": lv.en, "label_nl": lv.nl, "n": k, "pct": _pct(k, n)})
        sc = present["_score"].to_numpy(dtype=float)
        row["mean"] = float(sc.mean()) if n else float("nan")
        row["sd"] = float(sc.std(ddof=1)) if n > 1 else float("nan")
        row["pct_improved"] = _pct(int((present["_x"] > s.baseline).sum()), n)
        rows.append(row)
    labels: dict[str, dict[str, str]] = {}
    if taxonomy is not None:
        from gas.goals import get_taxonomy

        tax = get_taxonomy(taxonomy)
        labels = {lang: {c.id: (getattr(c, lang) or c.nl) for c in tax.categories} for lang in ("en", "nl")}
    return LevelDistribution(pd.DataFrame(rows), pd.DataFrame(long), s, groups, labels)


class TrajectoryCounts(Result):
    """How many cases were evaluated in each 3-month period, and how many stopped after it.

    ``table`` has one row per period number k: ``months`` (3k), ``n_evaluated`` (cases with an
    evaluation in period k), ``n_cases`` (cases whose last evaluation is in period k) and
    ``pct_cases``; the layout of the dissertation's table 86 (003: 9976–9985).

    Examples
    --------
    >>> import pandas as pd
    >>> from gas import trajectory_counts
    >>> df = pd.DataFrame({"case": [1, 1, 2, 3, 3, 3], "period": [1, 2, 1, 1, 2, 3]})
    >>> tc = trajectory_counts(df)
    >>> tc.table["n_evaluated"].tolist()
    [3, 2, 1]
    """

    titles = {"en": "Trajectories", "nl": "Trajecten"}

    def __init__(self, table: pd.DataFrame, months_per_period: int):
        self._table = table
        self.months_per_period = months_per_period

    @property
    def table(self) -> pd.DataFrame:
        return self._table

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        t = self._table
        nl = lang == "nl"
        out = pd.DataFrame({
            ("Begeleidingsduur in maanden" if nl else "Duration in months"): t["months"].astype(int),
            ("GAS-scores" if nl else "GAS evaluations"): t["n_evaluated"].astype(int),
            ("Aantal trajecten" if nl else "Number of periods"): t["period"].astype(int),
            ("Jongeren/gezinnen" if nl else "Cases"): t["n_cases"].astype(int),
            "%": [fmt_num(v, 1, lang) for v in t["pct_cases"]],
        })
        total = {c: "" for c in out.columns}
        first = out.columns[0]
        total[first] = "Totaal" if nl else "Total"
        total[out.columns[1]] = int(t["n_evaluated"].sum())
        total[out.columns[3]] = int(t["n_cases"].sum())
        total["%"] = fmt_num(100.0, 1, lang)
        return pd.concat([out.astype(object), pd.DataFrame([total])], ignore_index=True)

    def apa(self, lang: Lang = "en") -> str:
        t = self._table
        n_cases, n_eval = int(t["n_cases"].sum()), int(t["n_evaluated"].sum())
        one = t.iloc[0]
        if lang == "nl":
            return (f"De doelen van {n_cases} cliënten zijn {n_eval} keer geëvalueerd; "
                    f"{int(one['n_cases'])} ({fmt_num(one['pct_cases'], 1, lang)}%) hadden één periode "
                    f"van {self.months_per_period} maanden.")
        return (f"The goals of {n_cases} cases were evaluated {n_eval} times; "
                f"{int(one['n_cases'])} ({fmt_num(one['pct_cases'], 1, lang)}%) had one period of "
                f"{self.months_per_period} months.")


def trajectory_counts(data: Any, case: str = "case", period: str = "period",
                      months_per_period: int = 3) -> TrajectoryCounts:
    """Evaluations per period and cases per number of periods (the dissertation's table 86).

    Examples
    --------
    >>> df = pd.DataFrame({"case": [1, 1, 2, 3, 3, 3], "period": [1, 2, 1, 1, 2, 3]})
    >>> trajectory_counts(df).table
       period  months  n_evaluated  n_cases  pct_cases
    0       1       3            3        1  33.333333
    1       2       6            2        1  33.333333
    2       3       9            1        1  33.333333
    """
    df = _frame_of(data)
    p = pd.to_numeric(df[period], errors="raise")
    if p.isna().any() or (p < 1).any():
        raise ValueError(f"column {period!r} must hold period numbers 1, 2, … for every row")
    pairs = pd.DataFrame({"case": df[case].to_numpy(), "period": p.astype(int).to_numpy()}).drop_duplicates()
    last = pairs.groupby("case")["period"].max()
    k = np.arange(1, int(pairs["period"].max()) + 1)
    n_eval = pairs.groupby("period")["case"].nunique().reindex(k, fill_value=0)
    n_cases = last.value_counts().reindex(k, fill_value=0)
    total = int(n_cases.sum())
    table = pd.DataFrame({"period": k, "months": k * months_per_period, "n_evaluated": n_eval.to_numpy(),
                          "n_cases": n_cases.to_numpy(), "pct_cases": 100.0 * n_cases.to_numpy() / total})
    return TrajectoryCounts(table, months_per_period)


class Dropout(Result):
    """Premature ends: how many cases, and when (e.g. in which period or after which contact).

    ``table``: one row per (group and) moment of ending with ``n`` and ``pct_of_cases`` (of all
    cases) and ``pct_of_dropouts``; ``by_group`` (``summary`` before 0.2): per group ``n_cases``, ``n_dropout``, ``pct``,
    ``n_unknown_when`` (premature ends without a known moment).

    Examples
    --------
    >>> import pandas as pd
    >>> from gas import dropout
    >>> cases = pd.DataFrame({"case": range(10), "premature": [True] * 3 + [False] * 7,
    ...                       "contact": [1, 1, 3] + [None] * 7})
    >>> d = dropout(cases, when="contact")
    >>> d.by_group[["n_cases", "n_dropout", "pct"]].to_dict("records")
    [{'n_cases': 10, 'n_dropout': 3, 'pct': 30.0}]
    """

    titles = {"en": "Dropout", "nl": "Uitval"}

    def __init__(self, table: pd.DataFrame, by_group: pd.DataFrame, group: list[str], when: str | None):
        self._table = table
        self.by_group = by_group
        self.group = group
        self.when = when

    @property
    def table(self) -> pd.DataFrame:
        return self._table

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        nl = lang == "nl"
        out = self._table.copy()
        out["pct_of_cases"] = [fmt_num(v, 1, lang) for v in out["pct_of_cases"]]
        out["pct_of_dropouts"] = [fmt_num(v, 1, lang) for v in out["pct_of_dropouts"]]
        return out.rename(columns={
            "when": "Moment" if nl else "When", "n": "N",
            "pct_of_cases": "% van alle" if nl else "% of all", "pct_of_dropouts": "% van uitval" if nl else "% of dropouts"})

    def apa(self, lang: Lang = "en") -> str:
        out = []
        for _, r in self.by_group.iterrows():
            where = "".join(f" ({g} {r[g]})" for g in self.group)
            pct = fmt_num(r["pct"], 1, lang)
            if lang == "nl":
                out.append(f"Bij {int(r['n_dropout'])} van de {int(r['n_cases'])} cliënten{where} ({pct}%) "
                           "is het traject voortijdig afgebroken.")
            else:
                out.append(f"{int(r['n_dropout'])} of {int(r['n_cases'])} cases{where} ({pct}%) ended prematurely.")
        return " ".join(out)


def dropout(data: pd.DataFrame, case: str = "case", premature: str = "premature", when: str | None = None,
            group: str | Sequence[str] | None = None) -> Dropout:
    """Count premature ends of support, overall or per group, and when they happened.

    Parameters
    ----------
    data:
        One row per case (repeated rows of a case must agree).
    premature:
        Yes/no column: did support end prematurely? Booleans, 1/0 or yes/no text (ja/nee);
        missing or other values are an error naming the row.
    when:
        Optional column with the moment of ending (period number, contact number, …).

    Examples
    --------
    >>> cases = pd.DataFrame({"case": range(935), "premature": [True] * 135 + [False] * 800,
    ...                       "contact": [1] * 113 + [5] * 22 + [None] * 800})
    >>> d = dropout(cases, when="contact")
    >>> d.apa()
    '135 of 935 cases (14.4%) ended prematurely.'
    >>> d.table[["when", "n"]].to_dict("records")
    [{'when': 1.0, 'n': 113}, {'when': 5.0, 'n': 22}]
    """
    groups = [group] if isinstance(group, str) else list(group or [])
    cols = [case, premature, *groups] + ([when] if when else [])
    absent = [c for c in cols if c not in data.columns]
    if absent:
        raise KeyError(f"columns {absent} not in the data (columns: {list(data.columns)})")
    per_case = data[cols].drop_duplicates()
    if per_case[case].duplicated().any():
        bad = per_case.loc[per_case[case].duplicated(), case].unique()[:10].tolist()
        raise ValueError(f"cases {bad} have conflicting rows; give one row per case")
    # booleans, 1/0 or yes/no text (ja/nee...): a text "no" must not count as a dropout
    flag = yes_no_column(per_case[premature], premature).astype(bool)
    summary_rows, rows = [], []
    keyed = per_case.assign(_flag=flag.to_numpy())
    for key, sub in (keyed.groupby(groups, sort=True) if groups else [((), keyed)]):
        key = key if isinstance(key, tuple) else (key,)
        base = dict(zip(groups, key, strict=True))
        n, k = len(sub), int(sub["_flag"].sum())
        drops = sub[sub["_flag"]]
        unknown = int(drops[when].isna().sum()) if when else k
        summary_rows.append({**base, "n_cases": n, "n_dropout": k, "pct": _pct(k, n), "n_unknown_when": unknown})
        if when:
            for w, m in drops[when].dropna().value_counts().sort_index().items():
                rows.append({**base, "when": w, "n": int(m), "pct_of_cases": _pct(m, n), "pct_of_dropouts": _pct(m, k)})
            if unknown:
                rows.append({**base, "when": None, "n": unknown, "pct_of_cases": _pct(unknown, n),
                             "pct_of_dropouts": _pct(unknown, k)})
        else:
            rows.append({**base, "when": None, "n": k, "pct_of_cases": _pct(k, n), "pct_of_dropouts": 100.0 if k else np.nan})
    table = pd.DataFrame(rows, columns=[*groups, "when", "n", "pct_of_cases", "pct_of_dropouts"])
    return Dropout(table, pd.DataFrame(summary_rows), groups, when)


def plot_levels(dist: LevelDistribution, ax: Any = None, lang: Lang = "en", colors: Sequence[str] | None = None,
                hide: Any = None, hidden_label: str = "suppressed"):
    """Stacked horizontal bars: one bar per goal category, one segment per level (in %).

    Returns the matplotlib Axes. Segments are drawn from the best level to the worst, left to
    right, each as wide as its percentage, so every bar ends at 100 %. ``lang`` chooses the
    level and category names and the decimal mark of the tick labels.

    ``hide`` (boolean, one row per category of ``dist.table`` and one column per level of the
    scale, lowest level first) marks segments that must not be shown (small cells): the shown
    segments are drawn next to each other and the hidden ones as one grey segment labelled
    ``hidden_label`` at the end of the bar, so no hidden segment can be measured.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> df = pd.DataFrame({"case": range(4), "category": "child-1", "level": [2, 2, 1, 0]})
    >>> ax = plot_levels(level_distribution(df, goal=None))
    >>> [float(round(p.get_width(), 1)) for p in ax.patches]
    [50.0, 25.0, 25.0, 0.0, 0.0]
    >>> hide = [[False, False, True, True, False]]  # levels -2, -1, 0, +1, +2
    >>> ax = plot_levels(level_distribution(df, goal=None), hide=hide)
    >>> [float(round(p.get_width(), 1)) for p in ax.patches]
    [50.0, 0.0, 0.0, 0.0, 0.0, 50.0]
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.6 + 0.5 * len(dist.table)))
    s = dist.scale
    levels = list(reversed(s.levels))
    colors = list(colors) if colors is not None else list(plt.get_cmap("RdYlGn_r")(np.linspace(0.05, 0.95, len(levels))))
    t = dist.table
    names = [dist._cat_label(c, lang) + "".join(f" ({t.at[i, g]})" for g in dist.group)
             for i, c in zip(t.index, t["category"], strict=True)]
    y = np.arange(len(t))
    left = np.zeros(len(t))
    hidden = np.zeros((len(t), len(s.levels)), dtype=bool) if hide is None else np.asarray(hide, dtype=bool)
    if hidden.shape != (len(t), len(s.levels)):
        raise ValueError(f"hide must have {len(t)} rows (categories) and {len(s.levels)} columns (levels), "
                         f"got shape {hidden.shape}")
    rest = np.zeros(len(t))
    for lv, color in zip(levels, colors, strict=False):
        widths = np.nan_to_num(t[f"pct_{_level_col(lv.value)}"].to_numpy(dtype=float))
        off = hidden[:, s.levels.index(lv)]
        rest += np.where(off, widths, 0.0)
        widths = np.where(off, 0.0, widths)
        ax.barh(y, widths, left=left, color=color, label=getattr(lv, lang), edgecolor="white")
        left = left + widths
    if hidden.any():
        ax.barh(y, rest, left=left, color="#bbbbbb", hatch="//", label=hidden_label, edgecolor="white")
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=min(len(levels), 3), fontsize="small")
    return axes_decimal_mark(ax, lang)
