"""The evaluation report: HTML and Markdown pages, tables as CSV and an Excel workbook, figures as PNG."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zorgeval.folders import finish_report_folder, folder_files, previous_report_files
from zorgeval.report.builder import Figure, Paragraph, Report, Section, Table, build_report
from zorgeval.report.monitoring import write_monitoring_report
from zorgeval.report.render import to_html, to_markdown, write_tables

__all__ = ["Figure", "Paragraph", "Report", "ReportFiles", "Section", "Table", "build_report",
           "to_html", "to_markdown", "write_monitoring_report", "write_report"]


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`write_report` did in the report folder.

    ``html`` is the path of ``report.html``; ``written`` and ``removed`` are relative paths of
    the files this run wrote and of the files of an earlier run it removed.

    Examples
    --------
    >>> ReportFiles(Path("out/report.html"), ("report.html",), ()).html.name
    'report.html'
    """

    html: Path
    written: tuple[str, ...]
    removed: tuple[str, ...]


def write_report(evaluation, out_dir: str | Path, lang: str | None = None,
                 min_cell: int | None = None, force: bool = False) -> ReportFiles:
    """Write the report folder of an evaluation; returns the files written and removed.

    The folder gets ``report.html`` (standalone, inline CSS), ``report.md`` (the same content),
    the figures as PNG next to them, every report table as ``tables/<key>.csv`` and all of
    them in the workbook ``tables.xlsx`` (exact values, small cells suppressed as in the report,
    see :func:`zorgeval.report.render.write_tables`). ``lang`` (``"en"``/``"nl"``) and
    ``min_cell`` default to the project's ``[report]`` options.

    The files written are recorded in ``.zorgeval-manifest.json``. Writing into a folder that
    holds an earlier report removes the earlier run's files that this run does not write again,
    so no figure or table of another project or grouping is left behind. A folder that is not
    empty and holds no such manifest raises :class:`zorgeval.folders.OutputFolderError` before
    anything is written, unless ``force`` is true (its files are then kept).

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
    >>> files = write_report(ev, out, lang="nl")
    >>> files.html.name, files.removed
    ('report.html', ())
    >>> sorted(p.name for p in (out / "tables").iterdir())[:2]
    ['data_files.csv', 'fidelity_category_organisation.csv']

    The same folder again, for an evaluation that compares levels of education instead of
    organisations: the organisations' figure and tables are removed.

    >>> with resources.as_file(resources.files("fidelity") / "data" / "reset_survey.csv") as f:
    ...     ev = run_evaluation(Project(instrument="reset", factors={"workflow": "none"},
    ...                                 survey={"file": f, "groups": ["education", "organisation"],
    ...                                         "compare_by": ["education"]}), quiet=True)
    >>> write_report(ev, out, lang="nl").removed
    ('fidelity_items_organisation.png', 'tables/fidelity_category_organisation.csv', ...)
    """
    out = Path(out_dir)
    previous = previous_report_files(out, force=force)
    before = folder_files(out)
    try:
        report = build_report(evaluation, out, lang=lang, min_cell=min_cell)
        tables = write_tables(report, out)
        (out / "report.md").write_text(to_markdown(report), encoding="utf-8")
        html = out / "report.html"
        html.write_text(to_html(report), encoding="utf-8")
    except BaseException:
        if out.is_dir():  # what the failed run wrote counts as an earlier run's: removed next time
            finish_report_folder(out, previous | (folder_files(out) - before), ())
        raise
    figures = [b.file for s in report.sections for b in s.blocks if isinstance(b, Figure)]
    written = ["report.html", "report.md", *figures, *tables]
    removed = finish_report_folder(out, written, previous)
    return ReportFiles(html, tuple(sorted(set(written))), tuple(removed))
