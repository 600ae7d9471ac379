"""Target-group classification, practitioner-assigned profiles and their validation, and the overall outcome analysis."""

from evalstats import __version__ as __version__
from evalstats.tristate import parse_tri
from profiles.age import age_at_start, ages_at_start, birth_date_from_stated_age
from profiles.classify import (
    ClassificationResult,
    classify_count,
    classify_multiproblem,
    classify_risk_family,
    combine_target_group,
)
from profiles.definitions import (
    RULES,
    ClassificationRule,
    get_rule,
    list_rules,
    load_rule,
)
from profiles.family import (
    FamilyTypeResult,
    classify_family_type,
    classify_young_mother,
    family_features,
)
from profiles.np_target import TargetChangeResult, np_target_change
from profiles.overall import ModelEntry, ModelSpec, OverallResult, overall_analysis
from profiles.profile_sets import (
    PROFILE_SETS,
    ProfileDef,
    ProfileSet,
    get_profile_set,
    load_profile_set,
)
from profiles.registration import (
    REGISTRATION_LISTS,
    Registration,
    RegistrationList,
    get_registration_list,
    validate_registration,
)
from profiles.validation import ProfileValidationResult, validate

__all__ = [
    "ModelEntry",
    "ModelSpec",
    "OverallResult",
    "overall_analysis",
    "PROFILE_SETS",
    "ProfileDef",
    "ProfileSet",
    "ProfileValidationResult",
    "get_profile_set",
    "load_profile_set",
    "validate",
    "REGISTRATION_LISTS",
    "RULES",
    "ClassificationResult",
    "ClassificationRule",
    "FamilyTypeResult",
    "Registration",
    "RegistrationList",
    "TargetChangeResult",
    "age_at_start",
    "ages_at_start",
    "birth_date_from_stated_age",
    "classify_count",
    "classify_family_type",
    "classify_multiproblem",
    "classify_risk_family",
    "classify_young_mother",
    "combine_target_group",
    "family_features",
    "get_registration_list",
    "get_rule",
    "list_rules",
    "load_rule",
    "np_target_change",
    "parse_tri",
    "validate_registration",
]
