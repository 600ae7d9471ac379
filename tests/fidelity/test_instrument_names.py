"""Dutch and English names of instruments and bands, with their fallbacks."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

from fidelity import get_instrument
from fidelity.instrument import Band, Instrument

# the dissertation text lies in shared/seeds/ beside the repository
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "003_52d41406753d5716.txt"


def _user_instrument(**extra) -> Instrument:
    return Instrument.model_validate({
        "id": "demo", "name": "Demo survey", "default_scale": "s5", "threshold": {"value": 4.0},
        "scales": [{"id": "s5", "codes": [{"value": v, "nl": str(v), "en": str(v)}
                                           for v in range(1, 6)]}],
        "band_sets": [{"id": "b", "bands": [
            {"label": "low", "upper": 4.0},
            {"label": "ok", "en": "at fidelity", "lower": 4.0, "upper": 6.0},
            {"label": "top", "en": "top", "nl": "top", "lower": 6.0, "upper": 7.0}]}],
        "default_band_set": "b",
        "categories": [{"id": "M", "nl": "Methode"}],
        "items": [{"code": "M1", "text_nl": "a", "category": "M"}], **extra})


@pytest.mark.parametrize("inst, nl", [("reset", "Modelgetrouwheid-enquête ReSet"),
                                      ("np", "Modelgetrouwheid-enquête Nieuwe Perspectieven")])
def test_builtin_display_names(inst, nl):
    i = get_instrument(inst)
    assert i.display_name("nl") == nl
    assert i.display_name("en") == i.name != nl


def test_user_instrument_without_dutch_name_falls_back_to_english():
    assert _user_instrument().display_name("nl") == "Demo survey"
    assert _user_instrument(name_nl="   ").display_name("nl") == "Demo survey"
    assert _user_instrument(name_nl=" Demo-enquête ").display_name("nl") == "Demo-enquête"
    with pytest.raises(ValueError, match="lang"):
        _user_instrument().display_name("de")


def test_empty_name_is_rejected_naming_the_field():
    with pytest.raises(pydantic.ValidationError, match="name must not be empty"):
        _user_instrument(name=" ")


def test_band_name_fallbacks():
    inst = _user_instrument()
    # no Dutch name: the English one, then the label
    assert [inst.band_name(x, "nl") for x in ("low", "ok", "top")] == ["low", "at fidelity", "top"]
    assert inst.band_name("unknown-label", "nl") == "unknown-label"
    assert Band(label="x", nl="iks").name("en") == "iks"


@pytest.mark.parametrize("inst", ["reset", "np"])
def test_every_builtin_band_has_a_dutch_name(inst):
    i = get_instrument(inst)
    for bs in i.band_sets:
        for b in bs.bands:
            assert b.nl and b.nl != b.label and i.band_name(b.label, "nl", band_set=bs.id) == b.nl


@pytest.mark.skipif(not SEED.exists(), reason="dissertation seed text not available")
def test_reset_dutch_band_names_are_the_seed_terms():
    # lines 4181-4186: "niet modelgetrouw", "modelgetrouwheid", "hoge ... matige modelgetrouwheid"
    text = " ".join(SEED.read_text(encoding="utf-8").splitlines()[4180:4186])
    i = get_instrument("reset")
    names = {b.label: b.nl for bs in i.band_sets for b in bs.bands}
    # band name -> the phrase of the seed it is taken from
    phrases = {"below": ("niet modelgetrouw", "niet modelgetrouw"),
               "fidelity": ("modelgetrouw", "modelgetrouwheid"),
               "moderate": ("matig", "matige modelgetrouwheid"),
               "high": ("hoog", "hoge modelgetrouwheid")}
    for label, (name, phrase) in phrases.items():
        assert names[label] == name and phrase in text, label
