"""The two method-factor workflows of the dissertation, with every decision recorded as a step.

Both workflows run a principal component analysis with direct oblimin rotation
(:func:`fidelity.pca`, SPSS conventions), drop items that fail the item rules **one at a time**
(the worst first, then the PCA is rerun on the remaining items), turn the final components into
factors, and compute Cronbach's alpha and regression-method factor scores.

* :func:`exploratory_factors` (ReSet, dissertation section 4.11): all method items in one PCA.
* :func:`factors_per_principle` (NP, section 5.7): one PCA per theoretical principle; a
  component becomes a factor only if its alpha reaches ``min_alpha``; a principle may split into
  several factors, named ``<principle>a``, ``<principle>b``...

Item rules and their precedence
-------------------------------
After each PCA every item is checked against the rules below. If any item fails, exactly one is
dropped: the one failing the rule highest in this list, and within that rule the one furthest
beyond the threshold (ties: the first item in column order). Then the PCA is rerun.

1. ``low_communality``: extraction communality below ``min_communality`` (default .30; the NP
   study dropped NwG8 at .24) -- the item shares too little variance with the components.
2. ``no_primary_loading``: its largest absolute pattern loading is below ``min_loading``
   (default .40, the usual minimum for a salient loading) -- it belongs to no component.
3. ``cross_loading_both``: its second-largest absolute pattern loading is also at least
   ``cross_loading_min`` (default: ``min_loading``) -- it loads on two components.
4. ``cross_loading_margin``: its two largest absolute pattern loadings differ by at most
   ``cross_loading_margin`` (default .20) while the second is at least ``cross_loading_floor``
   (default .30) -- the item does not discriminate between two components. This is how the
   dissertation's "beta <= .2" criterion is read: ACT2, ACT3, VG1, VG3 (ReSet) and GvW1, GvW6,
   NwG5, NwG9 (NP) were "too little discriminating" / "loading on two components (beta <= .2)".

Any rule is switched off with ``None``. Items are never dropped below ``min_items`` (default 2)
in a PCA; when dropping would go below it the step is recorded as ``stop``.

Items removed by the analyst (``remove=[("ACT1", "removed on content")]``) leave the analysis
before the first PCA, with their reason as a step. Items dropped by a rule, and items of
components that do not become factors (alpha below ``min_alpha``, a single item, or no item
at all), are the *loose items*: the dissertation keeps them for the overall analyses as separate
variables when they are relevant.

Factors
-------
In the final PCA of a group each item is assigned to the component of its largest absolute
pattern loading. For each component with items the workflow computes Cronbach's alpha of its
items (listwise, as SPSS RELIABILITY) and the percentage of variance the first principal
component of those items explains on its own (the dissertation's "explains on its own ..%").
A factor of two items is flagged ``two_items`` (the dissertation: "hardly a factor").
Factor scores are the regression-method component scores of the final PCA (SPSS
``/SAVE REG``), one column per kept factor, indexed like the input rows; rows with a missing
item in that PCA get NaN.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evalstats.errors import DataValidationError, Problem
from evalstats.format import Lang, fmt_num
from evalstats.result import Result
from fidelity.factors.pca import PCAResult, pca
from fidelity.factors.reliability import alpha_from_cov

__all__ = [
    "RULES",
    "FactorWorkflowResult",
    "ItemRules",
    "exploratory_factors",
    "factors_per_principle",
]

#: The item rules in order of precedence (see the module documentation).
RULES: tuple[str, ...] = (
    "low_communality",
    "no_primary_loading",
    "cross_loading_both",
    "cross_loading_margin",
)

STEP_COLUMNS = [
    "step", "group", "item", "component", "rule", "value", "threshold", "action",
    "n_items", "n_components", "n_used",
]


@dataclass(frozen=True)
class ItemRules:
    """Thresholds of the item rules; ``None`` switches a rule off.

    Examples
    --------
    >>> ItemRules().cross_min
    0.4
    >>> ItemRules(min_loading=0.5, cross_loading_min=None).cross_min is None
    True
    """

    min_loading: float | None = 0.4
    cross_loading_margin: float | None = 0.2
    cross_loading_floor: float = 0.3
    cross_loading_min: float | None | str = "min_loading"
    min_communality: float | None = 0.3
    min_items: int = 2

    @property
    def cross_min(self) -> float | None:
        if self.cross_loading_min == "min_loading":
            return self.min_loading
        return self.cross_loading_min  # type: ignore[return-value]

    def failures(self, res: PCAResult) -> list[tuple[int, float, str, str, float, float]]:
        """Failing items of a PCA as ``(rule rank, severity, item, component, value, threshold)``."""
        p = res.pattern.to_numpy()
        comm = res.communalities["extraction"].to_numpy()
        cols = list(res.pattern.columns)
        out = []
        for i, item in enumerate(res.items):
            a = np.abs(p[i])
            order = np.argsort(-a, kind="stable")
            l1 = a[order[0]]
            l2 = a[order[1]] if len(a) > 1 else 0.0
            c1 = cols[order[0]]
            c12 = f"{c1}/{cols[order[1]]}" if len(a) > 1 else c1
            if self.min_communality is not None and comm[i] < self.min_communality:
                out.append((0, self.min_communality - comm[i], item, c1, comm[i],
                            self.min_communality))
            if self.min_loading is not None and l1 < self.min_loading:
                out.append((1, self.min_loading - l1, item, c1, l1, self.min_loading))
            if len(a) > 1:
                if self.cross_min is not None and l2 >= self.cross_min:
                    out.append((2, l2 - self.cross_min, item, c12, l2, self.cross_min))
                elif (self.cross_loading_margin is not None and l2 >= self.cross_loading_floor
                      and l1 - l2 <= self.cross_loading_margin):
                    out.append((3, self.cross_loading_margin - (l1 - l2), item, c12, l1 - l2,
                                self.cross_loading_margin))
        return out


@dataclass
class _Group:
    """The final state of one PCA group (all items, or one principle)."""

    name: str
    items: list[str]
    pca: PCAResult | None
    factors: list[dict] = field(default_factory=list)
    score_columns: dict[str, str] = field(default_factory=dict)  # component -> factor name


_STEP_COLUMNS_NL = {
    "step": "Stap", "group": "Groep", "item": "Item", "component": "Component", "rule": "Regel",
    "value": "Waarde", "threshold": "Grens", "action": "Actie", "n_items": "Aantal items",
    "n_components": "Aantal componenten", "n_used": "N gebruikt",
}
_RULES_NL = {
    "analyst": "onderzoeker", "pca": "PCA", "low_communality": "lage communaliteit",
    "no_primary_loading": "geen primaire lading", "cross_loading_both": "dubbele lading",
    "cross_loading_margin": "dubbele lading (marge)", "stop": "stop",
    "too_few_items": "te weinig items", "single_item": "één item",
    "empty_component": "lege component", "min_alpha": "alfa te laag", "factor": "factor",
}


def _text(v) -> str:
    """A step's text field as a cell ("" when empty)."""
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


def _action_nl(r) -> str:
    """The Dutch wording of a step's action (the templates of :class:`_Steps` callers)."""
    if r.rule == "pca":
        return (f"PCA op {r.n_items} items: {r.n_components} component(en), "
                f"{fmt_num(r.value, 1, 'nl')}% van de variantie")
    if r.rule in RULES:
        return "verwijderd"
    if r.rule == "factor":
        name = r.action.removeprefix("kept as factor ").removesuffix(
            " (two items: hardly a factor)")
        two = r.action.endswith("(two items: hardly a factor)")
        return f"behouden als factor {name}" + (" (twee items: nauwelijks een factor)"
                                                 if two else "")
    if r.rule == "stop":
        n = r.action.rsplit("fewer than ", 1)[1].split()[0]
        return f"behouden: zonder {r.item} blijven er minder dan {n} items over"
    fixed = {
        "too_few_items": "geen PCA: minder dan 2 items over",
        "empty_component": "geen item laadt hier het hoogst",
        "single_item": "geen factor (één item); item blijft los",
        "min_alpha": "factor verworpen; items blijven los",
    }
    return fixed.get(r.rule, r.action)


class _Steps:
    def __init__(self):
        self.rows: list[dict] = []

    def add(self, group, item, component, rule, value, threshold, action, res=None, n_items=None):
        self.rows.append(
            {
                "step": len(self.rows) + 1,
                "group": group,
                "item": item,
                "component": component,
                "rule": rule,
                "value": np.nan if value is None else float(value),
                "threshold": np.nan if threshold is None else float(threshold),
                "action": action,
                "n_items": n_items if res is None else len(res.items),
                "n_components": None if res is None else res.n_components,
                "n_used": None if res is None else res.n_used,
            }
        )

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.rows, columns=STEP_COLUMNS)
        for c in ("n_items", "n_components", "n_used"):
            df[c] = df[c].astype("Int64")
        return df


def _validate(data: pd.DataFrame, items: list[str]) -> None:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    problems = [Problem(None, c, None, "an item column in data") for c in items
                if c not in data.columns]
    dupes = sorted({c for c in items if items.count(c) > 1})
    problems += [Problem(None, c, "listed twice", "each item once") for c in dupes]
    if problems:
        raise DataValidationError(problems, context="the items of the factor workflow")


def _run_group(data, group, items, rules, steps, loose, pca_kw, n_components):
    """Fit, drop failing items one at a time, refit; returns the final PCA (or None)."""
    items = list(items)
    while True:
        if len(items) < 2:
            steps.add(group, ", ".join(items), None, "too_few_items", len(items), 2,
                      "no PCA: fewer than 2 items left", n_items=len(items))
            for it in items:
                loose.append((group, it, "too_few_items", len(steps.rows)))
            return None, items
        res = pca(data[items], n_components=n_components, **pca_kw)
        pct = float(res.variance["extraction_cum_pct"].iloc[res.n_components - 1])
        steps.add(group, None, None, "pca", pct, None,
                  f"PCA on {len(items)} items: {res.n_components} component(s), "
                  f"{pct:.1f}% of variance", res)
        fails = rules.failures(res)
        if not fails:
            return res, items
        rank, _sev, item, comp, value, thr = min(
            fails, key=lambda f: (f[0], -f[1], items.index(f[2]))
        )
        if len(items) - 1 < rules.min_items:
            steps.add(group, item, comp, "stop", value, thr,
                      f"kept: dropping {item} ({RULES[rank]}) would leave fewer than "
                      f"{rules.min_items} items", res)
            return res, items
        steps.add(group, item, comp, RULES[rank], value, thr, "dropped", res)
        loose.append((group, item, RULES[rank], len(steps.rows)))
        items.remove(item)


def _make_factors(data, grp: _Group, steps, loose, min_alpha, naming):
    """Assign items to components, compute alphas, keep or reject each component."""
    res = grp.pca
    p = res.pattern
    comp_of = p.abs().idxmax(axis=1)
    kept = []
    for comp in p.columns:
        its = [it for it in res.items if comp_of[it] == comp]
        if not its:
            steps.add(grp.name, None, comp, "empty_component", None, None,
                      "no item has its largest loading here", res)
            continue
        if len(its) == 1:
            steps.add(grp.name, its[0], comp, "single_item", None, None,
                      "not a factor (one item); item kept as loose item", res)
            loose.append((grp.name, its[0], "single_item", len(steps.rows)))
            continue
        x = data[its].apply(pd.to_numeric, errors="coerce").dropna().to_numpy(float)
        alpha = alpha_from_cov(np.cov(x, rowvar=False, ddof=1))
        r = np.corrcoef(x, rowvar=False)
        own_pct = float(np.linalg.eigvalsh(r)[-1] / len(its) * 100)
        if min_alpha is not None and alpha < min_alpha:
            steps.add(grp.name, ", ".join(its), comp, "min_alpha", alpha, min_alpha,
                      "factor rejected; items kept as loose items", res)
            for it in its:
                loose.append((grp.name, it, "min_alpha", len(steps.rows)))
            continue
        kept.append((comp, its, alpha, own_pct, len(x)))
    names = naming(grp.name, len(kept))
    pct_pca = float(res.variance["extraction_cum_pct"].iloc[res.n_components - 1])
    for (comp, its, alpha, own_pct, n_alpha), name in zip(kept, names, strict=True):
        steps.add(grp.name, ", ".join(its), comp, "factor", alpha, min_alpha,
                  f"kept as factor {name}" + (" (two items: hardly a factor)"
                                              if len(its) == 2 else ""), res)
        grp.factors.append(
            {
                "factor": name,
                "group": grp.name,
                "component": comp,
                "items": its,
                "n_items": len(its),
                "loadings": {it: float(p.loc[it, comp]) for it in its},
                "alpha": float(alpha),
                "n_alpha": n_alpha,
                "pct_variance": own_pct,
                "pct_variance_pca": pct_pca,
                "two_items": len(its) == 2,
            }
        )
        grp.score_columns[comp] = name


class FactorWorkflowResult(Result):
    """The path and outcome of a method-factor workflow.

    Attributes
    ----------
    steps : pandas.DataFrame
        Every decision in order: step, group (``"all"`` or the principle), item, component,
        rule, value, threshold, action, n_items, n_components, n_used. Rules: ``analyst``,
        ``pca`` (a fit), the item rules of :data:`RULES`, ``stop``, ``too_few_items``,
        ``single_item``, ``empty_component``, ``min_alpha`` (component rejected), ``factor``
        (component kept).
    factors : pandas.DataFrame
        One row per kept factor: factor, group, component, items, n_items, loadings (item ->
        pattern loading), alpha, n_alpha (rows behind alpha), pct_variance (first component of
        the factor's items on its own), pct_variance_pca (cumulative % of the PCA it came
        from), two_items.
    loose_items : pandas.DataFrame
        Items not in a factor that remain usable: group, item, reason (rule), step.
    removed : pandas.DataFrame
        Items removed by the analyst: item, reason, step.
    pcas : dict
        The final :class:`~fidelity.PCAResult` per group.
    scores : pandas.DataFrame
        Regression-method factor scores, one column per factor, index of the input data.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(80, 2))
    >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(80, 6)) * .7,
    ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> from fidelity import exploratory_factors
    >>> res = exploratory_factors(x)
    >>> res.factors[["factor", "items"]].to_numpy().tolist()
    [['F1', ['a1', 'a2', 'a3']], ['F2', ['b1', 'b2', 'b3']]]
    >>> res.scores.shape
    (80, 2)
    """

    titles = {"en": "Method factors", "nl": "Methodiekfactoren"}

    def __init__(self, kind, data, groups, steps, loose, removed, settings):
        self.kind = kind
        self._data = data
        self._groups = groups
        self.settings = settings
        self.steps = steps.frame()
        self.pcas = {g.name: g.pca for g in groups if g.pca is not None}
        self.factors = pd.DataFrame(
            [f for g in groups for f in g.factors],
            columns=["factor", "group", "component", "items", "n_items", "loadings", "alpha",
                     "n_alpha", "pct_variance", "pct_variance_pca", "two_items"],
        )
        self.loose_items = pd.DataFrame(loose, columns=["group", "item", "reason", "step"])
        self.removed = pd.DataFrame(removed, columns=["item", "reason", "step"])
        parts = []
        for g in groups:
            if g.pca is None or not g.score_columns:
                continue
            s = g.pca.scores(data[g.pca.items])
            parts.append(s[list(g.score_columns)].rename(columns=g.score_columns))
        self.scores = (pd.concat(parts, axis=1) if parts
                       else pd.DataFrame(index=data.index))

    # -- Result interface ------------------------------------------------------------------
    @property
    def table(self) -> pd.DataFrame:
        """Tidy: one row per factor and item with the pattern loading and the factor's alpha."""
        rows = [
            {"factor": f.factor, "group": f.group, "item": it, "loading": ld, "alpha": f.alpha,
             "pct_variance": f.pct_variance}
            for f in self.factors.itertuples()
            for it, ld in f.loadings.items()
        ]
        return pd.DataFrame(rows, columns=["factor", "group", "item", "loading", "alpha",
                                           "pct_variance"])

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """The factor table as in the dissertation (tables 34 and 79): items by factors.

        Loadings with two decimals and no leading zero; column headers carry alpha.
        """
        word = "Factor"
        cols, rows = [], {}
        for f in self.factors.itertuples():
            head = f"{word} {f.factor} (α {fmt_num(f.alpha, 2, lang, leading_zero=False)})"
            cols.append(head)
            for it, ld in f.loadings.items():
                rows.setdefault(it, {})[head] = fmt_num(ld, 2, lang, leading_zero=False)
        out = pd.DataFrame.from_dict(rows, orient="index", columns=cols).fillna("")
        out.index.name = "item" if lang == "en" else "Item"
        return out

    def steps_table(self, lang: Lang = "en") -> pd.DataFrame:
        """The steps as display strings in ``lang``: value and threshold with three decimals,
        counts as whole numbers; in Dutch the headers, rules, groups and actions translated
        (the analyst's own reasons stay as given).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from fidelity import exploratory_factors
        >>> f = np.random.default_rng(2).normal(size=(60, 1))
        >>> x = pd.DataFrame(f + np.random.default_rng(3).normal(size=(60, 4)) * .8,
        ...                  columns=list("abcd"))
        >>> exploratory_factors(x).steps_table("nl").iloc[0, [1, 4, 5, 7]].tolist()
        ['alle', 'PCA', '74,050', 'PCA op 4 items: 1 component(en), 74,0% van de variantie']
        """
        nl = lang == "nl"
        st = self.steps
        num = [("" if pd.isna(v) else fmt_num(float(v), 3, lang)) for v in st["value"]]
        thr = [("" if pd.isna(v) else fmt_num(float(v), 3, lang)) for v in st["threshold"]]
        out = pd.DataFrame({
            "step": st["step"].astype(str),
            "group": [("alle" if nl and g == "all" else _text(g)) for g in st["group"]],
            "item": [_text(v) for v in st["item"]],
            "component": [_text(v) for v in st["component"]],
            "rule": [_RULES_NL.get(r, r) if nl else r for r in st["rule"]],
            "value": num,
            "threshold": thr,
            "action": [(_action_nl(r) if nl else r.action) for r in st.itertuples()],
        })
        for c in ("n_items", "n_components", "n_used"):
            out[c] = ["" if pd.isna(v) else str(int(v)) for v in st[c]]
        if nl:
            out.columns = [_STEP_COLUMNS_NL[c] for c in out.columns]
        return out

    def apa(self, lang: Lang = "en") -> str:
        """One sentence: items kept, factors, alphas."""
        n_in = int(self.settings["n_items"])
        n_kept = int(self.factors["n_items"].sum()) if len(self.factors) else 0
        k = len(self.factors)
        alphas = ", ".join(fmt_num(a, 2, lang, leading_zero=False) for a in self.factors["alpha"])
        how = self._method_phrase(lang)
        if lang == "nl":
            s = (f"{how} bracht {n_kept} van de {n_in} items onder in {k} "
                 f"{'factor' if k == 1 else 'factoren'}")
            s += f" (Cronbachs α = {alphas})" if k else ""
            nl_ = len(self.loose_items)
            return s + (f"; {nl_} {'item bleef' if nl_ == 1 else 'items bleven'} los." if nl_
                        else ".")
        s = f"{how} placed {n_kept} of the {n_in} items in {k} factor{'' if k == 1 else 's'}"
        s += f" (Cronbach's α = {alphas})" if k else ""
        nl_ = len(self.loose_items)
        return s + (f"; {nl_} item{' was' if nl_ == 1 else 's were'} kept as loose "
                    f"item{'' if nl_ == 1 else 's'}." if nl_ else ".")

    def _method_phrase(self, lang):
        if self.kind == "exploratory":
            return ("Een PCA met directe oblimin-rotatie" if lang == "nl"
                    else "A PCA with direct oblimin rotation")
        return ("Een PCA met directe oblimin-rotatie per methodisch uitgangspunt" if lang == "nl"
                else "A PCA with direct oblimin rotation per principle")

    # -- narrative ------------------------------------------------------------------------
    def report(self, lang: Lang = "en") -> str:
        """A Markdown account of the path: which items went, why, at which step; the factors.

        Examples
        --------
        >>> rng = np.random.default_rng(1)
        >>> f = rng.normal(size=(80, 2))
        >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(80, 6)) * .7,
        ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
        >>> print(exploratory_factors(x).report().splitlines()[0])
        ## Method factors: exploratory PCA
        """
        return _report(self, lang)

    def bootstrap(self, n: int = 1000, seed=None, level: float = 0.95):
        """Bootstrap the final PCA(s): CIs of loadings, phi and alpha, item stability.

        See :func:`fidelity.factors.bootstrap.bootstrap_workflow`.
        """
        from fidelity.factors.bootstrap import bootstrap_workflow

        return bootstrap_workflow(self, n=n, seed=seed, level=level)


# -- report text ---------------------------------------------------------------------------
_RULE_TEXT = {
    "en": {
        "low_communality": "communality {v} below {t}",
        "no_primary_loading": "no loading of at least {t} on any component (largest {v})",
        "cross_loading_both": "loads on two components ({c}), second loading {v} ≥ {t}",
        "cross_loading_margin": "does not discriminate between components {c} (difference "
                                "between its two largest loadings {v} ≤ {t})",
        "min_alpha": "too little coherence (Cronbach's α = {v} < {t})",
        "single_item": "the only item of its component",
        "too_few_items": "too few items left for a PCA",
    },
    "nl": {
        "low_communality": "communaliteit {v} lager dan {t}",
        "no_primary_loading": "geen lading van minstens {t} op een component (hoogste {v})",
        "cross_loading_both": "laadt op twee componenten ({c}), tweede lading {v} ≥ {t}",
        "cross_loading_margin": "onderscheidt niet tussen componenten {c} (verschil tussen de "
                                "twee hoogste ladingen {v} ≤ {t})",
        "min_alpha": "te weinig samenhang (Cronbachs α = {v} < {t})",
        "single_item": "enige item van zijn component",
        "too_few_items": "te weinig items over voor een PCA",
    },
}


def _report(res: FactorWorkflowResult, lang: Lang) -> str:
    nl = lang == "nl"
    T = _RULE_TEXT[lang]

    def f2(v):
        return fmt_num(v, 2, lang, leading_zero=False)

    title = {
        ("exploratory", "en"): "## Method factors: exploratory PCA",
        ("exploratory", "nl"): "## Methodische factoren: exploratieve PCA",
        ("principle", "en"): "## Method factors: a PCA per principle",
        ("principle", "nl"): "## Methodische factoren: een PCA per methodisch uitgangspunt",
    }[(res.kind, lang)]
    s = res.settings
    lines = [title, ""]
    rules = [
        ("communaliteit <" if nl else "communality <", s["min_communality"]),
        ("hoogste lading <" if nl else "largest loading <", s["min_loading"]),
        ("tweede lading ≥" if nl else "second loading ≥", s["cross_loading_min"]),
        ("verschil twee hoogste ladingen ≤" if nl else "difference of two largest loadings ≤",
         s["cross_loading_margin"]),
    ]
    rule_txt = "; ".join(f"{a} {f2(b)}" for a, b in rules if b is not None)
    lines.append(
        ("Principale-componentenanalyse met directe oblimin-rotatie (delta = 0, "
         "Kaiser-normalisatie), aantal componenten met eigenwaarde > 1. Items worden één voor "
         f"één verwijderd, de slechtste eerst ({rule_txt}), waarna de PCA opnieuw wordt "
         "uitgevoerd.")
        if nl else
        ("Principal component analysis with direct oblimin rotation (delta = 0, Kaiser "
         "normalization), components with eigenvalue > 1. Items are dropped one at a time, the "
         f"worst first ({rule_txt}), and the PCA is rerun.")
    )
    if s.get("min_alpha") is not None:
        lines[-1] += (f" Een component wordt een factor bij Cronbachs α ≥ {f2(s['min_alpha'])}."
                      if nl else
                      f" A component becomes a factor if Cronbach's α ≥ {f2(s['min_alpha'])}.")
    lines.append("")
    st = res.steps
    for g in dict.fromkeys(st["group"]):
        gs = st[st["group"] == g]
        if res.kind == "principle":
            lines += [f"### {'Uitgangspunt' if nl else 'Principle'} {g}", ""]
        for r in gs.itertuples():
            v = f2(r.value) if not (isinstance(r.value, float) and math.isnan(r.value)) else ""
            t = f2(r.threshold) if not (isinstance(r.threshold, float)
                                         and math.isnan(r.threshold)) else ""
            if r.rule == "analyst":
                lines.append(f"* {'Stap' if nl else 'Step'} {r.step}: **{r.item}** "
                             f"{'verwijderd door de onderzoeker' if nl else 'removed by the analyst'}"
                             f": {r.action}.")
            elif r.rule == "pca":
                k = int(r.n_components)
                pct = fmt_num(r.value, 1, lang)
                lines.append(
                    f"* {'Stap' if nl else 'Step'} {r.step}: "
                    + (f"PCA op {r.n_items} items (n = {r.n_used}): {k} "
                       f"{'component' if k == 1 else 'componenten'}, {pct}% verklaarde variantie."
                       if nl else
                       f"PCA on {r.n_items} items (n = {r.n_used}): {k} "
                       f"component{'' if k == 1 else 's'}, {pct}% of variance explained.")
                )
            elif r.rule in ("low_communality", "no_primary_loading", "cross_loading_both",
                            "cross_loading_margin"):
                why = T[r.rule].format(v=v, t=t, c=r.component)
                verb = ("kept" if r.action.startswith("kept") else "dropped")
                if nl:
                    verb = "behouden" if verb == "kept" else "verwijderd"
                lines.append(f"* {'Stap' if nl else 'Step'} {r.step}: **{r.item}** {verb}: {why}.")
            elif r.rule == "stop":
                lines.append(f"* {'Stap' if nl else 'Step'} {r.step}: {r.action}.")
            elif r.rule == "min_alpha":
                lines.append(
                    f"* {'Stap' if nl else 'Step'} {r.step}: "
                    + (f"component {r.component} ({r.item}) niet als factor meegenomen: "
                       if nl else f"component {r.component} ({r.item}) not kept as a factor: ")
                    + T["min_alpha"].format(v=v, t=t) + "; "
                    + ("de items blijven losse items." if nl else "its items are loose items.")
                )
            elif r.rule == "single_item":
                lines.append(f"* {'Stap' if nl else 'Step'} {r.step}: **{r.item}** "
                             + ("los item: " if nl else "loose item: ") + T["single_item"] + ".")
            elif r.rule == "too_few_items":
                lines.append(f"* {'Stap' if nl else 'Step'} {r.step}: {T['too_few_items']}"
                             f" ({r.item}).")
            elif r.rule == "empty_component":
                lines.append(f"* {'Stap' if nl else 'Step'} {r.step}: component {r.component}: "
                             + ("geen item laadt hier het hoogst." if nl
                                else "no item has its largest loading here."))
        fs = res.factors[res.factors["group"] == g].set_index("component")
        for r in gs[gs["rule"] == "factor"].itertuples():
            f = fs.loc[r.component]
            its = ", ".join(f"{it} ({f2(ld)})" for it, ld in f["loadings"].items())
            pct = fmt_num(f["pct_variance"], 1, lang)
            if nl:
                line = (f"* Stap {r.step}: **Factor {f['factor']}** (α = {f2(f['alpha'])}; "
                        f"verklaart op zichzelf {pct}%): {its}.")
                if f["two_items"]:
                    line += " Met twee items is dit nauwelijks een factor."
            else:
                line = (f"* Step {r.step}: **Factor {f['factor']}** (α = {f2(f['alpha'])}; "
                        f"explains {pct}% on its own): {its}.")
                if f["two_items"]:
                    line += " With two items this is hardly a factor."
            lines.append(line)
        lines.append("")
    if len(res.loose_items):
        li = ", ".join(res.loose_items["item"])
        lines.append(("Losse items: " if nl else "Loose items: ") + li + ".")
        lines.append("")
    lines.append(res.apa(lang))
    return "\n".join(lines) + "\n"


# -- public entry points ------------------------------------------------------------------
def _rules_settings(rules: ItemRules, extra: dict) -> dict:
    return {
        "min_loading": rules.min_loading,
        "cross_loading_margin": rules.cross_loading_margin,
        "cross_loading_floor": rules.cross_loading_floor,
        "cross_loading_min": rules.cross_min,
        "min_communality": rules.min_communality,
        "min_items": rules.min_items,
        **extra,
    }


def _removals(remove, available, steps, group_of) -> tuple[list, set]:
    removed, gone = [], set()
    problems = []
    for entry in remove:
        if isinstance(entry, str) or len(entry) != 2:
            problems.append(Problem(None, str(entry), entry, "a pair (item, reason)"))
            continue
        item, reason = entry
        if item not in available:
            problems.append(Problem(None, item, None, "an item of the analysis to remove"))
            continue
        if not str(reason).strip():
            problems.append(Problem(None, item, reason, "a stated reason for removing it"))
            continue
        steps.add(group_of(item), item, None, "analyst", None, None, str(reason), n_items=None)
        removed.append((item, str(reason), len(steps.rows)))
        gone.add(item)
    if problems:
        raise DataValidationError(problems, context="remove=")
    return removed, gone


def exploratory_factors(
    data: pd.DataFrame,
    items: Sequence[str] | None = None,
    min_loading: float | None = 0.4,
    cross_loading_margin: float | None = 0.2,
    cross_loading_floor: float = 0.3,
    cross_loading_min: float | None | str = "min_loading",
    min_communality: float | None = 0.3,
    remove: Sequence[tuple[str, str]] = (),
    min_alpha: float | None = None,
    n_components: int | None = None,
    min_items: int = 2,
    delta: float = 0.0,
    normalize: bool = True,
) -> FactorWorkflowResult:
    """All method items in one PCA with oblimin; failing items dropped one at a time.

    The ReSet workflow (dissertation 4.11): 15 items in one PCA, items that do not
    discriminate dropped one by one, one item removed on content; 10 items, 3 factors.

    Parameters
    ----------
    data : pandas.DataFrame
        Respondents (practitioners) by items. The index identifies respondents and is kept in
        ``.scores``.
    items : list of str, optional
        The method items (default: all columns).
    min_loading, cross_loading_margin, cross_loading_floor, cross_loading_min, min_communality
        Item rules, see :class:`ItemRules` and the module documentation; ``None`` switches a
        rule off.
    remove : list of (item, reason)
        Items removed by the analyst before the first PCA, with the reason (recorded).
    min_alpha : float, optional
        Keep a component as a factor only if its alpha reaches this (default: no check, as
        in the ReSet analysis; the alphas are always reported).
    n_components : int, optional
        Fixed number of components (default: eigenvalue > 1 at every fit, SPSS's default).
    min_items : int
        Never drop below this many items.
    delta, normalize
        Oblimin delta and Kaiser normalization (SPSS defaults 0 and on).

    Returns
    -------
    FactorWorkflowResult

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(80, 2))
    >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(80, 6)) * .7,
    ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> x["noise"] = rng.normal(size=80)
    >>> res = exploratory_factors(x)
    >>> res.factors[["factor", "items"]].to_numpy().tolist()
    [['F1', ['a1', 'a2', 'a3']], ['F2', ['b1', 'b2', 'b3']]]
    >>> res.loose_items[["item", "reason"]].to_numpy().tolist()
    [['noise', 'low_communality']]
    """
    items = [str(c) for c in (data.columns if items is None else items)]
    _validate(data, items)
    rules = ItemRules(min_loading, cross_loading_margin, cross_loading_floor, cross_loading_min,
                      min_communality, min_items)
    steps, loose = _Steps(), []
    removed, gone = _removals(remove, items, steps, lambda _i: "all")
    kept = [it for it in items if it not in gone]
    pca_kw = {"rotation": "oblimin", "delta": delta, "normalize": normalize, "preset": "spss",
              "missing": "listwise"}
    res, final = _run_group(data, "all", kept, rules, steps, loose, pca_kw, n_components)
    grp = _Group("all", final, res)
    if res is not None:
        _make_factors(data, grp, steps, loose, min_alpha,
                      lambda _g, k: [f"F{j + 1}" for j in range(k)])
    settings = _rules_settings(rules, {"min_alpha": min_alpha, "n_items": len(items),
                                       "delta": delta, "normalize": normalize,
                                       "n_components": n_components})
    return FactorWorkflowResult("exploratory", data, [grp], steps, loose, removed, settings)


def _principle_groups(instrument_or_mapping, data) -> dict[str, list[str]]:
    from fidelity.instrument import Instrument

    if isinstance(instrument_or_mapping, Instrument):
        groups: dict[str, list[str]] = {}
        for it in instrument_or_mapping.items:
            if it.principle is None or it.excluded:
                continue
            groups.setdefault(it.principle, []).append(it.code)
        missing = [c for g in groups.values() for c in g if c not in data.columns]
        if missing:
            raise DataValidationError(
                [Problem(None, c, None, "a column in data for this instrument item")
                 for c in missing],
                context=f"the data for instrument {instrument_or_mapping.id!r}",
            )
        return groups
    if isinstance(instrument_or_mapping, Mapping):
        return {str(k): [str(c) for c in v] for k, v in instrument_or_mapping.items()}
    raise TypeError("instrument_or_mapping must be a fidelity.Instrument or a dict "
                    "principle -> list of items")


def _letters(group: str, k: int) -> list[str]:
    if k == 1:
        return [group]
    return [f"{group}{chr(ord('a') + j)}" for j in range(k)]


def factors_per_principle(
    data: pd.DataFrame,
    instrument_or_mapping,
    min_alpha: float | None = 0.6,
    min_loading: float | None = 0.4,
    cross_loading_margin: float | None = 0.2,
    cross_loading_floor: float = 0.3,
    cross_loading_min: float | None | str = "min_loading",
    min_communality: float | None = 0.3,
    remove: Sequence[tuple[str, str]] = (),
    principles: Sequence[str] | None = None,
    min_items: int = 2,
    delta: float = 0.0,
    normalize: bool = True,
) -> FactorWorkflowResult:
    """One PCA with oblimin per theoretical principle; components kept if alpha ≥ min_alpha.

    The NP workflow (dissertation 5.7): items grouped by principle, failing items dropped one at
    a time per principle, each remaining component a factor only if Cronbach's alpha reaches
    ``min_alpha`` (.6); a principle may split into factors ``<principle>a``,
    ``<principle>b``...; factors of two items are flagged.

    Parameters
    ----------
    data : pandas.DataFrame
        Respondents by items; the index is kept in ``.scores``.
    instrument_or_mapping : fidelity.Instrument or dict
        Items grouped by ``Item.principle`` (items with ``excluded`` set are left out), or a
        dict principle -> list of items.
    min_alpha : float or None
        Minimum Cronbach's alpha for a component to become a factor (``None``: no check).
    principles : list of str, optional
        Which principles to analyse (default all, in definition order).
    other parameters
        As :func:`exploratory_factors`.

    Returns
    -------
    FactorWorkflowResult

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> f = rng.normal(size=(90, 3))
    >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(90, 9)) * .6,
    ...                  columns=[f"{p}{i}" for p in "ABC" for i in range(1, 4)])
    >>> res = factors_per_principle(x, {"P1": ["A1", "A2", "A3", "B1", "B2", "B3"],
    ...                                 "P2": ["C1", "C2", "C3"]})
    >>> res.factors["factor"].tolist()
    ['P1a', 'P1b', 'P2']
    """
    groups = _principle_groups(instrument_or_mapping, data)
    if principles is not None:
        unknown = [p for p in principles if p not in groups]
        if unknown:
            raise KeyError(f"unknown principles {unknown}; known: {list(groups)}")
        groups = {p: groups[p] for p in principles}
    all_items = [c for g in groups.values() for c in g]
    _validate(data, all_items)
    rules = ItemRules(min_loading, cross_loading_margin, cross_loading_floor, cross_loading_min,
                      min_communality, min_items)
    steps, loose = _Steps(), []
    owner = {c: g for g, its in groups.items() for c in its}
    removed, gone = _removals(remove, all_items, steps, owner.__getitem__)
    pca_kw = {"rotation": "oblimin", "delta": delta, "normalize": normalize, "preset": "spss",
              "missing": "listwise"}
    done = []
    for g, its in groups.items():
        res, final = _run_group(data, g, [c for c in its if c not in gone], rules, steps, loose,
                                pca_kw, None)
        grp = _Group(g, final, res)
        if res is not None:
            _make_factors(data, grp, steps, loose, min_alpha, _letters)
        done.append(grp)
    settings = _rules_settings(rules, {"min_alpha": min_alpha, "n_items": len(all_items),
                                       "delta": delta, "normalize": normalize,
                                       "n_components": None})
    return FactorWorkflowResult("principle", data, done, steps, loose, removed, settings)
