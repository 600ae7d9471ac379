"""Scree plot and loadings heatmap: expected artists, saved as PNG."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from fidelity import parallel_analysis, pca  # noqa: E402
from fidelity.factors.plots import loadings_heatmap, scree_plot  # noqa: E402


def _data():
    rng = np.random.default_rng(4)
    f = rng.normal(size=(80, 2))
    return pd.DataFrame(np.repeat(f, 3, axis=1) + rng.normal(size=(80, 6)) * 0.8,
                        columns=[f"q{i}" for i in range(6)])


def test_scree_plot_lines(tmp_path):
    d = _data()
    res = pca(d)
    pa = parallel_analysis(d, n_iter=20, seed=1)
    ax = scree_plot(res, parallel=pa)
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert set(lines) == {"eigenvalues", "kaiser", "parallel"}
    np.testing.assert_allclose(lines["eigenvalues"].get_ydata(), res.eigenvalues.to_numpy())
    np.testing.assert_allclose(lines["kaiser"].get_ydata(), [1.0, 1.0])
    np.testing.assert_allclose(lines["parallel"].get_ydata(), pa.eigenvalues.iloc[:, 2])
    assert ax.get_ylabel() == "Eigenvalue"
    out = tmp_path / "scree.png"
    ax.figure.savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plt.close(ax.figure)


def test_scree_plot_on_given_axes_dutch():
    fig, ax = plt.subplots()
    assert scree_plot([2.5, 1.2, 0.3], ax=ax, lang="nl") is ax
    assert ax.get_ylabel() == "Eigenwaarde"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Eigenwaarden", "Kaiser (1)"]
    plt.close(fig)


def test_loadings_heatmap_one_cell_per_loading(tmp_path):
    res = pca(_data())
    ax = loadings_heatmap(res)
    img = ax.images[0].get_array()
    assert img.shape == res.pattern.shape
    np.testing.assert_allclose(np.asarray(img), res.pattern.to_numpy())
    assert len(ax.texts) == res.pattern.size
    assert [t.get_text() for t in ax.get_yticklabels()] == res.items
    assert ax.texts[0].get_text() == f"{res.pattern.iloc[0, 0]:.2f}"
    out = tmp_path / "heat.png"
    ax.figure.savefig(out)
    assert out.stat().st_size > 1000
    plt.close(ax.figure)
    ax2 = loadings_heatmap(res.pattern.to_numpy(), annotate=False)
    assert len(ax2.texts) == 0
    plt.close(ax2.figure)
