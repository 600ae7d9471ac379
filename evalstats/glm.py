"""Factorial ANOVA / ANCOVA as SPSS GLM UNIVARIATE prints "Tests of Between-Subjects Effects".

The model is fitted once by a Householder QR decomposition of the design matrix, factors in
sum-to-zero (deviation) coding, covariates uncentred. Type III sums of squares come from the
L-matrix (Wald) form ``SS_F = b_F' [(X'X)^-1_FF]^-1 b_F`` on that single fit, which equals the
model comparison SSE(without F) − SSE(full) and SPSS's Type III whenever every cell is filled.
With empty cells Type III comes from SPSS's estimable functions on the over-parameterised design.
Type I (sequential, from the QR effects) and Type II (each term adjusted for the terms not
containing it) on request. See ``docs/methods-models.md``.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, stats

from evalstats._compat import deprecated_attribute, renamed_kwargs
from evalstats._modeldata import check_columns, listwise, numeric_problems, sorted_levels
from evalstats.cluster import fit_clusters, model_clusters, robust_footnote, robust_sentence
from evalstats.errors import DataValidationError, EmptyGroupError, LocalizedWarning, Problem
from evalstats.format import Lang, fmt_df, fmt_num, fmt_p, p_spss, stat_sep
from evalstats.result import Result

_ALIAS_TOL = 1e-7  # a column whose part orthogonal to the earlier columns is below this share
_GRAM_RCOND = 1e-8  # smallest/largest eigenvalue of the scaled X'X for the normal equations


class EmptyCellWarning(LocalizedWarning):
    """Some combination of factor levels has no cases: Type III and Type IV differ, and
    estimated marginal means that need the empty cell are not estimable.

    Examples
    --------
    >>> import warnings
    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6, 7], "a": [0, 0, 0, 1, 1, 0, 0],
    ...                    "b": ["p", "q", "p", "p", "p", "q", "q"]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     res = factorial_anova(df, "y", factors=["a", "b"], interactions=True)
    >>> caught[0].category.__name__
    'EmptyCellWarning'
    >>> res.empty_cells
       a  b
    0  1  q
    """


@dataclass(frozen=True)
class LeveneTest:
    """Levene's test of equality of error variances (SPSS GLM): one-way ANOVA over the observed
    cells of the factors of the absolute residuals of the model with the covariates; without
    covariates these are the absolute deviations from the cell means.

    Examples
    --------
    >>> LeveneTest(F=1.0234, df1=3, df2=96, p=0.3866).apa()
    'F(3, 96) = 1.02, p = .387'

    With a covariate the residuals are those of the ANCOVA (SPSS prints F = 5.584, p = .046):

    >>> df = pd.DataFrame({"cov": [2, 3, 5, 7, 2, 5, 5, 2, 4, 4],
    ...                    "t2": [3, 4, 6, 7, 3, 3, 6, 2, 6, 9], "group": [1] * 5 + [2] * 5})
    >>> factorial_anova(df, "t2", factors=["group"], covariates=["cov"]).levene.apa()
    'F(1, 8) = 5.58, p = .046'
    >>> factorial_anova(df, "t2", factors=["group"]).levene.apa()
    'F(1, 8) = 0.90, p = .371'
    """

    F: float
    df1: int
    df2: int
    p: float

    def apa(self, lang: Lang = "en") -> str:
        """e.g. ``F(3, 96) = 1.02, p = .387``."""
        return f"F{fmt_df(self.df1, self.df2, lang=lang)} = {fmt_num(self.F, 2, lang)}{stat_sep(lang)}{fmt_p(self.p, lang)}"


@dataclass
class _Term:
    name: str
    variables: tuple[str, ...]


class AnovaResult(Result):
    """Result of :func:`factorial_anova`; see that function for the attributes.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [2.0, 3, 4, 6, 7, 8, 5, 6], "g": list("aabbbbaa")})
    >>> res = factorial_anova(df, "y", factors=["g"])
    >>> res.spss_table().loc["g"].tolist()
    ['10.125', '1', '10.125', '3.240', '.122', '.351']
    >>> res.apa(term="g")
    'F(1, 6) = 3.24, p = .122, ηp² = .35'
    """

    cluster = None
    titles = {"en": "Tests of between-subjects effects", "nl": "Toetsen van effecten tussen proefpersonen"}

    dv = deprecated_attribute("dv", "outcome")

    def __init__(self, **kw):
        self.__dict__.update(kw)

    @property
    def table(self) -> pd.DataFrame:
        """Tests of Between-Subjects Effects with exact values: columns ``source``, ``SS``,
        ``df``, ``MS``, ``F``, ``p``, ``partial_eta2`` (with ``cluster=``, also ``F_robust``,
        ``df1_robust``, ``df2_robust``, ``p_robust``)."""
        return self._table

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """The table as SPSS prints it (3 decimals; Sig. as ``< .001`` below .001). The R² footnote is in
        ``.attrs["footnote"]``."""
        t = self._table
        roman = {1: "I", 2: "II", 3: "III"}[self.ss_type]
        if lang == "nl":
            labels = {
                "Corrected Model": "Gecorrigeerd model",
                "Error": "Fout",
                "Total": "Totaal",
                "Corrected Total": "Gecorrigeerd totaal",
            }
            cols = [
                f"Type {roman} kwadratensom",
                "df",
                "Gemiddelde kwadraat",
                "F",
                "Sig.",
                "Partiële eta-kwadraat",
            ]
            title = "Toetsen van effecten tussen proefpersonen"
        else:
            labels = {}
            cols = [
                f"Type {roman} Sum of Squares",
                "df",
                "Mean Square",
                "F",
                "Sig.",
                "Partial Eta Squared",
            ]
            title = "Tests of Between-Subjects Effects"

        def num(x):
            return "" if pd.isna(x) else fmt_num(float(x), 3, lang, leading_zero=False)

        def sig(x):
            s = p_spss(x)
            return s.replace(".", ",") if lang == "nl" else s

        out = pd.DataFrame(
            {
                cols[0]: [num(x) for x in t["SS"]],
                cols[1]: [str(int(x)) for x in t["df"]],
                cols[2]: [num(x) for x in t["MS"]],
                cols[3]: [num(x) for x in t["F"]],
                cols[4]: [sig(x) for x in t["p"]],
                cols[5]: [num(x) for x in t["partial_eta2"]],
            }
        )
        if self.cluster is not None:
            kind = self.cluster.type
            out[f"F ({kind})"] = [num(x) for x in t["F_robust"]]
            out[f"df2 ({kind})"] = ["" if pd.isna(x) else fmt_num(x, 2, lang) for x in t["df2_robust"]]
            out[f"Sig. ({kind})"] = ["" if pd.isna(x) else sig(x) for x in t["p_robust"]]
        out.index = pd.Index([labels.get(s, s) for s in t["source"]], name=title)
        r2 = fmt_num(self.r2, 3, lang, leading_zero=False)
        adj = fmt_num(self.adj_r2, 3, lang, leading_zero=False)
        out.attrs["footnote"] = (
            f"a. R Squared = {r2} (Adjusted R Squared = {adj})"
            if lang == "en"
            else f"a. R-kwadraat = {r2} (gecorrigeerde R-kwadraat = {adj})"
        )
        if self.cluster is not None:
            out.attrs["footnote"] += f"\nb. {robust_footnote(self.cluster, lang)}"
        return out

    def apa(self, lang: Lang = "en", term: str | None = None) -> str:
        """APA sentence for one term (``F(1, 180) = 5.12, p = .025, ηp² = .03``) or, without
        ``term``, for the corrected model with R² and adjusted R²."""
        t = self._table.set_index("source")
        sep = stat_sep(lang)
        err = t.loc["Error", "df"]
        src = "Corrected Model" if term is None else term
        if src not in t.index or src in ("Error", "Total", "Corrected Total"):
            raise KeyError(f"no effect {term!r}; effects are {self.terms}")
        r = t.loc[src]
        s = f"F{fmt_df(r['df'], err, lang=lang)} = {fmt_num(r['F'], 2, lang)}{sep}{fmt_p(r['p'], lang)}"
        if term is None:
            adj = "adjusted R²" if lang == "en" else "gecorrigeerde R²"
            s += (
                f"{sep}R² = {fmt_num(self.r2, 2, lang, leading_zero=False)}"
                f"{sep}{adj} = {fmt_num(self.adj_r2, 2, lang, leading_zero=False)}"
            )
        else:
            s += f"{sep}ηp² = {fmt_num(r['partial_eta2'], 2, lang, leading_zero=False)}"
        if self.cluster is not None and pd.notna(r["F_robust"]):
            s += f"; {robust_sentence(r['F_robust'], int(r['df1_robust']), r['df2_robust'], r['p_robust'], lang)}"
            if term is None:
                s += f" ({self.cluster.info.apa(lang)})"
        return s

    def _repr_fields(self) -> str:
        return f"outcome={self.outcome!r} {self.apa('en')}, n = {self.n_used}"


def _parse_terms(factors, covariates, interactions) -> list[_Term]:
    terms = [_Term(c, (c,)) for c in covariates] + [_Term(f, (f,)) for f in factors]
    if interactions is True:
        combos = [c for k in range(2, len(factors) + 1) for c in itertools.combinations(factors, k)]
    elif interactions is False or interactions is None:
        combos = []
    else:
        combos = [tuple(c) for c in interactions]
    known = set(factors) | set(covariates)
    problems = []
    for c in combos:
        if len(c) < 2 or len(set(c)) != len(c) or not set(c) <= known:
            problems.append(
                Problem(
                    None,
                    " * ".join(map(str, c)),
                    c,
                    "an interaction of two or more distinct factors/covariates of the model",
                )
            )
    if problems:
        raise DataValidationError(problems, context="factorial_anova interactions")
    names = {t.name for t in terms}
    for c in combos:
        name = " * ".join(c)
        if name not in names:
            terms.append(_Term(name, c))
            names.add(name)
    return terms


def _row_products(blocks: list[np.ndarray]) -> np.ndarray:
    out = blocks[0]
    for b in blocks[1:]:
        out = (out[:, :, None] * b[:, None, :]).reshape(out.shape[0], -1)
    return out


def _sum_code(codes: np.ndarray, n_levels: int) -> np.ndarray:
    """Deviation coding of level codes 0..L−1: column j is 1 for level j, −1 for the last level,
    0 otherwise."""
    k = n_levels - 1
    out = np.zeros((len(codes), k))
    rows = np.flatnonzero(codes < k)
    out[rows, codes[rows]] = 1.0
    out[codes == k, :] = -1.0
    return out


def _term_matrix(term: _Term, base: dict[str, np.ndarray]) -> np.ndarray:
    return _row_products([base[v] for v in term.variables])


@renamed_kwargs(dv="outcome")
def factorial_anova(
    data: pd.DataFrame,
    outcome: str,
    factors: Sequence[str] = (),
    covariates: Sequence[str] = (),
    interactions: bool | Sequence[Sequence[str]] = False,
    ss_type: int = 3,
    alpha: float = 0.05,
    cluster: str | None = None,
    cluster_type: str = "CR2",
    random_intercept: bool | None = None,
) -> AnovaResult:
    """Univariate general linear model with the output of SPSS GLM UNIVARIATE.

    Parameters
    ----------
    data : DataFrame
        One row per case; never modified. Cases missing any listed variable are left out
        (listwise) and counted in ``.dropped``.
    outcome : str
        Numeric dependent variable.
    factors : list of str
        Fixed factors: 0/1 dummies or multi-level categories (numbers or text). Levels are sorted
        ascending; SPSS's parameterisation does not change the tests.
    covariates : list of str
        Numeric covariates, entered uncentred (as SPSS does).
    interactions : bool or list of tuples
        ``True``: full factorial of the factors (all 2-way up to k-way interactions); or a list
        of tuples such as ``[("A", "B"), ("A", "x")]`` (covariates allowed).
    ss_type : 1, 2 or 3
        Type of sums of squares (SPSS default 3). Terms are ordered as SPSS's default design:
        covariates, factors, interactions (this order matters for Type I only). Type III uses
        sum-to-zero coding; with empty cells it is built from estimable functions as SPSS does
        (see ``docs/methods-models.md``).
    alpha : float
        For the confidence intervals of the estimated marginal means.
    cluster : str, optional
        Column of the cluster id (e.g. the practitioner) of each case. The SPSS table stays as
        it is; beside it ``.table`` gains ``F_robust``, ``df1_robust``, ``df2_robust`` and
        ``p_robust``: each effect's HTZ Wald test with ``cluster_type`` (CR2) cluster-robust
        standard errors, and ``.parameters`` gains ``SE_robust``, ``df_robust``
        (Satterthwaite) and ``p_robust``. ``.cluster`` (:class:`evalstats.cluster.ClusterFit`)
        holds the number of clusters, the ICC, the design effect and, with at least
        ``evalstats.cluster.MIN_CLUSTERS`` clusters (or ``random_intercept=True``), a
        random-intercept model. Every case used needs a cluster id. See
        ``docs/methods-nesting.md``. With empty cells (Type III from estimable functions)
        there are no cluster-robust tests: a warning says so and ``.cluster`` is None.
    cluster_type : "CR2", "CR1", "CR1S" or "CR0"
        The small-sample adjustment of the cluster-robust covariance.
    random_intercept : bool, optional
        Fit the random-intercept model (True), never (False), or when the clusters number at
        least ``MIN_CLUSTERS`` (None).

    Returns
    -------
    AnovaResult
        ``.table`` (rows Corrected Model, Intercept, each term, Error, Total, Corrected Total;
        columns SS, df, MS, F, p, partial_eta2), ``.r2``, ``.adj_r2``, ``.n_used``,
        ``.n_dropped``, ``.dropped`` (missing per variable), ``.levene`` (:class:`LeveneTest`,
        SPSS's "based on mean" row: a one-way ANOVA over the observed factor cells of the
        absolute residuals of the model with every cell of the factors and the covariate
        terms, so with covariates in the model it tests the error variance of the ANCOVA;
        None without factors), ``.emmeans`` (dict term → DataFrame of estimated marginal means at
        the covariate means with SE and CI; NaN where not estimable), ``.parameters`` (sum-coded
        estimates), ``.empty_cells`` (DataFrame of factor combinations without cases),
        ``.aliased`` (design columns dropped as linearly dependent), ``.terms``.

    Warns
    -----
    EmptyCellWarning
        When a combination of the levels of factors that interact in the model has no cases
        (not for main-effects models, where Type III and Type IV agree; ``.empty_cells`` lists
        the empty cells of the full grid either way).

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "y": [3.0, 4, 5, 4, 6, 7, 8, 6, 5, 9, 7, 8],
    ...     "a": [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
    ...     "b": ["p", "p", "q", "q", "q", "p", "p", "q", "q", "p", "p", "q"],
    ...     "x": [1.0, 2, 2, 3, 4, 4, 5, 5, 6, 7, 7, 8]})
    >>> res = factorial_anova(df, "y", factors=["a", "b"], covariates=["x"], interactions=True)
    >>> res.table.round(3)
                source       SS  df     MS      F      p  partial_eta2
    0  Corrected Model   29.310   4  7.327  5.902  0.021         0.771
    1        Intercept    3.970   1  3.970  3.198  0.117         0.314
    2                x    8.643   1  8.643  6.962  0.033         0.499
    3                a    0.232   1  0.232  0.187  0.679         0.026
    4                b    2.527   1  2.527  2.035  0.197         0.225
    5            a * b    1.596   1  1.596  1.286  0.294         0.155
    6            Error    8.690   7  1.241    NaN    NaN           NaN
    7            Total  470.000  12    NaN    NaN    NaN           NaN
    8  Corrected Total   38.000  11    NaN    NaN    NaN           NaN
    >>> res.apa(term="a")
    'F(1, 7) = 0.19, p = .679, ηp² = .03'
    >>> res.apa("nl")
    'F(4; 7) = 5,90; p = ,021; R² = ,77; gecorrigeerde R² = ,64'
    """
    factors, covariates = list(factors), list(covariates)
    if ss_type not in (1, 2, 3):
        raise ValueError(f"ss_type must be 1, 2 or 3, got {ss_type!r}")
    allvars = [outcome, *factors, *covariates]
    check_columns(data, allvars + ([cluster] if cluster is not None else []), "factorial_anova")
    if len(set(allvars)) != len(allvars):
        raise DataValidationError(
            [Problem(None, outcome, allvars, "the outcome, factors and covariates to be distinct columns")],
            context="factorial_anova",
        )
    problems = numeric_problems(data, [outcome, *covariates])
    if problems:
        raise DataValidationError(problems, context="factorial_anova")
    terms = _parse_terms(factors, covariates, interactions)
    kept, dropped = listwise(data, allvars)
    n = len(kept)
    y = pd.to_numeric(kept[outcome]).to_numpy(dtype=float)

    base: dict[str, np.ndarray] = {}
    levels: dict[str, list] = {}
    fvals: dict[str, np.ndarray] = {}
    for f in factors:
        levels[f] = sorted_levels(kept[f])
        fvals[f] = pd.Categorical(kept[f], categories=levels[f]).codes.astype(np.int64)
        if len(levels[f]) < 2:
            raise EmptyGroupError(
                f"factor {f!r} has {len(levels[f])} level(s) among the {n} complete cases; "
                "a factor needs at least two"
            )
        base[f] = _sum_code(fvals[f], len(levels[f]))
    cov_means = {}
    for c in covariates:
        base[c] = pd.to_numeric(kept[c]).to_numpy(dtype=float)[:, None]
        cov_means[c] = float(base[c].mean())

    widths = [1] + [int(np.prod([base[v].shape[1] for v in t.variables])) for t in terms]
    k = sum(widths)
    owner = np.repeat(np.arange(-1, len(terms)), widths)
    colnames = ["Intercept"] + [
        f"{t.name}[{j + 1}]" if w > 1 else t.name
        for t, w in zip(terms, widths[1:], strict=True)
        for j in range(w)
    ]
    if n <= k:
        raise EmptyGroupError(
            f"{n} complete cases for {k} design columns: no error degrees of freedom"
        )
    # [X | y] built once in place, X's columns scaled to unit length (numerics; the scaling is
    # undone on the coefficients)
    Xy = np.empty((n, k + 1))
    Xy[:, 0] = 1.0
    start = 1
    for t, w in zip(terms, widths[1:], strict=True):
        Xy[:, start : start + w] = _term_matrix(t, base)
        start += w
    Xy[:, k] = y
    norms = np.sqrt(np.einsum("ij,ij->j", Xy[:, :k], Xy[:, :k]))
    norms[norms == 0] = 1.0
    Xy[:, :k] /= norms
    gram = Xy.T @ Xy  # cross-products of the column-scaled [X | y]
    ev = np.linalg.eigvalsh(gram[:k, :k])
    keep = np.ones(k, dtype=bool)
    Raug = None
    if ev[0] > _GRAM_RCOND * ev[-1]:
        # full rank and well conditioned: the normal equations lose no accuracy that matters
        # (relative error below cond × eps ≈ 1e-8) and cost a fraction of a QR for large N
        try:
            Raug = linalg.cholesky(gram, lower=False, check_finite=False)
        except linalg.LinAlgError:  # y in the column space: fall back to QR
            Raug = None
    if Raug is None:
        # Householder QR (R factor only) of the column-scaled [X | y]: the last column of R
        # holds the effects Q'y; a column whose diagonal element is ~0 is aliased with earlier
        # columns and dropped, as R's lm does
        Raug = np.linalg.qr(Xy, mode="r")
        keep = np.abs(np.diag(Raug)[:k]) > _ALIAS_TOL
        if not keep.all():
            Raug = np.linalg.qr(Xy[:, np.append(keep, True)], mode="r")
    aliased = [colnames[j] for j in np.flatnonzero(~keep)]
    Xs_k = Xy[:, :k] if keep.all() else Xy[:, :k][:, keep]
    own_k = owner[keep]
    p = int(keep.sum())
    nk = norms[keep]
    Rs = Raug[:p, :p]
    effects = Raug[:p, p]
    Rs_inv = linalg.solve_triangular(Rs, np.eye(p))
    bs = Rs_inv @ effects  # coefficients of the scaled columns
    b = bs / nk
    xtx_inv = (Rs_inv @ Rs_inv.T) / np.outer(nk, nk)
    resid = y - Xs_k @ bs
    sse = float(resid @ resid)
    df_err = n - p
    mse = sse / df_err
    ybar = float(y.mean())
    sst = float(((y - ybar) ** 2).sum())
    ss_model = max(sst - sse, 0.0) if p > 1 else 0.0
    df_model = p - 1

    rows = []
    empty = _empty_cells(factors, levels, fvals)
    if ss_type == 3 and aliased and len(empty):
        # empty cells: SPSS's Type III from estimable functions
        full = {f: _indicators(fvals[f], len(levels[f])) for f in factors}
        full |= {c: base[c] for c in covariates}
        rows = _type3_estimable(terms, full, y)
    elif ss_type == 3:
        for i, name in [(-1, "Intercept")] + [(i, t.name) for i, t in enumerate(terms)]:
            idx = np.flatnonzero(own_k == i)
            rows.append((name, _wald_ss(b, xtx_inv, idx), len(idx)))
    elif ss_type == 1:
        for i, name in [(-1, "Intercept")] + [(i, t.name) for i, t in enumerate(terms)]:
            idx = np.flatnonzero(own_k == i)
            rows.append((name, float((effects[idx] ** 2).sum()), len(idx)))
    else:
        rows.append(("Intercept", n * ybar**2, 1))
        for i, t in enumerate(terms):
            contain = [
                j for j, u in enumerate(terms) if j != i and set(t.variables) < set(u.variables)
            ]
            others = [j for j in range(len(terms)) if j != i and j not in contain]
            first = np.flatnonzero(np.isin(own_k, [-1, *others]))
            idx = np.flatnonzero(own_k == i)
            rows.append((t.name, _added_ss(Raug, first, idx), len(idx)))

    records = [_effect("Corrected Model", ss_model, df_model, mse, df_err, sse)]
    records += [_effect(name, ss, df, mse, df_err, sse) for name, ss, df in rows]
    records.append(
        {
            "source": "Error",
            "SS": sse,
            "df": df_err,
            "MS": mse,
            "F": np.nan,
            "p": np.nan,
            "partial_eta2": np.nan,
        }
    )
    records.append(
        {
            "source": "Total",
            "SS": float(y @ y),
            "df": n,
            "MS": np.nan,
            "F": np.nan,
            "p": np.nan,
            "partial_eta2": np.nan,
        }
    )
    records.append(
        {
            "source": "Corrected Total",
            "SS": sst,
            "df": n - 1,
            "MS": np.nan,
            "F": np.nan,
            "p": np.nan,
            "partial_eta2": np.nan,
        }
    )
    table = pd.DataFrame(records)
    table["df"] = table["df"].astype(int)
    r2 = ss_model / sst if sst > 0 else float("nan")
    adj_r2 = 1 - (1 - r2) * (n - 1) / df_err

    crossed = _crossed_empty_cells(terms, factors, levels, fvals)
    if crossed:
        cells = "; ".join(crossed)
        warnings.warn(
            EmptyCellWarning(
                f"{len(crossed)} empty cell(s) in the design of {outcome!r} ({cells}): Type III (from "
                "estimable functions, as SPSS) and Type IV sums of squares differ, and marginal "
                "means that need an empty cell are not estimable",
                f"{len(crossed)} lege cel(len) in het design van {outcome!r} ({cells}): de Type III- "
                "(uit schatbare functies, als SPSS) en Type IV-kwadratensommen verschillen, en "
                "marginale gemiddelden die een lege cel nodig hebben zijn niet te schatten",
            ),
            stacklevel=2,
        )
    params = pd.DataFrame(
        {
            "parameter": [c for c, k in zip(colnames, keep, strict=True) if k],
            "B": b,
            "SE": np.sqrt(np.diag(xtx_inv) * mse),
        }
    )
    params["t"] = params["B"] / params["SE"]
    params["p"] = 2 * stats.t.sf(np.abs(params["t"]), df_err)

    # estimability: L is estimable iff it is orthogonal to the null space of X
    null_vecs = []
    if aliased:
        # X_a = X_k c: from the scaled columns, c = D_k^-1 (Xs_k'Xs_k)^-1 Xs_k'Xs_a D_a
        Xs_a = Xy[:, :k][:, ~keep]
        cs = (Rs_inv @ Rs_inv.T) @ (Xs_k.T @ Xs_a)
        coef = cs * norms[~keep][None, :] / nk[:, None]
        for j in range(Xs_a.shape[1]):
            v = np.zeros(k)
            v[np.flatnonzero(~keep)[j]] = 1.0
            v[keep] = -coef[:, j]
            null_vecs.append(v)
    emmeans = _emmeans(
        terms, factors, levels, cov_means, keep, b, xtx_inv * mse, df_err, alpha, null_vecs
    )
    cluster_fit = None
    if cluster is not None and aliased and len(empty):
        warnings.warn(
            LocalizedWarning(
                f"no cluster-robust tests over {cluster!r}: they need every cell of the factors "
                f"filled, and {len(empty)} cell(s) are empty",
                f"geen clusterrobuuste toetsen over {cluster!r}: die vragen dat elke cel van de "
                f"factoren gevuld is, en {len(empty)} cel(len) zijn leeg",
            ),
            stacklevel=2,
        )
    elif cluster is not None:
        codes, gone = model_clusters(data, kept.index, cluster, "factorial_anova cluster")
        sources = {"Corrected Model": np.flatnonzero(own_k >= 0)}
        sources |= {name: np.flatnonzero(own_k == i) for i, name in
                    [(-1, "Intercept")] + [(i, t.name) for i, t in enumerate(terms)]}
        cluster_fit = fit_clusters(
            "linear", Xs_k * nk, y, b, codes, cluster, sources, list(params["parameter"]),
            type=cluster_type, random_intercept=random_intercept, n_clusters_dropped=gone)
        rob = cluster_fit.tests.set_index("source")
        for col in ("F", "df1", "df2", "p"):
            table[f"{col}_robust"] = table["source"].map(rob[col]).astype(float)
        ct = cluster_fit.robust.coef_test(params["parameter"])
        params["SE_robust"] = ct["SE"].to_numpy()
        params["df_robust"] = ct["df"].to_numpy()
        params["p_robust"] = ct["p"].to_numpy()
    cov_cols = [_term_matrix(t, base) for t in terms if not set(t.variables) <= set(factors)]
    levene = _levene(y, factors, levels, fvals, cov_cols) if factors else None
    return AnovaResult(
        outcome=outcome,
        ss_type=ss_type,
        _table=table,
        r2=float(r2),
        adj_r2=float(adj_r2),
        n_used=n,
        n_dropped=int(dropped["n_missing"].iloc[-1]),
        dropped=dropped,
        levene=levene,
        emmeans=emmeans,
        parameters=params,
        empty_cells=empty,
        aliased=aliased,
        terms=[t.name for t in terms],
        covariate_means=cov_means,
        cluster=cluster_fit,
    )


def _effect(name, ss, df, mse, df_err, sse) -> dict:
    ms = ss / df if df > 0 else np.nan
    f = ms / mse if df > 0 else np.nan
    return {
        "source": name,
        "SS": float(ss),
        "df": int(df),
        "MS": float(ms),
        "F": float(f),
        "p": float(stats.f.sf(f, df, df_err)) if df > 0 else np.nan,
        "partial_eta2": float(ss / (ss + sse)) if df > 0 and ss + sse > 0 else np.nan,
    }


def _indicators(codes: np.ndarray, n_levels: int) -> np.ndarray:
    out = np.zeros((len(codes), n_levels))
    out[np.arange(len(codes)), codes] = 1.0
    return out


def _null_rows(A: np.ndarray, rtol: float = 1e-9) -> np.ndarray:
    """Orthonormal basis (as rows) of the null space of ``A``'s rows, i.e. of {c : c A = 0}
    for A given with one column per coefficient row."""
    if A.shape[1] == 0:
        return np.eye(A.shape[0])
    u, s, _ = np.linalg.svd(A, full_matrices=True)
    rank = int((s > rtol * max(s.max(initial=0.0), 1e-300)).sum()) if s.size else 0
    return u[:, rank:].T


def _orthonormal_rows(L: np.ndarray, rtol: float = 1e-9) -> np.ndarray:
    if L.shape[0] == 0:
        return L
    _, s, vt = np.linalg.svd(L, full_matrices=False)
    return vt[s > rtol * s.max()]


def _type3_estimable(terms, full: dict[str, np.ndarray], y: np.ndarray) -> list:
    """Type III sums of squares from estimable functions (Goodnight 1980; SAS and SPSS GLM).

    On the over-parameterised design (full indicator coding, products for interactions), the
    hypothesis for effect F is the set of estimable functions L that (1) have zero coefficients
    on every effect that neither is F nor contains F and (2) are orthogonal (as coefficient
    vectors) to the hypotheses of all effects containing F. Its dimension is F's df. With every
    cell filled this is exactly the sum-to-zero Type III; with empty cells it is SPSS's Type III.
    """
    n = len(y)
    blocks = [np.ones((n, 1))] + [_term_matrix(t, full) for t in terms]
    owner = np.repeat(np.arange(len(blocks)), [b.shape[1] for b in blocks])
    X = np.hstack(blocks)
    norms = np.linalg.norm(X, axis=0)
    norms[norms == 0] = 1.0
    Xs = X / norms
    gs = Xs.T @ Xs
    ev, vecs = np.linalg.eigh(gs)
    pos = ev > 1e-11 * ev.max()
    # row space of X (the estimable functions): rows of Xs times D
    E = _orthonormal_rows(vecs[:, pos].T * norms)
    gs_pinv = (vecs[:, pos] / ev[pos]) @ vecs[:, pos].T
    g_inv = gs_pinv / np.outer(norms, norms)  # a generalised inverse of X'X
    b = g_inv @ (X.T @ y)
    sets = [set()] + [set(t.variables) for t in terms]

    def contains(g, f):
        return sets[f] < sets[g]

    hyp: dict[int, np.ndarray] = {}
    for f in sorted(range(len(blocks)), key=lambda e: -len(sets[e])):
        other = np.flatnonzero([not (o == f or contains(o, f)) for o in owner])
        S = _null_rows(E[:, other]) @ E  # estimable, zero on the other effects
        containing = [hyp[g] for g in range(len(blocks)) if contains(g, f)]
        if containing and len(S):
            C = np.vstack(containing)
            S = _null_rows(S @ C.T) @ S
        S = _orthonormal_rows(S)
        if len(S):
            # keep only functions that involve F's own parameters: when a containing effect is
            # aliased (a team nested in its organisation), what is left of its contrasts has no
            # coefficient on F and belongs to no hypothesis of F (the intercept keeps df 1)
            u, sv, _ = np.linalg.svd(S[:, owner == f], full_matrices=False)
            S = u[:, : int((sv > 1e-9 * max(sv.max(initial=0.0), 1e-300)).sum())].T @ S
        hyp[f] = _orthonormal_rows(S)
    rows = []
    for f in range(len(blocks)):
        L = hyp[f]
        name = "Intercept" if f == 0 else terms[f - 1].name
        if len(L) == 0:
            rows.append((name, 0.0, 0))
            continue
        lb = L @ b
        rows.append((name, float(lb @ linalg.solve(L @ g_inv @ L.T, lb, assume_a="pos")), len(L)))
    return rows


def _wald_ss(b, xtx_inv, idx) -> float:
    if len(idx) == 0:
        return 0.0
    bf = b[idx]
    return float(bf @ linalg.solve(xtx_inv[np.ix_(idx, idx)], bf, assume_a="pos"))


def _added_ss(Raug: np.ndarray, first: np.ndarray, idx: np.ndarray) -> float:
    """SS of columns ``idx`` added after columns ``first``: from the Cholesky factor of their
    cross-products with y (taken from the R factor ``Raug`` of [X | y])."""
    if len(idx) == 0:
        return 0.0
    sub = np.concatenate([first, idx, [Raug.shape[1] - 1]])
    g = Raug[:, sub].T @ Raug[:, sub]
    c = linalg.cholesky(g, lower=False)
    return float((c[len(first) : len(first) + len(idx), -1] ** 2).sum())


def _cell_ids(factors, levels, fvals) -> np.ndarray:
    """One integer per case identifying its cell (mixed-radix number of the level codes)."""
    ids = np.zeros(len(fvals[factors[0]]), dtype=np.int64)
    for f in factors:
        ids = ids * len(levels[f]) + fvals[f]
    return ids


def _empty_cells(factors, levels, fvals) -> pd.DataFrame:
    if len(factors) < 2:
        return pd.DataFrame(columns=factors)
    present = set(np.unique(_cell_ids(factors, levels, fvals)).tolist())
    grid = itertools.product(*(range(len(levels[f])) for f in factors))
    rows = []
    for cid, g in enumerate(grid):
        if cid not in present:
            rows.append([levels[f][j] for f, j in zip(factors, g, strict=True)])
    return pd.DataFrame(rows, columns=factors)


def _crossed_empty_cells(terms, factors, levels, fvals) -> list[str]:
    """The empty cells of the interaction terms among factors, as ``"A=a3, B=b3"``: only
    there do Type III and Type IV differ (a main-effects model has the same hypotheses under
    both, whatever cells are empty); covariates in a term do not form cells."""
    found: list[str] = []
    for t in terms:
        fs = [f for f in factors if f in t.variables]
        if len(fs) < 2:
            continue
        for _, r in _empty_cells(fs, levels, fvals).iterrows():
            cell = ", ".join(f"{f}={r[f]}" for f in fs)
            if cell not in found:
                found.append(cell)
    return found


def _emmeans(terms, factors, levels, cov_means, keep, b, cov, df_err, alpha, null_vecs):
    """SPSS EMMEANS: for each level combination of a factor term, the unweighted mean over
    the other factors' levels of the model's predictions at the covariate means."""
    gridcodes = np.array(list(itertools.product(*(range(len(levels[f])) for f in factors))))
    base = {f: _sum_code(gridcodes[:, i], len(levels[f])) for i, f in enumerate(factors)}
    base |= {c: np.full((len(gridcodes), 1), m) for c, m in cov_means.items()}
    Lgrid = np.hstack([np.ones((len(gridcodes), 1))] + [_term_matrix(t, base) for t in terms])
    N = np.array(null_vecs) if null_vecs else np.zeros((0, Lgrid.shape[1]))
    tcrit = stats.t.ppf(1 - alpha / 2, df_err)
    out = {}
    for t in terms:
        if not set(t.variables) <= set(factors):
            continue
        pos = [factors.index(f) for f in t.variables]
        sizes = [len(levels[f]) for f in t.variables]
        combo = np.zeros(len(gridcodes), dtype=np.int64)
        for p_, s_ in zip(pos, sizes, strict=True):
            combo = combo * s_ + gridcodes[:, p_]
        n_combo = int(np.prod(sizes))
        onehot = np.zeros((n_combo, len(gridcodes)))
        onehot[combo, np.arange(len(gridcodes))] = 1.0
        L = (onehot @ Lgrid) / onehot.sum(axis=1, keepdims=True)
        estimable = np.all(
            np.abs(L @ N.T) < 1e-8 * (1 + np.abs(L).sum(axis=1, keepdims=True)), axis=1
        )
        Lk = L[:, keep]
        mean = np.where(estimable, Lk @ b, np.nan)
        se = np.where(estimable, np.sqrt(np.einsum("ij,jk,ik->i", Lk, cov, Lk)), np.nan)
        frame = pd.DataFrame(
            list(itertools.product(*(levels[f] for f in t.variables))), columns=list(t.variables)
        )
        frame["mean"] = mean
        frame["SE"] = se
        frame["ci_lower"] = mean - tcrit * se
        frame["ci_upper"] = mean + tcrit * se
        out[t.name] = frame
    return out


def _levene(y, factors, levels, fvals, cov_cols: list[np.ndarray]) -> LeveneTest:
    """Levene's test as SPSS GLM: one-way ANOVA over the observed cells of the absolute
    residuals of the model with every cell of the factors and the covariate terms (design
    columns ``cov_cols``; none: the residuals are the deviations from the cell means)."""
    uniq, codes = np.unique(_cell_ids(factors, levels, fvals), return_inverse=True)
    k = len(uniq)
    counts = np.bincount(codes, minlength=k)

    def within(v: np.ndarray) -> np.ndarray:  # deviations from the cell means, per column
        sums = np.stack([np.bincount(codes, weights=c, minlength=k) for c in v.T], axis=1)
        return v - (sums / counts[:, None])[codes]

    e = within(y[:, None])[:, 0]
    if cov_cols:
        # the cells absorbed (Frisch-Waugh): regress the within-cell y on the within-cell
        # covariate columns; least squares gives the same residuals at any rank
        xw = within(np.hstack(cov_cols))
        e = e - xw @ np.linalg.lstsq(xw, e, rcond=None)[0]
    z = np.abs(e)
    zc = np.bincount(codes, weights=z, minlength=k) / counts
    ss_b = float((counts * (zc - z.mean()) ** 2).sum())
    ss_w = float(((z - zc[codes]) ** 2).sum())
    df1, df2 = k - 1, len(y) - k
    if df1 < 1 or df2 < 1 or ss_w == 0:
        return LeveneTest(float("nan"), df1, df2, float("nan"))
    f = (ss_b / df1) / (ss_w / df2)
    return LeveneTest(float(f), df1, df2, float(stats.f.sf(f, df1, df2)))
