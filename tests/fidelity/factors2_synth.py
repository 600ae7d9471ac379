"""Synthetic Likert data with a planted loading structure, for the factor workflow tests."""

import numpy as np
import pandas as pd


def planted_likert(loadings, n, seed, names, phi=None, points=5):
    """Latent factors (correlations ``phi``) times ``loadings`` plus noise, cut into Likert codes.

    Each item's noise variance is 1 - its communality, so the latent item variance is 1; the
    cut points are equally spaced between -1.5 and 1.5.
    """
    rng = np.random.default_rng(seed)
    loadings = np.asarray(loadings, float)
    k = loadings.shape[1]
    phi = np.eye(k) if phi is None else np.asarray(phi, float)
    f = rng.normal(size=(n, k)) @ np.linalg.cholesky(phi).T
    comm = np.einsum("ij,jk,ik->i", loadings, phi, loadings)
    noise = rng.normal(size=(n, len(names))) * np.sqrt(np.clip(1 - comm, 0.05, None))
    x = f @ loadings.T + noise
    cuts = np.linspace(-1.5, 1.5, points - 1)
    return pd.DataFrame(np.digitize(x, cuts) + 1, columns=names,
                        index=pd.Index([f"r{i:03d}" for i in range(n)], name="respondent"))
