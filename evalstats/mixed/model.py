"""Linear mixed models with (nested) random intercepts, as lme4's ``lmer`` with lmerTest.

See :func:`mixed_model` and ``docs/methods-mixed.md``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalstats.errors import ConvergenceWarning, DataValidationError, Problem
from evalstats.format import Lang, _check_lang, fmt_df, fmt_num, fmt_p, p_spss, stat_sep
from evalstats.mixed import _fit, _type3
from evalstats.mixed._design import build_design
from evalstats.result import Result


class MixedModelConvergenceError(RuntimeError):
    """The (RE)ML optimisation of a mixed model did not converge.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1.0, 2, 4, 3, 5, 7, 2, 4], "g": list("aabbccdd")})
    >>> try:
    ...     mixed_model(df, "y", [], "g", max_iter=1)
    ... except MixedModelConvergenceError as exc:
    ...     print(str(exc).split(":")[0])
    mixed_model of 'y' did not converge within max_iter=1 iterations
    """


class MixedModelResult(Result):
    """Result of :func:`mixed_model`; see that function for the attributes.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [3.0, 5, 4, 6, 8, 9, 2, 4, 3, 7, 6, 8],
    ...                    "wave": ["T0", "T1"] * 6, "person": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]})
    >>> res = mixed_model(df, "y", ["wave"], "person")
    >>> res.table[["term", "estimate", "se", "df"]].round(3)
              term  estimate     se   df
    0  (Intercept)     4.333  0.845  5.596
    1     wave[T1]     2.167  0.401  5.000
    >>> res.apa(term="wave[T1]")
    'b = 2.17, SE = 0.40, t(5) = 5.40, p = .003, 95% CI [1.13, 3.20]'
    >>> res.apa("nl")
    'σ²(person) = 3,80; σ²(residu) = 0,48; ICC = ,89; N = 12 metingen in groepen (person 6)'
    """

    titles = {"en": "Linear mixed model", "nl": "Lineair mixed model"}

    def __init__(self, **kw):
        self.__dict__.update(kw)

    @property
    def table(self) -> pd.DataFrame:
        """Fixed effects with exact values: ``term``, ``variable``, ``level``, ``estimate``,
        ``se``, ``df`` (Satterthwaite), ``t``, ``p``, ``ci_lower``, ``ci_upper``, ``n``
        (observations behind the row) and ``n_groups`` (innermost groups among them)."""
        return self._table

    def spss_table(self, lang: Lang = "en", part: str = "fixed") -> pd.DataFrame:
        """SPSS MIXED's "Estimates of Fixed Effects" (``part="fixed"``), "Type III Tests of
        Fixed Effects" (``"type3"``) or "Estimates of Covariance Parameters"
        (``"covariance"``), 3 decimals, Sig. as ``.000``; Dutch with decimal commas."""
        _check_lang(lang)
        nl = lang == "nl"

        def num(x, d=3):
            return "" if pd.isna(x) else fmt_num(float(x), d, lang)

        def sig(x):
            s = p_spss(x)
            return s.replace(".", ",") if nl else s

        if part == "fixed":
            t = self._table
            cols = (
                [
                    "Schatting",
                    "Std. fout",
                    "df",
                    "t",
                    "Sig.",
                    "95%-BI ondergrens",
                    "95%-BI bovengrens",
                ]
                if nl
                else [
                    "Estimate",
                    "Std. Error",
                    "df",
                    "t",
                    "Sig.",
                    "95% CI Lower Bound",
                    "95% CI Upper Bound",
                ]
            )
            out = pd.DataFrame(
                {
                    cols[0]: [num(x) for x in t["estimate"]],
                    cols[1]: [num(x) for x in t["se"]],
                    cols[2]: [num(x) for x in t["df"]],
                    cols[3]: [num(x) for x in t["t"]],
                    cols[4]: [sig(x) for x in t["p"]],
                    cols[5]: [num(x) for x in t["ci_lower"]],
                    cols[6]: [num(x) for x in t["ci_upper"]],
                }
            )
            labels = ["Constante" if nl else "Intercept", *self._spss_labels[1:]]
            title = "Schattingen van vaste effecten" if nl else "Estimates of Fixed Effects"
        elif part == "type3":
            t = self.anova
            cols = (
                ["Teller df", "Noemer df", "F", "Sig."]
                if nl
                else ["Numerator df", "Denominator df", "F", "Sig."]
            )
            out = pd.DataFrame(
                {
                    cols[0]: [str(int(x)) for x in t["num_df"]],
                    cols[1]: [num(x) for x in t["den_df"]],
                    cols[2]: [num(x) for x in t["F"]],
                    cols[3]: [sig(x) for x in t["p"]],
                }
            )
            labels = list(t["term"])
            title = (
                "Type III-toetsen van vaste effecten" if nl else "Type III Tests of Fixed Effects"
            )
        elif part == "covariance":
            t = self.variance
            cols = ["Schatting", "Std. deviatie"] if nl else ["Estimate", "Std. Deviation"]
            out = pd.DataFrame(
                {cols[0]: [num(x) for x in t["variance"]], cols[1]: [num(x) for x in t["sd"]]}
            )
            resid = "Residu" if nl else "Residual"
            inter = "Intercept (variantie)" if nl else "Intercept [subject = {}] Variance"
            labels = [
                resid
                if g == "Residual"
                else (inter.format(g) if not nl else f"Intercept [subject = {g}] variantie")
                for g in t["group"]
            ]
            title = (
                "Schattingen van covariantieparameters"
                if nl
                else "Estimates of Covariance Parameters"
            )
        else:
            raise ValueError(f"part must be 'fixed', 'type3' or 'covariance', got {part!r}")
        out.index = pd.Index(labels, name=title)
        dv = (
            f"Afhankelijke variabele: {self.outcome}."
            if nl
            else f"Dependent Variable: {self.outcome}."
        )
        out.attrs["footnote"] = f"a. {dv}"
        return out

    def apa(self, lang: Lang = "en", term: str | None = None) -> str:
        """An APA sentence: for a coefficient (``term="wave[T1]"``) ``b = 4.10, SE = 0.90,
        t(82.83) = 4.55, p < .001, 95% CI [2.31, 5.89]``; for a factor or covariate name
        (``term="wave"``) its type III test ``F(4, 180.23) = 6.12, p < .001``; without ``term``
        the variance components, ICC and numbers of observations and groups."""
        _check_lang(lang)
        sep = stat_sep(lang)
        if term is None:
            parts = []
            for r in self.variance.itertuples():
                name = (
                    ("residu" if lang == "nl" else "residual") if r.group == "Residual" else r.group
                )
                parts.append(f"σ²({name}) = {fmt_num(r.variance, 2, lang)}")
            parts.append(f"ICC = {fmt_num(self.icc, 2, lang, leading_zero=False)}")
            counts = ", ".join(f"{g} {self.n_groups[g]}" for g in self.groups)
            if lang == "nl":
                parts.append(f"N = {self.n_used} metingen in groepen ({counts})")
            else:
                parts.append(f"N = {self.n_used} observations in groups ({counts})")
            return sep.join(parts)
        t = self._table.set_index("term")
        if term in t.index:
            r = t.loc[term]
            ci = "95%-BI" if lang == "nl" else "95% CI"
            return (
                f"b = {fmt_num(r['estimate'], 2, lang)}{sep}SE = {fmt_num(r['se'], 2, lang)}{sep}"
                f"t{fmt_df(round(r['df'], 2), lang=lang)} = {fmt_num(r['t'], 2, lang)}{sep}"
                f"{fmt_p(r['p'], lang)}{sep}{ci} [{fmt_num(r['ci_lower'], 2, lang)}{sep}"
                f"{fmt_num(r['ci_upper'], 2, lang)}]"
            )
        a = self.anova.set_index("term")
        if term in a.index:
            r = a.loc[term]
            return (
                f"F{fmt_df(int(r['num_df']), round(r['den_df'], 2), lang=lang)} = "
                f"{fmt_num(r['F'], 2, lang)}{sep}{fmt_p(r['p'], lang)}"
            )
        raise KeyError(f"no term {term!r}; terms are {list(t.index)} and effects {list(a.index)}")

    def __repr__(self) -> str:
        return (
            f"<MixedModelResult outcome={self.outcome!r} n_used={self.n_used} "
            f"groups={self.n_groups} {'REML' if self.reml else 'ML'}>"
        )


def _warn_hessian(eigenvalues: np.ndarray, outcome: str) -> None:
    """Warn, as lmerTest does, when the deviance Hessian in (θ, σ) is not positive definite:
    the optimum may not be a minimum and the Satterthwaite df are then unreliable.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _warn_hessian(np.array([-0.5, 2.0]), "y")
    >>> str(caught[0].message).split(";")[0]
    "mixed_model of 'y': the deviance Hessian has 1 negative eigenvalue(s)"
    """
    neg = int(np.sum(eigenvalues < -_fit.HESS_TOL))
    zero = int(np.sum(np.abs(eigenvalues) <= _fit.HESS_TOL))
    if neg:
        warnings.warn(
            f"mixed_model of {outcome!r}: the deviance Hessian has {neg} negative "
            "eigenvalue(s); the fit may not have converged and the Satterthwaite df are "
            "unreliable",
            ConvergenceWarning,
            stacklevel=3,
        )
    elif zero:
        warnings.warn(
            f"mixed_model of {outcome!r}: the deviance Hessian has {zero} eigenvalue(s) close "
            "to zero; the fit may not have converged",
            ConvergenceWarning,
            stacklevel=3,
        )


def mixed_model(
    data: pd.DataFrame,
    outcome: str,
    fixed: Sequence[str],
    groups: str | Sequence[str],
    *,
    reference: Mapping[str, object] | None = None,
    reml: bool = True,
    categorical: Sequence[str] | None = None,
    interactions: Sequence[Sequence[str]] = (),
    alpha: float = 0.05,
    max_iter: int = 2000,
) -> MixedModelResult:
    """Linear mixed model with random intercepts, as ``lmer`` (lme4) with lmerTest's
    Satterthwaite degrees of freedom.

    Fits ``outcome ~ fixed + (1 | groups)``; with nested groups such as
    ``["family", "person"]`` (outer first) ``outcome ~ fixed + (1 | family/person)``: a random
    intercept per family and one per person within the family (a person label only needs to be
    unique within its family).

    Parameters
    ----------
    data : DataFrame
        One row per observation (long format: a person measured at several waves has several
        rows). Never modified. Rows missing the outcome, a fixed effect or a group are left out
        (listwise) and counted in ``.dropped``.
    outcome : str
        Numeric outcome.
    fixed : list of str
        Fixed main effects. Numeric columns are covariates (uncentred); text, boolean and
        pandas categorical columns, and those listed in ``categorical``, are factors in
        treatment coding: one 0/1 column ``wave[T1]`` per level other than the reference.
    groups : str or list of str
        The grouping column, or nested grouping columns outer first.
    reference : dict, optional
        Reference level per factor, e.g. ``{"wave": "T0"}``; default the first level (levels
        sorted ascending, or in the order of a pandas categorical).
    reml : bool
        REML (default, as ``lmer``) or maximum likelihood (needed to compare fixed effects by
        likelihood ratio or AIC).
    categorical : list of str, optional
        Numeric columns of ``fixed`` to treat as factors (e.g. a wave coded 0–4).
    interactions : list of tuples, optional
        Interactions of variables of ``fixed``, e.g. ``[("wave", "group")]``: R's
        ``wave:group``, columns ``wave[T1]:group[b]`` (products of the coded columns), entered
        after the main effects. Their type III tests are lmerTest's (coding-independent).
    alpha : float
        For the Wald confidence intervals ``estimate ± t(1 − α/2; df) × SE``.
    max_iter : int
        Iteration limit of the optimiser; hitting it raises :class:`MixedModelConvergenceError`.

    Returns
    -------
    MixedModelResult
        ``.table`` (fixed effects), ``.anova`` (type III F tests per fixed effect with
        Satterthwaite denominator df: ``term``, ``SS``, ``MS``, ``num_df``, ``den_df``, ``F``,
        ``p``), ``.variance`` (``group``, ``variance``, ``sd``, ``share`` of the total
        variance, the residual last), ``.icc`` (group variances over the total), ``.theta``
        (relative standard deviations, outer first), ``.sigma2``, ``.loglik`` (REML or ML
        log-likelihood as lme4's ``logLik``), ``.deviance`` (REML criterion or −2 log L),
        ``.aic``, ``.bic``, ``.singular`` (a variance estimated as exactly 0: a boundary fit),
        ``.vcov`` (covariance matrix of the estimates), ``.n_used``, ``.n_dropped``,
        ``.dropped`` (missing per variable), ``.n_groups`` (groups per level), ``.groups``,
        ``.outcome``, ``.reml``, ``.factors`` and ``.levels`` (each factor's levels,
        reference first), ``.iterations`` (of the optimiser).

    Raises
    ------
    DataValidationError
        A missing column, a non-numeric outcome or covariate, an unknown reference level.
    EmptyGroupError
        A factor with one level, or a design without replication (every group one
        observation, or every outer group one inner group).
    SingularMatrixError
        Linearly dependent fixed effects; the message names the aliased term.
    MixedModelConvergenceError
        When the optimiser does not converge.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "y": [10.0, 12, 13, 9, 11, 10, 14, 15, 17, 11, 12, 14, 8, 10, 9],
    ...     "wave": ["T0", "T1", "T2"] * 5,
    ...     "age": [8, 8, 8, 12, 12, 12, 10, 10, 10, 9, 9, 9, 15, 15, 15],
    ...     "person": ["a"] * 3 + ["b"] * 3 + ["c"] * 3 + ["d"] * 3 + ["e"] * 3})
    >>> res = mixed_model(df, "y", ["wave", "age"], "person", reference={"wave": "T0"})
    >>> res.table[["term", "estimate", "se", "df", "t"]].round(3)
              term  estimate     se     df      t
    0  (Intercept)    16.478  4.327  3.027  3.808
    1     wave[T1]     1.600  0.503  8.000  3.179
    2     wave[T2]     2.200  0.503  8.000  4.371
    3          age    -0.563  0.390  3.000 -1.445
    >>> round(res.icc, 3), res.n_groups
    (0.876, {'person': 5})
    >>> res.apa("nl", term="wave")
    'F(2; 8) = 10,21; p = ,006'
    >>> res.spss_table().loc["[wave=T1]"].tolist()
    ['1.600', '0.503', '8.000', '3.179', '.013', '0.439', '2.761']
    """
    d = build_design(data, outcome, fixed, groups, categorical, reference, interactions)
    groups = [groups] if isinstance(groups, str) else list(groups)
    # the outcome is standardised for the fit (no cancellation in the cross-products whatever
    # its location and scale); estimates, variances and the deviance are mapped back
    loc, scale = float(d.y.mean()), float(d.y.std())
    if not scale > 0:
        raise DataValidationError(
            [Problem(None, outcome, "a constant", "an outcome that varies in the complete rows")],
            context="mixed_model",
        )
    st = _fit.build_structure(d.X, (d.y - loc) / scale, d.codes)
    try:
        theta, nit = _fit.optimise(st, reml, max_iter)
    except _fit.FitFailure as exc:
        raise MixedModelConvergenceError(
            f"mixed_model of {outcome!r} did not converge within max_iter={max_iter} "
            f"iterations: {exc}"
        ) from exc
    n, p = st.n, st.p
    m = n - p if reml else n
    pr = _fit.profile(st, theta)
    sigma_s = float(np.sqrt(pr.r2 / m))
    beta_s, vcov_s = pr.beta, sigma_s**2 * pr.xtvx_inv
    A, eig = _fit.varpar_covariance(st, theta, sigma_s, reml)
    _warn_hessian(eig, outcome)
    jac = _fit.vcov_jacobian(st, theta, sigma_s)
    beta = scale * beta_s
    beta[0] += loc
    vcov = scale**2 * vcov_s
    sigma2 = scale**2 * sigma_s**2
    deviance = _fit.profiled_deviance(st, theta, reml) + m * np.log(scale**2)

    rows = []
    for j, name in enumerate(d.columns):
        L = np.zeros(p)
        L[j] = 1.0
        v, df = _fit.satterthwaite_1d(L, vcov_s, jac, A)
        se = scale * float(np.sqrt(v))
        t = float(beta[j] / se)
        q = stats.t.ppf(1 - alpha / 2, df)
        owner = d.owner[j]
        cell = d.cells[j]
        mask = np.ones(n, dtype=bool)
        if name == "(Intercept)":
            for codes in d.factor_codes.values():
                mask &= codes == 0
        for var, code in cell.items():
            mask &= d.factor_codes[var] == code
        level = d.levels[owner][cell[owner]] if owner in d.levels else None
        rows.append(
            {
                "term": name,
                "variable": None if name == "(Intercept)" else owner,
                "level": level,
                "estimate": float(beta[j]),
                "se": se,
                "df": df,
                "t": t,
                "p": float(2 * stats.t.sf(abs(t), df)),
                "ci_lower": float(beta[j] - q * se),
                "ci_upper": float(beta[j] + q * se),
                "n": int(mask.sum()),
                "n_groups": int(len(np.unique(d.codes[-1][mask]))),
            }
        )
    table = pd.DataFrame(rows)

    arows = []
    for v, Lm in _type3.contrasts(d).items():
        F, num_df, den_df = _fit.satterthwaite_md(Lm, beta_s, vcov_s, jac, A)
        arows.append(
            {
                "term": v,
                "SS": F * num_df * sigma2,
                "MS": F * sigma2,
                "num_df": num_df,
                "den_df": den_df,
                "F": F,
                "p": float(stats.f.sf(F, num_df, den_df)),
            }
        )
    anova = pd.DataFrame(arows, columns=["term", "SS", "MS", "num_df", "den_df", "F", "p"])

    group_var = [float(t**2 * sigma2) for t in theta]
    total = sum(group_var) + sigma2
    variance = pd.DataFrame(
        {
            "group": [*groups, "Residual"],
            "variance": [*group_var, sigma2],
            "sd": np.sqrt([*group_var, sigma2]),
            "share": [v / total for v in [*group_var, sigma2]],
        }
    )
    npar = p + len(theta) + 1
    loglik = -deviance / 2
    return MixedModelResult(
        _table=table,
        anova=anova,
        variance=variance,
        icc=sum(group_var) / total,
        theta=theta,
        sigma2=sigma2,
        loglik=loglik,
        deviance=deviance,
        aic=deviance + 2 * npar,
        bic=deviance + npar * np.log(n),
        singular=bool(np.any(theta == 0)),
        vcov=pd.DataFrame(vcov, index=d.columns, columns=d.columns),
        n_used=d.n_used,
        n_dropped=int(len(data) - d.n_used),
        dropped=d.dropped,
        n_groups=d.n_groups,
        groups=groups,
        factors=list(d.levels),
        _spss_labels=d.labels,
        levels=d.levels,
        outcome=outcome,
        reml=reml,
        iterations=nit,
    )
