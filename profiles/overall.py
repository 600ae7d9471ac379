"""The overall analysis: which target groups, method factors, earlier goals and activities
explain the GAS result of each goal category (dissertation 003: 5553-5594 and 4.12-4.13).

For every goal category, in the order of the goal taxonomy's modules (the order of the
dissertation's sections 4.12 and 4.13):

1. **Screening**: the result is compared across each screening variable (profile, family type,
   organisation, team) with a one-way ANOVA (three or more groups) or an independent t test (two
   groups).
2. **Factorial model**: a GLM Univariate (Type III) of the result with the evaluator's
   covariates (the practitioner's factor scores and loose items), earlier goals' results and
   activities started, and the screening variables that differed significantly as fixed
   factors. Only cases complete on every variable enter (listwise); N and what was dropped are
   part of the result.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

import evalstats
from evalstats.cluster import cluster_for
from evalstats.errors import (
    DataValidationError,
    EmptyGroupError,
    LocalizedWarning,
    Problem,
    SingularMatrixError,
)
from evalstats.format import Lang, _check_lang, fmt_num, fmt_p, p_spss
from evalstats.multiplicity import multiple_tests
from evalstats.result import Result
from evalstats.tristate import parse_tri

DEFAULT_SCREEN = ("profile", "family_type", "organisation", "team")
_STEP_NL = {"screen": "screening", "factorial": "factorieel"}
_TEST_NL = {"one-way ANOVA": "eenweg-ANOVA", "t test": "t-toets",
            "factorial ANOVA": "factoriële ANOVA", "none": "geen"}

SIG_COLUMNS = ("Sig.", "Sig. Holm", "Sig. BH")  # unadjusted, Holm, Benjamini–Hochberg

DEFAULT_MISSING_CODES = ("undetermined", "unassignable", "other", "unknown", "onbekend")


class ModelSpec(BaseModel):
    """What the evaluator puts in the factorial model of one goal category.

    ``covariates``: columns of the case frame (after linking: factor scores, loose items);
    ``earlier_goals``: goal categories whose result for the same case enters as covariate
    (column ``goal:<category>``); ``activities``: goal categories for which "activities were
    started" enters as a 0/1 covariate (column ``activities:<category>``); ``factors``: fixed
    factors always included; ``use_screening``: add the significant screening variables as fixed
    factors; ``interactions``: full factorial of the fixed factors.

    Examples
    --------
    >>> ModelSpec(covariates=["F1"], earlier_goals=["family-3"]).model_columns()
    ['F1', 'goal:family-3']
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    covariates: list[str] = []
    earlier_goals: list[str] = []
    activities: list[str] = []
    factors: list[str] = []
    use_screening: bool = True
    interactions: bool = False

    def model_columns(self) -> list[str]:
        """The covariate columns of the model, in order."""
        return (
            list(self.covariates)
            + [f"goal:{g}" for g in self.earlier_goals]
            + [f"activities:{g}" for g in self.activities]
        )


@dataclass
class ModelEntry:
    """One test or model of the overall analysis.

    Examples
    --------
    >>> ModelEntry("child-1", "screen", "team", "none", note="one group").p
    nan
    """

    category: str
    step: Literal["screen", "factorial"]
    variable: str
    test: str
    result: Any = None
    n_used: int = 0
    n_dropped: int = 0
    note: str = ""
    dropped: dict = field(default_factory=dict)
    selected: list = field(default_factory=list)

    @property
    def p(self) -> float:
        if self.result is None:
            return float("nan")
        if self.test == "t test":
            return _ttest_row(self.result).p
        if self.test == "one-way ANOVA":
            return self.result.p
        t = self.result.table.set_index("source")
        return float(t.loc["Corrected Model", "p"])


def _ttest_row(res):
    """The row SPSS users read: Welch when Levene's p < .05, else Student."""
    return res.welch if (res.levene is not None and res.levene.p < 0.05) else res.student


class OverallResult(Result):
    """Every screening test and factorial model of the overall analysis, in report order.

    Attributes
    ----------
    entries : list of ModelEntry
        In order: per goal category (taxonomy module order), the screening tests in the order
        of ``screen``, then the factorial model.
    frames : dict
        Goal category → the analysis frame (one row per case with a result on that goal).
    link : fidelity LinkResult or None
        How cases were linked to their practitioner's survey.
    categories : list of str
    notes : list of str
        What the analysis noticed in the data, as English sentences (counts, no case ids);
        :meth:`notes_in` gives them in Dutch.
    unknown_cases : list
        Cases in the goal data that are not in the case frame (left out).
    n_multiple_goals : int
        Case × goal-category combinations with more than one goal (their mean result is used).
    screening : evalstats.multiplicity.MultipleTests
        The family of all screening tests (every goal × screening variable with a p), with
        Holm and Benjamini–Hochberg adjusted p-values; tests without a p are counted, not
        adjusted. :attr:`table` shows them as ``p_holm`` and ``p_bh``.

    Examples
    --------
    >>> cases = pd.DataFrame({"case": [1, 2, 3, 4], "team": ["T1", "T1", "T2", "T2"]})
    >>> goals = pd.DataFrame({"case": [1, 2, 3, 4], "category": "child-1", "score": [4, 5, 2, 3]})
    >>> res = overall_analysis(cases, goals, screen=["team"])
    >>> res.table[["variable", "test", "n_used"]].values.tolist()
    [['team', 't test', 4], ['model', 'none', 0]]
    """

    titles = {"en": "Overall analysis", "nl": "Totaalanalyse"}

    def __init__(self, entries, frames, link, taxonomy, alpha, notes, unknown_cases=(),
                 n_multiple_goals=0):
        self.entries = entries
        self.frames = frames
        self.link = link
        self.taxonomy = taxonomy
        self.alpha = alpha
        self._notes = notes
        self.notes = [n["en"] for n in notes]
        self.unknown_cases = list(unknown_cases)
        self.n_multiple_goals = int(n_multiple_goals)
        self.categories = list(frames)
        screens = [e for e in entries if e.step == "screen"]
        self.screening = multiple_tests([e.p for e in screens],
                                        [f"{e.category}: {e.variable}" for e in screens],
                                        methods=("holm", "bh"), alpha=alpha)
        self._adjusted = {id(e): (h, b) for e, h, b in zip(
            screens, self.screening.table["p_holm"], self.screening.table["p_bh"], strict=True)}

    def selection(self, lang: Lang = "en") -> str:
        """A sentence naming the model terms chosen by screening on the same data, or ``""``.

        Their tests in the factorial models are conditional on having passed the screening
        (p < alpha, unadjusted) on the same cases, so their p-values are too small and the
        terms are to be read as exploratory.

        Examples
        --------
        >>> cases = pd.DataFrame({"case": range(8), "team": list("AAAABBBB")})
        >>> goals = pd.DataFrame({"case": range(8), "category": "child-1",
        ...                       "score": [5, 5, 4, 5, 1, 2, 1, 2]})
        >>> overall_analysis(cases, goals, screen=["team"]).selection()
        'Chosen by screening on the same data (p < .05, unadjusted): team (child-1). Their tests in the factorial models do not account for this selection and are exploratory.'
        """
        _check_lang(lang)
        chosen = [(e.category, v) for e in self.entries if e.step == "factorial" for v in e.selected]
        if not chosen:
            return ""
        a = fmt_num(self.alpha, 2, lang, leading_zero=False)
        names = ", ".join(f"{v} ({c})" for c, v in chosen)
        if lang == "nl":
            return (f"Gekozen door screening op dezelfde gegevens (p < {a}, ongecorrigeerd): {names}. "
                    "Hun toetsen in de factoriële modellen houden geen rekening met deze selectie en "
                    "zijn verkennend.")
        return (f"Chosen by screening on the same data (p < {a}, unadjusted): {names}. Their tests in "
                "the factorial models do not account for this selection and are exploratory.")

    def notes_in(self, lang: Lang = "en") -> list[str]:
        """The notes on the goal data (e.g. cases with several goals in one category) in
        ``lang``; :attr:`notes` holds them in English.

        Examples
        --------
        >>> cases = pd.DataFrame({"case": [1, 2, 3, 4], "team": ["T1", "T1", "T2", "T2"]})
        >>> goals = pd.DataFrame({"case": [1, 1, 2, 3, 4], "goal": [1, 2, 3, 4, 5],
        ...                       "category": "child-1", "score": [4, 5, 2, 3, 4]})
        >>> overall_analysis(cases, goals, screen=["team"]).notes_in("nl")
        ['1 combinaties van casus en doelcategorie hadden meer dan één doel; hun gemiddelde resultaat is gebruikt.']
        """
        _check_lang(lang)
        return [n[lang] for n in self._notes]

    @property
    def table(self) -> pd.DataFrame:
        """One row per test/model: category, step, variable, test, statistic, df1, df2, p,
        p_holm and p_bh (screening tests, adjusted over all screening tests of the analysis),
        the cluster-robust test of a factorial model (``F_robust``, ``df2_robust``,
        ``p_robust`` with ``n_clusters``, ``icc``, ``design_effect``; NaN where cases are
        treated as independent), N used, N dropped, significant (by the cluster-robust p where
        there is one, otherwise the unadjusted p), selected (for a model: the screening
        variables it took in), note."""
        rows = []
        for e in self.entries:
            stat = df1 = df2 = np.nan
            if e.result is not None:
                if e.test == "t test":
                    r = _ttest_row(e.result)
                    stat, df1 = r.t, r.df
                elif e.test == "one-way ANOVA":
                    stat, df1, df2 = e.result.F, e.result.df1, e.result.df2
                else:
                    t = e.result.table.set_index("source")
                    stat = float(t.loc["Corrected Model", "F"])
                    df1 = float(t.loc["Corrected Model", "df"])
                    df2 = float(t.loc["Error", "df"])
            p = e.p
            rob = _robust_of(e)
            decisive = rob["p_robust"] if rob["p_robust"] == rob["p_robust"] else p
            rows.append(
                {
                    "category": e.category,
                    "step": e.step,
                    "variable": e.variable,
                    "test": e.test,
                    "statistic": stat,
                    "df1": df1,
                    "df2": df2,
                    "p": p,
                    "p_holm": self._adjusted.get(id(e), (np.nan, np.nan))[0],
                    "p_bh": self._adjusted.get(id(e), (np.nan, np.nan))[1],
                    **rob,
                    "n_used": e.n_used,
                    "n_dropped": e.n_dropped,
                    "significant": bool(decisive < self.alpha) if decisive == decisive else False,
                    "selected": ", ".join(e.selected),
                    "note": e.note,
                }
            )
        return pd.DataFrame(rows)

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """The summary table with SPSS rounding (3 decimals, Sig. as ``< .001`` below .001); the
        screening tests' Sig. unadjusted, after Holm and after Benjamini–Hochberg side by side."""
        t = self.table

        def num(x, d=3):
            return "" if pd.isna(x) else fmt_num(float(x), d, lang)

        def dfs(x):
            return "" if pd.isna(x) else (str(int(x)) if float(x).is_integer() else fmt_num(x, 2, lang))

        def sigs(col):
            out = [("" if pd.isna(p) else p_spss(p)) for p in t[col]]
            return [s.replace(".", ",") for s in out] if lang == "nl" else out

        heads = (["Step", "Variable", "Test", "F / t", "df1", "df2", *SIG_COLUMNS, "N", "N dropped", "Goal"]
                 if lang == "en" else
                 ["Stap", "Variabele", "Toets", "F / t", "df1", "df2", *SIG_COLUMNS, "N", "N weggelaten", "Doel"])  # fmt: skip
        steps, tests = list(t["step"]), list(t["test"])
        if lang == "nl":
            steps = [_STEP_NL.get(x, x) for x in steps]
            tests = [_TEST_NL.get(x, x) for x in tests]
        cols = [steps, t["variable"], tests, [num(x) for x in t["statistic"]],
                [dfs(x) for x in t["df1"]], [dfs(x) for x in t["df2"]], sigs("p"), sigs("p_holm"),
                sigs("p_bh")]  # fmt: skip
        if t["n_clusters"].notna().any():
            # the cluster-robust test beside the SPSS ones, before N
            heads[6 + len(SIG_COLUMNS):6 + len(SIG_COLUMNS)] = ROBUST_HEADS[lang]
            cols += [[dfs(x) for x in t["df2_robust"]], sigs("p_robust"),
                     ["" if pd.isna(x) else str(int(x)) for x in t["n_clusters"]],
                     [num(x, 2) for x in t["icc"]], [num(x, 2) for x in t["design_effect"]]]
        cols += [t["n_used"], t["n_dropped"]]
        out = pd.DataFrame({h: list(c) for h, c in zip(heads[:-1], cols, strict=True)})
        return out.set_index(pd.Index(t["category"].tolist(), name=heads[-1]))

    def _label(self, cat: str, lang: str) -> str:
        try:
            return self.taxonomy.label(cat, lang)
        except (KeyError, AttributeError):
            return cat

    def apa(self, lang: Lang = "en") -> str:
        """One sentence per significant screening test or model."""
        parts = []
        for e in self.entries:
            if e.result is None or not e.p < self.alpha:
                continue
            parts.append(f"{e.category}, {e.variable}: {_apa_of(e, lang)}")
        if not parts:
            return "No screening test or model was significant." if lang == "en" else (
                "Geen toets of model was significant.")  # fmt: skip
        return "; ".join(parts) + "."

    def report(self, lang: Lang = "en") -> str:
        """A plain-text report in the order of the dissertation's overall analysis."""
        nl = lang == "nl"
        out = []
        if self.link is not None:
            out.append(self.link.apa(lang))
        out += self.notes_in(lang)
        out.append(self.screening.apa(lang))
        if self.selection(lang):
            out.append(self.selection(lang))
        for cat in self.categories:
            out.append("")
            out.append(f"== {cat}: {self._label(cat, lang)} ==")
            for e in [x for x in self.entries if x.category == cat]:
                head = ("Screening" if not nl else "Screening") if e.step == "screen" else (
                    "Factorial ANOVA" if not nl else "Factoriële ANOVA")  # fmt: skip
                line = f"{head} — {e.variable}: "
                if e.result is None:
                    line += ("not tested" if not nl else "niet getoetst") + f" ({e.note})"
                else:
                    line += f"{_apa_of(e, lang)}"
                    if id(e) in self._adjusted:
                        h, b = self._adjusted[id(e)]
                        line += f", p(Holm) {fmt_p(h, lang)[2:]}, p(BH) {fmt_p(b, lang)[2:]}"
                    line += f" (N = {e.n_used}"
                    line += f", {'dropped' if not nl else 'weggelaten'} {e.n_dropped})"
                    if e.note:
                        line += f"; {e.note}"
                out.append(line)
                if e.step == "factorial" and e.result is not None:
                    t = e.result.spss_table(lang)
                    out.append(t.to_string())
                    out.append(t.attrs.get("footnote", ""))
        return "\n".join(out).strip() + "\n"


def _apa_of(e: ModelEntry, lang: Lang) -> str:
    return e.result.apa(lang)


ROBUST_HEADS = {"en": ["df2 (CR2)", "Sig. (CR2)", "Clusters", "ICC", "Design effect"],
                "nl": ["df2 (CR2)", "Sig. (CR2)", "Clusters", "ICC", "Designeffect"]}


def _robust_of(e: ModelEntry) -> dict:
    """The cluster-robust test of the corrected model and the cluster numbers of an entry."""
    fit = getattr(e.result, "cluster", None) if e.step == "factorial" else None
    if fit is None:
        return dict.fromkeys(["F_robust", "df2_robust", "p_robust", "n_clusters", "icc",
                              "design_effect"], np.nan)
    r = e.result.table.set_index("source").loc["Corrected Model"]
    return {"F_robust": float(r["F_robust"]), "df2_robust": float(r["df2_robust"]),
            "p_robust": float(r["p_robust"]), "n_clusters": fit.info.n_clusters,
            "icc": fit.info.icc, "design_effect": fit.info.design_effect}


def _case_results(
    goals: pd.DataFrame, taxonomy, value: str, merge_subcategories: bool
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict[str, str]], int]:
    """Per case × category: the result (last period; mean over several goals), activities,
    notes (English and Dutch) and the number of case × category combinations with several goals."""
    g = goals.copy()
    notes: list[dict[str, str]] = []
    if merge_subcategories and taxonomy is not None:
        parent = {c.id: c.parent for c in taxonomy.categories if c.parent}
        g["category"] = [parent.get(c, c) for c in g["category"]]
    if "period" in g.columns:
        last = g.groupby(["case", "goal"], sort=False)["period"].transform("max")
        at_last = (g["period"] == last).astype("boolean").fillna(False).to_numpy(dtype=bool)
        g = g[at_last | last.isna().to_numpy()]
    if "rater" in g.columns:
        raters = g.groupby(["case", "goal"], sort=False)["rater"].nunique()
        several = raters[raters > 1]
        if len(several):
            problems = [
                Problem(None, "rater", f"case {c!r}, goal {gl!r}", "one rating per goal: combine the raters first (GoalData.aggregate_raters)")
                for c, gl in several.index[:20]
            ]
            raise DataValidationError(problems, context="the goal data of the overall analysis")
    grouped = g.groupby(["case", "category"], sort=False)
    res = grouped[value].mean().unstack("category")
    n_goals = grouped["goal"].nunique() if "goal" in g.columns else grouped.size()
    multi = n_goals[n_goals > 1]
    if len(multi):
        notes.append({
            "en": f"{len(multi)} case × goal-category combinations had more than one goal; their mean result is used.",
            "nl": f"{len(multi)} combinaties van casus en doelcategorie hadden meer dan één doel; hun gemiddelde resultaat is gebruikt.",
        })
    if "activities" in g.columns:
        parsed, bad = [], []
        for idx, v in g["activities"].items():
            t = parse_tri(v)
            if t is None:
                bad.append(Problem(idx, "activities", v, "yes/no/unknown (ja/nee, 1/0, True/False)"))
            parsed.append(1.0 if t == "yes" else 0.0 if t == "no" else np.nan)
        if bad:
            raise DataValidationError(bad, context="the goal data of the overall analysis")
        act = g.assign(activities=parsed)
        acts = act.groupby(["case", "category"], sort=False)["activities"].max().unstack("category")
    else:
        acts = pd.DataFrame(index=res.index)
    return res, acts, notes, len(multi)


def overall_analysis(
    cases: pd.DataFrame,
    goals: Any,
    goal_category: str | Sequence[str] | None = None,
    screen: Sequence[str] = DEFAULT_SCREEN,
    model: ModelSpec | Mapping | None = None,
    case: str = "case",
    practitioner_scores: Any = None,
    answers: pd.DataFrame | None = None,
    items: Sequence[str] = (),
    case_practitioner: str = "practitioner",
    value: Literal["score", "level"] = "score",
    taxonomy: Any = None,
    merge_subcategories: bool = True,
    missing_codes: Sequence[str] = DEFAULT_MISSING_CODES,
    alpha: float = 0.05,
    min_group_n: int = 2,
    cluster: str | None = "auto",
    min_clusters: int = 20,
) -> OverallResult:
    """Screen and model the GAS result of each goal category.

    Parameters
    ----------
    cases:
        One row per case with column ``case`` and the screening variables (``profile``,
        ``family_type``, ``organisation``, ``team``) and the practitioner id; covariates already
        attached, or attached here from ``practitioner_scores``.
    goals:
        :class:`gas.GoalData` (from :func:`gas.validate_goals`, raters combined) or a long frame
        with ``case``, ``goal``, ``category``, ``score``/``level`` and optionally ``period``,
        ``rater``, ``activities``. The result of a goal is its rating in the last period.
    goal_category:
        One category, several, or ``None`` for every category with results. Reported in the
        taxonomy's module order.
    screen:
        Screening variables, in report order. Values in ``missing_codes`` (undetermined,
        unassignable...) count as missing.
    model:
        A :class:`ModelSpec` (or dict of its fields) for every category, or a mapping
        ``{category: ModelSpec}``; ``None`` fits the significant screening factors only.
    practitioner_scores, answers, items, case_practitioner:
        Passed to :func:`fidelity.link_to_cases` to attach the practitioner's factor scores and
        loose items to each case.
    value:
        ``"score"`` (analysis score 1-5) or ``"level"`` (GAS level -2..+2).
    taxonomy:
        The goal taxonomy (id or object); default that of the GoalData, else ``"reset"``.
    merge_subcategories:
        Count results of sub-categories (``parent`` in the taxonomy) for their parent category.
    alpha:
        Significance level of the screening (a screening variable with p < alpha enters the
        factorial model).
    min_group_n:
        Groups of a screening variable with fewer cases are left out of the test (and named).
    cluster, min_clusters:
        Cases are nested in practitioners: ``"auto"`` (default) gives each factorial model
        cluster-robust tests (CR2, HTZ) over the ``case_practitioner`` column, with the number
        of clusters, the ICC, the design effect and a random-intercept model, when that column
        is present and the model's cases have at least ``min_clusters`` practitioners, all with
        an id; otherwise the cases are treated as independent and the note says why. A column
        name clusters on that column (same rule); ``None`` treats cases as independent. The
        SPSS tests stay in the tables; ``significant`` follows the cluster-robust p where there
        is one. See ``docs/methods-nesting.md``.

    Returns
    -------
    OverallResult

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> n = 60
    >>> cases = pd.DataFrame({"case": range(n), "profile": rng.choice(list("ABC"), n),
    ...                       "team": rng.choice(["T1", "T2"], n), "F1": rng.normal(size=n)})
    >>> goals = pd.DataFrame({"case": range(n), "goal": "g1", "category": "child-1",
    ...                       "score": np.clip(np.round(4 + cases["F1"] * .8
    ...                                        + (cases["profile"] == "A")), 1, 5)})
    >>> res = overall_analysis(cases, goals, screen=["profile", "team"],
    ...                        model=ModelSpec(covariates=["F1"]))
    >>> res.table[["step", "variable", "test", "n_used"]].values.tolist()
    [['screen', 'profile', 'one-way ANOVA', 60], ['screen', 'team', 't test', 60], ['factorial', 'result ~ profile + F1', 'factorial ANOVA', 60]]
    """
    from gas.goals import GoalData, get_taxonomy

    if not isinstance(cases, pd.DataFrame):
        raise TypeError(f"cases must be a DataFrame, got {type(cases).__name__}")
    if case not in cases.columns:
        raise KeyError(f"cases have no column {case!r}; columns: {list(cases.columns)}")
    if isinstance(goals, GoalData):
        gframe = goals.frame
        tax = get_taxonomy(taxonomy if taxonomy is not None else goals.taxonomy)
    else:
        gframe = goals
        tax = get_taxonomy(taxonomy if taxonomy is not None else "reset")
    need = ["case", "category", value]
    absent = [c for c in need if c not in gframe.columns]
    if absent:
        raise KeyError(f"goal data lack columns {absent}; columns: {list(gframe.columns)}")
    if "goal" not in gframe.columns:
        gframe = gframe.assign(goal=gframe["category"])
    problems = [Problem(None, s, None, "a screening column in cases") for s in screen if s not in cases.columns]
    if cases[case].duplicated().any():
        for idx, v in cases[case][cases[case].duplicated(keep=False)].items():
            problems.append(Problem(idx, case, v, "each case once"))
    if problems:
        raise DataValidationError(problems, context="the overall analysis")

    link = None
    notes: list[dict[str, str]] = []
    frame = cases.copy()
    if practitioner_scores is not None:
        from fidelity import link_to_cases

        link = link_to_cases(frame, practitioner_scores, case_practitioner=case_practitioner,
                             answers=answers, items=items)  # fmt: skip
        frame = link.data
        estimated = [c for c in link.attached if c not in set(items)]
        used = [c for c in estimated if any(c in _spec_for(model, cat).model_columns()
                                            for cat in _model_categories(model))]
        if used:
            notes.append(factor_score_note(used))
    for s in screen:
        col = frame[s].astype(object)
        frame[s] = col.where(~col.isin(list(missing_codes)), np.nan)
    frame = frame.set_index(case, drop=False)

    results, acts, data_notes, n_multiple = _case_results(gframe, tax, value, merge_subcategories)
    notes = data_notes + notes
    order = [c.id for g in tax.groups for c in tax.categories if c.group == g.id]
    order += [c for c in tax.category_ids if c not in order]
    if goal_category is None:
        cats = [c for c in order if c in results.columns]
        cats += [c for c in results.columns if c not in cats]
    else:
        wanted = [goal_category] if isinstance(goal_category, str) else list(goal_category)
        unknown = [c for c in wanted if c not in results.columns]
        if unknown:
            raise KeyError(f"no results for goal categories {unknown}; with results: {list(results.columns)}")
        cats = sorted(wanted, key=lambda c: order.index(c) if c in order else len(order))

    unknown_cases = sorted(set(results.index) - set(frame.index), key=str)
    if unknown_cases:
        notes.append({
            "en": f"{len(unknown_cases)} case(s) in the goal data are not in the case frame and were left out (listed in unknown_cases).",
            "nl": f"{len(unknown_cases)} casus(sen) in de doelgegevens staan niet in het casusbestand en zijn weggelaten (opgesomd in unknown_cases).",
        })

    cluster_col = case_practitioner if cluster == "auto" else cluster
    if cluster not in (None, "auto") and cluster not in frame.columns:
        raise KeyError(f"cases have no cluster column {cluster!r}; columns: {list(frame.columns)}")
    entries: list[ModelEntry] = []
    frames: dict[str, pd.DataFrame] = {}
    for cat in cats:
        spec = _spec_for(model, cat)
        f = frame.copy()
        f["result"] = results[cat].reindex(f.index)
        f = f[f["result"].notna()]
        for g in spec.earlier_goals if spec else []:
            f[f"goal:{g}"] = results[g].reindex(f.index) if g in results.columns else np.nan
        for g in spec.activities if spec else []:
            f[f"activities:{g}"] = acts[g].reindex(f.index) if g in acts.columns else np.nan
        frames[cat] = f
        significant = []
        for s in screen:
            e = _screen(f, cat, s, min_group_n)
            entries.append(e)
            if e.result is not None and e.p < alpha:
                significant.append(s)
        entries.append(_factorial(f, cat, spec, significant, cluster_col, min_clusters))
    return OverallResult(entries, frames, link, tax, alpha, notes, unknown_cases, n_multiple)


def factor_score_note(columns: Sequence[str]) -> dict[str, str]:
    """The note (English and Dutch) that covariates are estimated factor scores.

    Examples
    --------
    >>> factor_score_note(["F1"])["en"][:52]
    'The covariates F1 are estimated factor scores (regre'
    """
    names = ", ".join(columns)
    return {
        "en": (f"The covariates {names} are estimated factor scores (regression method) and carry "
               "measurement error; the models treat them as known, so their slopes are "
               "attenuated and their confidence intervals too narrow. "
               "fidelity.bootstrap_factor_model gives intervals that re-estimate the factors in "
               "each resample of practitioners."),
        "nl": (f"De covariaten {names} zijn geschatte factorscores (regressiemethode) en bevatten "
               "meetfout; de modellen behandelen ze als bekend, zodat hun hellingen afgezwakt en "
               "hun betrouwbaarheidsintervallen te smal zijn. fidelity.bootstrap_factor_model "
               "geeft intervallen waarin de factoren in elke trekking van begeleiders opnieuw "
               "geschat worden."),
    }


def _model_categories(model) -> list:
    """The categories a ``model`` argument names (one ``None`` for a spec used for every one)."""
    if isinstance(model, Mapping) and not set(model) <= set(ModelSpec.model_fields):
        return [c for c in model if model[c] is not None]
    return [None] if model is not None else []


def _spec_for(model, cat) -> ModelSpec | None:
    if model is None:
        return None
    if isinstance(model, ModelSpec):
        return model
    if isinstance(model, Mapping):
        if set(model) <= set(ModelSpec.model_fields):
            return ModelSpec.model_validate(model)
        spec = model.get(cat)
        if spec is None:
            return None
        return spec if isinstance(spec, ModelSpec) else ModelSpec.model_validate(spec)
    raise TypeError("model must be a ModelSpec, a dict of its fields, or {category: ModelSpec}")


def _screen(f: pd.DataFrame, cat: str, s: str, min_group_n: int) -> ModelEntry:
    sub = f[["result", s]]
    n_missing = int(sub[s].isna().sum())
    sub = sub.dropna()
    counts = sub[s].value_counts()
    small = counts[counts < min_group_n]
    note = ""
    if len(small):
        note = f"groups with fewer than {min_group_n} cases left out: " + ", ".join(
            f"{k} (n = {v})" for k, v in small.items()
        )
        sub = sub[~sub[s].isin(small.index)]
    n_small = int(small.sum())
    k = sub[s].nunique()
    entry = ModelEntry(cat, "screen", s, "", n_used=len(sub), n_dropped=n_missing + n_small, note=note,
                       dropped={"missing": n_missing, "small_groups": n_small})  # fmt: skip
    if k < 2:
        entry.test = "none"
        entry.note = (note + "; " if note else "") + f"{k} group(s) with results: nothing to compare"
        return entry
    try:
        if k == 2:
            entry.test = "t test"
            entry.result = evalstats.ttest_ind(sub, "result", s)
        else:
            entry.test = "one-way ANOVA"
            entry.result = evalstats.oneway_anova(sub, "result", s)
    except (EmptyGroupError, ValueError) as exc:
        entry.note = (note + "; " if note else "") + f"not tested: {exc}"
        entry.result = None
    return entry


def _factorial(f: pd.DataFrame, cat: str, spec: ModelSpec | None, significant: list[str],
               cluster_col: str | None = None, min_clusters: int = 20) -> ModelEntry:
    factors = list(spec.factors) if spec else []
    selected = []
    if spec is None or spec.use_screening:
        selected = [s for s in significant if s not in factors]
        factors += selected
    covariates = spec.model_columns() if spec else []
    entry = ModelEntry(cat, "factorial", "model", "factorial ANOVA")
    if not factors and not covariates:
        entry.test = "none"
        entry.note = "no fixed factor or covariate to model"
        return entry
    missing_cols = [c for c in covariates + factors if c not in f.columns]
    if missing_cols:
        raise KeyError(f"goal {cat!r}: model columns {missing_cols} are not in the analysis frame; columns: {list(f.columns)}")
    dropped_factors = []
    while True:
        use, why = cluster_for(f, cluster_col, ["result", *factors, *covariates], min_clusters)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                res = evalstats.factorial_anova(
                    f, "result", factors=factors, covariates=covariates,
                    interactions=bool(spec.interactions) if spec else False, cluster=use,
                )  # fmt: skip
            break
        except EmptyGroupError as exc:
            bad = [x for x in factors if repr(x) in str(exc)]
            if not bad:
                entry.test = "none"
                entry.note = f"not fitted: {exc}"
                return entry
            dropped_factors.append(bad[0])
            factors = [x for x in factors if x != bad[0]]
            if not factors and not covariates:
                entry.test = "none"
                entry.note = f"not fitted: factor(s) {dropped_factors} with one level among complete cases"
                return entry
        except SingularMatrixError as exc:
            entry.test = "none"
            entry.note = f"not fitted: {exc}"
            return entry
    entry.result = res
    entry.selected = [s for s in selected if s in factors]
    entry.variable = "result ~ " + " + ".join(factors + covariates)
    entry.n_used, entry.n_dropped = res.n_used, res.n_dropped
    entry.dropped = dict(zip(res.dropped["variable"], res.dropped["n_missing"], strict=True))
    notes = []
    for w in caught:
        notes.append(str(w.message))
        msg = w.message
        if isinstance(msg, LocalizedWarning):
            warnings.warn(msg.prefixed(f"goal {cat!r}: ", f"doel {cat!r}: "), stacklevel=3)
        else:
            warnings.warn(f"goal {cat!r}: {msg}", w.category, stacklevel=3)
    if dropped_factors:
        notes.append(f"factor(s) {dropped_factors} left out: one level among the complete cases")
    if why is not None:
        notes.append(why["en"])
    miss = {k: v for k, v in entry.dropped.items() if v and k != "(any)"}
    if miss:
        notes.append("missing: " + ", ".join(f"{k} {v}" for k, v in miss.items()))
    entry.note = "; ".join(notes)
    return entry


__all__ = ["ModelEntry", "ModelSpec", "OverallResult", "factor_score_note", "overall_analysis"]
