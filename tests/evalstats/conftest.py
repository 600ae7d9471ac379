"""Shared helpers of the evalstats tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def regenerates_identically(tmp_path):
    """Check that a committed R script writes its committed fixtures again, byte for byte.

    Call it with the fixture folder, the script's name and the R packages it needs (named in
    the skip when R lacks them); ``names`` limits the comparison to those files (default: every
    CSV and JSON file of the folder, which the script must write all of).
    """

    def check(folder: Path, script: str, packages: str, names=None, timeout: int = 300) -> None:
        if shutil.which("Rscript") is None:
            pytest.skip("Rscript not installed")
        shutil.copy(folder / script, tmp_path)
        done = subprocess.run(["Rscript", script], cwd=tmp_path, capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode != 0 and "there is no package called" in done.stderr:
            pytest.skip(f"R packages {packages} not installed")
        assert done.returncode == 0, done.stderr
        if names is None:
            written = sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".csv", ".json"))
            names = sorted(p.name for p in folder.iterdir() if p.suffix in (".csv", ".json"))
            assert written == names
        for name in names:
            assert (tmp_path / name).read_text() == (folder / name).read_text(), name

    return check
