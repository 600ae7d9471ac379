"""The monitoring report: indicators per quarter for a funder, small cells suppressed.

:func:`monitoring_tables` lays a :class:`zorgeval.monitoring.MonitoringResult` out as report
tables (definitions, indicators per period, evaluation moments and their decisions).
Every count shown — numerators and denominators, of families, goals or practitioners — is
protected as one system (:func:`zorgeval.report.disclosure.protect_nodes`):

* a count ``0 < n < min_cell`` is shown as ``"<k"``; the numerator of a small denominator is
  hidden with it (``"x"``);
* the numerator and the unpublished rest (denominator minus numerator: the families that did
  *not* reach a goal) add up to the denominator, so a small rest hides the numerator too;
* a count that is the same in several places (the families started are the numerator of one
  indicator and the denominator of another; a cumulative count of the last quarter is the
  year's) is one cell, hidden everywhere or nowhere;
* the quarters of the year add up to the year to date (when each unit is dated once), and an
  evaluation moment whose window is a run of the quarters shown adds up to them: such a sum
  cannot give a hidden quarter back, so a second cell is hidden where one would;
* a percentage, status or value is shown only when its numerator and denominator are shown,
  so it can never give back a hidden count. The decision of an evaluation moment (continue or
  stop) and its number of criteria met tell on which side of its target each criterion lies:
  they are shown only when every criterion with a hidden count would be judged the same for
  every count the report leaves possible (a hidden small numerator lies in 1 … min_cell − 1, a
  complementary one in 0 … its denominator); else both show as ``–``.

:func:`write_monitoring_report` writes a folder with ``report.html``, ``indicators.csv``
(and ``moments.csv`` when the set has evaluation moments).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evalstats.format import fmt_num
from zorgeval.folders import finish_report_folder, folder_files, previous_report_files
from zorgeval.monitoring import (
    Count,
    IndicatorSet,
    MonitoringResult,
    Target,
    compute_indicators,
    load_indicators,
)
from zorgeval.report.blocks import DASH, Paragraph, Report, Section, Table
from zorgeval.report.cells import Shown, exact_frame
from zorgeval.report.disclosure import COMPLEMENTARY, protect_nodes
from zorgeval.report.render import to_html

__all__ = ["MonitoringFiles", "MonitoringTables", "default_quarter", "monitoring_frames",
           "monitoring_section", "monitoring_sections", "monitoring_tables", "read_monitoring_data",
           "write_monitoring_report"]

TEXT = {
    "en": {
        "section": "Monitoring indicators ({quarter})",
        "definitions": "Indicator definitions",
        "indicators": "Indicators per quarter and the year to date",
        "moments": "Evaluation moments: criteria",
        "decisions": "Evaluation moments: decisions",
        "indicator": "Indicator", "numerator": "Numerator", "denominator": "Denominator",
        "value": "Value", "target": "Target", "status": "Status", "period": "Period",
        "moment": "Evaluation moment", "window": "Window", "decision": "Decision",
        "date": "Date", "criteria_met": "Criteria met", "undated": "Rows without a date",
        "count_of": "{unit} in {source}", "where": "where", "dated": "dated by {date}",
        "cumulative": "up to the end of the period", "all_rows": "all rows",
        "n_indicators": "N = {n} indicators", "n_moments": "N = {n} moments",
        "periods": (
            "A quarter runs from its first day (inclusive) to the first day of the next quarter "
            "(exclusive); the year column is the year to date, {first} to {last}. An evaluation "
            "moment judges the months up to and including its date."),
        "suppression": (
            "Counts below {k} are shown as \"<{k}\"; a count hidden so that a small one cannot "
            "be recomputed from a total, from the denominator and the percentage or from the "
            "year minus the quarters shown is shown as \"x\" ({m} small, {c} protecting); a "
            "value or status that would give a hidden count back is shown as \"–\"."),
        "no_suppression": "No count below {k} was shown; nothing needed suppressing.",
        "title": "Monitoring report {quarter}",
    },
    "nl": {
        "section": "Monitoringsindicatoren ({quarter})",
        "definitions": "Definities van de indicatoren",
        "indicators": "Indicatoren per kwartaal en het jaar tot nu toe",
        "moments": "Evaluatiemomenten: criteria",
        "decisions": "Evaluatiemomenten: besluiten",
        "indicator": "Indicator", "numerator": "Teller", "denominator": "Noemer",
        "value": "Waarde", "target": "Doel", "status": "Status", "period": "Periode",
        "moment": "Evaluatiemoment", "window": "Venster", "decision": "Besluit",
        "date": "Datum", "criteria_met": "Criteria gehaald", "undated": "Rijen zonder datum",
        "count_of": "{unit} in {source}", "where": "waarbij", "dated": "gedateerd met {date}",
        "cumulative": "tot het einde van de periode", "all_rows": "alle rijen",
        "n_indicators": "N = {n} indicatoren", "n_moments": "N = {n} momenten",
        "periods": (
            "Een kwartaal loopt van de eerste dag (inclusief) tot de eerste dag van het "
            "volgende kwartaal (exclusief); de jaarkolom is het jaar tot nu toe, {first} tot en "
            "met {last}. Een evaluatiemoment beoordeelt de maanden tot en met de datum."),
        "suppression": (
            "Aantallen onder {k} staan als \"<{k}\"; een aantal dat verborgen is zodat een klein "
            "aantal niet terug te rekenen is uit een totaal, uit de noemer en het percentage of "
            "uit het jaar min de getoonde kwartalen staat als \"x\" ({m} klein, {c} ter "
            "bescherming); een waarde of status die een verborgen aantal zou prijsgeven staat "
            "als \"–\"."),
        "no_suppression": "Geen aantal onder {k} getoond; er hoefde niets verborgen te worden.",
        "title": "Monitoringsrapportage {quarter}",
    },
}

_PERIOD_TEXT = {"en": "to", "nl": "t/m"}


def _t(lang: str, key: str, **kw) -> str:
    return TEXT[lang][key].format(**kw)


# ---------------------------------------------------------------------------------- the data
def monitoring_frames(project, data: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames the indicators count in: ``cases``, ``goals`` (each goal with its case's
    columns beside it, so a goal can be dated by its case's start or end date; the goal's own
    columns win), ``survey`` and ``practitioners``, from the frames read for ``project``.

    Examples
    --------
    >>> import pandas as pd
    >>> from zorgeval.project import Project
    >>> p = Project(instrument="reset", cases={"file": "c.csv", "case": "family"},
    ...             goals={"file": "g.csv", "case": "family"})
    >>> f = monitoring_frames(p, {"cases": pd.DataFrame({"family": ["F1"], "start_date": ["2025-01-02"]}),
    ...                          "goals": pd.DataFrame({"family": ["F1", "F2"], "level": [1, 0]})})
    >>> f["goals"].to_dict("list")
    {'family': ['F1', 'F2'], 'level': [1, 0], 'start_date': ['2025-01-02', nan]}
    """
    out = {name: frame for name, frame in data.items()
           if name in ("cases", "survey", "practitioners")}
    if "goals" in data:
        goals = data["goals"]
        if "cases" in data and project.cases is not None and project.goals is not None:
            cases = data["cases"]
            key = project.cases.case
            extra = [c for c in cases.columns if c not in goals.columns and c != key]
            lookup = cases.drop_duplicates(key).set_index(key)[extra]
            joined = lookup.reindex(goals[project.goals.case].to_numpy())
            joined.index = goals.index
            goals = pd.concat([goals, joined], axis=1)
        out["goals"] = goals
    return out


def read_monitoring_data(project) -> dict[str, pd.DataFrame]:
    """Read the project's cases, goals, survey and practitioners files (no analysis is run).

    Examples
    --------
    >>> import tempfile
    >>> from zorgeval.project import load_project, write_example
    >>> data = read_monitoring_data(load_project(write_example("reset", tempfile.mkdtemp())))
    >>> sorted(data), len(data["practitioners"])
    (['cases', 'goals', 'practitioners', 'survey'], 80)
    """
    from zorgeval.pipeline import _read

    return {name: _read(sec)[0] for name, sec in project.data_files().items()
            if name in ("cases", "goals", "survey", "practitioners")}


def default_quarter(indicators: IndicatorSet, frames: dict[str, pd.DataFrame]) -> str:
    """The last quarter in which a numerator row is dated.

    Examples
    --------
    >>> import pandas as pd
    >>> from zorgeval.monitoring import load_indicators
    >>> cases = pd.DataFrame({"family": ["F1"], "start_date": ["2025-08-01"]})
    >>> default_quarter(load_indicators("municipal"), {"cases": cases})
    '2025Q3'
    """
    last = None
    for ind in indicators.indicators:
        f = frames.get(ind.numerator.source)
        if f is None or ind.numerator.date not in f.columns:
            continue
        d = pd.to_datetime(f[ind.numerator.date].astype("string"), format="ISO8601",
                           errors="coerce").max()
        if pd.notna(d) and (last is None or d > last):
            last = d
    if last is None:
        raise ValueError("no indicator's numerator has a dated row; give the quarter "
                         "(--quarter 2025Q3 or quarter in [monitoring])")
    return f"{last.year}Q{(last.month - 1) // 3 + 1}"


# ---------------------------------------------------------------------------------- suppression
def _node_key(count: Count, start, end) -> tuple:
    if count.date is None:
        return (count.key(), None, None)
    if count.cumulative:
        return (count.key(), None, end)
    return (count.key(), start, end)


@dataclass
class _Cells:
    """The protected counts of one result: each row's numerator and denominator status."""

    labels: dict[tuple, str]   # (table, row position, "numerator"/"denominator") -> label
    hidden: dict[tuple, bool]
    n_primary: int
    n_complementary: int


def _protect(result: MonitoringResult, min_cell: int) -> _Cells:
    values: list[float] = []
    index: dict[tuple, int] = {}
    unpublished: set[int] = set()
    equations: set[tuple] = set()
    spans: dict[tuple, dict[tuple, tuple[int, str]]] = {}  # group -> (start, end) -> (node, kind)

    def node(key, value, hidden=False) -> int:
        if key not in index:
            index[key] = len(values)
            values.append(float(value))
            if hidden:
                unpublished.add(index[key])
        return index[key]

    where: dict[tuple, int] = {}
    frames = [("table", result.table, "period_start", "period_end", "kind"),
              ("moments", result.moments, "start", "end", None)]
    for name, frame, s_col, e_col, k_col in frames:
        for pos, r in enumerate(frame.itertuples(index=False)):
            r = r._asdict()
            ind = result.indicators.indicator(r["indicator"])
            start, end = r[s_col], r[e_col]
            kind = r[k_col] if k_col else "moment"
            nk = _node_key(ind.numerator, start, end)
            n = node(nk, r["numerator"])
            where[(name, pos, "numerator")] = n
            if not (ind.numerator.date is None or ind.numerator.cumulative):
                spans.setdefault(("count", nk[0]), {})[(start, end)] = (n, kind)
            if ind.denominator is None:
                continue
            dk = _node_key(ind.denominator, start, end)
            d = node(dk, r["denominator"])
            where[(name, pos, "denominator")] = d
            if not (ind.denominator.date is None or ind.denominator.cumulative):
                spans.setdefault(("count", dk[0]), {})[(start, end)] = (d, kind)
            if r["numerator"] <= r["denominator"]:
                rest = node(("rest", nk, dk), r["denominator"] - r["numerator"], hidden=True)
                equations.add(((n, rest), d))
                flows = all(c.date is not None and not c.cumulative
                            for c in (ind.numerator, ind.denominator))
                if flows:
                    spans.setdefault(("rest", nk[0], dk[0]), {})[(start, end)] = (rest, kind)
    for group in spans.values():
        quarters = {s: (e, n) for (s, e), (n, kind) in group.items() if kind == "quarter"}
        for (s, e), (total, _) in group.items():
            parts, at = [], s
            while at in quarters and at < e:
                end, n = quarters[at]
                parts.append(n)
                at = end
            if at == e and len(parts) >= 2 and total not in parts \
                    and sum(values[p] for p in parts) == values[total]:
                equations.add((tuple(parts), total))
    status = protect_nodes(values, sorted(equations), min_cell, unpublished=sorted(unpublished))
    labels, hidden = {}, {}
    for cell, n in where.items():
        st = status[n]
        labels[cell] = (str(int(values[n])) if st == "shown" else f"<{min_cell}"
                        if st == "primary" else COMPLEMENTARY)
        hidden[cell] = st != "shown"
    shown_nodes = set(where.values())
    n_primary = sum(status[n] in ("primary", "group") for n in shown_nodes)
    n_compl = sum(status[n] == "complementary" for n in shown_nodes)
    return _Cells(labels, hidden, n_primary, n_compl)


# ---------------------------------------------------------------------------------- tables
@dataclass
class MonitoringTables:
    """The monitoring tables of a result, with the number of counts hidden.

    Examples
    --------
    >>> MonitoringTables([], 0, 0, "2025Q3").n_suppressed
    0
    """

    tables: list[Table]
    n_primary: int
    n_complementary: int
    quarter: str

    @property
    def n_suppressed(self) -> int:
        """Counts hidden, small and protecting."""
        return self.n_primary + self.n_complementary


def _target_text(value, percent: bool, lang: str, direction: str = "at_least") -> str:
    sign = "≥" if direction == "at_least" else "≤"
    return f"{sign} {fmt_num(float(value), 1 if percent else 0, lang)}{' %' if percent else ''}"


def _describe(count: Count | None, lang: str) -> str:
    if count is None:
        return ""
    text = _t(lang, "count_of", unit=count.unit, source=count.source)
    if count.where:
        text += f" {_t(lang, 'where')} " + " & ".join(c.describe() for c in count.where)
    if count.date is None:
        text += f"; {_t(lang, 'all_rows')}"
    else:
        text += f"; {_t(lang, 'dated', date=count.date)}"
        if count.cumulative:
            text += f" ({_t(lang, 'cumulative')})"
    return text


def _rows(result, frame, name, cells, lang, first_cols) -> list[dict]:
    out = []
    for pos, r in enumerate(frame.itertuples(index=False)):
        r = r._asdict()
        ind = result.indicators.indicator(r["indicator"])
        num_hidden = cells.hidden[(name, pos, "numerator")]
        den = (name, pos, "denominator")
        has_den = ind.denominator is not None
        den_hidden = cells.hidden.get(den, False)
        visible = not num_hidden and not den_hidden
        value, status = "", DASH
        if r["status"] == "too_few":
            if not has_den or cells.labels[den] != COMPLEMENTARY:
                status = result.status_text("too_few", lang)
        elif visible:
            v = float(r["value"])
            value = Shown(fmt_num(v, 1, lang) + " %", v) if has_den else Shown(str(int(v)), int(v))
            status = result.status_text(r["status"], lang)
        else:
            value = DASH
        row = first_cols(r)
        row |= {
            _t(lang, "indicator"): ind.label[lang],
            _t(lang, "numerator"): cells.labels[(name, pos, "numerator")],
            _t(lang, "denominator"): cells.labels[den] if has_den else "",
            _t(lang, "value"): value,
            _t(lang, "target"): ("" if pd.isna(r["target"]) else
                                 _target_text(r["target"], has_den, lang, r["direction"])),
            _t(lang, "status"): status,
        }
        out.append(row)
    return out


def monitoring_tables(result: MonitoringResult, lang: str = "en",
                      min_cell: int = 5) -> MonitoringTables:
    """The report tables of ``result`` with every count protected (module docstring).

    Examples
    --------
    >>> import pandas as pd
    >>> from zorgeval.monitoring import Indicator, IndicatorSet, compute_indicators
    >>> cases = pd.DataFrame({"family": [f"F{i}" for i in range(14)],
    ...                       "start_date": ["2025-01-15"] * 3 + ["2025-04-15"] * 11})
    >>> ind = Indicator(id="started", label={"en": "Started", "nl": "Gestart"},
    ...                 numerator={"source": "cases", "unit": "family", "date": "start_date"})
    >>> res = compute_indicators(IndicatorSet(indicators=[ind]), {"cases": cases}, "2025Q2")
    >>> tab = monitoring_tables(res, "en", 5).tables[1]
    >>> tab.frame[["Period", "Numerator", "Value"]].values.tolist()
    [['2025Q1', '<5', '–'], ['2025Q2', 'x', '–'], ['2025', '14', '14']]
    """
    cells = _protect(result, min_cell)
    ind_set = result.indicators
    undated = result.table[result.table["kind"] == "year"].set_index("indicator")
    defs = []
    for ind in ind_set.indicators:
        u = undated.loc[ind.id]
        n_u = int(u["n_undated_numerator"]) + (0 if pd.isna(u["n_undated_denominator"])
                                               else int(u["n_undated_denominator"]))
        defs.append({
            _t(lang, "indicator"): ind.label[lang],
            _t(lang, "numerator"): _describe(ind.numerator, lang),
            _t(lang, "denominator"): _describe(ind.denominator, lang),
            _t(lang, "target"): ("" if ind.target is None else
                                 _target_text(ind.target.value, ind.percent, lang,
                                             ind.target.direction)),
            _t(lang, "undated"): (f"<{min_cell}" if 0 < n_u < min_cell else str(n_u)),
        })
    n_primary = cells.n_primary + sum(1 for d in defs if d[_t(lang, "undated")].startswith("<"))
    tables = [Table("monitoring_definitions", _t(lang, "definitions"), pd.DataFrame(defs),
                    _t(lang, "n_indicators", n=len(defs)))]
    rows = _rows(result, result.table, "table", cells, lang,
                 lambda r: {_t(lang, "period"): r["period"]})
    frame = pd.DataFrame(rows)
    frame = frame[[_t(lang, "indicator"), *[c for c in frame.columns if c != _t(lang, "indicator")]]]
    tables.append(Table("monitoring_indicators", _t(lang, "indicators"), frame,
                        _t(lang, "n_indicators", n=len(defs))))
    if ind_set.moments:
        labels = {m.id: m.label[lang] for m in ind_set.moments}

        def window(r) -> dict:
            last = r["end"] - pd.Timedelta(days=1)
            return {_t(lang, "moment"): labels[r["moment"]],
                    _t(lang, "window"): f"{r['start'].date()} {_PERIOD_TEXT[lang]} {last.date()}"}

        crit = _rows(result, result.moments, "moments", cells, lang, window)
        tables.append(Table("monitoring_moments", _t(lang, "moments"), pd.DataFrame(crit),
                            _t(lang, "n_moments", n=len(ind_set.moments))))
        dec = result.decisions()
        shown = [_decision_shown(result, cells, m, min_cell) for m in dec["moment"]]
        tables.append(Table("monitoring_decisions", _t(lang, "decisions"), pd.DataFrame({
            _t(lang, "moment"): [labels[m] for m in dec["moment"]],
            _t(lang, "date"): [str(d.date()) for d in dec["date"]],
            _t(lang, "criteria_met"): [f"{a} / {b}" if ok else DASH for a, b, ok in
                                       zip(dec["n_met"], dec["n_criteria"], shown, strict=True)],
            _t(lang, "decision"): [result.decision_text(d, lang) if ok else DASH
                                   for d, ok in zip(dec["decision"], shown, strict=True)],
        }), _t(lang, "n_moments", n=len(dec))))
        n_hidden_decisions = shown.count(False)
    else:
        n_hidden_decisions = 0
    return MonitoringTables(tables, n_primary, cells.n_complementary + n_hidden_decisions,
                            result.quarter)


def _decision_shown(result: MonitoringResult, cells: _Cells, moment: str, min_cell: int) -> bool:
    """Whether the decision of ``moment`` gives back nothing about its hidden counts: every
    judged criterion whose numerator is hidden has the same status for every numerator the
    report leaves possible, and none has a hidden denominator (module docstring)."""
    for pos, r in enumerate(result.moments.itertuples(index=False)):
        if r.moment != moment or r.status not in ("met", "not_met"):
            continue
        num_hidden = cells.hidden[("moments", pos, "numerator")]
        if cells.hidden.get(("moments", pos, "denominator"), False):
            return False
        if not num_hidden:
            continue
        ind = result.indicators.indicator(r.indicator)
        den = None if ind.denominator is None else int(r.denominator)
        if cells.labels[("moments", pos, "numerator")] == COMPLEMENTARY:
            if den is None:
                return False
            possible = range(0, den + 1)
        else:
            possible = range(1, min_cell if den is None else min(min_cell, den + 1))
        target = Target(value=float(r.target), direction=r.direction)
        if len({target.met(v if den is None else 100.0 * v / den) for v in possible}) > 1:
            return False
    return True


def _notes(result: MonitoringResult, mt: MonitoringTables, lang: str, k: int) -> list[str]:
    year = result.table[result.table["kind"] == "year"].iloc[0]
    last = year["period_end"] - pd.Timedelta(days=1)
    notes = [_t(lang, "periods", first=year["period_start"].date(), last=last.date())]
    notes.append(_t(lang, "suppression", k=k, m=mt.n_primary, c=mt.n_complementary)
                 if mt.n_suppressed else _t(lang, "no_suppression", k=k))
    return notes


def _compute(project, data, quarter=None) -> MonitoringResult:
    sec = project.monitoring
    indicators = load_indicators(sec.indicators)
    frames = monitoring_frames(project, data)
    quarter = quarter or sec.quarter or default_quarter(indicators, frames)
    return compute_indicators(indicators, frames, quarter)


def monitoring_section(evaluation, lang: str, sup) -> Section | None:
    """The monitoring section of ``zorgeval report`` (``None`` without ``[monitoring]``);
    its hidden counts are added to the report's suppressor ``sup``.

    Examples
    --------
    >>> from zorgeval.pipeline import Evaluation
    >>> from zorgeval.project import Project
    >>> monitoring_section(Evaluation(project=Project(instrument="reset"), instrument=None),
    ...                    "en", None) is None
    True
    """
    project = evaluation.project
    if project.monitoring is None:
        return None
    k = project.monitoring.min_cell or sup.min_cell
    result = _compute(project, evaluation.data)
    mt = monitoring_tables(result, lang, k)
    sup.n_primary += mt.n_primary
    sup.n_complementary += mt.n_complementary
    year = result.table[result.table["kind"] == "year"].iloc[0]
    last = year["period_end"] - pd.Timedelta(days=1)
    blocks = [Paragraph(_t(lang, "periods", first=year["period_start"].date(), last=last.date())),
              *mt.tables]
    return Section(_t(lang, "section", quarter=result.quarter), blocks)


def monitoring_sections(builder) -> list[Section]:
    """The monitoring section of ``zorgeval report`` (none without ``[monitoring]``), its
    suppressions counted in the report's suppressor."""
    sec = monitoring_section(builder.ev, builder.lang, builder.sup)
    return [] if sec is None else [sec]


@dataclass(frozen=True)
class MonitoringFiles:
    """What :func:`write_monitoring_report` wrote.

    >>> MonitoringFiles(Path("r/report.html"), ("report.html",), (), None).html.name
    'report.html'
    """

    html: Path
    written: tuple[str, ...]
    removed: tuple[str, ...]
    result: MonitoringResult | None


def write_monitoring_report(project, out_dir: str | Path, quarter: str | None = None,
                            lang: str | None = None, min_cell: int | None = None,
                            force: bool = False) -> MonitoringFiles:
    """The quarterly funder report of a project with a ``[monitoring]`` section: a folder with
    ``report.html``, ``indicators.csv`` and, with evaluation moments, ``moments.csv`` and
    ``decisions.csv`` (the report's cells, small counts suppressed as in the report).

    ``quarter`` (``2025Q3``) defaults to the section's, else the last quarter with a dated
    row; ``lang`` and ``min_cell`` to the section's and the ``[report]`` options. A folder of
    an earlier run is cleaned as :func:`zorgeval.report.write_report` does.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from zorgeval.project import load_project, write_example
    >>> path = write_example("reset", tempfile.mkdtemp())
    >>> files = write_monitoring_report(load_project(path), pathlib.Path(path).parent / "m",
    ...                                 quarter="2015Q3", lang="nl")
    >>> files.written
    ('decisions.csv', 'indicators.csv', 'moments.csv', 'report.html')
    """
    if project.monitoring is None:
        raise ValueError("the project has no [monitoring] section")
    lang = lang or project.report.lang
    if lang not in ("en", "nl"):
        raise ValueError(f"lang must be 'en' or 'nl', got {lang!r}")
    k = next(v for v in (min_cell, project.monitoring.min_cell, project.report.min_cell)
             if v is not None)
    if k < 1:
        raise ValueError(f"min_cell must be at least 1, got {k}")
    out = Path(out_dir)
    previous = previous_report_files(out, force=force)
    result = _compute(project, read_monitoring_data(project), quarter)
    mt = monitoring_tables(result, lang, k)
    out.mkdir(parents=True, exist_ok=True)
    before = folder_files(out)
    names = {"monitoring_indicators": "indicators.csv", "monitoring_moments": "moments.csv",
             "monitoring_decisions": "decisions.csv"}
    written = ["report.html"]
    try:
        for tab in mt.tables:
            if tab.key in names:
                exact_frame(tab.frame, lang).to_csv(out / names[tab.key], index=False,
                                                    lineterminator="\n")
                written.append(names[tab.key])
        title = f"{project.report.title or project.title}: {_t(lang, 'title', quarter=result.quarter)}"
        report = Report(title, lang, _notes(result, mt, lang, k),
                        [Section(_t(lang, "section", quarter=result.quarter), list(mt.tables))])
        (out / "report.html").write_text(to_html(report), encoding="utf-8")
    except BaseException:
        finish_report_folder(out, previous | (folder_files(out) - before), ())
        raise
    removed = finish_report_folder(out, written, previous)
    return MonitoringFiles(out / "report.html", tuple(sorted(written)), tuple(removed), result)

