"""Wave models: change per wave against the baseline in a linear mixed model, per scale.

:func:`wave_model` builds, for one scale of one instrument, the model of the pilot evaluations:
``score ~ wave (baseline reference) + covariates`` with a random intercept per family (children
or parents nested in families; ``groups=["family", "person"]`` adds one per person), fitted by
REML with Satterthwaite degrees of freedom (:func:`evalstats.mixed_model`). The covariates by
default are the age at the measurement and sex for children, and age and financial strain for
parents (:data:`DEFAULT_COVARIATES`); text covariates are factors with the reference given in
``reference`` (default: ``boy`` for sex, ``no`` for financial strain).

The table has one row per term as appendix 2 of the pilot evaluation: estimate, SE, df, t, p
and n — measurements at the wave for the intercept (the baseline) and the wave rows, persons in
the model for a covariate (so the n of sex is every child in the model, as in appendix 2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evalstats.format import Lang, fmt_num
from evalstats.mixed import mixed_model
from evalstats.result import Result
from outcomes.scoring import OutcomeScores
from outcomes.waves import WaveData

__all__ = ["DEFAULT_COVARIATES", "DEFAULT_REFERENCE", "WaveModel", "wave_model",
           "wave_model_frame"]

DEFAULT_COVARIATES: dict[str, list[str]] = {"child": ["age", "sex"],
                                            "parent": ["age", "financial_strain"]}
DEFAULT_REFERENCE: dict[str, str] = {"sex": "boy", "financial_strain": "no"}
#: values of a text covariate that mean "not known": missing in the model (counted as dropped)
UNKNOWN = ("unknown", "onbekend", "")
LABELS = {
    "en": {"(Intercept)": "(Intercept)", "age": "Age", "sex": "Sex",
           "financial_strain": "Financial strain", "girl": "girl", "yes": "yes"},
    "nl": {"(Intercept)": "(Intercept)", "age": "Leeftijd", "sex": "Geslacht",
           "financial_strain": "Rondkomen moeilijk", "girl": "meisje", "yes": "ja"},
}


def wave_model_frame(waves: WaveData, scores: OutcomeScores, scale: str = "total",
                     covariates: Sequence[str] = ()) -> pd.DataFrame:
    """The model's data: one row per scored measurement with ``score``, ``wave`` (categorical,
    baseline first), ``family``, ``person`` and the covariates (unknown text values missing).

    Examples
    --------
    >>> from outcomes import score_outcomes, validate_waves
    >>> d = pd.DataFrame({"family": [1, 1], "person": ["m", "m"], "role": "parent",
    ...                   "wave": ["T0", "T1"], "age": [30, 30.5],
    ...                   "financial_strain": ["yes", "unknown"]}
    ...                  | {f"who5_{i}": [2, 3] for i in range(1, 6)})
    >>> f = wave_model_frame(validate_waves(d, date=None), score_outcomes(d, "who5"),
    ...                      covariates=["age", "financial_strain"])
    >>> f[["wave", "score", "financial_strain"]].values.tolist()
    [['T0', 40.0, 'yes'], ['T1', 60.0, nan]]
    """
    scores.instrument.scale(scale)
    s = scores.table[scores.table["scale"] == scale].set_index("row")["score"].dropna()
    frame = waves.frame
    missing = [c for c in covariates if c not in frame.columns]
    if missing:
        raise KeyError(f"covariates not in the wave data: {', '.join(missing)}")
    unknown = s.index.difference(frame.index)
    if len(unknown):
        raise ValueError(f"{len(unknown)} scores of rows not in the wave data")
    out = frame.loc[s.index, ["family", "person", "wave", *covariates]].copy()
    out["family"] = out["family"].astype(str)
    out["person"] = out["person"].astype(str)
    out.insert(0, "score", s.to_numpy())
    for c in covariates:
        col = out[c]
        if not pd.api.types.is_numeric_dtype(col):
            text = col.astype("string").str.strip()
            out[c] = text.where(~text.str.lower().isin(UNKNOWN)).astype(object)
            out[c] = out[c].where(out[c].notna(), np.nan)
    wave = out["wave"].astype(pd.CategoricalDtype(waves.design.labels, ordered=True))
    out["wave"] = wave.cat.remove_unused_categories()  # a wave nobody reached is no term
    return out


@dataclass
class WaveModel(Result):
    """A scale's change per wave against the baseline (see the module docstring).

    Attributes
    ----------
    model : evalstats.mixed.MixedModelResult
        The fitted model (variance components, type III tests, everything of the engine).
    frame : DataFrame
        The model's data (:func:`wave_model_frame`).
    scores : OutcomeScores
    scale : str
    covariates : list of str
    baseline : str

    Examples
    --------
    >>> from outcomes import score_outcomes, validate_waves
    >>> rng = np.random.default_rng(3)
    >>> fam = np.repeat(np.arange(10), 3)
    >>> d = pd.DataFrame({"family": fam, "person": fam, "role": "parent",
    ...                   "wave": np.tile(["T0", "T1", "T2"], 10)}
    ...                  | {f"who5_{i}": rng.integers(0, 6, 30) for i in range(1, 6)})
    >>> d["age"] = 35.0
    >>> m = wave_model(validate_waves(d, date=None), score_outcomes(d, "who5"), covariates=[])
    >>> m.spss_table().iloc[:, 0].tolist(), m.table["n"].tolist()
    (['(Intercept)', 'T1', 'T2'], [10, 10, 10])
    """

    titles = {"en": "Change against the baseline", "nl": "Verandering ten opzichte van de beginmeting"}

    model: object
    frame: pd.DataFrame
    scores: OutcomeScores
    scale: str
    covariates: list[str]
    baseline: str
    reference: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The scale's English name."""
        return self.scores.instrument.scale(self.scale).name("en")

    @property
    def table(self) -> pd.DataFrame:
        """One row per term: ``term`` (the engine's), ``variable``, ``level``, ``estimate``,
        ``se``, ``df``, ``t``, ``p`` and ``n`` (measurements at the wave for the intercept and
        the waves; persons in the model for a covariate)."""
        t = self.model.table[["term", "variable", "level", "estimate", "se", "df", "t", "p"]].copy()
        used = self.frame.dropna()
        n_persons = used["person"].nunique()
        n = []
        for r in t.itertuples():
            if r.term == "(Intercept)":
                n.append(int((used["wave"] == self.baseline).sum()))
            elif r.variable == "wave":
                n.append(int((used["wave"] == r.level).sum()))
            else:
                n.append(n_persons)
        t["n"] = n
        return t

    def label(self, row, lang: Lang = "en") -> str:
        """A term as appendix 2 prints it: ``T1``, ``Geslacht meisje``, ``Leeftijd``."""
        lab = LABELS[lang]
        if row.term == "(Intercept)":
            return "(Intercept)"
        if row.variable == "wave":
            return str(row.level)
        name = lab.get(row.variable, row.variable)
        if row.level is None or pd.isna(row.level):
            return name
        level = lab.get(str(row.level), str(row.level))
        return f"{name} ({level})" if row.variable == "financial_strain" else f"{name} {level}"

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Appendix 2's table: Estimate, SE, df, t, p (with stars) and n, two decimals (p three);
        the intercept without a test, as there."""
        nl = lang == "nl"
        rows = []
        for r in self.table.itertuples():
            icpt = r.term == "(Intercept)"
            rows.append({
                "": self.label(r, lang),
                ("Schatting" if nl else "Estimate"): fmt_num(r.estimate, 2, lang),
                "SE": fmt_num(r.se, 2, lang),
                "df": "" if icpt else fmt_num(r.df, 1, lang),
                "t": "" if icpt else fmt_num(r.t, 2, lang),
                "p": "" if icpt else fmt_num(r.p, 3, lang) + _stars(r.p),
                "n": r.n,
            })
        return pd.DataFrame(rows)

    def apa(self, lang: Lang = "en") -> str:
        """One statistic per wave against the baseline."""
        name = self.scores.instrument.scale(self.scale).name(lang)
        parts = []
        for r in self.table.itertuples():
            if r.variable == "wave":
                parts.append(f"{r.level}: {self.model.apa(lang, term=r.term)}")
        vs = "t.o.v." if lang == "nl" else "vs"
        return f"{name}, {vs} {self.baseline}: " + "; ".join(parts) + "."


def _stars(p: float) -> str:
    if p < 0.001:
        return "***"
    if p < 0.01:
        return "**"
    if p < 0.05:
        return "*"
    return "." if p < 0.1 else ""


def wave_model(waves: WaveData, scores: OutcomeScores, scale: str = "total", *,
               covariates: Sequence[str] | None = None, groups: Sequence[str] = ("family",),
               reference: Mapping[str, str] | None = None, reml: bool = True) -> WaveModel:
    """Fit ``score ~ wave + covariates + (1 | family)`` for one scale.

    ``covariates`` default to :data:`DEFAULT_COVARIATES` of the instrument's respondent type;
    ``groups`` are nested grouping columns, outer first (``["family", "person"]`` adds a
    random intercept per person). Rows missing a covariate are left out and counted in
    ``.model.dropped``.

    Examples
    --------
    >>> from outcomes import score_outcomes, validate_waves
    >>> rng = np.random.default_rng(1)
    >>> fam = np.repeat(np.arange(12), 4)
    >>> d = pd.DataFrame({"family": fam, "person": fam, "role": "parent",
    ...                   "wave": np.tile(["T0", "T1", "T2", "T3"], 12),
    ...                   "age": np.repeat(rng.integers(25, 50, 12), 4).astype(float)})
    >>> base = np.repeat(rng.integers(1, 4, 12), 4) + np.tile([0, 1, 1, 1], 12)
    >>> for i in range(1, 6):
    ...     d[f"who5_{i}"] = np.clip(base + rng.integers(-1, 2, 48), 0, 5)
    >>> m = wave_model(validate_waves(d, date=None), score_outcomes(d, "who5"), covariates=["age"])
    >>> m.table[["term", "n"]].values.tolist()[:2]
    [['(Intercept)', 12], ['wave[T1]', 12]]
    """
    inst = scores.instrument
    covariates = list(DEFAULT_COVARIATES[inst.respondent] if covariates is None else covariates)
    frame = wave_model_frame(waves, scores, scale, covariates)
    ref = {"wave": waves.design.baseline}
    ref |= {c: v for c, v in (reference or DEFAULT_REFERENCE).items() if c in covariates
            and not pd.api.types.is_numeric_dtype(frame[c])}
    model = mixed_model(frame, "score", ["wave", *covariates], list(groups), reference=ref,
                        reml=reml)
    return WaveModel(model, frame, scores, scale, covariates, waves.design.baseline, ref)
