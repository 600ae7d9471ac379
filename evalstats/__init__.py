"""Statistical procedures shared by the evaluation packages, with SPSS-like tables and APA text.

This package imports none of ``fidelity``, ``gas`` or ``profiles``; they import it.
"""

from evalstats import recheck
from evalstats._version import __version__ as __version__
from evalstats.errors import (
    ConvergenceWarning,
    DataValidationError,
    EmptyGroupError,
    LocalizedWarning,
    Problem,
    RegistryError,
    SeparationError,
    SingularMatrixError,
)
from evalstats.format import fmt_num, fmt_p
from evalstats.glm import AnovaResult, EmptyCellWarning, LeveneTest, factorial_anova
from evalstats.groups import (
    Descriptives,
    LeveneResult,
    OnewayResult,
    PosthocResult,
    TTestResult,
    WelchResult,
    levene,
    oneway_anova,
    oneway_from_summary,
    ttest_from_summary,
    ttest_ind,
)
from evalstats.io import TableInfo, TableReadError, read_table, table_info
from evalstats.logistic import HosmerLemeshow, LogisticResult, logistic_regression
from evalstats.mixed import MixedModelConvergenceError, MixedModelResult, mixed_model
from evalstats.tables import (
    ChiSquareResult,
    CorrelationResult,
    LowExpectedCountWarning,
    chi_square,
    correlation,
)

__all__ = [
    "ConvergenceWarning",
    "DataValidationError",
    "EmptyGroupError",
    "LocalizedWarning",
    "Problem",
    "RegistryError",
    "SeparationError",
    "SingularMatrixError",
    "fmt_num",
    "fmt_p",
    "LogisticResult",
    "logistic_regression",
    "HosmerLemeshow",
    "MixedModelConvergenceError",
    "MixedModelResult",
    "mixed_model",
    "AnovaResult",
    "EmptyCellWarning",
    "LeveneTest",
    "factorial_anova",
    "ChiSquareResult",
    "CorrelationResult",
    "LowExpectedCountWarning",
    "chi_square",
    "correlation",
    "Descriptives",
    "LeveneResult",
    "OnewayResult",
    "PosthocResult",
    "TTestResult",
    "WelchResult",
    "levene",
    "oneway_anova",
    "oneway_from_summary",
    "ttest_from_summary",
    "ttest_ind",
    "TableInfo",
    "TableReadError",
    "read_table",
    "table_info",
    "recheck",
]
