"""Project [survey] options: SPSS value labels, not-applicable codes, a mapping file resolved
against the project folder. The reference is the same survey scored from numeric codes."""

from __future__ import annotations

from importlib import resources

import pandas as pd
import pyreadstat
import pytest

from fidelity import get_instrument, score_survey
from zorgeval.pipeline import run_evaluation
from zorgeval.project import ProjectError, load_project


def reset_survey() -> pd.DataFrame:
    with resources.as_file(resources.files("fidelity") / "data" / "reset_survey.csv") as f:
        return pd.read_csv(f)


def item_columns(df: pd.DataFrame) -> list[str]:
    known = {c for it in get_instrument("reset").items for c in it.codes}
    return [c for c in df.columns if c in known]


def write_project(folder, survey_lines: str) -> object:
    path = folder / "project.toml"
    path.write_text('instrument = "reset"\n[factors]\nworkflow = "none"\n[survey]\n' + survey_lines,
                    encoding="utf-8")
    return path


def test_spss_value_labels_are_read_as_answer_labels(tmp_path):
    df = reset_survey()
    inst = get_instrument("reset")
    items = item_columns(df)
    labels = {c: {float(k.value): k.nl.capitalize() for k in inst.scale_of(c).codes} for c in items}
    for c in items:
        labels[c][9.0] = "n.v.t."  # labelled, not declared user-missing
    out = df.copy()
    out.loc[0, "LD3"] = 9
    out[items] = out[items].astype(float)
    spss = {c: c.replace("-", "_") for c in items if "-" in c}  # SPSS names have no hyphen
    pyreadstat.write_sav(out.rename(columns=spss), tmp_path / "enquete.sav",
                         variable_value_labels={spss.get(c, c): v for c, v in labels.items()})
    mapping = ", ".join(f'"{v}" = "{k}"' for k, v in spss.items())
    path = write_project(tmp_path, 'file = "enquete.sav"\ngroups = ["organisation"]\n'
                                   f'ignore = ["team"]\nvalue_labels = true\nmapping = {{{mapping}}}\n')
    ev = run_evaluation(path, quiet=True)
    assert ev.data["survey"]["LD4"].dropna().isin(["Nooit", "Soms", "Regelmatig", "Vaak", "Altijd"]).all()
    expected = score_survey(df.assign(LD3=df["LD3"].where(df.index != 0)), inst,
                            groups=["organisation"], ignore=["team"])
    got = ev.scores.item_stats.set_index("item")
    want = expected.item_stats.set_index("item")
    pd.testing.assert_series_equal(got["mean"], want["mean"])
    assert got.loc["LD3", "n_not_applicable"] == 1
    assert (got["n_not_applicable"].sum(), got.loc["LD3", "n"]) == (1, want.loc["LD3", "n"])


def test_value_labels_need_an_spss_file(tmp_path):
    reset_survey().to_csv(tmp_path / "s.csv", index=False)
    path = write_project(tmp_path, 'file = "s.csv"\nvalue_labels = true\n')
    with pytest.raises(ValueError, match="needs an SPSS .sav file"):
        run_evaluation(path, quiet=True)


def test_not_applicable_codes_and_a_mapping_file_relative_to_the_project(tmp_path, monkeypatch):
    df = reset_survey()
    df.loc[[0, 1], "LD3"] = 9
    headers = {c: f"Vraag {c}" for c in item_columns(df)}
    (tmp_path / "data").mkdir()
    df.rename(columns=headers).to_csv(tmp_path / "data" / "enquete.csv", sep=";", index=False)
    (tmp_path / "data" / "kolommen.toml").write_text(
        "".join(f'"{h}" = "{c}"\n' for c, h in headers.items()), encoding="utf-8")
    path = write_project(tmp_path, 'file = "data/enquete.csv"\nmapping = "data/kolommen.toml"\n'
                                   'groups = ["organisation"]\nignore = ["team"]\nnot_applicable = [9]\n')
    monkeypatch.chdir(tmp_path / "data")  # the working directory plays no part
    project = load_project(path)
    assert project.survey.mapping == (tmp_path / "data" / "kolommen.toml").resolve()
    ev = run_evaluation(project, quiet=True)
    st = ev.scores.item_stats.set_index("item")
    assert st.loc["LD3", "n_not_applicable"] == 2
    want = score_survey(df.assign(LD3=df["LD3"].where(df["LD3"] != 9)), "reset",
                        groups=["organisation"], ignore=["team"]).item_stats.set_index("item")
    pd.testing.assert_series_equal(st["mean"], want["mean"])


def test_a_missing_mapping_file_is_named(tmp_path):
    (tmp_path / "s.csv").write_text("respondent\n", encoding="utf-8")
    path = write_project(tmp_path, 'file = "s.csv"\nmapping = "kolommen.toml"\n')
    with pytest.raises(ProjectError, match=r"survey\.mapping: file not found: .*kolommen\.toml"):
        load_project(path)
