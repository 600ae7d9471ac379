"""The built-in ReSet and NP instruments against the dissertation they come from.

Counts, wording and every reference value are checked against the seed text itself
(``shared/seeds/003_52d41406753d5716.txt`` beside the repository); those tests skip when the file is absent.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from fidelity.instrument import Instrument
from fidelity.registry import get_instrument

# the dissertation text lies in shared/seeds/ beside the repository
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "003_52d41406753d5716.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="dissertation seed text not available")


@pytest.fixture(scope="module")
def reset() -> Instrument:
    return get_instrument("reset")


@pytest.fixture(scope="module")
def np_inst() -> Instrument:
    return get_instrument("np")


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    if not SEED.exists():  # a fixture runs before the test's own skip marks are looked at
        pytest.skip("dissertation seed text not available")
    return SEED.read_text(encoding="utf-8").split("\n")


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


# -- structure: counts per principle and category ------------------------------------------------

def test_reset_counts_per_principle(reset):
    by_principle = Counter(it.principle for it in reset.items)
    # chapter 4: ORG-1..16 in four subcategories, FACT1-9 and FACT10-14, the method items
    assert by_principle["ORG-START"] == 3
    assert by_principle["ORG-DOEL"] == 2
    assert by_principle["ORG-INT"] == 8
    assert by_principle["ORG-RES"] == 3
    assert by_principle["FACT-DB"] == 9
    assert by_principle["FACT-OV"] == 5
    assert by_principle["NWG"] == 4
    assert by_principle["EMP"] == 2
    assert by_principle["GEN"] == 2
    assert by_principle["ACT"] == 3
    assert by_principle["OOB"] == 1
    assert by_principle["MOD"] == 5  # five modules (4.12)
    assert by_principle["HM"] == 30  # thirty tools on the survey form (appendix 2)
    # VG1-VG4 of the chapter plus the begeleidingsovereenkomst item of the appendix
    assert sorted(it.code for it in reset.items_of(principle="VG")) == ["VG-X1", "VG1", "VG2", "VG3", "VG4"]
    # LD3-LD5 reported, LD1 is ORG-1, plus the appendix item on file inspection
    assert sorted(it.code for it in reset.items_of(principle="LD")) == ["LD-X1", "LD3", "LD4", "LD5"]
    assert reset.item("LD1").code == "ORG-1"


def test_reset_counts_per_category(reset):
    by_cat = Counter(it.category for it in reset.items)
    coded_org = [it.code for it in reset.items_of("ORG") if re.fullmatch(r"ORG-\d+", it.code)]
    assert coded_org == [f"ORG-{i}" for i in range(1, 17)]  # "zestien criteria" (line 4276)
    coded_fact = [it.code for it in reset.items_of("FACT") if re.fullmatch(r"FACT\d+", it.code)]
    assert coded_fact == [f"FACT{i}" for i in range(1, 15)]
    assert by_cat == {"ORG": 19, "FACT": 16, "METH": 21, "ZA": 35}
    # the PCA starts from 15 method items (line 5460)
    pca = [c for p in ("NWG", "VG", "EMP", "GEN", "ACT") for c in
           (it.code for it in reset.items_of(principle=p)) if not c.endswith("X1")]
    assert len(pca) == 15


@needs_seed
def test_reset_appendix_items_all_present(reset, seed_lines):
    """Every statement of appendix 2 is an item (ORG, FACT, method blocks: lines 14023-14153)."""
    texts = {_norm(it.text_nl) for it in reset.items}
    block = [ln.strip() for ln in seed_lines[14026:14153] if ln.strip()]
    headings = {"Zorgorganisatie", "Faciliteren", "Deskundigheidbevordering", "Collegiale ondersteuning",
                "Randvoorwaarden", "Laagdrempelig en persoonlijk", "Generalistisch",
                "Netwerk- en systeemgericht", "Vraaggericht", "Oplossingsgericht en/of empowerment",
                "Handeling- en gedragsgericht", "Out of the box"}
    statements = [s for s in block if s not in headings]
    assert len(statements) == 18 + 16 + 4 + 2 + 4 + 5 + 3 + 3 + 1
    assert [s for s in statements if _norm(s) not in texts] == []


def test_np_counts(np_inst):
    by_principle = Counter(it.principle for it in np_inst.items)
    assert dict(by_principle) == {"IP": 9, "HG": 9, "PL": 6, "GvW": 6, "VpG": 6, "KMG": 10, "INT": 7,
                                  "LD": 9, "OA": 9, "NwG": 11, "Org": 15, "FACT": 8}
    assert Counter(it.category for it in np_inst.items) == {"METH": 56, "INTAKE": 17, "ZORG": 24, "FACIL": 8}


@needs_seed
def test_np_codes_match_the_chapter_bullets(np_inst, seed_lines):
    text = "\n".join(seed_lines[8381:9700])
    found = set(re.findall(r"\(((?:IP|HG|PL|GvW|VpG|KMG|INT|LD|OA|NwG|Org|FACT)\d+)\)", text))
    assert found == set(np_inst.item_codes)


@needs_seed
def test_reset_chapter_bullets_match_codes(reset, seed_lines):
    text = "\n".join(seed_lines[4176:5430])
    assert len(set(re.findall(r"• (ORG-\d+) ", text))) == 16
    assert len(set(re.findall(r"• (FACT\d+) ", text))) == 14


# -- wording ------------------------------------------------------------------------------------

@needs_seed
@pytest.mark.parametrize("inst_id", ["reset", "np"])
def test_wording_verbatim_in_seed(inst_id, seed_lines):
    inst = get_instrument(inst_id)
    seed = _norm("\n".join(seed_lines))
    seed = re.sub(r"\s?\((?:IP|HG|PL|GvW|VpG|KMG|INT|LD|OA|NwG|Org|FACT)\d+\)", "", seed)
    missing = [it.code for it in inst.items if _norm(it.text_nl).rstrip(".") not in seed]
    assert missing == []
    labels = [it.code for it in inst.items if it.label_nl and it.label_nl not in seed]
    assert labels == []


# -- reference statistics, each one found in the seed ---------------------------------------------

# numbers printed with a footnote marker glued on (table 64: SD 1,40 + footnote 125)
FOOTNOTE_MARKERS = {"1,40125": "1,40 [125]"}


def _dutch_forms(x: float) -> set[str]:
    forms = set()
    for d in (1, 2):
        s = f"{x:.{d}f}"
        if abs(float(s) - x) < 1e-9:
            forms |= {s.replace(".", ","), s.replace(".", ",").lstrip("0") if x < 1 else s.replace(".", ",")}
            forms.add(s.lstrip("0") if x < 1 else s)  # "SD=.84" style
    if x == int(x):
        forms.add(str(int(x)))
    return forms


def _all_refs():
    for inst_id in ("reset", "np"):
        inst = get_instrument(inst_id)
        for it in inst.items:
            for r in it.reference:
                yield inst_id, it.code, r
        for p in inst.principles:
            for r in p.reference:
                yield inst_id, p.id, r
        for c in inst.categories:
            for r in c.reference:
                yield inst_id, c.id, r


ALL_REFS = list(_all_refs())


def test_reference_count():
    per = Counter(i for i, _, _ in ALL_REFS)
    assert per == {"reset": 363, "np": 128}


@needs_seed
@pytest.mark.parametrize("inst_id,code,ref", ALL_REFS, ids=[f"{i}-{c}-{r.group}" for i, c, r in ALL_REFS])
def test_reference_value_is_in_the_seed(inst_id, code, ref, seed_lines):
    m = re.search(r"lines? (\d+)(?:-(\d+))?", ref.source)
    assert m, f"{code}: source {ref.source!r} names no line"
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    text = " ".join(seed_lines[a - 1:b])
    for glued, separated in FOOTNOTE_MARKERS.items():
        text = text.replace(glued, separated)
    for what, value in (("mean", ref.mean), ("sd", ref.sd)):
        if value is None:
            continue
        forms = _dutch_forms(value)
        assert any(re.search(r"(?<![0-9,])" + re.escape(f) + r"(?![0-9])", text) for f in forms), \
            f"{inst_id} {code} {ref.group}: {what} {value} not found in seed lines {a}-{b}: {text!r}"
    if ref.n is not None:
        assert re.search(rf"(?<![0-9]){ref.n}(?![0-9])", text), f"{code} {ref.group}: n={ref.n}"


def test_reset_reference_groups(reset):
    org6 = {r.group: (r.mean, r.sd) for r in reset.item("ORG-6").reference}
    assert org6 == {"A": (5.0, 0.0), "B": (4.3, 1.0), "C": (4.9, 0.3), "D": (4.7, 0.5), "total": (4.75, None)}
    assert {r.group for r in reset.item("ACT2").reference} == {"A", "B", "C", "D"}  # no total in table 32
    # table 28 'Totaal' copies organisation D: recorded with a note
    ld3 = {r.group: r for r in reset.item("LD3").reference}
    assert (ld3["total"].mean, ld3["total"].sd) == (ld3["D"].mean, ld3["D"].sd)
    assert "repeats organisation D" in ld3["total"].note


def test_np_reference_locations(np_inst):
    ld8 = {r.group: (r.n, r.mean, r.sd) for r in np_inst.item("LD8").reference}
    assert ld8 == {"total": (None, 3.84, 1.83), "A": (27, 4.30, 2.05), "B": (18, 3.17, 1.20)}
    ld2 = {r.group: r.n for r in np_inst.item("LD2").reference}
    assert ld2["A"] + ld2["B"] == 53


# -- scales, thresholds and bands at their edges ---------------------------------------------------

def test_reset_scales(reset):
    assert reset.scale_of("LD3").values == [1, 2, 3, 4, 5]
    assert [reset.scale_of(f"FACT{i}").values for i in range(1, 10)] == [[1, 2, 3, 4]] * 9
    assert reset.scale_of("FACT13").values == [1, 2, 3, 4]
    assert [c.nl for c in reset.scale_of("FACT14").codes] == ["nee", "enigszins", "ja"]
    assert [reset.scale_of(f"FACT{i}").max for i in (10, 11, 12)] == [5, 5, 5]


@pytest.mark.parametrize("value,met", [(3.99, False), (4.0, True), (4.01, True)])
def test_reset_instrument_threshold_edge(reset, value, met):
    assert reset.meets_threshold(value) is met
    assert reset.meets_threshold(value, "LD3") is met
    assert reset.meets_threshold(value, "FACT10") is met


@pytest.mark.parametrize("code", [f"FACT{i}" for i in range(1, 10)])
def test_reset_fact_items_threshold_3(reset, code):
    assert reset.meets_threshold(2.99, code) is False
    assert reset.meets_threshold(3.0, code) is True
    assert reset.band(3.0, code) == "fidelity"
    assert reset.band(2.99, code) == "below"
    assert reset.band(4.0, code, "vugt2015") is None  # 5-point bands never apply to 4-point items


@pytest.mark.parametrize("code", ["FACT13", "FACT14"])
def test_reset_items_without_threshold(reset, code):
    assert reset.threshold_for(code) is None
    assert reset.meets_threshold(3.0, code) is None
    assert reset.band(2.0, code) is None
    assert reset.band(2.0, code, "vugt2015") is None


@pytest.mark.parametrize("value,wolf,vugt", [
    (3.59, "below", "low"), (3.6, "below", "moderate"), (3.99, "below", "moderate"),
    (4.0, "fidelity", "moderate"), (4.05, "fidelity", "gap"), (4.0999, "fidelity", "gap"),
    (4.1, "fidelity", "high"), (5.0, "fidelity", "high"), (1.0, "below", "low"),
])
def test_reset_band_sets_at_edges(reset, value, wolf, vugt):
    assert reset.band(value) == wolf
    assert reset.band(value, "LD3", "fidelity") == wolf
    assert reset.band(value, band_set="vugt2015") == vugt
    assert reset.band(value, "ORG-1", "vugt2015") == vugt


def test_band_sets_are_restricted_to_the_5_point_scale(reset):
    assert {b.id: b.scale for b in reset.band_sets} == {"fidelity": "s5", "vugt2015": "s5"}


@pytest.mark.parametrize("value,met,band", [(4.99, False, "below"), (5.0, True, "fidelity"), (7.0, True, "fidelity")])
def test_np_threshold_edge(np_inst, value, met, band):
    assert np_inst.meets_threshold(value, "IP1") is met
    assert np_inst.band(value, "IP1") == band


# -- reverse keying, exclusions, aliases, background ----------------------------------------------

def test_np_ld8_is_not_reverse_keyed_as_in_the_seed(np_inst):
    ld8 = np_inst.item("LD8")
    assert "onbelangrijk" in ld8.text_nl
    assert ld8.reverse is False
    assert "NOT reverse-keyed" in ld8.note
    assert [it.code for it in np_inst.items if it.reverse] == []
    x = np.array([1, 4, 7])
    assert np_inst.reverse_codes("LD8", x).tolist() == [1, 4, 7]


def test_reverse_keying_when_declared(np_inst):
    data = json.loads(np_inst.model_dump_json())
    for it in data["items"]:
        if it["code"] == "LD8":
            it["reverse"] = True
    keyed = Instrument.model_validate(data)
    assert keyed.reverse_codes("LD8", np.array([1, 2, 4, 7])).tolist() == [7, 6, 4, 1]
    assert keyed.reverse_codes("LD7", np.array([1, 7])).tolist() == [1, 7]


def test_reset_excluded_items(reset):
    excluded = {it.code: it.excluded for it in reset.items if it.excluded}
    assert set(excluded) == {"ORG-DB1", "ORG-DB2"}
    assert all("double-barrelled" in r for r in excluded.values())
    bgo = reset.item("VG-X1")
    assert bgo.excluded is None and "begeleidingsovereenkomst" in bgo.text_nl
    assert "PCA only" in bgo.note


def test_np_npt_exclusion(np_inst):
    (ex,) = np_inst.exclusions
    assert ex.items == [f"INT{i}" for i in range(1, 8)]
    assert ex.n_respondents == 8 and "NPT" in ex.respondents
    assert "13 items" in ex.note and "4 method items" in ex.note


def test_background(reset, np_inst):
    bg = {q.id: q for q in reset.background}
    assert bg["age_band"].options == ["20-30", "30-40", "40-50", "50+"]
    assert sum(bg["age_band"].counts.values()) == 71
    assert bg["education"].options == ["MBO", "HBO", "WO"]
    assert sum(bg["education"].counts.values()) == 71
    assert sum(bg["sex"].counts.values()) == 71
    assert bg["years_experience"].kind == "number"
    nbg = {q.id: q for q in np_inst.background}
    assert nbg["sex"].counts == {"man": 18, "vrouw": 35}
    assert sum(nbg["age_band"].counts.values()) == 53


def test_aliases_are_unique_across_codes():
    with pytest.raises(ValueError, match="duplicate item code or alias"):
        Instrument.model_validate({
            "id": "x", "name": "x", "default_scale": "s", "threshold": {"value": 1},
            "scales": [{"id": "s", "codes": [{"value": 1, "nl": "a", "en": "a"}, {"value": 2, "nl": "b", "en": "b"}]}],
            "categories": [{"id": "C", "nl": "c"}],
            "items": [{"code": "A1", "text_nl": "a", "category": "C"},
                      {"code": "A2", "aliases": ["A1"], "text_nl": "b", "category": "C"}]})


def test_threshold_and_no_threshold_exclusive():
    with pytest.raises(ValueError, match="either threshold or no_threshold"):
        Instrument.model_validate({
            "id": "x", "name": "x", "default_scale": "s", "threshold": {"value": 1},
            "scales": [{"id": "s", "codes": [{"value": 1, "nl": "a", "en": "a"}, {"value": 2, "nl": "b", "en": "b"}]}],
            "categories": [{"id": "C", "nl": "c"}],
            "items": [{"code": "A1", "text_nl": "a", "category": "C", "threshold": {"value": 1.5},
                       "no_threshold": "none"}]})


def test_exclusion_must_name_known_items(np_inst):
    data = json.loads(np_inst.model_dump_json())
    data["exclusions"][0]["items"] = ["INT1", "INT99"]
    with pytest.raises(ValueError, match=r"exclusion 'npt-team': unknown items \['INT99'\]"):
        Instrument.model_validate(data)


# -- serialisation ---------------------------------------------------------------------------

@pytest.mark.parametrize("inst_id", ["reset", "np"])
def test_json_round_trip(inst_id):
    inst = get_instrument(inst_id)
    again = Instrument.model_validate_json(inst.model_dump_json())
    assert again == inst


@needs_seed
def test_reset_table_values_sit_in_their_group_column(reset, seed_lines):
    """Tables 22-33 print one 'M=..; SD=..' cell per organisation A-D, then the total: the
    value of each group must come from its own column of the cited row."""
    order = ["A", "B", "C", "D", "total"]
    owners = [(it.code, it.reference) for it in reset.items] + [(p.id, p.reference) for p in reset.principles]
    checked = 0
    for code, refs in owners:
        for r in refs:
            m = re.fullmatch(r"table (2[2-9]|3[0-3])(?: '[^']*' row)? \(line (\d+)\)", r.source)
            if not m:
                continue
            cells = re.findall(r"M=([0-9],[0-9]+)(?:; SD=([0-9](?:,[0-9]+)?))?", seed_lines[int(m.group(2)) - 1])
            mean, sd = cells[order.index(r.group)]
            assert float(mean.replace(",", ".")) == r.mean, (code, r)
            assert (float(sd.replace(",", ".")) if sd else None) == r.sd, (code, r)
            checked += 1
    assert checked == 16 * 5 + 14 * 5 + 3 * 5 + 4 * 5 + 4 * 5 + 2 * 5 + 3 * 4 + 2 * 5 + 3 * 5


@needs_seed
def test_reset_appendix14_values_belong_to_their_organisation(reset, seed_lines):
    """Appendix 14 prints 'Instelling X [bekend bij n personen] (M=..; SD=..)' entries."""
    checked = 0
    for it in reset.items_of(principle="HM"):
        for r in it.reference:
            n = int(re.search(r"line (\d+)", r.source).group(1))
            text = seed_lines[n - 1]
            m = re.search(rf"Instelling {r.group}(?: bekend bij (\d+) person(?:en|e))?\s*\(M=([0-9],[0-9]+)\)?;? ?SD=([0-9],[0-9]+)", text)
            assert m, (it.code, r)
            assert (int(m.group(1)) if m.group(1) else None) == r.n
            assert float(m.group(2).replace(",", ".")) == r.mean
            assert float(m.group(3).replace(",", ".")) == r.sd
            checked += 1
    assert checked == 22 * 4 + 2 + 3
