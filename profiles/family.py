"""Family type and teen / young motherhood from the registration roster.

Both are three-valued: when the roster leaves a question open that matters, the outcome is
``"undetermined"`` and the table says which candidates remain and why.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Protocol

import numpy as np
import pandas as pd

from evalstats.format import Lang, fmt_num
from evalstats.result import Result
from evalstats.tristate import NO, UNKNOWN, YES, Tri, tri_and
from profiles.age import completed_years
from profiles.definitions import ClassificationRule, FamilyTypeRule, MotherAgeRule, resolve_rule

UNDETERMINED = "undetermined"
OTHER = "other"


class _Roster(Protocol):
    """What family types are read from: the members and families frames of a validated
    registration list (:class:`profiles.registration.Registration`)."""

    members: pd.DataFrame
    families: pd.DataFrame


def _tri_any_all(flag_yes: pd.Series, flag_no: pd.Series, groups: pd.Series, index: pd.Index,
                 conj: bool) -> pd.Series:
    """Kleene ``and`` (``conj``) or ``or`` of each group's values, given which are yes / no
    (anything else counts as unknown); an empty group gives yes for ``and``, no for ``or``."""
    unknown = ~(flag_yes | flag_no)
    any_yes = flag_yes.groupby(groups).any().reindex(index, fill_value=False).to_numpy()
    any_no = flag_no.groupby(groups).any().reindex(index, fill_value=False).to_numpy()
    any_unknown = unknown.groupby(groups).any().reindex(index, fill_value=False).to_numpy()
    if conj:
        out = np.where(any_no, NO, np.where(any_unknown, UNKNOWN, YES))
    else:
        out = np.where(any_yes, YES, np.where(any_unknown, UNKNOWN, NO))
    return pd.Series(out, index=index, dtype=object)


def _sibling_groups(children: pd.DataFrame, index: pd.Index) -> pd.Series:
    """Several sibling groups per family: no with at most one child; else yes when two labels
    are known, no when every label is known (one group), unknown otherwise or without labels."""
    n_children = children.groupby("family").size().reindex(index, fill_value=0).to_numpy()
    if "sibling_group" not in children.columns:
        return pd.Series(np.where(n_children <= 1, NO, UNKNOWN), index=index, dtype=object)
    labels = children["sibling_group"]
    missing = labels.isna() | (labels.astype(str).str.strip() == "")
    fam = children["family"]
    n_known = (
        labels[~missing].astype(str).groupby(fam[~missing]).nunique()
        .reindex(index, fill_value=0).to_numpy()
    )  # fmt: skip
    any_missing = missing.groupby(fam).any().reindex(index, fill_value=False).to_numpy()
    out = np.where(
        n_children <= 1, NO, np.where(n_known >= 2, YES, np.where(~any_missing, NO, UNKNOWN))
    )
    return pd.Series(out, index=index, dtype=object)


def family_features(registration: _Roster, max_child_age: int = 18) -> pd.DataFrame:
    """The roster features family types are defined on, one row per family.

    Computed for all families at once (one grouping of the members table), so the cost per
    family does not grow with the number of families.

    Examples
    --------
    >>> from profiles.registration import _doc_reg
    >>> family_features(_doc_reg()).loc["g1"].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'parents': 2, 'all_parents_biological': 'yes', 'any_parent_biological': 'yes',
     'separating': 'no', 'several_sibling_groups': 'no', 'minor_child': 'yes'}
    """
    mem = registration.members
    fam = registration.families
    index = fam.index
    parents = mem[(mem["role"] == "parent").to_numpy()]
    children = mem[(mem["role"] == "child").to_numpy()]
    n_parents = parents.groupby("family").size().reindex(index, fill_value=0)
    bio_yes, bio_no = parents["biological"] == YES, parents["biological"] == NO
    all_bio = _tri_any_all(bio_yes, bio_no, parents["family"], index, conj=True)
    all_bio[(n_parents == 0).to_numpy()] = NO
    age = children["age_at_start"]
    out = pd.DataFrame(
        {
            "parents": n_parents.to_numpy(),
            "all_parents_biological": all_bio.to_numpy(),
            "any_parent_biological": _tri_any_all(
                bio_yes, bio_no, parents["family"], index, conj=False
            ).to_numpy(),
            "separating": fam["separating"].to_numpy(dtype=object)
            if "separating" in fam.columns
            else UNKNOWN,
            "several_sibling_groups": _sibling_groups(children, index).to_numpy(),
            "minor_child": _tri_any_all(
                age.notna() & (age <= max_child_age),
                age.notna() & ~(age <= max_child_age),
                children["family"],
                index,
                conj=False,
            ).to_numpy(),
        },
        index=index.copy(),
    )
    out.index.name = "family"
    return out


def _match(conditions: dict, features: dict) -> Tri:
    parts: list[Tri] = []
    for name, expected in conditions.items():
        value = features[name]
        if name == "parents":
            parts.append(YES if int(value) == int(expected) else NO)
        elif value == UNKNOWN:
            parts.append(UNKNOWN)
        else:
            parts.append(YES if (value == YES) == bool(expected) else NO)
    return tri_and(parts)


def _decide(body: FamilyTypeRule, features: dict) -> str:
    fitting = [t.id for t in body.types if _match(t.conditions, features) == YES]
    return fitting[0] if len(fitting) == 1 else (OTHER if not fitting else "ambiguous")


def _possible_types(body: FamilyTypeRule, features: dict) -> list[str]:
    """Every type the family could have once each unknown feature is known (in rule order)."""
    unknown = [k for k, v in features.items() if k != "parents" and v == UNKNOWN]
    outcomes: list[str] = []
    for bits in itertools.product((YES, NO), repeat=len(unknown)):
        t = _decide(body, features | dict(zip(unknown, bits, strict=True)))
        if t not in outcomes:
            outcomes.append(t)
    order = [t.id for t in body.types] + [OTHER, "ambiguous"]
    return sorted(outcomes, key=order.index)


class FamilyTypeResult(Result):
    """Family type per family, the features it was decided on, and every collapse.

    ``table`` columns: ``rule`` (the rule id), the features, ``family_type`` (a type id, ``"other"`` when no type fits,
    ``"undetermined"`` when the unknown features could still lead to different types: every
    completion of the unknowns is tried), ``candidates``, and one
    column per collapse of the rule (e.g. ``four_types``).

    Examples
    --------
    >>> from profiles.registration import _doc_reg
    >>> classify_family_type(_doc_reg()).collapsed("four_types").tolist()
    ['traditional', 'single_parent', 'in_divorce']
    """

    titles = {"en": "Family types", "nl": "Gezinstypen"}

    def __init__(self, rule: ClassificationRule, features: pd.DataFrame):
        self.rule = rule
        body: FamilyTypeRule = rule.definition
        rows = []
        decided: dict[tuple, dict] = {}  # families with the same features get the same type
        for f, fd in zip(features.index, features.to_dict("records"), strict=True):
            key = tuple(fd.values())
            if key not in decided:
                cands = _possible_types(body, fd)
                out = {"family_type": cands[0] if len(cands) == 1 else UNDETERMINED,
                       "candidates": ", ".join(cands)}  # fmt: skip
                for name, mapping in body.collapses.items():
                    mapped = {mapping.get(c, OTHER) for c in cands}
                    out[name] = mapped.pop() if len(mapped) == 1 else UNDETERMINED
                decided[key] = out
            rows.append({"family": f, "rule": rule.id, **fd, **decided[key]})
        self._table = pd.DataFrame(rows).set_index("family")
        self.family_type = self._table["family_type"]

    @property
    def table(self) -> pd.DataFrame:
        """One row per family: features, type, candidates, collapses."""
        return self._table.copy()

    def collapsed(self, name: str = "four_types") -> pd.Series:
        """The types collapsed by a named mapping of the rule (``four_types``, ``blended_any``...)."""
        if name not in self.rule.definition.collapses:
            raise KeyError(f"no collapse {name!r}; the rule has {sorted(self.rule.definition.collapses)}")
        return self._table[name]

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Frequency and percentage per family type (in rule order, then other/undetermined)."""
        body: FamilyTypeRule = self.rule.definition
        order = [t.id for t in body.types] + [OTHER, UNDETERMINED]
        label = {t.id: (t.label_en if lang == "en" else t.label_nl) for t in body.types}
        label |= {OTHER: "Other" if lang == "en" else "Overig",
                  UNDETERMINED: "Undetermined" if lang == "en" else "Onbepaald"}  # fmt: skip
        n = self.family_type.value_counts().reindex(order, fill_value=0)
        total = int(n.sum())
        head = ("Frequency", "Percent") if lang == "en" else ("Frequentie", "Percentage")
        out = pd.DataFrame(
            {head[0]: list(n.astype(int)) + [total],
             head[1]: [fmt_num(v / total * 100 if total else float("nan"), 1, lang) for v in n] + [fmt_num(100.0, 1, lang)]},
            index=[label[i] for i in order] + ["Total" if lang == "en" else "Totaal"],
        )  # fmt: skip
        return out

    def apa(self, lang: Lang = "en") -> str:
        """A sentence with the most frequent type and the number undetermined."""
        n = self.family_type.value_counts()
        total = int(n.sum())
        body: FamilyTypeRule = self.rule.definition
        label = {t.id: (t.label_en if lang == "en" else t.label_nl).lower() for t in body.types}
        parts = [
            f"{label.get(k, k)} {int(v)} ({fmt_num(v / total * 100, 1, lang)}%)"
            for k, v in n.items()
            if k in label
        ]
        und = int(n.get(UNDETERMINED, 0))
        if lang == "nl":
            return f"Van de {total} gezinnen: {'; '.join(parts)}; {und} niet te bepalen."
        return f"Of {total} families: {'; '.join(parts)}; {und} could not be determined."


def classify_family_type(
    registration: _Roster, rule: str | ClassificationRule = "family_type_reset"
) -> FamilyTypeResult:
    """Family type by the rule's definitions (six ReSet types by default) and its collapses.

    Examples
    --------
    >>> from profiles.registration import _doc_reg
    >>> r = classify_family_type(_doc_reg())
    >>> r.table[["family_type", "four_types"]].values.tolist()
    [['traditional', 'traditional'], ['undetermined', 'single_parent'], ['blended_in_divorce', 'in_divorce']]
    >>> r.table.loc["g2", "candidates"]
    'single_parent, blended_single_parent'
    """
    rule = resolve_rule(rule, "family_type")
    return FamilyTypeResult(rule, family_features(registration, rule.definition.max_child_age))


def classify_young_mother(
    registration: _Roster, rule: str | ClassificationRule = "young_mother"
) -> pd.DataFrame:
    """Teen mother / young mother per family, from the mother's and the children's birth dates.

    The mother is the parent with sex ``f`` known to be the biological parent of every child;
    every child on the roster counts as hers (list children living elsewhere on the roster too).

    Returns a frame per family with ``rule`` (the rule id), ``mother``, ``age_at_first_birth`` (completed years at the
    earliest known birth), ``category`` (``teen``, ``young``, ``neither``, ``undetermined``),
    ``young_or_teen`` (yes/no/unknown: below ``young_below``, the RMO indicator) and ``reason``.

    Examples
    --------
    >>> from profiles.registration import _doc_reg
    >>> classify_young_mother(_doc_reg())[["age_at_first_birth", "category", "young_or_teen"]].values.tolist()
    [[19.0, 'teen', 'yes'], [22.0, 'undetermined', 'yes'], [nan, 'undetermined', 'unknown']]
    """
    rule = resolve_rule(rule, "mother_age_at_first_birth")
    body: MotherAgeRule = rule.definition
    mem = registration.members
    # everything per family from one grouping of the members table
    is_mother = (mem["role"] == "parent") & (mem["sex"] == "f") & (mem["biological"] == YES)
    mothers = mem[is_mother.to_numpy()]
    n_mothers = mothers.groupby("family").size().to_dict()
    first_mother = mothers.drop_duplicates("family").set_index("family")
    mother_id = first_mother["member"].to_dict()
    mother_dob = first_mother["date_of_birth"].to_dict()
    children = mem[(mem["role"] == "child").to_numpy()]
    known = np.array([d is not None for d in children["date_of_birth"]], dtype=bool)
    n_unknown_of = pd.Series(~known).groupby(children["family"].to_numpy()).sum().to_dict()
    ordinals = pd.Series([d.toordinal() for d in children["date_of_birth"][known]], dtype="int64")
    first_birth = ordinals.groupby(children["family"].to_numpy()[known]).min().to_dict()
    rows = []
    for f in registration.families.index:
        row = {"family": f, "rule": rule.id, "mother": None, "age_at_first_birth": float("nan"),
               "category": UNDETERMINED, "young_or_teen": UNKNOWN, "reason": ""}  # fmt: skip
        if n_mothers.get(f, 0) != 1:
            row["reason"] = (
                "no parent with sex f known to be the biological mother of every child"
                if n_mothers.get(f, 0) == 0
                else "more than one biological mother"
            )
            rows.append(row)
            continue
        row["mother"] = mother_id[f]
        n_unknown = int(n_unknown_of.get(f, 0))
        if mother_dob[f] is None or f not in first_birth:
            row["reason"] = "date of birth of the mother or of every child missing"
            rows.append(row)
            continue
        age = completed_years(mother_dob[f], dt.date.fromordinal(int(first_birth[f])))
        row["age_at_first_birth"] = float(age)
        if n_unknown == 0:
            row["category"] = "teen" if age < body.teen_below else (
                "young" if age < body.young_below else "neither")  # fmt: skip
            row["young_or_teen"] = YES if age < body.young_below else NO
            row["reason"] = f"first child born at {age}"
        elif age < body.teen_below:
            row["category"], row["young_or_teen"] = "teen", YES
            row["reason"] = f"{n_unknown} child(ren) without date of birth; already {age} < {body.teen_below} at a known birth"
        elif age < body.young_below and body.fallback_second_child:
            row["young_or_teen"] = YES
            row["reason"] = (
                f"{n_unknown} child(ren) without date of birth; {age} < {body.young_below} at a "
                "later birth (footnote 65), teen or young undecided"
            )
        else:
            row["reason"] = f"{n_unknown} child(ren) without date of birth could be older"
        rows.append(row)
    return pd.DataFrame(rows).set_index("family")
