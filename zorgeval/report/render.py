"""Render a report document as a standalone HTML page and as Markdown."""

from __future__ import annotations

from html import escape

from zorgeval.report.builder import Figure, Paragraph, Report, Table

__all__ = ["to_html", "to_markdown"]

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
