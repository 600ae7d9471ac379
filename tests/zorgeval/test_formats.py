"""The report command on one survey saved as SPSS .sav, Excel .xlsx and a Dutch-locale CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from zorgeval.cli import main

PROJECT = """\
instrument = "reset"

[survey]
file = "{file}"
groups = ["organisation"]
ignore = ["hours"]
mapping = {mapping}

[factors]
workflow = "exploratory"
items = ["LD3", "LD4", "LD5", "NWG1", "NWG2", "NWG3", "NWG4", "VG1", "VG2", "VG3", "VG4"]
"""


@pytest.fixture(scope="module")
def survey(project_file) -> pd.DataFrame:
    df = pd.read_csv(project_file.parent / "survey.csv")
    # a decimal column, so the Dutch CSV has decimal commas to read
    df["hours"] = np.round(np.linspace(1.5, 36.25, len(df)), 2)
    # SPSS names cannot hold "-": the files use ORG_1 etc., the project maps them back
    return df.rename(columns=lambda c: c.replace("-", "_"))


def _report(tmp_path: Path, data_file: Path, name: str, columns) -> Path:
    mapping = "{" + ", ".join(f'{c} = "{c.replace("_", "-")}"' for c in columns if "_" in c
                              and c not in ("age_band", "years_experience")) + "}"
    proj = tmp_path / f"{name}.toml"
    proj.write_text(PROJECT.format(file=data_file.name, mapping=mapping), encoding="utf-8")
    out = tmp_path / f"out_{name}"
    assert main(["report", str(proj), "-o", str(out), "-q"]) == 0
    return out / "tables"


def test_sav_xlsx_and_dutch_csv_give_identical_tables(survey, tmp_path):
    sav = tmp_path / "survey.sav"
    pyreadstat.write_sav(survey, str(sav))
    xlsx = tmp_path / "survey.xlsx"
    survey.to_excel(xlsx, index=False)
    csv_nl = tmp_path / "survey_nl.csv"
    survey.to_csv(csv_nl, sep=";", decimal=",", index=False, encoding="cp1252")
    assert "," in csv_nl.read_text(encoding="cp1252").splitlines()[1]

    tables = {name: _report(tmp_path, f, name, survey.columns)
              for name, f in (("sav", sav), ("xlsx", xlsx), ("csv", csv_nl))}
    names = sorted(p.name for p in tables["csv"].glob("*.csv"))
    assert "fidelity_item_organisation.csv" in names and "factor_loadings.csv" in names
    for other in ("sav", "xlsx"):
        assert sorted(p.name for p in tables[other].glob("*.csv")) == names
        for n in names:
            if n == "data_files.csv":  # how each file was read: that differs, by design
                continue
            assert (tables[other] / n).read_bytes() == (tables["csv"] / n).read_bytes(), (other, n)
    read = {k: pd.read_csv(t / "data_files.csv", dtype=str, keep_default_na=False).iloc[0]
            for k, t in tables.items()}
    assert [read[k]["Format"] for k in ("sav", "xlsx", "csv")] == ["sav", "xlsx", "csv"]
    assert (read["csv"]["Separator"], read["csv"]["Decimal mark"]) == (";", ",")
    assert {read[k]["Rows"] for k in read} == {"71"}
