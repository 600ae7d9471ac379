"""Method factors: principal component analysis with oblimin or varimax rotation, as SPSS and R."""

from fidelity.factors.pca import (
    PRESETS,
    Bartlett,
    ParallelAnalysisResult,
    PCAResult,
    parallel_analysis,
    pca,
)
from fidelity.factors.rotation import RotationResult, oblimin, varimax

__all__ = [
    "PRESETS",
    "Bartlett",
    "PCAResult",
    "ParallelAnalysisResult",
    "RotationResult",
    "oblimin",
    "parallel_analysis",
    "pca",
    "varimax",
]

# reliability, the factor workflows, linking to cases, bootstrap, plots
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
