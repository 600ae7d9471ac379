"""The ``zorgeval`` console command.

::

    zorgeval report PROJECT.toml -o OUTDIR [--lang nl] [--min-cell 5] [--force] [--allow-outside-paths]
    zorgeval monitor PROJECT.toml -o OUTDIR [--quarter 2025Q3] [--lang nl] [--min-cell 5] [--force]
    zorgeval score-survey --instrument reset DATA.csv -o OUTDIR [--group organisation]
    zorgeval factors --instrument reset DATA.csv -o OUTDIR [--workflow per_principle]
    zorgeval score-goals --taxonomy reset GOALS.csv -o OUTDIR [--rater rater --rule np]
    zorgeval example reset|np|costs -o OUTDIR [--force]
    zorgeval recheck FILE [--lang nl] [--html OUT.html] [--csv OUT.csv]
    zorgeval --version

User errors (a wrong project field, a missing file or column, bad values) print one line naming
the file, column and row — and for data with several problems the first problems below it — and
exit with status 1; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import evalstats  # noqa: E402
import fidelity  # noqa: E402
import gas  # noqa: E402
from evalstats.errors import RegistryError  # noqa: E402
from zorgeval.folders import previous_report_files  # noqa: E402
from zorgeval.pipeline import run_evaluation  # noqa: E402
from zorgeval.project import (  # noqa: E402
    EXAMPLES,
    ProjectError,
    is_definition_file,
    load_project,
    write_example,
)
from zorgeval.report import write_monitoring_report, write_report  # noqa: E402
from zorgeval.report.builder import Suppressor, protected_levels  # noqa: E402

__all__ = ["main", "parser"]

USER_ERRORS = (ProjectError, evalstats.DataValidationError, evalstats.TableReadError,
               FileNotFoundError, RegistryError, ValueError, KeyError)
MAX_PROBLEMS = 20


def _read(args) -> object:
    kwargs = {k: getattr(args, k) for k in ("sep", "decimal") if getattr(args, k) is not None}
    return evalstats.read_table(args.data, mapping=args.mapping, **kwargs)


def _instrument(spec: str):
    if is_definition_file(spec):
        return fidelity.load_instrument(spec)
    return fidelity.get_instrument(spec)


def _cmd_report(args) -> int:
    project = load_project(args.project, allow_outside_paths=args.allow_outside_paths)
    previous_report_files(args.output, force=args.force)  # refuse a foreign folder before the run
    ev = run_evaluation(project, quiet=args.quiet)
    files = write_report(ev, args.output, lang=args.lang, min_cell=args.min_cell, force=args.force)
    print(f"report written to {files.html}")
    if files.removed:
        print(f"removed {len(files.removed)} file{'s' if len(files.removed) > 1 else ''} of the "
              f"earlier report in {args.output}: {', '.join(files.removed)}")
    return 0


def _cmd_monitor(args) -> int:
    project = load_project(args.project, allow_outside_paths=args.allow_outside_paths)
    files = write_monitoring_report(project, args.output, quarter=args.quarter, lang=args.lang,
                                    min_cell=args.min_cell, force=args.force)
    print(f"monitoring report {files.result.quarter} written to {files.html}")
    return 0


def _cmd_score_survey(args) -> int:
    data = _read(args)
    inst = _instrument(args.instrument)
    scores = fidelity.score_survey(data, inst, respondent=args.respondent, groups=args.group,
                                   ignore=args.ignore, missing_items=args.missing_items)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    scores.item_stats.to_csv(out / "item_stats.csv", index=False)
    scores.scale_stats.to_csv(out / "scale_stats.csv", index=False)
    scores.group_stats.to_csv(out / "group_stats.csv", index=False)
    scores.scores.to_csv(out / "scores.csv")
    for by in args.group:
        for level in ("item", "principle", "category"):
            if scores.variables(level):
                scores.compare(by=by, level=level).table.to_csv(
                    out / f"comparison_{by}_{level}.csv", index=False)
    print(scores.apa(args.lang))
    print(f"tables written to {out}")
    return 0


def _cmd_factors(args) -> int:
    data = _read(args)
    inst = _instrument(args.instrument)
    scores = fidelity.score_survey(data, inst, respondent=args.respondent, groups=args.group,
                                   ignore=args.ignore, missing_items=args.missing_items)
    remove = []
    for spec in args.remove:
        item, sep, reason = spec.partition("=")
        if not sep or not reason.strip():
            raise ValueError(f"--remove {spec!r}: expected ITEM=REASON")
        remove.append((item.strip(), reason.strip()))
    if args.workflow == "exploratory":
        res = fidelity.exploratory_factors(scores.answers, items=args.items or None, remove=remove)
    else:
        res = fidelity.factors_per_principle(scores.answers, inst, remove=remove)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    (out / "factors.md").write_text(res.report(args.lang), encoding="utf-8")
    res.steps.to_csv(out / "steps.csv", index=False)
    res.factors.to_csv(out / "factors.csv", index=False)
    res.loose_items.to_csv(out / "loose_items.csv", index=False)
    res.scores.to_csv(out / "factor_scores.csv")
    for group, p in res.pcas.items():
        safe = "".join(ch if ch.isalnum() else "_" for ch in str(group))
        for name, ax in ((f"scree_{safe}.png", fidelity.scree_plot(p, lang=args.lang)),
                         (f"loadings_{safe}.png", fidelity.loadings_heatmap(p))):
            ax.figure.savefig(out / name, dpi=100, bbox_inches="tight")
            plt.close(ax.figure)
    print(res.apa(args.lang))
    print(f"factors written to {out}")
    return 0


def _cmd_score_goals(args) -> int:
    data = _read(args)
    goals = gas.validate_goals(data, taxonomy=args.taxonomy, scale=args.scale, case=args.case,
                               goal=args.goal, category=args.category, level=args.level,
                               rater=args.rater, default_rater=None if args.rater else "joint",
                               period=args.period)
    results = goals.aggregate_raters(rule=args.rule) if args.rater else goals
    frame = results.frame
    period = "last" if args.period else None
    dist = gas.level_distribution(results, period=period, taxonomy=args.taxonomy, scale=args.scale)
    if args.min_cell < 1:
        raise ValueError(f"min_cell must be at least 1, got {args.min_cell}")
    # the distribution, its figure and sentences are suppressed as in the report
    view = protected_levels(dist, frame, Suppressor(args.min_cell, args.lang), period=period,
                            taxonomy=args.taxonomy, scale=args.scale)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    view.frame.to_csv(out / "level_distribution.csv", index=False, lineterminator="\n")
    by = "period" if args.period else None
    gas.tscores(frame, case="case", score="level", scale=args.scale, by=by).to_csv(
        out / "tscores.csv", index=False)
    if args.rater:
        results.table.to_csv(out / "raters.csv", index=False)
    if view.shown is not None:
        ax = view.plot()
        ax.figure.savefig(out / "levels.png", dpi=100, bbox_inches="tight")
        plt.close(ax.figure)
    for sentence in view.sentences:
        print(sentence)
    print(f"goal tables written to {out}")
    return 0


def _cmd_recheck(args) -> int:
    res = evalstats.recheck.text(Path(args.file), lang=args.lang)
    flagged = res.flagged
    for row in flagged.itertuples():
        print(f"{args.file}:{row.line}: {row.verdict}: {row.explanation}")
    print(res.apa())
    if args.csv:
        res.table.to_csv(args.csv, index=False)
    if args.html:
        Path(args.html).write_text(res.to_html(), encoding="utf-8")
    return 0


def _cmd_example(args) -> int:
    project = write_example(args.name, args.output, force=args.force)
    print(f"example project written to {project}")
    print(f"run: zorgeval report {project} -o {Path(args.output) / 'report'}")
    return 0


def _data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("data", help="data file (.csv, .txt, .xlsx, .sav)")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.add_argument("--mapping", help="TOML/JSON file renaming columns: 'column in file' = 'name'")
    p.add_argument("--sep", help="CSV field separator (detected when left out)")
    p.add_argument("--decimal", choices=[".", ","], help="decimal mark (detected when left out)")
    p.add_argument("--lang", choices=["en", "nl"], default="en")


def _survey_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--instrument", required=True, help="instrument id (reset, np) or definition file")
    p.add_argument("--respondent", default="respondent", help="respondent id column")
    p.add_argument("--group", action="append", default=[], help="group column (repeatable)")
    p.add_argument("--ignore", action="append", default=[], help="column to ignore (repeatable)")
    p.add_argument("--missing-items", choices=["error", "skip"], default="error",
                   help="items without a column: an error (default) or skipped (partial survey)")


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``zorgeval`` command.

    Examples
    --------
    >>> args = parser().parse_args(["report", "p.toml", "-o", "out", "--lang", "nl"])
    >>> args.command, args.lang, args.min_cell
    ('report', 'nl', None)
    """
    ap = argparse.ArgumentParser(prog="zorgeval", description="Evaluate care interventions: "
                                 "fidelity, method factors, target group, GAS, overall analysis.")
    ap.add_argument("--version", action="version", version=f"%(prog)s {evalstats.__version__}")
    ap.add_argument("--debug", action="store_true", help="show the traceback of errors")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("report", help="run a project and write its report folder")
    p.add_argument("project", help="project file (TOML)")
    p.add_argument("-o", "--output", required=True, help="report folder")
    p.add_argument("--lang", choices=["en", "nl"], default=None, help="report language")
    p.add_argument("--min-cell", type=int, default=None, help="suppress cells below this N")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    p.add_argument("--force", action="store_true",
                   help="write into a non-empty folder that holds no earlier report (its files are kept)")
    p.add_argument("--allow-outside-paths", action="store_true",
                   help="allow data files outside the project folder")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("monitor", help="quarterly monitoring report of a project's indicators")
    p.add_argument("project", help="project file (TOML) with a [monitoring] section")
    p.add_argument("-o", "--output", required=True, help="report folder")
    p.add_argument("--quarter", default=None, help="quarter reported, e.g. 2025Q3")
    p.add_argument("--lang", choices=["en", "nl"], default=None, help="report language")
    p.add_argument("--min-cell", type=int, default=None, help="suppress counts below this N")
    p.add_argument("--force", action="store_true", help="write into a folder of other files")
    p.add_argument("--allow-outside-paths", action="store_true",
                   help="allow data files outside the project folder")
    p.set_defaults(func=_cmd_monitor)

    p = sub.add_parser("score-survey", help="score a fidelity survey")
    _data_options(p)
    _survey_options(p)
    p.set_defaults(func=_cmd_score_survey)

    p = sub.add_parser("factors", help="method factors of a fidelity survey")
    _data_options(p)
    _survey_options(p)
    p.add_argument("--workflow", choices=["exploratory", "per_principle"], default="exploratory")
    p.add_argument("--items", nargs="+", default=[], help="items of the exploratory PCA")
    p.add_argument("--remove", action="append", default=[], metavar="ITEM=REASON",
                   help="remove an item before the first PCA (repeatable)")
    p.set_defaults(func=_cmd_factors)

    p = sub.add_parser("score-goals", help="GAS level distribution and T-scores")
    _data_options(p)
    p.add_argument("--taxonomy", default="reset", help="goal taxonomy id (reset, np) or file")
    p.add_argument("--scale", default="gas5", help="GAS scale id")
    for col in ("case", "goal", "category", "level"):
        p.add_argument(f"--{col}", default=col, help=f"{col} column")
    p.add_argument("--period", default=None, help="period column")
    p.add_argument("--rater", default=None, help="rater column (several raters per goal)")
    p.add_argument("--rule", default="np", help="rater rule when --rater is given")
    p.add_argument("--min-cell", type=int, default=5,
                   help="suppress counts below this in level_distribution.csv, levels.png and the "
                        "printed sentences, as the report does (tscores.csv and raters.csv hold "
                        "one row per case or goal: working files, not for publication)")
    p.set_defaults(func=_cmd_score_goals)

    p = sub.add_parser("recheck", help="check the statistics printed in a text file")
    p.add_argument("file", help="plain text (e.g. pdftotext output of a report)")
    p.add_argument("--lang", choices=["en", "nl"], default="en", help="language of the verdicts")
    p.add_argument("--html", default=None, help="write the text with marked statistics here")
    p.add_argument("--csv", default=None, help="write the table of checks here")
    p.set_defaults(func=_cmd_recheck)

    p = sub.add_parser("example", help="write an example project with synthetic data")
    p.add_argument("name", choices=EXAMPLES)
    p.add_argument("-o", "--output", required=True, help="folder for the project and data")
    p.add_argument("--force", action="store_true",
                   help="overwrite files of the folder that differ from the example's")
    p.set_defaults(func=_cmd_example)
    return ap


def _one_line(exc: BaseException) -> str:
    notes = getattr(exc, "__notes__", [])
    where = f" ({'; '.join(notes)})" if notes else ""
    if isinstance(exc, evalstats.DataValidationError):
        n = len(exc.problems)
        first = exc.problems[0].describe() if exc.problems else ""
        ctx = exc.context or "the input"
        more = f" (and {n - 1} more problem{'s' if n > 2 else ''})" if n > 1 else ""
        return f"{ctx}{where}: {first}{more}"
    if isinstance(exc, FileNotFoundError) and exc.filename:
        return f"{exc.filename}: file not found{where}"
    msg = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return msg.splitlines()[0] + where if msg else type(exc).__name__ + where


def main(argv: list[str] | None = None) -> int:
    """Run the ``zorgeval`` command; returns the exit status.

    Examples
    --------
    >>> import contextlib, io
    >>> err = io.StringIO()
    >>> with contextlib.redirect_stderr(err):
    ...     status = main(["report", "no-such-project.toml", "-o", "out"])
    >>> status, err.getvalue()
    (1, 'zorgeval: error: no-such-project.toml: project file not found\\n')
    """
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except USER_ERRORS as exc:
        if args.debug:
            raise
        if getattr(args, "data", None) and not getattr(exc, "__notes__", None):
            exc.add_note(f"file: {args.data}")
        print(f"zorgeval: error: {_one_line(exc)}", file=sys.stderr)
        if isinstance(exc, evalstats.DataValidationError) and len(exc.problems) > 1:
            for prob in exc.problems[1:MAX_PROBLEMS]:
                print(f"  {prob.describe()}", file=sys.stderr)
            if len(exc.problems) > MAX_PROBLEMS:
                print(f"  ... {len(exc.problems) - MAX_PROBLEMS} more", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
