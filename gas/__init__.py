"""Goal Attainment Scaling: scales as data, parsing dossier wording, rater aggregation, T-scores, goal reports."""

from evalstats import __version__ as __version__
from gas.goals import (
    GoalCategory,
    GoalData,
    GoalGroup,
    GoalTaxonomy,
    get_taxonomy,
    list_taxonomies,
    load_taxonomy,
    validate_goals,
)
from gas.parse import ParsedLevels, parse_levels
from gas.phrases import normalise_phrase
from gas.raters import (
    RaterAggregation,
    RaterRule,
    aggregate_raters,
    combine_raters,
    get_rule,
    register_rule,
)
from gas.reports import (
    Dropout,
    LevelDistribution,
    TrajectoryCounts,
    dropout,
    level_distribution,
    plot_levels,
    trajectory_counts,
)
from gas.scale import (
    GasLevel,
    GasScale,
    conversion_table,
    convert_levels,
    get_scale,
    list_scales,
    load_scale,
    to_level,
    to_score,
)
from gas.tscore import (
    combine_partials,
    tscore,
    tscore_change,
    tscore_partials,
    tscores,
    tscores_from_partials,
)

__all__ = [
    "Dropout",
    "GasLevel",
    "GasScale",
    "GoalCategory",
    "GoalData",
    "GoalGroup",
    "GoalTaxonomy",
    "LevelDistribution",
    "ParsedLevels",
    "RaterAggregation",
    "RaterRule",
    "TrajectoryCounts",
    "aggregate_raters",
    "combine_partials",
    "combine_raters",
    "conversion_table",
    "convert_levels",
    "dropout",
    "get_rule",
    "get_scale",
    "get_taxonomy",
    "level_distribution",
    "list_scales",
    "list_taxonomies",
    "load_scale",
    "load_taxonomy",
    "normalise_phrase",
    "parse_levels",
    "plot_levels",
    "register_rule",
    "to_level",
    "to_score",
    "trajectory_counts",
    "tscore",
    "tscore_change",
    "tscore_partials",
    "tscores",
    "tscores_from_partials",
    "validate_goals",
]
