"""The folders zorgeval writes into: the report folder's manifest and the example project check.

A report run records the files it wrote in ``.zorgeval-manifest.json`` in the report folder. The
next run into that folder removes the files of the earlier run that it does not write again (a
figure or a table of a group the project no longer has), so the folder never mixes two runs.
A folder that is not empty and holds no manifest was not written by ``zorgeval report``; it is
refused unless ``force`` is given, and then nothing in it is removed. The example writer refuses
to overwrite files that differ from the ones it would write (an edited project file, say).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

import evalstats

__all__ = ["MANIFEST", "OutputFolderError", "differing_files", "finish_report_folder",
           "folder_files", "previous_report_files"]

#: The name of the manifest a report run writes into its folder.
MANIFEST = ".zorgeval-manifest.json"
WRITTEN_BY = "zorgeval report"


class OutputFolderError(ValueError):
    """An output folder that zorgeval does not write into without ``force``.

    Examples
    --------
    >>> issubclass(OutputFolderError, ValueError)
    True
    """


def _listed(name) -> bool:
    """Whether a manifest entry is a plain relative path inside the folder (not the manifest)."""
    if not isinstance(name, str) or not name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in name and name != MANIFEST


def folder_files(folder: str | Path) -> set[str]:
    """The files below ``folder`` as relative POSIX paths, the manifest left out.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "tables").mkdir()
    >>> _ = (folder / "tables" / "a.csv").write_text("x\\n")
    >>> sorted(folder_files(folder)), folder_files(folder / "missing")
    (['tables/a.csv'], set())
    """
    folder = Path(folder)
    if not folder.is_dir():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and p.relative_to(folder).as_posix() != MANIFEST}


def previous_report_files(folder: str | Path, force: bool = False) -> set[str]:
    """The files an earlier report run wrote into ``folder``, read from its manifest.

    A new or empty folder has none. A folder that holds files but no manifest was not written
    by ``zorgeval report``: an :class:`OutputFolderError` names it, unless ``force`` is true
    (then none of its files count as the earlier run's, so none is removed).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> previous_report_files(folder)
    set()
    >>> _ = (folder / "notes.txt").write_text("mine")
    >>> previous_report_files(folder)
    Traceback (most recent call last):
    ...
    zorgeval.folders.OutputFolderError: ...: the folder is not empty and holds no report of an earlier zorgeval run (no .zorgeval-manifest.json); ...
    >>> previous_report_files(folder, force=True)
    set()
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"{folder}: exists and is not a folder; choose a folder for the report")
    manifest = folder / MANIFEST
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            if data.get("written_by") != WRITTEN_BY or not isinstance(data.get("files"), list):
                raise ValueError(f"expected written_by = {WRITTEN_BY!r} and a list of files")
        except (ValueError, AttributeError) as exc:
            if force:
                return set()
            raise OutputFolderError(f"{manifest}: not a zorgeval report manifest ({exc}); remove "
                                    "it, or pass force=True (--force) to write the report "
                                    "without removing anything") from None
        return {name for name in data["files"] if _listed(name)}
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise OutputFolderError(
            f"{folder}: the folder is not empty and holds no report of an earlier zorgeval run "
            f"(no {MANIFEST}); choose a new or empty folder, or pass force=True (--force) to "
            "write into it (its files are kept)")
    return set()


def finish_report_folder(folder: str | Path, written: Iterable[str],
                         previous: Iterable[str]) -> list[str]:
    """Remove the files of the earlier run that this run did not write; record this run's files.

    ``written`` and ``previous`` are relative POSIX paths (``previous`` as returned by
    :func:`previous_report_files`). Folders left empty by the removal are removed too. Returns
    the removed files, sorted.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("report.html", "old.png"):
    ...     _ = (folder / name).write_text("x")
    >>> finish_report_folder(folder, ["report.html"], {"report.html", "old.png"})
    ['old.png']
    >>> sorted(p.name for p in folder.iterdir()), previous_report_files(folder)
    (['.zorgeval-manifest.json', 'report.html'], {'report.html'})
    """
    folder = Path(folder)
    written = sorted(set(written))
    removed = []
    for name in sorted(set(previous) - set(written)):
        path = folder / name
        if _listed(name) and path.is_file():
            path.unlink()
            removed.append(name)
            parent = path.parent
            while parent != folder and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    record = {"written_by": WRITTEN_BY, "version": evalstats.__version__, "files": written}
    (folder / MANIFEST).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return removed


def differing_files(folder: str | Path, contents: Mapping[str, bytes]) -> list[str]:
    """The files of ``contents`` (relative path to bytes) that exist in ``folder`` with other
    contents, sorted: what writing ``contents`` would overwrite.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "project.toml").write_bytes(b"edited")
    >>> differing_files(folder, {"project.toml": b"template", "data/a.csv": b"x"})
    ['project.toml']
    >>> differing_files(folder, {"project.toml": b"edited"})
    []
    """
    folder = Path(folder)
    return sorted(name for name, content in contents.items()
                  if (folder / name).exists()
                  and (not (folder / name).is_file() or (folder / name).read_bytes() != content))
