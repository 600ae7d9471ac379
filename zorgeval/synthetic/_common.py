"""Shared pieces of the synthetic data generators: the container, exact allocation, levels."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

DATA_SETS = ("reset", "np", "buitenshuis")


@dataclass(repr=False)
class SyntheticData(Mapping):
    """A named set of SYNTHETIC DataFrames (a read-only mapping name -> frame).

    Attributes
    ----------
    name : str
        ``"reset"`` or ``"np"``.
    frames : dict of str to pandas.DataFrame
        The frames; each has ``attrs["synthetic"] = True`` and ``attrs["note"]``.
    note : str
        What the data are and how they were made.
    seed, scale : int, float
        The arguments they were drawn with.

    Examples
    --------
    >>> d = SyntheticData("demo", {"x": pd.DataFrame({"a": [1]})}, note="demo", seed=1, scale=1.0)
    >>> list(d), d["x"].attrs["synthetic"]
    (['x'], True)
    >>> d
    SyntheticData('demo', seed=1, scale=1.0, frames={'x': (1, 1)})
    """

    name: str
    frames: dict[str, pd.DataFrame]
    note: str
    seed: int
    scale: float
    attrs: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.attrs.update(synthetic=True, note=self.note, seed=self.seed, scale=self.scale)
        for key, frame in self.frames.items():
            frame.attrs.update(synthetic=True, note=self.note, seed=self.seed, scale=self.scale,
                               frame=key)

    def __repr__(self) -> str:
        shapes = {k: f.shape for k, f in self.frames.items()}
        return f"SyntheticData({self.name!r}, seed={self.seed}, scale={self.scale}, frames={shapes})"

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self.frames[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.frames)

    def __len__(self) -> int:
        return len(self.frames)

    def write_csv(self, folder: str | Path) -> list[Path]:
        """Write every frame as ``<folder>/<name>.csv`` (UTF-8, ``\\n`` line ends, no index).

        Returns
        -------
        list of pathlib.Path
            The files written, in the order of the frames.

        Examples
        --------
        >>> import tempfile
        >>> d = SyntheticData("demo", {"x": pd.DataFrame({"a": [1]})}, "demo", 1, 1.0)
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     [p.name for p in d.write_csv(tmp)]
        ['x.csv']
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for key, frame in self.frames.items():
            path = folder / f"{key}.csv"
            frame.to_csv(path, index=False, lineterminator="\n")
            paths.append(path)
        return paths


def load_bundled(name: str) -> dict[str, pd.DataFrame]:
    """Read the bundled synthetic data set ``"reset"``, ``"np"`` or ``"buitenshuis"`` from
    ``zorgeval/data/``.

    The files are the output of ``make_reset()`` / ``make_np()`` / ``make_buitenshuis()`` with
    the defaults (seed 2024, scale 1), written by ``examples/make_example_data.py``. CSV loses dtypes: dates come back
    as text and yes/no/unknown columns with only missing values as NaN.

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per CSV file, keyed by file name without ``.csv``; each marked synthetic.

    Examples
    --------
    >>> d = load_bundled("reset")
    >>> len(d["families"]), d["families"].attrs["synthetic"]
    (388, True)
    """
    if name not in DATA_SETS:
        raise ValueError(f"unknown bundled data set {name!r}; expected one of {DATA_SETS}")
    out = {}
    folder = resources.files("zorgeval") / "data" / name
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".csv"):
            with resources.as_file(entry) as path:
                frame = pd.read_csv(path)
            frame.attrs.update(synthetic=True, note=f"SYNTHETIC bundled data set {name!r}; "
                               "see zorgeval/data/README.md")
            out[entry.name[:-4]] = frame
    return out


def allocate(weights, n: int) -> np.ndarray:
    """Whole counts summing to ``n`` proportional to ``weights`` (largest remainder, ties first).

    Examples
    --------
    >>> allocate([70, 66, 97, 86, 52, 17], 388).tolist()
    [70, 66, 97, 86, 52, 17]
    >>> allocate([1, 1, 1], 4).tolist()
    [2, 1, 1]
    """
    w = np.asarray(weights, dtype=float)
    raw = w / w.sum() * n
    counts = np.floor(raw + 1e-9).astype(np.int64)
    short = n - int(counts.sum())
    if short > 0:
        order = np.argsort(-(raw - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


def scaled(n: int, scale: float) -> int:
    """``round(n * scale)``, at least 1; ``scale`` must be positive."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    return max(1, int(round(n * scale)))


def shuffled_labels(labels, counts, rng: np.random.Generator) -> np.ndarray:
    """An array with ``counts[i]`` copies of ``labels[i]``, in random order."""
    return rng.permutation(np.repeat(np.asarray(labels, dtype=object), counts))


def ranked_levels(latent: np.ndarray, levels, counts) -> np.ndarray:
    """Hand out ``counts[i]`` copies of ``levels[i]`` (ascending) in the order of ``latent``.

    The lowest latent values get the lowest level, so the marginal distribution is exactly
    ``counts`` while the levels depend on whatever the latent score depends on.

    Examples
    --------
    >>> ranked_levels(np.array([0.3, -1.0, 2.0]), [1, 2], [1, 2]).tolist()
    [2, 1, 2]
    """
    out = np.empty(len(latent), dtype=np.asarray(levels).dtype)
    out[np.argsort(latent, kind="stable")] = np.repeat(np.asarray(levels), counts)
    return out


#: The three states as shared string objects: arrays of states index into this, so a column of
#: millions of answers holds references to three strings rather than millions of copies.
TRI = np.array(["no", "yes", "unknown"], dtype=object)


def tri_codes(yes: np.ndarray, unknown: np.ndarray | None = None) -> np.ndarray:
    """yes / no / unknown from boolean masks (unknown wins), as references into :data:`TRI`.

    Examples
    --------
    >>> tri_codes(np.array([True, False, True]), np.array([False, False, True])).tolist()
    ['yes', 'no', 'unknown']
    """
    code = np.asarray(yes, dtype=np.int8)
    if unknown is not None:
        code = np.where(unknown, np.int8(2), code)
    return TRI[code]


def tri(n: int, p_yes, p_unknown, rng: np.random.Generator) -> np.ndarray:
    """``n`` draws of yes / no / unknown: unknown with ``p_unknown``, else yes with ``p_yes``."""
    u = rng.random(n)
    v = rng.random(n)
    return tri_codes(v < p_yes, u < p_unknown)


def dates(base: str, days: np.ndarray) -> pd.Series:
    """``base`` plus whole days, as datetime64 (NaN days give NaT)."""
    return pd.Series(pd.Timestamp(base) + pd.to_timedelta(days, unit="D"))


def ids(prefix: str, n: int) -> np.ndarray:
    """``prefix`` followed by 1 … n zero-padded to six digits (vectorised).

    Examples
    --------
    >>> ids("G", 2).tolist()
    ['G000001', 'G000002']
    """
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), 6))
