"""Reading evaluators' files: CSV/TXT (Dutch and English locale), Excel ``.xlsx`` and SPSS ``.sav``.

:func:`read_table` returns a :class:`pandas.DataFrame` with one column per file column, in file
order, and a :class:`TableInfo` describing how the file was read in ``df.attrs["table_info"]``
(see :func:`table_info`). The same survey saved from Excel in a Dutch locale, in an English
locale, as a workbook or as an SPSS file gives the same frame.

Conventions, the same for every format:

* **Rows** are numbered in messages as the file shows them: in a CSV file the line (the header is
  line 1), in a workbook the sheet row, in an SPSS file the case number. The frame keeps a plain
  ``RangeIndex``; ``TableInfo.source_rows`` gives the file row of every frame row.
* **Column names** are the header cells with surrounding spaces removed. A column without a name
  but with values, and two columns with the same name, are errors. A column without a name and
  without values (a trailing separator, a formatted but empty Excel column) is dropped and
  recorded in ``TableInfo.empty_columns_dropped``.
* **Blank rows** (every cell empty) are dropped and recorded in ``TableInfo.blank_rows_dropped``.
* **Missing values**: empty cells, ``NA``, ``N/A``, ``n/a``, ``#N/A``, ``NaN``, ``nan``, ``NULL``
  and ``null``; in SPSS files also system-missing values and user-missing values (counted per
  column in ``TableInfo.user_missing``).
* **Numbers**: a column whose non-missing cells are all numbers becomes ``int64`` when every
  value is a whole number and none is missing, ``float64`` otherwise. Any other column is text
  (pandas' string dtype); a column of Excel dates becomes ``datetime64``.
* **Decimal marks** in text files: one decimal mark per file, either detected or given with
  ``decimal=``. A number written with the other mark ("3.5" in a file with "3,5") is an error,
  and so is any digit grouping ("1.234,5", "1.234.567") and any number that reads differently under
  the two conventions while nothing in the file settles which one is meant ("1.234" in a
  ``;``-separated file without another decimal number: 1234 or 1.234?). Every such problem is
  collected and raised at once as :class:`~evalstats.errors.DataValidationError`, naming the file,
  column, row and value.

File-level trouble (missing file, unsupported extension, an undecodable or ragged text file, a
damaged workbook or SPSS file, an unknown sheet) raises :class:`TableReadError` naming the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import difflib
import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalstats.errors import DataValidationError, Problem
from evalstats.registry import read_definition_file

__all__ = ["TableInfo", "TableReadError", "read_table", "rename_map", "table_info"]

_TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_SAV_SUFFIXES = (".sav", ".zsav")
_SEP_CANDIDATES = ("\t", ";", ",")
_SEP_NAMES = {"\t": "tab", ";": "';'", ",": "','"}
_NA_TOKENS = frozenset({"", "NA", "N/A", "n/a", "#N/A", "NaN", "nan", "NULL", "null"})
_MAX_LISTED = 20

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
_ONE_GROUP = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?")
_STRING_DTYPE = "str" if int(pd.__version__.split(".")[0]) >= 3 else object


class TableReadError(ValueError):
    """A file cannot be read as a table; the message starts with the file's path.

    Examples
    --------
    >>> err = TableReadError("survey.ods", "unsupported file type")
    >>> str(err), err.path.name
    ('survey.ods: unsupported file type', 'survey.ods')
    """

    def __init__(self, path: str | Path, message: str):
        self.path = Path(path)
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class TableInfo:
    """How a file was read by :func:`read_table`.

    Attributes
    ----------
    path:
        The file.
    format:
        ``"csv"`` (also ``.txt``/``.tsv``), ``"xlsx"`` or ``"sav"``.
    columns:
        Frame column name → column name in the file (they differ where ``mapping`` renamed).
    source_rows:
        For every frame row, its row in the file (CSV line, sheet row or SPSS case number).
    sep, decimal, encoding:
        Separator, decimal mark and text encoding used (detected or given); None where they do not
        apply. ``decimal`` is the mark numbers in text cells were read with.
    sheet:
        The worksheet read from a workbook.
    variable_labels:
        SPSS variable labels, by frame column.
    value_labels:
        SPSS value labels ``{code: label}``, by frame column — kept whether or not they were applied.
    labels_applied:
        Frame columns whose codes were replaced by their value labels.
    user_missing:
        For every SPSS column with user-missing values defined, how many values were set to NaN.
    blank_rows_dropped:
        File rows that were entirely empty and are not in the frame.
    empty_columns_dropped:
        File column positions (1 = first) without a name and without values, not in the frame.

    The record is read-only: do not change its dictionaries (frames derived from one read share it).

    Examples
    --------
    >>> info = TableInfo(path="s.sav", format="sav", columns={"LD1": "LD1"}, source_rows=(1, 2),
    ...                  user_missing={"LD1": 3})
    >>> info.n_user_missing
    3
    """

    path: str
    format: str
    columns: dict[str, str]
    source_rows: tuple[int, ...]
    sep: str | None = None
    decimal: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    variable_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    labels_applied: tuple[str, ...] = ()
    user_missing: dict[str, int] = field(default_factory=dict)
    blank_rows_dropped: tuple[int, ...] = ()
    empty_columns_dropped: tuple[int, ...] = ()

    def __deepcopy__(self, memo: dict) -> TableInfo:
        # pandas deep-copies ``attrs`` on nearly every operation; a read-only record is shared
        # instead, so carrying it costs nothing however large the file was
        return self

    @property
    def n_user_missing(self) -> int:
        """Total number of SPSS user-missing values set to NaN."""
        return sum(self.user_missing.values())


def table_info(df: pd.DataFrame) -> TableInfo:
    """The :class:`TableInfo` that :func:`read_table` attached to a frame.

    pandas carries ``attrs`` through copies, selections and most operations; read it right after
    reading when in doubt.

    Examples
    --------
    >>> table_info(pd.DataFrame({"x": [1]}))
    Traceback (most recent call last):
    ...
    KeyError: 'this frame carries no table_info: it was not returned by read_table'
    """
    info = df.attrs.get("table_info")
    if not isinstance(info, TableInfo):
        raise KeyError("this frame carries no table_info: it was not returned by read_table")
    return info


# -- public entry point --------------------------------------------------------------------------
def read_table(
    path: str | Path,
    mapping: Mapping[str, str] | str | Path | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    value_labels: str | Sequence[str] = "codes",
) -> pd.DataFrame:
    """Read an evaluator's data file (CSV/TXT, Excel ``.xlsx`` or SPSS ``.sav``) into a DataFrame.

    Parameters
    ----------
    path:
        The file. Its extension chooses the reader: ``.csv``/``.txt``/``.tsv``, ``.xlsx``/``.xlsm``,
        ``.sav``/``.zsav``.
    mapping:
        Renames columns: ``{column in the file: name to use}`` (item codes, standard names), or
        the path of a TOML/JSON file holding that table (e.g. ``"Vraag 1" = "LD1"``). Every key must
        be a column of the file and no two columns may end up with one name.
    sep:
        Text files: the field separator. Detected when None: among tab, ``;`` and ``,`` the one
        that splits every line into the header's number of fields (more fields win; on a tie tab,
        then ``;``, then ``,``).
    decimal:
        Text cells: ``"."`` or ``","``. Detected when None from the numbers in the file (see the
        module notes for what is ambiguous).
    sheet:
        Workbooks: sheet name or 0-based position; default the first sheet.
    encoding:
        Text and SPSS files. Detected for text files when None: a byte-order mark (UTF-8, UTF-16),
        else UTF-8 when the bytes decode as UTF-8, else cp1252 (Windows Western European), else
        latin-1.
    value_labels:
        SPSS files: ``"codes"`` keeps the numeric codes (what scoring needs), ``"labels"`` replaces
        the codes of every labelled column by their labels, a list of column names (as in the file
        or after mapping) does so for those columns only. Labels are always kept in the metadata;
        a code without a label is shown as the number itself (``7``).

    Returns
    -------
    pandas.DataFrame
        With a :class:`TableInfo` in ``df.attrs["table_info"]`` (also via :func:`table_info`).

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    TableReadError
        The file cannot be read as a table (type, encoding, ragged lines, damaged file, sheet).
    DataValidationError
        Problems in header or cells (names, decimal marks, digit grouping) or in ``mapping``; all
        problems are collected first.
    ValueError
        An option that does not apply to the file type, or an invalid option value.

    Examples
    --------
    A survey exported by Excel in a Dutch locale (``;`` separator, decimal comma, cp1252):

    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "enquête.csv"
    >>> _ = p.write_bytes("Organisatie;Vraag 1;Uren cliënt\\nA;4;3,5\\nB;5;12\\n".encode("cp1252"))
    >>> df = read_table(p, mapping={"Organisatie": "organisation", "Vraag 1": "LD1"})
    >>> df
      organisation  LD1  Uren cliënt
    0            A    4          3.5
    1            B    5         12.0
    >>> info = table_info(df)
    >>> info.sep, info.decimal, info.encoding, info.columns["LD1"]
    (';', ',', 'cp1252', 'Vraag 1')

    A number with the other decimal mark is reported with its file, column, line and value:

    >>> _ = p.write_text("org;score\\nA;3,5\\nB;4.5\\n", encoding="utf-8")
    >>> read_table(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    evalstats.errors.DataValidationError: 1 problem in ...enquête.csv:
      row 3, column 'score': got '4.5', expected a number with a decimal comma, like the other 1 decimal number(s) in the file
    """
    path = Path(path)
    kind = _kind_of(path)
    _check_options(path, kind, sep, decimal, sheet, encoding, value_labels)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    wanted = _load_mapping(mapping)

    extra: dict[str, Any] = {}
    if kind == "csv":
        header, header_row, cols, rownums, sep, encoding = _csv_records(path, sep, encoding)
        df, rows_kept, blank, empty_cols, decimal = _build_frame(
            path, header, header_row, cols, rownums, sep, decimal
        )
    elif kind == "xlsx":
        header, header_row, rows, rownums, sheet_name = _xlsx_records(path, sheet)
        df, rows_kept, blank, empty_cols, decimal = _build_frame(
            path, header, header_row, _columns(header, rows, text_only=False), rownums, None, decimal
        )
        extra["sheet"] = sheet_name
    else:
        df, extra = _read_sav(path, encoding)
        rows_kept, blank, empty_cols = tuple(range(1, len(df) + 1)), (), ()

    renames = _resolve_mapping(path, list(df.columns), wanted)
    back = {renames.get(c, c): c for c in df.columns}
    if kind == "sav":
        df, extra = _sav_labels(path, df, extra, value_labels, renames)
    df = df.rename(columns=renames)
    info = TableInfo(
        path=str(path),
        format=kind,
        columns={c: back[c] for c in df.columns},
        source_rows=rows_kept,
        sep=sep if kind == "csv" else None,
        decimal=decimal if kind != "sav" else None,
        encoding=encoding if kind == "csv" else extra.pop("encoding", None),
        blank_rows_dropped=blank,
        empty_columns_dropped=empty_cols,
        **{k: _rekey(v, renames) if isinstance(v, dict) else v for k, v in extra.items()},
    )
    df.attrs["table_info"] = info
    return df


# -- options and mapping -------------------------------------------------------------------------
def _kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        return "csv"
    if suffix in _XLSX_SUFFIXES:
        return "xlsx"
    if suffix in _SAV_SUFFIXES:
        return "sav"
    if suffix == ".xls":
        raise TableReadError(path, "the old Excel format .xls is not supported; save the workbook as .xlsx")
    known = ", ".join(_TEXT_SUFFIXES + _XLSX_SUFFIXES + _SAV_SUFFIXES)
    raise TableReadError(path, f"unsupported file type {suffix or '(no extension)'!r}; supported: {known}")


def _check_options(path, kind, sep, decimal, sheet, encoding, value_labels) -> None:
    if sep is not None and kind != "csv":
        raise ValueError(f"{path}: sep= applies to text files only, not to a .{kind} file")
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1 or sep in "\"\r\n"):
        raise ValueError(f"sep must be one character such as ';', ',' or '\\t', got {sep!r}")
    if decimal is not None and kind == "sav":
        raise ValueError(f"{path}: decimal= does not apply to an SPSS file (its numbers are stored as numbers)")
    if decimal not in (None, ".", ","):
        raise ValueError(f"decimal must be '.' or ',', got {decimal!r}")
    if decimal is not None and decimal == sep:
        raise ValueError(f"decimal and sep cannot both be {sep!r}")
    if sheet is not None and kind != "xlsx":
        raise ValueError(f"{path}: sheet= applies to workbooks (.xlsx) only")
    if encoding is not None:
        if kind == "xlsx":
            raise ValueError(f"{path}: encoding= does not apply to a workbook")
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValueError(f"unknown encoding {encoding!r}") from None
    if isinstance(value_labels, str):
        if value_labels not in ("codes", "labels"):
            raise ValueError(f"value_labels must be 'codes', 'labels' or a list of columns, got {value_labels!r}")
        if value_labels == "labels" and kind != "sav":
            raise ValueError(f"{path}: value_labels='labels' needs an SPSS .sav file; a .{kind} file has no value labels")
    elif kind != "sav":
        raise ValueError(f"{path}: value_labels as a list of columns needs an SPSS .sav file")


def _load_mapping(mapping: Mapping[str, str] | str | Path | None) -> dict[str, str]:
    if mapping is None:
        return {}
    source = "mapping"
    if isinstance(mapping, str | Path):
        source = f"mapping file {mapping}"
        mapping = read_definition_file(mapping)
    if not isinstance(mapping, Mapping):
        raise ValueError(f"{source}: expected a table of 'column in the file' = 'name to use'")
    bad = [k for k, v in mapping.items() if not isinstance(k, str) or not isinstance(v, str) or not v.strip()]
    if bad:
        raise ValueError(f"{source}: every entry must map a column name to a non-empty name; wrong: {bad}")
    return dict(mapping)


def rename_map(mapping: Mapping[str, str] | str | Path, columns: list[str], what: str) -> dict[str, str]:
    """The renames a column mapping asks for, checked against ``columns`` (see ``read_table``).

    ``mapping`` is a dict or the path of a TOML/JSON file; ``what`` names the data in messages.

    Examples
    --------
    >>> rename_map({"Vraag 1": "LD1"}, ["respondent", "Vraag 1"], what="survey")
    {'Vraag 1': 'LD1'}
    """
    return _resolve_mapping(what, columns, _load_mapping(mapping))


def _resolve_mapping(path: Path | str, columns: list[str], wanted: dict[str, str]) -> dict[str, str]:
    problems = []
    for key, target in wanted.items():
        if key not in columns:
            close = difflib.get_close_matches(key, columns, n=3)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            problems.append(Problem(None, key, target, f"a column of the file to rename{hint}"))
    renames = {k: v for k, v in wanted.items() if k in columns and k != v}
    final: dict[str, list[str]] = {}
    for col in columns:
        final.setdefault(renames.get(col, col), []).append(col)
    for name, sources in final.items():
        if len(sources) > 1:
            problems.append(
                Problem(None, tuple(sources), name, "one column per name, but these columns would all get it")
            )
    if problems:
        raise DataValidationError(problems, context=f"the column mapping for {path}")
    return renames


def _rekey(d: dict, renames: dict[str, str]) -> dict:
    return {renames.get(k, k): v for k, v in d.items()}


# -- text files ----------------------------------------------------------------------------------
def _decode(path: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding is None:
        if raw.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        elif raw.startswith(b"PK\x03\x04"):
            raise TableReadError(path, "this is a zip archive (an Excel workbook?), not a text file; give it the .xlsx extension")
        elif b"\x00" in raw[:4096]:
            raise TableReadError(path, "this is a binary file, not a text file (an SPSS or Excel file with the wrong extension?)")
        else:
            for candidate in ("utf-8", "cp1252"):
                try:
                    return raw.decode(candidate), candidate
                except UnicodeDecodeError:
                    pass
            return raw.decode("latin-1"), "latin-1"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableReadError(
            path, f"cannot be decoded as {encoding}: byte {raw[exc.start]:#04x} on line {line}; "
            "leave encoding= out to detect it, or give the encoding the file was saved in"
        ) from None
    return text.removeprefix("\ufeff"), encoding


def _plain_lines(text: str, limit: int | None = None) -> list[str] | None:
    """The lines of a text without quote characters (then every line is one record, split at the
    separator exactly as the csv module splits it; line ends \r\n, \n, \r), or None when the
    csv module must read it."""
    if '"' in text or "\x00" in text:
        return None
    if limit is not None:  # the first ``limit`` lines with their line ends are enough
        parts = text.split("\n", limit)
        if len(parts) > limit:
            text = text[: sum(map(len, parts[:limit])) + limit]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":  # the line end of the last line starts no record
        lines.pop()
    if limit is not None:
        lines = lines[:limit]
    # a field over the csv module's size limit is its error, raised by the reader
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return None
    return lines


def _parse(text: str, sep: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """CSV records with the line each starts on; empty lines give empty records."""
    lines = _plain_lines(text, limit)
    if lines is not None:
        return [(i, line.split(sep) if line else []) for i, line in enumerate(lines, start=1)]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', doublequote=True, strict=False)
    out = []
    start = 1
    for fields in islice(reader, limit):
        out.append((start, fields))
        start = reader.line_num + 1
    return out


def _detect_sep(path: Path, text: str) -> str:
    stats = []  # (fields in the header, share of records with that many fields, -order, sep)
    for order, cand in enumerate(_SEP_CANDIDATES):
        try:
            recs = [f for _, f in _parse(text, cand, limit=500) if f]
        except csv.Error:
            continue
        if recs:
            n = len(recs[0])
            stats.append((n, sum(len(f) == n for f in recs) / len(recs), -order, cand))
    if not stats:
        raise TableReadError(path, "no line of the file could be read")
    regular = [s for s in stats if s[1] == 1.0]
    if any(s[0] > 1 for s in regular):
        return max(s for s in regular if s[0] > 1)[-1]
    multi = [s for s in stats if s[0] > 1]
    if multi:  # ragged under every candidate: report lines against the most regular one
        return max(multi, key=lambda s: (s[1], s[0], s[2]))[-1]
    if regular:  # one column: a separator under which no line splits
        return max(regular, key=lambda s: s[2])[-1]
    return max(stats, key=lambda s: (s[1], s[2]))[-1]


def _csv_records(path: Path, sep: str | None, encoding: str | None):
    """Header, its line, the columns (:class:`_Column`), the line of every record, sep, encoding."""
    raw = path.read_bytes()
    text, encoding = _decode(path, raw, encoding)
    if not text.strip():
        raise TableReadError(path, "the file is empty")
    detected = sep is None
    if detected:
        sep = _detect_sep(path, text)
    lines = _plain_lines(text) if len(sep) == 1 else None
    if lines is not None:
        # empty lines give no record; the lengths are counted from the separators
        numbered = [(i, line) for i, line in enumerate(lines, start=1) if line]
        records = [(i, line.count(sep) + 1) for i, line in numbered]
        header_line, header = numbered[0][0], numbered[0][1].split(sep)
    else:
        try:
            parsed = [(line, f) for line, f in _parse(text, sep) if f]  # empty lines: no record
        except csv.Error as exc:
            raise TableReadError(path, f"cannot be read as CSV: {exc}") from None
        records = [(line, len(f)) for line, f in parsed]
        header_line, header = parsed[0]
    bad = [(line, n) for line, n in records[1:] if n != len(header)]
    if bad:
        shown = "; ".join(f"line {line} has {n}" for line, n in bad[:_MAX_LISTED])
        more = f"; and {len(bad) - _MAX_LISTED} more lines" if len(bad) > _MAX_LISTED else ""
        how = "detected; pass sep= if that is not the separator" if detected else "given"
        raise TableReadError(
            path,
            f"the header (line {header_line}) has {len(header)} fields separated by "
            f"{_SEP_NAMES.get(sep, repr(sep))} ({how}), but {shown}{more}",
        )
    rownums = [line for line, _ in records[1:]]
    if lines is not None:
        cols = _plain_columns(header, [line for _, line in numbered[1:]], sep)
    else:
        cols = _columns(header, [f for _, f in parsed[1:]], text_only=True)
    return header, header_line, cols, rownums, sep, encoding


def _plain_columns(header: list[str], lines: list[str], sep: str) -> list[_Column]:
    """Columns of quote-free lines that all have the header's length, by pandas' C parser: every
    field is kept as the exact text between the separators (no missing-value, quote or number
    handling), and each column comes back as codes into its distinct texts. A first line of
    quote characters (a text no field of these lines has) keeps every column's distinct values
    text: pandas would otherwise turn all-number values into numbers."""
    if not lines:
        return _columns(header, [], text_only=True)
    mark = '"'
    frame = pd.read_csv(
        io.StringIO("\n".join([sep.join([mark] * len(header)), *lines])), sep=sep, header=None,
        names=range(len(header)), index_col=False, dtype="category", na_filter=False,
        quoting=csv.QUOTE_NONE, skip_blank_lines=False, engine="c",
    )  # fmt: skip
    cols = []
    for j, name in enumerate(header):
        cat = frame[j].array
        uniques = list(cat.categories)
        if not all(isinstance(u, str) for u in uniques):  # values parsed after all: split them
            return _columns(header, [line.split(sep) for line in lines], text_only=True)
        codes = np.asarray(cat.codes, dtype=np.intp)
        at = uniques.index(mark)
        codes = codes[1:] - (codes[1:] > at)
        del uniques[at]
        cols.append(_Column(name.strip(), codes, uniques, [_kind(u) for u in uniques]))
    return cols


# -- workbooks -----------------------------------------------------------------------------------
def _xlsx_records(path: Path, sheet: str | int | None):
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise TableReadError(path, f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        names = wb.sheetnames
        if sheet is None:
            name = names[0]
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise TableReadError(path, f"has no sheet at position {sheet} (0-based); sheets: {names}")
            name = names[sheet]
        elif sheet in names:
            name = sheet
        else:
            raise TableReadError(path, f"has no sheet {sheet!r}; sheets: {names}")
        ws = wb[name]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    first = next((i for i, r in enumerate(rows) if any(not _is_missing(v) for v in r)), None)
    if first is None:
        raise TableReadError(path, f"sheet {name!r} is empty")
    width = max(len(r) for r in rows[first:])
    rows = [r + [None] * (width - len(r)) for r in rows]
    header = [_header_text(v) for v in rows[first]]
    return header, first + 1, rows[first + 1 :], list(range(first + 2, len(rows) + 1)), name


def _header_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# -- from cells to columns -----------------------------------------------------------------------
def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return v.strip() in _NA_TOKENS
    if isinstance(v, float):
        return v != v
    return False


def _classify(s: str) -> str:
    """Kind of a non-missing text cell: plain, point, comma, point3, comma3, grouped or text."""
    s = s.strip()
    if _NUMBER.fullmatch(s):
        mark = "." if "." in s else "," if "," in s else ""
        if not mark:
            return "plain"
        base = "point" if mark == "." else "comma"
        return base + "3" if _ONE_GROUP.fullmatch(s) else base
    if _GROUPED.fullmatch(s):
        return "grouped"
    return "text"


def _kind(v: Any) -> str:
    """Kind of a cell: na, number, date, text, or a kind of number written as text."""
    if _is_missing(v):
        return "na"
    if isinstance(v, str):
        return _classify(v)
    if isinstance(v, bool):
        return "text"
    if isinstance(v, int | float):
        return "number"
    if isinstance(v, _dt.datetime | _dt.date):
        return "date"
    return "text"


_NUMERIC_KINDS = frozenset({"number", "plain", "point", "comma", "point3", "comma3", "grouped"})


@dataclass
class _Column:
    """One column as codes into its distinct values (``-1`` = empty cell), with their kinds."""

    name: str
    codes: np.ndarray
    uniques: list[Any]
    kinds: list[str]

    @classmethod
    def of(cls, name: str, values: Sequence[Any], text_only: bool = False) -> _Column:
        if not text_only:
            # bool cells are turned into text first: as keys they would merge with 0 and 1
            values = ["TRUE" if v is True else "FALSE" if v is False else v for v in values]
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        uniques = list(uniques)
        return cls(name, np.asarray(codes), uniques, [_kind(u) for u in uniques])

    @property
    def missing(self) -> np.ndarray:
        na = np.array([k == "na" for k in self.kinds] + [True], dtype=bool)
        return na[self.codes]

    def take(self, rows: np.ndarray) -> _Column:
        return _Column(self.name, self.codes[rows], self.uniques, self.kinds)

    def count(self, kind: str) -> int:
        per_value = np.bincount(self.codes[self.codes >= 0], minlength=len(self.uniques))
        return int(sum(per_value[i] for i, k in enumerate(self.kinds) if k == kind))

    def cells_of(self, kind: str) -> list[tuple[int, str]]:
        """(row position, stripped text) of every cell of this kind, in row order."""
        found = [i for i, k in enumerate(self.kinds) if k == kind]
        return sorted((int(r), self.uniques[i].strip()) for i in found for r in np.flatnonzero(self.codes == i))

    def gather(self, per_value: list[Any], missing: Any, dtype: Any) -> np.ndarray:
        table = np.empty(len(per_value) + 1, dtype=dtype)
        table[:-1] = per_value
        table[-1] = missing
        return table[self.codes]


def _columns(header: list[str], rows: list[list[Any]], text_only: bool) -> list[_Column]:
    """Columns of records that all have the header's length (checked when reading): one 2-d
    array, stored by column, gives every column's cells at once."""
    cells = np.empty((len(rows), len(header)), dtype=object, order="F")
    if rows:
        cells[:] = rows
    return [_Column.of(name.strip(), cells[:, j], text_only=text_only) for j, name in enumerate(header)]


def _build_frame(path: Path, header: list[str], header_row: int, cols: list[_Column], rownums: list[int], sep, decimal):
    header = [h.strip() for h in header]
    filled = np.zeros(len(rownums), dtype=bool)
    for c in cols:
        filled |= ~c.missing
    keep = np.flatnonzero(filled)
    blank = tuple(rownums[i] for i in np.flatnonzero(~filled))
    kept_rownums = tuple(rownums[i] for i in keep)

    problems: list[Problem] = []
    empty_cols = []
    named: list[_Column] = []
    for j, c in enumerate(cols):
        if c.name:
            named.append(c.take(keep))
        elif (~c.missing).any():
            problems.append(Problem(header_row, f"(column {j + 1})", "", "a column name: this column has values but no name"))
        else:
            empty_cols.append(j + 1)
    for name, n in Counter(c.name for c in named).items():
        if n > 1:
            where = ", ".join(str(j + 1) for j, h in enumerate(header) if h == name)
            problems.append(Problem(None, name, name, f"one column with this name; columns {where} share it"))
    if problems:
        raise DataValidationError(problems, context=str(path))

    numeric = [c for c in named if set(c.kinds) - {"na"} <= _NUMERIC_KINDS]
    n_point = sum(c.count("point") for c in numeric)
    n_comma = sum(c.count("comma") for c in numeric)
    given = decimal is not None
    if given:
        settled = True
    elif n_point or n_comma:
        decimal = "," if n_comma > n_point or (n_comma == n_point and sep == ";") else "."
        settled = True
    else:
        # nothing in the file shows the decimal mark. A comma-separated file cannot use decimal
        # commas without quoting them, so "." is settled there; elsewhere "," for ';' and tab
        # files (Dutch locale exports) is a guess that grouped-looking numbers must not rely on.
        decimal = "," if sep in (";", "\t") else "."
        settled = sep == ","
    names_of = {".": "decimal point", ",": "decimal comma"}
    mark, other = names_of[decimal], names_of["." if decimal == "," else ","]
    if given:
        expected = f"a number with a {mark} (decimal={decimal!r})"
    else:
        n_same = n_comma if decimal == "," else n_point
        expected = f"a number with a {mark}, like the other {n_same} decimal number(s) in the file"
    own3, other1, other3 = ("comma3", "point", "point3") if decimal == "," else ("point3", "comma", "comma3")

    for c in numeric:
        found = [(r, v, "grouped") for r, v in c.cells_of("grouped")]
        found += [(r, v, "other1") for r, v in c.cells_of(other1)]
        found += [(r, v, "other3") for r, v in c.cells_of(other3)]
        if not settled:
            found += [(r, v, "own3") for r, v in c.cells_of(own3)]
        for r, v, what in sorted(found):
            row = kept_rownums[r]
            as_int = v.replace(",", "").replace(".", "")
            if what == "grouped":
                why = "a number without digit grouping (thousands separators), e.g. 1234,5 or 1234.5"
            elif what == "other1":
                why = expected
            elif what == "other3":
                why = f"{expected}; this could be {as_int} with a thousands separator or a {other}"
            else:
                why = (f"a number that reads one way: this could be {as_int} with a thousands separator or "
                       f"{v.replace(',', '.')} with a {mark}, and no other number in the file settles it; pass decimal=")
            problems.append(Problem(row, c.name, v, why))
    if problems:
        raise DataValidationError(problems, context=str(path))

    out: dict[str, pd.Series] = {}
    numeric_names = {c.name for c in numeric}
    for c in named:
        if c.name in numeric_names:
            out[c.name] = _numeric_series(c.gather([_to_float(u, decimal) for u in c.uniques], np.nan, float))
        elif set(c.kinds) - {"na"} == {"date"}:
            out[c.name] = pd.to_datetime(pd.Series(c.gather([None if k == "na" else u for u, k in zip(c.uniques, c.kinds, strict=True)], None, object)))
        else:
            texts = [None if k == "na" else _text(u) for u, k in zip(c.uniques, c.kinds, strict=True)]
            out[c.name] = pd.Series(c.gather(texts, None, object), dtype=_STRING_DTYPE)
    df = pd.DataFrame(out, index=pd.RangeIndex(len(kept_rownums))) if out else pd.DataFrame(index=pd.RangeIndex(len(kept_rownums)))
    return df, kept_rownums, blank, tuple(empty_cols), decimal


def _to_float(v: Any, decimal: str) -> float:
    if _is_missing(v):
        return np.nan
    if isinstance(v, int | float):
        return float(v)
    s = v.strip()
    return float(s.replace(",", ".") if decimal == "," else s)


def _text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _numeric_series(arr: np.ndarray) -> pd.Series:
    """int64 when every value is a whole number and none is missing, float64 otherwise."""
    if (
        arr.size
        and np.isfinite(arr).all()
        and (np.floor(arr) == arr).all()
        and np.abs(arr).max() < 2**53
    ):
        return pd.Series(arr.astype(np.int64))
    return pd.Series(arr)


# -- SPSS ----------------------------------------------------------------------------------------
def _read_sav(path: Path, encoding: str | None):
    import pyreadstat

    try:
        raw, meta = pyreadstat.read_sav(str(path), user_missing=True, dates_as_pandas_datetime=True, encoding=encoding)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, UnicodeError, LookupError) as exc:
        raise TableReadError(path, f"is not a readable SPSS .sav file ({exc})") from None
    out: dict[str, pd.Series] = {}
    user_missing: dict[str, int] = {}
    ranges = meta.missing_ranges or {}
    for name in raw.columns:
        col = raw[name]
        is_text = meta.readstat_variable_types.get(name) == "string"
        if name in ranges:
            mask = np.zeros(len(col), dtype=bool)
            for r in ranges[name]:
                lo, hi = r["lo"], r["hi"]
                if is_text:
                    mask |= (col == lo).to_numpy(dtype=bool, na_value=False)
                else:
                    vals = col.to_numpy(dtype=float, na_value=np.nan)
                    mask |= (vals >= lo) & (vals <= hi)
            user_missing[name] = int(mask.sum())
            col = col.mask(mask)
        if is_text:
            vals = [None if _is_missing(v) or (isinstance(v, str) and not v.strip()) else v for v in col]
            out[name] = pd.Series(vals, dtype=_STRING_DTYPE)
        elif pd.api.types.is_datetime64_any_dtype(col):
            out[name] = col.reset_index(drop=True)
        else:
            out[name] = _numeric_series(col.to_numpy(dtype=float, na_value=np.nan))
    df = pd.DataFrame(out, index=pd.RangeIndex(len(raw)))
    extra = {
        "variable_labels": {k: v for k, v in (meta.column_names_to_labels or {}).items() if v},
        "value_labels": {k: dict(v) for k, v in (meta.variable_value_labels or {}).items()},
        "user_missing": user_missing,
        "encoding": encoding or meta.file_encoding,
    }
    return df, extra


def _sav_labels(path: Path, df: pd.DataFrame, extra: dict, value_labels, renames: dict[str, str]):
    labels = extra["value_labels"]
    if isinstance(value_labels, str):
        apply = list(labels) if value_labels == "labels" else []
    else:
        back = {v: k for k, v in renames.items()}
        apply, unknown = [], []
        for c in value_labels:
            src = back.get(c, c)
            if src not in df.columns:
                unknown.append(c)
            elif src not in labels:
                raise ValueError(f"{path}: column {c!r} has no value labels to apply")
            else:
                apply.append(src)
        if unknown:
            raise ValueError(f"{path}: value_labels names columns that are not in the file: {unknown}")
    df = df.copy()
    for name in apply:
        codes = labels[name]
        df[name] = pd.Series(
            [None if pd.isna(v) else codes.get(v, _text(v)) for v in df[name]],
            dtype=_STRING_DTYPE,
        )
    extra = dict(extra, labels_applied=tuple(renames.get(c, c) for c in apply))
    return df, extra
