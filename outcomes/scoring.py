"""Scoring outcome instruments on long data: one row per measurement (person and wave).

:func:`score_outcomes` applies an instrument's scoring rules to every row that answered any of
its items and flags the scores on the problematic side of the cut-off for the age at the
measurement. Rows without any answer to the instrument are not measured with it; they and the
rows with too few answers are counted in :attr:`OutcomeScores.counts`, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalstats.errors import DataValidationError, Problem
from evalstats.format import Lang, fmt_num
from evalstats.result import Result
from outcomes.instrument import OutcomeInstrument, OutcomeScale
from outcomes.registry import get_outcome_instrument

__all__ = ["OutcomeScores", "score_outcomes", "score_scale"]


def score_scale(answers: pd.DataFrame, scale: OutcomeScale, low: int, high: int
                ) -> tuple[pd.Series, pd.Series]:
    """The scale's score and the number of items answered, per row of ``answers`` (numbers
    already checked to lie in ``[low, high]``); too few answers give a missing score.

    Examples
    --------
    >>> from outcomes.instrument import OutcomeScale
    >>> s = OutcomeScale(id="t", name_en="T", name_nl="T", items=["a", "b", "c"],
    ...                  reverse=["c"], method="sum", prorate=True, min_answered=2)
    >>> a = pd.DataFrame({"a": [1, 2, None], "b": [2, None, None], "c": [0, 2, 1]})
    >>> score, n = score_scale(a, s, low=0, high=2)
    >>> score.tolist(), n.tolist()
    ([5.0, 3.0, nan], [3, 2, 1])
    """
    x = answers[scale.items].to_numpy(dtype=float)
    rev = np.array([i in scale.reverse for i in scale.items])
    x[:, rev] = low + high - x[:, rev]
    if scale.rescale is not None:
        a, b = scale.rescale
        x = a + (x - low) * (b - a) / (high - low)
    n = (~np.isnan(x)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.nansum(x, axis=1)
        if scale.method == "mean":
            score = total / n
        elif scale.prorate:
            score = total * len(scale.items) / n
        else:
            score = total
    score = np.where(n >= scale.needed(), score * scale.multiplier, np.nan)
    return (pd.Series(score, index=answers.index, name=scale.id),
            pd.Series(n, index=answers.index, name="n_answered"))


@dataclass
class OutcomeScores(Result):
    """The scores of one instrument per measurement row.

    Attributes
    ----------
    instrument : OutcomeInstrument
    scores : DataFrame
        Long: one row per measured row and scale — ``row`` (the data's index), ``scale``,
        ``score``, ``n_answered``, ``age``, ``cutoff`` (the rule for that age, empty when the
        age has none) and ``problematic`` (True/False, missing without a score or a cut-off).
    counts : DataFrame
        Per scale: ``rows`` (all rows), ``not_measured`` (no answer to the instrument),
        ``too_few_answers``, ``scored``, ``no_cutoff`` (scored, but the age has no cut-off),
        ``problematic``.

    Examples
    --------
    >>> d = pd.DataFrame({"age": [30, 41, 35]} | {f"who5_{i}": [5, 2, None] for i in range(1, 6)})
    >>> res = score_outcomes(d, "who5")
    >>> res.table[["row", "score", "problematic"]].to_string(index=False)
    ' row  score  problematic\\n   0  100.0        False\\n   1   40.0         True'
    >>> res.counts.loc["total", ["rows", "not_measured", "scored", "problematic"]].tolist()
    [3, 1, 2, 1]
    """

    titles = {"en": "Outcome scores", "nl": "Uitkomstscores"}

    instrument: OutcomeInstrument
    scores: pd.DataFrame
    counts: pd.DataFrame

    @property
    def table(self) -> pd.DataFrame:
        """The long scores (see the class docstring)."""
        return self.scores

    def wide(self, column: str = "score") -> pd.DataFrame:
        """One row per measured row, one column per scale, of ``score`` or ``problematic``."""
        return self.scores.pivot(index="row", columns="scale", values=column)

    def summary(self) -> pd.DataFrame:
        """Per scale: N, mean, SD, min, max, n problematic (of those with a cut-off) and %."""
        rows = []
        for scale in self.instrument.scales:
            s = self.scores[self.scores["scale"] == scale.id]
            v = s["score"].dropna()
            flagged = s["problematic"].dropna().astype(bool)
            rows.append({"scale": scale.id, "n": len(v), "mean": v.mean(),
                         "sd": v.std(ddof=1), "min": v.min(), "max": v.max(),
                         "n_cutoff": len(flagged), "n_problematic": int(flagged.sum()),
                         "pct_problematic": 100 * flagged.mean() if len(flagged) else np.nan})
        return pd.DataFrame(rows)

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Descriptives per scale, as SPSS prints them."""
        nl = lang == "nl"
        s = self.summary()
        out = pd.DataFrame({
            ("Schaal" if nl else "Scale"): [self.instrument.scale(i).name(lang) for i in s["scale"]],
            "N": s["n"],
            ("Gemiddelde" if nl else "Mean"): [fmt_num(v, 2, lang) for v in s["mean"]],
            ("SD"): [fmt_num(v, 2, lang) for v in s["sd"]],
            ("Problematisch n" if nl else "Problematic n"): s["n_problematic"],
            ("Problematisch %" if nl else "Problematic %"): [fmt_num(v, 1, lang)
                                                              for v in s["pct_problematic"]],
        })
        return out

    def apa(self, lang: Lang = "en") -> str:
        """One sentence per scale with M, SD and the share on the problematic side."""
        parts = []
        for r in self.summary().itertuples(index=False):
            name = self.instrument.scale(r.scale).name(lang)
            m, sd = fmt_num(r.mean, 2, lang), fmt_num(r.sd, 2, lang)
            if lang == "nl":
                txt = f"{name}: M = {m}, SD = {sd}, n = {r.n}"
                if r.n_cutoff:
                    txt += (f"; {r.n_problematic} van {r.n_cutoff} "
                            f"({fmt_num(r.pct_problematic, 1, lang)}%) problematisch")
            else:
                txt = f"{name}: M = {m}, SD = {sd}, n = {r.n}"
                if r.n_cutoff:
                    txt += (f"; {r.n_problematic} of {r.n_cutoff} "
                            f"({fmt_num(r.pct_problematic, 1, lang)}%) problematic")
            parts.append(txt + ".")
        return " ".join(parts)


def _answers(data: pd.DataFrame, inst: OutcomeInstrument) -> pd.DataFrame:
    items = inst.item_codes
    missing = [c for c in items if c not in data.columns]
    if missing:
        raise DataValidationError(
            [Problem(None, c, "missing column", f"an item column of {inst.id}") for c in missing],
            context=f"the {inst.id} items")
    problems: list[Problem] = []
    out = pd.DataFrame(index=data.index)
    low, high = inst.response.low, inst.response.high
    expected = f"a whole number from {low} to {high} ({inst.id} answers)"
    for c in items:
        raw = data[c]
        num = pd.to_numeric(raw, errors="coerce")
        bad = (raw.notna() & num.isna()) | (num.notna() & ((num % 1 != 0) | (num < low) | (num > high)))
        for row in raw.index[bad.to_numpy()]:
            problems.append(Problem(row, c, raw.loc[row], expected))
        out[c] = num.astype(float)
    if problems:
        raise DataValidationError(problems, context=f"the {inst.id} answers")
    return out


def score_outcomes(data: pd.DataFrame, instrument: OutcomeInstrument | str, *,
                   age: str = "age") -> OutcomeScores:
    """Score an outcome instrument on long data (one row per measurement).

    Parameters
    ----------
    data:
        One row per measurement with the instrument's item columns and ``age`` (years at the
        measurement). Problems name the row by the frame's index.
    instrument:
        An :class:`OutcomeInstrument` or a registered id (``pedsql``, ``sdq``, ``who5``,
        ``vgk``, ``parenting_scale``).
    age:
        The age column; a row with answers needs an age inside the instrument's age range.

    Raises
    ------
    DataValidationError
        An item column is missing; an answer is not a whole number in the response range; a
        measured row has no age, or an age outside the instrument's range (each named by row).

    Examples
    --------
    >>> d = pd.DataFrame({"age": [4.5, 5.0]} | {f"pedsql_{i}": [1, 1] for i in range(1, 24)})
    >>> res = score_outcomes(d, "pedsql")
    >>> res.table[["score", "cutoff", "problematic"]].values.tolist()
    [[75.0, '< 78.5', True], [75.0, '< 74.5', False]]
    >>> score_outcomes(d.assign(age=[1.5, 5.0]), "pedsql")
    Traceback (most recent call last):
    ...
    evalstats.errors.DataValidationError: 1 problem in the pedsql measurements:
      row 0, column 'age': got 1.5, expected an age at the measurement within 2-18 (pedsql)
    """
    inst = get_outcome_instrument(instrument) if isinstance(instrument, str) else instrument
    answers = _answers(data, inst)
    measured = answers.notna().any(axis=1)
    if age not in data.columns:
        raise DataValidationError([Problem(None, age, "missing column", "the age at the measurement")],
                                  context=f"the {inst.id} measurements")
    ages = pd.to_numeric(data[age], errors="coerce")
    problems = []
    for row in data.index[measured.to_numpy()]:
        a = ages.loc[row]
        if pd.isna(a):
            problems.append(Problem(row, age, data[age].loc[row],
                                    f"an age in years at the measurement ({inst.id} was answered)"))
        elif not inst.ages.contains(float(a)):
            problems.append(Problem(row, age, float(a), "an age at the measurement within "
                                    f"{inst.ages.label()} ({inst.id})"))
    if problems:
        raise DataValidationError(problems, context=f"the {inst.id} measurements")
    sub = answers[measured]
    sub_age = ages[measured]
    frames, counts = [], {}
    for scale in inst.scales:
        score, n = score_scale(sub, scale, inst.response.low, inst.response.high)
        cuts = [scale.cutoff_for(float(a)) for a in sub_age]
        rule = [c.describe() if c is not None else "" for c in cuts]
        flag = [(bool(c.problematic(s)) if c is not None and not np.isnan(s) else pd.NA)
                for c, s in zip(cuts, score, strict=True)]
        frame = pd.DataFrame({"row": sub.index, "scale": scale.id, "score": score.to_numpy(),
                              "n_answered": n.to_numpy(), "age": sub_age.to_numpy(dtype=float),
                              "cutoff": rule, "problematic": pd.array(flag, dtype="boolean")})
        frames.append(frame)
        scored = frame["score"].notna()
        counts[scale.id] = {
            "rows": len(data), "not_measured": int((~measured).sum()),
            "too_few_answers": int((~scored).sum()), "scored": int(scored.sum()),
            "no_cutoff": int((scored & (frame["cutoff"] == "")).sum()),
            "problematic": int(frame["problematic"].fillna(False).sum()),
        }
    table = pd.concat(frames, ignore_index=True)
    return OutcomeScores(inst, table, pd.DataFrame.from_dict(counts, orient="index"))
