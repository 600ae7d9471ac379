"""Factor scores as predictors: a bootstrap over practitioners that re-estimates the factors.

A practitioner's method-factor score is an *estimate* (regression scores from the survey
answers), not the factor itself. A case model that uses the scores as covariates treats them as
known: the slopes are attenuated by the measurement error and their standard errors leave out
that the loadings, and so the scores, would have come out differently in another sample of
practitioners (Skrondal & Laake 2001; Croon 2002).

:func:`bootstrap_factor_model` puts that uncertainty into the case model's intervals. In each
resample

1. practitioners are drawn with replacement (the practitioners are the clusters: a drawn
   practitioner brings all of his or her cases, once per draw);
2. every PCA of the factor workflow is refitted on the drawn practitioners' answers (same
   items, same number of components, direct oblimin with the same delta and normalization, the
   batched algorithm of :mod:`fidelity.factors.bootstrap`), and its components are aligned to
   the full-sample solution by Tucker congruence (permutation and sign; the congruence of
   each factor is kept);
3. regression factor scores (``R⁻¹ · structure``, items standardised within the resample) are
   computed for the drawn practitioners and attached to their cases;
4. the case model (least squares of the outcome on the factor scores, the other covariates and
   dummy-coded fixed factors) is refitted.

The percentile intervals of the slopes over the resamples are the intervals that include the
uncertainty of the factor scores. A resample fails, and is counted, when an item has no variance
among the drawn practitioners, the rotation does not converge, or the case model is rank
deficient. The item selection of the workflow is taken as given.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalstats.errors import DataValidationError, Problem
from evalstats.format import Lang, _check_lang, fmt_num
from evalstats.result import Result
from fidelity.factors.bootstrap import (
    _align,
    _batch_corr,
    _batch_oblimin,
    _batch_pca,
    _ci,
    _single_thread,
)

__all__ = ["ScoreBootstrap", "bootstrap_factor_model"]


def _design(frame: pd.DataFrame, covariates: list[str], factors: list[str],
            levels: dict[str, list]) -> np.ndarray:
    cols = [np.ones(len(frame))]
    cols += [frame[c].to_numpy(float) for c in covariates]
    for f in factors:
        v = frame[f].to_numpy(dtype=object)
        cols += [(v == lev).astype(float) for lev in levels[f][1:]]
    return np.column_stack(cols)


def _fit(x: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """Least-squares coefficients, or None when the design is rank deficient."""
    if x.shape[0] <= x.shape[1] or np.linalg.matrix_rank(x) < x.shape[1]:
        return None
    return np.linalg.lstsq(x, y, rcond=None)[0]


def _ols_se(x: np.ndarray, y: np.ndarray, b: np.ndarray) -> np.ndarray:
    resid = y - x @ b
    df = x.shape[0] - x.shape[1]
    return np.sqrt(np.diag(np.linalg.inv(x.T @ x)) * float(resid @ resid) / df)


class ScoreBootstrap(Result):
    """A case model with factor-score covariates, bootstrapped over practitioners.

    Attributes
    ----------
    table : DataFrame
        One row per covariate: ``term``, ``B`` (full sample), ``se_naive`` and the naive
        t-based ``ci_low_naive``/``ci_high_naive`` (factor scores taken as known),
        ``ci_low``/``ci_high`` (bootstrap percentile interval, factors re-estimated),
        ``se_boot`` (SD over the resamples) and ``factor_score`` (whether the term is an
        estimated factor score).
    congruence : DataFrame
        Per factor: median and minimum Tucker congruence of the aligned resample component
        with the full-sample one, and the share of resamples with congruence ≥ .85.
    n_boot, n_ok, n_failed : int
        Resamples drawn, used and failed (``failures`` says why).
    failures : dict
        Failed resamples by reason: ``no_variance``, ``not_converged``, ``rank_deficient``.
    n_cases, n_practitioners : int
        Cases of the model and practitioners with a complete survey (those resampled).
    level : float

    Examples
    --------
    >>> from fidelity import exploratory_factors
    >>> rng = np.random.default_rng(4)
    >>> f = rng.normal(size=(30, 2))
    >>> answers = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(30, 6)) * .5,
    ...                        columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> cases = pd.DataFrame({"practitioner": np.repeat(answers.index, 2)})
    >>> cases["y"] = np.repeat(f[:, 1], 2) + rng.normal(size=60)
    >>> b = bootstrap_factor_model(exploratory_factors(answers), cases, "y",
    ...                            covariates=["F1", "F2"], n=50, seed=0)
    >>> b.n_boot, b.n_ok + b.n_failed, list(b.spss_table().columns)[:2]
    (50, 50, ['Term', 'B'])
    """

    titles = {"en": "Bootstrap of a model with factor scores", "nl": "Bootstrap van een model met factorscores"}

    def __init__(self, table, congruence, n_boot, failures, n_cases, n_practitioners, level,
                 estimates):
        self._table = table
        self.congruence = congruence
        self.n_boot = int(n_boot)
        self.failures = failures
        self.n_failed = int(sum(failures.values()))
        self.n_ok = self.n_boot - self.n_failed
        self.n_cases = int(n_cases)
        self.n_practitioners = int(n_practitioners)
        self.level = level
        self.estimates = estimates

    @property
    def median_congruence(self) -> float:
        """The smallest of the factors' median congruences (NaN without factors)."""
        c = self.congruence["median"]
        return float(c.min()) if len(c) else float("nan")

    @property
    def table(self) -> pd.DataFrame:
        """The full-sample slopes with naive and bootstrap intervals (exact values)."""
        return self._table.copy()

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Term, B, naive CI, bootstrap CI (three decimals)."""
        _check_lang(lang)
        pct = fmt_num(100 * self.level, 0, lang)
        sep = "; " if lang == "nl" else ", "
        t = self._table

        def ci(lo, hi):
            return "" if pd.isna(lo) else f"[{fmt_num(lo, 3, lang)}{sep}{fmt_num(hi, 3, lang)}]"

        heads = (["Term", "B", f"{pct}% CI (scores as known)", f"{pct}% CI (bootstrap)"]
                 if lang == "en" else
                 ["Term", "B", f"{pct}%-BI (scores als bekend)", f"{pct}%-BI (bootstrap)"])
        return pd.DataFrame({
            heads[0]: t["term"], heads[1]: [fmt_num(v, 3, lang) for v in t["B"]],
            heads[2]: [ci(a, b) for a, b in zip(t["ci_low_naive"], t["ci_high_naive"], strict=True)],
            heads[3]: [ci(a, b) for a, b in zip(t["ci_low"], t["ci_high"], strict=True)],
        })

    def apa(self, lang: Lang = "en") -> str:
        """How the intervals were made and how many resamples failed."""
        _check_lang(lang)
        cong = self.median_congruence
        c = fmt_num(cong, 2, lang, leading_zero=False) if cong == cong else "–"
        if lang == "nl":
            return (f"Bootstrap over {self.n_practitioners} begeleiders: {self.n_ok} van "
                    f"{self.n_boot} trekkingen bruikbaar ({self.n_failed} mislukt); factoren in "
                    f"elke trekking opnieuw geschat, mediane Tucker-congruentie ten minste {c}.")
        return (f"Bootstrap over {self.n_practitioners} practitioners: {self.n_ok} of "
                f"{self.n_boot} resamples used ({self.n_failed} failed); factors re-estimated in "
                f"each, median Tucker congruence at least {c}.")


def bootstrap_factor_model(
    workflow,
    cases: pd.DataFrame,
    dv: str,
    covariates: Sequence[str] = (),
    factors: Sequence[str] = (),
    case_practitioner: str = "practitioner",
    n: int = 500,
    seed=None,
    level: float = 0.95,
) -> ScoreBootstrap:
    """Bootstrap a case model with factor-score covariates over practitioners, re-estimating
    the factors in every resample (see the module description).

    Parameters
    ----------
    workflow : fidelity.FactorWorkflowResult
        The factor workflow (:func:`fidelity.exploratory_factors` or
        :func:`fidelity.factors_per_principle`) fitted on the practitioners' answers; its data
        index holds the practitioner ids.
    cases : DataFrame
        One row per case with ``dv``, ``case_practitioner``, the non-score ``covariates`` and
        ``factors``. The factor scores are attached here (columns named as the workflow's
        factors); a ``covariates`` entry naming a factor is a factor score.
    dv : str
        The case outcome (e.g. the GAS result).
    covariates : list of str
        Covariates: factor names of the workflow and other numeric case columns.
    factors : list of str
        Fixed factors (dummy coded; the slopes do not depend on the coding).
    case_practitioner : str
    n : int
        Resamples (default 500).
    seed : int or numpy Generator, optional
    level : float
        Interval level.

    Returns
    -------
    ScoreBootstrap
        Cases with a missing value, or whose practitioner has no complete survey, are left
        out before resampling (counted in ``n_cases``).

    Examples
    --------
    >>> from fidelity import exploratory_factors
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(40, 2))
    >>> answers = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(40, 6)) * .6,
    ...                        columns=["a1", "a2", "a3", "b1", "b2", "b3"],
    ...                        index=[f"p{i}" for i in range(40)])
    >>> wf = exploratory_factors(answers)
    >>> cases = pd.DataFrame({"practitioner": np.repeat(answers.index, 3)})
    >>> cases["y"] = np.repeat(f[:, 0], 3) + rng.normal(size=120)
    >>> b = bootstrap_factor_model(wf, cases, "y", covariates=["F1", "F2"], n=100, seed=1)
    >>> b.n_ok, list(b.table["term"])
    (100, ['F1', 'F2'])
    >>> bool(b.table.set_index("term").loc["F2", "ci_low"] > 0)  # F2 holds a1..a3
    True
    """
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    covariates, factors = list(covariates), list(factors)
    names = list(workflow.factors["factor"])
    need = [dv, case_practitioner, *[c for c in covariates if c not in names], *factors]
    missing = [c for c in need if c not in cases.columns]
    if missing:
        raise DataValidationError([Problem(None, c, None, "a column of the cases") for c in missing],
                                  context="bootstrap_factor_model")
    score_terms = [c for c in covariates if c in names]
    if not score_terms:
        raise ValueError(f"covariates name no factor of the workflow; its factors: {names}")
    data = workflow._data
    s = workflow.settings
    groups = []
    for gname, res in workflow.pcas.items():
        fs = workflow.factors[workflow.factors["group"] == gname]
        comps = {f.factor: list(res.pattern.columns).index(f.component) for f in fs.itertuples()}
        if not set(comps) & set(score_terms):
            continue
        groups.append((res, comps))
    items = sorted({i for res, _ in groups for i in res.items}, key=list(data.columns).index)
    answers = data[items].apply(pd.to_numeric, errors="coerce")
    complete = answers.index[answers.notna().all(axis=1)]
    frame = cases[cases[case_practitioner].isin(set(complete))]
    frame = frame.dropna(subset=[dv, *[c for c in covariates if c not in names], *factors])
    if frame.empty:
        raise ValueError("no case with a complete survey of its practitioner and complete data")
    # every practitioner with a complete survey is drawn (the PCAs' sample); those without
    # cases shape the factors but bring no case
    prac = list(complete)
    pos = {p: i for i, p in enumerate(prac)}
    x_all = answers.loc[prac].to_numpy(float)
    col = {it: j for j, it in enumerate(items)}
    case_pos = frame[case_practitioner].map(pos).to_numpy()
    cases_of = [np.flatnonzero(case_pos == i) for i in range(len(prac))]
    y_all = frame[dv].to_numpy(float)
    levels = {f: sorted(frame[f].unique(), key=str) for f in factors}
    # the design of every case once: intercept, covariates (score columns filled per
    # resample), dummies; a resample takes its cases' rows and fills in their scores
    base = _design(frame.assign(**{c: 0.0 for c in score_terms}), covariates, factors, levels)
    score_cols = [1 + covariates.index(c) for c in score_terms]

    def design(scores: np.ndarray, rows: np.ndarray) -> np.ndarray:
        x = base[rows]
        x[:, score_cols] = scores
        return x

    # full sample: the workflow's own scores
    full = workflow.scores.loc[prac, score_terms].to_numpy(float)
    rows0 = np.arange(len(frame))
    x0 = design(full[case_pos], rows0)
    b0 = _fit(x0, y_all)
    if b0 is None:
        raise ValueError("the full-sample case model is rank deficient")
    se0 = _ols_se(x0, y_all, b0)

    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    m = len(prac)
    draws = rng.integers(0, m, size=(n, m))
    scores_b = np.full((n, m, len(score_terms)), np.nan)
    failed = np.zeros(n, dtype=bool)
    failures = {"no_variance": 0, "not_converged": 0, "rank_deficient": 0}
    congruence = {t: np.full(n, np.nan) for t in score_terms}
    with _single_thread():
        for res, comps in groups:
            idx = [col[i] for i in res.items]
            xb = x_all[:, idx][draws]  # (n, m, p)
            _cov, r, ok = _batch_corr(xb)
            k = res.pattern.shape[1]
            pat = np.full((n, len(idx), k), np.nan)
            phi = np.full((n, k, k), np.nan)
            cong = np.full((n, k), np.nan)
            conv = np.zeros(n, dtype=bool)
            load = _batch_pca(r[ok], k)
            if k >= 2:
                p_, f_, c_ = _batch_oblimin(load, s["delta"], s["normalize"])
                p_, f_, g_ = _align(p_, f_, res.pattern.to_numpy())
            else:
                sgn = np.sign((load[:, :, 0] * res.pattern.to_numpy()[None, :, 0]).sum(axis=1))
                p_ = load * np.where(sgn == 0, 1.0, sgn)[:, None, None]
                f_ = np.ones((p_.shape[0], 1, 1))
                c_ = np.ones(p_.shape[0], dtype=bool)
                g_ = np.ones((p_.shape[0], 1))
            pat[ok], phi[ok], conv[ok], cong[ok] = p_, f_, c_, g_
            new_fail = ~failed & ~ok
            failures["no_variance"] += int(new_fail.sum())
            failed |= ~ok
            new_fail = ~failed & ~conv
            failures["not_converged"] += int(new_fail.sum())
            failed |= ~conv
            for b in np.flatnonzero(~failed):
                z = xb[b]
                z = (z - z.mean(axis=0)) / z.std(axis=0, ddof=1)
                w = np.linalg.solve(r[b], pat[b] @ phi[b])
                sc = z @ w
                for name, j in comps.items():
                    if name in score_terms:
                        scores_b[b, :, score_terms.index(name)] = sc[:, j]
                        congruence[name][b] = cong[b, j]
    estimates = np.full((n, len(covariates)), np.nan)
    cov_idx = 1 + np.arange(len(covariates))
    for b in np.flatnonzero(~failed):
        rows = np.concatenate([cases_of[i] for i in draws[b]])
        # the scores of draw j belong to the j-th drawn practitioner's cases
        per_case = np.concatenate([np.repeat(scores_b[b, j][None], len(cases_of[i]), axis=0)
                                   for j, i in enumerate(draws[b])])
        fit = _fit(design(per_case, rows), y_all[rows])
        if fit is None:
            failures["rank_deficient"] += 1
            failed[b] = True
            continue
        estimates[b] = fit[cov_idx]
    good = estimates[~failed]
    tcrit = float(stats.t.ppf(0.5 + level / 2, x0.shape[0] - x0.shape[1]))
    lo, hi = (_ci(good, level) if len(good) else (np.full(len(covariates), np.nan),) * 2)
    table = pd.DataFrame({
        "term": covariates,
        "B": b0[cov_idx],
        "se_naive": se0[cov_idx],
        "ci_low_naive": b0[cov_idx] - tcrit * se0[cov_idx],
        "ci_high_naive": b0[cov_idx] + tcrit * se0[cov_idx],
        "ci_low": lo,
        "ci_high": hi,
        "se_boot": good.std(axis=0, ddof=1) if len(good) > 1 else np.nan,
        "factor_score": [c in score_terms for c in covariates],
    })
    cong_rows = []
    for name in score_terms:
        c = congruence[name][~failed]
        cong_rows.append({"factor": name, "median": float(np.median(c)) if len(c) else np.nan,
                          "min": float(c.min()) if len(c) else np.nan,
                          "share_085": float((c >= 0.85).mean()) if len(c) else np.nan})
    return ScoreBootstrap(table, pd.DataFrame(cong_rows), n, failures, len(frame), m, level,
                          pd.DataFrame(good, columns=covariates))
