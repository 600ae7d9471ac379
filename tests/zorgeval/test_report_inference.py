"""The report's threshold verdict setting (plain / ci) in English and Dutch."""

from __future__ import annotations

import tempfile
from importlib import resources

import pandas as pd
import pytest

from fidelity import score_survey
from zorgeval.pipeline import run_evaluation
from zorgeval.project import Project, ReportSection
from zorgeval.report import build_report


@pytest.fixture(scope="module")
def survey_file():
    with resources.as_file(resources.files("fidelity") / "data" / "reset_survey.csv") as f:
        yield f


def _fidelity_tables(survey_file, verdict, lang, min_cell=5):
    project = Project(instrument="reset", factors={"workflow": "none"},
                      survey={"file": survey_file, "groups": ["organisation"]},
                      report={"verdict": verdict, "min_cell": min_cell})
    ev = run_evaluation(project, quiet=True)
    rep = build_report(ev, tempfile.mkdtemp(), lang=lang)
    return ev, [tab for tab in rep.tables() if tab.key.startswith("fidelity_category")]


def test_plain_is_the_default_and_shows_no_interval(survey_file):
    assert ReportSection().verdict == "plain"
    _, tables = _fidelity_tables(survey_file, "plain", "en")
    assert tables and not any("CI" in c for tab in tables for c in tab.frame.columns)


@pytest.mark.parametrize(("lang", "ci", "verdict", "words"), [
    ("en", "Total: 95% CI", "Total: verdict", ("met", "not met", "undecided")),
    ("nl", "Totaal: 95%-BI", "Totaal: oordeel", ("gehaald", "niet gehaald", "onbeslist")),
])
def test_ci_verdict_columns_agree_with_threshold_ci(survey_file, lang, ci, verdict, words):
    ev, tables = _fidelity_tables(survey_file, "ci", lang)
    tab = tables[0]
    frame = tab.frame
    assert ci in frame.columns and verdict in frame.columns
    assert ("95%" in tab.note) and (("undecided" in tab.note) if lang == "en" else ("onbeslist" in tab.note))
    exact = ev.scores.threshold_ci("organisation", "category").table
    total = exact[exact["group"] == "Total"].set_index("variable")
    first = frame.columns[0]
    for _, row in frame.iterrows():
        v = row[first]
        if v not in total.index:
            assert row[verdict] == ""  # a category without a threshold
            continue
        r = total.loc[v]
        assert row[ci].value == pytest.approx((r["ci_low"], r["ci_high"]), rel=1e-12)
        assert row[verdict].split(" (")[0] == dict(zip(("met", "not met", "undecided"), words, strict=True))[r["verdict"]]


def test_small_groups_show_no_interval(survey_file):
    # with min_cell above every organisation's size, only the total keeps its interval
    sizes = score_survey(pd.read_csv(survey_file), "reset",
                         groups=["organisation"]).group_sizes("organisation")
    _, tables = _fidelity_tables(survey_file, "ci", "en", min_cell=int(sizes.max()) + 1)
    frame = tables[0].frame
    group_cols = [c for c in frame.columns if c.startswith("organisation ") and c.endswith("CI")]
    assert group_cols and (frame[group_cols] == "–").all().all()
    assert (frame["Total: 95% CI"] != "–").any()


def test_factor_bootstrap_in_the_pipeline_and_report(project_file, tmp_path):
    # the conftest project with [models] factor_bootstrap: one bootstrap per goal whose model
    # has the factor scores F1, F2; the full-sample slopes are the factorial model's
    from zorgeval.project import load_project

    text = project_file.read_text(encoding="utf-8").replace(
        "[models]\n", "[models]\nfactor_bootstrap = 60\nbootstrap_seed = 3\n")
    path = project_file.parent / "project_boot.toml"
    path.write_text(text, encoding="utf-8")
    ev = run_evaluation(load_project(path), quiet=True)
    assert ev.factor_bootstraps
    for cat, boot in ev.factor_bootstraps.items():
        entry = next(e for e in ev.overall.entries if e.category == cat and e.step == "factorial")
        params = entry.result.parameters.set_index("parameter")["B"]
        t = boot.table.set_index("term")
        for term in ("F1", "F2"):
            assert t.loc[term, "B"] == pytest.approx(params[term], rel=1e-8)
        assert boot.n_ok + boot.n_failed == 60
    for lang, words in (("en", "bootstrap over practitioners"), ("nl", "bootstrap over begeleiders")):
        rep = build_report(ev, tempfile.mkdtemp(), lang=lang)
        boots = [tab for tab in rep.tables() if tab.key.startswith("overall_bootstrap_")]
        assert boots and all(words in tab.title for tab in boots)
        paragraphs = [b.text for s in rep.sections for b in s.blocks if hasattr(b, "text")]
        assert any(("Skrondal & Laake 2001" in p) for p in paragraphs)
    # off by default
    assert run_evaluation(load_project(project_file), quiet=True).factor_bootstraps == {}
