"""Profiles assigned by practitioners, as data (``profiles/profile_sets/*.toml``).

A profile set lists the profiles (code, labels, description) and the codes meaning "no profile
could be assigned". Plugins add sets under the entry-point group ``zorgeval.profile_sets``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from evalstats.registry import Registry

ENTRY_POINT_GROUP = "zorgeval.profile_sets"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProfileDef(_Model):
    """One profile: its code in the data, labels and description.

    Examples
    --------
    >>> get_profile_set("reset").profiles[0].label_nl
    'Zorgmijdende gezinnen'
    """

    code: str
    label_en: str
    label_nl: str
    description_en: str = ""
    reported_n: int | None = None


class ProfileSet(_Model):
    """A set of profiles and the codes of cases that could not be given one.

    Examples
    --------
    >>> get_profile_set("reset").codes
    ['A', 'B', 'C', 'D', 'E']
    >>> ProfileSet(id="x", title_en="x", title_nl="x", source="x",
    ...            profiles=[{"code": "A", "label_en": "a", "label_nl": "a"}] * 2)
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for ProfileSet
      Value error, profile codes occur twice: ['A'] ...
    """

    id: str
    title_en: str
    title_nl: str
    source: str
    profiles: list[ProfileDef]
    unassignable: list[str] = []
    notes: list[str] = []

    @model_validator(mode="after")
    def _check(self) -> ProfileSet:
        codes = [p.code for p in self.profiles]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"profile codes occur twice: {dup}")
        both = sorted(set(codes) & set(self.unassignable))
        if both:
            raise ValueError(f"codes both a profile and unassignable: {both}")
        return self

    @property
    def codes(self) -> list[str]:
        """Profile codes in definition order."""
        return [p.code for p in self.profiles]

    def label(self, code: str, lang: str = "en") -> str:
        """The label of a profile code."""
        for p in self.profiles:
            if p.code == code:
                return p.label_en if lang == "en" else p.label_nl
        raise KeyError(f"no profile {code!r} in set {self.id!r}; codes: {self.codes}")


PROFILE_SETS: Registry[ProfileSet] = Registry(
    ProfileSet,
    "profile set",
    builtin_dir=Path(__file__).parent / "profile_sets",
    entry_point_group=ENTRY_POINT_GROUP,
)


def get_profile_set(set_id: str) -> ProfileSet:
    """A profile set by id (built-in ``reset``, loaded files, plugins).

    Examples
    --------
    >>> get_profile_set("reset").label("A")
    'Care-avoiding families'
    """
    return PROFILE_SETS.get(set_id)


def load_profile_set(path: str | Path, register: bool = True) -> ProfileSet:
    """Read, validate and (by default) register a profile-set file (TOML or JSON).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "np.toml"
    >>> _ = p.write_text('''
    ... id = "np_types"
    ... title_en = "Youth types"
    ... title_nl = "Typen jongeren"
    ... source = "own"
    ... unassignable = ["?"]
    ... profiles = [{code = "1", label_en = "Starter", label_nl = "Starter"},
    ...             {code = "2", label_en = "Returner", label_nl = "Terugkeerder"}]
    ... ''')
    >>> load_profile_set(p, register=False).codes
    ['1', '2']
    """
    return PROFILE_SETS.load(path, register=register)
