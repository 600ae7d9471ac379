"""The ``[waves]`` section of a project: repeated measurements at T0-T4 with outcome
instruments, satisfaction forms and wave models (see ``docs/guide-repeated-measurements.md``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CutoffSetting", "WavesSettings"]

DEFAULT_INSTRUMENTS = ["pedsql", "sdq", "who5", "vgk", "parenting_scale"]


class CutoffSetting(BaseModel):
    """A project's choice of a cut-off's direction and inclusivity, for every age band of a
    scale (``None`` keeps the instrument's).

    Examples
    --------
    >>> CutoffSetting(direction="below").inclusive is None
    True
    """

    model_config = ConfigDict(extra="forbid")
    direction: Literal["below", "above"] | None = None
    inclusive: bool | None = None


class WavesSettings(BaseModel):
    """What the repeated measurements are and how to analyse them.

    Columns of the long file: ``family``, ``person``, ``role`` (child/parent), ``wave``,
    ``date``, ``age`` (years at the measurement), ``intake`` (a date column; default the
    family's first baseline date). ``labels`` and ``months`` are the design. ``instruments``
    are outcome instrument ids (built-in or plugins) or paths of definition files (``.toml`` or
    ``.json``, relative to the project file);
    ``scales`` picks scales per instrument (default: the scales that have cut-offs);
    ``cutoffs`` sets ``{instrument = {scale = {direction, inclusive}}}``; ``satisfaction``
    lists satisfaction form ids. ``models = false`` skips the mixed models; ``covariates``
    per respondent type, ``groups`` the nested random intercepts (outer first) and
    ``reference`` the reference level per text covariate. ``background`` lists the columns to
    describe per respondent type at the baseline (``{child = ["sex", "age"]}``), ``bands`` the
    whole-year band edges of a numeric one (``{age = [0, 2, 8, 12, 18]}``).

    Examples
    --------
    >>> s = WavesSettings(cutoffs={"parenting_scale": {"laxness": {"direction": "below"}}})
    >>> s.labels[0], s.instruments[0], s.cutoffs["parenting_scale"]["laxness"].direction
    ('T0', 'pedsql', 'below')
    """

    model_config = ConfigDict(extra="forbid")
    family: str = "family"
    person: str = "person"
    role: str = "role"
    wave: str = "wave"
    date: str | None = "date"
    age: str = "age"
    intake: str | None = None
    labels: list[str] = Field(default_factory=lambda: ["T0", "T1", "T2", "T3", "T4"])
    months: list[float] = Field(default_factory=lambda: [0, 6, 12, 18, 24])
    instruments: list[str] = Field(default_factory=lambda: list(DEFAULT_INSTRUMENTS))
    scales: dict[str, list[str]] = {}
    cutoffs: dict[str, dict[str, CutoffSetting]] = {}
    satisfaction: list[str] = []
    models: bool = True
    covariates: dict[Literal["child", "parent"], list[str]] = Field(
        default_factory=lambda: {"child": ["age", "sex"], "parent": ["age", "financial_strain"]})
    groups: list[str] = Field(default_factory=lambda: ["family"], min_length=1)
    reference: dict[str, str] = Field(
        default_factory=lambda: {"sex": "boy", "financial_strain": "no"})
    background: dict[Literal["child", "parent"], list[str]] = {}
    bands: dict[str, list[float]] = {}
