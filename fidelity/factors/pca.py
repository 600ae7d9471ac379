"""Principal component analysis of a correlation matrix, as SPSS FACTOR and R's psych print it.

``pca`` extracts principal components of the item correlation matrix, rotates them (direct
oblimin by default, as in SPSS), and keeps everything SPSS shows: eigenvalues, communalities,
"Total Variance Explained", component/pattern/structure matrices, the component correlation
matrix, KMO and Bartlett's test, component score coefficients and regression-method scores.

Presets (resolved in :data:`PRESETS`, the one place where conventions differ)
------------------------------------------------------------------------------
``"spss"``
    Components in extraction order after rotation, no reflection after rotation. (The sign of
    an eigenvector is arbitrary in every program; we fix each unrotated component so that its
    loadings sum to a positive number, which is what SPSS output shows in practice and what psych
    does before rotating.)
``"psych"``
    As ``psych::principal``: rotated components sorted by decreasing sum of squared pattern
    loadings and each reflected so that its pattern loadings sum to a positive number; Φ is
    permuted and reflected alongside.

The two presets differ only by a permutation and reflection of the components.

Missing values
--------------
``missing="listwise"`` (SPSS's default) drops every row with a missing item value and counts them
in ``n_dropped``. ``missing="pairwise"`` computes each correlation from the rows observed on both
items (psych's default ``use = "pairwise"``); then ``n_used`` is the number of rows (as psych
uses for ``n.obs`` and Bartlett's test), ``n_dropped`` is 0, ``pairwise_n`` holds the count per
pair, and scores of rows with a missing value are NaN (as in psych).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evalstats.errors import DataValidationError, Problem, SingularMatrixError
from evalstats.format import Lang, fmt_num, fmt_p
from evalstats.result import Result
from fidelity.factors.rotation import RotationResult, oblimin, varimax

__all__ = ["PRESETS", "PCAResult", "ParallelAnalysisResult", "parallel_analysis", "pca"]

#: Conventions of each preset: ``order`` of the rotated components ("extraction" or
#: "ss_pattern", descending sum of squared pattern loadings) and ``reflect`` ("none" or
#: "positive_sum", each rotated column's pattern loadings sum to a positive value).
PRESETS: dict[str, dict[str, str]] = {
    "spss": {"order": "extraction", "reflect": "none"},
    "psych": {"order": "ss_pattern", "reflect": "positive_sum"},
}

# smallest/largest eigenvalue ratio below which the correlation matrix counts as (near) singular:
# an inverse would then lose more than 10 of the ~16 significant digits of double precision
_RCOND = 1e-10


def _check_numeric(data: pd.DataFrame) -> pd.DataFrame:
    problems = []
    cols = {}
    for c in data.columns:
        s = data[c]
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            num = pd.to_numeric(s, errors="coerce")
            bad = s.notna() & num.isna()
            if pd.api.types.is_bool_dtype(s):
                bad = s.notna()
            for row in s.index[bad.to_numpy()]:
                problems.append(Problem(row, c, s[row], "a number"))
            cols[c] = num.astype(float)
        else:
            cols[c] = s.astype(float)
        inf = np.isinf(cols[c].to_numpy())
        for row in s.index[inf]:
            problems.append(Problem(row, c, float(s[row]), "a finite number"))
    if problems:
        raise DataValidationError(problems, context="the items of the PCA")
    return pd.DataFrame(cols, index=data.index)


def _singular_items(r: np.ndarray, names: list[str]) -> str:
    """Empty if ``r`` can be inverted safely, else a description naming the items involved."""
    vals, vecs = np.linalg.eigh(r)
    limit = _RCOND * max(vals[-1], 1.0)
    if vals[0] > limit:
        return ""
    p = len(names)
    parts = [f"smallest eigenvalue {vals[0]:.3g}"]
    pairs = [
        f"{names[i]} & {names[j]} (r = {r[i, j]:.6f})"
        for i in range(p)
        for j in range(i + 1, p)
        if abs(r[i, j]) > 1 - 1e-10
    ]
    if pairs:
        parts.append("perfectly correlated pairs: " + ", ".join(pairs))
    null = vecs[:, vals <= limit]
    involved = [names[i] for i in np.nonzero(np.abs(null).max(axis=1) > 0.05)[0]]
    n = null.shape[1]
    parts.append(
        f"{n} (near) linear dependenc{'y' if n == 1 else 'ies'} among the items "
        + ", ".join(involved)
    )
    return "; ".join(parts)


@dataclass(frozen=True)
class Bartlett:
    """Bartlett's test of sphericity: ``chi2 = -(n - 1 - (2p + 5)/6) ln|R|`` on ``df`` degrees."""

    chi2: float
    df: int
    p: float


@dataclass(frozen=True, eq=False, repr=False)
class PCAResult(Result):
    """Everything SPSS FACTOR prints for a principal component analysis, with exact values.

    Attributes
    ----------
    eigenvalues : Series
        All eigenvalues of the correlation matrix, descending.
    communalities : DataFrame
        ``initial`` (1 for PCA) and ``extraction`` (row sums of squared unrotated loadings).
    variance : DataFrame
        SPSS's "Total Variance Explained": initial eigenvalues, extraction sums and rotation
        sums of squared loadings with % of variance and cumulative %. For an oblique rotation
        SPSS prints only the rotation totals: column sums of squared *structure* loadings
        (``rotation_total``; they overlap, so no % is given). ``rotation_total_psych`` is psych's
        ``SS loadings`` for oblique solutions, ``diag(Φ P'P)``.
    unrotated : DataFrame
        The (unrotated) component matrix.
    pattern, structure, phi : DataFrame
        Rotated pattern matrix, structure matrix (``pattern @ phi``) and component correlations.
        Without rotation they are the component matrix, the same, and the identity.
    rotation : RotationResult or None
        Details of the rotation (iterations, convergence, criterion).
    correlation : DataFrame
        The correlation matrix analysed.
    n_used, n_dropped : int
        Rows used and rows dropped by listwise deletion.
    preset : str
        ``"spss"`` or ``"psych"`` (see :data:`PRESETS`).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(80, 2))
    >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(80, 6)) * .7,
    ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> from fidelity import pca
    >>> res = pca(x, n_components=2)
    >>> res.n_used, res.n_dropped, res.preset
    (80, 0, 'spss')
    >>> res.eigenvalues.round(2).tolist()[:3]
    [2.52, 2.08, 0.5]
    """

    titles = {"en": "Principal component analysis", "nl": "Principale-componentenanalyse"}

    eigenvalues: pd.Series
    communalities: pd.DataFrame
    variance: pd.DataFrame
    unrotated: pd.DataFrame
    pattern: pd.DataFrame
    structure: pd.DataFrame
    phi: pd.DataFrame
    rotation: RotationResult | None
    correlation: pd.DataFrame
    n_used: int
    n_dropped: int
    preset: str
    method: str | None
    delta: float
    normalize: bool
    missing: str
    n_components_rule: str
    pairwise_n: pd.DataFrame | None = None
    _means: pd.Series | None = field(default=None, repr=False)
    _sds: pd.Series | None = field(default=None, repr=False)
    _kmo: tuple | None = field(default=None, repr=False)
    _singular: str = field(default="", repr=False)
    _data: pd.DataFrame | None = field(default=None, repr=False)

    def bootstrap(self, n: int = 1000, seed=None, level: float = 0.95,
                  min_loading: float | None = 0.4):
        """Bootstrap this PCA: intervals of loadings, phi and alpha, and item stability.

        Resamples the respondents of the data the PCA was fitted on; see
        :func:`fidelity.bootstrap_pca` for the alignment of components and the parameters.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> f = rng.normal(size=(60, 2))
        >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(60, 6)) * .6,
        ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
        >>> boot = pca(x).bootstrap(n=200, seed=1)
        >>> boot.n
        200
        """
        if self._data is None:
            raise ValueError(
                "this PCA was fitted on a correlation matrix; a bootstrap resamples respondents "
                "and needs the raw item data: use fidelity.bootstrap_pca(result, data)"
            )
        from fidelity.factors.bootstrap import bootstrap_pca

        return bootstrap_pca(self, self._data, n=n, seed=seed, level=level,
                             min_loading=min_loading)

    # ---- checks needing the inverse of R ------------------------------------------------------
    def _need_inverse(self, what: str) -> None:
        if self._singular:
            raise SingularMatrixError(
                f"the correlation matrix is singular or nearly so, so {what} cannot be computed: "
                f"{self._singular}. Drop one item of each dependent set."
            )

    @property
    def n_components(self) -> int:
        """Number of components extracted."""
        return self.unrotated.shape[1]

    @property
    def items(self) -> list[str]:
        """Item names in input order."""
        return list(self.correlation.index)

    @property
    def determinant(self) -> float:
        """Determinant of the correlation matrix (SPSS prints it under the correlation matrix)."""
        return float(np.linalg.det(self.correlation.to_numpy()))

    @property
    def kmo(self) -> float:
        """Kaiser-Meyer-Olkin measure of sampling adequacy (overall), as ``psych::KMO``.

        Raises
        ------
        SingularMatrixError
            When the correlation matrix is singular (the anti-image needs its inverse).
        """
        self._need_inverse("KMO")
        return self._kmo[0]

    @property
    def msa(self) -> pd.Series:
        """Per-item measure of sampling adequacy (the anti-image correlation diagonal in SPSS)."""
        self._need_inverse("the per-item MSA")
        return self._kmo[1]

    @property
    def bartlett(self) -> Bartlett:
        """Bartlett's test of sphericity (as SPSS and ``psych::cortest.bartlett``)."""
        self._need_inverse("Bartlett's test (ln of the determinant)")
        r = self.correlation.to_numpy()
        p = r.shape[0]
        _sign, logdet = np.linalg.slogdet(r)
        chi2 = -(self.n_used - 1 - (2 * p + 5) / 6) * logdet
        df = p * (p - 1) // 2
        return Bartlett(float(chi2), int(df), float(stats.chi2.sf(chi2, df)))

    @property
    def score_coefficients(self) -> pd.DataFrame:
        """Component score coefficient matrix ``R⁻¹ · structure`` (regression method)."""
        self._need_inverse("component score coefficients")
        w = np.linalg.solve(self.correlation.to_numpy(), self.structure.to_numpy())
        return pd.DataFrame(w, index=self.structure.index, columns=self.structure.columns)

    def scores(self, data: pd.DataFrame) -> pd.DataFrame:
        """Regression-method component scores, standardised with ddof = 1 (as SPSS and psych).

        Items are standardised with the means and standard deviations (ddof = 1) of the rows
        the analysis used, so scores of the analysed data have mean 0, variance 1 and correlate
        exactly as ``phi``. When the analysis started from a correlation matrix, ``data`` is
        standardised with its own means and standard deviations. Rows with a missing item get
        NaN scores.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(3)
        >>> f = rng.normal(size=(60, 2))
        >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(60, 6)),
        ...                  columns=list("abcdef"))
        >>> res = pca(x, n_components=2)
        >>> s = res.scores(x)
        >>> bool(np.allclose(s.var(ddof=1), 1.0))
        True
        """
        missing = [c for c in self.items if c not in data.columns]
        if missing:
            raise DataValidationError(
                [Problem(None, c, None, "an item column used in the PCA") for c in missing],
                context="the data to score",
            )
        x = _check_numeric(data[self.items])
        if self._means is not None:
            mu, sd = self._means, self._sds
        else:
            mu, sd = x.mean(), x.std(ddof=1)
        z = (x - mu) / sd
        w = self.score_coefficients
        out = z.to_numpy() @ w.to_numpy()
        return pd.DataFrame(out, index=data.index, columns=w.columns)

    # ---- Result interface ---------------------------------------------------------------------
    @property
    def table(self) -> pd.DataFrame:
        """Tidy loadings: item, component number, unrotated, pattern and structure loading, communality.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> x = pd.DataFrame(np.random.default_rng(0).normal(size=(40, 4)), columns=list("abcd"))
        >>> pca(x, n_components=2).table.columns.tolist()
        ['item', 'component', 'unrotated', 'pattern', 'structure', 'communality']
        """
        def long(m):
            m = m.copy()
            m.columns = range(1, m.shape[1] + 1)
            return m.stack()

        out = pd.DataFrame(
            {
                "unrotated": long(self.unrotated),
                "pattern": long(self.pattern),
                "structure": long(self.structure),
            }
        )
        out.index.names = ["item", "component"]
        out = out.reset_index()
        out["communality"] = out["item"].map(self.communalities["extraction"])
        return out

    def spss_table(
        self,
        lang: Lang = "en",
        table: Literal[
            "pattern", "structure", "phi", "unrotated", "variance", "communalities", "kmo"
        ] = "pattern",
        sort: bool = False,
        suppress: float | None = None,
    ) -> pd.DataFrame:
        """A table laid out and rounded as SPSS prints it (text cells, three decimals).

        Parameters
        ----------
        table : str
            ``"pattern"`` (Pattern Matrix; Rotated Component Matrix for varimax; Component
            Matrix without rotation), ``"structure"``, ``"phi"`` (Component Correlation Matrix),
            ``"unrotated"``, ``"variance"`` (Total Variance Explained), ``"communalities"`` or
            ``"kmo"`` (KMO and Bartlett's Test).
        sort : bool
            SPSS's ``/FORMAT SORT``: items grouped by the component they load highest on, by
            decreasing loading. Display only.
        suppress : float, optional
            SPSS's ``/FORMAT BLANK(x)``: loadings with absolute value below ``x`` are left blank.
            Display only; the tidy :attr:`table` keeps every value.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> x = pd.DataFrame(np.random.default_rng(0).normal(size=(40, 4)), columns=list("abcd"))
        >>> pca(x, n_components=2).spss_table(table="variance").shape[0]
        4
        """

        def num(v, d=3, lz=True):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                return ""
            return fmt_num(float(v), d, lang, leading_zero=lz)

        nl = lang == "nl"
        if table in ("pattern", "structure", "phi", "unrotated"):
            m = {
                "pattern": self.pattern,
                "structure": self.structure,
                "phi": self.phi,
                "unrotated": self.unrotated,
            }[table]
            m = m.copy()
            m.columns = [str(j + 1) for j in range(m.shape[1])]
            if table == "phi":
                m.index = list(m.columns)
            if sort and table != "phi":
                a = m.abs().to_numpy()
                best = a.argmax(axis=1)
                order = sorted(range(m.shape[0]), key=lambda i: (best[i], -a[i, best[i]]))
                m = m.iloc[order]
            out = m.map(
                lambda v: ""
                if (suppress is not None and table != "phi" and abs(v) < suppress)
                else num(v, 3, lz=False)
            )
            out.columns.name = "Component"
            return out
        if table == "variance":
            v = self.variance
            parts = (
                ("Initiële eigenwaarden", "Extractie SS", "Rotatie SS")
                if nl
                else ("Initial", "Extraction", "Rotation")
            )
            tot, pct, cum = (
                ("Totaal", "% van variantie", "Cumulatief %")
                if nl
                else ("Total", "% of Variance", "Cumulative %")
            )
            cols = {}
            for part, key in zip(parts[:2], ("initial", "extraction"), strict=True):
                cols[f"{part} {tot}"] = v[f"{key}_total"].map(num)
                cols[f"{part} {pct}"] = v[f"{key}_pct"].map(num)
                cols[f"{part} {cum}"] = v[f"{key}_cum_pct"].map(num)
            if self.method is not None:
                cols[f"{parts[2]} {tot}"] = v["rotation_total"].map(num)
                if self.method == "varimax":  # oblique: SPSS prints totals only
                    cols[f"{parts[2]} {pct}"] = v["rotation_pct"].map(num)
                    cols[f"{parts[2]} {cum}"] = v["rotation_cum_pct"].map(num)
            out = pd.DataFrame(cols)
            out.index = [str(i) for i in v.index]
            out.index.name = "Component"
            return out
        if table == "communalities":
            out = self.communalities.map(num)
            out.columns = ["Initieel", "Extractie"] if nl else ["Initial", "Extraction"]
            return out
        if table == "kmo":
            b = self.bartlett
            kmo_label = (
                "Kaiser-Meyer-Olkin-maat voor steekproeftoereikendheid."
                if nl
                else "Kaiser-Meyer-Olkin Measure of Sampling Adequacy."
            )
            bt = "Toets van Bartlett op sfericiteit" if nl else "Bartlett's Test of Sphericity"
            rows = [
                (kmo_label, "", num(self.kmo, 3, lz=False)),
                (bt, "Approx. chi-kwadraat" if nl else "Approx. Chi-Square", num(b.chi2)),
                (bt, "df", str(b.df)),
                (bt, "Sig.", num(b.p, 3, lz=False)),
            ]
            return pd.DataFrame(rows, columns=["test", "statistic", "value"])
        raise ValueError(f"unknown table {table!r}")

    def apa(self, lang: Lang = "en") -> str:
        """One sentence: components, rotation, variance explained, KMO and Bartlett's test.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(3)
        >>> f = rng.normal(size=(60, 2))
        >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(60, 6)),
        ...                  columns=list("abcdef"))
        >>> print(pca(x).apa())  # doctest: +ELLIPSIS
        A principal component analysis of 6 items (n = 60) with direct oblimin rotation ...
        """
        k = self.n_components
        pct = float(self.variance["extraction_cum_pct"].iloc[k - 1])
        nl = lang == "nl"
        if self.method == "oblimin":
            rot = (
                f"directe oblimin-rotatie (delta = {fmt_num(self.delta, 1, lang)}"
                if nl
                else f"direct oblimin rotation (delta = {self.delta:g}"
            )
            rot += (", Kaiser-normalisatie)" if nl else ", Kaiser normalization)") if (
                self.normalize
            ) else ")"
        elif self.method == "varimax":
            rot = "varimax-rotatie" if nl else "varimax rotation"
        else:
            rot = "zonder rotatie" if nl else "without rotation"
        rule = {
            "kaiser": " met eigenwaarde > 1" if nl else " with eigenvalues above 1",
            "fixed": "",
        }[self.n_components_rule]
        comp_word = ("component" if k == 1 else "componenten") if nl else (
            "component" if k == 1 else "components"
        )
        if nl:
            s = (
                f"Een principale-componentenanalyse van {len(self.items)} items "
                f"(n = {self.n_used}) met {rot} leverde {k} {comp_word}{rule} op, "
                f"samen goed voor {fmt_num(pct, 1, lang)}% van de variantie."
            )
        else:
            s = (
                f"A principal component analysis of {len(self.items)} items (n = {self.n_used}) "
                f"with {rot} extracted {k} {comp_word}{rule}, together explaining "
                f"{fmt_num(pct, 1, lang)}% of the variance."
            )
        if not self._singular:
            b = self.bartlett
            sep = "; " if nl else ", "
            kmo = fmt_num(self.kmo, 2, lang, leading_zero=False)
            chi = fmt_num(b.chi2, 2, lang)
            if nl:
                s += (
                    f" KMO = {kmo}; Bartletts toets op sfericiteit χ²({b.df}) = {chi}"
                    f"{sep}{fmt_p(b.p, lang)}."
                )
            else:
                s += (
                    f" KMO = {kmo}; Bartlett's test of sphericity χ²({b.df}) = {chi}"
                    f"{sep}{fmt_p(b.p, lang)}."
                )
        return s


def _correlation_input(data: pd.DataFrame, n_obs) -> pd.DataFrame:
    r = data.astype(float)
    problems = []
    if list(r.index) != list(r.columns):
        raise ValueError(
            "with n_obs, data is read as a correlation matrix, which must have the same item "
            "names, in the same order, as index and columns; leave n_obs out for raw item data"
        )
    a = r.to_numpy()
    names = list(r.columns)
    for i, nm in enumerate(names):
        if not np.isclose(a[i, i], 1.0, atol=1e-8):
            problems.append(Problem(nm, nm, a[i, i], "1 on the diagonal of a correlation matrix"))
        for j in range(i + 1, len(names)):
            if not np.isfinite(a[i, j]) or abs(a[i, j]) > 1 + 1e-12:
                problems.append(Problem(nm, names[j], a[i, j], "a correlation in [-1, 1]"))
            elif abs(a[i, j] - a[j, i]) > 1e-8:
                problems.append(
                    Problem(nm, names[j], a[i, j], f"equal to the mirrored value {a[j, i]!r}")
                )
    if problems:
        raise DataValidationError(problems, context="the correlation matrix")
    if int(n_obs) != n_obs or n_obs < 2:
        raise ValueError(f"n_obs must be a whole number >= 2, got {n_obs!r}")
    return pd.DataFrame((a + a.T) / 2, index=names, columns=names)


def _arrange(pattern, phi, preset):
    """Apply the preset's column order and reflection; the one place the conventions live."""
    conv = PRESETS[preset]
    k = pattern.shape[1]
    order = np.arange(k)
    if conv["order"] == "ss_pattern":
        order = np.argsort(-(pattern**2).sum(axis=0), kind="stable")
    pattern = pattern[:, order]
    phi = phi[np.ix_(order, order)]
    if conv["reflect"] == "positive_sum":
        sign = np.sign(pattern.sum(axis=0))
        sign[sign == 0] = 1
        pattern = pattern * sign
        phi = phi * np.outer(sign, sign)
    return pattern, phi, order


def pca(
    data: pd.DataFrame,
    n_components: int | None = None,
    rotation: Literal["oblimin", "varimax"] | None = "oblimin",
    delta: float = 0.0,
    normalize: bool = True,
    preset: Literal["spss", "psych"] = "spss",
    missing: Literal["listwise", "pairwise"] = "listwise",
    n_obs: int | None = None,
    max_iter: int = 1000,
    tol: float = 1e-5,
) -> PCAResult:
    """Principal component analysis with oblimin (default), varimax or no rotation.

    Equivalent to SPSS ``FACTOR /EXTRACTION PC /ROTATION OBLIMIN(delta)`` (Kaiser normalization
    on) and to ``psych::principal(x, nfactors, rotate = "oblimin", normalize = TRUE)``.

    Parameters
    ----------
    data : DataFrame
        Items as numeric columns (rows are respondents), or a correlation matrix (item names as
        index and columns) together with ``n_obs``.
    n_components : int, optional
        Number of components; default: Kaiser's criterion, the number of eigenvalues above 1
        (SPSS's default). See also :func:`parallel_analysis`.
    rotation : {"oblimin", "varimax", None}
        Direct oblimin (SPSS's "Direct Oblimin"), varimax or none.
    delta : float
        Oblimin delta (SPSS ``OBLIMIN(delta)``, GPArotation ``gam``), default 0.
    normalize : bool
        Kaiser normalization during rotation (SPSS default on; ``NOKAISER`` turns it off).
    preset : {"spss", "psych"}
        Order and reflection of the rotated components, see :data:`PRESETS`.
    missing : {"listwise", "pairwise"}
        Listwise deletion (SPSS) or pairwise correlations (psych); see the module notes.
    n_obs : int, optional
        Number of respondents behind a correlation matrix given as ``data``.
    max_iter, tol
        Passed to the rotation (GPArotation's ``maxit`` and ``eps``).

    Returns
    -------
    PCAResult

    Raises
    ------
    DataValidationError
        Non-numeric values (all listed), or an invalid correlation matrix.
    SingularMatrixError
        Items with zero variance (named). A singular correlation matrix is accepted for the
        extraction, but KMO, Bartlett's test and scores then raise, naming the items involved.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=(60, 2))
    >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(60, 6)),
    ...                  columns=list("abcdef"))
    >>> res = pca(x)
    >>> res.n_components, res.n_used, res.n_dropped
    (2, 60, 0)
    >>> bool(np.allclose(res.structure, res.pattern @ res.phi))
    True
    """
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {preset!r}")
    if rotation not in ("oblimin", "varimax", None):
        raise ValueError(f"rotation must be 'oblimin', 'varimax' or None, got {rotation!r}")
    if missing not in ("listwise", "pairwise"):
        raise ValueError(f"missing must be 'listwise' or 'pairwise', got {missing!r}")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if data.shape[1] < 2:
        raise ValueError(f"a PCA needs at least two items, got {data.shape[1]}")
    means = sds = None
    pairwise_n = None
    n_dropped = 0
    if n_obs is not None:
        corr = _correlation_input(data, n_obs)
        n_used = int(n_obs)
    else:
        if data.shape[0] == data.shape[1] and list(data.index) == list(data.columns):
            raise ValueError(
                "data looks like a correlation matrix; pass n_obs (the number of respondents) "
                "to analyse it as one"
            )
        x = _check_numeric(data)
        if missing == "listwise":
            complete = x.notna().all(axis=1)
            n_dropped = int((~complete).sum())
            x = x[complete]
            n_used = int(x.shape[0])
        else:
            n_used = int(x.shape[0])
            obs = x.notna().astype(float).to_numpy()
            pairwise_n = pd.DataFrame((obs.T @ obs).astype(int), index=x.columns, columns=x.columns)
        sds = x.std(ddof=1)
        zero = [str(c) for c in x.columns if not (sds[c] > 0)]
        if zero:
            raise SingularMatrixError(
                "items with zero variance (a constant answer) cannot be correlated: "
                + ", ".join(zero)
                + f" (in the {n_used} rows used)"
            )
        if n_used < 3:
            raise ValueError(f"a PCA needs at least 3 complete rows, got {n_used}")
        means = x.mean()
        corr = x.corr()
        if corr.isna().to_numpy().any():
            bad = sorted({str(c) for c in corr.columns[corr.isna().any()]})
            raise SingularMatrixError(
                "pairwise correlations could not be computed (too few joint observations or "
                "no variance within the pairs) for items: " + ", ".join(bad)
            )
    names = [str(c) for c in corr.columns]
    r = corr.to_numpy()
    p = r.shape[0]
    vals, vecs = np.linalg.eigh(r)
    vals, vecs = vals[::-1], vecs[:, ::-1]
    if n_components is None:
        k = max(int(np.sum(vals > 1.0)), 1)
        rule = "kaiser"
    else:
        k = int(n_components)
        rule = "fixed"
        if not 1 <= k <= p:
            raise ValueError(f"n_components must be between 1 and {p}, got {n_components}")
    load = vecs[:, :k] * np.sqrt(np.clip(vals[:k], 0.0, None))
    sign = np.sign(load.sum(axis=0))
    sign[sign == 0] = 1
    load = load * sign
    labels = [f"PC{j + 1}" for j in range(k)]
    unrot = pd.DataFrame(load, index=corr.index, columns=labels)

    rot_res = None
    if rotation is not None and k >= 2:
        fn = oblimin if rotation == "oblimin" else varimax
        kw = {"delta": delta} if rotation == "oblimin" else {}
        rot_res = fn(unrot, normalize=normalize, max_iter=max_iter, tol=tol, **kw)
        pat, phi = rot_res.pattern.to_numpy(), rot_res.phi.to_numpy()
        method = rotation
    else:
        # nothing to rotate with a single component
        pat, phi = load.copy(), np.eye(k)
        method = None
    pat, phi, order = _arrange(pat, phi, preset)
    cols = [f"C{j + 1}" for j in range(k)] if method is not None else labels
    pattern = pd.DataFrame(pat, index=corr.index, columns=cols)
    phi_df = pd.DataFrame(phi, index=cols, columns=cols)
    structure = pd.DataFrame(pat @ phi, index=corr.index, columns=cols)

    comm = (load**2).sum(axis=1)
    communalities = pd.DataFrame(
        {"initial": np.ones(p), "extraction": comm}, index=corr.index
    )
    pct = vals / p * 100
    var = pd.DataFrame(
        {
            "initial_total": vals,
            "initial_pct": pct,
            "initial_cum_pct": np.cumsum(pct),
        },
        index=pd.RangeIndex(1, p + 1, name="component"),
    )
    ext = np.full(p, np.nan)
    ext[:k] = vals[:k]
    var["extraction_total"] = ext
    var["extraction_pct"] = ext / p * 100
    var["extraction_cum_pct"] = np.cumsum(np.nan_to_num(ext)) / p * 100
    var.loc[var.index > k, "extraction_cum_pct"] = np.nan
    rot_tot = np.full(p, np.nan)
    rot_pct = np.full(p, np.nan)
    rot_cum = np.full(p, np.nan)
    rot_psych = np.full(p, np.nan)
    if method == "oblimin":
        rot_tot[:k] = (structure.to_numpy() ** 2).sum(axis=0)
        rot_psych[:k] = np.diag(phi @ pat.T @ pat)
    elif method == "varimax":
        rot_tot[:k] = (pat**2).sum(axis=0)
        rot_pct[:k] = rot_tot[:k] / p * 100
        rot_cum[:k] = np.cumsum(rot_pct[:k])
        rot_psych[:k] = rot_tot[:k]
    var["rotation_total"] = rot_tot
    var["rotation_pct"] = rot_pct
    var["rotation_cum_pct"] = rot_cum
    var["rotation_total_psych"] = rot_psych

    why = _singular_items(r, names)
    kmo = None
    if not why:
        q = np.linalg.inv(r)
        d = 1 / np.sqrt(np.diag(q))
        partial = q * np.outer(d, d)
        np.fill_diagonal(partial, 0.0)
        r0 = r.copy()
        np.fill_diagonal(r0, 0.0)
        r2, q2 = (r0**2).sum(axis=0), (partial**2).sum(axis=0)
        kmo = (float(r2.sum() / (r2.sum() + q2.sum())), pd.Series(r2 / (r2 + q2), index=corr.index))
    return PCAResult(
        eigenvalues=pd.Series(vals, index=pd.RangeIndex(1, p + 1, name="component")),
        communalities=communalities,
        variance=var,
        unrotated=unrot,
        pattern=pattern,
        structure=structure,
        phi=phi_df,
        rotation=rot_res,
        correlation=corr,
        n_used=n_used,
        n_dropped=n_dropped,
        preset=preset,
        method=method,
        delta=float(delta),
        normalize=bool(normalize),
        missing=missing if n_obs is None else "correlation matrix",
        n_components_rule=rule,
        pairwise_n=pairwise_n,
        _means=means,
        _sds=sds,
        _kmo=kmo,
        _singular=why,
        _data=data if n_obs is None else None,
    )


@dataclass(frozen=True, eq=False, repr=False)
class ParallelAnalysisResult(Result):
    """Horn's parallel analysis: observed eigenvalues against those of random normal data.

    Attributes
    ----------
    eigenvalues : DataFrame
        Per component: ``observed``, random ``mean`` and random ``p95`` (the percentile asked).
    n_components : int
        Number of leading components whose observed eigenvalue exceeds the random percentile.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(80, 2))
    >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(80, 6)) * .7,
    ...                  columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> from fidelity import parallel_analysis
    >>> pa = parallel_analysis(x, n_iter=50, seed=1)
    >>> pa.n_components, pa.eigenvalues.columns.tolist()
    (2, ['observed', 'mean', 'p95'])
    """

    titles = {"en": "Parallel analysis", "nl": "Parallelle analyse"}

    eigenvalues: pd.DataFrame
    n_components: int
    n_iter: int
    n_obs: int
    percentile: float

    @property
    def table(self) -> pd.DataFrame:
        """The eigenvalue table with a ``retain`` column."""
        out = self.eigenvalues.copy()
        out["retain"] = np.arange(1, len(out) + 1) <= self.n_components
        return out.reset_index()

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Eigenvalues rounded to three decimals."""
        return self.eigenvalues.map(lambda v: fmt_num(float(v), 3, lang))

    def apa(self, lang: Lang = "en") -> str:
        """A sentence stating how many components parallel analysis retains."""
        if lang == "nl":
            return (
                f"Parallelle analyse ({self.n_iter} random datasets, {self.percentile:g}e "
                f"percentiel) ondersteunt {self.n_components} component(en)."
            )
        return (
            f"Parallel analysis ({self.n_iter} random data sets, {self.percentile:g}th "
            f"percentile) supports {self.n_components} component(s)."
        )


def parallel_analysis(
    data: pd.DataFrame, n_iter: int = 100, seed=None, percentile: float = 95.0
) -> ParallelAnalysisResult:
    """Horn's parallel analysis for principal components.

    Eigenvalues of the items' correlation matrix (listwise complete rows) are compared with the
    mean and the ``percentile`` of eigenvalues of correlation matrices of ``n_iter`` random
    standard normal data sets of the same shape. Components are retained while the observed
    eigenvalue exceeds the random percentile.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=(80, 2))
    >>> x = pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(80, 6)),
    ...                  columns=list("abcdef"))
    >>> parallel_analysis(x, n_iter=50, seed=1).n_components
    2
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if n_iter < 1:
        raise ValueError(f"n_iter must be >= 1, got {n_iter}")
    x = _check_numeric(data).dropna()
    n, p = x.shape
    if n < 3 or p < 2:
        raise ValueError(f"parallel analysis needs at least 3 complete rows and 2 items, got {x.shape}")
    obs = np.linalg.eigvalsh(np.corrcoef(x.to_numpy(), rowvar=False))[::-1]
    rng = np.random.default_rng(seed)
    sims = np.empty((n_iter, p))
    for i in range(n_iter):
        sims[i] = np.linalg.eigvalsh(np.corrcoef(rng.standard_normal((n, p)), rowvar=False))[::-1]
    mean = sims.mean(axis=0)
    pct = np.percentile(sims, percentile, axis=0)
    above = obs > pct
    k = int(np.argmin(above)) if not above.all() else p
    table = pd.DataFrame(
        {"observed": obs, "mean": mean, f"p{percentile:g}": pct},
        index=pd.RangeIndex(1, p + 1, name="component"),
    )
    return ParallelAnalysisResult(table, k, int(n_iter), int(n), float(percentile))
