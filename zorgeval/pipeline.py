"""The evaluation pipeline: a project in, the four sub-studies' result objects out.

:func:`run_evaluation` reads the project's files with :func:`evalstats.read_table` and runs, with
the libraries' public API only:

1. **fidelity** — :func:`fidelity.score_survey` and ``scores.compare`` per group column and
   level (item, principle, category);
2. **method factors** — :func:`fidelity.exploratory_factors` or
   :func:`fidelity.factors_per_principle` on the (reverse-keyed) answers, linked to the cases
   with :func:`fidelity.link_to_cases`;
3. **target group** — profile counts and :func:`profiles.validate`;
4. **GAS** — :func:`gas.validate_goals`, rater aggregation, :func:`gas.level_distribution`,
   :func:`gas.trajectory_counts`, :func:`gas.dropout` and Kiresuk–Sherman T-scores;
5. **overall analysis** — :func:`profiles.overall_analysis`, plus the project's logistic
   regressions and t tests on the case frame;
6. **repeated measurements** — :func:`zorgeval.repeated.run_waves` on the ``[waves]`` file.

Each step that has no data in the project is skipped (its result is ``None``). Progress goes to
stderr, one line per step with the elapsed time; ``quiet=True`` turns it off.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

import evalstats
import evalstats.tristate
import fidelity
import gas
import profiles
from zorgeval.cost_study import run_costs
from zorgeval.factor_bootstrap import overall_bootstraps
from zorgeval.project import Project, load_project
from zorgeval.repeated import run_waves

__all__ = ["Evaluation", "run_evaluation"]

LEVELS = ("item", "principle", "category")


@dataclass
class Evaluation:
    """The results of one evaluation; ``None`` where the project has no data for a step.

    Attributes
    ----------
    project : Project
    instrument : fidelity.Instrument
    data : dict of DataFrame
        The frames as read (``survey``, ``cases``, ``goals``, ...), after column mapping.
    table_info : dict of evalstats.TableInfo
        How each file was read (separator, decimal mark, rows dropped, source rows).
    scores : fidelity.SurveyScores or None
    comparisons : dict
        ``(group column, level)`` → :class:`fidelity.GroupComparison`.
    factors : fidelity.FactorWorkflowResult or None
    link : fidelity.LinkResult or None
        Cases linked to their practitioner's factor scores and loose items.
    case_frame : DataFrame or None
        One row per case: case columns, factor scores, loose items, ``gas_mean``, ``tscore``.
    family_types : profiles.FamilyTypeResult or None
    mothers : DataFrame or None
        Young and teen mothers (``Registration.mothers()``).
    multiproblem, risk_family : profiles.ClassificationResult or None
    target_group : DataFrame or None
        :func:`profiles.combine_target_group` of the two classifications.
    target_change : profiles.TargetChangeResult or None
        NP target characteristics at start and close.
    profile_counts : DataFrame or None
    profile_validation : profiles.ProfileValidationResult or None
    goals, goal_results : gas.GoalData, combined goal frame (one score per goal and period)
    raters : gas.RaterAggregation or None
    levels : gas.LevelDistribution or None
    trajectories : gas.TrajectoryCounts or None
    dropout : gas.Dropout or None
    overall : profiles.OverallResult or None
    factor_bootstraps : dict
        Goal category → :class:`fidelity.ScoreBootstrap` of its overall model with factor-score
        covariates (``[models] factor_bootstrap``; empty when off).
    logistic : list of (title, evalstats.LogisticResult)
    ttests : list of (title, evalstats.TTestResult)
    waves : zorgeval.repeated.WavesResults or None
        Repeated measurements: response, outcomes per wave, satisfaction, wave models.
    timings : dict
        Step → seconds.
    warnings : list of str
        The warnings of the steps (e.g. empty cells in a factorial design), one line each;
        they are listed in the report instead of being printed.
    warnings_nl : list of str
        The same warnings in Dutch, for the Dutch report.
    costs : zorgeval.cost_study.CostStudy or None
        The case comparison and budget of the ``[costs]`` section.

    Examples
    --------
    >>> ev = Evaluation(project=Project(instrument="reset"), instrument=None)
    >>> ev.scores is None, ev.logistic
    (True, [])
    """

    project: Project
    instrument: Any
    data: dict[str, pd.DataFrame] = field(default_factory=dict)
    table_info: dict[str, Any] = field(default_factory=dict)
    scores: Any = None
    comparisons: dict[tuple[str, str], Any] = field(default_factory=dict)
    factors: Any = None
    link: Any = None
    case_frame: pd.DataFrame | None = None
    family_types: Any = None
    mothers: pd.DataFrame | None = None
    multiproblem: Any = None
    risk_family: Any = None
    target_group: pd.DataFrame | None = None
    target_change: Any = None
    profile_counts: pd.DataFrame | None = None
    profile_validation: Any = None
    goals: Any = None
    goal_results: pd.DataFrame | None = None
    raters: Any = None
    levels: Any = None
    trajectories: Any = None
    dropout: Any = None
    overall: Any = None
    factor_bootstraps: dict[str, Any] = field(default_factory=dict)
    logistic: list[tuple[str, Any]] = field(default_factory=list)
    ttests: list[tuple[str, Any]] = field(default_factory=list)
    waves: Any = None
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    warnings_nl: list[str] = field(default_factory=list)
    costs: Any = None


_STEP_NL = {"fidelity scores": "modelgetrouwheid", "method factors": "methodiekfactoren",
            "target group": "doelgroep", "goal attainment": "doelrealisatie",
            "overall analysis": "totaalanalyse", "models": "modellen", "costs": "kosten",
            "repeated measurements": "herhaalde metingen"}


def _step_nl(name: str) -> str:
    """The Dutch name of a pipeline step (``read goals`` → ``inlezen goals``)."""
    if name.startswith("read "):
        return "inlezen " + name.removeprefix("read ")
    return _STEP_NL.get(name, name)


def _first_line(text: str) -> str:
    text = text.splitlines()[0]
    return text[:297] + "..." if len(text) > 300 else text


_LOCATED = (evalstats.DataValidationError, ValueError, KeyError)


@contextmanager
def _in_file(file: Path | str) -> Iterator[None]:
    """Errors raised inside are about ``file`` (the step's note names it instead of the step's
    own file)."""
    try:
        yield
    except _LOCATED as exc:
        if not hasattr(exc, "data_file"):
            exc.data_file = file  # type: ignore[attr-defined]
        raise


class _Progress:
    def __init__(self, n_steps: int, quiet: bool, stream: TextIO | None):
        self.n = n_steps
        self.i = 0
        self.quiet = quiet
        self.stream = stream
        self.start = time.perf_counter()
        self.timings: dict[str, float] = {}
        self.warnings: list[str] = []
        self.warnings_nl: list[str] = []

    @contextmanager
    def step(self, name: str, file: Path | str | None = None) -> Iterator[None]:
        """One step; an error is noted with the step and the file it is in (``file``, unless a
        part of the step read another file: :func:`_in_file`)."""
        self.i += 1
        t0 = time.perf_counter()
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                yield
        except _LOCATED as exc:
            where = getattr(exc, "data_file", file)
            exc.add_note(f"step: {name}" + (f"; file: {where}" if where is not None else ""))
            raise
        for w in caught:
            msg = w.message
            nl = msg.text("nl") if isinstance(msg, evalstats.LocalizedWarning) else str(msg)
            self.warnings.append(f"{name}: {w.category.__name__}: {_first_line(str(msg))}")
            self.warnings_nl.append(f"{_step_nl(name)}: {w.category.__name__}: {_first_line(nl)}")
        dt = time.perf_counter() - t0
        self.timings[name] = dt
        if not self.quiet:
            total = time.perf_counter() - self.start
            print(f"[{self.i}/{self.n}] {name}: {dt:.1f} s (total {total:.1f} s)",
                  file=self.stream or sys.stderr, flush=True)


def _instrument(project: Project):
    if project.instrument is None:
        return None
    path = project.instrument_path()
    return fidelity.load_instrument(path) if path is not None else fidelity.get_instrument(project.instrument)


def _read(sec) -> tuple[pd.DataFrame, Any]:
    """The frame, indexed by the row number in the file (so problems found later name the
    line of a CSV file, the sheet row of a workbook, the case number of an SPSS file), and its
    TableInfo. The info leaves ``attrs``: pandas deep-copies ``attrs`` on every operation,
    which makes row-wise work on a large file very slow."""
    kwargs = {k: getattr(sec, k) for k in ("sep", "decimal", "sheet") if getattr(sec, k) is not None}
    if getattr(sec, "value_labels", False):
        kwargs["value_labels"] = "labels"
    frame = evalstats.read_table(sec.file, mapping=sec.mapping or None, **kwargs)
    info = evalstats.table_info(frame)
    frame.attrs = {}
    frame.index = pd.Index([int(r) for r in info.source_rows], dtype=object, name="row")
    return frame, info


def _need(frame: pd.DataFrame, columns: list[str | None], where: str) -> None:
    problems = [evalstats.Problem(None, c, None, f"a column of the {where} file")
                for c in columns if c is not None and c not in frame.columns]
    if problems:
        raise evalstats.DataValidationError(problems, context=f"the {where} file")


def run_evaluation(project: Project | str | Path, quiet: bool = False,
                   stream: TextIO | None = None) -> Evaluation:
    """Run every sub-study the project has data for.

    Parameters
    ----------
    project:
        A :class:`~zorgeval.project.Project` or the path of a project file.
    quiet:
        No progress lines.
    stream:
        Where progress goes (default ``sys.stderr``).

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> from importlib import resources
    >>> from zorgeval.project import Project
    >>> with resources.as_file(resources.files("fidelity") / "data" / "reset_survey.csv") as f:
    ...     p = Project(instrument="reset", factors={"workflow": "none"},
    ...                 survey={"file": f, "groups": ["organisation"]})
    ...     ev = run_evaluation(p, quiet=True)
    >>> ev.scores.n_respondents, sorted(lvl for _, lvl in ev.comparisons)
    (71, ['category', 'item', 'principle'])
    """
    if not isinstance(project, Project):
        project = load_project(project)
    steps = [f"read {name}" for name in project.data_files()]
    if project.survey is not None:
        steps.append("fidelity scores")
        if project.factors.workflow != "none":
            steps.append("method factors")
    if project.cases is not None:
        steps.append("target group")
    if project.goals is not None:
        steps.append("goal attainment")
    if project.cases is not None and project.goals is not None:
        steps.append("overall analysis")
    if project.cases is not None and (project.models.logistic or project.models.ttests):
        steps.append("models")
    if project.costs is not None:
        steps.append("costs")
    if project.waves is not None:
        steps.append("repeated measurements")
    prog = _Progress(len(steps), quiet, stream)
    ev = Evaluation(project=project, instrument=_instrument(project))

    for name, sec in project.data_files().items():
        with prog.step(f"read {name}", sec.file):
            ev.data[name], ev.table_info[name] = _read(sec)

    if project.survey is not None:
        with prog.step("fidelity scores", project.survey.file):
            _fidelity(ev)
        if project.factors.workflow != "none":
            with prog.step("method factors", project.survey.file):
                _factors(ev)
    if project.cases is not None:
        with prog.step("target group", project.cases.file):
            _target_group(ev)
    if project.goals is not None:
        with prog.step("goal attainment", project.goals.file):
            _goals(ev)
    if project.cases is not None and project.goals is not None:
        with prog.step("overall analysis", f"{project.cases.file} and {project.goals.file}"):
            _overall(ev)
    if project.cases is not None and (project.models.logistic or project.models.ttests):
        with prog.step("models", project.cases.file):
            _models(ev)
    if project.costs is not None:
        with prog.step("costs", project.costs.cases):
            ev.costs = run_costs(project.costs)
    if project.waves is not None:
        with prog.step("repeated measurements", project.waves.file):
            ev.waves = run_waves(ev.data["waves"], project.waves)
    ev.timings = prog.timings
    ev.warnings = prog.warnings
    ev.warnings_nl = prog.warnings_nl
    return ev


def _fidelity(ev: Evaluation) -> None:
    sec = ev.project.survey
    data = ev.data["survey"]
    ev.scores = fidelity.score_survey(
        data, ev.instrument, respondent=sec.respondent, groups=sec.groups,
        ignore=sec.ignore, exclude=sec.exclude or None, missing_items=sec.missing_items,
        not_applicable=sec.not_applicable,
    )
    for by in sec.comparisons():
        for level in LEVELS:
            if ev.scores.variables(level):
                ev.comparisons[(by, level)] = ev.scores.compare(by=by, level=level)


def _factors(ev: Evaluation) -> None:
    fs = ev.project.factors
    answers = ev.scores.answers
    remove = [(r.item, r.reason) for r in fs.remove]
    if fs.workflow == "exploratory":
        ev.factors = fidelity.exploratory_factors(answers, items=fs.items or None, remove=remove,
                                                  **fs.thresholds())
    else:
        ev.factors = fidelity.factors_per_principle(answers, ev.instrument, remove=remove,
                                                    principles=fs.principles, **fs.thresholds())


def _target_group(ev: Evaluation) -> None:
    sec = ev.project.cases
    cases = ev.data["cases"]
    loose = ev.project.models.loose_items
    if loose and ev.scores is None:
        raise ValueError("models.loose_items: the project has no [survey] to take the items from")
    link = ev.scores is not None and (ev.factors is not None or bool(loose))
    _need(cases, [sec.case, sec.practitioner if link else None, sec.profile, sec.premature,
                  sec.premature_when, *sec.dropout_by], "cases")
    frame = cases.rename(columns={sec.case: "case"}) if sec.case != "case" else cases.copy()
    _need(frame, sec.binary, "cases")
    if sec.premature is not None:
        frame[sec.premature] = _yes_no(frame[sec.premature], sec.premature, sec.file)
    for col in sec.binary:
        frame[col] = _yes_no(frame[col], col, sec.file, unknown=True)
    _classify(ev, frame)
    if link:
        practitioner_scores = (ev.factors if ev.factors is not None
                               else pd.DataFrame(index=ev.scores.answers.index))
        ev.link = fidelity.link_to_cases(
            frame, practitioner_scores, case_practitioner=sec.practitioner,
            answers=ev.scores.answers if loose else None, items=loose,
        )
        frame = ev.link.data
    ev.case_frame = frame
    if sec.profile is not None:
        counts = frame[sec.profile].astype("string").fillna("(missing)").value_counts(sort=False)
        ev.profile_counts = (counts.sort_index().rename_axis("profile").reset_index(name="n"))
        m = ev.project.models
        if m.profile_predictors:
            ev.profile_validation = profiles.validate(
                frame, profile=sec.profile, predictors=m.profile_predictors,
                profiles=m.profile_set,
            )
    if sec.premature is not None:
        ev.dropout = gas.dropout(frame, case="case", premature=sec.premature,
                                 when=sec.premature_when, group=sec.dropout_by or None)


def _yes_no(values: pd.Series, column: str, file: Path, unknown: bool = False) -> pd.Series:
    """A yes/no column as 1/0 (NaN for unknown if allowed); problems are located in ``file``."""
    return evalstats.tristate.yes_no_column(values, column, unknown=unknown, context=str(file))


def _indicators(ev: Evaluation, name: str) -> pd.DataFrame:
    sec = getattr(ev.project, name)
    data = ev.data[name]
    _need(data, [sec.case], name)
    return data.set_index(sec.case)


def _classify(ev: Evaluation, frame: pd.DataFrame) -> None:
    """Registration list, multi-problem and risk families, NP target change; adds case columns."""
    p = ev.project
    key = frame["case"]
    if p.members is not None:
        families = frame.rename(columns={"case": "family"})
        with _in_file(f"{p.members.file} (members; the families and start dates: {p.cases.file})"):
            reg = profiles.validate_registration(ev.data["members"], families,
                                                 definition=p.members.definition)
        ev.family_types = reg.family_types()
        ev.mothers = reg.mothers()
        frame["family_type"] = key.map(ev.family_types.collapsed("four_types"))
        frame["broken_family"] = key.map(ev.family_types.collapsed("broken_family"))
        frame["young_mother"] = key.map(ev.mothers["young_or_teen"])
    if p.multiproblem is not None:
        kw = {"rule": p.multiproblem.rule} if p.multiproblem.rule else {}
        with _in_file(p.multiproblem.file):
            ev.multiproblem = profiles.classify_multiproblem(
                _indicators(ev, "multiproblem"), missing=p.multiproblem.missing, **kw)
        frame["multiproblem"] = key.map(ev.multiproblem.table["result"])
    if p.risk_family is not None:
        kw = {"rule": p.risk_family.rule} if p.risk_family.rule else {}
        with _in_file(p.risk_family.file):
            ev.risk_family = profiles.classify_risk_family(
                _indicators(ev, "risk_family"), missing=p.risk_family.missing, **kw)
        frame["risk_family"] = key.map(ev.risk_family.table["result"])
    if ev.multiproblem is not None and ev.risk_family is not None:
        ev.target_group = profiles.combine_target_group(ev.multiproblem, ev.risk_family)
        frame["in_target_group"] = key.map(ev.target_group["in_target_group"])
    if p.cases.target_change:
        ev.target_change = profiles.np_target_change(frame)


def _goals(ev: Evaluation) -> None:
    sec = ev.project.goals
    goals = gas.validate_goals(
        ev.data["goals"], taxonomy=sec.taxonomy, scale=sec.scale, case=sec.case, goal=sec.goal,
        category=sec.category, level=sec.level, rater=sec.rater,
        default_rater=None if sec.rater is not None else sec.default_rater,
        period=sec.period, activities=sec.activities,
    )
    ev.goals = goals
    n_raters = goals.frame["rater"].nunique() if "rater" in goals.frame else 1
    if sec.rater is not None or n_raters > 1:
        ev.raters = goals.aggregate_raters(rule=sec.rater_rule, missing=sec.rater_missing,
                                           min_ratings=sec.min_ratings, drop=sec.drop_raters)
        results = ev.raters
        frame = ev.raters.frame
    else:
        results = goals
        frame = goals.frame
    ev.goal_results = frame
    ev.levels = gas.level_distribution(results, period=sec.report_period, taxonomy=sec.taxonomy,
                                       scale=sec.scale)
    if sec.period is not None:
        ev.trajectories = gas.trajectory_counts(results)
    if ev.case_frame is not None:
        ev.case_frame = _attach_gas(ev.case_frame, frame, sec)


def _attach_gas(cases: pd.DataFrame, goals: pd.DataFrame, sec) -> pd.DataFrame:
    """Per case the mean analysis score and the T-score of the reported evaluations."""
    g = goals
    if sec.period is not None:
        keys = ["case", "goal"]
        g = g.dropna(subset=["period"])
        pick = {"first": "idxmin", "last": "idxmax"}.get(sec.report_period)
        if pick is None:
            g = g[g["period"] == sec.report_period]
        else:
            g = g.loc[getattr(g.groupby(keys, sort=False)["period"], pick)().to_numpy()]
    score = "score" if "score" in g.columns and g["score"].notna().any() else "level"
    means = g.groupby("case")[score].mean().rename("gas_mean")
    ts = gas.tscores(g, case="case", score="level", rho=sec.rho, scale=sec.scale)
    ts = ts.set_index("case")["tscore"] if "case" in ts.columns else ts["tscore"]
    out = cases.copy()
    key = out["case"]
    out["gas_mean"] = key.map(means).astype(float)
    out["tscore"] = key.map(ts).astype(float)
    return out


def _overall(ev: Evaluation) -> None:
    m = ev.project.models
    frame = ev.case_frame
    screen = [s for s in m.screen if s in frame.columns]
    ev.overall = profiles.overall_analysis(
        frame, ev.goal_results, screen=screen, model=m.overall,
        taxonomy=ev.project.goals.taxonomy, alpha=m.alpha,
    )
    ev.factor_bootstraps = overall_bootstraps(ev)


def _models(ev: Evaluation) -> None:
    frame = ev.case_frame
    for spec in ev.project.models.logistic:
        _need(frame, [spec.dv, *spec.predictors], "cases (after linking)")
        title = spec.title or f"{spec.dv} ~ {' + '.join(spec.predictors)}"
        res = evalstats.logistic_regression(frame, spec.dv, spec.predictors,
                                            categorical=spec.categorical or None)
        ev.logistic.append((title, res))
    for spec in ev.project.models.ttests:
        _need(frame, [spec.group, *spec.dvs], "cases (after linking)")
        for dv in spec.dvs:
            sub = frame
            if spec.groups is None:
                sub = frame[frame[spec.group].notna()]
            res = evalstats.ttest_ind(sub, dv, spec.group, groups=spec.groups)
            ev.ttests.append((f"{dv} ~ {spec.group}", res))

