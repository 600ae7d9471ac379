"""From an :class:`~zorgeval.pipeline.Evaluation` to a report document (sections, tables, figures).

Every table of the document is a frame of display strings with its N; small cells are
suppressed here, in the display strings only (:mod:`zorgeval.report.disclosure`): a count below
``min_cell`` (but above 0) becomes ``"<5"``, a cell hidden so that it cannot be recomputed from
a shown total becomes ``"x"``, and a statistic of a small or hidden group becomes ``"–"``. The
evaluation's result objects are never changed. A cell computed here is a
:class:`~zorgeval.report.cells.Shown` that also carries its exact value, for the exported tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import fidelity  # noqa: E402
import gas  # noqa: E402
from evalstats.format import axes_decimal_mark, fmt_num, p_spss  # noqa: E402
from zorgeval.report.blocks import DASH, Figure, Paragraph, Report, Section, Table  # noqa: E402
from zorgeval.report.cells import Shown  # noqa: E402
from zorgeval.report.costs import costs_sections  # noqa: E402
from zorgeval.report.disclosure import (  # noqa: E402
    COMPLEMENTARY,
    Suppression,
    protect,
    protect_means,
)
from zorgeval.report.inference import (  # noqa: E402
    VerdictCells,
    bootstrap_parts,
    factor_score_note,
    factor_score_terms,
)
from zorgeval.report.monitoring import monitoring_sections  # noqa: E402
from zorgeval.report.text import column, t, value  # noqa: E402
from zorgeval.report.waves import waves_sections  # noqa: E402

__all__ = ["Figure", "LevelsView", "Paragraph", "Report", "Section", "Suppressor", "Table", "build_report",
           "protected_levels"]

#: The sections of the other studies a project may hold, after the models: each a function
#: ``(builder) -> list[Section]`` that gives none when the project has no such part.
EXTENSIONS = (waves_sections, monitoring_sections, costs_sections)



class Suppressor:
    """Formats counts and statistics, suppressing cells of fewer than ``min_cell`` people.

    :meth:`column` and :meth:`table` protect whole count tables with their published totals
    (primary and complementary suppression, :func:`zorgeval.report.disclosure.protect`);
    :meth:`count` formats a lone count that no shown total constrains. Every hidden cell is
    counted in ``n_primary`` or ``n_complementary``.

    Examples
    --------
    >>> s = Suppressor(5, "en")
    >>> s.count(3), s.count(0), s.count(12), s.stat(4.25, 3), s.stat(4.25, 7)
    ('<5', '0', '12', '–', '4.25')
    >>> s.column([3, 40], total=43).labels()[:, 0].tolist(), s.n_primary, s.n_complementary
    (['<5', 'x'], 2, 1)
    """

    def __init__(self, min_cell: int, lang: str):
        self.min_cell = min_cell
        self.lang = lang
        self.n_primary = 0
        self.n_complementary = 0

    @property
    def n_suppressed(self) -> int:
        """Cells hidden so far, primary and complementary."""
        return self.n_primary + self.n_complementary

    def small(self, n) -> bool:
        """Whether ``n`` people is a small cell (0 < n < min_cell)."""
        return pd.notna(n) and 0 < int(n) < self.min_cell

    def table(self, counts, row_totals=None, col_totals=None) -> Suppression:
        """Protect a table of counts whose ``row_totals`` / ``col_totals`` the report shows."""
        s = protect(np.asarray(counts, dtype=float).reshape(len(counts), -1), self.min_cell,
                    row_totals=row_totals, col_totals=col_totals)
        self.n_primary += s.n_primary
        self.n_complementary += s.n_complementary
        return s

    def column(self, counts, total=None) -> Suppression:
        """Protect one column of counts; ``total`` is its shown total (``None``: not shown)."""
        counts = [float(c) for c in counts]
        return self.table([[c] for c in counts], col_totals=None if total is None else [total])

    def count(self, n) -> str:
        """A lone count, or ``"<k"`` when it is small."""
        if pd.isna(n):
            return ""
        if self.small(n):
            self.n_primary += 1
            return f"<{self.min_cell}"
        return Shown(str(int(n)), int(n))

    def stat(self, value, n, decimals: int = 2, suffix: str = "", hidden: bool = False) -> str:
        """A statistic of a group of ``n`` people, or ``"–"`` when the group is small, empty
        or ``hidden`` (its count is suppressed)."""
        if hidden or pd.isna(n) or int(n) < self.min_cell:
            return DASH
        if pd.isna(value):
            return ""
        return Shown(fmt_num(float(value), decimals, self.lang) + suffix, float(value))


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    """A library table (SPSS layout) as display strings, index levels as columns."""
    f = frame.copy()
    if isinstance(f.columns, pd.MultiIndex):
        f.columns = [": ".join(str(x) for x in c if str(x)) for c in f.columns]
    names = [n for n in f.index.names if n is not None]
    if names or not isinstance(f.index, pd.RangeIndex):
        f = f.reset_index()
        f.columns = ["" if str(c) in ("index", "level_0", "level_1") else str(c) for c in f.columns]
    return f.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))


class _Builder:
    def __init__(self, ev, out: Path, lang: str, min_cell: int):
        self.ev = ev
        self.out = out
        self.lang = lang
        self.sup = Suppressor(min_cell, lang)
        self.k = min_cell

    def tr(self, key: str, **kw) -> str:
        return t(self.lang, key, **kw)

    def n_text(self, n) -> str:
        return f"N = {self.sup.count(n)}"

    # ------------------------------------------------------------------ data
    def data(self) -> Section | None:
        """How every file was read: format, separator, decimal mark, rows, what was dropped."""
        ev = self.ev
        if not ev.table_info:
            return None
        rows = []
        for name, info in ev.table_info.items():
            frame = ev.data[name]
            rows.append({
                self.tr("data_part"): name,
                self.tr("file"): Path(info.path).name,
                self.tr("format"): info.format,
                self.tr("rows"): str(len(frame)),
                self.tr("columns"): str(frame.shape[1]),
                self.tr("sep"): {None: "", "\t": "tab"}.get(info.sep, info.sep),
                self.tr("decimal"): info.decimal or "",
                self.tr("blank_rows"): str(len(info.blank_rows_dropped)),
                self.tr("user_missing"): str(info.n_user_missing),
            })
        n = ", ".join(f"{r[self.tr('data_part')]}: {r[self.tr('rows')]}" for r in rows)
        return Section(self.tr("data"), [Table("data_files", self.tr("data_files"),
                                               pd.DataFrame(rows), f"N = {n}")])

    # ------------------------------------------------------------------ fidelity
    def fidelity(self) -> Section | None:
        ev = self.ev
        if ev.scores is None:
            return None
        sc = ev.scores
        sec = Section(self.tr("fidelity"))
        sec.blocks.append(Paragraph(sc.apa(self.lang)))
        for by in ev.project.survey.comparisons():
            sizes = sc.group_sizes(by)
            cells = self.sup.column(sizes.to_numpy(), total=sc.n_respondents)
            frame = pd.DataFrame({self.tr("group"): [str(g) for g in sizes.index],
                                  "N": list(cells.labels()[:, 0])})
            sec.blocks.append(Table(f"fidelity_respondents_{by}", self.tr("respondents", by=by),
                                    frame, self.n_text(sc.n_respondents)))
            for level in ("item", "principle", "category"):
                if (by, level) in ev.comparisons:
                    sec.blocks.append(self._level_table(by, level))
            sec.blocks.append(self._item_plot(by))
        return sec

    def _group_cells(self, by: str, level: str) -> tuple[list, dict, Suppressor, pd.DataFrame]:
        """The groups of ``by``; per variable of ``level``, the display of each group's N
        and whether its statistics are hidden (key ``"Total"`` for all respondents): the group
        Ns of a variable add up to its total N, so they are protected as one row with that
        total, and the statistics of the groups hidden with them must not pool to a small group
        beside the total's (:func:`protect_means`); and the group statistics indexed by variable
        and group."""
        sc = self.ev.scores
        gs = sc.group_stats
        gs = gs[gs["level"] == level]
        stats = gs[(gs["grouping"] == by) | (gs["grouping"] == "Total")]
        stats = stats.set_index(["variable", "group"])
        groups = list(dict.fromkeys(gs[gs["grouping"] == by]["group"]))
        sup = Suppressor(self.k, self.lang)  # counted once, by the table
        cells = {}
        for v in sc.variables(level):
            ns = [int(stats.loc[(v, g), "n"]) if (v, g) in stats.index else 0 for g in groups]
            total = int(stats.loc[(v, "Total"), "n"]) if (v, "Total") in stats.index else sum(ns)
            p = sup.table([ns], row_totals=[total])
            total_hidden = p.row_totals[0] != "shown"
            before = [bool(h) for h in p.hidden[0]]
            hidden = protect_means(ns, before, total, self.k,
                                   total_shown=not total_hidden and total >= self.k)
            sup.n_complementary += sum(h and not b for h, b in zip(hidden, before, strict=True))
            cells[v] = {g: (p.label(0, j), hidden[j]) for j, g in enumerate(groups)}
            cells[v]["Total"] = (p.total_label(total, p.row_totals[0]), total_hidden)
        return groups, cells, sup, stats

    def _level_table(self, by: str, level: str) -> Table:
        sc = self.ev.scores
        cmp = self.ev.comparisons[(by, level)]
        groups, cells, sup, stats = self._group_cells(by, level)
        self.sup.n_primary += sup.n_primary
        self.sup.n_complementary += sup.n_complementary
        info = (sc.item_stats.set_index("item") if level == "item"
                else sc.scale_stats.set_index("variable"))
        tests = cmp.table.set_index("variable")
        m, sd = self.tr("mean"), self.tr("sd")
        ci = (VerdictCells(sc, by, level, self.lang)
              if self.ev.project.report.verdict == "ci" else None)
        rows = []
        for v in sc.variables(level):
            row = {self.tr(level): v, self.tr("label"): sc.label(v, self.lang)}
            for g in [*groups, "Total"]:
                name = self.tr("total") if g == "Total" else f"{by} {g}"
                r = stats.loc[(v, g)] if (v, g) in stats.index else None
                n = 0 if r is None else r["n"]
                label, hidden = cells[v][g]
                if hidden or n < self.k:
                    cell = DASH
                else:
                    sdv = "" if pd.isna(r["sd"]) else fmt_num(float(r["sd"]), 2, self.lang)
                    cell = Shown(f"{fmt_num(float(r['mean']), 2, self.lang)} ({sdv or DASH})",
                                 (float(r["mean"]), float(r["sd"])), (m, sd))
                row[f"{name}: {m} ({sd})"] = cell
                row[f"{name}: N"] = label
                if ci is not None:
                    row.update(zip(ci.headers(name), ci.cells(v, g, cell != DASH), strict=True))
            thr = info.loc[v, "threshold"]
            met = info.loc[v, "meets_threshold"]
            band = info.loc[v, "band"]
            row[self.tr("threshold")] = "" if pd.isna(thr) else fmt_num(float(thr), 1, self.lang)
            row[self.tr("band")] = ("" if band is None or pd.isna(band) else sc.instrument.band_name(
                str(band), self.lang, v if level == "item" else None))
            row[self.tr("met")] = "" if pd.isna(met) else self.tr("yes" if met else "no")
            sentence = cmp.statistic(v, self.lang) if v in tests.index else None
            if any(hidden for _, hidden in cells[v].values()):
                sentence = DASH  # a test involving a hidden group
            row[self.tr("comparison")] = sentence or self.tr("not_tested")
            rows.append(row)
        title = self.tr("level_table", level=self.tr(level).lower(), by=by)
        title = title[:1].upper() + title[1:]
        return Table(f"fidelity_{level}_{by}", title, pd.DataFrame(rows),
                     self.n_text(sc.n_respondents), note=ci.note() if ci is not None else "")

    def _item_plot(self, by: str) -> Figure:
        sc = self.ev.scores
        gs = sc.group_stats
        items = sc.item_codes
        sub = gs[(gs["grouping"] == by) & (gs["level"] == "item")]
        groups, cells, _, _ = self._group_cells(by, "item")
        thresholds = sc.item_stats.set_index("item")["threshold"].reindex(items)
        x = np.arange(len(items))
        fig, ax = plt.subplots(figsize=(max(8.0, 0.28 * len(items) + 2), 4.8))
        ax.hlines(thresholds.to_numpy(dtype=float), x - 0.4, x + 0.4, colors="black",
                  linewidth=1.5, label=self.tr("threshold"))
        markers = "osD^vP*X"
        width = 0.6 / max(1, len(groups))
        for gi, g in enumerate(groups):
            s = sub[sub["group"] == g].set_index("variable").reindex(items)
            means = s["mean"].to_numpy(dtype=float).copy()
            # groups whose N the item table hides (small, or hidden to protect a small one)
            means[[cells[v][g][1] if v in cells else True for v in items]] = np.nan
            ax.plot(x - 0.3 + width * (gi + 0.5), means, linestyle="none",
                    marker=markers[gi % len(markers)], markersize=4, label=f"{by} {g}")
        ax.set_xticks(x, items, rotation=90, fontsize=7)
        ax.set_ylabel(self.tr("mean"))
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=7, ncols=min(5, len(groups) + 1), loc="lower left")
        axes_decimal_mark(ax, self.lang)
        fig.tight_layout()
        name = f"fidelity_items_{by}.png"
        fig.savefig(self.out / name, dpi=100)
        plt.close(fig)
        return Figure(name, self.tr("item_plot", by=by) + f" (N = {sc.n_respondents})")

    # ------------------------------------------------------------------ factors
    def factors(self) -> Section | None:
        res = self.ev.factors
        if res is None:
            return None
        sec = Section(self.tr("factors"))
        sec.blocks.append(Paragraph(res.apa(self.lang)))
        n_max = pd.to_numeric(res.steps["n_used"], errors="coerce").max()
        sec.blocks.append(Table("factor_steps", self.tr("steps"), res.steps_table(self.lang),
                                f"N = {int(n_max) if pd.notna(n_max) else 0} "
                                f"({self.tr('n_per_pca')})"))
        ftab = res.spss_table(self.lang)
        n_used = ", ".join(f"{g}: {p.n_used}" for g, p in res.pcas.items())
        sec.blocks.append(Table("factor_loadings", self.tr("factor_table"), _strings(ftab),
                                f"N = {n_used}" if len(res.pcas) > 1 else
                                f"N = {next(iter(res.pcas.values())).n_used}"))
        for group, p in res.pcas.items():
            safe = "".join(ch if ch.isalnum() else "_" for ch in str(group))
            group = "alle" if self.lang == "nl" and group == "all" else group
            ax = fidelity.scree_plot(p, lang=self.lang)
            name = f"scree_{safe}.png"
            ax.figure.savefig(self.out / name, dpi=100, bbox_inches="tight")
            plt.close(ax.figure)
            sec.blocks.append(Figure(name, self.tr("scree", group=group) + f" (N = {p.n_used})"))
            ax = fidelity.loadings_heatmap(p, lang=self.lang)
            name = f"loadings_{safe}.png"
            ax.figure.savefig(self.out / name, dpi=100, bbox_inches="tight")
            plt.close(ax.figure)
            sec.blocks.append(Figure(name, self.tr("heatmap", group=group) + f" (N = {p.n_used})"))
        link = self.ev.link
        if link is not None:
            before = self.sup.n_suppressed
            spss = link.spss_table(self.lang)
            frame = self._total_row_frame(spss, "", "N", "%")
            sec.blocks.append(Table("factor_link", self.tr("link"), frame,
                                    self.n_text(link.n_cases),
                                    **self._sentences(before, link.apa(self.lang))))
        return sec

    # ------------------------------------------------------------------ target group
    def target(self) -> Section | None:
        ev = self.ev
        if ev.case_frame is None:
            return None
        sec = Section(self.tr("target"))
        if ev.family_types is not None:
            sec.blocks.append(self._freq(ev.family_types, "family_types", "family_types"))
            yt = ev.mothers["young_or_teen"].astype(str).value_counts().sort_index()
            total = int(yt.sum())
            frame = self._count_frame(self.tr("young_mother"),
                                      [value(self.lang, v) for v in yt.index], yt.to_numpy(), total)
            sec.blocks.append(Table("young_mother", self.tr("young_mother"), frame,
                                    self.n_text(total)))
        if ev.multiproblem is not None:
            sec.blocks.append(self._freq(ev.multiproblem, "multiproblem", "multiproblem"))
        if ev.risk_family is not None:
            sec.blocks.append(self._freq(ev.risk_family, "risk_family", "risk_family"))
        if ev.target_group is not None:
            tg = ev.target_group["category"].astype(str).value_counts()
            total = int(tg.sum())
            frame = self._count_frame(self.tr("category"),
                                      [value(self.lang, v) for v in tg.index], tg.to_numpy(), total)
            sec.blocks.append(Table("target_group", self.tr("target_group"), frame,
                                    self.n_text(total)))
        if ev.target_change is not None:
            sec.blocks.append(self._target_change())
        if ev.profile_counts is not None:
            pc = ev.profile_counts
            total = int(pc["n"].sum())
            frame = self._count_frame(self.tr("profile"),
                                      [value(self.lang, v) for v in pc["profile"].astype(str)],
                                      pc["n"].to_numpy(), total)
            sec.blocks.append(Table("profiles", self.tr("profiles"), frame, self.n_text(total)))
        val = ev.profile_validation
        if val is not None:
            sec.blocks += self._validation(val)
        if ev.dropout is not None:
            sec.blocks.append(self._dropout())
        return sec

    def _validation(self, val) -> list[Table]:
        """The profile-validation tables. A model of a profile whose count is hidden is
        hidden whole: its constant, −2LL, χ² and R² follow from the profile's count and N
        (and its count from them)."""
        mt = val.model_table
        n_all = int(mt["n_used"].max()) if len(mt) else 0
        # the profiles of the cases a model used add up to its N when all models used the same
        same = len(mt) and (mt["n_used"] == n_all).all() and mt["n_profile"].sum() == n_all
        cells = self.sup.column(mt["n_profile"].to_numpy(), total=n_all if same else None)
        hidden = {str(c): bool(h) for c, h in zip(mt["profile"], cells.hidden[:, 0], strict=True)}
        # a model's N and its cases dropped for missing values add up to the cases with a
        # profile, which the profiles table shows: a small number dropped hides N, and with it
        # the statistics that give N back (χ² with Nagelkerke's R² and the profile's count)
        ns = [self._used_dropped(r.n_used, r.n_dropped_missing) for r in mt.itertuples()]
        for code, n in zip(mt["profile"], ns, strict=True):
            hidden[str(code)] = hidden[str(code)] or bool(n.hidden[0, 0])
        shown_n = [int(r.n_used) for r, n in zip(mt.itertuples(), ns, strict=True)
                   if not n.hidden[0, 0]]
        # the largest N is the caption's: shown only where a shown row prints it anyway
        n_caption = self.n_text(n_all) if not len(mt) or n_all in shown_n else f"N = {COMPLEMENTARY}"
        rows = []
        for i, r in enumerate(mt.itertuples()):
            h = hidden[str(r.profile)]
            n_label, dropped_label = ns[i].labels()[0]
            rows.append({
                self.tr("profile"): str(r.profile),
                self.tr("label"): (val.profile_set.label(r.profile, self.lang)
                                   if r.profile in val.profile_set.codes else str(r.label)),
                "N": n_label,
                self.tr("n_dropped"): dropped_label,
                self.tr("n_profile"): cells.label(i),
                self.tr("chi2"): DASH if h else fmt_num(float(r.chi2), 2, self.lang),
                self.tr("df"): str(int(r.df)),
                "Sig.": DASH if h else _comma(p_spss(float(r.p)), self.lang),
                self.tr("nagelkerke"): DASH if h else fmt_num(float(r.nagelkerke_r2), 3, self.lang),
            })
        table = val.spss_table(self.lang)
        spss = _strings(table)
        first = spss.columns[0]
        stats = [c for c in spss.columns[2:] if c != "df"]
        for code, h in hidden.items():
            if h:
                spss.loc[spss[first] == code, stats] = DASH
        note = "; ".join(part for part in table.attrs.get("footnote", "").split("; ")
                         if part and not hidden.get(part.split(":")[0], False))
        # the sentence quotes every model and the numbers of unassignable and uncoded cases
        quiet = (any(hidden.values()) or self.sup.small(val.n_unassignable)
                 or self.sup.small(val.n_missing_profile))
        return [Table("profile_validation_models", self.tr("validation_models"),
                      pd.DataFrame(rows), n_caption),
                Table("profile_validation", self.tr("validation"), spss,
                      "N = " + ", ".join(f"{r.profile}: {n.labels()[0][0]}"
                                         for r, n in zip(mt.itertuples(), ns, strict=True)),
                      note=note, sentences=[] if quiet else [val.apa(self.lang)])]

    def _freq(self, result, key: str, title: str) -> Table:
        """A classification's frequency table (first column counts, second percentages)."""
        before = self.sup.n_suppressed
        spss = result.spss_table(self.lang)
        frame = self._total_row_frame(spss, "", str(spss.columns[0]), str(spss.columns[1]))
        total = int(spss[spss.columns[0]].iloc[-1])
        return Table(key, self.tr(title), frame, self.n_text(total),
                     **self._sentences(before, result.apa(self.lang)))

    def _total_row_frame(self, spss: pd.DataFrame, first: str, n: str, pct: str) -> pd.DataFrame:
        """A frequency table whose last row is the total (counts, then percentages): the
        counts are protected with that total; a hidden count's percentage is hidden too."""
        counts = spss.iloc[:-1, 0].astype(float).to_numpy()
        total = float(spss.iloc[-1, 0])
        cells = self.sup.column(counts, total=total)
        hidden = [*cells.hidden[:, 0], cells.col_totals[0] != "shown"]
        return pd.DataFrame({
            first: [str(i) for i in spss.index],
            n: [*cells.labels()[:, 0], cells.total_label(total, cells.col_totals[0])],
            pct: [DASH if h else ("" if pd.isna(v) else str(v))
                  for v, h in zip(spss.iloc[:, 1], hidden, strict=True)],
        })

    def _count_frame(self, name: str, categories, counts, total) -> pd.DataFrame:
        """Category, N and % of counts that add up to the shown ``total``, protected with it."""
        cells = self.sup.column(counts, total=total)
        return pd.DataFrame({
            name: [str(c) for c in categories],
            "N": list(cells.labels()[:, 0]),
            "%": [self.sup.stat(100 * n / total, n, 1, hidden=h)
                  for n, h in zip(counts, cells.hidden[:, 0], strict=True)],
        })

    def _sentences(self, before: int, *sentences: str) -> dict:
        """The table's sentences, unless a cell of the table was suppressed: the sentences
        quote the counts, so they are left out then and a note says so."""
        if self.sup.n_suppressed == before:
            return {"sentences": list(sentences)}
        return {"note": self.tr("sentence_omitted", k=self.k)}

    def _target_change(self) -> Table:
        tc = self.ev.target_change
        before = self.sup.n_suppressed
        tab = tc.table
        rows = []
        for name, r in tab.iterrows():
            row = {self.tr("variable"): tc.label(name, self.lang) if self.lang == "nl" else str(name)}
            # "yes" of n at start and close (the "no" is the remainder), and the changes of
            # the paired cases: each protected with its total
            for total, parts in (("n_start", ["yes_start"]), ("n_close", ["yes_close"]),
                                 ("n_paired", ["became_yes", "became_no"])):
                cells = self.sup.table([[r[c] for c in parts]], row_totals=[r[total]])
                row[total] = cells.total_label(r[total], cells.row_totals[0])
                row.update({c: cells.label(0, j) for j, c in enumerate(parts)})
            row["excluded_unknown"] = self.sup.count(r["excluded_unknown"])
            changes_hidden = cells.hidden.any() or cells.row_totals[0] != "shown"
            row["p (McNemar)"] = ("" if pd.isna(r["p_mcnemar"]) else DASH if changes_hidden
                                  else _comma(p_spss(float(r["p_mcnemar"])), self.lang))
            rows.append(row)
        frame = pd.DataFrame(rows).rename(columns=lambda c: column(self.lang, c))
        return Table("target_change", self.tr("target_change"), frame,
                     self.n_text(len(self.ev.case_frame)), **self._sentences(before, tc.apa(self.lang)))

    def _dropout(self) -> Table:
        d = self.ev.dropout
        before = self.sup.n_suppressed
        tab = d.table.copy()
        # the dropouts per moment add up to all dropouts, which the percentages of dropouts
        # give away; a hidden count's percentages (of cases, of dropouts) are hidden too
        cells = self.sup.column(tab["n"].to_numpy(), total=float(tab["n"].sum()))
        out = pd.DataFrame(index=tab.index)
        for c in tab.columns:
            if c == "n":
                out[c] = list(cells.labels()[:, 0])
            elif c.startswith("pct"):
                out[c] = [self.sup.stat(v, n, 1, hidden=h)
                          for v, n, h in zip(tab[c], tab["n"], cells.hidden[:, 0], strict=True)]
            else:
                out[c] = [_cell(v, self.lang) for v in tab[c]]
        out.columns = [column(self.lang, c) for c in out.columns]
        n_cases = len(self.ev.case_frame)
        return Table("dropout", self.tr("dropout"), out, self.n_text(n_cases),
                     **self._sentences(before, d.apa(self.lang)))

    # ------------------------------------------------------------------ GAS
    def goals(self) -> Section | None:
        ev = self.ev
        if ev.levels is None:
            return None
        sec = Section(self.tr("gas"))
        if ev.raters is not None:
            before = self.sup.n_suppressed
            spss = _strings(ev.raters.spss_table(self.lang))
            what = ev.raters.counts["what"].to_numpy()
            n_ratings = int(ev.raters.counts.loc[what == "ratings", "n"].sum())
            # the ratings per rater add up to the N of the caption; the other rows stand alone
            cells = self.sup.column(ev.raters.counts.loc[what == "ratings", "n"].to_numpy(),
                                    total=n_ratings)
            labels = iter(cells.labels()[:, 0])
            spss["N"] = [next(labels) if w == "ratings" else self.sup.count(int(v))
                         for w, v in zip(what, spss["N"], strict=True)]
            sec.blocks.append(Table("gas_raters", self.tr("raters"), spss,
                                    f"N = {n_ratings} {self.tr('ratings')}",
                                    **self._sentences(before, ev.raters.apa(self.lang))))
        n_cases = ev.goal_results["case"].nunique()
        period = ev.project.goals.report_period
        view = protected_levels(ev.levels, ev.goal_results, self.sup, period=period,
                                taxonomy=ev.project.goals.taxonomy, scale=ev.project.goals.scale)
        sec.blocks.append(Table("gas_levels", self.tr("levels", period=self.tr(f"period_{period}") if isinstance(period, str) else period), view.frame,
                                self.n_text(n_cases),
                                note=self.tr("n_goals_note"),
                                sentences=[" ".join(view.sentences)] if view.sentences else []))
        if view.shown is not None:
            ax = view.plot()
            ax.figure.savefig(self.out / "gas_levels.png", dpi=100, bbox_inches="tight")
            plt.close(ax.figure)
            sec.blocks.append(Figure("gas_levels.png", self.tr("levels_plot")
                                     + f" (N = {int(view.shown.table['n_goals'].sum())})"))
        if ev.trajectories is not None:
            before = self.sup.n_suppressed
            tt = ev.trajectories.table
            # cases per number of periods add up to all cases (the percentages give the total
            # away); the cases evaluated in period k and later follow from them, so after the
            # first hidden row those are hidden too
            cases = self.sup.column(tt["n_cases"].to_numpy(), total=float(tt["n_cases"].sum()))
            hidden = cases.hidden[:, 0]
            after = np.cumsum(hidden) - hidden > 0
            evaluated = self.sup.column(tt["n_evaluated"].to_numpy())
            self.sup.n_complementary += int((after & ~evaluated.hidden[:, 0]).sum())
            out = pd.DataFrame({c: [_cell(v, self.lang) for v in tt[c]]
                                for c in tt.columns if not c.startswith("pct")})
            out["n_cases"] = list(cases.labels()[:, 0])
            out["n_evaluated"] = [COMPLEMENTARY if a and not h else lab for a, h, lab in
                                  zip(after, evaluated.hidden[:, 0], evaluated.labels()[:, 0],
                                      strict=True)]
            for c in [c for c in tt.columns if c.startswith("pct")]:
                out[c] = [self.sup.stat(v, n, 1, hidden=h)
                          for v, n, h in zip(tt[c], tt["n_cases"], hidden, strict=True)]
            out.columns = [column(self.lang, c) for c in out.columns]
            sec.blocks.append(Table("gas_trajectories", self.tr("trajectories"), out,
                                    self.n_text(n_cases),
                                    **self._sentences(before, ev.trajectories.apa(self.lang))))
        return sec

    # ------------------------------------------------------------------ overall + models
    def overall(self) -> Section | None:
        ov = self.ev.overall
        if ov is None:
            return None
        sec = Section(self.tr("overall"))
        # the analysis notes as counts, never the ids of the cases they concern
        if ov.n_multiple_goals:
            sec.blocks.append(Paragraph(self.tr("multiple_goals", n=self.sup.count(ov.n_multiple_goals))))
        if ov.unknown_cases:
            sec.blocks.append(Paragraph(self.tr("unknown_cases", n=self.sup.count(len(ov.unknown_cases)))))
        before = self.sup.n_suppressed
        summary = _strings(ov.spss_table(self.lang))
        n_col, drop_col = "N", summary.columns[-1]
        # N + N dropped is the number of cases with a result on the goal, which the other rows
        # of the goal show: a small number dropped is protected with it, and a row whose N is
        # hidden shows no test either (its df, F and p give N back)
        hidden_rows = []
        for i, r in enumerate(ov.table.itertuples()):
            cells = self._used_dropped(r.n_used, r.n_dropped)
            summary.loc[i, [n_col, drop_col]] = list(cells.labels()[0])
            if cells.hidden[0, 0]:
                hidden_rows.append((r.category, r.step, r.variable))
                summary.loc[i, [c for c in summary.columns if c.startswith(("F / t", "df", "Sig."))]] = DASH
        n_max = int(ov.table["n_used"].max()) if len(ov.table) else 0
        sec.blocks.append(Table("overall_summary", self.tr("overall_summary"), summary,
                                f"N = {n_max} ({self.tr('n_per_test')})",
                                **self._sentences(before, ov.apa(self.lang))))
        sec.blocks += [Paragraph(x) for x in (ov.screening.apa(self.lang), ov.selection(self.lang)) if x]
        if factor_score_terms(self.ev):
            sec.blocks.append(Paragraph(factor_score_note(self.lang)))
        for e in ov.entries:
            if e.step != "factorial" or e.result is None:
                continue
            tab = e.result.spss_table(self.lang)
            safe = "".join(ch if ch.isalnum() else "_" for ch in e.category)
            shown = _strings(tab)
            if any(h[0] == e.category and h[1] == "factorial" for h in hidden_rows):
                shown.loc[:, shown.columns[1:]] = DASH
                n_text = f"N = {COMPLEMENTARY} ({self.sup.count(e.n_dropped)} {self.tr('dropped')})"
                note, sentences = self.tr("dropped_hidden", k=self.k), []
            else:
                n_text = self._n_dropped(e.n_used, e.n_dropped)
                note, sentences = tab.attrs.get("footnote", ""), [e.result.apa(self.lang)]
            title = self.tr("factorial", category=_goal_label(ov.taxonomy, e.category, self.lang))
            sec.blocks.append(Table(f"overall_anova_{safe}", title, shown, n_text, note=note,
                                    sentences=sentences))
            boot = self.ev.factor_bootstraps.get(e.category)
            if boot is not None and sentences:  # not beside a model whose N is hidden
                sec.blocks.append(Table(**bootstrap_parts(boot, e.category, title, self.lang),
                                        n=self.n_text(boot.n_cases)))
        return sec

    def _used_dropped(self, n_used: int, n_dropped: int) -> Suppression:
        """The cases a model used and dropped: they add up to a number the report shows (the
        cases), so they are protected as a row with that total."""
        return self.sup.table([[n_used, n_dropped]], row_totals=[n_used + n_dropped])

    def _n_dropped(self, n_used: int, n_dropped: int) -> str:
        """``N = used (dropped dropped)``, protected as :meth:`_used_dropped`."""
        used, dropped = self._used_dropped(n_used, n_dropped).labels()[0]
        return f"N = {used} ({dropped} {self.tr('dropped')})"

    def models(self) -> Section | None:
        ev = self.ev
        if not ev.logistic and not ev.ttests:
            return None
        sec = Section(self.tr("models"))
        for i, (title, res) in enumerate(ev.logistic, start=1):
            spss = res.spss_table(self.lang)
            tab, note = _strings(spss), spss.attrs.get("footnote", "")
            sentences = [res.apa(self.lang)]
            # with N, the constant, −2LL and χ² give the numbers with and without the outcome;
            # a category of a categorical predictor enters every coefficient through its dummy
            # or the constant (the reference category)
            groups = [*res.classification.iloc[:2, :2].sum(axis=1)]
            if res.coding is not None and len(res.coding):
                groups += list(res.coding["frequency"])
            # the cases used and dropped add up to the cases of the evaluation, which the
            # report shows: a small number dropped hides N, and so the statistics that give N
            # back (−2LL with χ² and R², the classification table)
            dropped_small = self.sup.small(res.n_dropped)
            if dropped_small or any(self.sup.small(n) for n in groups):
                self.sup.n_primary += 1
                tab.loc[:, [c for c in tab.columns[1:] if c != "df"]] = DASH
                note, sentences = self.tr("model_hidden", k=self.k), []
            sec.blocks.append(Table(f"logistic_{i}", self.tr("logistic", title=title), tab,
                                    self._n_dropped(res.n_used, res.n_dropped),
                                    note=note, sentences=sentences))
        for i, (title, res) in enumerate(ev.ttests, start=1):
            gst = res.group_stats.table
            # df, the mean difference and its (Welch) SE give both groups' N, M and SD back:
            # with a small group the test shows nothing, and the total N is not shown either
            cells = self.sup.column(gst["n"].to_numpy())
            small = bool(cells.hidden.any())
            frame = pd.DataFrame({
                self.tr("group"): [_cell(g, self.lang) for g in gst["group"]],
                "N": list(cells.labels()[:, 0]),
                self.tr("mean"): [self.sup.stat(v, n) for v, n in zip(gst["mean"], gst["n"], strict=True)],
                self.tr("sd"): [self.sup.stat(v, n) for v, n in zip(gst["sd"], gst["n"], strict=True)],
            })
            n_total = int(gst["n"].sum())
            n_text = f"N = {COMPLEMENTARY}" if small else self.n_text(n_total)
            self.sup.n_complementary += int(small)
            sec.blocks.append(Table(f"ttest_{i}_groups", self.tr("ttest_groups", title=title),
                                    frame, n_text))
            test = _strings(res.spss_table(self.lang))
            if small:
                test.loc[:, test.columns[1:]] = DASH
            sec.blocks.append(Table(f"ttest_{i}", self.tr("ttest", title=title), test, n_text,
                                    note=self.tr("model_hidden", k=self.k) if small else "",
                                    sentences=[] if small else [res.apa(self.lang)]))
        return sec


def _cell(v, lang: str) -> str:
    """A data value as a table cell: whole numbers without decimals, a decimal comma in Dutch.

    Examples
    --------
    >>> _cell(1.0, "nl"), _cell(2.5, "nl"), _cell(2.5, "en"), _cell("A", "nl"), _cell(pd.NA, "en")
    ('1', '2,5', '2.5', 'A', '')
    """
    if v is None or (np.ndim(v) == 0 and not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return Shown(str(int(v)) if v.is_integer() else _comma(repr(v), lang), v)
    return str(v)


@dataclass
class LevelsView:
    """The GAS level table as the report shows it: display ``frame``, the ``sentences`` of the
    categories with nothing hidden, the distribution of the categories whose N is shown
    (``shown``, ``None`` if none) and which of its segments are hidden (``hide``).

    Examples
    --------
    >>> df = pd.DataFrame({"case": range(12), "goal": range(12),
    ...                    "category": ["child-1"] * 9 + ["child-2"] * 3,
    ...                    "level": [2, 2, 1, 1, 1, 0, 0, 0, -1, 2, 1, 1]})
    >>> view = protected_levels(gas.level_distribution(df), df, Suppressor(5, "en"))
    >>> view.frame[["Category", "N", "Deterioration", "M"]].values.tolist()
    [['child-1', '9', '<5', '–'], ['child-2', '<5', 'x', '–']]
    >>> int(view.hide.sum()), view.sentences
    (4, [])
    """

    frame: pd.DataFrame
    sentences: list[str]
    shown: object
    hide: np.ndarray
    lang: str
    hidden_label: str

    def plot(self):
        """The stacked bars of the shown categories, hidden segments merged (an Axes)."""
        return gas.plot_levels(self.shown, lang=self.lang, hide=self.hide,
                               hidden_label=self.hidden_label)


def protected_levels(dist, goals: pd.DataFrame, sup: Suppressor, period=None, taxonomy="reset",
                     scale="gas5") -> LevelsView:
    """Protect a :class:`gas.LevelDistribution` for display (see :class:`LevelsView`).

    The levels of a category add up to its shown N, so they are protected as rows with those
    totals; a category's mean and SD, with its N and its shown levels, would give hidden levels
    back, so they are hidden with them, and so is its sentence. ``goals`` are the goal results
    the distribution was computed from (for the shown categories' figure and sentences).
    """
    lang = sup.lang
    lv = dist.scale.levels
    tab = dist.table
    keys = [_level_key(level.value) for level in lv]
    cells = sup.table(tab[[f"n_{c}" for c in keys]].to_numpy(dtype=float),
                      row_totals=tab["n_goals"].to_numpy(dtype=float))
    total_shown = np.array([st == "shown" for st in cells.row_totals], dtype=bool)
    row_hidden = cells.hidden.any(axis=1) | ~total_shown
    rows = []
    for i, r in enumerate(tab.to_dict("records")):
        n = r["n_goals"]
        row = {t(lang, "category"): str(r["category"]),
               t(lang, "label"): dist.labels.get(lang, {}).get(r["category"], r["category"]),
               t(lang, "n"): cells.total_label(n, cells.row_totals[i])}
        for j in reversed(range(len(keys))):
            row[getattr(lv[j], lang)] = (
                cells.label(i, j) if cells.hidden[i, j] or not total_shown[i]
                else Shown(f"{int(r[f'n_{keys[j]}'])} ({fmt_num(float(r[f'pct_{keys[j]}']), 1, lang)}%)",
                           (int(r[f"n_{keys[j]}"]), float(r[f"pct_{keys[j]}"])), ("N", "%")))
        row[t(lang, "mean")] = sup.stat(r["mean"], n, hidden=row_hidden[i])
        row[t(lang, "sd")] = sup.stat(r["sd"], n, hidden=row_hidden[i])
        rows.append(row)
    kw = {"period": period, "taxonomy": taxonomy, "scale": scale}
    sentences = [gas.level_distribution(goals[goals["category"] == r["category"]], **kw).apa(lang)
                 for i, r in enumerate(tab.to_dict("records")) if not row_hidden[i]]
    big = tab.loc[total_shown, "category"].tolist()
    shown, hide = None, np.zeros((0, len(lv)), dtype=bool)
    if big:
        shown = gas.level_distribution(goals[goals["category"].isin(big)], **kw)
        by_cat = dict(zip(tab["category"], cells.hidden, strict=True))
        hide = np.array([by_cat[c] for c in shown.table["category"]], dtype=bool)
    return LevelsView(pd.DataFrame(rows), sentences, shown, hide, lang,
                      t(lang, "hidden_segment", k=sup.min_cell))


def _comma(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang == "nl" else text


def _goal_label(taxonomy, category: str, lang: str) -> str:
    try:
        return f"{category} {taxonomy.label(category, lang)}"
    except (KeyError, AttributeError):
        return category


def _level_key(v: float) -> str:
    """The column suffix :func:`gas.level_distribution` uses for a level value (``+1``, ``0``).

    Examples
    --------
    >>> _level_key(1.0), _level_key(0.0), _level_key(-0.5)
    ('+1', '0', '-0.5')
    """
    return f"{v:+g}" if v else "0"


def build_report(evaluation, out_dir: str | Path, lang: str | None = None,
                 min_cell: int | None = None) -> Report:
    """Build the report document and write its figures (PNG) into ``out_dir``.

    ``lang`` and ``min_cell`` default to the project's ``[report]`` options.

    Examples
    --------
    >>> from importlib import resources
    >>> import tempfile
    >>> from zorgeval.pipeline import run_evaluation
    >>> from zorgeval.project import Project
    >>> with resources.as_file(resources.files("fidelity") / "data" / "reset_survey.csv") as f:
    ...     ev = run_evaluation(Project(instrument="reset", factors={"workflow": "none"},
    ...                                 survey={"file": f, "groups": ["education", "organisation"],
    ...                                         "compare_by": ["education"]}), quiet=True)
    >>> rep = build_report(ev, tempfile.mkdtemp(), lang="en")
    >>> [s.title for s in rep.sections]
    ['Data', '1. Fidelity']
    >>> all(tab.n.startswith("N = ") for tab in rep.tables())
    True
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    opts = evaluation.project.report
    lang = lang or opts.lang
    k = opts.min_cell if min_cell is None else min_cell
    if k < 1:
        raise ValueError(f"min_cell must be at least 1, got {k}")
    if lang not in ("en", "nl"):
        raise ValueError(f"lang must be 'en' or 'nl', got {lang!r}")
    b = _Builder(evaluation, out, lang, k)
    sections = [s for s in (b.data(), b.fidelity(), b.factors(), b.target(), b.goals(), b.overall(),
                            b.models()) if s is not None]
    sections += [s for extension in EXTENSIONS for s in extension(b)]
    for i, s in enumerate(sections[1:] if sections and sections[0].title == t(lang, "data")
                          else sections, start=1):
        s.title = f"{i}. {s.title}"
    m = b.sup.n_suppressed
    inst = evaluation.instrument
    notes = [t(lang, "generated", instrument=inst.display_name(lang)) if inst is not None
             else t(lang, "generated_no_instrument"),
             t(lang, "suppressed_note", k=k, m=b.sup.n_primary, c=b.sup.n_complementary)
             if m else t(lang, "no_suppression", k=k)]
    if evaluation.warnings:
        shown = (evaluation.warnings_nl if lang == "nl"
                 and len(evaluation.warnings_nl) == len(evaluation.warnings) else evaluation.warnings)
        sections.append(Section(t(lang, "warnings"), [Paragraph(w) for w in shown]))
    title = opts.title or evaluation.project.title
    return Report(title=title, lang=lang, notes=notes, sections=sections)
