"""The repeated-measurements step of the pipeline: the ``[waves]`` section's long file checked
against the wave design, every outcome instrument scored on the rows of its respondent type,
response and attrition, outcome per wave, satisfaction per wave and the wave models.

Every row is kept: a row without answers to an instrument is counted as not measured with it
(``OutcomeScores.counts``); answers to an instrument on a row of the other respondent type are
an error naming the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import outcomes
from evalstats.errors import DataValidationError, Problem, listed_rows
from outcomes.models import wave_model
from zorgeval.project import is_definition_file

__all__ = ["WavesResults", "run_waves"]


@dataclass
class WavesResults:
    """What the repeated-measurements step computed.

    Attributes
    ----------
    waves : outcomes.WaveData
    response : outcomes.WaveResponse
        Persons per role and wave, retained since the baseline.
    family_response : outcomes.WaveResponse
        Families with any member measured, per wave.
    instruments : dict of str to outcomes.OutcomeInstrument
        With the project's cut-off settings applied.
    scores : dict of str to outcomes.OutcomeScores
    by_wave : list of (instrument id, scale id, outcomes.WaveOutcome)
    satisfaction : list of outcomes.SatisfactionResult
    models : list of outcomes.models.WaveModel
    background : outcomes.Background or None
        Characteristics at the baseline (``[waves] background``).
    """

    waves: outcomes.WaveData
    response: outcomes.WaveResponse
    family_response: outcomes.WaveResponse
    instruments: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    by_wave: list = field(default_factory=list)
    satisfaction: list = field(default_factory=list)
    models: list = field(default_factory=list)
    background: outcomes.Background | None = None


def _instrument(spec: str) -> outcomes.OutcomeInstrument:
    if is_definition_file(spec):
        return outcomes.load_outcome_instrument(Path(spec), register=False)
    return outcomes.get_outcome_instrument(spec)


def _settled(inst: outcomes.OutcomeInstrument, sec) -> outcomes.OutcomeInstrument:
    for scale_id, c in sec.cutoffs.get(inst.id, {}).items():
        inst = inst.with_cutoff(scale_id, direction=c.direction, inclusive=c.inclusive)
    return inst


def _reported_scales(inst, sec) -> list[str]:
    chosen = sec.scales.get(inst.id)
    if chosen is not None:
        for s in chosen:
            inst.scale(s)
        return list(chosen)
    return [s.id for s in inst.scales if s.cutoffs] or [inst.scales[0].id]


def _wrong_role(frame: pd.DataFrame, inst, role: pd.Series) -> None:
    items = [c for c in inst.item_codes if c in frame.columns]
    answered = frame[items].notna().any(axis=1) & (role != inst.respondent)
    if answered.any():
        rows = list(frame.index[answered.to_numpy()])
        raise DataValidationError(
            [Problem(r, "role", frame.loc[r, "role"], f"{inst.respondent} ({inst.id} is "
                     f"answered on this row; {listed_rows(rows)} in all)") for r in rows[:20]],
            context=f"the {inst.id} answers")


def run_waves(data: pd.DataFrame, sec) -> WavesResults:
    """Run every analysis of the ``[waves]`` section ``sec`` on the long frame ``data``.

    Examples
    --------
    >>> from zorgeval.project import WavesSection
    >>> from zorgeval.synthetic import load_bundled
    >>> m = load_bundled("buitenshuis")["measurements"]
    >>> res = run_waves(m, WavesSection(file="m.csv", instruments=["who5"], models=False,
    ...                                 satisfaction=["buitenshuis_parent"]))
    >>> [(iid, scale, r.table["n"].tolist()) for iid, scale, r in res.by_wave]
    [('who5', 'total', [73, 61, 38, 27, 19])]
    """
    design = outcomes.WaveDesign(labels=sec.labels, months=sec.months)
    waves = outcomes.validate_waves(data, design, family=sec.family, person=sec.person,
                                    role=sec.role, wave=sec.wave, date=sec.date,
                                    intake=sec.intake)
    frame = waves.frame
    if sec.age not in frame.columns:
        raise DataValidationError([Problem(None, sec.age, "missing column",
                                           "the age at the measurement")], context="the wave data")
    res = WavesResults(waves, outcomes.wave_response(waves),
                       outcomes.wave_response(waves, by=None, unit="family"))
    if sec.background:
        res.background = outcomes.background_characteristics(waves, sec.background,
                                                             bands=sec.bands)
    role = frame["role"].astype("string")
    for spec in sec.instruments:
        inst = _settled(_instrument(spec), sec)
        _wrong_role(frame, inst, role)
        rows = (role == inst.respondent).to_numpy()
        scores = outcomes.score_outcomes(frame[rows], inst, age=sec.age)
        res.instruments[inst.id] = inst
        res.scores[inst.id] = scores
        sub = waves.subset(pd.Series(rows, index=frame.index))
        for scale in _reported_scales(inst, sec):
            res.by_wave.append((inst.id, scale, outcomes.outcome_by_wave(sub, scores, scale)))
    for form_id in sec.satisfaction:
        form = outcomes.get_satisfaction_form(form_id)
        rows = (role == form.respondent).to_numpy()
        res.satisfaction.append(outcomes.satisfaction_by_wave(
            frame[rows], form, wave="wave", waves=sec.labels[1:]))
    if sec.models:
        _models(res, sec)
    return res


def _models(res: WavesResults, sec) -> None:
    role = res.waves.frame["role"].astype("string")
    for iid, scale, _ in res.by_wave:
        inst = res.instruments[iid]
        rows = pd.Series((role == inst.respondent).to_numpy(), index=res.waves.frame.index)
        res.models.append(wave_model(res.waves.subset(rows), res.scores[iid], scale,
                                     covariates=sec.covariates.get(inst.respondent, []),
                                     groups=sec.groups, reference=sec.reference))
