"""Linear mixed models for repeated measurements: random intercepts (nested allowed), REML or
ML, Satterthwaite degrees of freedom and type III F tests as lme4 + lmerTest compute them.

See :func:`evalstats.mixed_model` and ``docs/methods-mixed.md``.
"""

from evalstats.mixed.model import MixedModelConvergenceError, MixedModelResult, mixed_model

__all__ = ["MixedModelConvergenceError", "MixedModelResult", "mixed_model"]
