"""Classification rules as data: validated pydantic models read from TOML/JSON and plugins.

Every derived characteristic of the target-group analysis (age at start, family type, teen and
young mother, multi-problem family, risk family, NP target characteristics) is computed from a
rule *definition*: a file in ``profiles/rules/`` or a user/plugin file with the same shape. The
code only interprets the definition; thresholds, item lists, labels and sources live in the file.

Plugins register further rules under the entry-point group ``zorgeval.classification_rules``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from evalstats.registry import Registry

ENTRY_POINT_GROUP = "zorgeval.classification_rules"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Indicator(_Model):
    """One yes/no/unknown indicator counted by a :class:`CountRule`.

    Examples
    --------
    >>> Indicator(id="poverty", label_en="Poverty", label_nl="Armoede", domain="ses").domain
    'ses'
    """

    id: str
    label_en: str
    label_nl: str
    domain: str | None = None
    note: str = ""


class Domain(_Model):
    """A named group of indicators (e.g. an RMO domain).

    Examples
    --------
    >>> Domain(id="ses", label_en="Socio-economic status", label_nl="SES").id
    'ses'
    """

    id: str
    label_en: str
    label_nl: str


class CountRule(_Model):
    """"At least ``threshold`` of these indicators are present", with three-valued logic.

    The answer is ``"yes"`` when at least ``threshold`` indicators are yes, ``"no"`` when even
    turning every unknown into yes would stay below the threshold, and ``"undetermined"``
    otherwise.

    Examples
    --------
    >>> get_rule("multiproblem_bodden_dekovic").definition.indicator_ids[:2]
    ['child', 'parent']
    """

    kind: Literal["count_threshold"]
    threshold: int = Field(ge=1)
    indicators: list[Indicator]
    domains: list[Domain] = []

    @model_validator(mode="after")
    def _check(self) -> CountRule:
        ids = [i.id for i in self.indicators]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"indicator ids occur twice: {dup}")
        if self.threshold > len(ids):
            raise ValueError(f"threshold {self.threshold} exceeds the {len(ids)} indicators")
        known = {d.id for d in self.domains}
        if known:
            bad = sorted({i.domain for i in self.indicators if i.domain not in known})
            if bad:
                raise ValueError(f"indicators name unknown domains {bad}; known: {sorted(known)}")
        return self

    @property
    def indicator_ids(self) -> list[str]:
        """Indicator ids in definition order."""
        return [i.id for i in self.indicators]


class AgeRule(_Model):
    """Age at the start of the last trajectory (dissertation 003: 1707-1716).

    ``round_up_months``: a birthday falling within this many calendar months *after* the start
    rounds the age up to that birthday's age; ``window_inclusive`` says whether a birthday
    exactly that many months after the start still counts. Ages below ``quarters_below_years``
    are given in quarters of a year (completed 3-month steps). ``round_up_quarters`` applies the
    same round-up to quarter anniversaries (the dissertation only speaks of birthdays).
    ``leap_day_birthday`` says when someone born on 29 February has a birthday in common years.

    Examples
    --------
    >>> get_rule("age_at_start").definition.round_up_months
    1
    """

    kind: Literal["age_at_start"]
    round_up_months: int = Field(default=1, ge=0)
    window_inclusive: bool = True
    quarters_below_years: int = Field(default=4, ge=0)
    round_up_quarters: bool = False
    leap_day_birthday: Literal["mar1", "feb28"] = "mar1"


class FamilyTypeDef(_Model):
    """One family type: conditions on family features that must all hold.

    Features: ``parents`` (number of members with role parent), ``all_parents_biological``,
    ``any_parent_biological``, ``separating`` (the parents are ending their relationship),
    ``several_sibling_groups`` (children of different biological parent pairs) and
    ``minor_child`` (at least one child of at most ``max_child_age`` at the start).

    Examples
    --------
    >>> [t.id for t in get_rule("family_type_reset").definition.types][:2]
    ['traditional', 'single_parent']
    """

    id: str
    label_en: str
    label_nl: str
    definition_nl: str = ""
    conditions: dict[str, bool | int]

    @model_validator(mode="after")
    def _check(self) -> FamilyTypeDef:
        allowed = {
            "parents",
            "all_parents_biological",
            "any_parent_biological",
            "separating",
            "several_sibling_groups",
            "minor_child",
        }
        bad = sorted(set(self.conditions) - allowed)
        if bad:
            raise ValueError(f"family type {self.id!r}: unknown features {bad}; known: {sorted(allowed)}")
        return self


class FamilyTypeRule(_Model):
    """Family types from the roster, and named collapses of those types into fewer groups.

    A collapse maps every type id (and optionally ``other``, a family that fits no type; by
    default it stays ``other``) to a group.

    Examples
    --------
    >>> sorted(get_rule("family_type_reset").definition.collapses)
    ['blended_any', 'broken_family', 'four_types']
    """

    kind: Literal["family_type"]
    max_child_age: int = 18
    types: list[FamilyTypeDef]
    collapses: dict[str, dict[str, str]] = {}

    @model_validator(mode="after")
    def _check(self) -> FamilyTypeRule:
        ids = {t.id for t in self.types}
        for name, mapping in self.collapses.items():
            missing = sorted(ids - set(mapping))
            extra = sorted(set(mapping) - ids - {"other"})
            if missing or extra:
                raise ValueError(
                    f"collapse {name!r} must map every type exactly: missing {missing}, unknown {extra}"
                )
        return self


class MotherAgeRule(_Model):
    """Teen and young motherhood from the mother's age at the birth of her first child.

    Teen mother: age below ``teen_below``; young mother: from ``teen_below`` up to (not
    including) ``young_below``. ``fallback_second_child`` follows footnote 65: when the first
    child's date of birth is missing, the second child's is used, and a mother below
    ``young_below`` at that birth counts as a young (or teen) mother.

    Examples
    --------
    >>> get_rule("young_mother").definition.teen_below
    20
    """

    kind: Literal["mother_age_at_first_birth"]
    teen_below: int = 20
    young_below: int = 24
    fallback_second_child: bool = True


class TargetItem(_Model):
    """One NP target characteristic, and at which moments it is recorded.

    Examples
    --------
    >>> [i.id for i in get_rule("np_target_characteristics").definition.items if not i.at_start]
    ['police_justice_contact', 'mental_health_complaints', 'sufficiently_learnable']
    """

    id: str
    label_en: str
    label_nl: str
    at_start: bool
    at_close: bool
    note: str = ""


class TargetCharacteristicsRule(_Model):
    """Target characteristics recorded at start and/or close of a trajectory.

    Examples
    --------
    >>> len(get_rule("np_target_characteristics").definition.items)
    8
    """

    kind: Literal["target_characteristics"]
    items: list[TargetItem]


RuleBody = Annotated[
    CountRule | AgeRule | FamilyTypeRule | MotherAgeRule | TargetCharacteristicsRule,
    Field(discriminator="kind"),
]


class ClassificationRule(_Model):
    """A classification rule: identity, source, and the rule body (``definition``).

    Examples
    --------
    >>> rule = ClassificationRule.model_validate({
    ...     "id": "demo", "title_en": "Demo", "title_nl": "Demo", "source": "none",
    ...     "definition": {"kind": "count_threshold", "threshold": 1,
    ...                    "indicators": [{"id": "a", "label_en": "A", "label_nl": "A"}]}})
    >>> rule.definition.indicator_ids
    ['a']
    """

    id: str
    title_en: str
    title_nl: str
    source: str
    seed_lines: str = ""
    notes: list[str] = []
    definition: RuleBody


RULES: Registry[ClassificationRule] = Registry(
    ClassificationRule,
    "classification rule",
    builtin_dir=Path(__file__).parent / "rules",
    entry_point_group=ENTRY_POINT_GROUP,
)


def get_rule(rule_id: str, kind: str | None = None) -> ClassificationRule:
    """A classification rule by id (built-in, loaded file or plugin), optionally of one kind.

    Examples
    --------
    >>> get_rule("multiproblem_bodden_dekovic").definition.threshold
    6
    >>> get_rule("age_at_start", kind="count_threshold")
    Traceback (most recent call last):
    ...
    evalstats.errors.RegistryError: classification rule 'age_at_start' is of kind 'age_at_start', expected 'count_threshold'
    """
    from evalstats.errors import RegistryError

    rule = RULES.get(rule_id)
    if kind is not None and rule.definition.kind != kind:
        raise RegistryError(
            f"classification rule {rule_id!r} is of kind {rule.definition.kind!r}, expected {kind!r}"
        )
    return rule


def resolve_rule(rule: str | ClassificationRule, kind: str) -> ClassificationRule:
    """Accept a rule id or a rule object; check its kind.

    Examples
    --------
    >>> resolve_rule("risk_family_rmo", "count_threshold").definition.threshold
    4
    """
    if isinstance(rule, ClassificationRule):
        if rule.definition.kind != kind:
            from evalstats.errors import RegistryError

            raise RegistryError(
                f"classification rule {rule.id!r} is of kind {rule.definition.kind!r}, expected {kind!r}"
            )
        return rule
    return get_rule(rule, kind=kind)


def load_rule(path: str | Path, register: bool = True) -> ClassificationRule:
    """Read and validate a rule file (TOML or JSON) and (by default) register it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.toml"
    >>> _ = p.write_text('''
    ... id = "two_of_three"
    ... title_en = "Two of three"
    ... title_nl = "Twee van drie"
    ... source = "example"
    ... [definition]
    ... kind = "count_threshold"
    ... threshold = 2
    ... indicators = [{id = "a", label_en = "A", label_nl = "A"},
    ...               {id = "b", label_en = "B", label_nl = "B"},
    ...               {id = "c", label_en = "C", label_nl = "C"}]
    ... ''')
    >>> load_rule(p, register=False).definition.threshold
    2
    """
    return RULES.load(path, register=register)


def list_rules() -> list[str]:
    """Ids of every classification rule that can be found.

    Examples
    --------
    >>> "family_type_reset" in list_rules()
    True
    """
    return RULES.ids()
