"""Synthetic fidelity-survey data that resembles a published survey.

:func:`simulate_survey` draws one row per practitioner for an :class:`~fidelity.instrument.Instrument`.
The answers are SYNTHETIC: they reproduce the published per-group item means and SDs stored in the
instrument's ``reference`` statistics approximately, and give items of one principle a realistic
positive correlation, but they are not the respondents' answers. They serve examples, tutorials
and tests; never report them as findings.

How an item column is made, per group:

1. every respondent gets a latent normal score per item, ``0.45·general + 0.6·principle + noise``
   (one general factor per respondent, one factor per principle, or per category for items
   without a principle), so items of one principle correlate more than items of different ones;
   items given in ``loadings`` instead get ``loadings @ factors + noise`` (a planted factor
   structure, e.g. the three method factors of a published PCA);
2. the target distribution over the item's own codes is the discretised normal whose mean and
   SD equal the reference mean and SD of that group (falling back to the ``"total"`` reference,
   then to a plausible default: mean at 70 % of the scale range, SD a fifth of the range);
   a reference mean outside the scale is clipped to the scale;
3. the target distribution is turned into whole counts for the group (largest remainder, then
   answers moved to neighbouring codes while that brings the mean, and then the SD
   (sample SD, n - 1), closer to the target) and the codes are handed out in the order of the
   latent scores, lowest codes to the lowest scores. The group's item mean therefore equals the
   target up to half a step of 1/n (the mean of whole answers cannot be closer); the SD is as
   close as the scale and the mean allow.

Optionally a share of answers is blanked at random afterwards (missing answers). Items marked
``excluded`` are simulated like the others, as they were on the form; leaving them out is up to
the analysis.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import optimize, special

from fidelity.instrument import Instrument, Item, ReferenceStat

DEFAULT_GROUPS: dict[str, int] = {"A": 11, "B": 14, "C": 22, "D": 24}

_GENERAL_LOADING = 0.45
_PRINCIPLE_LOADING = 0.6


def _discretised_normal(values: np.ndarray, m: float, s: float) -> np.ndarray:
    """Probabilities of the codes when a normal(m, s) is rounded to the nearest code."""
    inner = (values[:-1] + values[1:]) / 2.0
    cdf = special.ndtr((inner - m) / s)
    edges = np.concatenate([[0.0], cdf, [1.0]])
    return np.diff(edges)


def code_probabilities(values, mean: float, sd: float) -> np.ndarray:
    """Probabilities over ordered codes whose mean and SD are as close as possible to the targets.

    The distribution is a normal distribution rounded to the nearest code; its location and
    spread are solved for so that the discrete mean and SD match ``mean`` and ``sd``. A mean
    outside the codes is clipped to the range; an SD of 0 puts all mass on the code(s) next to
    the mean.

    Parameters
    ----------
    values : sequence of int
        The substantive codes of the scale, ascending.
    mean, sd : float
        Target mean and standard deviation.

    Returns
    -------
    numpy.ndarray
        One probability per code, summing to 1.

    Examples
    --------
    >>> p = code_probabilities([1, 2, 3, 4, 5], 4.0, 0.8)
    >>> v = np.arange(1, 6)
    >>> round(float(p @ v), 3), round(float(np.sqrt(p @ (v - p @ v) ** 2)), 3)
    (4.0, 0.8)
    >>> code_probabilities([1, 2, 3], 3.0, 0.0).tolist()
    [0.0, 0.0, 1.0]
    """
    v = np.asarray(values, dtype=float)
    lo, hi = float(v[0]), float(v[-1])
    mean = min(max(float(mean), lo), hi)
    if sd <= 1e-9 or mean in (lo, hi):
        p = np.zeros(len(v))
        k = int(np.searchsorted(v, mean))
        if v[min(k, len(v) - 1)] == mean:
            p[min(k, len(v) - 1)] = 1.0
        else:  # mean between two codes: the two-point distribution with that mean
            w = (mean - v[k - 1]) / (v[k] - v[k - 1])
            p[k - 1], p[k] = 1.0 - w, w
        return p

    def moments(theta: np.ndarray) -> np.ndarray:
        p = _discretised_normal(v, theta[0], math.exp(theta[1]))
        mu = p @ v
        return np.array([mu - mean, math.sqrt(max(p @ (v - mu) ** 2, 0.0)) - sd])

    fit = optimize.least_squares(moments, x0=np.array([mean, math.log(sd)]), method="lm")
    return _discretised_normal(v, fit.x[0], math.exp(fit.x[1]))


def _counts(p: np.ndarray, n: int) -> np.ndarray:
    """Whole counts summing to ``n`` closest to ``n·p`` (largest remainder, ties to lower codes)."""
    raw = p * n
    counts = np.floor(raw).astype(int)
    short = n - int(counts.sum())
    if short > 0:
        order = np.argsort(-(raw - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


def _refine_counts(counts: np.ndarray, values: np.ndarray, mean: float, sd: float) -> np.ndarray:
    """Move answers to neighbouring codes (one at a time, or two in opposite directions) while
    that brings the mean (first) and the SD (second) of the counts closer to the targets."""
    n = int(counts.sum())
    v = values.astype(float)

    def loss(c: np.ndarray) -> float:
        mu = c @ v / n
        var = c @ (v - mu) ** 2 / (n - 1) if n > 1 else 0.0
        return 100.0 * (mu - mean) ** 2 + (math.sqrt(var) - sd) ** 2

    K = len(v)
    moves = [[(k, j)] for k in range(K) for j in (k - 1, k + 1) if 0 <= j < K]
    # pairs of opposite moves keep the sum of the answers and change the spread
    moves += [[(k, k + 1), (j, j - 1)] for k in range(K - 1) for j in range(1, K) if (k, k + 1) != (j - 1, j)]
    best = loss(counts)
    for _ in range(4 * n):
        improved = False
        for move in moves:
            trial = counts.copy()
            for src, dst in move:
                trial[src] -= 1
                trial[dst] += 1
            if trial.min() < 0:
                continue
            t = loss(trial)
            if t < best - 1e-12:
                best, counts, improved = t, trial, True
        if not improved:
            break
    return counts


def _target(item: Item, group: str, instrument: Instrument) -> tuple[float, float]:
    scale = instrument.scale_of(item)
    span = scale.max - scale.min
    refs: dict[str, ReferenceStat] = {r.group: r for r in item.reference if r.mean is not None}
    ref = refs.get(group) or refs.get("total")
    mean = ref.mean if ref is not None else scale.min + 0.7 * span
    if ref is not None and ref.sd is not None:
        sd = ref.sd
    else:
        sds = [r.sd for r in item.reference if r.sd is not None]
        sd = float(np.mean(sds)) if sds else 0.2 * span
    return float(mean), float(sd)


def _background_column(question, n: int, rng: np.random.Generator) -> list:
    if question.kind == "categorical" and question.options:
        if question.counts and sum(question.counts.values()) > 0:
            p = np.array([question.counts.get(o, 0) for o in question.options], dtype=float)
        else:
            p = np.ones(len(question.options))
        counts = _counts(p / p.sum(), n)
        col = np.repeat(np.array(question.options, dtype=object), counts)
        return list(rng.permutation(col))
    if question.kind == "number":
        return [int(x) for x in rng.integers(1, 26, size=n)]
    return [None] * n


def simulate_survey(
    instrument: Instrument,
    groups: Mapping[str, int] | None = None,
    seed: int = 0,
    group_column: str = "organisation",
    respondent_column: str = "respondent",
    missing: float = 0.0,
    loadings: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Draw a synthetic wide survey data set (one row per practitioner) for an instrument.

    Parameters
    ----------
    instrument : Instrument
        The instrument; its items' ``reference`` statistics per group are the targets.
    groups : mapping of str to int, optional
        Group label and number of respondents; default ``{"A": 11, "B": 14, "C": 22, "D": 24}``
        (the four ReSet organisations). Labels are matched with the ``group`` of the reference
        statistics; a group without its own reference uses the ``"total"`` reference.
    seed : int
        Seed of the random generator; the same seed gives the same frame.
    group_column, respondent_column : str
        Names of the group and respondent-id columns.
    missing : float
        Share of item answers blanked at random (0 <= missing < 1).
    loadings : pandas.DataFrame, optional
        A planted factor structure: one row per item code (index), one column per latent
        factor. For these items the latent score is ``loadings @ factors + noise`` (independent
        standard-normal factors per respondent, noise variance 1 minus the communality, at least
        .05) instead of the general/principle structure, so a PCA of the answers finds these
        factors; the group means and SDs still follow the reference statistics.

    Returns
    -------
    pandas.DataFrame
        Columns: group, respondent id (``"synthetic-<group>-<nn>"``), the background questions
        (free-text ones left out), then one nullable-integer column per item code with codes of
        the item's own scale. ``df.attrs["synthetic"]`` is True and ``df.attrs["description"]``
        says what the data are.

    Examples
    --------
    >>> from fidelity.registry import get_instrument
    >>> df = simulate_survey(get_instrument("reset"), seed=1)
    >>> df.shape[0], df.attrs["synthetic"]
    (71, True)
    >>> sorted(df["FACT14"].dropna().unique().tolist()) <= [1, 2, 3]
    True
    >>> round(float(df.loc[df.organisation == "A", "ORG-6"].mean()), 1)  # table 24: A M=5,0
    5.0
    """
    groups = dict(DEFAULT_GROUPS if groups is None else groups)
    problems = [f"group {g!r}: size must be a positive integer, got {n!r}" for g, n in groups.items()
                if not isinstance(n, int | np.integer) or n < 1]
    if not 0.0 <= missing < 1.0:
        problems.append(f"missing must be in [0, 1), got {missing!r}")
    if group_column == respondent_column:
        problems.append("group_column and respondent_column must differ")
    if loadings is not None:
        unknown = [str(c) for c in loadings.index if c not in instrument.item_codes]
        if unknown:
            problems.append(f"loadings: unknown item code(s) {unknown}")
        if not np.isfinite(loadings.to_numpy(dtype=float)).all():
            problems.append("loadings: every loading must be a finite number")
    if problems:
        raise ValueError("; ".join(problems))

    rng = np.random.default_rng(seed)
    blocks = sorted({it.principle or f"category:{it.category}" for it in instrument.items})
    frames = []
    for g, n in groups.items():
        general = rng.standard_normal(n)
        factor = {b: rng.standard_normal(n) for b in blocks}
        data: dict[str, list] = {
            group_column: [g] * n,
            respondent_column: [f"synthetic-{g}-{i + 1:02d}" for i in range(n)],
        }
        for q in instrument.background:
            if q.kind != "text":
                data[q.id] = _background_column(q, n, rng)
        noise_sd = math.sqrt(1.0 - _GENERAL_LOADING**2 - _PRINCIPLE_LOADING**2)
        planted = None if loadings is None else rng.standard_normal((n, loadings.shape[1]))
        for it in instrument.items:
            block = it.principle or f"category:{it.category}"
            if planted is not None and it.code in loadings.index:
                lam = loadings.loc[it.code].to_numpy(dtype=float)
                latent = planted @ lam + math.sqrt(max(1.0 - float(lam @ lam), 0.05)) * rng.standard_normal(n)
            else:
                latent = (_GENERAL_LOADING * general + _PRINCIPLE_LOADING * factor[block]
                          + noise_sd * rng.standard_normal(n))
            values = np.array(instrument.scale_of(it).values)
            mean, sd = _target(it, g, instrument)
            mean = min(max(mean, values[0]), values[-1])
            counts = _refine_counts(_counts(code_probabilities(values, mean, sd), n), values, mean, sd)
            codes = np.empty(n, dtype=int)
            codes[np.argsort(latent, kind="stable")] = np.repeat(values, counts)
            data[it.code] = list(codes)
        frames.append(pd.DataFrame(data))
    df = pd.concat(frames, ignore_index=True)
    item_cols = instrument.item_codes
    if missing > 0:
        mask = rng.random((len(df), len(item_cols))) < missing
    for j, c in enumerate(item_cols):
        col = pd.array(df[c].to_numpy(), dtype="Int64")
        if missing > 0:
            col[mask[:, j]] = pd.NA
        df[c] = col
    df.attrs.update(
        synthetic=True,
        description=(
            f"SYNTHETIC data drawn by fidelity.synthetic.simulate_survey for instrument "
            f"{instrument.id!r} (seed {seed}); item means/SDs per group approximate the published "
            "reference statistics. Not real survey answers."
        ),
        instrument=instrument.id,
        seed=seed,
        groups=groups,
        missing=missing,
        planted_factors=None if loadings is None else [str(c) for c in loadings.columns],
    )
    return df
