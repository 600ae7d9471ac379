"""The costs sections of the report: English and Dutch, expert-estimate labels, suppression."""

from __future__ import annotations

import pandas as pd
import pytest

import zorgeval
from zorgeval.project import ProjectError, load_project
from zorgeval.report import build_report


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    project = zorgeval.write_example("costs", tmp_path_factory.mktemp("costs"))
    return zorgeval.run_evaluation(project, quiet=True)


@pytest.mark.parametrize("lang, titles, estimate", [
    ("en", ["1. Costs and case comparison (Effectencalculator)", "2. Budget per family"],
     "expert estimate"),
    ("nl", ["1. Kosten en casusvergelijking (Effectencalculator)", "2. Budget per gezin"],
     "expertschatting"),
])
def test_both_languages_label_every_amount_as_an_expert_estimate(evaluation, tmp_path, lang,
                                                                 titles, estimate):
    rep = build_report(evaluation, tmp_path, lang=lang)
    assert [s.title for s in rep.sections] == titles
    tables = {t.key: t for t in rep.tables()}
    for key in ("costs_comparison", "costs_lines", "costs_budget"):
        frame = tables[key].frame
        money = [c for c in frame.columns if frame[c].astype(str).str.startswith("€ ").any()]
        assert money and all(estimate in c for c in money), (key, money)
    other = "expertschatting" if lang == "en" else "expert estimate"
    text = " ".join(" ".join(t.frame.columns) for t in rep.tables())
    assert other not in text


def test_the_cases_per_pilot_are_protected_and_the_case_tables_show_no_pilot(evaluation, tmp_path):
    rep = build_report(evaluation, tmp_path, lang="en", min_cell=3)
    tables = {t.key: t for t in rep.tables()}
    per_pilot = tables["costs_per_pilot"].frame.set_index("Pilot")["Cases"]
    # 1, 2, 2, 3 cases per pilot with the total of 8 shown: the small cells hidden, and one more
    # so that none follows from the total
    assert per_pilot["Total"] == "8"
    assert per_pilot["Integraal 0-6-team in de wijk"] == "<3"
    assert per_pilot["Beter Thuis Den Haag en omgeving"] == "3"
    assert (per_pilot == "<3").sum() == 3
    for key in ("costs_comparison", "costs_attendance", "costs_patterns", "costs_lines"):
        assert not any("Pilot" == c for c in tables[key].frame.columns)
        assert not tables[key].frame.isin(list(per_pilot.index)).any().any()


def test_not_costable_cases_show_no_amount(evaluation, tmp_path):
    rep = build_report(evaluation, tmp_path, lang="nl")
    frame = {t.key: t for t in rep.tables()}["costs_comparison"].frame.set_index("Casus")
    row = frame.loc["case 3"]
    assert row["Status"] == "niet te berekenen"
    assert row["Niet te berekenen omdat"] == "pilot: insufficient information on the costs incurred"
    assert (row.filter(like="expertschatting") == "").all()
    assert frame.loc["case 1", "Kosten pilot (expertschatting)"] == "€ 20.000"


def test_exported_tables_keep_the_exact_amounts(evaluation, tmp_path):
    zorgeval.write_report(evaluation, tmp_path / "out")
    t = pd.read_csv(tmp_path / "out" / "tables" / "costs_comparison.csv", dtype=str)
    row = t.set_index("Case").loc["case 6"]
    assert row["Pilot cost (expert estimate)"] == "30200.00"
    assert row["Difference, low–high (expert estimate): high"] == "22100.00"


def test_a_costs_project_names_missing_and_outside_files(tmp_path):
    (tmp_path / "p.toml").write_text('[costs]\ncases = "c.toml"\nunit_costs = "../u.csv"\n')
    with pytest.raises(ProjectError) as err:
        load_project(tmp_path / "p.toml")
    assert "costs.unit_costs: ../u.csv is outside the project folder" in str(err.value)
    (tmp_path / "q.toml").write_text('[costs]\ncases = "c.toml"\nunit_costs = "u.csv"\n')
    with pytest.raises(ProjectError, match="costs.cases: file not found"):
        load_project(tmp_path / "q.toml")
