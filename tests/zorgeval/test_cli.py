"""The zorgeval console command: every subcommand, and user errors without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from zorgeval.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _err(capsys) -> str:
    return capsys.readouterr().err


def test_report_command(project_file, tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["report", str(project_file), "-o", str(out), "--lang", "nl", "-q"]) == 0
    assert (out / "report.html").is_file() and (out / "report.md").is_file()
    assert "## 1. Modelgetrouwheid" in (out / "report.md").read_text(encoding="utf-8")
    assert "report written to" in capsys.readouterr().out


def test_score_survey_command(project_file, tmp_path, capsys):
    out = tmp_path / "scores"
    data = project_file.parent / "survey.csv"
    assert main(["score-survey", "--instrument", "reset", str(data), "--group", "organisation",
                 "-o", str(out)]) == 0
    items = pd.read_csv(out / "item_stats.csv")
    assert items["n"].max() == 71
    assert (out / "comparison_organisation_principle.csv").is_file()
    assert "N = 71 respondents" in capsys.readouterr().out


def test_score_survey_partial_survey(project_file, tmp_path, capsys):
    data = tmp_path / "partial.csv"
    full = pd.read_csv(project_file.parent / "survey.csv")
    full[["respondent", "organisation", "LD3", "LD4", "LD5"]].to_csv(data, index=False)
    args = ["score-survey", "--instrument", "reset", str(data), "--group", "organisation"]
    assert main([*args, "-o", str(tmp_path / "a")]) == 1
    assert "column 'ORG-1': got 'missing column'" in capsys.readouterr().err
    assert main([*args, "-o", str(tmp_path / "b"), "--missing-items", "skip"]) == 0
    assert pd.read_csv(tmp_path / "b" / "item_stats.csv")["item"].tolist() == ["LD3", "LD4", "LD5"]


def test_factors_command(project_file, tmp_path, capsys):
    out = tmp_path / "factors"
    data = project_file.parent / "survey.csv"
    assert main(["factors", "--instrument", "reset", str(data), "--group", "organisation",
                 "-o", str(out), "--items", "LD3", "LD4", "LD5", "NWG1", "NWG2", "NWG3", "NWG4",
                 "--remove", "NWG1=differs in content"]) == 0
    steps = pd.read_csv(out / "steps.csv")
    assert steps.iloc[0]["item"] == "NWG1" and steps.iloc[0]["action"] == "differs in content"
    assert (out / "scree_all.png").is_file() and (out / "factors.md").is_file()


def test_score_goals_command(tmp_path, capsys):
    from zorgeval import write_example

    project = write_example("np", tmp_path / "np")
    out = tmp_path / "goals"
    assert main(["score-goals", str(project.parent / "data" / "ratings.csv"), "--taxonomy", "np",
                 "--case", "youth", "--rater", "rater", "--period", "period", "--rule", "np",
                 "-o", str(out)]) == 0
    dist = pd.read_csv(out / "level_distribution.csv", dtype=str)
    assert set(dist["Category"]) >= {"basics-1", "participation-1"}
    assert (out / "tscores.csv").is_file() and (out / "raters.csv").is_file()


def test_example_command(tmp_path, capsys):
    out = tmp_path / "ex"
    assert main(["example", "reset", "-o", str(out)]) == 0
    assert sorted(p.name for p in (out / "data").iterdir()) == [
        "domains.csv", "families.csv", "goals.csv", "members.csv", "practitioners.csv", "rmo.csv",
        "survey.csv"]
    assert (out / "project.toml").is_file()


def test_bad_value_is_one_line_with_file_column_row(project_file, tmp_path, capsys):
    survey = pd.read_csv(project_file.parent / "survey.csv")
    survey.loc[2, "LD4"] = 9
    bad = tmp_path / "bad.csv"
    survey.to_csv(bad, index=False)
    status = main(["score-survey", "--instrument", "reset", str(bad), "--group", "organisation",
                   "-o", str(tmp_path / "o")])
    err = _err(capsys)
    assert status == 1
    first = err.splitlines()[0]
    assert first.startswith("zorgeval: error: ")
    assert str(bad) in first and "'LD4'" in first and "synthetic-A-03" in first and "got 9" in first
    assert "Traceback" not in err


def test_bad_value_in_project_data(project_file, tmp_path, capsys):
    folder = project_file.parent
    goals = pd.read_csv(folder / "goals.csv")
    goals.loc[5, "category"] = "child-99"
    bad = tmp_path / "goals.csv"
    goals.to_csv(bad, index=False)
    text = project_file.read_text(encoding="utf-8")
    for name in ("survey.csv", "families.csv"):
        text = text.replace(f'"{name}"', f'"{(folder / name).as_posix()}"')
    proj = tmp_path / "p.toml"
    proj.write_text(text, encoding="utf-8")
    status = main(["report", str(proj), "-o", str(tmp_path / "r"), "-q", "--allow-outside-paths"])
    err = _err(capsys)
    assert status == 1 and "Traceback" not in err
    assert "child-99" in err and str(bad) in err.splitlines()[0]
    # the row is the line in the file: header line 1, frame row 5 is line 7
    assert "row 7, column 'category'" in err


def test_invalid_project_names_field(tmp_path, capsys):
    proj = tmp_path / "p.toml"
    proj.write_text('instrument = "reset"\n[report]\nmin_cell = -1\n', encoding="utf-8")
    assert main(["report", str(proj), "-o", str(tmp_path / "r")]) == 1
    err = _err(capsys)
    assert err.count("\n") == 1 and "report.min_cell" in err and str(proj) in err


def test_unknown_instrument_and_missing_file(tmp_path, capsys):
    assert main(["score-survey", "--instrument", "nope", str(tmp_path / "x.csv"),
                 "-o", str(tmp_path)]) == 1
    assert "x.csv" in _err(capsys)
    csv = tmp_path / "s.csv"
    csv.write_text("respondent,LD3\nr1,4\n", encoding="utf-8")
    assert main(["score-survey", "--instrument", "nope", str(csv), "-o", str(tmp_path)]) == 1
    assert "unknown instrument 'nope'" in _err(capsys)


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(FileNotFoundError):
        main(["--debug", "score-goals", str(tmp_path / "none.csv"), "-o", str(tmp_path)])


def test_console_script_module(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, "-m", "zorgeval.cli", "report", "missing.toml", "-o",
                           "out"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1
    assert proc.stderr == "zorgeval: error: missing.toml: project file not found\n"


def test_min_cell_below_one_is_a_user_error(project_file, tmp_path, capsys):
    assert main(["report", str(project_file), "-o", str(tmp_path), "--min-cell", "0", "-q"]) == 1
    assert "min_cell must be at least 1, got 0" in _err(capsys)


def test_cases_and_goals_without_survey(project_file, tmp_path, capsys):
    folder = project_file.parent
    proj = tmp_path / "p.toml"
    proj.write_text(f"""instrument = "reset"
[cases]
file = "{(folder / 'families.csv').as_posix()}"
case = "family"
profile = "profile"
[goals]
file = "{(folder / 'goals.csv').as_posix()}"
case = "family"
period = "period"
[models]
screen = ["profile", "organisation"]
loose_items = ["LD3"]
""", encoding="utf-8")
    outside = ["--allow-outside-paths"]  # the data are in the shared project folder
    assert main(["report", str(proj), "-o", str(tmp_path / "r"), "-q", *outside]) == 1
    assert "models.loose_items: the project has no [survey]" in _err(capsys)
    proj.write_text(proj.read_text(encoding="utf-8").replace('loose_items = ["LD3"]\n', ""),
                    encoding="utf-8")
    assert main(["report", str(proj), "-o", str(tmp_path / "r"), "-q", *outside]) == 0
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "Fidelity" not in md and "## 3. Overall analysis" in md
