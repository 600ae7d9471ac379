"""Multi-problem and risk families: "at least k of n indicators", with honest unknowns.

A family is classified ``"yes"`` when enough indicators are present, ``"no"`` when even every
unknown indicator turning out present could not reach the threshold, and ``"undetermined"``
exactly when the unknowns could still change the answer. Every result says which rule and which
indicators decided it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from evalstats.errors import DataValidationError, Problem
from evalstats.format import Lang, fmt_num
from evalstats.result import Result
from evalstats.tristate import ACCEPTED_CODES, NO, UNKNOWN, YES, parse_tri
from profiles.definitions import ClassificationRule, resolve_rule

Outcome = Literal["yes", "no", "undetermined"]
UNDETERMINED: Outcome = "undetermined"


def decide_count(n_yes: int, n_unknown: int, threshold: int, strict: bool = False) -> Outcome:
    """The three-valued answer to "at least ``threshold`` indicators are present".

    ``strict=True`` reproduces the dissertation's practice for risk families: any unknown
    indicator makes the family undetermined, even when the answer is already decided.

    Examples
    --------
    >>> decide_count(5, 1, 6), decide_count(6, 1, 6), decide_count(1, 6, 6), decide_count(2, 0, 6)
    ('undetermined', 'yes', 'undetermined', 'no')
    >>> decide_count(6, 1, 6, strict=True)
    'undetermined'
    """
    if strict and n_unknown > 0:
        return UNDETERMINED
    if n_yes >= threshold:
        return "yes"
    if n_yes + n_unknown < threshold:
        return "no"
    return UNDETERMINED


class ClassificationResult(Result):
    """Per-family outcome of a count rule, with the evidence that decided it.

    Attributes
    ----------
    rule : ClassificationRule
        The rule applied.
    classification : pandas.Series
        ``"yes"``, ``"no"`` or ``"undetermined"`` per family.
    inputs : pandas.DataFrame
        The indicators as read (``"yes"``, ``"no"``, ``"unknown"``).
    missing_indicators : list of str
        Indicators of the rule that were not in the data and were taken as unknown.
    strict : bool
        Whether any unknown made a family undetermined (the dissertation's practice).

    Examples
    --------
    >>> r = classify_count({"a": "ja", "b": "ja"}, rule=_doc_rule())
    >>> r.classification.tolist(), r.table["reason"].tolist()
    (['yes'], ['2 present ≥ 2'])
    """

    titles = {"en": "Classification", "nl": "Classificatie"}

    def __init__(
        self,
        rule: ClassificationRule,
        inputs: pd.DataFrame,
        missing_indicators: list[str],
        strict: bool,
    ):
        self.rule = rule
        self.inputs = inputs
        self.missing_indicators = list(missing_indicators)
        self.strict = strict
        threshold = rule.definition.threshold
        cols = np.array(inputs.columns, dtype=object)
        arr = inputs.to_numpy(dtype=object)
        is_yes, is_no, is_unk = arr == YES, arr == NO, arr == UNKNOWN
        n_yes, n_no, n_unk = is_yes.sum(axis=1), is_no.sum(axis=1), is_unk.sum(axis=1)
        outcome = np.where(n_yes >= threshold, "yes",
                           np.where(n_yes + n_unk < threshold, "no", UNDETERMINED)).astype(object)  # fmt: skip
        if strict:
            outcome[n_unk > 0] = UNDETERMINED
        deciding, reasons = [], []
        for i in range(len(arr)):
            y, u = int(n_yes[i]), int(n_unk[i])
            if strict and u:
                mask, reason = is_unk[i], f"strict: {u} unknown indicator(s)"
            elif outcome[i] == "yes":
                mask, reason = is_yes[i], f"{y} present ≥ {threshold}"
            elif outcome[i] == "no":
                mask = is_no[i]
                reason = f"at most {y + u} present ({y} yes + {u} unknown) < {threshold}"
            else:
                mask = is_unk[i]
                reason = f"{y} present < {threshold}, but {u} unknown could reach {threshold}"
            deciding.append(", ".join(cols[mask]))
            reasons.append(reason)
        rows = pd.DataFrame(
            {
                inputs.index.name or "family": inputs.index,
                "rule": rule.id,
                "result": outcome,
                "n_yes": n_yes.astype(int),
                "n_no": n_no.astype(int),
                "n_unknown": n_unk.astype(int),
                "threshold": threshold,
                "deciding": deciding,
                "reason": reasons,
            }
        )
        self._table = pd.DataFrame(rows).set_index(inputs.index.name or "family")
        self.classification = self._table["result"].rename(rule.id)

    @property
    def table(self) -> pd.DataFrame:
        """One row per family: rule, result, counts of yes/no/unknown, deciding indicators, reason."""
        return self._table.copy()

    def counts(self) -> pd.DataFrame:
        """Number and percentage of families per outcome (yes, no, undetermined, total).

        Examples
        --------
        >>> r = classify_count(pd.DataFrame({"a": ["ja", "nee"], "b": ["ja", None]}),
        ...                    rule=_doc_rule())
        >>> r.counts()["n"].tolist()
        [1, 1, 0, 2]
        """
        n = self.classification.value_counts().reindex(["yes", "no", UNDETERMINED], fill_value=0)
        out = pd.DataFrame({"n": n.astype(int)})
        total = int(out["n"].sum())
        out.loc["total"] = total
        out["percent"] = out["n"] / total * 100 if total else float("nan")
        out.index.name = "result"
        return out

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """A frequency table of the outcomes (Frequency, Percent) as SPSS prints it."""
        c = self.counts()
        labels = {
            "en": {"yes": "Yes", "no": "No", UNDETERMINED: "Undetermined", "total": "Total"},
            "nl": {"yes": "Ja", "no": "Nee", UNDETERMINED: "Onbepaald", "total": "Totaal"},
        }[lang]
        head = ("Frequency", "Percent") if lang == "en" else ("Frequentie", "Percentage")
        return pd.DataFrame(
            {
                head[0]: c["n"].astype(int).to_numpy(),
                head[1]: [fmt_num(p, 1, lang) for p in c["percent"]],
            },
            index=[labels[i] for i in c.index],
        )

    def apa(self, lang: Lang = "en") -> str:
        """A sentence with the counts per outcome and the rule applied."""
        c = self.counts()
        total = int(c.loc["total", "n"])
        y, n_, u = (int(c.loc[k, "n"]) for k in ("yes", "no", UNDETERMINED))
        py = fmt_num(c.loc["yes", "percent"], 1, lang)
        title = self.rule.title_en if lang == "en" else self.rule.title_nl
        if lang == "nl":
            return (
                f"Van de {total} gezinnen voldoen er {y} ({py}%) aan de regel '{title}', "
                f"{n_} niet en bij {u} is dat door ontbrekende informatie niet te bepalen."
            )
        return (
            f"Of {total} families, {y} ({py}%) meet the rule '{title}', {n_} do not, "
            f"and {u} cannot be determined because of missing information."
        )


def _doc_rule() -> ClassificationRule:
    return ClassificationRule.model_validate(
        {
            "id": "doc_two_of_two",
            "title_en": "Both",
            "title_nl": "Beide",
            "source": "doctest",
            "definition": {
                "kind": "count_threshold",
                "threshold": 2,
                "indicators": [
                    {"id": "a", "label_en": "A", "label_nl": "A"},
                    {"id": "b", "label_en": "B", "label_nl": "B"},
                ],
            },
        }
    )


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def read_indicators(
    data: pd.DataFrame | Mapping,
    columns: list[str],
    missing: Literal["error", "unknown"] = "error",
    context: str = "the indicators",
) -> tuple[pd.DataFrame, list[str]]:
    """Read yes/no/unknown columns; collect every invalid code and (by default) missing column.

    Returns the parsed frame (same index, one column per requested id, values ``"yes"``,
    ``"no"``, ``"unknown"``) and the list of requested columns that were absent (only when
    ``missing="unknown"``).

    Examples
    --------
    >>> frame, absent = read_indicators({"a": "ja", "b": 0}, ["a", "b", "c"], missing="unknown")
    >>> frame.iloc[0].tolist(), absent
    (['yes', 'no', 'unknown'], ['c'])
    """
    if isinstance(data, Mapping):
        data = pd.DataFrame([dict(data)])
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"expected a DataFrame or a mapping, got {type(data).__name__}")
    problems: list[Problem] = []
    absent = [c for c in columns if c not in data.columns]
    if absent and missing == "error":
        for c in absent:
            problems.append(
                Problem(None, c, None, "a column for this indicator (or pass missing='unknown')")
            )
    out = {}
    for c in columns:
        if c in absent:
            out[c] = [UNKNOWN] * len(data)
            continue
        col = data[c]
        codes = {}
        for v in pd.unique(col.to_numpy(dtype=object)):
            key = "__missing__" if _missing(v) else v
            codes[key] = parse_tri(v)
        vals = [codes["__missing__" if _missing(v) else v] for v in col.to_numpy(dtype=object)]
        for idx, v, t in zip(col.index, col.to_numpy(dtype=object), vals, strict=True):
            if t is None:
                problems.append(Problem(idx, c, v, f"yes/no/unknown ({ACCEPTED_CODES})"))
        vals = [UNKNOWN if t is None else t for t in vals]
        out[c] = vals
    if problems:
        raise DataValidationError(problems, context=context)
    frame = pd.DataFrame(out, index=data.index.copy(), dtype=object)
    return frame, absent if missing == "unknown" else []


def classify_count(
    data: pd.DataFrame | Mapping,
    rule: str | ClassificationRule,
    missing: Literal["error", "unknown"] = "error",
    strict: bool = False,
) -> ClassificationResult:
    """Apply any "at least k of n" rule to one row per family.

    Parameters
    ----------
    data:
        One row per family (the index identifies the family), one column per indicator id of
        the rule, coded yes/no/unknown in any accepted coding (see :mod:`profiles.tristate`).
        A mapping is one family.
    rule:
        A rule id or :class:`~profiles.definitions.ClassificationRule` of kind
        ``count_threshold``.
    missing:
        ``"error"`` (default): an indicator column that is absent is a validation problem.
        ``"unknown"``: absent indicators count as unknown and are listed in
        ``result.missing_indicators``.
    strict:
        Make every family with an unknown indicator undetermined (the dissertation's practice
        for risk families).

    Examples
    --------
    >>> r = classify_count({"a": "ja", "b": "onbekend"}, rule=_doc_rule())
    >>> r.classification.tolist(), r.table["deciding"].tolist()
    (['undetermined'], ['b'])
    """
    rule = resolve_rule(rule, "count_threshold")
    frame, absent = read_indicators(
        data, rule.definition.indicator_ids, missing=missing, context=f"the indicators of {rule.id}"
    )
    if frame.index.name is None:
        frame.index = frame.index.rename("family")
    return ClassificationResult(rule, frame, absent, strict)


def classify_multiproblem(
    domains: pd.DataFrame | Mapping,
    rule: str | ClassificationRule = "multiproblem_bodden_dekovic",
    missing: Literal["error", "unknown"] = "error",
    strict: bool = False,
) -> ClassificationResult:
    """Multi-problem family: problems on at least 6 of the 7 Bodden & Deković domains.

    Columns (domain ids): ``child``, ``parent``, ``parenting``, ``family_functioning``,
    ``context``, ``social_network``, ``care_history``.

    Examples
    --------
    >>> import pandas as pd
    >>> doms = ["child", "parent", "parenting", "family_functioning", "context",
    ...         "social_network", "care_history"]
    >>> fams = pd.DataFrame([
    ...     ["ja"] * 5 + ["onbekend", "nee"],   # 5 yes + 1 unknown
    ...     ["ja"] * 6 + ["onbekend"],          # 6 yes + 1 unknown
    ...     ["ja"] + ["onbekend"] * 6,          # 1 yes + 6 unknown
    ...     ["ja"] * 2 + ["nee"] * 5,           # 2 yes, 5 no
    ... ], columns=doms, index=pd.Index(["f1", "f2", "f3", "f4"], name="family"))
    >>> r = classify_multiproblem(fams)
    >>> r.classification.tolist()
    ['undetermined', 'yes', 'undetermined', 'no']
    >>> r.table.loc["f1", ["n_yes", "n_no", "n_unknown", "deciding"]].to_dict()
    {'n_yes': 5, 'n_no': 1, 'n_unknown': 1, 'deciding': 'social_network'}
    """
    return classify_count(domains, rule, missing=missing, strict=strict)


def classify_risk_family(
    indicators: pd.DataFrame | Mapping,
    rule: str | ClassificationRule = "risk_family_rmo",
    missing: Literal["error", "unknown"] = "error",
    strict: bool = False,
) -> ClassificationResult:
    """Risk family: at least 4 of the 16 RMO indicators over four domains (Van den Broek e.a.).

    The indicator ids are those of rule ``risk_family_rmo`` (see ``docs/guide-profiles.md``);
    ``rule="risk_family_rmo_with_network"`` adds "no supportive network" as a seventeenth.

    Examples
    --------
    >>> from profiles.definitions import get_rule
    >>> ids = get_rule("risk_family_rmo").definition.indicator_ids
    >>> fam = {i: "nee" for i in ids} | {"poverty": "ja", "single_parenthood": "ja",
    ...                                  "domestic_violence": "ja", "parent_addiction": "ja"}
    >>> classify_risk_family(fam).classification.tolist()
    ['yes']
    >>> fam["parent_addiction"] = "onbekend"
    >>> r = classify_risk_family(fam)
    >>> r.classification.tolist(), r.table["deciding"].tolist()
    (['undetermined'], ['parent_addiction'])
    """
    return classify_count(indicators, rule, missing=missing, strict=strict)


def combine_target_group(
    multiproblem: ClassificationResult | pd.Series, risk: ClassificationResult | pd.Series
) -> pd.DataFrame:
    """Whether each family belongs to the intended target group (multi-problem OR risk family).

    Follows the dissertation's order (4.5): a family that is no multi-problem family is assessed
    as risk family. ``in_target_group`` is the three-valued OR of the two outcomes;
    ``category`` is ``"multi-problem"``, ``"risk family"``, ``"neither"`` or ``"undetermined"``.

    Examples
    --------
    >>> mp = pd.Series(["yes", "no", "no", "undetermined", "no"])
    >>> rk = pd.Series(["no", "yes", "no", "yes", "undetermined"])
    >>> combine_target_group(mp, rk)["category"].tolist()
    ['multi-problem', 'risk family', 'neither', 'risk family', 'undetermined']
    """
    mp = multiproblem.classification if isinstance(multiproblem, ClassificationResult) else multiproblem
    rk = risk.classification if isinstance(risk, ClassificationResult) else risk
    idx = mp.index.union(rk.index, sort=False)
    mp = mp.reindex(idx, fill_value=UNDETERMINED)
    rk = rk.reindex(idx, fill_value=UNDETERMINED)
    cats, member = [], []
    for a, b in zip(mp, rk, strict=True):
        if a == "yes":
            cats.append("multi-problem")
            member.append("yes")
        elif b == "yes":
            # multi-problem unknown or no, risk family certain: in the target group either way
            cats.append("risk family")
            member.append("yes")
        elif a == "no" and b == "no":
            cats.append("neither")
            member.append("no")
        else:
            cats.append(UNDETERMINED)
            member.append(UNDETERMINED)
    return pd.DataFrame(
        {"multiproblem": mp.to_numpy(), "risk_family": rk.to_numpy(), "in_target_group": member,
         "category": cats},
        index=idx,
    )
