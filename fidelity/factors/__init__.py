"""Method factors: PCA with oblimin, reliability, the factor workflows, linking, bootstrap."""

from fidelity.factors.linking import LinkResult, link_to_cases
from fidelity.factors.reliability import ReliabilityResult, cronbach_alpha

__all__ = ["LinkResult", "ReliabilityResult", "cronbach_alpha", "link_to_cases"]
