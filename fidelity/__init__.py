"""Fidelity surveys: instruments as data, survey scoring, bands, group comparisons, method factors."""

from evalstats import __version__ as __version__
from fidelity.compare import GroupComparison, compare_groups
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
from fidelity.scoring import ExclusionRule, SurveyScores, score_survey
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
    "ExclusionRule",
    "SurveyScores",
    "score_survey",
    "GroupComparison",
    "compare_groups",
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

from fidelity.factors.bootstrap import BootstrapResult, bootstrap_pca  # noqa: E402
from fidelity.factors.linking import LinkResult, link_to_cases  # noqa: E402
from fidelity.factors.plots import loadings_heatmap, scree_plot  # noqa: E402
from fidelity.factors.reliability import ReliabilityResult, cronbach_alpha  # noqa: E402
from fidelity.factors.score_bootstrap import ScoreBootstrap, bootstrap_factor_model  # noqa: E402
from fidelity.factors.workflows import (  # noqa: E402
    FactorWorkflowResult,
    exploratory_factors,
    factors_per_principle,
)

__all__ += [
    "BootstrapResult",
    "FactorWorkflowResult",
    "LinkResult",
    "ReliabilityResult",
    "cronbach_alpha",
    "exploratory_factors",
    "factors_per_principle",
    "bootstrap_pca",
    "bootstrap_factor_model",
    "ScoreBootstrap",
    "link_to_cases",
    "loadings_heatmap",
    "scree_plot",
]
