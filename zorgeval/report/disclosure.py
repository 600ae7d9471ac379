"""Disclosure control of count tables: primary and complementary cell suppression.

A report about vulnerable families must not let a reader find out how many people a small
cell describes, neither from the cell itself nor by arithmetic on what is shown. :func:`protect`
works on a table of counts with its published margins (row and/or column totals):

* **primary** suppression: a count ``0 < n < min_cell`` is hidden (shown as ``"<k"``); a
  published total that is small is hidden too, and so is every cell of its row or column
  (they describe a small group; shown as ``"x"``, since several ``"<k"`` under a total below
  ``k`` would be 1 each);
* **complementary** suppression: in every row or column whose total is published, no hidden
  cell may follow from the total and the shown cells. A reader knows that a primary cell lies
  in ``1 … min_cell - 1`` and a complementary one is at least 0; whenever one equation
  ``cells = total`` pins a hidden cell down to one value, the smallest shown cell of that
  equation (a non-zero one first) is hidden as well, until no equation does.

A zero is not a small cell: it stays visible unless it must be hidden to protect another cell
(or describes a small group). A published total that exceeds the sum of the listed cells has an
unpublished remainder (e.g. people without a group); that remainder is protected like a cell
when it is small.

Examples
--------
>>> s = protect([[20], [3], [9], [0]], 5, col_totals=[32])
>>> s.labels()[:, 0].tolist()
['20', '<5', 'x', '0']
>>> s.n_primary, s.n_complementary
(1, 1)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

__all__ = ["COMPLEMENTARY", "Suppression", "protect", "protect_means", "protect_nodes"]

#: How a cell hidden to protect another one is shown.
COMPLEMENTARY = "x"

_SHOWN, _PRIMARY, _COMPL, _UNPUBLISHED, _GROUP = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class Suppression:
    """Which cells and totals of a count table are hidden, and why.

    ``primary`` and ``complementary`` are boolean arrays shaped like the table (``primary``
    includes ``small_group``: the cells of a row or column whose total is small);
    ``row_totals`` / ``col_totals`` hold the status of the published totals (``None`` when not
    published) as strings ``"shown"``, ``"primary"`` or ``"complementary"``.

    Examples
    --------
    >>> s = protect([[2, 8, 7]], 5, row_totals=[17])
    >>> s.hidden.tolist(), s.row_totals
    ([[True, False, True]], ['shown'])
    """

    counts: np.ndarray
    min_cell: int
    primary: np.ndarray
    complementary: np.ndarray
    small_group: np.ndarray
    row_totals: list[str] | None
    col_totals: list[str] | None

    @property
    def hidden(self) -> np.ndarray:
        """Cells not shown (primary or complementary)."""
        return self.primary | self.complementary

    @property
    def n_primary(self) -> int:
        """Hidden small cells and totals (see the module example)."""
        return int(self.primary.sum()) + sum(s == "primary" for s in self._totals())

    @property
    def n_complementary(self) -> int:
        """Cells and totals hidden so that no small cell can be recomputed."""
        return int(self.complementary.sum()) + sum(s == "complementary" for s in self._totals())

    def _totals(self) -> list[str]:
        return (self.row_totals or []) + (self.col_totals or [])

    def label(self, i: int, j: int = 0) -> str:
        """Display string of cell ``(i, j)``: the count, ``"<k"`` or ``"x"``."""
        if self.small_group[i, j] or self.complementary[i, j]:
            return COMPLEMENTARY
        if self.primary[i, j]:
            return f"<{self.min_cell}"
        return str(int(self.counts[i, j]))

    def labels(self) -> np.ndarray:
        """Display strings of every cell (see the module example)."""
        r, c = self.counts.shape
        return np.array([[self.label(i, j) for j in range(c)] for i in range(r)], dtype=object)

    def total_label(self, value, status: str) -> str:
        """Display string of a total ``value`` with its status.

        >>> protect([[2, 1]], 5, row_totals=[3]).total_label(3, "primary")
        '<5'
        """
        if status == "primary":
            return f"<{self.min_cell}"
        if status == "complementary":
            return COMPLEMENTARY
        return str(int(value))


def _suppress(values: list[float], status: list[int], equations: list[tuple[list[int], int]],
              min_cell: int) -> list[int]:
    """Primary and complementary suppression of the nodes ``values`` (statuses ``status``,
    ``_UNPUBLISHED`` for a node the report never shows) tied by ``equations`` (cell nodes that
    add up to a total node); returns the new statuses."""
    status = list(status)
    def small(v: float) -> bool:
        return 0 < v < min_cell

    for n, v in enumerate(values):
        if status[n] == _SHOWN and small(v):
            status[n] = _PRIMARY
    for cells, t in equations:
        if status[t] == _PRIMARY:  # a small group: nothing about it is shown
            for n in cells:
                if status[n] in (_SHOWN, _PRIMARY):
                    status[n] = _GROUP

    def bounds(n: int) -> tuple[float, float]:
        st = status[n]
        if st == _SHOWN:
            return values[n], values[n]
        if st == _PRIMARY:
            return 1.0, float(min_cell - 1)
        return 0.0, np.inf

    def protected(n: int) -> bool:
        st = status[n]
        return st in (_PRIMARY, _COMPL, _GROUP) or (st == _UNPUBLISHED and small(values[n]))

    def determined(cells: list[int], t: int, n: int) -> bool:
        lo_own, hi_own = bounds(n)
        if n == t:
            lo = sum(bounds(m)[0] for m in cells)
            hi = sum(bounds(m)[1] for m in cells)
        else:
            t_lo, t_hi = bounds(t)
            others = [m for m in cells if m != n]
            lo = t_lo - sum(bounds(m)[1] for m in others)
            hi = t_hi - sum(bounds(m)[0] for m in others)
        return max(lo, lo_own) == min(hi, hi_own)

    changed = True
    while changed:
        changed = False
        for cells, t in equations:
            if any(protected(n) and determined(cells, t, n) for n in [*cells, t]):
                candidates = [m for m in cells if status[m] == _SHOWN]
                if not candidates:
                    candidates = [t] if status[t] == _SHOWN else []
                if not candidates:
                    continue
                pick = min(candidates, key=lambda m: (values[m] == 0, values[m]))
                status[pick] = _COMPL
                changed = True

    return status


def protect(counts, min_cell: int, *, row_totals=None, col_totals=None) -> Suppression:
    """Primary and complementary suppression of a count table (see the module docstring).

    ``counts`` is 2-D (a frequency list is one column); ``row_totals`` / ``col_totals`` are the
    published totals of the rows / columns, or ``None`` when the report does not show them.

    Examples
    --------
    Two groups and the total N: hiding the small group alone would let it be recomputed.

    >>> protect([[3], [40]], 5, col_totals=[43]).labels()[:, 0].tolist()
    ['<5', 'x']
    >>> protect([[3], [40]], 5).labels()[:, 0].tolist()
    ['<5', '40']
    >>> protect([[0], [40]], 5, col_totals=[40]).labels()[:, 0].tolist()
    ['0', '40']
    """
    c = np.asarray(counts, dtype=float)
    if c.ndim != 2:
        raise ValueError(f"counts must be a 2-D table, got {c.ndim} dimension(s)")
    if np.isnan(c).any() or (c < 0).any():
        raise ValueError("counts must be non-negative numbers without missing values")
    if min_cell < 1:
        raise ValueError(f"min_cell must be at least 1, got {min_cell}")
    rows, cols = c.shape
    values = list(c.ravel())
    status = [_SHOWN] * len(values)
    equations: list[tuple[list[int], int]] = []  # (cell nodes, total node)

    def add_node(v: float, st: int) -> int:
        values.append(v)
        status.append(st)
        return len(values) - 1

    totals_status: dict[str, list[int] | None] = {"row": None, "col": None}
    for axis, given in (("row", row_totals), ("col", col_totals)):
        if given is None:
            continue
        given = np.asarray(given, dtype=float).ravel()
        n_lines = rows if axis == "row" else cols
        if len(given) != n_lines:
            raise ValueError(f"{axis}_totals has {len(given)} values for {n_lines} {axis}s")
        nodes = []
        for k, total in enumerate(given):
            cells = [i * cols + k for i in range(rows)] if axis == "col" else \
                    [k * cols + j for j in range(cols)]
            rest = total - sum(values[n] for n in cells)
            if rest < 0:
                raise ValueError(f"{axis} {k}: total {total:g} is less than the sum of its cells")
            if rest > 0:
                cells = [*cells, add_node(rest, _UNPUBLISHED)]
            t = add_node(total, _SHOWN)
            nodes.append(t)
            equations.append((cells, t))
        totals_status[axis] = nodes

    status = _suppress(values, status, equations, min_cell)

    cell_status = np.array(status[: rows * cols]).reshape(rows, cols)
    names = {_SHOWN: "shown", _PRIMARY: "primary", _COMPL: "complementary"}

    def total_names(axis: str) -> list[str] | None:
        nodes = totals_status[axis]
        return None if nodes is None else [names[status[n]] for n in nodes]

    return Suppression(counts=c, min_cell=min_cell,
                       primary=(cell_status == _PRIMARY) | (cell_status == _GROUP),
                       complementary=cell_status == _COMPL, small_group=cell_status == _GROUP,
                       row_totals=total_names("row"), col_totals=total_names("col"))


def protect_means(ns, hidden, total_n: int, min_cell: int, total_shown: bool = True) -> list[bool]:
    """Which group statistics (means, SDs) of one table row must be hidden.

    A row shows, per group, a count ``ns[j]`` and a statistic such as a mean; ``hidden[j]``
    says whether the group's statistic is hidden already (its count is suppressed, or it is
    small). When the statistic of all ``total_n`` people is shown beside them
    (``total_shown``), the groups whose statistic is hidden, together with the people in no
    group (``total_n - sum(ns)``), have a pooled statistic that follows from the total and the
    shown groups: their sum of values is ``total_n * M - sum(n_j * M_j)``. That pooled
    statistic describes a small group when its size is ``0 < n < min_cell``; then the smallest
    shown group's statistic is hidden as well, until the pooled size is 0 or at least
    ``min_cell``. Returns the new ``hidden`` flags (the input is not changed).

    Examples
    --------
    Groups of 2 and 2 are hidden, so their pooled mean of 4 people follows from the total:
    the group of 6 is hidden with them.

    >>> protect_means([2, 2, 6, 30], [True, True, False, False], 40, 5)
    [True, True, True, False]
    >>> protect_means([3, 40, 20], [True, True, False], 63, 5)
    [True, True, False]
    >>> protect_means([10, 20], [False, False], 33, 5)  # 3 people without a group
    [True, False]
    """
    out = [bool(h) for h in hidden]
    if not total_shown:
        return out
    ns = [int(n) for n in ns]

    def pooled() -> int:
        return int(total_n) - sum(n for n, h in zip(ns, out, strict=True) if not h)

    while 0 < pooled() < min_cell:
        shown = [j for j, h in enumerate(out) if not h and ns[j] > 0]
        if not shown:
            break
        out[min(shown, key=lambda j: ns[j])] = True
    return out


def _pinned(values, status, equations, min_cell) -> list[int]:
    """The protected nodes that the shown nodes and all equations together pin down to one
    whole number: for each, the smallest and largest value a reader could find by linear
    programming (shown nodes fixed, a small hidden one in ``1 … min_cell - 1``, other hidden
    ones at least 0)."""
    n = len(values)
    if not equations:
        return []
    a_eq = np.zeros((len(equations), n))
    for r, (cells, total) in enumerate(equations):
        a_eq[r, list(cells)] = 1.0
        a_eq[r, total] -= 1.0
    bounds = []
    for i, st in enumerate(status):
        if st == _SHOWN:
            bounds.append((values[i], values[i]))
        elif st == _PRIMARY:
            bounds.append((1.0, float(min_cell - 1)))
        else:
            bounds.append((0.0, None))
    protected = [i for i, st in enumerate(status)
                 if st in (_PRIMARY, _COMPL, _GROUP)
                 or (st == _UNPUBLISHED and 0 < values[i] < min_cell)]
    out = []
    for i in protected:
        c = np.zeros(n)
        c[i] = 1.0
        lo = linprog(c, A_eq=a_eq, b_eq=np.zeros(len(equations)), bounds=bounds, method="highs")
        hi = linprog(-c, A_eq=a_eq, b_eq=np.zeros(len(equations)), bounds=bounds, method="highs")
        if lo.status == 0 and hi.status == 0 and \
                np.floor(-hi.fun + 1e-7) <= np.ceil(lo.fun - 1e-7):
            out.append(i)
    return out


def protect_nodes(values, equations, min_cell: int, *, unpublished=()) -> list[str]:
    """Primary and complementary suppression of counts tied by any set of sums.

    ``values`` are the counts (nodes); ``equations`` is a list of ``(cells, total)``: the
    nodes ``cells`` (indices) add up to the node ``total``; ``unpublished`` are the indices of
    nodes the report never shows (a remainder such as "families that reached no goal"). The
    rules are those of :func:`protect`: a small shown node is hidden (``"primary"``), the
    cells of a small total too (``"group"``), and while one equation pins a hidden node (or a
    small unpublished one) down to one value, the smallest shown cell of it — else its
    total — is hidden (``"complementary"``). Then the equations are checked together, by
    linear programming: while all of them with what is shown pin a hidden node (or a small
    unpublished one) down to one whole number, one more shown node of its equations is
    hidden, the smallest non-zero first. Returns one status per node: ``"shown"``,
    ``"primary"``, ``"group"``, ``"complementary"`` or ``"unpublished"``.

    Examples
    --------
    Numerators of two quarters, the year's numerator, and the year's denominator with its
    unpublished remainder (denominator minus numerator):

    >>> protect_nodes([3, 9, 12, 20, 8], [([0, 1], 2), ([2, 4], 3)], 5, unpublished=[4])
    ['primary', 'complementary', 'shown', 'shown', 'unpublished']
    """
    if min_cell < 1:
        raise ValueError(f"min_cell must be at least 1, got {min_cell}")
    vals = [float(v) for v in values]
    if any(np.isnan(v) or v < 0 for v in vals):
        raise ValueError("counts must be non-negative numbers without missing values")
    hidden = set(unpublished)
    for cells, total in equations:
        if abs(sum(vals[c] for c in cells) - vals[total]) > 1e-9:
            raise ValueError(f"nodes {list(cells)} do not add up to node {total}")
    status = [_UNPUBLISHED if i in hidden else _SHOWN for i in range(len(vals))]
    eqs = [(list(c), t) for c, t in equations]
    status = _suppress(vals, status, eqs, min_cell)
    while pinned := _pinned(vals, status, eqs, min_cell):
        near = {m for c, t in eqs if pinned[0] in (*c, t) for m in (*c, t)}
        shown = [m for m in near if status[m] == _SHOWN]
        if not shown:  # reachable only through other equations: any shown node of the system
            shown = [m for c, t in eqs for m in (*c, t) if status[m] == _SHOWN]
        if not shown:
            break
        status[min(shown, key=lambda m: (vals[m] == 0, vals[m], m))] = _COMPL
        status = _suppress(vals, status, eqs, min_cell)
    names = {_SHOWN: "shown", _PRIMARY: "primary", _COMPL: "complementary", _GROUP: "group",
             _UNPUBLISHED: "unpublished"}
    return [names[s] for s in status]
