"""The committed model fixtures are exactly what make_models.R writes (live; skipped without R)."""

from pathlib import Path

FIX = Path(__file__).parents[1] / "fixtures" / "models"


def test_fixtures_regenerate_identically(regenerates_identically):
    regenerates_identically(FIX, "make_models.R", "car/jsonlite", timeout=120)
