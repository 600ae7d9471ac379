"""Binary logistic regression as SPSS LOGISTIC REGRESSION prints it.

The estimates are maximum likelihood by Newton–Raphson (= IRLS for the logit link), or Firth's
penalised likelihood with ``firth=True``. Output: "Variables in the Equation" (B, S.E., Wald, df,
Sig., Exp(B) and its 95 % CI, a df > 1 Wald row per categorical variable), the omnibus test, −2 log
likelihood, Cox & Snell and Nagelkerke R², Hosmer–Lemeshow, the classification table and, for
stepwise methods, the record of steps. See ``docs/methods-models.md`` for formulas and conventions.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import linalg, optimize, special, stats

from evalstats._compat import deprecated_attribute, renamed_kwargs
from evalstats._modeldata import check_columns, listwise, numeric_problems, sorted_levels
from evalstats.cluster import fit_clusters, model_clusters, robust_footnote, robust_sentence
from evalstats.errors import (
    ConvergenceWarning,
    DataValidationError,
    EmptyGroupError,
    Problem,
    SeparationError,
    SingularMatrixError,
    shown_value,
)
from evalstats.format import Lang, fmt_num, fmt_p, p_spss, stat_sep
from evalstats.result import Result

METHODS = ("enter", "forward_lr", "forward_wald", "backward_lr", "backward_wald")
CONVERGENCE = ("exact", "spss")
_Z975 = float(stats.norm.ppf(0.975))


# --------------------------------------------------------------------------------------------
# design
# --------------------------------------------------------------------------------------------
@dataclass
class _Variable:
    name: str
    columns: list[str]  # design column names (SPSS style: ``x`` or ``x(1)``, ``x(2)``, ...)
    levels: list = field(default_factory=list)  # for categorical: level of each column
    reference: object = None

    @property
    def categorical(self) -> bool:
        return bool(self.levels)


def _build_design(
    data: pd.DataFrame,
    predictors: Sequence[str],
    categorical: Sequence[str],
    reference: str | Mapping[str, object],
) -> tuple[np.ndarray, list[_Variable], pd.DataFrame]:
    """Design matrix (constant last, as SPSS prints it), variables and the coding table."""
    blocks: list[np.ndarray] = []
    variables: list[_Variable] = []
    coding_rows = []
    for v in predictors:
        s = data[v]
        if v in categorical:
            levels = sorted_levels(s)
            if len(levels) < 2:
                raise EmptyGroupError(
                    f"categorical predictor {v!r} has {len(levels)} level(s) among the "
                    f"{len(s)} complete cases; it needs at least two"
                )
            if isinstance(reference, Mapping) and v in reference and reference[v] not in levels:
                raise EmptyGroupError(
                    f"reference level {reference[v]!r} of {v!r} has no complete cases; "
                    f"levels among them: {levels}"
                )
            if isinstance(reference, Mapping):
                ref = reference.get(v, levels[-1])
            elif reference == "first":
                ref = levels[0]
            else:
                ref = levels[-1]
            others = [lev for lev in levels if lev != ref]
            cols = [f"{v}({k})" for k in range(1, len(others) + 1)]
            vals = s.to_numpy(dtype=object)
            block = (
                np.column_stack([(vals == lev).astype(float) for lev in others])
                if others
                else np.empty((len(s), 0))
            )
            blocks.append(block)
            variables.append(_Variable(v, cols, others, ref))
            for lev in levels:
                row = {"variable": v, "level": lev, "frequency": int((vals == lev).sum())}
                for c, o in zip(cols, others, strict=True):
                    row[c] = 1.0 if lev == o else 0.0
                coding_rows.append(row)
        else:
            blocks.append(pd.to_numeric(s).to_numpy(dtype=float)[:, None])
            variables.append(_Variable(v, [v]))
    n = len(data)
    blocks.append(np.ones((n, 1)))
    X = np.hstack(blocks) if blocks else np.ones((n, 1))
    return X, variables, pd.DataFrame(coding_rows)


# --------------------------------------------------------------------------------------------
# fitting
# --------------------------------------------------------------------------------------------
@dataclass
class _Fit:
    beta: np.ndarray
    cov: np.ndarray
    loglik: float  # penalised when firth
    prob: np.ndarray
    iterations: int
    converged: bool
    # score vector and information matrix at ``prob`` for all design columns (score tests)
    all_columns: tuple[np.ndarray, np.ndarray] | None = None


def _loglik(y: np.ndarray, eta: np.ndarray) -> float:
    # y log p + (1 - y) log(1 - p) = y eta - log(1 + exp(eta)), with log p = eta - log(1+exp(eta))
    # log(1 + exp(eta)) = max(eta, 0) + log1p(exp(-|eta|)), without overflow
    return float(y @ eta - (np.maximum(eta, 0.0) + np.log1p(np.exp(-np.abs(eta)))).sum())


def _penalty(X: np.ndarray, w: np.ndarray) -> float:
    sign, logdet = np.linalg.slogdet(X.T @ (X * w[:, None]))
    return 0.5 * logdet if sign > 0 else -np.inf


def _information(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """X'WX."""
    return X.T @ (X * w[:, None])


def _newton(
    X: np.ndarray, y: np.ndarray, firth: bool, convergence: str, max_iter: int | None
) -> _Fit:
    """Maximise the (penalised) log-likelihood by Newton–Raphson with step halving."""
    n, k = X.shape
    if max_iter is None:
        max_iter = 20 if convergence == "spss" else 100
    beta = np.zeros(k)
    ybar = min(max(y.mean(), 1e-10), 1 - 1e-10)
    beta[-1] = math.log(ybar / (1 - ybar))  # SPSS starts from the constant-only estimate

    def objective(b: np.ndarray) -> tuple[float, np.ndarray]:
        eta = X @ b
        return _objective_eta(X, y, eta, firth), eta

    current, eta = objective(beta)
    converged = False
    it = 0
    while it < max_iter:
        it += 1
        p = special.expit(eta)
        w = p * (1 - p)
        info = _information(X, w)
        resid = y - p
        if firth:
            # hat values of the weighted fit: h_i = w_i x_i' I^-1 x_i
            try:
                inv = linalg.inv(info, check_finite=False)
            except linalg.LinAlgError as exc:
                raise SingularMatrixError("the information matrix X'WX is singular") from exc
            h = np.einsum("ij,jk,ik->i", X, inv, X) * w
            resid = resid + h * (0.5 - p)
        score = X.T @ resid
        try:
            step = linalg.solve(info, score, assume_a="pos", check_finite=False)
        except linalg.LinAlgError as exc:
            raise SingularMatrixError("the information matrix X'WX is singular") from exc
        if firth:
            biggest = np.abs(step).max()
            if biggest > 5.0:  # logistf's maxstep
                step = step * (5.0 / biggest)
        new = beta + step
        new_obj, new_eta = objective(new)
        halvings = 0
        while not (new_obj >= current - 1e-12 * abs(current)) and halvings < 30:
            step = step / 2
            new = beta + step
            new_obj, new_eta = objective(new)
            halvings += 1
        # relative to the coefficient's size, so a constant of -4000 converges as well as one of 0.4
        change = (np.abs(new - beta) / (np.abs(new) + 1.0)).max()
        beta, current, eta = new, new_obj, new_eta
        if convergence == "spss":
            if change < 1e-3:
                converged = True
                break
        elif change < 1e-10:
            converged = True
            break
    p = special.expit(eta)
    w = p * (1 - p)
    info = _information(X, w)
    try:
        cov = linalg.inv(info, check_finite=False)
    except linalg.LinAlgError as exc:
        raise SingularMatrixError("the information matrix X'WX is singular") from exc
    return _Fit(beta, cov, current, p, it, converged)


def _objective(X: np.ndarray, y: np.ndarray, b: np.ndarray, firth: bool) -> float:
    return _objective_eta(X, y, X @ b, firth)


def _objective_eta(X: np.ndarray, y: np.ndarray, eta: np.ndarray, firth: bool) -> float:
    ll = _loglik(y, eta)
    if firth:
        p = special.expit(eta)
        ll += _penalty(X, p * (1 - p))
    return ll


def _constrained_max(X, y, firth, j, c, start):
    """Maximise the (penalised) log-likelihood with coefficient ``j`` fixed at ``c``."""
    b = start.copy()
    b[j] = c
    free = np.arange(X.shape[1]) != j
    current = _objective(X, y, b, firth)
    for _ in range(200):
        p = special.expit(X @ b)
        w = p * (1 - p)
        info = X.T @ (X * w[:, None])
        resid = y - p
        if firth:
            h = np.einsum("ij,jk,ik->i", X, linalg.pinvh(info), X) * w
            resid = resid + h * (0.5 - p)
        step = np.zeros_like(b)
        if free.any():
            step[free] = linalg.lstsq(info[np.ix_(free, free)], X[:, free].T @ resid)[0]
        new = b + step
        new_obj = _objective(X, y, new, firth)
        halvings = 0
        while not (new_obj >= current - 1e-12 * abs(current)) and halvings < 40:
            step /= 2
            new = b + step
            new_obj = _objective(X, y, new, firth)
            halvings += 1
        b, current = new, new_obj
        if np.abs(step).max() < 1e-11:
            break
    return b, current


def _profile_ci(X, y, fit: _Fit, firth: bool, level: float = 0.95) -> np.ndarray:
    """Profile (penalised) likelihood confidence limits of every coefficient: the values of
    B_j where 2 [l(B̂) − max l(B | B_j)] equals the chi-square(1) quantile; ±inf when the
    profile never drops that far within 60 doublings of the standard error."""
    k = X.shape[1]
    target = fit.loglik - stats.chi2.ppf(level, 1) / 2
    se = np.sqrt(np.diag(fit.cov))
    out = np.empty((k, 2))
    for j in range(k):
        for side, sign in enumerate((-1.0, 1.0)):
            warm = fit.beta.copy()

            def gap(c, j=j):
                nonlocal warm
                warm, value = _constrained_max(X, y, firth, j, c, warm)
                return value - target

            inner, step, outer = fit.beta[j], se[j], None
            for _ in range(60):
                c = fit.beta[j] + sign * step
                if gap(c) < 0:
                    outer = c
                    break
                inner, step = c, step * 2
            if outer is None:
                out[j, side] = sign * np.inf
            else:
                out[j, side] = optimize.brentq(
                    gap, min(inner, outer), max(inner, outer), xtol=1e-12, rtol=1e-13
                )
    return out


def _separation(X: np.ndarray, y: np.ndarray) -> tuple[str, np.ndarray] | None:
    """Detect complete or quasi-complete separation exactly by linear programming.

    The maximum likelihood estimate does not exist iff some direction ``d != 0`` has
    ``s_i x_i'd >= 0`` for every case (``s_i = +1`` for events, ``-1`` otherwise), with at least
    one strict inequality (Albert & Anderson 1984; the LP of Konis 2007). Returns
    ``("complete" | "quasi-complete", d)`` or ``None``.
    """
    scale = np.abs(X).max(axis=0)
    scale[scale == 0] = 1.0
    A = (2 * y - 1)[:, None] * (X / scale)
    n, k = A.shape
    res = optimize.linprog(
        -A.sum(axis=0), A_ub=-A, b_ub=np.zeros(n), bounds=[(-1, 1)] * k, method="highs"
    )
    if res.status != 0 or -res.fun <= 1e-7 * n:
        return None
    direction = res.x / scale
    # complete separation: all cases strictly on their side (maximise the smallest margin t)
    c = np.zeros(k + 1)
    c[-1] = -1.0
    res2 = optimize.linprog(
        c,
        A_ub=np.hstack([-A, np.ones((n, 1))]),
        b_ub=np.zeros(n),
        bounds=[(-1, 1)] * k + [(0, 1)],
        method="highs",
    )
    kind = "complete" if res2.status == 0 and -res2.fun > 1e-9 else "quasi-complete"
    if kind == "complete":
        direction = res2.x[:k] / scale
    return kind, direction


def _overlap_certified(X: np.ndarray, y: np.ndarray, f: _Fit) -> bool:
    """True when the fit proves that :func:`_separation` finds no separating direction.

    By Gordan's alternative a direction ``d`` with ``s_i x_i'd >= 0`` for every case exists
    only if no ``lambda > 0`` has ``sum_i lambda_i s_i x_i = 0``. With ``lambda_i = |y_i - p_i|``
    the sum is the score ``X'(y - p)``, so for every ``d`` in :func:`_separation`'s box,
    ``sum_i s_i x_i'd <= ||score / scale||_1 / min(lambda)``: when that bound is within the
    linear program's threshold (``1e-7 n``), the program cannot report separation. A fit that
    converged to finite estimates meets it at once or after a few more Newton steps; one that
    shows signs of separation (probabilities at 0 or 1, diverging estimates, no convergence)
    does not, and is then checked by the linear programs.
    """
    scale = np.abs(X).max(axis=0)
    scale[scale == 0] = 1.0
    bound = 1e-7 * len(y)
    beta, p = f.beta, f.prob
    with np.errstate(all="ignore"):
        for _ in range(6):
            resid = y - p
            score = X.T @ resid
            lam = np.abs(resid).min()
            if lam > 0 and np.abs(score / scale).sum() <= bound * lam:
                return True
            beta = beta + f.cov @ score
            p = special.expit(X @ beta)
    return False


def _check_rank(X: np.ndarray, names: list[str]) -> None:
    """Raise naming every column involved in an exact linear dependency."""
    scale = np.linalg.norm(X, axis=0)
    scale[scale == 0] = 1.0
    z = X / scale
    rel_tol = max(X.shape) * np.finfo(float).eps * 10
    # Quick pass: the eigenvalues of z'z, widened by the rounding error of forming it (columns
    # of unit norm), bound the squared singular values; when the smallest singular value is
    # surely above the tolerance there is no dependency, and the SVD is not needed.
    ev = np.linalg.eigvalsh(z.T @ z)
    err = 2 * (X.shape[0] + X.shape[1]) * X.shape[1] * np.finfo(float).eps * max(ev[-1], 1.0)
    if ev[0] - err > (ev[-1] + err) * rel_tol**2:
        return
    _, sv, vt = np.linalg.svd(z, full_matrices=False)
    tol = sv.max() * rel_tol
    null = vt[sv <= tol]
    if len(null):
        involved = [names[j] for j in np.flatnonzero(np.abs(null).max(axis=0) > 1e-8)]
        raise SingularMatrixError(
            "the predictors are linearly dependent (perfect collinearity) among "
            f"{', '.join(involved)}; remove or recode one of them"
        )


# --------------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HosmerLemeshow:
    """Hosmer–Lemeshow goodness-of-fit test: statistic, df, p and the contingency table
    (``groups``: per risk group n, observed and expected events and non-events).

    Examples
    --------
    >>> df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1, 0, 1, 1, 0],
    ...                    "x": [1, 2, 2, 3, 4, 5, 5, 6, 7, 3]})
    >>> hl = logistic_regression(df, "y", ["x"]).hosmer_lemeshow
    >>> hl.df, round(hl.chi2, 3)
    (5, 3.85)
    """

    chi2: float
    df: int
    p: float
    groups: pd.DataFrame


class LogisticResult(Result):
    """Result of :func:`logistic_regression`; see that function for the attributes.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1, 0, 1, 1, 0],
    ...                    "x": [1, 2, 2, 3, 4, 5, 5, 6, 7, 3]})
    >>> res = logistic_regression(df, "y", ["x"])
    >>> res.spss_table().loc["x", ["B", "Exp(B)"]].tolist()
    ['.756', '2.130']
    >>> res.classification
                predicted 0  predicted 1  percentage_correct
    cut = 0.5
    observed 0            4            1                80.0
    observed 1            1            4                80.0
    """

    cluster = None
    robust_omnibus = None
    titles = {"en": "Logistic regression", "nl": "Logistische regressie"}

    dv = deprecated_attribute("dv", "outcome")

    def __init__(self, **kw):
        self.__dict__.update(kw)

    # Result interface (composition: a logistic result is several SPSS tables)
    @property
    def table(self) -> pd.DataFrame:
        """Variables in the Equation: one row per coefficient, plus a df > 1 row per
        categorical variable (B, S.E. and Exp(B) empty there), the Constant last."""
        return self._table

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Variables in the Equation as SPSS prints it (3 decimals, Sig. as ``< .001`` below .001)."""
        t = self._table
        lo, hi = ("Lower", "Upper") if lang == "en" else ("Onder", "Boven")
        ci = "95% C.I.for EXP(B)" if lang == "en" else "95% BI voor EXP(B)"

        def num(x, d=3):
            return "" if pd.isna(x) else fmt_num(float(x), d, lang, leading_zero=False)

        out = pd.DataFrame(
            {
                "B": [num(x) for x in t["B"]],
                "S.E.": [num(x) for x in t["SE"]],
                "Wald": [num(x) for x in t["Wald"]],
                "df": [str(int(x)) for x in t["df"]],
                "Sig.": [
                    p_spss(x).replace(".", ",") if lang == "nl" else p_spss(x) for x in t["p"]
                ],
                "Exp(B)": [num(x) for x in t["exp_B"]],
                f"{ci} {lo}": [num(x) for x in t["ci_lower"]],
                f"{ci} {hi}": [num(x) for x in t["ci_upper"]],
            }
        )
        if self.cluster is not None:
            kind = self.cluster.type
            out[f"S.E. ({kind})"] = [num(x) for x in t["SE_robust"]]
            out[f"F ({kind})"] = [num(x) for x in t["F_robust"]]
            out[f"df2 ({kind})"] = ["" if pd.isna(x) else fmt_num(x, 2, lang) for x in t["df2_robust"]]
            out[f"Sig. ({kind})"] = [
                p_spss(x).replace(".", ",") if lang == "nl" else p_spss(x) for x in t["p_robust"]
            ]
            out.attrs["footnote"] = robust_footnote(self.cluster, lang)
        terms = t["term"].tolist()
        if lang == "nl":  # SPSS's Dutch interface: "Variabelen in de vergelijking", "Constante"
            terms = ["Constante" if x == "Constant" else x for x in terms]
        out.index = pd.Index(terms, name="Variables in the Equation" if lang == "en"
                             else "Variabelen in de vergelijking")
        return out

    def apa(self, lang: Lang = "en") -> str:
        """Omnibus test and Nagelkerke R², e.g. ``χ²(5) = 21.30, p < .001, Nagelkerke R² = .21``."""
        sep = stat_sep(lang)
        df = int(self.model_df)
        s = (
            f"χ²({df}) = {fmt_num(self.model_chi2, 2, lang)}{sep}{fmt_p(self.model_p, lang)}{sep}"
            f"Nagelkerke R² = {fmt_num(self.nagelkerke_r2, 2, lang, leading_zero=False)}"
        )
        if self.cluster is not None:
            o = self.robust_omnibus
            s += (f"; {robust_sentence(o['F'], int(o['df1']), o['df2'], o['p'], lang)}"
                  f" ({self.cluster.info.apa(lang)})")
        return s

    def apa_term(self, term: str, lang: Lang = "en") -> str:
        """One coefficient in APA style, e.g. ``B = 0.52, Wald χ²(1) = 4.10, p = .043, OR = 1.68,
        95% CI [1.02, 2.78]``; for a categorical variable's overall row only the Wald test."""
        rows = self._table[self._table["term"] == term]
        if rows.empty:
            raise KeyError(f"no term {term!r}; terms are {self._table['term'].tolist()}")
        r = rows.iloc[0]
        sep = stat_sep(lang)
        wald = f"Wald χ²({int(r['df'])}) = {fmt_num(r['Wald'], 2, lang)}{sep}{fmt_p(r['p'], lang)}"
        robust = ""
        if self.cluster is not None:
            robust = "; " + robust_sentence(r["F_robust"], int(r["df"]), r["df2_robust"],
                                            r["p_robust"], lang)
        if pd.isna(r["B"]):
            return wald + robust
        lab = "OR" if lang == "en" else "OR"
        ci = "95% CI" if lang == "en" else "95%-BI"
        cis = "; " if lang == "nl" else ", "
        return (
            f"B = {fmt_num(r['B'], 2, lang)}{sep}{wald}{sep}{lab} = {fmt_num(r['exp_B'], 2, lang)}"
            f"{sep}{ci} [{fmt_num(r['ci_lower'], 2, lang)}{cis}{fmt_num(r['ci_upper'], 2, lang)}]"
            + robust
        )

    def _repr_fields(self) -> str:
        return (f"outcome={self.outcome!r} χ²({int(self.model_df)}) = {fmt_num(self.model_chi2, 2)}, "
                f"{fmt_p(self.model_p)}, n = {self.n_used}")


# --------------------------------------------------------------------------------------------
# main function
# --------------------------------------------------------------------------------------------
@renamed_kwargs(dv="outcome")
def logistic_regression(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    categorical: Sequence[str] | None = None,
    reference: str | Mapping[str, object] = "last",
    cut: float = 0.5,
    method: str = "enter",
    firth: bool = False,
    event: object = None,
    pin: float = 0.05,
    pout: float = 0.10,
    convergence: str = "exact",
    max_iter: int | None = None,
    hl_groups: int = 10,
    ci: str = "wald",
    cluster: str | None = None,
    cluster_type: str = "CR2",
    random_intercept: bool | None = None,
) -> LogisticResult:
    """Binary logistic regression with the output of SPSS LOGISTIC REGRESSION.

    Parameters
    ----------
    data : DataFrame
        One row per case. Never modified.
    outcome : str
        The binary outcome. It must have exactly two distinct values; ``event`` is coded 1
        (default: the higher value, as SPSS codes the dependent variable).
    predictors : list of str
        Covariates in the order they are entered. Numeric unless listed in ``categorical``.
    categorical : list of str, optional
        Predictors coded with SPSS's indicator contrast: one 0/1 column ``x(1)``, ``x(2)``, ...
        per non-reference level, levels in ascending order.
    reference : "last", "first" or dict
        Reference category of the categorical predictors: SPSS's default ``"last"``,
        ``"first"``, or a dict ``{variable: level}`` (variables not in it use the last level).
    cut : float
        Classification cut value (SPSS CUT, default .5): a case is predicted as the event when
        its predicted probability is at least ``cut``.
    method : str
        ``"enter"`` (all predictors), or stepwise ``"forward_lr"``, ``"forward_wald"``,
        ``"backward_lr"``, ``"backward_wald"`` as SPSS FSTEP/BSTEP(LR|WALD): entry by the score
        statistic with p < ``pin``; removal by the likelihood-ratio or Wald test with
        p > ``pout``. A categorical variable enters and leaves as a whole.
    firth : bool
        Firth's penalised likelihood (bias-reduced, finite under separation). Wald SEs and CIs
        from the inverse information at the penalised estimate; ``m2ll`` and the omnibus test are
        then penalised (as logistf's likelihood-ratio test).
    event : optional
        The outcome value to code 1.
    pin, pout : float
        SPSS PIN(.05) and POUT(.10) for stepwise methods.
    convergence : "exact" or "spss"
        ``"exact"`` iterates to the maximum (change in every B below 1e-10, at most 100
        iterations); ``"spss"`` stops as SPSS's defaults BCON(.001) ITERATE(20) do, when no B
        changes by .001 or more. ``.iterations`` reports the count.
    max_iter : int, optional
        Overrides the iteration limit. Hitting it warns with :class:`ConvergenceWarning`.
    hl_groups : int
        Number of risk groups for Hosmer–Lemeshow (10 = deciles of risk).
    ci : "wald" or "profile"
        95 % CI for Exp(B): SPSS's Wald interval exp(B ± 1.96 S.E.), or the profile
        (penalised, with ``firth=True``) likelihood interval, as R's ``confint`` and logistf
        give; the latter refits the model many times and is meant for small data sets.
    cluster : str, optional
        Column of the cluster id (e.g. the practitioner) of each case. Beside SPSS's Wald
        tests, ``.table`` gains ``SE_robust`` (``cluster_type``, CR2: clubSandwich's
        ``vcovCR`` for a glm), ``F_robust``, ``df2_robust`` and ``p_robust`` (HTZ Wald tests;
        for one coefficient the Satterthwaite t test squared); ``.robust_omnibus`` tests all
        predictors together; ``.cluster`` (:class:`evalstats.cluster.ClusterFit`) holds the
        number of clusters, the ICC of the outcome, the design effect and, with at least
        ``evalstats.cluster.MIN_CLUSTERS`` clusters (or ``random_intercept=True``), the
        random-intercept logistic model (Laplace, as ``lme4::glmer``). Every case used needs a
        cluster id. Not with ``firth=True``. See ``docs/methods-nesting.md``.
    cluster_type : "CR2", "CR1", "CR1S" or "CR0"
        The small-sample adjustment of the cluster-robust covariance.
    random_intercept : bool, optional
        Fit the random-intercept model (True), never (False), or when the clusters number at
        least ``MIN_CLUSTERS`` (None).

    Returns
    -------
    LogisticResult
        ``.table`` (Variables in the Equation), ``.omnibus`` (Step/Block/Model χ²),
        ``.model_chi2``, ``.model_df``, ``.model_p``, ``.m2ll``, ``.m2ll_null``,
        ``.cox_snell_r2``, ``.nagelkerke_r2``, ``.hosmer_lemeshow`` (``chi2``, ``df``, ``p``,
        ``groups``), ``.classification`` (counts and percentage correct), ``.percent_correct``,
        ``.steps`` (stepwise record), ``.not_in_equation`` (score tests of variables left out),
        ``.block0`` (SPSS Block 0 "Variables not in the Equation": the score test of each
        variable against the constant-only model, and Overall Statistics for all together),
        ``.coding`` (categorical coding), ``.dv_coding``, ``.n_used``, ``.n_dropped``,
        ``.dropped`` (missing per variable), ``.iterations``, ``.converged``, ``.predicted``.

    Raises
    ------
    SeparationError
        When (quasi-)complete separation makes the maximum likelihood estimate infinite; the
        message names the predictors involved. Use ``firth=True`` then.
    SingularMatrixError
        Perfectly collinear predictors (named).
    DataValidationError
        Missing columns, non-numeric values in numeric predictors, an outcome without exactly two
        values (the values are named).

    Examples
    --------
    >>> df = pd.DataFrame({"y": [0, 0, 1, 0, 1, 1, 0, 1, 1, 0],
    ...                    "x": [1, 2, 2, 3, 4, 5, 5, 6, 7, 3]})
    >>> res = logistic_regression(df, "y", ["x"])
    >>> res.table[["term", "B", "exp_B"]].round(3)
           term      B  exp_B
    0         x  0.756  2.130
    1  Constant -2.841  0.058
    >>> res.apa()
    'χ²(1) = 3.33, p = .068, Nagelkerke R² = .38'
    >>> res.apa("nl")
    'χ²(1) = 3,33; p = ,068; Nagelkerke R² = ,38'
    >>> res.apa_term("x")
    'B = 0.76, Wald χ²(1) = 2.34, p = .126, OR = 2.13, 95% CI [0.81, 5.61]'
    """
    categorical = list(categorical or [])
    predictors = list(predictors)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if convergence not in CONVERGENCE:
        raise ValueError(f"convergence must be one of {CONVERGENCE}, got {convergence!r}")
    if ci not in ("wald", "profile"):
        raise ValueError(f"ci must be 'wald' or 'profile', got {ci!r}")
    if not 0 < cut < 1:
        raise ValueError(f"cut must lie strictly between 0 and 1, got {cut!r}")
    if cluster is not None and firth:
        raise ValueError("cluster= is not available with firth=True")
    check_columns(data, [outcome, *predictors] + ([cluster] if cluster is not None else []),
                  "logistic_regression")
    problems: list[Problem] = []
    for c in categorical:
        if c not in predictors:
            problems.append(Problem(None, c, c, "a categorical variable listed in predictors"))
    if len(set(predictors)) != len(predictors) or outcome in predictors:
        problems.append(Problem(None, outcome, predictors, "each predictor once and not the outcome"))
    if isinstance(reference, Mapping):
        for v, lev in reference.items():
            if v not in categorical:
                problems.append(
                    Problem(None, v, lev, "a reference only for a categorical predictor")
                )
            elif lev not in set(data[v].dropna().tolist()):
                problems.append(
                    Problem(None, v, lev, f"a reference level among {sorted_levels(data[v])}")
                )
    elif reference not in ("first", "last"):
        raise ValueError(f"reference must be 'first', 'last' or a dict, got {reference!r}")
    problems += numeric_problems(
        data, [p for p in predictors if p not in categorical], hint="list it in categorical="
    )
    dv_values = sorted_levels(data[outcome])
    if len(dv_values) != 2:
        problems.append(
            Problem(None, outcome, f"{len(dv_values)} distinct values",
                    "exactly two distinct values (a binary outcome)")
        )
    elif event is not None and event not in dv_values:
        shown = ", ".join(shown_value(v) for v in dv_values)
        problems.append(Problem(None, outcome, event, f"event to be one of the outcome values {shown}"))
    if problems:
        raise DataValidationError(problems, context="logistic_regression")

    kept, dropped = listwise(data, [outcome, *predictors])
    n_dropped = int(dropped["n_missing"].iloc[-1])
    ev = dv_values[-1] if event is None else event
    nonev = dv_values[0] if ev == dv_values[-1] else dv_values[-1]
    y = (kept[outcome].to_numpy(dtype=object) == ev).astype(float)
    if y.sum() == 0 or y.sum() == len(y):
        raise DataValidationError(
            [Problem(None, outcome, "one value only", "both values among the complete cases")],
            context="logistic_regression",
        )
    X, variables, coding = _build_design(kept, predictors, categorical, reference)
    names = [c for v in variables for c in v.columns] + ["Constant"]
    col_of = {}
    start = 0
    for v in variables:
        col_of[v.name] = list(range(start, start + len(v.columns)))
        start += len(v.columns)
    const = X.shape[1] - 1

    def raise_if_separated(var_names: Sequence[str], cols: list[int], Xs: np.ndarray) -> None:
        sep = _separation(Xs, y)
        if sep is None:
            return
        kind, d = sep
        involved = []
        for v in var_names:
            idx = [cols.index(j) for j in col_of[v]]
            if np.any(np.abs(d[idx]) * np.abs(Xs[:, idx]).max(axis=0) > 1e-6):
                involved.append(v)
        # name a minimal set: drop a variable while the rest still separates
        for v in list(involved):
            rest = [u for u in involved if u != v]
            sub = [j for u in rest for j in col_of[u]] + [const]
            if rest and _separation(X[:, sub], y) is not None:
                involved = rest
        sub = [j for u in involved for j in col_of[u]] + [const]
        kind = (_separation(X[:, sub], y) or sep)[0]
        who = (
            f"predictor {involved[0]!r}"
            if len(involved) == 1
            else "a linear combination of " + ", ".join(repr(v) for v in involved)
        )
        raise SeparationError(
            f"{kind} separation of {outcome!r}: {who} "
            "separates the "
            f"events from the non-events"
            + (
                " (fitted probabilities 0 or 1 for some cases)"
                if kind == "quasi-complete"
                else ""
            )
            + ", so the maximum likelihood estimates are infinite. "
            "Use firth=True, merge categories or drop the predictor(s)."
        )

    def fit(var_names: Sequence[str]) -> _Fit:
        cols = [j for v in var_names for j in col_of[v]] + [const]
        Xs = X[:, cols]
        _check_rank(Xs, [names[j] for j in cols])
        # with both outcome values present the constant-only model cannot be separated; any
        # other model is checked exactly when its fit does not prove the estimates finite
        check = not firth and len(cols) > 1
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                f = _newton(Xs, y, firth, convergence, max_iter)
            except SingularMatrixError:
                if check:
                    raise_if_separated(var_names, cols, Xs)
                raise
        if check and not _overlap_certified(Xs, y, f):
            raise_if_separated(var_names, cols, Xs)
        for w in caught:  # warnings of a fit that stands, after the separation check
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if not f.converged:
            warnings.warn(
                f"logistic regression of {outcome!r} stopped after {f.iterations} iterations without "
                "converging",
                ConvergenceWarning,
                stacklevel=3,
            )
        f.cols = cols  # type: ignore[attr-defined]
        return f

    null = fit([])
    steps: list[dict] = []
    if method == "enter":
        final_vars = [v.name for v in variables]
        current = fit(final_vars)
        last_step_chi2 = -2 * null.loglik + 2 * current.loglik
    else:
        final_vars, current, steps = _stepwise(
            method, variables, fit, X, y, col_of, const, pin, pout, null
        )
        last_step_chi2 = steps[-1]["step_chi2"] if steps else 0.0

    n = len(y)
    m2ll = -2 * current.loglik
    m2ll0 = -2 * null.loglik
    model_chi2 = m2ll0 - m2ll
    model_df = len(current.cols) - 1
    model_p = float(stats.chi2.sf(model_chi2, model_df)) if model_df > 0 else float("nan")
    cs = 1 - math.exp(-model_chi2 / n)
    nk = cs / (1 - math.exp(-m2ll0 / n))
    last_step_df = steps[-1]["step_df"] if steps else model_df
    omnibus = pd.DataFrame(
        {
            "chi2": [last_step_chi2, model_chi2, model_chi2],
            "df": [last_step_df, model_df, model_df],
            "p": [
                float(stats.chi2.sf(abs(last_step_chi2), abs(last_step_df)))
                if last_step_df
                else float("nan"),
                model_p,
                model_p,
            ],
        },
        index=pd.Index(["Step", "Block", "Model"], name="Omnibus Tests of Model Coefficients"),
    )
    table = _coef_table(current, variables, final_vars, col_of, const)
    if ci == "profile":
        limits = _profile_ci(X[:, current.cols], y, current, firth)
        names_in = [names[j] for j in current.cols]
        for i, term in enumerate(names_in):
            row = table.index[table["term"] == term][0]
            table.loc[row, ["ci_lower", "ci_upper"]] = [_exp(v) for v in limits[i]]
    cluster_fit, robust_omnibus = None, None
    if cluster is not None:
        codes, gone = model_clusters(data, kept.index, cluster, "logistic_regression cluster")
        pos = {j: i for i, j in enumerate(current.cols)}
        tests = {}
        for r in table.itertuples():
            cols = col_of[r.term] if r.term in col_of else [names.index(r.term)]
            tests[r.term] = [pos[j] for j in cols]
        tests["(model)"] = list(range(len(current.cols) - 1))
        cluster_fit = fit_clusters(
            "logistic", X[:, current.cols], y, current.beta, codes, cluster, tests,
            [names[j] for j in current.cols], type=cluster_type,
            random_intercept=random_intercept, n_clusters_dropped=gone)
        rob = cluster_fit.tests.set_index("source")
        se = cluster_fit.robust.se
        table["SE_robust"] = [se[idx[0]] if len(idx) == 1 else np.nan
                              for idx in (tests[t] for t in table["term"])]
        for col in ("F", "df2", "p"):
            table[f"{col}_robust"] = table["term"].map(rob[col]).astype(float)
        robust_omnibus = rob.loc["(model)"].to_dict()
    prob = current.prob
    hl = _hosmer_lemeshow(y, prob, hl_groups)
    classification, pct = _classification(y, prob, cut, nonev, ev)
    not_in = _not_in_equation(
        X, y, current, [v for v in variables if v.name not in final_vars], col_of
    )
    block0 = _not_in_equation(X, y, null, variables, col_of)
    all_cols = [j for v in variables for j in col_of[v.name]]
    if all_cols:
        stat, k = _score_test(X, y, null, all_cols)
        block0.loc[len(block0)] = ["Overall Statistics", stat, k, float(stats.chi2.sf(stat, k))]
    predicted = pd.Series(np.nan, index=data.index, name=f"P({outcome}={ev})")
    predicted.loc[kept.index] = prob
    return LogisticResult(
        outcome=outcome,
        method=method,
        firth=firth,
        _table=table,
        omnibus=omnibus,
        model_chi2=float(model_chi2),
        model_df=int(model_df),
        model_p=model_p,
        m2ll=float(m2ll),
        m2ll_null=float(m2ll0),
        cox_snell_r2=float(cs),
        nagelkerke_r2=float(nk),
        hosmer_lemeshow=hl,
        classification=classification,
        percent_correct=pct,
        steps=pd.DataFrame(
            steps,
            columns=[
                "step",
                "action",
                "variable",
                "test",
                "statistic",
                "df",
                "p",
                "m2ll",
                "step_chi2",
                "step_df",
            ],
        ),
        not_in_equation=not_in,
        block0=block0,
        coding=coding,
        dv_coding=pd.DataFrame({"original": [nonev, ev], "internal": [0, 1]}),
        variables_in_model=list(final_vars),
        n_used=int(n),
        n_dropped=n_dropped,
        dropped=dropped,
        iterations=int(current.iterations),
        converged=bool(current.converged),
        predicted=predicted,
        cut=cut,
        ci_method=ci,
        cluster=cluster_fit,
        robust_omnibus=robust_omnibus,
    )


def _exp(x: float) -> float:
    """exp that returns inf instead of raising when the result exceeds the float range."""
    return math.exp(x) if x < 709.78 else math.inf


def _coef_table(f: _Fit, variables, final_vars, col_of, const) -> pd.DataFrame:
    pos = {j: i for i, j in enumerate(f.cols)}  # type: ignore[attr-defined]
    rows = []

    def coef_row(term, var, level, i):
        b = float(f.beta[i])
        se = math.sqrt(f.cov[i, i])
        wald = (b / se) ** 2
        return {
            "term": term,
            "variable": var,
            "level": level,
            "B": b,
            "SE": se,
            "Wald": wald,
            "df": 1,
            "p": float(stats.chi2.sf(wald, 1)),
            "exp_B": _exp(b),
            "ci_lower": _exp(b - _Z975 * se),
            "ci_upper": _exp(b + _Z975 * se),
        }

    for v in variables:
        if v.name not in final_vars:
            continue
        idx = [pos[j] for j in col_of[v.name]]
        if v.categorical:
            b = f.beta[idx]
            wald = float(b @ linalg.solve(f.cov[np.ix_(idx, idx)], b, assume_a="pos"))
            rows.append(
                {
                    "term": v.name,
                    "variable": v.name,
                    "level": None,
                    "B": np.nan,
                    "SE": np.nan,
                    "Wald": wald,
                    "df": len(idx),
                    "p": float(stats.chi2.sf(wald, len(idx))),
                    "exp_B": np.nan,
                    "ci_lower": np.nan,
                    "ci_upper": np.nan,
                }
            )
            for c, lev, i in zip(v.columns, v.levels, idx, strict=True):
                rows.append(coef_row(c, v.name, lev, i))
        else:
            rows.append(coef_row(v.name, v.name, None, idx[0]))
    rows.append(coef_row("Constant", None, None, pos[const]))
    t = pd.DataFrame(rows)
    t["level"] = t["level"].astype(object)
    t["variable"] = t["variable"].astype(object)
    return t


def _score_test(X, y, fit: _Fit, extra_cols: list[int]) -> tuple[float, int]:
    """Rao's efficient score statistic for adding ``extra_cols`` to the fitted model."""
    cols = list(fit.cols) + list(extra_cols)  # type: ignore[attr-defined]
    if fit.all_columns is None:  # score and information of every design column, once per fit
        p = fit.prob
        fit.all_columns = (X.T @ (y - p), _information(X, p * (1 - p)))
    u_all, info_all = fit.all_columns
    u = u_all[cols]
    info = info_all[np.ix_(cols, cols)]
    k = len(extra_cols)
    # only the last k score entries are non-zero at the restricted estimate
    inv = linalg.pinvh(info)
    uk = u[-k:]
    stat = float(uk @ inv[-k:, -k:] @ uk)
    return stat, k


def _not_in_equation(X, y, fit, missing_vars, col_of) -> pd.DataFrame:
    rows = []
    for v in missing_vars:
        stat, k = _score_test(X, y, fit, col_of[v.name])
        rows.append(
            {"variable": v.name, "score": stat, "df": k, "p": float(stats.chi2.sf(stat, k))}
        )
    return pd.DataFrame(rows, columns=["variable", "score", "df", "p"])


def _stepwise(method, variables, fit, X, y, col_of, const, pin, pout, null):
    """SPSS FSTEP/BSTEP: score-statistic entry, LR or Wald removal, until nothing changes."""
    removal = "LR" if method.endswith("_lr") else "Wald"
    order = [v.name for v in variables]
    if method.startswith("forward"):
        model: list[str] = []
        current = null
    else:
        model = list(order)
        current = fit(model)
    steps: list[dict] = []
    seen = {tuple(model)}
    step_no = 0
    if method.startswith("backward"):
        step_no = 1
        steps.append(
            {
                "step": 1,
                "action": "entered (all)",
                "variable": ", ".join(model),
                "test": None,
                "statistic": np.nan,
                "df": np.nan,
                "p": np.nan,
                "m2ll": -2 * current.loglik,
                "step_chi2": 2 * (current.loglik - null.loglik),
                "step_df": len(current.cols) - 1,
            }
        )
    for _ in range(4 * len(order) + 2):
        changed = False
        # removal (first for backward; after an entry for forward)
        if model and (method.startswith("backward") or steps):
            cand = []
            for v in model:
                rest = [u for u in model if u != v]
                if removal == "LR":
                    reduced = fit(rest)
                    stat = 2 * (current.loglik - reduced.loglik)
                else:
                    pos = {j: i for i, j in enumerate(current.cols)}
                    idx = [pos[j] for j in col_of[v]]
                    b = current.beta[idx]
                    stat = float(b @ linalg.solve(current.cov[np.ix_(idx, idx)], b, assume_a="pos"))
                k = len(col_of[v])
                cand.append((float(stats.chi2.sf(stat, k)), v, stat, k))
            p_max, v, stat, k = max(cand, key=lambda t: t[0])
            if p_max > pout and tuple(u for u in model if u != v) not in seen:
                model = [u for u in model if u != v]
                new = fit(model)
                step_no += 1
                steps.append(
                    {
                        "step": step_no,
                        "action": "removed",
                        "variable": v,
                        "test": removal,
                        "statistic": stat,
                        "df": k,
                        "p": p_max,
                        "m2ll": -2 * new.loglik,
                        "step_chi2": 2 * (new.loglik - current.loglik),
                        "step_df": -k,
                    }
                )
                current = new
                seen.add(tuple(model))
                continue
        # entry by the score statistic
        outside = [v for v in order if v not in model]
        if outside:
            cand = []
            for v in outside:
                stat, k = _score_test(X, y, current, col_of[v])
                cand.append((float(stats.chi2.sf(stat, k)), v, stat, k))
            p_min, v, stat, k = min(cand, key=lambda t: t[0])
            new_model = [u for u in order if u in model or u == v]
            if p_min < pin and tuple(new_model) not in seen:
                model = new_model
                new = fit(model)
                step_no += 1
                steps.append(
                    {
                        "step": step_no,
                        "action": "entered",
                        "variable": v,
                        "test": "score",
                        "statistic": stat,
                        "df": k,
                        "p": p_min,
                        "m2ll": -2 * new.loglik,
                        "step_chi2": 2 * (new.loglik - current.loglik),
                        "step_df": k,
                    }
                )
                current = new
                seen.add(tuple(model))
                changed = True
        if not changed:
            break
    return model, current, steps


def _hosmer_lemeshow(y: np.ndarray, prob: np.ndarray, g: int) -> HosmerLemeshow:
    """Deciles of risk. Cases are sorted by predicted probability; the cut points are the
    probabilities of the cases at ranks ceil(k·N/g), k = 1..g−1, and group k holds the cases with
    cut_{k−1} < p ≤ cut_k. Cases with the same predicted probability (in particular the same
    covariate pattern) therefore always share a group; ties across a cut point make groups
    merge, giving fewer than g groups and df = groups − 2."""
    n = len(y)
    order = np.argsort(prob, kind="stable")
    ps = prob[order]
    ys = y[order]
    # ties: probabilities equal up to rounding noise are the same covariate pattern's
    ps_r = np.round(ps, 12)
    cuts = [ps_r[math.ceil(k * n / g) - 1] for k in range(1, g)]
    grp = np.searchsorted(np.unique(cuts), ps_r, side="left")
    rows = []
    for k in np.unique(grp):
        m = grp == k
        nk = int(m.sum())
        o1 = float(ys[m].sum())
        e1 = float(ps[m].sum())
        rows.append(
            {
                "group": len(rows) + 1,
                "n": nk,
                "observed_1": o1,
                "expected_1": e1,
                "observed_0": nk - o1,
                "expected_0": nk - e1,
            }
        )
    t = pd.DataFrame(rows)
    chi2 = float(
        (
            ((t.observed_1 - t.expected_1) ** 2) / t.expected_1
            + ((t.observed_0 - t.expected_0) ** 2) / t.expected_0
        ).sum()
    )
    df = len(t) - 2
    p = float(stats.chi2.sf(chi2, df)) if df > 0 else float("nan")
    return HosmerLemeshow(chi2, df, p, t)


def _classification(y, prob, cut, nonev, ev):
    pred = (prob >= cut).astype(float)
    counts = np.array([[np.sum((y == a) & (pred == b)) for b in (0.0, 1.0)] for a in (0.0, 1.0)])
    pct_row = counts[[0, 1], [0, 1]] / counts.sum(axis=1) * 100
    overall = float(np.trace(counts) / counts.sum() * 100)
    t = pd.DataFrame(
        {
            f"predicted {nonev}": counts[:, 0].astype(int),
            f"predicted {ev}": counts[:, 1].astype(int),
            "percentage_correct": pct_row,
        },
        index=pd.Index([f"observed {nonev}", f"observed {ev}"], name=f"cut = {cut}"),
    )
    return t, overall
