"""The bootstrap over practitioners of the overall models that use method-factor scores
(``[models] factor_bootstrap = 500``): :func:`fidelity.bootstrap_factor_model` per goal category
whose fitted factorial model has factor-score covariates."""

from __future__ import annotations

from typing import Any

import fidelity

__all__ = ["overall_bootstraps"]


def overall_bootstraps(ev: Any) -> dict[str, Any]:
    """Goal category → :class:`fidelity.ScoreBootstrap` of its factorial model, for the models
    with factor-score covariates; empty when ``[models] factor_bootstrap`` is 0, there are no
    method factors or no overall analysis.

    The model is the one the overall analysis fitted (its fixed factors and covariates, on the
    category's analysis frame; models with interactions are not bootstrapped); the resamples of one category are drawn from a generator
    seeded with ``[models] bootstrap_seed``, so the report is reproducible.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> overall_bootstraps(NS(project=NS(models=NS(factor_bootstrap=0)), factors=None, overall=None))
    {}
    """
    m = ev.project.models
    if not m.factor_bootstrap or ev.factors is None or ev.overall is None:
        return {}
    names = set(ev.factors.scores.columns)
    practitioner = ev.project.cases.practitioner
    out = {}
    for e in ev.overall.entries:
        if e.step != "factorial" or e.result is None:
            continue
        covariates = list(e.result.covariate_means)
        if not names & set(covariates) or any(" * " in t for t in e.result.terms):
            continue  # no factor score, or interactions (the bootstrap fits main effects)
        factors = [t for t in e.result.terms if t not in covariates]
        out[e.category] = fidelity.bootstrap_factor_model(
            ev.factors, ev.overall.frames[e.category].reset_index(drop=True), "result",
            covariates=covariates, factors=factors,
            case_practitioner=practitioner, n=m.factor_bootstrap, seed=m.bootstrap_seed,
        )
    return out
