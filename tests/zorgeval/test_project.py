"""Project files: validation errors name the file and the field; paths resolve."""

from __future__ import annotations

import pytest

from zorgeval.project import Project, ProjectError, load_project


def _write(tmp_path, text, name="p.toml"):
    (tmp_path / "survey.csv").write_text("respondent\n", encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_relative_paths_resolve_against_the_project_folder(tmp_path, monkeypatch):
    sub = tmp_path / "proj"
    sub.mkdir()
    path = _write(sub, 'instrument = "reset"\n[survey]\nfile = "survey.csv"\n')
    monkeypatch.chdir(tmp_path)
    p = load_project(path)
    assert p.survey.file == (sub / "survey.csv").resolve()
    assert p.report.min_cell == 5 and p.report.lang == "en"


def test_instrument_file_resolves(tmp_path):
    (tmp_path / "mine.toml").write_text("id = 'x'\n", encoding="utf-8")
    p = load_project(_write(tmp_path, 'instrument = "mine.toml"\n'))
    assert p.instrument == str((tmp_path / "mine.toml").resolve())


@pytest.mark.parametrize(("text", "field", "message"), [
    ('[survey]\nfile = "survey.csv"\n', "instrument", "needed with a [survey] section"),
    ('instrument = "reset"\n[report]\nmin_cell = 0\n', "report.min_cell", "greater than or equal to 1"),
    ('instrument = "reset"\n[report]\nlang = "de"\n', "report.lang", "'en' or 'nl'"),
    ('instrument = "reset"\n[survey]\nfile = "survey.csv"\ngroup = ["x"]\n', "survey.group", "unknown field"),
    ('instrument = "reset"\n[factors]\nworkflow = "confirmatory"\n', "factors.workflow", "exploratory"),
    ('instrument = "reset"\n[goals]\nfile = "survey.csv"\nrho = 1.5\n', "goals.rho", "less than 1"),
    ('instrument = "reset"\n[models]\noverall = {covariate = ["F1"]}\n', "models.overall", "covariate"),
])
def test_invalid_field_is_named(tmp_path, text, field, message):
    path = _write(tmp_path, text)
    with pytest.raises(ProjectError) as err:
        load_project(path)
    text = str(err.value)
    assert text.startswith(str(path)) and field in text and message in text


def test_missing_data_file_is_named(tmp_path):
    path = _write(tmp_path, 'instrument = "reset"\n[goals]\nfile = "goals.csv"\n')
    with pytest.raises(ProjectError, match=r"goals\.file: file not found: .*goals\.csv"):
        load_project(path)


def test_invalid_toml(tmp_path):
    path = _write(tmp_path, 'instrument = "reset\n')
    with pytest.raises(ProjectError, match="not valid TOML"):
        load_project(path)


def test_all_problems_at_once(tmp_path):
    path = _write(tmp_path, 'instrument = ""\n[report]\nmin_cell = 0\nlang = "fr"\n')
    with pytest.raises(ProjectError) as err:
        load_project(path)
    assert len(err.value.problems) == 3


def test_thresholds_only_when_set():
    p = Project(instrument="np", factors={"workflow": "per_principle", "min_loading": 0.35})
    assert p.factors.thresholds() == {"min_loading": 0.35}


@pytest.mark.parametrize("name", ["reset", "np"])
def test_example_project_files_match_the_packaged_templates(name):
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    repo = load_project(root / "examples" / "projects" / f"{name}.toml")
    packaged = tomllib.loads((root / "zorgeval" / "projects" / f"{name}.toml").read_text("utf-8"))
    template = Project.model_validate(packaged)
    # the same project; only the folder holding the data differs (data/ beside a copy)
    for sec, data in repo.data_files().items():
        assert data.file == (root / "zorgeval" / "data" / name / data.file.name)
        assert getattr(template, sec).file == Path("data") / data.file.name
    strip = {s: {"file"} for s in repo.data_files()} | {"data": True}  # the repo's data are outside
    assert repo.data.allow_outside and not template.data.allow_outside
    assert repo.model_dump(exclude=strip) == template.model_dump(exclude=strip)
