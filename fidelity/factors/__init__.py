"""Method factors: PCA with oblimin, reliability, the factor workflows, linking, bootstrap."""

from fidelity.factors.reliability import ReliabilityResult, cronbach_alpha

__all__ = ["ReliabilityResult", "cronbach_alpha"]
