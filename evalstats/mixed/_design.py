"""Checks of the input and the fixed-effects design of :func:`evalstats.mixed_model`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evalstats._modeldata import check_columns, listwise, numeric_problems, sorted_levels
from evalstats.errors import DataValidationError, EmptyGroupError, Problem, SingularMatrixError

_ALIAS_TOL = 1e-7  # |R_jj| of the unit-length columns below this: aliased with earlier columns


@dataclass
class Design:
    """The complete rows turned into matrices: X (treatment coding), y and the group codes."""

    X: np.ndarray
    y: np.ndarray
    columns: list[str]  # coefficient names: "(Intercept)", "age", "wave[T1]"
    owner: list[str]  # the variable of `fixed` each column belongs to ("(Intercept)" first)
    levels: dict[str, list]  # factor → its levels, reference first
    codes: list[np.ndarray]  # group index per row, outer level first
    n_groups: dict[str, int]
    factor_codes: dict[str, np.ndarray] = field(default_factory=dict)
    n_used: int = 0
    dropped: pd.DataFrame | None = None
    kept_index: pd.Index | None = None


def _is_factor(s: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
    ) or isinstance(s.dtype, pd.CategoricalDtype)


def _levels(s: pd.Series) -> list:
    if isinstance(s.dtype, pd.CategoricalDtype):
        present = set(s.dropna().unique().tolist())
        return [c for c in s.cat.categories.tolist() if c in present]
    return sorted_levels(s)


def build_design(
    data: pd.DataFrame,
    outcome: str,
    fixed: Sequence[str],
    groups: str | Sequence[str],
    categorical: Sequence[str] | None,
    reference: Mapping[str, object] | None,
) -> Design:
    ctx = "mixed_model"
    fixed = [fixed] if isinstance(fixed, str) else list(fixed)
    groups = [groups] if isinstance(groups, str) else list(groups)
    if not groups:
        raise ValueError("mixed_model: groups must name at least one grouping column")
    allvars = [outcome, *fixed, *groups]
    check_columns(data, allvars, ctx)
    if len(set(allvars)) != len(allvars):
        raise DataValidationError(
            [
                Problem(
                    None,
                    outcome,
                    allvars,
                    "the outcome, fixed effects and groups to be distinct columns",
                )
            ],
            context=ctx,
        )
    categorical = [] if categorical is None else list(categorical)
    unknown = [c for c in categorical if c not in fixed]
    if unknown:
        raise DataValidationError(
            [
                Problem(None, c, "not in fixed", f"one of the fixed effects {fixed}")
                for c in unknown
            ],
            context=ctx,
        )
    factors = [v for v in fixed if v in categorical or _is_factor(data[v])]
    covariates = [v for v in fixed if v not in factors]
    problems = numeric_problems(data, [outcome], hint="the outcome must be numeric")
    problems += numeric_problems(
        data, covariates, hint="list a categorical variable in categorical=[...]"
    )
    if problems:
        raise DataValidationError(problems, context=ctx)
    reference = dict(reference or {})
    problems = [
        Problem(None, v, "a reference level", f"one of the categorical fixed effects {factors}")
        for v in reference
        if v not in factors
    ]
    if problems:
        raise DataValidationError(problems, context=ctx)

    kept, dropped = listwise(data, allvars)
    n = len(kept)
    if n == 0:
        raise EmptyGroupError(f"mixed_model: no row is complete on {allvars}")
    y = pd.to_numeric(kept[outcome]).to_numpy(dtype=float)

    cols: list[np.ndarray] = [np.ones(n)]
    names, owner = ["(Intercept)"], ["(Intercept)"]
    levels: dict[str, list] = {}
    fcodes: dict[str, np.ndarray] = {}
    for v in fixed:
        s = kept[v]
        if v in factors:
            levs = _levels(s)
            if v in reference:
                ref = reference[v]
                match = [lv for lv in levs if lv == ref or str(lv) == str(ref)]
                if not match:
                    raise DataValidationError(
                        [
                            Problem(
                                None,
                                v,
                                ref,
                                f"a reference level among the levels {levs} of the {n} complete rows",
                            )
                        ],
                        context=ctx,
                    )
                levs = [match[0]] + [lv for lv in levs if lv != match[0]]
            if len(levs) < 2:
                raise EmptyGroupError(
                    f"mixed_model: factor {v!r} has {len(levs)} level(s) among the {n} complete "
                    "rows; a factor needs at least two"
                )
            codes = pd.Categorical(s, categories=levs).codes.astype(np.int64)
            levels[v], fcodes[v] = levs, codes
            for j, lv in enumerate(levs[1:], start=1):
                cols.append((codes == j).astype(float))
                names.append(f"{v}[{lv}]")
                owner.append(v)
        else:
            cols.append(pd.to_numeric(s).to_numpy(dtype=float))
            names.append(v)
            owner.append(v)
    X = np.column_stack(cols)
    _check_rank(X, names)

    codes_list: list[np.ndarray] = []
    n_groups: dict[str, int] = {}
    combined = np.zeros(n, dtype=np.int64)
    for g in groups:
        c, uniq = pd.factorize(kept[g], sort=False)
        combined = combined * (len(uniq) + 1) + c.astype(np.int64)
        codes, _ = pd.factorize(combined, sort=False)
        combined = codes.astype(np.int64)
        codes_list.append(combined)
        n_groups[g] = int(codes.max()) + 1
    inner = groups[-1]
    if n_groups[inner] >= n:
        raise EmptyGroupError(
            f"mixed_model: every group of {inner!r} has a single observation ({n} rows, "
            f"{n_groups[inner]} groups): no replication, the group variance is not identified"
        )
    for outer, nxt in zip(groups, groups[1:], strict=False):
        if n_groups[outer] == n_groups[nxt]:
            raise EmptyGroupError(
                f"mixed_model: every group of {outer!r} holds a single group of {nxt!r}: the two "
                "variances are not separately identified; leave one grouping level out"
            )
    return Design(
        X=X,
        y=y,
        columns=names,
        owner=owner,
        levels=levels,
        codes=codes_list,
        n_groups=n_groups,
        factor_codes=fcodes,
        n_used=n,
        dropped=dropped,
        kept_index=kept.index,
    )


def _check_rank(X: np.ndarray, names: list[str]) -> None:
    """Raise naming the first column that is a linear combination of the earlier ones."""
    norms = np.sqrt(np.einsum("ij,ij->j", X, X))
    zero = np.flatnonzero(norms == 0)
    if len(zero):
        raise SingularMatrixError(
            f"the fixed-effects design is singular: {names[zero[0]]!r} is constant 0 in the "
            "complete rows"
        )
    Xs = X / norms
    R = np.linalg.qr(Xs, mode="r")
    diag = np.abs(np.diag(R))
    bad = np.flatnonzero(diag < _ALIAS_TOL)
    if len(bad):
        j = int(bad[0])
        raise SingularMatrixError(
            f"the fixed-effects design is singular: {names[j]!r} is a linear combination of "
            f"{', '.join(repr(v) for v in names[:j])} (aliased); remove or recode it"
        )
