"""Plots of a PCA: scree plot with Kaiser line (and parallel analysis), loadings heatmap.

matplotlib is imported lazily, so the rest of the library works without a display; set the
backend yourself (e.g. ``matplotlib.use("Agg")`` on a server) before plotting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalstats.format import axes_decimal_mark, fmt_num

__all__ = ["loadings_heatmap", "scree_plot"]


def _axes(ax, figsize):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    return ax


def scree_plot(pca_result, ax=None, parallel=None, lang: str = "en"):
    """Eigenvalues against component number, with the Kaiser line at 1.

    Parameters
    ----------
    pca_result : fidelity.PCAResult or array-like
        A PCA result (its ``eigenvalues``) or the eigenvalues themselves.
    ax : matplotlib Axes, optional
        Draw here (default: a new figure).
    parallel : fidelity.ParallelAnalysisResult, optional
        Adds the random-data percentile curve of parallel analysis.
    lang : {"en", "nl"}
        Axis labels, title, legend and the decimal mark of the tick labels.

    Returns
    -------
    matplotlib Axes
        Lines labelled ``"eigenvalues"``, ``"kaiser"`` (y = 1) and, if given,
        ``"parallel"``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = scree_plot([3.1, 1.4, 0.8, 0.5, 0.2])
    >>> [ln.get_label() for ln in ax.get_lines()]
    ['eigenvalues', 'kaiser']
    """
    ev = getattr(pca_result, "eigenvalues", pca_result)
    ev = np.asarray(ev, dtype=float)
    x = np.arange(1, len(ev) + 1)
    ax = _axes(ax, (5, 3.5))
    nl = lang == "nl"
    ax.plot(x, ev, marker="o", color="C0", label="eigenvalues")
    ax.axhline(1.0, color="grey", linestyle="--", linewidth=1, label="kaiser")
    if parallel is not None:
        tab = parallel.eigenvalues
        col = [c for c in tab.columns if c not in ("observed", "mean")][0]
        ax.plot(np.arange(1, len(tab) + 1), tab[col].to_numpy(), color="C1", linestyle=":",
                marker=".", label="parallel")
    ax.set_xlabel("Component")
    ax.set_ylabel("Eigenvalue" if not nl else "Eigenwaarde")
    ax.set_xticks(x)
    ax.set_title("Screeplot" if nl else "Scree plot")
    handles = ax.get_lines()
    names = {"eigenvalues": "Eigenwaarden" if nl else "Eigenvalues",
             "kaiser": "Kaiser (1)", "parallel": ("Parallelle analyse" if nl
                                                  else "Parallel analysis")}
    ax.legend(handles, [names[h.get_label()] for h in handles], frameon=False)
    return axes_decimal_mark(ax, lang)


def loadings_heatmap(pattern, ax=None, annotate: bool = True, vmax: float = 1.0,
                     cmap: str = "RdBu_r", lang: str = "en"):
    """A heatmap of a loading matrix, one cell per loading, optionally annotated.

    Parameters
    ----------
    pattern : pandas.DataFrame, fidelity.PCAResult or array
        Items by components; a PCA result gives its pattern matrix.
    ax : matplotlib Axes, optional
    annotate : bool
        Write each loading (two decimals) in its cell.
    vmax : float
        Colour scale from ``-vmax`` to ``vmax``.
    cmap : str
        A diverging colormap.
    lang : {"en", "nl"}
        The decimal mark of the annotations and the colour bar (a comma for ``"nl"``).

    Returns
    -------
    matplotlib Axes
        ``ax.images[0]`` holds the items-by-components array.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = loadings_heatmap(pd.DataFrame([[.8, .1], [.7, -.2], [.1, .9]],
    ...                       index=["a", "b", "c"], columns=["C1", "C2"]))
    >>> ax.images[0].get_array().shape, len(ax.texts)
    ((3, 2), 6)
    >>> loadings_heatmap(pd.DataFrame([[.8]]), lang="nl").texts[0].get_text()
    '0,80'
    """
    pattern = getattr(pattern, "pattern", pattern)
    if not isinstance(pattern, pd.DataFrame):
        arr = np.asarray(pattern, dtype=float)
        pattern = pd.DataFrame(arr, columns=[f"C{j + 1}" for j in range(arr.shape[1])])
    a = pattern.to_numpy(dtype=float)
    ax = _axes(ax, (1.2 + 0.9 * a.shape[1], 0.8 + 0.32 * a.shape[0]))
    im = ax.imshow(a, cmap=cmap, vmin=-vmax, vmax=vmax, aspect="auto")
    ax.set_xticks(range(a.shape[1]), [str(c) for c in pattern.columns])
    ax.set_yticks(range(a.shape[0]), [str(i) for i in pattern.index])
    if annotate:
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                ax.text(j, i, fmt_num(float(a[i, j]), 2, lang), ha="center", va="center", fontsize=8,
                        color="white" if abs(a[i, j]) > 0.6 * vmax else "black")
    bar = ax.figure.colorbar(im, ax=ax, shrink=0.8)
    axes_decimal_mark(bar.ax, lang)
    return ax
