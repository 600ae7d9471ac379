"""The repeated-measurements project: pipeline step, report sections in English and Dutch,
small-cell suppression, errors naming the row."""

from __future__ import annotations

import re
from importlib import resources

import pandas as pd
import pytest

from evalstats.errors import DataValidationError
from zorgeval.pipeline import run_evaluation
from zorgeval.project import ProjectError, load_project, write_example
from zorgeval.report import build_report, write_report


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    path = write_example("buitenshuis", tmp_path_factory.mktemp("bh"))
    return path, run_evaluation(load_project(path), quiet=True)


@pytest.mark.parametrize(("lang", "titles"), [
    ("en", ["Data", "1. Repeated measurements: response and attrition", "2. Outcomes per wave",
            "3. Satisfaction", "4. Change against T0 (linear mixed models)"]),
    ("nl", ["Gegevens", "1. Herhaalde metingen: respons en uitval", "2. Uitkomsten per meting",
            "3. Tevredenheid", "4. Verandering ten opzichte van T0 (lineair mixed models)"]),
])
def test_report_sections_in_both_languages(example, tmp_path, lang, titles):
    _, ev = example
    rep = build_report(ev, tmp_path, lang=lang)
    assert [s.title for s in rep.sections] == titles
    keys = [t.key for t in rep.tables()]
    assert keys[:2] == ["data_files", "waves_response"]
    assert sum(k.startswith("waves_model_") for k in keys) == 7
    assert (tmp_path / "waves_who5_total.png").is_file()
    text = " ".join(t.title + t.note + " ".join(t.sentences) for t in rep.tables())
    if lang == "nl":
        for english in ("mean", "problematic", "measurements of", "Change against"):
            assert english not in text
    else:
        for dutch in ("gemiddelde", "metingen", "meting"):
            assert dutch not in text.lower().split()


def test_small_cells_are_suppressed_and_sentences_follow(example, tmp_path):
    _, ev = example
    rep = build_report(ev, tmp_path, lang="en", min_cell=20)
    tables = {t.key: t for t in rep.tables()}
    resp = tables["waves_response"].frame.set_index("")
    assert resp.loc["Children measured", "T0"] == "92 (100.0)"
    assert resp.loc["Parents measured", "T4"] == "<20"
    pedsql = tables["waves_pedsql_total"]
    t4 = pedsql.frame.set_index("Wave").loc["T4"]
    assert t4["N"] == "21" and t4["Mean"] != "–"
    oreac = tables["waves_parenting_scale_overreactivity"].frame.set_index("Wave").loc["T4"]
    assert oreac["N"] == "<20" and oreac["Mean"] == "–" and oreac["% problematic"] == "–"
    # a share problematic of a small group is hidden, and no sentence gives it back
    assert tables["waves_parenting_scale_overreactivity"].sentences == []
    grades = tables["satisfaction_buitenshuis_child"].frame.set_index("Statement")
    assert grades.loc["Mean grade (1-10)", "T4"] == "–"
    assert tables["satisfaction_buitenshuis_child"].sentences == []
    model = tables["waves_model_who5_total"].frame.set_index("")
    assert model.loc["T4", "n"] == "<20"
    hidden_pct = ev.waves.by_wave[-1][2].table.set_index("wave").loc["T4", "pct_problematic"]
    body = " ".join(" ".join(t.sentences) for t in rep.tables())
    assert f"{hidden_pct:.1f}%" not in body


def test_nothing_dropped_without_a_count(example, tmp_path):
    _, ev = example
    rep = build_report(ev, tmp_path, lang="en")
    sec = rep.sections[1]
    paras = [b.text for b in sec.blocks if not hasattr(b, "key")]
    assert any(re.match(r"PedsQL .*: \d+ rows of children; not measured with it \d+", p)
               for p in paras)
    who5 = next(m for m in ev.waves.models if m.scores.instrument.id == "who5")
    note = next(t for t in rep.tables() if t.key == "waves_model_who5_total").note
    assert f"{who5.model.n_dropped} measurements left out" in note


def _project(tmp_path, frame: pd.DataFrame, extra: str = "") -> object:
    frame.to_csv(tmp_path / "m.csv", index=False)
    (tmp_path / "p.toml").write_text(f'[waves]\nfile = "m.csv"\nmodels = false\n{extra}',
                                     encoding="utf-8")
    return load_project(tmp_path / "p.toml")


def test_bad_rows_are_named_with_their_line(example, tmp_path):
    path, _ = example
    m = pd.read_csv(path.parent / "data" / "measurements.csv")
    bad = m.copy()
    bad.loc[3, "wave"] = "T9"
    with pytest.raises(DataValidationError) as err:
        run_evaluation(_project(tmp_path, bad), quiet=True)
    # the row is the line of the CSV file (header = line 1)
    assert "row 5, column 'wave': got 'T9'" in str(err.value)
    assert "step: repeated measurements" in "".join(err.value.__notes__)
    child = m.index[(m["role"] == "child") & m["pedsql_1"].notna()][0]
    wrong = m.copy()
    wrong.loc[wrong["person"] == m.loc[child, "person"], "role"] = "parent"
    with pytest.raises(DataValidationError, match=rf"row {child + 2}, column 'role'.*child "
                                                  r"\(pedsql is answered on this row"):
        run_evaluation(_project(tmp_path, wrong), quiet=True)
    old = m.copy()
    old.loc[child, "age"] = 25.0
    with pytest.raises(DataValidationError, match=rf"row {child + 2}, column 'age'.*within 2-18"):
        run_evaluation(_project(tmp_path, old), quiet=True)


def test_cutoff_setting_in_the_project(example, tmp_path):
    path, ev = example
    m = pd.read_csv(path.parent / "data" / "measurements.csv")
    setting = ('instruments = ["parenting_scale"]\n[waves.cutoffs.parenting_scale]\n'
               'laxness = { direction = "below", inclusive = false }\n')
    flipped = run_evaluation(_project(tmp_path, m, setting), quiet=True)
    a = next(r for i, s, r in ev.waves.by_wave if s == "laxness").table
    b = next(r for i, s, r in flipped.waves.by_wave if s == "laxness").table
    # below 2.8 instead of at or above: every scored parent with a cut-off changes side
    assert (a["n_problematic"] + b["n_problematic"] == a["n_cutoff"]).all()
    with pytest.raises(ProjectError, match="waves.cutoffs.parenting_scale.laxness.direction"):
        _project(tmp_path, m, setting.replace('"below"', '"under"'))


def test_a_survey_needs_an_instrument(tmp_path):
    (tmp_path / "s.csv").write_text("respondent\n", encoding="utf-8")
    (tmp_path / "p.toml").write_text('[survey]\nfile = "s.csv"\n', encoding="utf-8")
    with pytest.raises(ProjectError, match="needed with a \\[survey\\] section"):
        load_project(tmp_path / "p.toml")


def test_an_instrument_file_relative_to_the_project(example, tmp_path):
    path, ev = example
    m = pd.read_csv(path.parent / "data" / "measurements.csv")
    own = tmp_path / "instruments" / "who5_copy.toml"
    own.parent.mkdir()
    own.write_text(resources.files("outcomes").joinpath("instruments", "who5.toml").read_text(
        encoding="utf-8"), encoding="utf-8")
    project = _project(tmp_path, m, 'instruments = ["instruments/who5_copy.toml"]\n')
    assert project.waves.instruments == [str(own.resolve())]
    mine = run_evaluation(project, quiet=True)
    a = next(r for i, s, r in ev.waves.by_wave if i == "who5").table
    b = next(r for i, s, r in mine.waves.by_wave if i == "who5").table
    pd.testing.assert_frame_equal(a, b)  # the copy scores as the built-in instrument


def test_background_table_reproduces_the_seed_counts(example, tmp_path):
    _, ev = example
    t = ev.waves.background.table.set_index(["role", "variable", "category"])["n"]
    # the synthetic children at T0 have the seed's table 2: 39 girls, 53 boys, ages by band
    assert t[("child", "sex", "girl")] == 39 and t[("child", "sex", "boy")] == 53
    assert [t[("child", "age", b)] for b in ("0–1", "2–7", "8–11", "12–17")] == [20, 39, 26, 7]
    write_report(ev, tmp_path / "out", lang="nl")
    tab = pd.read_csv(tmp_path / "out" / "tables" / "waves_background.csv", dtype=str)
    assert {"Kenmerk", "Categorie"} <= set(tab.columns)
    assert "onbekend" in set(tab["Categorie"])
