"""Output folders used again: a report run removes what an earlier run wrote and this one does not,
refuses a foreign non-empty folder without --force, and the example never silently overwrites an
edited project."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

import zorgeval.report
from zorgeval.cli import main
from zorgeval.folders import MANIFEST, OutputFolderError, previous_report_files
from zorgeval.report import write_report

PROJECT = """\
title = "Folder test"
instrument = "reset"

[survey]
file = "survey.csv"
groups = {groups}
compare_by = {compare_by}

[factors]
workflow = "none"
"""


def _project(folder: Path, groups: list[str], compare_by: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with resources.as_file(resources.files("fidelity") / "data" / "reset_survey.csv") as f:
        shutil.copy(f, folder / "survey.csv")
    path = folder / f"project_{'_'.join(compare_by)}.toml"
    path.write_text(PROJECT.format(groups=json.dumps(groups), compare_by=json.dumps(compare_by)),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> tuple[Path, Path]:
    """Two projects on one survey: organisations compared, then levels of education."""
    folder = tmp_path_factory.mktemp("projects")
    both = ["education", "organisation"]
    return _project(folder, both, ["organisation"]), _project(folder, both, ["education"])


def _manifest(out: Path) -> list[str]:
    record = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert record["written_by"] == "zorgeval report"
    return record["files"]


def test_report_again_removes_the_earlier_runs_files_it_does_not_write(projects, tmp_path, capsys):
    by_org, by_edu = projects
    out = tmp_path / "report"
    assert main(["report", str(by_org), "-o", str(out), "-q"]) == 0
    first = _manifest(out)
    assert {"report.html", "report.md", "fidelity_items_organisation.png",
            "tables/fidelity_item_organisation.csv", "tables.xlsx"} <= set(first)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and p.name != MANIFEST) == first
    assert "removed" not in capsys.readouterr().out
    (out / "my notes.txt").write_text("kept", encoding="utf-8")  # the user's own file

    assert main(["report", str(by_edu), "-o", str(out), "-q"]) == 0
    second = _manifest(out)
    stale = sorted(set(first) - set(second))
    assert "fidelity_items_organisation.png" in stale
    assert "tables/fidelity_item_organisation.csv" in stale
    assert [name for name in stale if (out / name).exists()] == []
    assert all((out / name).is_file() for name in second)
    assert (out / "my notes.txt").read_text(encoding="utf-8") == "kept"
    printed = capsys.readouterr().out
    assert f"removed {len(stale)} files of the earlier report in {out}: {', '.join(stale)}" in printed


def test_report_refuses_a_folder_it_did_not_write_unless_forced(projects, tmp_path, capsys):
    by_org, _ = projects
    out = tmp_path / "mine"
    out.mkdir()
    (out / "data.csv").write_text("a\n1\n", encoding="utf-8")
    assert main(["report", str(by_org), "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"zorgeval: error: {out}: the folder is not empty and holds no report")
    assert "--force" in err and err.count("\n") == 1
    assert sorted(p.name for p in out.iterdir()) == ["data.csv"]  # nothing written

    assert main(["report", str(by_org), "-o", str(out), "-q", "--force"]) == 0
    assert (out / "report.html").is_file() and (out / "data.csv").read_text() == "a\n1\n"
    assert "data.csv" not in _manifest(out)
    # written by zorgeval now: a run without --force is accepted and keeps data.csv
    assert main(["report", str(by_org), "-o", str(out), "-q"]) == 0
    assert (out / "data.csv").is_file()


def test_report_into_a_file_or_with_a_broken_manifest(projects, tmp_path, capsys):
    by_org, _ = projects
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["report", str(by_org), "-o", str(tmp_path / "file"), "-q"]) == 1
    assert "exists and is not a folder" in capsys.readouterr().err
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / MANIFEST).write_text("{not json", encoding="utf-8")
    assert main(["report", str(by_org), "-o", str(broken), "-q"]) == 1
    assert "not a zorgeval report manifest" in capsys.readouterr().err
    assert main(["report", str(by_org), "-o", str(broken), "-q", "--force"]) == 0
    assert "report.html" in _manifest(broken)


def test_manifest_entries_outside_the_folder_are_never_removed(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    (out / MANIFEST).write_text(json.dumps({"written_by": "zorgeval report", "files": [
        "../outside.txt", str(outside), "report.html"]}), encoding="utf-8")
    assert previous_report_files(out) == {"report.html"}


def test_a_failed_run_leaves_its_files_for_the_next_run_to_remove(projects, tmp_path, monkeypatch):
    from zorgeval.pipeline import run_evaluation

    by_org, by_edu = projects
    out = tmp_path / "report"

    def broken(report):
        raise RuntimeError("disk full")

    monkeypatch.setattr(zorgeval.report, "to_html", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(run_evaluation(by_org, quiet=True), out)
    assert "fidelity_items_organisation.png" in _manifest(out)  # the figures it wrote
    monkeypatch.undo()
    files = write_report(run_evaluation(by_edu, quiet=True), out)
    assert "fidelity_items_organisation.png" in files.removed
    assert not (out / "fidelity_items_organisation.png").exists()


def test_example_refuses_to_overwrite_an_edited_project_unless_forced(tmp_path, capsys):
    out = tmp_path / "ev"
    assert main(["example", "np", "-o", str(out)]) == 0
    project = out / "project.toml"
    original = project.read_bytes()
    (out / "report").mkdir()  # other files in the folder are no reason to refuse
    assert main(["example", "np", "-o", str(out)]) == 0  # the same files again: nothing changes
    project.write_text("# my own evaluation\n" + original.decode("utf-8"), encoding="utf-8")
    (out / "data" / "survey.csv").write_text("respondent\nr1\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["example", "np", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == (f"zorgeval: error: {out}: 2 files differ from the example 'np': "
                   "data/survey.csv, project.toml; nothing was written. Choose another folder, "
                   "or pass force=True (--force) to overwrite them\n")
    assert project.read_text(encoding="utf-8").startswith("# my own evaluation")
    assert main(["example", "np", "-o", str(out), "--force"]) == 0
    assert project.read_bytes() == original
    project.write_text("edited", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="project.toml"):  # the Python call refuses too
        zorgeval.write_example("np", out)
