"""Method factors: principal component analysis with oblimin or varimax rotation, as SPSS and R."""

from fidelity.factors.rotation import RotationResult, oblimin, varimax

__all__ = ["RotationResult", "oblimin", "varimax"]
