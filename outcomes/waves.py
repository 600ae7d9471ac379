"""Repeated measurements: a wave design, long data checked against it, response and attrition.

Long data hold one row per person and wave: ``family``, ``person``, ``role`` (``child`` or
``parent``), ``wave`` (a label of the design) and ``date`` (of the measurement), besides the
answers and covariates. :func:`validate_waves` checks them; :func:`wave_response` counts per wave
who was measured, the response as a share of T0, and the attrition (who was measured at T0 and
still at Tk); :func:`outcome_by_wave` gives per wave N, mean with its confidence interval and the
share on the problematic side of the cut-off.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator
from scipy import stats

from evalstats.errors import NOT_SHOWN, DataValidationError, Problem, listed_rows
from evalstats.format import Lang, fmt_num
from evalstats.result import Result
from outcomes.scoring import OutcomeScores

__all__ = ["Background", "WaveData", "WaveDesign", "WaveOutcome", "WaveResponse", "background_characteristics", "outcome_by_wave",
           "validate_waves", "wave_response"]

ROLES = ("child", "parent")


class WaveDesign(BaseModel):
    """The waves of a study in order, the first the baseline, with the planned months after it.

    Examples
    --------
    >>> d = WaveDesign()
    >>> d.labels, d.months, d.baseline
    (['T0', 'T1', 'T2', 'T3', 'T4'], [0, 6, 12, 18, 24], 'T0')
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    labels: list[str] = Field(default_factory=lambda: ["T0", "T1", "T2", "T3", "T4"], min_length=2)
    months: list[float] = Field(default_factory=lambda: [0, 6, 12, 18, 24])

    @model_validator(mode="after")
    def _consistent(self) -> WaveDesign:
        if len(set(self.labels)) != len(self.labels):
            raise ValueError(f"wave labels listed twice in {self.labels}")
        if len(self.months) != len(self.labels):
            raise ValueError(f"{len(self.labels)} wave labels but {len(self.months)} months")
        return self

    @property
    def baseline(self) -> str:
        """The first wave."""
        return self.labels[0]


@dataclass
class WaveData:
    """Long data checked against a wave design.

    Attributes
    ----------
    frame : DataFrame
        The rows as given (their index kept), with ``wave`` an ordered categorical of the
        design's labels and ``date`` parsed; columns renamed to ``family``, ``person``,
        ``role``, ``wave`` and ``date``.
    design : WaveDesign

    Examples
    --------
    >>> d = pd.DataFrame({"family": [1, 1], "person": ["c1", "c1"], "role": "child",
    ...                   "wave": ["T0", "T1"], "date": ["2019-01-10", "2019-07-12"]})
    >>> validate_waves(d).frame["wave"].tolist()
    ['T0', 'T1']
    """

    frame: pd.DataFrame
    design: WaveDesign

    def subset(self, mask: pd.Series) -> WaveData:
        """The rows where ``mask`` (aligned on the index) is true."""
        keep = mask.reindex(self.frame.index, fill_value=False).astype(bool)
        return WaveData(self.frame[keep.to_numpy()], self.design)


def validate_waves(data: pd.DataFrame, design: WaveDesign | None = None, *,
                   family: str = "family", person: str = "person", role: str = "role",
                   wave: str = "wave", date: str | None = "date",
                   intake: str | None = None) -> WaveData:
    """Check long repeated-measurement data against a wave design.

    A row's date may not lie before the intake: the ``intake`` column when given, else the
    family's first baseline date. Problems name the row by the frame's index.

    Raises
    ------
    DataValidationError
        A column is missing; a family, person or wave is empty; a wave label is not in the
        design; a role is not ``child``/``parent``; a person is measured twice at one wave or
        belongs to two families or roles; a date is not a date or lies before the intake.

    Examples
    --------
    >>> d = pd.DataFrame({"family": [1, 1, 1], "person": ["c1", "c1", "c1"], "role": "child",
    ...                   "wave": ["T0", "T1", "T6"], "date": ["2019-01-10", "2018-07-12", None]})
    >>> validate_waves(d)
    Traceback (most recent call last):
    ...
    evalstats.errors.DataValidationError: 2 problems in the wave data:
      row 2, column 'wave': got 'T6', expected a wave of the design (T0, T1, T2, T3, T4)
      row 1, column 'date': expected a date on or after the intake (the value is not shown)
    """
    design = design or WaveDesign()
    names = {family: "family", person: "person", role: "role", wave: "wave"}
    if date is not None:
        names[date] = "date"
    if intake is not None:
        names[intake] = "intake"
    missing = [c for c in names if c not in data.columns]
    if missing:
        raise DataValidationError([Problem(None, c, "missing column", "a column of the wave data")
                                   for c in missing], context="the wave data")
    frame = data.rename(columns=names)
    problems: list[Problem] = []
    for col, orig in (("family", family), ("person", person), ("wave", wave), ("role", role)):
        for row in frame.index[frame[col].isna().to_numpy()]:
            problems.append(Problem(row, orig, None, f"a {col}"))
    w = frame["wave"].astype("string")
    bad = w.notna() & ~w.isin(design.labels)
    labels = ", ".join(design.labels)
    for row in frame.index[bad.to_numpy()]:
        problems.append(Problem(row, wave, frame.loc[row, "wave"], f"a wave of the design ({labels})"))
    r = frame["role"].astype("string")
    for row in frame.index[(r.notna() & ~r.isin(ROLES)).to_numpy()]:
        problems.append(Problem(row, role, frame.loc[row, "role"], "child or parent"))
    ok = frame["person"].notna() & w.notna()
    keys = frame.loc[ok, ["person", "wave"]].astype(str)
    dup = keys.duplicated(keep=False)
    for (p, wv), grp in keys[dup].groupby(["person", "wave"], sort=False):
        rows = list(grp.index)
        problems.append(Problem(rows[-1], wave, wv, f"one row per person and wave; person {p!r} "
                                f"has {len(rows)} rows at {wv} ({listed_rows(rows)})"))
    per = frame[frame["person"].notna()].astype({"person": str})
    for col in ("family", "role"):
        n = per.groupby("person")[col].nunique()
        for p in n.index[n > 1]:
            rows = per.index[(per["person"] == p).to_numpy()]
            problems.append(Problem(rows[-1], {"family": family, "role": role}[col],
                                    per.loc[rows[-1], col],
                                    f"one {col} per person; person {p!r} has {n[p]} "
                                    f"({listed_rows(list(rows))})"))
    frame["wave"] = pd.Categorical(frame["wave"].where(~bad), categories=design.labels,
                                   ordered=True)
    if date is not None:
        problems += _dates(frame, design, date, intake)
    if problems:
        raise DataValidationError(problems, context="the wave data")
    return WaveData(frame, design)


def _dates(frame: pd.DataFrame, design: WaveDesign, date: str, intake: str | None) -> list[Problem]:
    out: list[Problem] = []
    parsed = {}
    for col, orig in (("date", date), ("intake", intake)):
        if orig is None:
            continue
        raw = frame[col]
        conv = pd.to_datetime(raw, errors="coerce", dayfirst=False, format="mixed")
        for row in frame.index[(raw.notna() & conv.isna()).to_numpy()]:
            out.append(Problem(row, orig, NOT_SHOWN, "a date (YYYY-MM-DD)"))
        frame[col] = conv
        parsed[col] = conv
    if intake is not None:
        start = parsed["intake"]
    else:
        base = frame[frame["wave"] == design.baseline]
        first = base.groupby("family", observed=True)["date"].min()
        start = frame["family"].map(first)
    early = parsed["date"].notna() & start.notna() & (parsed["date"] < start)
    for row in frame.index[early.to_numpy()]:
        out.append(Problem(row, date, NOT_SHOWN, "a date on or after the intake"))
    return out


def _pct(n: float, base: float) -> float:
    return 100.0 * n / base if base else np.nan


@dataclass
class WaveResponse(Result):
    """Per group (role) and wave: who was measured, response and attrition.

    ``table`` columns: ``group``, ``wave``, ``n`` (measured at the wave), ``pct_of_baseline``
    (``n`` as a share of the baseline count), ``n_retained`` (measured at the baseline and at
    this wave), ``pct_retained`` (of the baseline count) and ``n_new`` (measured at this wave
    but not at the baseline). Units are persons (or families with ``unit="family"``).

    Examples
    --------
    >>> d = pd.DataFrame({"family": [1, 1, 2, 2], "person": ["a", "a", "b", "c"],
    ...                   "role": "child", "wave": ["T0", "T1", "T0", "T1"]})
    >>> r = wave_response(validate_waves(d, date=None))
    >>> r.table[["wave", "n", "n_retained", "n_new"]].values.tolist()[:2]
    [['T0', 2, 2, 0], ['T1', 2, 1, 1]]
    """

    titles = {"en": "Response and attrition", "nl": "Respons en uitval"}

    counts: pd.DataFrame
    unit: str

    @property
    def table(self) -> pd.DataFrame:
        """Counts and percentages per group and wave."""
        return self.counts

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """``n (%)`` per wave (columns) and group (rows), the retained ones beneath."""
        nl = lang == "nl"
        rows = {}
        for g, t in self.counts.groupby("group", sort=False):
            label = _GROUP[lang].get(g, g)
            rows[f"{label}: n (%)"] = [f"{r.n} ({fmt_num(r.pct_of_baseline, 1, lang)})"
                                       for r in t.itertuples()]
            rows[f"{label}: {'nog in onderzoek' if nl else 'retained'} n (%)"] = [
                f"{r.n_retained} ({fmt_num(r.pct_retained, 1, lang)})" for r in t.itertuples()]
            cols = list(t["wave"])
        return pd.DataFrame(rows, index=cols).T

    def apa(self, lang: Lang = "en") -> str:
        """The last wave's response per group, as a share of the baseline."""
        parts = []
        for g, t in self.counts.groupby("group", sort=False):
            first, last = t.iloc[0], t.iloc[-1]
            label = _GROUP[lang].get(g, g)
            if lang == "nl":
                parts.append(f"{label}: {first.n} bij {first.wave}, {last.n_retained} "
                             f"({fmt_num(last.pct_retained, 1, lang)}%) nog bij {last.wave}.")
            else:
                parts.append(f"{label}: {first.n} at {first.wave}, {last.n_retained} "
                             f"({fmt_num(last.pct_retained, 1, lang)}%) still at {last.wave}.")
        return " ".join(parts)


_GROUP = {"en": {"child": "Children", "parent": "Parents", "all": "All"},
          "nl": {"child": "Kinderen", "parent": "Ouders", "all": "Allen"}}


def wave_response(waves: WaveData, *, by: str | None = "role", unit: str = "person"
                  ) -> WaveResponse:
    """Response and attrition per wave: measured, share of the baseline, retained since it.

    ``unit`` is ``person`` or ``family`` (a family counts at a wave when any member was
    measured); ``by`` a grouping column (default the role), or None for all rows together.

    Examples
    --------
    >>> d = pd.DataFrame({"family": [1, 1, 1, 2], "person": ["m", "c", "m", "n"],
    ...                   "role": ["parent", "child", "parent", "parent"],
    ...                   "wave": ["T0", "T0", "T1", "T0"]})
    >>> r = wave_response(validate_waves(d, date=None), by=None, unit="family")
    >>> r.table[["wave", "n", "pct_of_baseline"]].values.tolist()[:2]
    [['T0', 2, 100.0], ['T1', 1, 50.0]]
    """
    if unit not in ("person", "family"):
        raise ValueError(f"unit: expected 'person' or 'family', got {unit!r}")
    f = waves.frame
    groups = f[by] if by is not None else pd.Series("all", index=f.index)
    rows = []
    base_label = waves.design.baseline
    for g in pd.unique(groups.dropna()):
        sub = f[(groups == g).to_numpy()]
        at = {w: set(sub.loc[(sub["wave"] == w).to_numpy(), unit]) for w in waves.design.labels}
        base = at[base_label]
        for w in waves.design.labels:
            kept = at[w] & base
            rows.append({"group": g, "wave": w, "n": len(at[w]),
                         "pct_of_baseline": _pct(len(at[w]), len(base)),
                         "n_retained": len(kept), "pct_retained": _pct(len(kept), len(base)),
                         "n_new": len(at[w] - base)})
    return WaveResponse(pd.DataFrame(rows), unit)


@dataclass
class WaveOutcome(Result):
    """Per wave: N, mean, SD, the t-based confidence interval of the mean, and the number and
    share of scores on the problematic side of their cut-off (of those with a cut-off).

    Examples
    --------
    >>> d = pd.DataFrame({"family": [1, 1, 2, 2], "person": ["a", "a", "b", "b"],
    ...                   "role": "parent", "wave": ["T0", "T1", "T0", "T1"], "age": 30}
    ...                  | {f"who5_{i}": [1, 3, 2, 4] for i in range(1, 6)})
    >>> from outcomes.scoring import score_outcomes
    >>> w = validate_waves(d, date=None)
    >>> res = outcome_by_wave(w, score_outcomes(d, "who5"))
    >>> res.table[["wave", "n", "mean", "n_problematic", "pct_problematic"]].values.tolist()[:2]
    [['T0', 2, 30.0, 2, 100.0], ['T1', 2, 70.0, 0, 0.0]]
    """

    titles = {"en": "Outcome per wave", "nl": "Uitkomst per meting"}

    scores: OutcomeScores
    scale: str
    by_wave: pd.DataFrame
    level: float

    @property
    def table(self) -> pd.DataFrame:
        """One row per wave: ``wave``, ``n``, ``mean``, ``sd``, ``ci_low``, ``ci_high``,
        ``n_cutoff``, ``n_problematic``, ``pct_problematic``."""
        return self.by_wave

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """The table rounded, with Dutch headers for ``lang="nl"``."""
        nl = lang == "nl"
        t = self.by_wave
        pct = int(round(100 * self.level))
        return pd.DataFrame({
            ("Meting" if nl else "Wave"): t["wave"], "N": t["n"],
            ("Gemiddelde" if nl else "Mean"): [fmt_num(v, 2, lang) for v in t["mean"]],
            "SD": [fmt_num(v, 2, lang) for v in t["sd"]],
            f"{pct}% {'BI' if nl else 'CI'}": [
                f"[{fmt_num(a, 2, lang)}, {fmt_num(b, 2, lang)}]"
                for a, b in zip(t["ci_low"], t["ci_high"], strict=True)],
            ("Problematisch %" if nl else "Problematic %"): [fmt_num(v, 1, lang)
                                                              for v in t["pct_problematic"]],
        })

    def apa(self, lang: Lang = "en") -> str:
        """The baseline and last wave's mean and share problematic."""
        name = self.scores.instrument.scale(self.scale).name(lang)
        t = self.by_wave[self.by_wave["n"] > 0]
        a, b = t.iloc[0], t.iloc[-1]
        if lang == "nl":
            return (f"{name}: M = {fmt_num(a['mean'], 2, lang)} bij {a.wave} (n = {a.n}) en "
                    f"{fmt_num(b['mean'], 2, lang)} bij {b.wave} (n = {b.n}); problematisch "
                    f"{fmt_num(a.pct_problematic, 1, lang)}% en {fmt_num(b.pct_problematic, 1, lang)}%.")
        return (f"{name}: M = {fmt_num(a['mean'], 2, lang)} at {a.wave} (n = {a.n}) and "
                f"{fmt_num(b['mean'], 2, lang)} at {b.wave} (n = {b.n}); problematic "
                f"{fmt_num(a.pct_problematic, 1, lang)}% and {fmt_num(b.pct_problematic, 1, lang)}%.")


def outcome_by_wave(waves: WaveData, scores: OutcomeScores, scale: str = "total", *,
                    level: float = 0.95) -> WaveOutcome:
    """Mean score with its confidence interval and the share problematic, per wave.

    ``scores`` must come from rows of ``waves`` (same index); rows without a score are not
    counted at their wave (``scores.counts`` says how many there were).

    Examples
    --------
    >>> from outcomes.scoring import score_outcomes
    >>> d = pd.DataFrame({"family": [1, 2, 3], "person": ["a", "b", "c"], "role": "parent",
    ...                   "wave": "T0", "age": 30} | {f"who5_{i}": [1, 3, 5] for i in range(1, 6)})
    >>> r = outcome_by_wave(validate_waves(d, date=None), score_outcomes(d, "who5"))
    >>> r.table.loc[0, ["n", "mean", "ci_low", "ci_high"]].round(2).tolist()
    [3.0, 60.0, -39.37, 159.37]
    """
    scores.instrument.scale(scale)
    s = scores.table[scores.table["scale"] == scale].set_index("row")
    unknown = s.index.difference(waves.frame.index)
    if len(unknown):
        raise ValueError(f"scores of rows not in the wave data: {listed_rows(list(unknown))}")
    wave = waves.frame.loc[s.index, "wave"]
    rows = []
    for w in waves.design.labels:
        at = s[(wave == w).to_numpy()]
        v = at["score"].dropna()
        n = len(v)
        m = v.mean() if n else np.nan
        sd = v.std(ddof=1) if n > 1 else np.nan
        half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n) if n > 1 else np.nan
        flag = at.loc[at["score"].notna(), "problematic"].dropna().astype(bool)
        rows.append({"wave": w, "n": n, "mean": m, "sd": sd, "ci_low": m - half,
                     "ci_high": m + half, "n_cutoff": len(flag), "n_problematic": int(flag.sum()),
                     "pct_problematic": _pct(flag.sum(), len(flag))})
    return WaveOutcome(scores, scale, pd.DataFrame(rows), level)


@dataclass
class Background(Result):
    """Characteristics of the persons measured at the baseline, per role: for every column, the
    number and share of persons per category (``unknown`` for a missing value).

    ``table`` columns: ``role``, ``variable``, ``category``, ``n``, ``pct`` (of the role's
    persons at the baseline) and ``n_role``.

    Examples
    --------
    >>> d = pd.DataFrame({"family": [1, 1, 2], "person": ["a", "b", "c"], "role": "child",
    ...                   "wave": "T0", "sex": ["girl", "boy", None], "age": [1.5, 7.9, 8.0]})
    >>> b = background_characteristics(validate_waves(d, date=None), {"child": ["sex", "age"]},
    ...                                bands={"age": [0, 2, 8, 12]})
    >>> b.table[["variable", "category", "n"]].values.tolist()
    [['sex', 'boy', 1], ['sex', 'girl', 1], ['sex', 'unknown', 1], ['age', '0–1', 1], ['age', '2–7', 1], ['age', '8–11', 1]]
    """

    titles = {"en": "Characteristics at the baseline", "nl": "Kenmerken bij de beginmeting"}

    counts: pd.DataFrame
    baseline: str

    @property
    def table(self) -> pd.DataFrame:
        """Counts and shares per role, variable and category."""
        return self.counts

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """``n`` and ``%`` per category, indexed by role, variable and category."""
        t = self.counts
        out = pd.DataFrame({"n": t["n"].astype(int).tolist(),
                            "%": [fmt_num(p, 1, lang) for p in t["pct"]]})
        roles = [_GROUP[lang].get(r, r) for r in t["role"]]
        names = ["Rol", "Kenmerk", "Categorie"] if lang == "nl" else ["Role", "Variable", "Category"]
        out.index = pd.MultiIndex.from_arrays([roles, t["variable"], t["category"]], names=names)
        return out

    def apa(self, lang: Lang = "en") -> str:
        """The number of persons per role at the baseline."""
        per = self.counts.drop_duplicates("role")
        parts = [f"{_GROUP[lang].get(r, r)}: {int(n)}" for r, n in zip(per["role"], per["n_role"],
                                                                       strict=True)]
        at = "bij" if lang == "nl" else "at"
        return f"{'; '.join(parts)} {at} {self.baseline}."


def _band_labels(edges: list[float]) -> list[str]:
    return [f"{lo:g}–{hi - 1:g}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]


def background_characteristics(waves: WaveData, columns: dict[str, list[str]], *,
                               bands: dict[str, list[float]] | None = None) -> Background:
    """Characteristics at the baseline: per role (``{"child": ["sex", "age"], ...}``) and
    column, the persons measured at the baseline per category.

    ``bands`` groups a numeric column into whole-year bands by their edges (``[0, 2, 8]`` gives
    ``0–1`` and ``2–7``: lower edge included, upper excluded). A missing value counts as
    ``unknown``; a value outside the bands is an error naming its row, as is a column that is
    not in the data.

    Examples
    --------
    >>> d = pd.DataFrame({"family": [1, 2], "person": ["m", "n"], "role": "parent",
    ...                   "wave": "T0", "strain": ["yes", "no"]})
    >>> background_characteristics(validate_waves(d, date=None), {"parent": ["strain"]}).apa()
    'Parents: 2 at T0.'
    """
    bands = bands or {}
    f = waves.frame
    base = waves.design.baseline
    problems = [Problem(None, c, "missing column", "a column of the wave data")
                for cols in columns.values() for c in cols if c not in f.columns]
    for c, edges in bands.items():
        if len(edges) < 2 or any(b <= a for a, b in zip(edges[:-1], edges[1:], strict=True)):
            problems.append(Problem(None, c, edges, "at least two increasing band edges"))
    if problems:
        raise DataValidationError(problems, context="the background characteristics")
    rows = []
    at_base = f[(f["wave"] == base).to_numpy()]
    for role, cols in columns.items():
        sub = at_base[(at_base["role"].astype("string") == role).fillna(False).to_numpy()]
        n_role = len(sub)
        for c in cols:
            values = sub[c]
            if c in bands:
                edges = bands[c]
                num = pd.to_numeric(values, errors="coerce")
                bad = (values.notna() & num.isna()) | (num < edges[0]) | (num >= edges[-1])
                if bad.any():
                    raise DataValidationError(
                        [Problem(i, c, NOT_SHOWN, f"a number from {edges[0]:g} to below "
                                                  f"{edges[-1]:g}") for i in sub.index[bad.to_numpy()]],
                        context="the background characteristics")
                cats = pd.cut(num, edges, right=False, labels=_band_labels(edges))
                order = list(cats.cat.categories)
                labels = cats.astype(object).where(cats.notna(), "unknown")
            else:
                labels = values.astype(object).where(values.notna(), "unknown").astype(str)
                order = sorted(set(labels) - {"unknown"})
            counts = labels.value_counts()
            if "unknown" in counts.index:
                order = [*order, "unknown"]
            for cat in order:
                n = int(counts.get(cat, 0))
                rows.append({"role": role, "variable": c, "category": str(cat), "n": n,
                             "pct": _pct(n, n_role), "n_role": n_role})
    return Background(pd.DataFrame(rows, columns=["role", "variable", "category", "n", "pct",
                                                  "n_role"]), base)
