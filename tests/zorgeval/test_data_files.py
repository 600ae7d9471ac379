"""Data paths of a project stay in its folder unless allowed; an error in one of several data
files names that file, and no message shows dates of birth or free text."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from zorgeval.cli import main
from zorgeval.pipeline import run_evaluation
from zorgeval.project import ProjectError, load_project


def _data(folder: Path) -> Path:
    data = folder / "data"
    data.mkdir(parents=True)
    for name in ("families.csv", "members.csv", "domains.csv"):
        with resources.as_file(resources.files("zorgeval") / "data" / "reset" / name) as src:
            shutil.copy(src, data / name)
    return data


def _project(folder: Path, data: str = "data", extra: str = "") -> Path:
    path = folder / "project.toml"
    path.write_text(f"""instrument = "reset"
[cases]
file = "{data}/families.csv"
case = "family"
[members]
file = "{data}/members.csv"
[multiproblem]
file = "{data}/domains.csv"
case = "family"
{extra}""", encoding="utf-8")
    return path


@pytest.mark.parametrize("where", ["../elsewhere", "ABSOLUTE"])
def test_data_outside_the_project_folder_is_refused_unless_allowed(tmp_path, where):
    data = _data(tmp_path / "elsewhere")
    folder = tmp_path / "project"
    folder.mkdir()
    written = data.parent.as_posix() if where == "ABSOLUTE" else where
    path = _project(folder, f"{written}/data")
    with pytest.raises(ProjectError) as err:
        load_project(path)
    text = str(err.value)
    assert text.startswith(str(path))
    for key in ("cases.file", "members.file", "multiproblem.file"):
        assert key in text
    assert f"{written}/data/members.csv is outside the project folder" in text
    assert load_project(path, allow_outside_paths=True).cases.file == (data / "families.csv").resolve()
    allowed = _project(folder, f"{written}/data", "[data]\nallow_outside = true\n")
    assert load_project(allowed).members.file == (data / "members.csv").resolve()


def test_cli_flag_allows_outside_paths(tmp_path, capsys):
    _data(tmp_path / "elsewhere")
    folder = tmp_path / "project"
    folder.mkdir()
    path = _project(folder, "../elsewhere/data")
    assert main(["report", str(path), "-o", str(tmp_path / "r"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "cases.file: ../elsewhere/data/families.csv is outside" in err
    assert "--allow-outside-paths" in err
    out = tmp_path / "r2"
    assert main(["report", str(path), "-o", str(out), "-q", "--allow-outside-paths"]) == 0
    assert (out / "report.html").is_file()


def test_inside_paths_with_dotdot_that_stay_inside_are_fine(tmp_path):
    _data(tmp_path)
    path = _project(tmp_path, "data/../data")
    assert load_project(path).members.file == (tmp_path / "data" / "members.csv").resolve()


def test_error_in_the_members_file_names_it_and_hides_the_dates(tmp_path, capsys):
    data = _data(tmp_path)
    members = pd.read_csv(data / "members.csv", dtype=str, keep_default_na=False)
    members.loc[3, "date_of_birth"] = "1981-31-12"
    members.loc[5, "date_of_birth"] = "2030-02-17"  # after the family's start
    members.to_csv(data / "members.csv", index=False)
    path = _project(tmp_path)
    assert main(["report", str(path), "-o", str(tmp_path / "r"), "-q"]) == 1
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert str(data / "members.csv") in first and "target group" in first
    # rows are lines of the file: the header is line 1
    assert "row 5, column 'date_of_birth'" in err and "row 7, column 'date_of_birth'" in err
    assert "1981-31-12" not in err and "2030" not in err


def test_error_in_the_indicator_file_names_that_file(tmp_path, capsys):
    data = _data(tmp_path)
    domains = pd.read_csv(data / "domains.csv", dtype=str, keep_default_na=False)
    free_text = "moeder zegt dat het thuis niet goed gaat"
    domains.loc[2, "parenting"] = free_text
    domains.to_csv(data / "domains.csv", index=False)
    path = _project(tmp_path)
    with pytest.raises(Exception) as exc:
        run_evaluation(load_project(path), quiet=True)
    notes = "; ".join(getattr(exc.value, "__notes__", []))
    assert str((data / "domains.csv").resolve()) in notes and "families.csv" not in notes
    assert main(["report", str(path), "-o", str(tmp_path / "r"), "-q"]) == 1
    err = capsys.readouterr().err
    assert str(data / "domains.csv") in err.splitlines()[0]
    assert "column 'parenting'" in err and domains.loc[2, "family"] in err
    assert "moeder" not in err


def test_a_mapping_file_outside_the_project_folder_is_refused(tmp_path):
    _data(tmp_path / "project")
    (tmp_path / "names.toml").write_text('gezin = "family"\n', encoding="utf-8")
    path = _project(tmp_path / "project")
    text = path.read_text(encoding="utf-8").replace(
        'case = "family"\n[members]', 'case = "family"\nmapping = "../names.toml"\n[members]', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError) as err:
        load_project(path)
    assert "cases.mapping: ../names.toml is outside the project folder" in str(err.value)
    assert "cases.file" not in str(err.value)
