"""The project file: one TOML file that says what an evaluation reads, fits and reports.

A project names the fidelity instrument, the data files with their column mappings, the factor
workflow and its thresholds, the GAS scale and rater rule, the models to fit and the report
options. :func:`load_project` validates it (pydantic) and resolves every relative path against
the project file's folder; an invalid project raises :class:`ProjectError` naming the file and
every wrong field.

A data ``file`` is a path inside the project's folder; an absolute path or one that leaves the
folder (``../``) is an error unless the section ``[data]`` sets ``allow_outside = true`` (or
``zorgeval report`` is given ``--allow-outside-paths``).

A minimal project::

    title = "ReSet evaluation"
    instrument = "reset"

    [survey]
    file = "survey.csv"
    groups = ["organisation"]

Sections: ``[survey]``, ``[factors]``, ``[cases]``, ``[members]`` (registration list),
``[multiproblem]`` and ``[risk_family]`` (indicators per case), ``[goals]``, ``[waves]``
(repeated measurements), ``[models]``, ``[report]``, ``[costs]`` (case comparison and budget,
:mod:`zorgeval.cost_study`), ``[practitioners]`` (one row per practitioner, for monitoring) and
``[monitoring]`` (:class:`zorgeval.monitoring.MonitoringSection`). ``instrument`` (the fidelity
instrument) is needed with a ``[survey]`` only.
Every data section takes ``file``, ``mapping`` (``{column in the file = name to use}``, or the
path of a TOML/JSON file holding that table), ``sep``, ``decimal`` and ``sheet`` as
:func:`evalstats.read_table` does.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from profiles import ModelSpec
from zorgeval.cost_study import CostsSection, example_files
from zorgeval.folders import OutputFolderError, differing_files
from zorgeval.monitoring import MonitoringSection
from zorgeval.waves_settings import WavesSettings

__all__ = [
    "EXAMPLES",
    "CasesSection",
    "DataFile",
    "DataSection",
    "FactorSection",
    "GoalsSection",
    "IndicatorsSection",
    "RegistrationSection",
    "LogisticSpec",
    "ModelsSection",
    "Project",
    "ProjectError",
    "ReportSection",
    "is_definition_file",
    "SurveySection",
    "TTestSpec",
    "WavesSection",
    "load_project",
    "write_example",
]

EXAMPLES = ("reset", "np", "buitenshuis", "costs")


class ProjectError(ValueError):
    """An invalid project file; the message names the file and every wrong field.

    Examples
    --------
    >>> str(ProjectError("p.toml", ["report.min_cell: must be at least 1"]))
    'p.toml: report.min_cell: must be at least 1'
    """

    def __init__(self, path: str | Path, problems: list[str]):
        self.path = Path(path)
        self.problems = list(problems)
        super().__init__(f"{path}: " + "; ".join(self.problems))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DataFile(_Model):
    """A data file and how to read it (see :func:`evalstats.read_table`).

    ``mapping`` is a table or the path of a TOML/JSON mapping file (relative to the project file).

    Examples
    --------
    >>> DataFile(file="survey.csv", mapping={"Vraag 1": "LD3"}).mapping
    {'Vraag 1': 'LD3'}
    >>> DataFile(file="survey.csv", mapping="kolommen.toml").mapping.name
    'kolommen.toml'
    """

    file: Path
    mapping: dict[str, str] | Path = {}
    sep: str | None = None
    decimal: Literal[".", ","] | None = None
    sheet: str | int | None = None


class SurveySection(DataFile):
    """The fidelity survey: one row per practitioner.

    ``groups`` are the group columns scored per group; ``compare_by`` the groups compared
    (one-way ANOVA / t test per item, principle and category), default the first group.
    ``value_labels = true`` reads an SPSS file with its value labels instead of the codes (the
    labels are then read as the instrument's answer labels); ``not_applicable`` lists codes that
    mean "niet van toepassing" (e.g. ``[9]``).

    Examples
    --------
    >>> SurveySection(file="s.csv", groups=["organisation", "education"]).comparisons()
    ['organisation']
    >>> SurveySection(file="s.sav", value_labels=True, not_applicable=[9]).not_applicable
    [9]
    """

    respondent: str = "respondent"
    groups: list[str] = []
    compare_by: list[str] | None = None
    ignore: list[str] = []
    exclude: list[dict] = []
    missing_items: Literal["error", "skip"] = "error"
    value_labels: bool = False
    not_applicable: list[int] = []

    def comparisons(self) -> list[str]:
        """The group columns to compare."""
        return list(self.groups[:1] if self.compare_by is None else self.compare_by)


class Removal(_Model):
    """An item the analyst removes before the first PCA, with the reason.

    Examples
    --------
    >>> Removal(item="ACT1", reason="differs in content").item
    'ACT1'
    """

    item: str
    reason: str = Field(min_length=1)


class FactorSection(_Model):
    """The method-factor workflow: ``exploratory`` (one PCA), ``per_principle`` or ``none``.

    Thresholds left out take the workflow's defaults (see ``docs/guide-method-factors.md``).

    Examples
    --------
    >>> FactorSection(workflow="per_principle", min_alpha=0.6).thresholds()
    {'min_alpha': 0.6}
    """

    workflow: Literal["exploratory", "per_principle", "none"] = "exploratory"
    items: list[str] = []
    principles: list[str] | None = None
    remove: list[Removal] = []
    min_loading: float | None = None
    cross_loading_margin: float | None = None
    cross_loading_floor: float | None = None
    min_communality: float | None = None
    min_alpha: float | None = None
    min_items: int | None = None

    def thresholds(self) -> dict:
        """The thresholds the project sets explicitly (``None`` included: a rule switched off)."""
        names = ["min_loading", "cross_loading_margin", "cross_loading_floor", "min_communality",
                 "min_alpha", "min_items"]
        return {k: getattr(self, k) for k in names if k in self.model_fields_set}


class CasesSection(DataFile):
    """One row per case (family or youth): practitioner, profile, groups, dropout, predictors.

    ``premature`` is a yes/no column (dropout); ``binary`` lists yes/no/unknown columns recoded
    to 1/0 (unknown → missing) for the models; ``target_change`` compares the NP target
    characteristics (``<item>_start``/``<item>_close``) at start and close.

    Examples
    --------
    >>> CasesSection(file="families.csv", case="family").case
    'family'
    """

    case: str = "case"
    practitioner: str = "practitioner"
    profile: str | None = None
    premature: str | None = None
    premature_when: str | None = None
    dropout_by: list[str] = []
    target_change: bool = False
    binary: list[str] = []


class IndicatorsSection(DataFile):
    """Classification indicators per case (yes/no/unknown), one column per indicator.

    ``rule`` is a classification rule id (``multiproblem_bodden_dekovic``, ``risk_family_rmo``)
    or the path of a rule file; ``missing`` what an empty cell means.

    Examples
    --------
    >>> IndicatorsSection(file="domains.csv", case="family").missing
    'unknown'
    """

    case: str = "case"
    rule: str | None = None
    missing: Literal["error", "unknown"] = "unknown"


class RegistrationSection(DataFile):
    """The registration list: one row per family member (``family``, ``member``, ``role``, ...).

    Family types, young motherhood and the broken-family collapse are added to the cases as
    ``family_type`` (the four types), ``broken_family`` and ``young_mother``.

    Examples
    --------
    >>> RegistrationSection(file="members.csv").definition
    'reset_appendix6'
    """

    definition: str = "reset_appendix6"


class GoalsSection(DataFile):
    """GAS goals, long: one row per rating of a goal of a case (in a period).

    ``rater_rule`` combines several raters (``np``: mean rounded toward the youth; ``joint``:
    ReSet's joint score); ``report_period`` selects the evaluation reported per goal.

    Examples
    --------
    >>> GoalsSection(file="goals.csv", taxonomy="np", rater="rater", rater_rule="np").scale
    'gas5'
    """

    taxonomy: str = "reset"
    scale: str = "gas5"
    case: str = "case"
    goal: str = "goal"
    category: str = "category"
    level: str = "level"
    rater: str | None = None
    default_rater: str | None = "joint"
    period: str | None = None
    activities: str | None = None
    rater_rule: str = "joint"
    rater_missing: Literal["use_available", "missing", "error"] = "use_available"
    min_ratings: int = 0
    drop_raters: list[str] = []
    report_period: Literal["first", "last"] | int = "last"
    rho: float = Field(0.3, ge=0.0, lt=1.0)


class WavesSection(DataFile, WavesSettings):
    """Repeated measurements, long: one row per person and wave (see
    :class:`zorgeval.waves_settings.WavesSettings`).

    Examples
    --------
    >>> WavesSection(file="metingen.csv").labels
    ['T0', 'T1', 'T2', 'T3', 'T4']
    """


class LogisticSpec(_Model):
    """A logistic regression on the case frame (e.g. dropout on target characteristics).

    Examples
    --------
    >>> LogisticSpec(dv="premature", predictors=["homeless_start"]).categorical
    []
    """

    dv: str
    predictors: list[str] = Field(min_length=1)
    categorical: list[str] = []
    title: str | None = None


class TTestSpec(_Model):
    """Independent t tests of ``dvs`` between the two groups of ``group`` (case frame).

    Examples
    --------
    >>> TTestSpec(group="homeless_start", dvs=["tscore"]).groups is None
    True
    """

    group: str
    dvs: list[str] = Field(min_length=1)
    groups: list[str] | None = None


class ModelsSection(_Model):
    """The models fitted on the cases.

    ``screen`` and ``overall`` drive :func:`profiles.overall_analysis`; ``overall`` is one
    model spec or a table per goal category. ``loose_items`` are survey items attached to the
    cases besides the factor scores. ``logistic`` and ``ttests`` run on the case frame, which
    holds the case columns, the practitioner's factor scores and loose items, ``gas_mean``
    (mean analysis score of the reported evaluations) and ``tscore`` (Kiresuk–Sherman).
    ``factor_bootstrap`` (resamples, 0 = off; 500 is a good choice) bootstraps the overall
    models with factor-score covariates over practitioners, re-estimating the factors in each
    resample (:func:`fidelity.bootstrap_factor_model`), seeded with ``bootstrap_seed``.
    ``cluster_robust`` (default true) gives the factorial and logistic models cluster-robust
    tests over the cases' practitioners (``cases.practitioner``) when a model's cases have at
    least ``min_clusters`` (default 20) practitioners; see ``docs/methods-nesting.md``.

    Examples
    --------
    >>> m = ModelsSection(overall={"covariates": ["F1"]})
    >>> m.overall.covariates
    ['F1']
    """

    screen: list[str] = ["profile", "family_type", "organisation", "team"]
    overall: ModelSpec | dict[str, ModelSpec] | None = None
    loose_items: list[str] = []
    profile_set: str | None = None
    profile_predictors: list[str] | dict[str, list[str]] = []
    logistic: list[LogisticSpec] = []
    ttests: list[TTestSpec] = []
    alpha: float = Field(0.05, gt=0.0, lt=1.0)
    factor_bootstrap: int = Field(0, ge=0)
    bootstrap_seed: int = 1
    cluster_robust: bool = True
    min_clusters: int = Field(20, ge=2)


class ReportSection(_Model):
    """Report options: language, small-cell threshold, title, and how a mean is judged
    against the fidelity threshold: ``verdict = "plain"`` (the mean meets it or not) or
    ``"ci"`` (also met / not met / undecided by the mean's 95% confidence interval, see
    :mod:`fidelity.threshold_ci`).

    Examples
    --------
    >>> ReportSection().min_cell, ReportSection().verdict
    (5, 'plain')
    """

    lang: Literal["en", "nl"] = "en"
    min_cell: int = Field(5, ge=1)
    title: str | None = None
    verdict: Literal["plain", "ci"] = "plain"


class DataSection(_Model):
    """Where data files may be: ``allow_outside = true`` permits paths outside the project folder.

    Examples
    --------
    >>> DataSection().allow_outside
    False
    """

    allow_outside: bool = False


class Project(_Model):
    """A whole evaluation project (see the module docstring for the file layout).

    ``instrument`` is a built-in instrument id (``reset``, ``np``) or the path of a definition
    file (``.toml``/``.json``). Paths are resolved by :func:`load_project`; a project built in
    code keeps its paths as given (relative to the working directory).

    Examples
    --------
    >>> p = Project(instrument="reset", survey={"file": "survey.csv", "groups": ["organisation"]})
    >>> p.survey.comparisons(), p.report.lang, p.factors.workflow
    (['organisation'], 'en', 'exploratory')
    """

    title: str = "Evaluation"
    instrument: str | None = None
    survey: SurveySection | None = None
    factors: FactorSection = FactorSection()
    cases: CasesSection | None = None
    members: RegistrationSection | None = None
    multiproblem: IndicatorsSection | None = None
    risk_family: IndicatorsSection | None = None
    goals: GoalsSection | None = None
    waves: WavesSection | None = None
    models: ModelsSection = ModelsSection()
    report: ReportSection = ReportSection()
    data: DataSection = DataSection()
    costs: CostsSection | None = None
    practitioners: DataFile | None = None
    monitoring: MonitoringSection | None = None

    @field_validator("instrument")
    @classmethod
    def _not_empty(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("an instrument id or the path of an instrument file")
        return v

    @model_validator(mode="after")
    def _instrument_for_survey(self) -> Project:
        if self.survey is not None and self.instrument is None:
            raise ValueError("instrument: a fidelity instrument id or file is needed with a "
                             "[survey] section")
        return self

    def instrument_path(self) -> Path | None:
        """The instrument definition file, or None for a built-in id.

        Examples
        --------
        >>> Project(instrument="reset").instrument_path() is None
        True
        """
        if self.instrument is not None and is_definition_file(self.instrument):
            return Path(self.instrument)
        return None

    def data_files(self) -> dict[str, DataFile]:
        """The data sections present, by name.

        Examples
        --------
        >>> list(Project(instrument="np", goals={"file": "g.csv"}).data_files())
        ['goals']
        """
        return {name: sec for name in ("survey", "cases", "members", "multiproblem",
                                       "risk_family", "goals", "practitioners", "waves")
                if (sec := getattr(self, name)) is not None}

    def resolved(self, base: Path) -> Project:
        """A copy with every relative path made absolute against ``base``.

        Examples
        --------
        >>> p = Project(instrument="np", goals={"file": "g.csv"}).resolved(Path("/data"))
        >>> p.goals.file.as_posix()
        '/data/g.csv'
        """
        upd: dict = {}
        for name, sec in self.data_files().items():
            paths = {"file": sec.file} | ({"mapping": sec.mapping} if isinstance(sec.mapping, Path) else {})
            rel = {k: (base / v).resolve() for k, v in paths.items() if not v.is_absolute()}
            if rel:
                upd[name] = sec.model_copy(update=rel)
        ipath = self.instrument_path()
        if ipath is not None and not ipath.is_absolute():
            upd["instrument"] = str((base / ipath).resolve())
        if self.costs is not None:
            upd["costs"] = self.costs.resolved(base)
        if self.waves is not None:
            specs = [str((base / s).resolve()) if is_definition_file(s) and not Path(s).is_absolute()
                     else s for s in self.waves.instruments]
            if specs != self.waves.instruments:
                upd["waves"] = upd.get("waves", self.waves).model_copy(update={"instruments": specs})
        mpath = self.monitoring.indicator_path() if self.monitoring is not None else None
        if mpath is not None and not mpath.is_absolute():
            upd["monitoring"] = self.monitoring.model_copy(
                update={"indicators": str((base / mpath).resolve())})
        return self.model_copy(update=upd)


def is_definition_file(spec: str) -> bool:
    """Whether an instrument given by ``spec`` is a definition file rather than an id.

    >>> is_definition_file("own/reset.TOML"), is_definition_file("reset")
    (True, False)
    """
    return spec.lower().endswith((".toml", ".json"))


def _describe(err: ValidationError) -> list[str]:
    out = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(top level)"
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown field"
        out.append(f"{loc}: {msg}")
    return out


def _outside(project: Project, folder: Path) -> list[str]:
    """The data and mapping-file paths (as written) that are absolute or leave ``folder`` by
    ``..`` (a symbolic link inside the folder counts as inside)."""
    out = []
    for name, sec in project.data_files().items():
        paths = [("file", sec.file)]
        if isinstance(sec.mapping, Path):
            paths.append(("mapping", sec.mapping))
        for key, p in paths:
            if p.is_absolute() or not Path(os.path.normpath(folder / p)).is_relative_to(folder):
                out.append(f"{name}.{key}: {p} is outside the project folder {folder}; move the "
                           "file into it, or set allow_outside = true in [data] (zorgeval report: "
                           "--allow-outside-paths)")
    return out + (project.costs.outside(folder) if project.costs is not None else [])


def load_project(path: str | Path, allow_outside_paths: bool = False) -> Project:
    """Read and validate a project file; relative paths resolve against its folder.

    Data files must lie inside the project's folder unless the project's ``[data]`` section sets
    ``allow_outside = true`` or ``allow_outside_paths`` is true.

    Raises
    ------
    ProjectError
        The file is missing or no valid TOML, a field is missing or wrong (named with its
        section, e.g. ``report.min_cell``), a data path is outside the project folder (named
        with its key, e.g. ``goals.file``), or a data or instrument file does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "s.csv").write_text("respondent\\n")
    >>> _ = (d / "p.toml").write_text('instrument = "reset"\\n[survey]\\nfile = "s.csv"\\n')
    >>> load_project(d / "p.toml").survey.file == (d / "s.csv").resolve()
    True
    >>> _ = (d / "bad.toml").write_text('instrument = "reset"\\n[report]\\nmin_cell = 0\\n')
    >>> load_project(d / "bad.toml")
    Traceback (most recent call last):
    ...
    zorgeval.project.ProjectError: ...bad.toml: report.min_cell: Input should be greater than or equal to 1
    >>> _ = (d / "out.toml").write_text('instrument = "reset"\\n[survey]\\nfile = "../s.csv"\\n')
    >>> load_project(d / "out.toml")
    Traceback (most recent call last):
    ...
    zorgeval.project.ProjectError: ...out.toml: survey.file: ../s.csv is outside the project folder ...
    """
    path = Path(path)
    if not path.is_file():
        raise ProjectError(path, ["project file not found"])
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(path, [f"not valid TOML ({exc})"]) from None
    except UnicodeDecodeError:
        raise ProjectError(path, ["not a UTF-8 text file"]) from None
    try:
        project = Project.model_validate(data)
    except ValidationError as exc:
        raise ProjectError(path, _describe(exc)) from None
    folder = path.resolve().parent
    if not (allow_outside_paths or project.data.allow_outside):
        outside = _outside(project, folder)
        if outside:
            raise ProjectError(path, outside)
    project = project.resolved(folder)
    missing = [f"{name}.file: file not found: {sec.file}"
               for name, sec in project.data_files().items() if not sec.file.is_file()]
    missing += [f"{name}.mapping: file not found: {sec.mapping}"
                for name, sec in project.data_files().items()
                if isinstance(sec.mapping, Path) and not sec.mapping.is_file()]
    missing += project.costs.missing() if project.costs is not None else []
    ipath = project.instrument_path()
    if ipath is not None and not ipath.is_file():
        missing.append(f"instrument: file not found: {ipath}")
    mpath = project.monitoring.indicator_path() if project.monitoring is not None else None
    if mpath is not None and not mpath.is_file():
        missing.append(f"monitoring.indicators: file not found: {mpath}")
    if missing:
        raise ProjectError(path, missing)
    return project


def write_example(name: str, out_dir: str | Path, force: bool = False) -> Path:
    """Write the example project ``name`` (``reset``, ``np``, ``buitenshuis`` or ``costs``) and
    its data into ``out_dir``.

    The data are the package's bundled SYNTHETIC example data (``zorgeval/data/<name>/``),
    copied to ``out_dir/data/``; the project file ``out_dir/project.toml`` refers to them by
    relative paths, so the folder can be moved. Returns the project file's path.

    Files of ``out_dir`` that the example would change (an edited project file, your own
    ``data/survey.csv``) are named in a :class:`zorgeval.folders.OutputFolderError` and nothing
    is written, unless ``force`` is true. Files equal to the example's, and other files, are
    left alone, so writing the example again into its folder is harmless.

    Examples
    --------
    >>> import tempfile
    >>> path = write_example("np", tempfile.mkdtemp())
    >>> load_project(path).goals.rater_rule, sorted(p.name for p in (path.parent / "data").iterdir())
    ('np', ['ratings.csv', 'survey.csv', 'youths.csv'])
    >>> _ = path.write_text(path.read_text().replace("rater_rule", "# rater_rule"))
    >>> write_example("np", path.parent)
    Traceback (most recent call last):
    ...
    zorgeval.folders.OutputFolderError: ...: 1 file differs from the example 'np': project.toml; nothing was written. ...
    >>> write_example("np", path.parent, force=True) == path
    True
    """
    if name not in EXAMPLES:
        raise ValueError(f"unknown example {name!r}; expected one of {', '.join(EXAMPLES)}")
    out = Path(out_dir)
    contents = example_files() if name == "costs" else {
        f"data/{entry.name}": entry.read_bytes()
        for entry in (resources.files("zorgeval") / "data" / name).iterdir()
        if entry.name.endswith(".csv")}
    contents["project.toml"] = (resources.files("zorgeval") / "projects" / f"{name}.toml").read_bytes()
    changed = differing_files(out, contents)
    if changed and not force:
        n = len(changed)
        raise OutputFolderError(
            f"{out}: {n} file{'s differ' if n > 1 else ' differs'} from the example {name!r}: "
            f"{', '.join(changed)}; nothing was written. Choose another folder, or pass "
            "force=True (--force) to overwrite them")
    for rel, content in contents.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(content)
    return out / "project.toml"
