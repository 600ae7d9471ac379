"""Finding printed statistics in plain text (English and Dutch) and in tables.

Two passes over the text: APA-style statistics (``t(28) = 2.37, p = .03``,
``F(2; 121) = 9,20; p < ,001``, ``χ2(3) = 7.8``, ``r(48) = .32``, ``z = 1.96``,
``Wald = 4.1 (df 1)``), and tables typed as lines of numbers under a recognised header (ANOVA/GLM
``SS df MS F p``; logistic ``B SE Wald df Sig. Exp(B)`` or ``Exp(B) Wald``; mixed models
``Estimate se df t p``).
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

import pandas as pd

from evalstats.format import Lang, _check_lang
from evalstats.recheck._calls import (
    anova_checks,
    chi2_checks,
    f_checks,
    logistic_checks,
    mixed_checks,
    not_checked,
    p_check,
    r_checks,
    t_checks,
    value_check,
)
from evalstats.recheck._core import num, p_t
from evalstats.recheck._result import Check, RecheckResult

NUM = r"[-−–]?(?:\d+(?:[.,]\d+)?|[.,]\d+)"
_B = r"(?<![\w/-])"
_CHI = r"(?:χ\s?2|χ²|χ\^2|ꭕ\s?2|ꭕ²|[Cc]hi\s?2|[Cc]hi²|[Cc]hi-?square|X2|X²)"
STAT = re.compile(
    rf"{_B}(?P<t>[tT])\s*\(\s*(?P<t_df>\d+(?:[.,]\d+)?)\s*\)\s*(?:=|<|>)\s*(?P<t_v>{NUM})"
    rf"|{_B}F\s*\(\s*(?P<f_df1>\d+)\s*[,;]\s*(?P<f_df2>\d+(?:[.,]\d+)?)\s*\)\s*=\s*(?P<f_v>{NUM})"
    rf"|(?<!\w){_CHI}\s*\(\s*(?:df\s*=\s*)?(?P<c_df>\d+)(?:\s*[,;]\s*[Nn]\s*=\s*\d+)?\s*\)"
    rf"\s*=?\s*(?P<c_v>{NUM})"
    rf"|(?<!\w){_CHI}\s*=\s*(?P<c2_v>{NUM})\s*[;,]\s*df\s*=\s*(?P<c2_df>\d+)"
    rf"|{_B}r\s*(?:\(\s*(?P<r_df>\d+)\s*\))?\s*=\s*(?P<r_v>{NUM})"
    rf"|{_B}[zZ]\s*=\s*(?P<z_v>{NUM})"
    rf"|{_B}Wald(?:\s*\(\s*(?:df\s*=?\s*)?(?P<w_df1>\d+)\s*\))?\s*=\s*(?P<w_v>{NUM})"
    rf"(?:\s*\(\s*df\s*=?\s*(?P<w_df2>\d+)\s*\))?"
)
STARS = re.compile(r"\*{1,3}")
P_AFTER = re.compile(
    r"[\s,;:(]*(?:\((?:one|two)-(?:sided|tailed)\)[\s,;:(]*|(?:eenzijdig|tweezijdig)[\s,;:(]*)?"
    rf"(?:(?P<p>[pP]\s*(?:<=|>=|≤|≥|=|<|>)\s*{NUM})|(?P<ns>n\.\s?s\.?|ns\b))")
LOOSE = re.compile(rf"{_B}(?:[tTF]\s*\(\s*\d[^()\n]{{0,12}}\)|[tF]\s*=\s*{NUM}|{_CHI})")

ROW_NUM = re.compile(r"^[-−–]?(?:\d+(?:[.,]\d+)?|[.,]\d+)[ªa]?\**\.?$")  # R marks p < .1 by "."
HEADERS = {
    "mixed": (re.compile(r"\bEstimate\b", re.I), [
        ("estimate", r"\bEstimate\b"), ("se", r"\bse\b|Std\.\s*Error|S\.E\."),
        ("df", r"\bdf\b"), ("t", r"\bt(?:-value|-waarde)?\b"),
        ("p", r"\bp(?:-value|-waarde)?\b|\bSig\b"), ("n", r"\bn\b")]),
    "logistic": (re.compile(r"\bWald\b"), [
        ("b", r"(?<![\w(])B\b(?!\))"), ("se", r"S\.?E\.?\b"), ("wald", r"\bWald\b"),
        ("df", r"\bdf\b"), ("p", r"\bSig\b|\bp\b"), ("exp_b", r"Exp\s*\(\s*B\s*\)"),
        ("ci_low", r"\bLower\b|\bOnder"), ("ci_high", r"\bUpper\b|\bBoven")]),
    "anova": (re.compile(r"\b(?:SS|Sum of Squares|Kwadratensom)\b|Type\s*(?:III|111)\s*SS"), [
        ("ss", r"SS\b|Sum of Squares|Kwadratensom"), ("df", r"\bdf\b"),
        ("ms", r"\bMS\b|Mean Square|Gemiddelde kwadraat"), ("f", r"(?<![\w.])F\b"),
        ("p", r"\bSig\b|(?<![\w-])[pP]\b"), ("partial_eta2", r"ηp²|η²|[Pp]artial [Ee]ta|eta2")]),
}
ERROR_ROW = re.compile(r"^(?:Error|Fout|Residual|Within Groups|Binnen groepen)\b", re.I)
TOTAL_ROW = re.compile(r"^(?:Correct(?:ed)?\s+|Gecorrigeerd\s+)?(?:Total|Totaal)\b", re.I)
CORRECTED_TOTAL_ROW = re.compile(r"^(?:Correct(?:ed)?|Gecorrigeerd)\s+(?:Total|Totaal)\b", re.I)
MODEL_ROW = re.compile(r"^(?:Correct(?:ed)?\s+Model|Gecorrigeerd\s+model|Between Groups|"
                       r"Tussen groepen)\b", re.I)
MAX_TABLE_LINES = 60

_MSG = {
    "loose": {"en": "recognised as a statistic but its degrees of freedom or value could not be "
                    "read", "nl": "herkend als toetsgrootheid, maar vrijheidsgraden of waarde "
                    "niet leesbaar"},
    "cols": {"en": "the row prints {k} of the {n} columns ({cols}); nothing to recompute",
             "nl": "de rij bevat {k} van de {n} kolommen ({cols}); niets te herberekenen"},
    "df0": {"en": "df = 0: the effect is not estimable (aliased)",
            "nl": "df = 0: het effect is niet schatbaar (afhankelijk van andere effecten)"},
    "sum": {"en": "model {x} + error {x}", "nl": "{x} model + {x} error"},
    "total_df": {"en": "model df + error df + 1", "nl": "df model + df error + 1"},
    "total": {"en": "total row without the model and error rows it adds up",
              "nl": "totaalrij zonder de model- en errorrij die zij optelt"},
    "no_error": {"en": "no Error row in the table, F cannot be recomputed",
                 "nl": "geen Error-rij in de tabel, F niet te herberekenen"},
}


def _df(s: str | None):
    if s is None:
        return None
    return s if ("," in s or "." in s) else int(s)


def _p_after(source: str, end: int) -> tuple[str | None, int]:
    m = P_AFTER.match(source, end, min(len(source), end + 60))
    if not m:
        return None, end
    if m.group("ns"):
        return "n.s.", m.end()
    return re.sub(r"\s+", " ", m.group("p")), m.end()


def _stat_checks(m: re.Match, p: str | None, what: str, lang: Lang) -> list[Check]:
    g = m.groupdict()
    if g["t_v"] is not None:
        return t_checks(g["t_v"], _df(g["t_df"]), p, lang, what)
    if g["f_v"] is not None:
        return f_checks(g["f_v"], int(g["f_df1"]), _df(g["f_df2"]), p, lang, what)
    if g["c_v"] is not None:
        return chi2_checks(g["c_v"], int(g["c_df"]), p, lang, what)
    if g["c2_v"] is not None:
        return chi2_checks(g["c2_v"], int(g["c2_df"]), p, lang, what)
    if g["r_v"] is not None:
        return r_checks(g["r_v"], _df(g["r_df"]), p, lang, what)
    if g["z_v"] is not None:
        zv = num(g["z_v"], "z")
        return [p_check("z", what, zv, p_t((zv.lo, zv.hi), (float("inf"),) * 2), p, lang)]
    df = g["w_df1"] or g["w_df2"]
    return chi2_checks(g["w_v"], int(df) if df else 1, p, lang, what, "Wald")


def _apa(source: str, lang: Lang) -> tuple[list[Check], list[tuple[int, int]]]:
    out: list[Check] = []
    spans: list[tuple[int, int]] = []
    for m in STAT.finditer(source):
        end = m.end()
        stars = STARS.match(source, end)
        if stars:
            end = stars.end()
        p, pend = _p_after(source, end)
        if p is None and stars:
            p = stars.group(0)
        what = re.sub(r"\s+", " ", source[m.start():pend]).strip(" ,;:")
        try:
            checks = _stat_checks(m, p, what, lang)
        except ValueError as exc:
            checks = [not_checked(_kind(m), what, str(exc))]
        for c in checks:
            c.start, c.end = m.start(), pend
        out.extend(checks)
        spans.append((m.start(), pend))
    starts = [s for s, _ in spans]
    for m in LOOSE.finditer(source):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and spans[i][0] <= m.start() < spans[i][1]:
            continue
        what = re.sub(r"\s+", " ", source[m.start():m.end() + 12]).strip()
        head = m.group(0)[0]
        c = not_checked({"t": "t", "T": "t", "F": "F"}.get(head, "chi2"), what, _MSG["loose"][lang])
        c.start, c.end = m.start(), m.end()
        out.append(c)
        spans.append((m.start(), m.end()))
    return out, spans


def _kind(m: re.Match) -> str:
    for key, name in (("t_v", "t"), ("f_v", "F"), ("c_v", "chi2"), ("c2_v", "chi2"), ("r_v", "r"), ("z_v", "z")):
        if m.group(key) is not None:
            return name
    return "Wald"


# ---------------------------------------------------------------- tables typed in the text


def _columns(kind: str, header: str) -> list[str]:
    found = []
    for name, pattern in HEADERS[kind][1]:
        m = re.search(pattern, header, re.I if kind == "mixed" else 0)
        if m:
            found.append((m.start(), name))
    cols = [name for _, name in sorted(found)]
    if kind == "logistic" and re.search(r"C\.?I\.?", header) and "ci_low" not in cols:
        cols += ["ci_low", "ci_high"]
    return cols


def _header_kind(line: str) -> tuple[str, list[str]] | None:
    if len(line) > 120 or "=" in line:
        return None
    for kind, (trigger, _) in HEADERS.items():
        if trigger.search(line):
            cols = _columns(kind, line)
            needed = {"mixed": {"estimate", "se"}, "logistic": {"wald"},
                      "anova": {"ss", "df", "f"}}[kind]
            if needed <= set(cols):
                return kind, cols
    return None


def _split_row(line: str, ncols: int) -> tuple[str, list[str]] | None:
    tokens = line.split()
    values: list[str] = []
    while tokens and ROW_NUM.match(tokens[-1]) and len(values) < ncols:
        values.insert(0, tokens.pop())
    if not values:
        return None
    return " ".join(tokens), values


def _stars(values: list[str]) -> str | None:
    for v in values:
        m = re.search(r"\*{1,3}$", v)
        if m:
            return m.group(0)
    return None


def row_checks(kind: str, label: str, row: dict, lang: Lang, error: dict | None = None
               ) -> list[Check]:
    """Checks of one table row given as {column: printed text}; ``error`` is the Error row of
    an ANOVA table."""
    what = f"{label}: " + " ".join(str(v) for v in row.values() if v is not None)
    if kind == "mixed":
        if row.get("estimate") is None or row.get("se") is None or (
                row.get("t") is None and row.get("p") is None):
            return []
        return mixed_checks(row["estimate"], row["se"], row.get("t"), _df(row.get("df")),
                            row.get("p"), lang, what)
    if kind == "logistic":
        p = row.get("p")
        if p is None:
            p = _stars([str(v) for v in row.values() if v is not None])
        return logistic_checks(row.get("b"), row.get("se"), row.get("wald"),
                               _df(row.get("df")) or 1, p, row.get("exp_b"), row.get("ci_low"),
                               row.get("ci_high"), lang, what)
    if _df(row.get("df")) == 0:
        return [not_checked("F", what, _MSG["df0"][lang])]
    if error is None and row.get("f") is not None:
        return [not_checked("F", what, _MSG["no_error"][lang])]
    e = error or {}
    return anova_checks(row.get("ss"), _df(row.get("df")), row.get("ms"), row.get("f"),
                        row.get("p"), e.get("ss"), _df(e.get("df")), e.get("ms"),
                        row.get("partial_eta2"), lang, what, check_error=False)


def _error_check(error: dict, label: str, lang: Lang) -> list[Check]:
    if error.get("ss") is None or error.get("ms") is None or error.get("df") is None:
        return []
    what = f"{label}: " + " ".join(str(v) for v in error.values() if v is not None)
    e = num(error["ss"], "SS_error")
    d = float(_df(error["df"]))
    return [value_check("MS", what, "MS_error", "SS_error/df_error", num(error["ms"], "MS_error"),
                        (e.lo / d, e.hi / d), lang, str(error["df"]))]


def _total_checks(rows: list[tuple[str, dict, int]], error: dict | None, lang: Lang
                  ) -> list[tuple[Check, int]]:
    """Total rows: corrected total SS = model SS + error SS and df likewise (every SS type);
    the uncorrected total has one df more (the intercept). In a one-way table (between/within, no intercept
    row) the total is the corrected total."""
    model = next((r for label, r, _ in rows if MODEL_ROW.match(label)), None)
    one_way = not any(label.lower().startswith("intercept") for label, _, _ in rows)
    corrected = next((r for label, r, _ in rows if CORRECTED_TOTAL_ROW.match(label)), None)
    out: list[tuple[Check, int]] = []
    for label, row, i in rows:
        if not TOTAL_ROW.match(label):
            continue
        what = f"{label}: " + " ".join(str(v) for v in row.values() if v is not None)
        is_corrected = CORRECTED_TOTAL_ROW.match(label) or (one_way and corrected is None)
        checks: list[Check] = []
        if is_corrected and model is not None and error is not None:
            for name in ("ss", "df"):
                if all(r.get(name) is not None for r in (row, model, error)):
                    a, b = num(model[name]), num(error[name])
                    exact = name == "df"
                    iv = ((a.value + b.value,) * 2 if exact else (a.lo + b.lo, a.hi + b.hi))
                    checks.append(value_check("total", what, "SS" if name == "ss" else "df",
                                              _MSG["sum"][lang].format(x=name.upper() if name ==
                                                                       "ss" else "df"),
                                              num(row[name]), iv, lang))
        elif not is_corrected and row.get("df") is not None:
            parts = [model, error] if model and error else [corrected]
            if all(r is not None and r.get("df") is not None for r in parts):
                d = sum(num(r["df"]).value for r in parts) + 1
                checks.append(value_check("total", what, "df", _MSG["total_df"][lang],
                                          num(row["df"]), (d, d), lang))
        if not checks:
            checks = [not_checked("total", what, _MSG["total"][lang])]
        out.extend((c, i) for c in checks)
    return out


def _table_rows(kind: str, cols: list[str], rows: list[tuple[str, dict, int]], lang: Lang
                ) -> list[tuple[Check, int]]:
    """Checks of the rows of one table; each with the index of its row.

    In a logistic table without a p column that marks significance with stars, a row without
    stars says p > .05."""
    out: list[tuple[Check, int]] = []
    error = None
    if kind == "logistic" and "p" not in cols and any(
            _stars([str(v) for v in row.values() if v is not None]) for _, row, _ in rows):
        for _, row, _ in rows:
            if not _stars([str(v) for v in row.values() if v is not None]):
                row["p"] = "n.s."
    if kind == "anova":
        for label, row, i in rows:
            if ERROR_ROW.match(label):
                error = row
                out.extend((c, i) for c in _error_check(row, label, lang))
    if kind == "anova":
        out.extend(_total_checks(rows, error, lang))
    for label, row, i in rows:
        if kind == "anova" and (ERROR_ROW.match(label) or TOTAL_ROW.match(label)):
            continue
        present = [c for c in cols if row.get(c) is not None]
        checks = row_checks(kind, label, row, lang, error)
        if not checks:
            what = f"{label}: " + " ".join(str(row[c]) for c in present)
            checks = [not_checked(kind, what, _MSG["cols"][lang].format(
                k=len(present), n=len(cols), cols=", ".join(cols)))]
        out.extend((c, i) for c in checks)
    return out


def _text_tables(source: str, lines: list[str], offsets: list[int],
                 spans: list[tuple[int, int]], lang: Lang) -> list[Check]:
    out: list[Check] = []
    starts = sorted(spans)
    i = 0
    while i < len(lines):
        head = _header_kind(lines[i])
        if head is None:
            i += 1
            continue
        kind, cols = head
        rows: list[tuple[str, dict, int]] = []
        j = i + 1
        while j < len(lines) and j - i <= MAX_TABLE_LINES:
            line = lines[j]
            if not line.strip():
                j += 1
                continue
            parsed = _split_row(line, len(cols))
            if parsed is None or not parsed[0] or parsed[0][0] in "*ª" or _header_kind(line):
                break
            lo, hi = offsets[j], offsets[j] + len(line)
            k = bisect.bisect_left(starts, (lo, -1))
            inside = k < len(starts) and starts[k][0] < hi
            if not inside:
                label, values = parsed
                if kind == "mixed" and len(values) < len(cols):
                    row = dict(zip(["estimate", "se"], values[:2], strict=False))
                    row.update({"n": values[-1]} if "n" in cols and len(values) > 2 else {})
                else:
                    row = dict(zip(cols, values, strict=False))
                rows.append((label, row, j))
            j += 1
        for c, r in _table_rows(kind, cols, rows, lang):
            c.line = r + 1
            c.start, c.end = offsets[r], offsets[r] + len(lines[r])
            out.append(c)
        i = j
    return out


def _read(text_or_path) -> str:
    if isinstance(text_or_path, Path):
        return text_or_path.read_text(encoding="utf-8", errors="replace")
    s = str(text_or_path)
    if "\n" not in s and len(s) < 4096 and s.lower().endswith((".txt", ".md", ".text")):
        path = Path(s)
        if not path.is_file():
            raise FileNotFoundError(2, "file not found", s)
        return path.read_text(encoding="utf-8", errors="replace")
    return s


def text(text_or_path, lang: Lang = "en") -> RecheckResult:
    """Find and check every statistic in a plain text (or a ``.txt``/``.md`` file).

    Each APA-style statistic is one row; each table row one row per recomputed quantity. A
    statistic that is recognised but cannot be read fully is a "not checked" row with the
    reason.

    Examples
    --------
    >>> res = text("t(28) = 2.37, p = .03 and F(2; 121) = 9,20; p < ,001; r = .32, p = .01")
    >>> res.table[["statistic", "df", "p", "verdict"]].values.tolist()
    [['t', '28', 'p = .03', 'consistent'], ['F', '2, 121', 'p < ,001', 'consistent'], ['r', '', '', 'not checked']]
    """
    _check_lang(lang)
    source = _read(text_or_path)
    lines = source.split("\n")
    offsets = [0]
    for line in lines[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    apa, spans = _apa(source, lang)
    for c in apa:
        c.line = bisect.bisect_right(offsets, c.start)
    checks = apa + _text_tables(source, lines, offsets, spans, lang)
    checks.sort(key=lambda c: (c.start, c.line))
    return RecheckResult(checks, lang, source)


# ---------------------------------------------------------------- CSV and Excel tables

FIELDS = {kind: [name for name, _ in spec[1]] for kind, spec in HEADERS.items()}


def table(data, kind: str, mapping: dict | None = None, label: str | None = None,
          lang: Lang = "en") -> RecheckResult:
    """Check the rows of a table of printed numbers (a DataFrame, CSV or Excel file).

    ``kind`` is ``"anova"`` (columns ss, df, ms, f, p, partial_eta2; the Error row is found by
    its label), ``"logistic"`` (b, se, wald, df, p, exp_b, ci_low, ci_high) or ``"mixed"``
    (estimate, se, df, t, p). ``mapping`` maps these names to the table's column names; cells
    are read as text so that their printed decimals count.

    Examples
    --------
    >>> df = pd.DataFrame({"Source": ["Groep", "Error"], "SS": ["12,3", "60,0"],
    ...                    "df": ["2", "30"], "MS": ["6,15", "2,00"], "F": ["5,08", None]})
    >>> res = table(df, "anova", {"ss": "SS", "df": "df", "ms": "MS", "f": "F"}, label="Source")
    >>> res.table[["check", "verdict"]].values.tolist()
    [['MS_error', 'consistent'], ['MS', 'consistent'], ['F', 'inconsistent']]
    """
    _check_lang(lang)
    if kind not in FIELDS:
        raise ValueError(f"kind must be one of {sorted(FIELDS)}, got {kind!r}")
    if not isinstance(data, pd.DataFrame):
        path = Path(data)
        if not path.is_file():
            raise FileNotFoundError(2, "file not found", str(path))
        data = (pd.read_excel(path, dtype=str) if path.suffix.lower() in (".xlsx", ".xls")
                else pd.read_csv(path, sep=None, engine="python", dtype=str))
    mapping = dict(mapping or {c: c for c in FIELDS[kind] if c in data.columns})
    for field_name, column in mapping.items():
        if field_name not in FIELDS[kind]:
            raise ValueError(f"mapping: {field_name!r} is not a {kind} column; expected one of "
                             f"{FIELDS[kind]}")
        if column not in data.columns:
            raise ValueError(f"mapping: column {column!r} (for {field_name}) is not in the table;"
                             f" columns are {list(data.columns)}")
    if label is not None and label not in data.columns:
        raise ValueError(f"label: column {label!r} is not in the table")
    rows = []
    for i, rec in enumerate(data.to_dict("records")):
        row = {f: (None if pd.isna(rec[c]) or str(rec[c]).strip() == "" else str(rec[c]).strip())
               for f, c in mapping.items()}
        rows.append((str(rec[label]) if label else f"row {i + 1}", row, i))
    checks = []
    for c, i in _table_rows(kind, list(mapping), rows, lang):
        c.line = i + 1
        checks.append(c)
    return RecheckResult(checks, lang)

