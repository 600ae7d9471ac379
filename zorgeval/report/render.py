"""Render a report document as a standalone HTML page and as Markdown, and export its tables
(exact values) as CSV files and one Excel workbook."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

from openpyxl import Workbook

from zorgeval.report.blocks import Figure, Paragraph, Report, Table
from zorgeval.report.cells import exact_frame

__all__ = ["WORKBOOK", "to_html", "to_markdown", "write_tables"]

#: The workbook with every report table, one sheet a table, in the report folder.
WORKBOOK = "tables.xlsx"

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 75em; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { border-bottom: 2px solid #345; padding-bottom: .2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #bbb; }
.notes { background: #f4f6f8; border-left: 4px solid #345; padding: .5em 1em; }
.wrap { overflow-x: auto; margin: 1em 0; }
table { border-collapse: collapse; font-size: .85em; }
caption { text-align: left; font-weight: 600; padding: .3em 0; caption-side: top; }
caption .n { font-weight: normal; color: #555; margin-left: .6em; }
th, td { border: 1px solid #ccc; padding: .2em .5em; vertical-align: top; }
th { background: #eef1f4; }
td { white-space: nowrap; }
p.note { font-size: .85em; color: #555; margin-top: .2em; }
p.apa { font-style: italic; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; }
figcaption { font-size: .9em; color: #444; }
"""


def to_html(report: Report) -> str:
    """The report as one HTML page (inline CSS; figures referenced by relative file name).

    Examples
    --------
    >>> import pandas as pd
    >>> from zorgeval.report.builder import Section
    >>> rep = Report("T", "en", ["a note"], [Section("S", [Table("k", "A table",
    ...       pd.DataFrame({"x": ["1"]}), "N = 1")])])
    >>> "<caption>A table <span class=\\"n\\">(N = 1)</span></caption>" in to_html(rep)
    True
    """
    out = ["<!DOCTYPE html>", f'<html lang="{report.lang}">', "<head>", '<meta charset="utf-8">',
           f"<title>{escape(report.title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
           f"<h1>{escape(report.title)}</h1>", '<div class="notes">']
    out += [f"<p>{escape(n)}</p>" for n in report.notes]
    out.append("</div>")
    for sec in report.sections:
        out.append(f"<section><h2>{escape(sec.title)}</h2>")
        for b in sec.blocks:
            if isinstance(b, Paragraph):
                out.append(f"<p>{escape(b.text)}</p>")
            elif isinstance(b, Figure):
                out.append(f'<figure><img src="{escape(b.file)}" alt="{escape(b.caption)}">'
                           f"<figcaption>{escape(b.caption)}</figcaption></figure>")
            elif isinstance(b, Table):
                out.append(_html_table(b))
        out.append("</section>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _html_table(tab: Table) -> str:
    f = tab.frame
    rows = [f'<div class="wrap"><table id="{escape(tab.key)}">',
            f'<caption>{escape(tab.title)} <span class="n">({escape(tab.n)})</span></caption>',
            "<thead><tr>" + "".join(f"<th>{escape(str(c))}</th>" for c in f.columns)
            + "</tr></thead>", "<tbody>"]
    for r in f.itertuples(index=False):
        rows.append("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r) + "</tr>")
    rows += ["</tbody></table></div>"]
    if tab.note:
        rows.append(f'<p class="note">{escape(tab.note)}</p>')
    rows += [f'<p class="apa">{escape(s)}</p>' for s in tab.sentences if s]
    return "\n".join(rows)


def _md_cell(v) -> str:
    return str(v).replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report) -> str:
    """The same content as Markdown (pipe tables, images by relative file name).

    Examples
    --------
    >>> import pandas as pd
    >>> from zorgeval.report.builder import Section
    >>> rep = Report("T", "en", [], [Section("S", [Table("k", "A", pd.DataFrame({"x": ["1"]}),
    ...       "N = 1")])])
    >>> print(to_markdown(rep))
    # T
    <BLANKLINE>
    ## S
    <BLANKLINE>
    **A** (N = 1)
    <BLANKLINE>
    | x |
    | --- |
    | 1 |
    <BLANKLINE>
    """
    out = [f"# {report.title}", ""]
    for n in report.notes:
        out += [f"> {n}", ""]
    for sec in report.sections:
        out += [f"## {sec.title}", ""]
        for b in sec.blocks:
            if isinstance(b, Paragraph):
                out += [b.text, ""]
            elif isinstance(b, Figure):
                out += [f"![{b.caption}]({b.file})", ""]
            elif isinstance(b, Table):
                f = b.frame
                out += [f"**{b.title}** ({b.n})", ""]
                out.append("| " + " | ".join(_md_cell(c) for c in f.columns) + " |")
                out.append("| " + " | ".join("---" for _ in f.columns) + " |")
                out += ["| " + " | ".join(_md_cell(v) for v in r) + " |"
                        for r in f.itertuples(index=False)]
                out.append("")
                if b.note:
                    out += [f"*{b.note}*", ""]
                out += [s for s in b.sentences if s for s in (s, "")]
    return "\n".join(out)


def write_tables(report: Report, out: str | Path) -> list[str]:
    """Write every table's exact values as ``tables/<key>.csv`` and all of them as the
    workbook ``tables.xlsx``; returns the files written, relative to ``out``.

    The values are those of :func:`zorgeval.report.cells.exact_frame`: numbers unrounded where
    the report computed them, suppressed cells as their markers. The workbook's first sheet
    lists the tables (sheet, key, title, N, note); each table's sheet holds its header and rows,
    numbers as numbers and markers as text.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from openpyxl import load_workbook
    >>> from zorgeval.report.builder import Section
    >>> rep = Report("T", "en", [], [Section("S", [Table("k", "A", pd.DataFrame(
    ...       {"x": ["1", "<5"], "y": ["0.25", "x"]}), "N = 9")])])
    >>> out = Path(tempfile.mkdtemp())
    >>> write_tables(rep, out)
    ['tables/k.csv', 'tables.xlsx']
    >>> print((out / "tables" / "k.csv").read_text())
    x,y
    1,0.25
    <5,x
    <BLANKLINE>
    >>> [c.value for c in load_workbook(out / "tables.xlsx")["k"]["A"]]
    ['x', 1, '<5']
    """
    out = Path(out)
    folder = out / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    index = book.active
    index.title = "index" if report.lang == "en" else "inhoud"
    index.append(["sheet", "key", "title", "N", "note"] if report.lang == "en"
                 else ["blad", "sleutel", "titel", "N", "noot"])
    written = []
    for tab in report.tables():
        frame = exact_frame(tab.frame, report.lang)
        frame.to_csv(folder / f"{tab.key}.csv", index=False, lineterminator="\n")
        written.append(f"tables/{tab.key}.csv")
        sheet = book.create_sheet(_sheet_name(tab.key, book.sheetnames))
        index.append([sheet.title, tab.key, tab.title, tab.n, tab.note])
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_xlsx_cell(v) for v in row])
    book.save(out / WORKBOOK)
    return [*written, WORKBOOK]


def _sheet_name(key: str, taken: list[str]) -> str:
    """A table's sheet name: its key, cut to Excel's 31 characters and numbered if taken."""
    name, i = key[:31], 1
    while name.lower() in {t.lower() for t in taken}:
        i += 1
        name = f"{key[:31 - len(str(i)) - 1]}~{i}"
    return name


def _xlsx_cell(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v
