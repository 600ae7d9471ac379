"""Statistical procedures shared by the evaluation packages, with SPSS-like tables and APA text.

This package imports none of ``fidelity``, ``gas`` or ``profiles``; they import it.
"""

from evalstats.errors import (
    ConvergenceWarning,
    DataValidationError,
    EmptyGroupError,
    Problem,
    RegistryError,
    SeparationError,
    SingularMatrixError,
)
from evalstats.format import fmt_num, fmt_p
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

__all__ = [
    "ConvergenceWarning",
    "DataValidationError",
    "EmptyGroupError",
    "Problem",
    "RegistryError",
    "SeparationError",
    "SingularMatrixError",
    "fmt_num",
    "fmt_p",
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
]
