"""Consistency checks of published statistics, rounding-aware.

Evaluation reports are often typed over from SPSS output by hand. ``recheck`` recomputes what a
printed statistic implies — the p of a t, F, χ², r, z or Wald; MS, F and partial η² of an ANOVA
row; Wald, Exp(B) and its CI of a logistic row; t of a mixed-model row; the t or F of printed
group means; percentages, N, mean and SD of a frequency table; GRIM and GRIMMER — and compares it with what is printed. Every printed number
stands for the interval of values that round to it (t = 2.37 is [2.365, 2.375]); a check is
consistent when the recomputed interval overlaps the printed one. A printed p on the other side
of .05 than the recomputed p is a *decision error*, reported apart from smaller
inconsistencies.

Examples
--------
>>> from evalstats import recheck
>>> res = recheck.text("De groepen verschillen (t(28) = 2,37; p = ,30).", lang="nl")
>>> res.table.loc[0, ["statistic", "verdict"]].tolist()
['t', 'decision error']
"""

from evalstats.recheck._calls import (
    anova_row,
    chi2_test,
    contingency,
    f_test,
    frequencies,
    grim,
    grimmer,
    groups,
    logistic_row,
    mixed_row,
    r_test,
    t_test,
    wald_test,
    z_test,
)
from evalstats.recheck._core import Num, P, num, parse_p
from evalstats.recheck._result import Check, RecheckResult
from evalstats.recheck._text import table, text

__all__ = [
    "Check",
    "Num",
    "P",
    "RecheckResult",
    "anova_row",
    "chi2_test",
    "contingency",
    "f_test",
    "frequencies",
    "grim",
    "grimmer",
    "groups",
    "logistic_row",
    "mixed_row",
    "num",
    "parse_p",
    "r_test",
    "t_test",
    "table",
    "text",
    "wald_test",
    "z_test",
]
