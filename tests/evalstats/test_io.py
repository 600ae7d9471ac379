"""read_table: one survey saved as a Dutch CSV, an English CSV, a workbook and an SPSS file reads
back as the same frame; every common mistake gives an error naming file, column, row and value.

The reference is the frame built directly from ``fidelity/data/reset_survey.csv`` with pandas;
comparisons are exact (``assert_frame_equal`` with its default ``check_exact`` for integers and
rtol 1e-5 for floats is not used where exactness matters: float columns are compared with
``check_exact=True``).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames, range_indexes

from evalstats import DataValidationError, TableReadError, read_table, table_info

SOURCE = Path(__file__).resolve().parents[2] / "fidelity" / "data" / "reset_survey.csv"
ITEMS = ["LD3", "LD4", "NWG1", "FACT14"]
# the names evaluators give the columns in their own files (valid SPSS variable names)
FILE_NAMES = {
    "organisation": "Organisatie",
    "team": "Team",
    "respondent": "Respondent",
    "LD3": "vraag_ld3",
    "LD4": "vraag_ld4",
    "NWG1": "vraag_nwg1",
    "FACT14": "fact14",
    "LD_mean": "gemiddelde_ld",
}
MAPPING = {v: k for k, v in FILE_NAMES.items()}
TEAMS = {"A": "één", "B": "twee", "C": "drie", "D": "vier"}
LABELS_5 = {1: "nooit", 2: "soms", 3: "regelmatig", 4: "vaak", 5: "altijd", 9: "weet niet"}


def _survey() -> pd.DataFrame:
    """Two respondents per organisation plus the first ones with a missing LD3 and NWG1."""
    src = pd.read_csv(SOURCE)
    rows = list(src.groupby("organisation").head(2).index)
    rows += [src.index[src["LD3"].isna()][0], src.index[src["NWG1"].isna()][0]]
    df = src.loc[sorted(set(rows)), ["organisation", "respondent", *ITEMS]].reset_index(drop=True)
    df.insert(1, "team", df["organisation"].map(TEAMS).astype("str"))
    df["LD_mean"] = df[["LD3", "LD4", "NWG1"]].mean(axis=1).round(4)
    return df


EXPECTED = _survey()


def test_reference_survey_has_what_the_comparison_needs():
    assert EXPECTED["LD3"].isna().sum() == 1 and EXPECTED["NWG1"].isna().sum() == 1
    assert (EXPECTED["LD_mean"] % 1 != 0).any()  # a non-integer column
    assert EXPECTED["LD4"].dtype == np.int64 and EXPECTED["LD3"].dtype == np.float64
    assert EXPECTED["team"].str.contains("é").any()  # text outside ASCII


def _cell(v, decimal: str) -> str:
    """A number as a spreadsheet shows it: whole numbers without decimals, no digit grouping."""
    if isinstance(v, str):
        return v
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if float(v).is_integer():
        return str(int(v))
    return repr(float(v)).replace(".", decimal)


def _write_csv(path: Path, df: pd.DataFrame, sep: str, decimal: str, encoding: str) -> Path:
    lines = [sep.join(FILE_NAMES[c] for c in df.columns)]
    lines += [sep.join(_cell(v, decimal) for v in row) for row in df.itertuples(index=False)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _write_xlsx(path: Path, df: pd.DataFrame) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Toelichting"
    wb.active["A1"] = "Enquête modelgetrouwheid, zie blad 'Enquête'"
    ws = wb.create_sheet("Enquête")
    ws.append([FILE_NAMES[c] for c in df.columns])
    for row in df.itertuples(index=False):
        ws.append([None if isinstance(v, float) and math.isnan(v) else v for v in row])
    wb.save(path)
    return path


def _write_sav(path: Path, df: pd.DataFrame, coded_organisation: bool = False) -> Path:
    out = df.rename(columns=FILE_NAMES).copy()
    labels = {FILE_NAMES[i]: LABELS_5 for i in ["LD3", "LD4", "NWG1"]}
    labels["fact14"] = {1: "nee", 2: "enigszins", 3: "ja"}
    # the missing LD3 answer was "weet niet" (9), declared user-missing, as SPSS users do
    missing_ld3 = out["vraag_ld3"].isna()
    out.loc[missing_ld3, "vraag_ld3"] = 9
    missing = {FILE_NAMES[i]: [9] for i in ["LD3", "LD4", "NWG1"]}
    if coded_organisation:
        codes = {"A": 1, "B": 2, "C": 3, "D": 4}
        out["Organisatie"] = out["Organisatie"].map(codes).astype(float)
        labels["Organisatie"] = {v: k for k, v in codes.items()}
    pyreadstat.write_sav(
        out,
        path,
        column_labels={"vraag_ld3": "Ik werk laagdrempelig (LD3)", "fact14": "Faciliteiten (FACT14)"},
        variable_value_labels=labels,
        missing_ranges=missing,
    )
    return path


@pytest.fixture
def files(tmp_path):
    return {
        "dutch_csv": _write_csv(tmp_path / "enquete_nl.csv", EXPECTED, ";", ",", "cp1252"),
        "english_csv": _write_csv(tmp_path / "survey_en.csv", EXPECTED, ",", ".", "utf-8"),
        "xlsx": _write_xlsx(tmp_path / "enquete.xlsx", EXPECTED),
        "sav": _write_sav(tmp_path / "enquete.sav", EXPECTED),
    }


# -- one survey, four formats ---------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["dutch_csv", "english_csv", "xlsx", "sav"])
def test_every_format_reads_back_the_same_frame(files, kind):
    sheet = {"sheet": "Enquête"} if kind == "xlsx" else {}
    df = read_table(files[kind], mapping=MAPPING, **sheet)
    pd.testing.assert_frame_equal(df, EXPECTED, check_exact=True)


def test_dutch_csv_detected_as_semicolon_decimal_comma_cp1252(files):
    info = table_info(read_table(files["dutch_csv"], mapping=MAPPING))
    assert (info.format, info.sep, info.decimal, info.encoding) == ("csv", ";", ",", "cp1252")
    assert info.columns["LD3"] == "vraag_ld3" and info.columns["team"] == "Team"
    assert info.source_rows == tuple(range(2, len(EXPECTED) + 2))


def test_english_csv_detected_as_comma_decimal_point_utf8(files):
    info = table_info(read_table(files["english_csv"]))
    assert (info.sep, info.decimal, info.encoding) == (",", ".", "utf-8")


def test_sav_keeps_codes_and_labels_and_counts_user_missing(files):
    df = read_table(files["sav"], mapping=MAPPING)
    info = table_info(df)
    assert df["LD4"].tolist() == EXPECTED["LD4"].tolist()  # codes, not labels
    assert info.value_labels["LD3"][5.0] == "altijd"
    assert info.value_labels["FACT14"] == {1.0: "nee", 2.0: "enigszins", 3.0: "ja"}
    assert info.variable_labels == {"LD3": "Ik werk laagdrempelig (LD3)", "FACT14": "Faciliteiten (FACT14)"}
    # one "weet niet" (9) in LD3 became NaN and is counted; NWG1's NaN was system-missing
    assert info.user_missing == {"LD3": 1, "LD4": 0, "NWG1": 0}
    assert info.n_user_missing == 1
    assert info.labels_applied == ()


def test_sav_labels_applied_on_request(files):
    df = read_table(files["sav"], mapping=MAPPING, value_labels="labels")
    words = {k: v for k, v in LABELS_5.items()}
    expected = [None if math.isnan(v) else words[int(v)] for v in EXPECTED["LD3"]]
    assert [None if pd.isna(v) else v for v in df["LD3"]] == expected
    assert df["FACT14"].tolist() == [{1: "nee", 2: "enigszins", 3: "ja"}[v] for v in EXPECTED["FACT14"]]
    assert set(table_info(df).labels_applied) == {"LD3", "LD4", "NWG1", "FACT14"}
    assert df["LD_mean"].dtype == np.float64  # unlabelled columns keep their numbers


def test_sav_with_coded_organisation_labels_one_column(tmp_path):
    path = _write_sav(tmp_path / "coded.sav", EXPECTED, coded_organisation=True)
    assert read_table(path)["Organisatie"].tolist()[:2] == [1, 1]
    df = read_table(path, mapping=MAPPING, value_labels=["organisation"])
    pd.testing.assert_frame_equal(df, EXPECTED, check_exact=True)
    assert table_info(df).labels_applied == ("organisation",)


def test_sav_unlabelled_code_shown_as_number(tmp_path):
    path = tmp_path / "x.sav"
    pyreadstat.write_sav(pd.DataFrame({"q": [1.0, 7.0, np.nan]}), path, variable_value_labels={"q": {1: "nooit"}})
    assert read_table(path, value_labels="labels")["q"].tolist()[:2] == ["nooit", "7"]


def test_sav_user_missing_range_and_string_value(tmp_path):
    path = tmp_path / "x.sav"
    df = pd.DataFrame({"q": [1.0, 7.0, 8.0, 9.0, 2.0], "t": ["a", "?", "b", "?", ""]})
    pyreadstat.write_sav(df, path, missing_ranges={"q": [{"lo": 7, "hi": 9}], "t": ["?"]})
    out = read_table(path)
    assert out["q"].tolist()[0] == 1 and out["q"].isna().sum() == 3
    assert [None if pd.isna(v) else v for v in out["t"]] == ["a", None, "b", None, None]
    assert table_info(out).user_missing == {"q": 3, "t": 2}


@pytest.mark.parametrize(
    ("sep", "encoding"), [("\t", "utf-8"), ("\t", "utf-16"), (";", "utf-8-sig"), (",", "latin-1")]
)
def test_other_separators_and_encodings(tmp_path, sep, encoding):
    decimal = "," if sep == ";" else "."
    path = _write_csv(tmp_path / "s.txt", EXPECTED, sep, decimal, encoding)
    df = read_table(path, mapping=MAPPING)
    pd.testing.assert_frame_equal(df, EXPECTED, check_exact=True)
    info = table_info(df)
    assert info.sep == sep
    assert info.encoding == {"latin-1": "cp1252", "utf-8-sig": "utf-8-sig"}.get(encoding, encoding)


def test_overrides_sep_and_decimal(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a|b\n1,5|2\n3|4,25\n", encoding="utf-8")
    df = read_table(path, sep="|", decimal=",")
    assert df["a"].tolist() == [1.5, 3.0] and df["b"].tolist() == [2.0, 4.25]
    assert (table_info(df).sep, table_info(df).decimal) == ("|", ",")


def test_mapping_from_toml_and_json_files(tmp_path, files):
    toml = tmp_path / "kolommen.toml"
    toml.write_text("\n".join(f'"{k}" = "{v}"' for k, v in MAPPING.items()), encoding="utf-8")
    js = tmp_path / "kolommen.json"
    js.write_text(json.dumps(MAPPING), encoding="utf-8")
    for m in (toml, str(js)):
        pd.testing.assert_frame_equal(read_table(files["dutch_csv"], mapping=m), EXPECTED, check_exact=True)


def test_blank_rows_and_unnamed_empty_columns_dropped_and_recorded(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("org;score;\nA;3,5;\n;;\n\nB;4;\n;;\n", encoding="utf-8")
    df = read_table(path)
    assert list(df.columns) == ["org", "score"] and df["score"].tolist() == [3.5, 4.0]
    info = table_info(df)
    assert info.blank_rows_dropped == (3, 6)  # the empty line 4 is no record at all
    assert info.empty_columns_dropped == (3,)
    assert info.source_rows == (2, 5)


def test_all_missing_column_is_numeric_and_header_spaces_removed(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(" LD1 ,LD2\n4,\n5,\n", encoding="utf-8")
    df = read_table(path)
    assert list(df.columns) == ["LD1", "LD2"]
    assert df["LD2"].dtype == np.float64 and df["LD2"].isna().all()


def test_workbook_types_dates_and_numbers_in_text_cells(tmp_path):
    import datetime as dt

    path = tmp_path / "x.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["datum", "score", "tekst"])
    ws.append([dt.datetime(2015, 3, 1), "3,5", "n.v.t."])
    ws.append([dt.datetime(2015, 4, 1), 4, 2])
    wb.save(path)
    df = read_table(path, sheet=0)
    assert df["datum"].dtype.kind == "M"
    assert df["score"].tolist() == [3.5, 4.0]
    assert df["tekst"].tolist() == ["n.v.t.", "2"]
    assert table_info(df).sheet == "Sheet"


def test_semicolon_file_reads_point_numbers_when_the_file_settles_it(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a;b\n1.234;0.5\n", encoding="utf-8")
    assert read_table(path)["a"].tolist() == [1.234]


def test_comma_file_settles_the_decimal_point(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1.234,2\n", encoding="utf-8")
    df = read_table(path)
    assert df["a"].tolist() == [1.234] and table_info(df).decimal == "."


# -- errors: cells ---------------------------------------------------------------------------------
def _problems(exc_info) -> list[tuple]:
    return [(p.row, p.column, p.value) for p in exc_info.value.problems]


def test_column_mixing_decimal_comma_and_point(files):
    text = files["dutch_csv"].read_bytes().decode("cp1252").replace("4,6667", "4.6667", 1)
    bad = files["dutch_csv"].with_name("mixed.csv")
    bad.write_bytes(text.encode("cp1252"))
    with pytest.raises(DataValidationError) as exc:
        read_table(bad, mapping=MAPPING)
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if "4.6667" in t)
    assert _problems(exc) == [(line, "gemiddelde_ld", "4.6667")]
    msg = str(exc.value)
    assert "mixed.csv" in msg and f"row {line}" in msg and "'gemiddelde_ld'" in msg and "decimal comma" in msg


def test_every_problem_collected_before_raising(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a;b\n3,5;1.234.567\n4.5;2\n1.234,5;3\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_table(path)
    assert _problems(exc) == [(3, "a", "4.5"), (4, "a", "1.234,5"), (2, "b", "1.234.567")]
    assert "digit grouping" in exc.value.problems[1].expected


@pytest.mark.parametrize("value", ["1.234", "1,234", "-12.500"])
def test_thousands_separator_ambiguity(tmp_path, value):
    path = tmp_path / "x.csv"
    path.write_text(f"id;bedrag\n1;{value}\n2;7\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_table(path)
    assert _problems(exc) == [(2, "bedrag", value)]
    assert "thousands separator" in str(exc.value) and "x.csv" in str(exc.value)


def test_given_decimal_resolves_the_ambiguity(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id;bedrag\n1;1,234\n", encoding="utf-8")
    assert read_table(path, decimal=",")["bedrag"].tolist() == [1.234]
    path.write_text("id;bedrag\n1;1.234\n", encoding="utf-8")
    assert read_table(path, decimal=".")["bedrag"].tolist() == [1.234]


def test_given_decimal_contradicted_by_the_file(files):
    with pytest.raises(DataValidationError) as exc:
        read_table(files["dutch_csv"], decimal=".")
    assert all(p.column == "gemiddelde_ld" for p in exc.value.problems)
    assert "(decimal='.')" in exc.value.problems[0].expected


def test_text_columns_are_not_numbers(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("code;versie\n1.234;v1.2\nn.v.t.;2\n", encoding="utf-8")
    df = read_table(path)
    assert df["code"].tolist() == ["1.234", "n.v.t."] and df["versie"].tolist() == ["v1.2", "2"]


# -- errors: structure and files -------------------------------------------------------------------
def test_ragged_lines_named(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a;b;c\n1;2;3\n1;2\n4;5;6;7\n", encoding="utf-8")
    with pytest.raises(TableReadError, match=r"x\.csv: the header \(line 1\) has 3 fields separated by ';'"
                       r" \(detected; pass sep=.*\), but line 3 has 2; line 4 has 4"):
        read_table(path)


def test_wrong_separator_given(files):
    with pytest.raises(TableReadError, match=r"enquete_nl\.csv: .* separated by ',' \(given\)"):
        read_table(files["dutch_csv"], sep=",")


def test_duplicate_and_unnamed_columns(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("LD1;LD2;LD1;\n1;2;3;4\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_table(path)
    assert [(p.row, p.column) for p in exc.value.problems] == [(1, "(column 4)"), (None, "LD1")]
    assert "columns 1, 3" in str(exc.value)


def test_wrong_encoding_given(files):
    with pytest.raises(TableReadError, match=r"enquete_nl\.csv: cannot be decoded as utf-8: byte 0xe9 on line \d+"):
        read_table(files["dutch_csv"], encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b" \n", "the file is empty"),
        ("book.csv", b"PK\x03\x04rest", "zip archive .*xlsx"),
        ("data.csv", b"\x00\x01\x02abc", "binary file"),
        ("survey.ods", b"x", "unsupported file type '.ods'"),
        ("survey.xls", b"x", "old Excel format .xls"),
        ("text.xlsx", b"a;b\n1;2\n", "not a readable .xlsx workbook"),
        ("text.sav", b"a;b\n1;2\n", "not a readable SPSS .sav file"),
    ],
)
def test_unreadable_files_named(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TableReadError, match=re.escape(name) + ": .*" + message) as exc:
        read_table(path)
    assert exc.value.path == path


def test_missing_file_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.csv: no such file"):
        read_table(tmp_path / "nowhere.csv")


def test_unknown_sheet_lists_sheets(files):
    with pytest.raises(TableReadError, match=r"enquete\.xlsx: has no sheet 'Data'; sheets: \['Toelichting', 'Enquête'\]"):
        read_table(files["xlsx"], sheet="Data")
    with pytest.raises(TableReadError, match="no sheet at position 5"):
        read_table(files["xlsx"], sheet=5)
    # the first sheet holds only a note: one text column, no rows
    assert read_table(files["xlsx"]).shape == (0, 1)


def test_empty_sheet(tmp_path):
    path = tmp_path / "x.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(TableReadError, match="sheet 'Sheet' is empty"):
        read_table(path)


# -- errors: mapping and options --------------------------------------------------------------------
def test_mapping_keys_absent_from_the_file(files):
    m = dict(MAPPING) | {"vraag_ld5": "LD5", "Organisatie ": "organisation"}
    m.pop("Organisatie")
    with pytest.raises(DataValidationError) as exc:
        read_table(files["english_csv"], mapping=m)
    assert [(p.column, p.value) for p in exc.value.problems] == [("vraag_ld5", "LD5"), ("Organisatie ", "organisation")]
    msg = str(exc.value)
    assert "column mapping for" in msg and "survey_en.csv" in msg and "did you mean 'vraag_ld4', 'vraag_ld3'" in msg


def test_two_columns_mapped_to_one_name(files):
    with pytest.raises(DataValidationError) as exc:
        read_table(files["english_csv"], mapping={"vraag_ld3": "LD", "vraag_ld4": "LD", "fact14": "Team"})
    assert [(p.column, p.value) for p in exc.value.problems] == [
        (("Team", "fact14"), "Team"),
        (("vraag_ld3", "vraag_ld4"), "LD"),
    ]
    assert "column ('vraag_ld3', 'vraag_ld4'): got 'LD', expected one column per name" in str(exc.value)


def test_bad_mapping_values(tmp_path, files):
    with pytest.raises(ValueError, match="non-empty name; wrong: \\['fact14'\\]"):
        read_table(files["english_csv"], mapping={"fact14": ""})
    bad = tmp_path / "m.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping file .*m.json: expected a table"):
        read_table(files["english_csv"], mapping=bad)


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("dutch_csv", {"sheet": "x"}, "sheet= applies to workbooks"),
        ("xlsx", {"sep": ";"}, "sep= applies to text files"),
        ("sav", {"decimal": ","}, "decimal= does not apply to an SPSS file"),
        ("xlsx", {"encoding": "cp1252"}, "encoding= does not apply to a workbook"),
        ("dutch_csv", {"value_labels": "labels"}, "value_labels='labels' needs an SPSS .sav file"),
        ("dutch_csv", {"value_labels": ["x"]}, "needs an SPSS .sav file"),
        ("sav", {"value_labels": "names"}, "value_labels must be"),
        ("sav", {"value_labels": ["nothing"]}, "not in the file: \\['nothing'\\]"),
        ("sav", {"value_labels": ["gemiddelde_ld"]}, "column 'gemiddelde_ld' has no value labels"),
        ("dutch_csv", {"decimal": ";"}, "decimal must be"),
        ("dutch_csv", {"sep": ";;"}, "sep must be one character"),
        ("dutch_csv", {"encoding": "klingon"}, "unknown encoding"),
    ],
)
def test_options_that_do_not_apply(files, kind, options, message):
    with pytest.raises(ValueError, match=message):
        read_table(files[kind], **options)


def test_table_info_absent():
    with pytest.raises(KeyError, match="not returned by read_table"):
        table_info(pd.DataFrame())


def test_input_mapping_not_modified(files):
    m = dict(MAPPING)
    read_table(files["dutch_csv"], mapping=m)
    assert m == MAPPING


# -- property: random floats survive a Dutch CSV -----------------------------------------------------
_floats = st.floats(allow_nan=True, allow_infinity=False, width=64)
_frames = data_frames(
    columns=[column("x0", elements=_floats, dtype=float), column("x1", elements=_floats, dtype=float)],
    index=range_indexes(min_size=1, max_size=6),
)
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=_frames)
def test_random_floats_round_trip_through_a_dutch_csv(tmp_path, frame):
    path = tmp_path / "floats.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False, encoding="cp1252")
    blank = frame.isna().all(axis=1)
    expected = frame.loc[~blank].to_numpy(dtype=float)

    df = read_table(path, sep=";", decimal=",")
    np.testing.assert_array_equal(df.to_numpy(dtype=float), expected)
    assert len(table_info(df).blank_rows_dropped) == int(blank.sum())

    try:
        auto = read_table(path)
    except DataValidationError as exc:
        # only a file whose every decimal number could also be a grouped integer is ambiguous
        lines = path.read_text(encoding="cp1252").splitlines()[1:]
        written = [cell for line in lines for cell in line.split(";")]
        assert all(_AMBIGUOUS.fullmatch(p.value) for p in exc.problems)
        assert not any("," in v and not _AMBIGUOUS.fullmatch(v) for v in written)
    else:
        np.testing.assert_array_equal(auto.to_numpy(dtype=float), expected)


def test_table_info_travels_with_derived_frames_without_copies(files):
    import pickle

    df = read_table(files["sav"], mapping=MAPPING)
    info = table_info(df)
    derived = df[["LD3", "LD4"]].dropna() * 2
    assert table_info(derived) is info  # shared, not deep-copied on every operation
    assert table_info(pickle.loads(pickle.dumps(df))) == info


def test_workbook_booleans_become_text_not_numbers(tmp_path):
    path = tmp_path / "x.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["vink", "code"])
    wb.active.append([True, 1])
    wb.active.append([False, 0])
    wb.save(path)
    df = read_table(path)
    assert df["vink"].tolist() == ["TRUE", "FALSE"] and df["code"].tolist() == [1, 0]


def test_whole_survey_from_a_dutch_export_scores_like_the_original(tmp_path):
    """What scoring needs: the full ReSet example survey saved the Dutch-Excel way reads back as
    pandas reads the original file, and fidelity.score_survey gives identical results."""
    from fidelity import get_instrument, score_survey

    original = pd.read_csv(SOURCE)
    lines = [";".join(original.columns)]
    lines += [";".join(_cell(v, ",") for v in row) for row in original.itertuples(index=False)]
    path = tmp_path / "reset_nl.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    df = read_table(path)
    pd.testing.assert_frame_equal(df, original, check_exact=True)
    reset = get_instrument("reset")
    ours = score_survey(df, reset, groups=["organisation"])
    theirs = score_survey(original, reset, groups=["organisation"])
    pd.testing.assert_frame_equal(ours.scores, theirs.scores, check_exact=True)
    pd.testing.assert_frame_equal(ours.item_stats, theirs.item_stats, check_exact=True)


@pytest.mark.parametrize(("text", "values"), [("score\n3,5\n4,25\n", [3.5, 4.25]), ("score\n3.5\n4\n", [3.5, 4.0])])
def test_one_column_files(tmp_path, text, values):
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    assert read_table(path)["score"].tolist() == values


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="a1.,;\t \r\n", max_size=60),
    sep=st.sampled_from([";", ",", "\t"]),
    limit=st.sampled_from([None, 1, 3]),
)
def test_unquoted_text_splits_as_the_csv_module_does(text, sep, limit):
    # text without quotes is split with str.split; records and their line numbers must be the
    # csv module's
    import csv
    import io as _io
    from itertools import islice

    from evalstats.io import _parse

    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=False)
    expected, start = [], 1
    for fields in islice(reader, limit):
        expected.append((start, fields))
        start = reader.line_num + 1
    assert _parse(text, sep, limit) == expected
