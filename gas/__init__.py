"""Goal Attainment Scaling: scales as data, parsing dossier wording, rater aggregation, T-scores, goal reports."""

from gas.parse import ParsedLevels, normalise_phrase, parse_levels
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

__all__ = [
    "GasLevel",
    "GasScale",
    "ParsedLevels",
    "conversion_table",
    "convert_levels",
    "get_scale",
    "list_scales",
    "load_scale",
    "normalise_phrase",
    "parse_levels",
    "to_level",
    "to_score",
]
