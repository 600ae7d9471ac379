"""Fidelity surveys: instruments as data, survey scoring, bands, group comparisons, method factors."""

from fidelity.factors import (
    ParallelAnalysisResult,
    PCAResult,
    RotationResult,
    oblimin,
    parallel_analysis,
    pca,
    varimax,
)
from fidelity.instrument import (
    BackgroundQuestion,
    Band,
    BandSet,
    Category,
    Instrument,
    Item,
    ItemExclusion,
    Principle,
    ReferenceStat,
    ResponseScale,
    ScoringRule,
    Threshold,
)
from fidelity.registry import INSTRUMENTS, get_instrument, list_instruments, load_instrument
from fidelity.synthetic import simulate_survey

__all__ = [
    "INSTRUMENTS",
    "Band",
    "BandSet",
    "Category",
    "Instrument",
    "Item",
    "Principle",
    "ResponseScale",
    "ScoringRule",
    "Threshold",
    "get_instrument",
    "list_instruments",
    "load_instrument",
    "RotationResult",
    "oblimin",
    "varimax",
    "PCAResult",
    "ParallelAnalysisResult",
    "pca",
    "parallel_analysis",
    "BackgroundQuestion",
    "ItemExclusion",
    "ReferenceStat",
    "simulate_survey",
]
