"""Outcome measurement over waves: outcome instruments as data, scoring with cut-offs by age,
wave designs with response and attrition, satisfaction forms and wave models.

Outcome instruments (PedsQL, SDQ, WHO-5, VGK, Parenting Scale) are pydantic models read from
the bundled TOML files, from files a user loads, and from plugins registering under the
entry-point group ``zorgeval.outcome_instruments``.
"""

from evalstats import __version__ as __version__
from outcomes.instrument import AgeBand, Cutoff, OutcomeInstrument, OutcomeScale, ResponseRange
from outcomes.models import DEFAULT_COVARIATES, WaveModel, wave_model, wave_model_frame
from outcomes.registry import (
    OUTCOME_INSTRUMENTS,
    get_outcome_instrument,
    list_outcome_instruments,
    load_outcome_instrument,
)
from outcomes.satisfaction import (
    SATISFACTION_FORMS,
    SatisfactionForm,
    SatisfactionResult,
    Statement,
    get_satisfaction_form,
    load_satisfaction_form,
    satisfaction_by_wave,
)
from outcomes.scoring import OutcomeScores, score_outcomes, score_scale
from outcomes.waves import (
    Background,
    WaveData,
    WaveDesign,
    WaveOutcome,
    WaveResponse,
    background_characteristics,
    outcome_by_wave,
    validate_waves,
    wave_response,
)

__all__ = [
    "OUTCOME_INSTRUMENTS",
    "AgeBand",
    "Cutoff",
    "OutcomeInstrument",
    "OutcomeScale",
    "OutcomeScores",
    "ResponseRange",
    "get_outcome_instrument",
    "list_outcome_instruments",
    "load_outcome_instrument",
    "score_outcomes",
    "score_scale",
    "SATISFACTION_FORMS",
    "SatisfactionForm",
    "SatisfactionResult",
    "Statement",
    "get_satisfaction_form",
    "load_satisfaction_form",
    "satisfaction_by_wave",
    "Background",
    "background_characteristics",
    "WaveData",
    "WaveDesign",
    "WaveOutcome",
    "WaveResponse",
    "outcome_by_wave",
    "validate_waves",
    "wave_response",
    "DEFAULT_COVARIATES",
    "WaveModel",
    "wave_model",
    "wave_model_frame",
]
