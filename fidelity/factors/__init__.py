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
