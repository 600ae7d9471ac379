"""The evaluation report: HTML and Markdown pages, tables as CSV, figures as PNG."""

from __future__ import annotations

from pathlib import Path

from zorgeval.report.builder import Figure, Paragraph, Report, Section, Table, build_report
from zorgeval.report.render import to_html, to_markdown

__all__ = ["Figure", "Paragraph", "Report", "Section", "Table", "build_report", "to_html",
           "to_markdown", "write_report"]


def write_report(evaluation, out_dir: str | Path, lang: str | None = None,
                 min_cell: int | None = None) -> Path:
    """Write the report folder of an evaluation; returns the path of ``report.html``.

    The folder gets ``report.html`` (standalone, inline CSS), ``report.md`` (the same content),
    the figures as PNG next to them and every report table as ``tables/<key>.csv`` (display
    values, small cells suppressed as in the report). ``lang`` (``"en"``/``"nl"``) and
    ``min_cell`` default to the project's ``[report]`` options.

    Examples
    --------
    >>> from importlib import resources
    >>> import tempfile, pathlib
    >>> from zorgeval.pipeline import run_evaluation
    >>> from zorgeval.project import Project
    >>> with resources.as_file(resources.files("fidelity") / "data" / "reset_survey.csv") as f:
    ...     ev = run_evaluation(Project(instrument="reset", factors={"workflow": "none"},
    ...                                 survey={"file": f, "groups": ["organisation"]}), quiet=True)
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> write_report(ev, out, lang="nl").name
    'report.html'
    >>> sorted(p.name for p in (out / "tables").iterdir())[:2]
    ['data_files.csv', 'fidelity_category_organisation.csv']
    """
    out = Path(out_dir)
    report = build_report(evaluation, out, lang=lang, min_cell=min_cell)
    tables = out / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    for tab in report.tables():
        tab.frame.to_csv(tables / f"{tab.key}.csv", index=False, lineterminator="\n")
    (out / "report.md").write_text(to_markdown(report), encoding="utf-8")
    html = out / "report.html"
    html.write_text(to_html(report), encoding="utf-8")
    return html
