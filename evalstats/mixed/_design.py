"""Checks of the input and the fixed-effects design of :func:`evalstats.mixed_model`."""

from __future__ import annotations

import itertools
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
    columns: list[str]  # coefficient names: "(Intercept)", "age", "wave[T1]", "wave[T1]:x"
    owner: list[str]  # the term each column belongs to ("(Intercept)" first)
    cells: list[dict]  # per column: the factor levels (codes) its observations have
    labels: list[str]  # per column: SPSS's parameter label
    terms: list[tuple[str, tuple[str, ...]]]  # (name, variables): main effects, interactions
    rdX: np.ndarray  # lmerTest's over-parameterised design (intercept, full indicators)
    rd_names: list[str]
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
    interactions: Sequence[Sequence[str]] = (),
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
    combos = [tuple(c) for c in interactions]
    problems = [
        Problem(None, " * ".join(map(str, c)), c, f"two or more distinct variables of {fixed}")
        for c in combos
        if len(c) < 2 or len(set(c)) != len(c) or not set(c) <= set(fixed)
    ]
    if problems:
        raise DataValidationError(problems, context=f"{ctx} interactions")
    combos = list(dict.fromkeys(combos))
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

    levels: dict[str, list] = {}
    fcodes: dict[str, np.ndarray] = {}
    values: dict[str, np.ndarray] = {}
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
                                f"a reference level among the levels {levs} of the {n} "
                                "complete rows",
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
            levels[v] = levs
            fcodes[v] = pd.Categorical(s, categories=levs).codes.astype(np.int64)
        else:
            values[v] = pd.to_numeric(s).to_numpy(dtype=float)

    terms = [(v, (v,)) for v in fixed] + [(":".join(c), tuple(c)) for c in combos]
    cols: list[np.ndarray] = [np.ones(n)]
    names, owner, cells = ["(Intercept)"], ["(Intercept)"], [{}]
    labels = ["Intercept"]  # as SPSS MIXED names the parameters: [wave=T1]*[sex=meisje]
    rd_cols: list[np.ndarray] = [np.ones(n)]
    rd_names = ["(Intercept)"]
    for term, tvars in terms:
        for full in (False, True):
            # treatment-coded columns of X, or the full indicator columns of lmerTest's
            # over-parameterised design (its "~ 0 + term" model matrix); R's column order:
            # the first variable's levels vary fastest
            parts = []
            for v in tvars:
                if v in levels:
                    first = 0 if full else 1
                    parts.append(
                        [
                            (
                                fcodes[v] == j,
                                (f"{v}[{levels[v][j]}]", f"[{v}={levels[v][j]}]"),
                                {v: j},
                            )
                            for j in range(first, len(levels[v]))
                        ]
                    )
                else:
                    parts.append([(values[v], (v, v), {})])
            for combo in itertools.product(*reversed(parts)):
                combo = combo[::-1]
                col = np.ones(n)
                cell: dict[str, int] = {}
                for x, _, c in combo:
                    col = col * x
                    cell.update(c)
                name = ":".join(nm for _, (nm, _), _ in combo)
                if full:
                    rd_cols.append(col)
                    rd_names.append(name)
                else:
                    cols.append(col)
                    names.append(name)
                    labels.append("*".join(lab for _, (_, lab), _ in combo))
                    owner.append(term)
                    cells.append(cell)
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
        cells=cells,
        labels=labels,
        terms=terms,
        rdX=np.column_stack(rd_cols),
        rd_names=rd_names,
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
