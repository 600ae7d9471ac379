"""The committed model fixtures are exactly what make_models.R writes (live; skipped without R)."""

import shutil
import subprocess
from pathlib import Path

import pytest

FIX = Path(__file__).parents[1] / "fixtures" / "models"


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript not installed")
def test_fixtures_regenerate_identically(tmp_path):
    shutil.copy(FIX / "make_models.R", tmp_path)
    done = subprocess.run(
        ["Rscript", "make_models.R"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0 and "there is no package called" in done.stderr:
        pytest.skip("R packages car/jsonlite not installed")
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".csv", ".json"))
    committed = sorted(p.name for p in FIX.iterdir() if p.suffix in (".csv", ".json"))
    assert written == committed
    for name in written:
        assert (tmp_path / name).read_text() == (FIX / name).read_text(), name
