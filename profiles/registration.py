"""The registration list: validated member and family frames of a target-group study.

Two frames describe a study:

``members`` (one row per family member)
    ``family``, ``member``, ``role`` (``parent``/``child``; also ``ouder``/``kind``),
    optional ``sex`` (``f``/``m``/``unknown``; also ``v``, ``vrouw``, ``man``, ``meisje``,
    ``jongen``, ``female``, ``male``), ``date_of_birth``, ``biological`` (parents: the parent is a
    biological parent of every child of the family; yes/no/unknown), ``sibling_group`` (children:
    a label shared by children of the same pair of biological parents), ``education`` (parents),
    ``country_of_birth`` and any member item of the registration list (yes/no/unknown).
``families`` (one row per family)
    ``family``, ``start_date`` (start of the last trajectory) and optional family items of the
    list (``separating``, ``network_support``, ...) plus any further columns (organisation, team,
    practitioner, profile), which are passed through.

:func:`validate_registration` checks everything and raises one
:class:`~evalstats.errors.DataValidationError` listing every problem by row, column and value.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict

from evalstats.errors import NOT_SHOWN, DataValidationError, Problem, withheld
from evalstats.registry import Registry
from evalstats.tristate import ACCEPTED_CODES, UNKNOWN, parse_tri, tri_or
from profiles.age import _to_date, ages_at_start
from profiles.definitions import ClassificationRule
from profiles.family import classify_family_type, classify_young_mother

ENTRY_POINT_GROUP = "zorgeval.registration_lists"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegistrationItem(_Model):
    """One yes/no/unknown item of the registration list.

    Examples
    --------
    >>> get_registration_list("reset_appendix6").member_items[0].label_nl
    'Opvoedingsondersteuning'
    """

    id: str
    label_nl: str
    label_en: str
    risk_factor: str = ""
    note: str = ""


class CodeList(_Model):
    """A closed list of codes (code → Dutch label of the form).

    Examples
    --------
    >>> get_registration_list("reset_appendix6").education.codes["unknown"]
    'Onbekend'
    """

    codes: dict[str, str]
    applies_to: str | None = None


class RegistrationList(_Model):
    """A registration list definition (appendix 6 of the dissertation is ``reset_appendix6``).

    Examples
    --------
    >>> get_registration_list("reset_appendix6").member_item_ids[:3]
    ['parenting_support', 'school_work', 'finances_debts']
    """

    id: str
    title_en: str
    title_nl: str
    source: str
    notes: list[str] = []
    member_items: list[RegistrationItem]
    family_items: list[RegistrationItem] = []
    education: CodeList | None = None
    country_of_birth: CodeList | None = None
    referral: CodeList | None = None
    form_profile: CodeList | None = None

    @property
    def member_item_ids(self) -> list[str]:
        """Ids of the member items."""
        return [i.id for i in self.member_items]

    @property
    def family_item_ids(self) -> list[str]:
        """Ids of the family items."""
        return [i.id for i in self.family_items]


REGISTRATION_LISTS: Registry[RegistrationList] = Registry(
    RegistrationList,
    "registration list",
    builtin_dir=Path(__file__).parent / "registration_lists",
    entry_point_group=ENTRY_POINT_GROUP,
)


def get_registration_list(list_id: str) -> RegistrationList:
    """A registration list definition by id (built-in, loaded file or plugin).

    Examples
    --------
    >>> len(get_registration_list("reset_appendix6").member_items)
    24
    """
    return REGISTRATION_LISTS.get(list_id)


_ROLE = {"parent": "parent", "ouder": "parent", "opvoeder": "parent", "child": "child", "kind": "child"}
_SEX = {
    "f": "f", "v": "f", "female": "f", "vrouw": "f", "meisje": "f", "girl": "f",
    "m": "m", "male": "m", "man": "m", "jongen": "m", "boy": "m",
    "unknown": "unknown", "onbekend": "unknown", "": "unknown",
}  # fmt: skip


def _is_missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


class Registration:
    """Validated registration data; build it with :func:`validate_registration`.

    Attributes
    ----------
    members, families : pandas.DataFrame
        Normalised copies: roles ``parent``/``child``, sex ``f``/``m``/``unknown``, items
        ``yes``/``no``/``unknown``, dates as ``datetime.date`` (or ``None``), plus
        ``age_at_start`` per member.
    definition : RegistrationList

    Examples
    --------
    >>> _doc_registration().members["role"].tolist()
    ['parent', 'child', 'parent', 'child']
    """

    def __init__(self, members: pd.DataFrame, families: pd.DataFrame, definition: RegistrationList):
        self.members = members
        self.families = families
        self.definition = definition

    def family_any(self, item: str, role: str | None = None) -> pd.Series:
        """Per family: does at least one member (of ``role``) have the item? Three-valued.

        ``"yes"`` if any member has it, ``"no"`` if every member is known not to, else
        ``"unknown"``. A family without members of that role gets ``"no"``.

        Examples
        --------
        >>> reg = _doc_registration()
        >>> reg.family_any("addiction").tolist(), reg.family_any("addiction", role="child").tolist()
        (['unknown', 'yes'], ['no', 'no'])
        """
        if item not in self.members.columns:
            raise KeyError(f"no member column {item!r}; columns: {list(self.members.columns)}")
        m = self.members if role is None else self.members[self.members["role"] == role]
        out = {f: tri_or(m.loc[m["family"] == f, item]) for f in self.families.index}
        return pd.Series(out, name=item, dtype=object).rename_axis("family")

    def family_indicators(self, mapping: dict[str, list[str]]) -> pd.DataFrame:
        """Family-level indicators from member items: each indicator is present when any listed
        item is present for any member (three-valued OR). Items may be restricted to a role with
        ``"parent:addiction"`` or ``"child:addiction"``; family items are used as they are.

        Use it to build the domains of :func:`profiles.classify_multiproblem` or the indicators
        of :func:`profiles.classify_risk_family` from a registration list. The mapping is the
        evaluator's: the dissertation derived its domains from more dossier information than
        the registration list holds (003: 2720-3530).

        Examples
        --------
        >>> reg = _doc_registration()
        >>> reg.family_indicators({"parent": ["parent:addiction"], "child": ["child:addiction"]})
        ...     # doctest: +NORMALIZE_WHITESPACE
                 parent child
        family
        g1      unknown    no
        g2          yes    no
        """
        out = {}
        for indicator, sources in mapping.items():
            cols = []
            for src in sources:
                role, _, item = src.rpartition(":")
                if item in self.families.columns and not role:
                    cols.append(self.families[item])
                else:
                    cols.append(self.family_any(item, role=role or None))
            out[indicator] = [tri_or(vals) for vals in zip(*cols, strict=True)] if cols else UNKNOWN
        return pd.DataFrame(out, index=self.families.index.copy()).rename_axis("family")

    def family_types(self, rule: str | ClassificationRule = "family_type_reset"):
        """Family types by the rule (see :func:`profiles.family.classify_family_type`)."""
        return classify_family_type(self, rule)

    def mothers(self, rule: str | ClassificationRule = "young_mother"):
        """Teen / young mother per family (see :func:`profiles.family.classify_young_mother`)."""
        return classify_young_mother(self, rule)


def validate_registration(
    members: pd.DataFrame,
    families: pd.DataFrame,
    definition: str | RegistrationList = "reset_appendix6",
    age_rule: str | ClassificationRule = "age_at_start",
) -> Registration:
    """Check and normalise a registration list; collect every problem before raising.

    Parameters
    ----------
    members, families:
        See the module description. Input frames are never modified.
    definition:
        The registration list (id or object) whose items are recognised as yes/no/unknown
        columns.
    age_rule:
        The rule for the age at the start of the last trajectory.

    Returns
    -------
    Registration

    Raises
    ------
    DataValidationError
        Listing every problem: missing columns, unknown families, duplicate members, invalid
        roles, sexes, codes and dates, dates of birth after the start.

    Examples
    --------
    >>> fam = pd.DataFrame({"family": ["g1"], "start_date": ["2015-03-01"]})
    >>> mem = pd.DataFrame({"family": ["g1", "g1"], "member": ["M", "K1"],
    ...                     "role": ["ouder", "kind"], "addiction": ["ja", "nee"],
    ...                     "date_of_birth": ["1985-03-20", "2013-01-10"]})
    >>> reg = validate_registration(mem, fam)
    >>> reg.members[["role", "addiction", "age_at_start"]].values.tolist()
    [['parent', 'yes', 30.0], ['child', 'no', 2.0]]
    >>> bad = mem.assign(role=["ouder", "oma"], addiction=["ja", "misschien"])
    >>> validate_registration(bad, fam)
    Traceback (most recent call last):
    ...
    evalstats.errors.DataValidationError: 2 problems in the registration list:
      row 1, column 'role': got 'oma', expected parent or child (ouder/kind)
      row 1, column 'addiction': got 'misschien', expected yes/no/unknown (yes/no/unknown, ja/nee/onbekend, j/n, y/n, true/false, waar/onwaar, 1/0, undetermined, or empty/NaN for unknown)
    """
    defn = definition if isinstance(definition, RegistrationList) else get_registration_list(definition)
    problems: list[Problem] = []
    mem = members.copy()
    fam = families.copy()

    for frame, req, name in ((mem, ("family", "member", "role"), "members"),
                             (fam, ("family", "start_date"), "families")):  # fmt: skip
        for col in req:
            if col not in frame.columns:
                problems.append(Problem(None, col, None, f"a column {col!r} in the {name} frame"))
    if problems:
        raise DataValidationError(problems, context="the registration list")

    # families: unique ids, start dates, family items
    dup = fam["family"][fam["family"].duplicated(keep=False)]
    for idx, v in dup.items():
        problems.append(Problem(idx, "family", v, "each family once in the families frame"))
    starts = []
    for idx, v in fam["start_date"].items():
        try:
            d = _to_date(v)
        except (ValueError, TypeError):
            d = None
            problems.append(Problem(idx, "start_date", withheld(v), "a date (YYYY-MM-DD)"))
        else:
            if d is None:
                problems.append(Problem(idx, "start_date", None, "the start date of the last trajectory"))
        starts.append(d)
    fam["start_date"] = starts
    for item in defn.family_item_ids:
        if item in fam.columns:
            fam[item] = _tri_column(fam, item, problems)

    # members
    known_fams = set(fam["family"])
    for idx, v in mem["family"].items():
        if v not in known_fams:
            problems.append(Problem(idx, "family", v, "a family listed in the families frame"))
    key = mem[["family", "member"]].astype(str).agg("/".join, axis=1)
    for idx in key[key.duplicated(keep=False)].index:
        problems.append(Problem(idx, "member", mem.at[idx, "member"], "each member once per family"))
    roles = []
    for idx, v in mem["role"].items():
        r = _ROLE.get(str(v).strip().lower()) if not _is_missing(v) else None
        if r is None:
            problems.append(Problem(idx, "role", v, "parent or child (ouder/kind)"))
        roles.append(r)
    mem["role"] = roles
    if "sex" in mem.columns:
        sexes = []
        for idx, v in mem["sex"].items():
            s = "unknown" if _is_missing(v) else _SEX.get(str(v).strip().lower())
            if s is None:
                problems.append(Problem(idx, "sex", v, "f, m or unknown (v/vrouw/meisje, m/man/jongen)"))
            sexes.append(s)
        mem["sex"] = sexes
    else:
        mem["sex"] = "unknown"
    for col in ("biological",):
        if col in mem.columns:
            mem[col] = _tri_column(mem, col, problems)
        else:
            mem[col] = UNKNOWN
    for item in defn.member_item_ids:
        if item in mem.columns:
            mem[item] = _tri_column(mem, item, problems)
    for col, codes in (("education", defn.education), ("country_of_birth", defn.country_of_birth)):
        if col in mem.columns and codes is not None:
            vals = []
            for idx, v in mem[col].items():
                if _is_missing(v):
                    vals.append("unknown")
                elif str(v) in codes.codes:
                    vals.append(str(v))
                else:
                    shown = withheld(v) if col == "country_of_birth" else v
                    problems.append(Problem(idx, col, shown, f"one of {sorted(codes.codes)}"))
                    vals.append(None)
            mem[col] = vals
    dobs = []
    if "date_of_birth" in mem.columns:
        for idx, v in mem["date_of_birth"].items():
            try:
                dobs.append(_to_date(v))
            except (ValueError, TypeError):
                problems.append(Problem(idx, "date_of_birth", withheld(v), "a date (YYYY-MM-DD) or empty"))
                dobs.append(None)
    else:
        dobs = [None] * len(mem)
    mem["date_of_birth"] = dobs
    start_of = dict(zip(fam["family"], fam["start_date"], strict=True))
    mem["start_date"] = [start_of.get(f) for f in mem["family"]]
    for idx, d, s in zip(mem.index, mem["date_of_birth"], mem["start_date"], strict=True):
        if d is not None and s is not None and d > s:
            problems.append(Problem(idx, "date_of_birth", NOT_SHOWN, "a date not after the family's start date"))
    if problems:
        raise DataValidationError(problems, context="the registration list")
    mem["age_at_start"] = ages_at_start(mem, "date_of_birth", "start_date", rule=age_rule)
    fam = fam.set_index("family", drop=False).rename_axis(None)
    fam.index.name = "family"
    return Registration(mem, fam, defn)


def _tri_column(frame: pd.DataFrame, col: str, problems: list[Problem]) -> list[str]:
    out = []
    for idx, v in frame[col].items():
        t = parse_tri(v)
        if t is None:
            problems.append(Problem(idx, col, v, f"yes/no/unknown ({ACCEPTED_CODES})"))
            t = UNKNOWN
        out.append(t)
    return out


def _doc_registration() -> Registration:
    fam = pd.DataFrame({"family": ["g1", "g2"], "start_date": [dt.date(2015, 3, 1)] * 2})
    mem = pd.DataFrame(
        {
            "family": ["g1", "g1", "g2", "g2"],
            "member": ["M", "K1", "M", "K1"],
            "role": ["parent", "child", "parent", "child"],
            "addiction": ["onbekend", "nee", "ja", "nee"],
        }
    )
    return validate_registration(mem, fam)


def _doc_reg() -> Registration:
    """Three families with parents and children, used in the examples of :mod:`profiles.family`."""
    fam = pd.DataFrame({"family": ["g1", "g2", "g3"], "start_date": ["2015-06-01"] * 3,
                        "separating": ["nee", "nee", "ja"]})  # fmt: skip
    mem = pd.DataFrame(
        [
            ["g1", "M", "parent", "f", "ja", "1990-01-01", None, "a"],
            ["g1", "V", "parent", "m", "ja", "1988-01-01", None, "a"],
            ["g1", "K1", "child", "m", None, "2009-05-01", None, "a"],
            ["g2", "M", "parent", "f", "ja", "1985-01-01", None, None],
            ["g2", "K1", "child", "f", None, "2007-02-01", None, None],
            ["g2", "K2", "child", "f", None, None, None, None],
            ["g3", "M", "parent", "f", "ja", None, None, None],
            ["g3", "P", "parent", "m", "nee", None, None, None],
            ["g3", "K1", "child", "f", None, "2010-01-01", None, None],
        ],
        columns=["family", "member", "role", "sex", "biological", "date_of_birth", "education",
                 "sibling_group"],
    )  # fmt: skip
    return validate_registration(mem, fam)
