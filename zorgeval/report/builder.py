"""From an :class:`~zorgeval.pipeline.Evaluation` to a report document (sections, tables, figures).

Every table of the document is a frame of display strings with its N; small cells are
suppressed here, in the display strings only: a count below ``min_cell`` (but above 0) becomes
``"<5"``, a statistic of a group of fewer than ``min_cell`` people becomes ``"–"``. The
evaluation's result objects are never changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import fidelity  # noqa: E402
import gas  # noqa: E402
from evalstats.format import axes_decimal_mark, fmt_num, p_spss  # noqa: E402
from zorgeval.report.text import column, t, value  # noqa: E402

__all__ = ["Figure", "Paragraph", "Report", "Section", "Table", "build_report", "Suppressor"]

DASH = "–"


@dataclass
class Table:
    """A report table: display strings, its N, an optional note and APA sentences.

    Examples
    --------
    >>> Table("k", "Title", pd.DataFrame({"x": ["1"]}), "N = 1").sentences
    []
    """

    key: str
    title: str
    frame: pd.DataFrame
    n: str
    note: str = ""
    sentences: list[str] = field(default_factory=list)


@dataclass
class Figure:
    """A PNG file (name relative to the report folder) with its caption.

    Examples
    --------
    >>> Figure("gas_levels.png", "GAS levels").file
    'gas_levels.png'
    """

    file: str
    caption: str


@dataclass
class Paragraph:
    """A paragraph of plain text.

    Examples
    --------
    >>> Paragraph("text").text
    'text'
    """

    text: str


@dataclass
class Section:
    """A titled list of tables, figures and paragraphs.

    Examples
    --------
    >>> Section("1. Fidelity").blocks
    []
    """

    title: str
    blocks: list = field(default_factory=list)


@dataclass
class Report:
    """The whole report: title, language, notes and sections.

    Examples
    --------
    >>> Report("T", "en", [], [Section("S", [Paragraph("p")])]).tables()
    []
    """

    title: str
    lang: str
    notes: list[str]
    sections: list[Section]

    def tables(self) -> list[Table]:
        """Every table, in order (see the class example)."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]


class Suppressor:
    """Formats counts and statistics, suppressing cells of fewer than ``min_cell`` people.

    Examples
    --------
    >>> s = Suppressor(5, "en")
    >>> s.count(3), s.count(0), s.count(12), s.stat(4.25, 3), s.stat(4.25, 7), s.n_suppressed
    ('<5', '0', '12', '–', '4.25', 2)
    """

    def __init__(self, min_cell: int, lang: str):
        self.min_cell = min_cell
        self.lang = lang
        self.n_suppressed = 0

    def small(self, n) -> bool:
        """Whether ``n`` people is a small cell (0 < n < min_cell)."""
        return pd.notna(n) and 0 < int(n) < self.min_cell

    def count(self, n) -> str:
        """A count, or ``"<k"`` when it is small."""
        if pd.isna(n):
            return ""
        if self.small(n):
            self.n_suppressed += 1
            return f"<{self.min_cell}"
        return str(int(n))

    def stat(self, value, n, decimals: int = 2, suffix: str = "") -> str:
        """A statistic of a group of ``n`` people, or ``"–"`` when the group is small or empty."""
        if pd.isna(n) or int(n) < self.min_cell:
            if pd.notna(n) and int(n) > 0:
                self.n_suppressed += 1
            return DASH
        if pd.isna(value):
            return ""
        return fmt_num(float(value), decimals, self.lang) + suffix


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
            frame = pd.DataFrame({self.tr("group"): [str(g) for g in sizes.index],
                                  "N": [self.sup.count(n) for n in sizes.to_numpy()]})
            sec.blocks.append(Table(f"fidelity_respondents_{by}", self.tr("respondents", by=by),
                                    frame, self.n_text(sc.n_respondents)))
            for level in ("item", "principle", "category"):
                if (by, level) in ev.comparisons:
                    sec.blocks.append(self._level_table(by, level))
            sec.blocks.append(self._item_plot(by))
        return sec

    def _level_table(self, by: str, level: str) -> Table:
        sc = self.ev.scores
        cmp = self.ev.comparisons[(by, level)]
        gs = sc.group_stats
        gs = gs[gs["level"] == level]
        stats = gs[(gs["grouping"] == by) | (gs["grouping"] == "Total")]
        stats = stats.set_index(["variable", "group"])
        groups = list(dict.fromkeys(gs[gs["grouping"] == by]["group"]))
        info = (sc.item_stats.set_index("item") if level == "item"
                else sc.scale_stats.set_index("variable"))
        tests = cmp.table.set_index("variable")
        m, sd = self.tr("mean"), self.tr("sd")
        rows = []
        for v in sc.variables(level):
            row = {self.tr(level): v, self.tr("label"): sc.label(v, self.lang)}
            for g in [*groups, "Total"]:
                name = self.tr("total") if g == "Total" else f"{by} {g}"
                r = stats.loc[(v, g)] if (v, g) in stats.index else None
                n = 0 if r is None else r["n"]
                if n < self.k:
                    cell = self.sup.stat(None, n)
                else:
                    sdv = "" if pd.isna(r["sd"]) else fmt_num(float(r["sd"]), 2, self.lang)
                    cell = f"{fmt_num(float(r['mean']), 2, self.lang)} ({sdv or DASH})"
                row[f"{name}: {m} ({sd})"] = cell
                row[f"{name}: N"] = self.sup.count(n)
            thr = info.loc[v, "threshold"]
            met = info.loc[v, "meets_threshold"]
            band = info.loc[v, "band"]
            row[self.tr("threshold")] = "" if pd.isna(thr) else fmt_num(float(thr), 1, self.lang)
            row[self.tr("band")] = ("" if band is None or pd.isna(band) else sc.instrument.band_name(
                str(band), self.lang, v if level == "item" else None))
            row[self.tr("met")] = "" if pd.isna(met) else self.tr("yes" if met else "no")
            sentence = cmp.statistic(v, self.lang) if v in tests.index else None
            row[self.tr("comparison")] = sentence or self.tr("not_tested")
            rows.append(row)
        title = self.tr("level_table", level=self.tr(level).lower(), by=by)
        title = title[:1].upper() + title[1:]
        return Table(f"fidelity_{level}_{by}", title, pd.DataFrame(rows),
                     self.n_text(sc.n_respondents))

    def _item_plot(self, by: str) -> Figure:
        sc = self.ev.scores
        gs = sc.group_stats
        items = sc.item_codes
        sub = gs[(gs["grouping"] == by) & (gs["level"] == "item")]
        groups = list(dict.fromkeys(sub["group"]))
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
            means[s["n"].fillna(0).to_numpy(dtype=float) < self.k] = np.nan  # small groups
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
            frame = pd.DataFrame({"": [str(i) for i in spss.index],
                                  "N": [self.sup.count(v) for v in spss.iloc[:, 0]],
                                  "%": [("" if pd.isna(v) else str(v)) for v in spss.iloc[:, 1]]})
            for i, v in enumerate(spss.iloc[:, 0]):
                if self.sup.small(v):
                    frame.iloc[i, 2] = DASH
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
            frame = pd.DataFrame({self.tr("young_mother"): [value(self.lang, v) for v in yt.index],
                                  "N": [self.sup.count(n) for n in yt],
                                  "%": [self.sup.stat(100 * n / total, n, 1) for n in yt]})
            sec.blocks.append(Table("young_mother", self.tr("young_mother"), frame,
                                    self.n_text(total)))
        if ev.multiproblem is not None:
            sec.blocks.append(self._freq(ev.multiproblem, "multiproblem", "multiproblem"))
        if ev.risk_family is not None:
            sec.blocks.append(self._freq(ev.risk_family, "risk_family", "risk_family"))
        if ev.target_group is not None:
            tg = ev.target_group["category"].astype(str).value_counts()
            total = int(tg.sum())
            frame = pd.DataFrame({self.tr("category"): [value(self.lang, v) for v in tg.index],
                                  "N": [self.sup.count(n) for n in tg],
                                  "%": [self.sup.stat(100 * n / total, n, 1) for n in tg]})
            sec.blocks.append(Table("target_group", self.tr("target_group"), frame,
                                    self.n_text(total)))
        if ev.target_change is not None:
            sec.blocks.append(self._target_change())
        if ev.profile_counts is not None:
            pc = ev.profile_counts
            total = int(pc["n"].sum())
            frame = pd.DataFrame({
                self.tr("profile"): [value(self.lang, v) for v in pc["profile"].astype(str)],
                "N": [self.sup.count(n) for n in pc["n"]],
                "%": [self.sup.stat(100 * n / total, n, 1) for n in pc["n"]],
            })
            sec.blocks.append(Table("profiles", self.tr("profiles"), frame, self.n_text(total)))
        val = ev.profile_validation
        if val is not None:
            mt = val.model_table
            rows = []
            for r in mt.itertuples():
                rows.append({
                    self.tr("profile"): str(r.profile),
                    self.tr("label"): (val.profile_set.label(r.profile, self.lang)
                                       if r.profile in val.profile_set.codes else str(r.label)),
                    "N": self.sup.count(r.n_used),
                    self.tr("n_dropped"): self.sup.count(r.n_dropped_missing),
                    self.tr("n_profile"): self.sup.count(r.n_profile),
                    self.tr("chi2"): fmt_num(float(r.chi2), 2, self.lang),
                    self.tr("df"): str(int(r.df)),
                    "Sig.": _comma(p_spss(float(r.p)), self.lang),
                    self.tr("nagelkerke"): fmt_num(float(r.nagelkerke_r2), 3, self.lang),
                })
            n_all = int(mt["n_used"].max()) if len(mt) else 0
            sec.blocks.append(Table("profile_validation_models", self.tr("validation_models"),
                                    pd.DataFrame(rows), self.n_text(n_all)))
            spss = val.spss_table(self.lang)
            # the sentence quotes the numbers of unassignable and uncoded cases
            quiet = self.sup.small(val.n_unassignable) or self.sup.small(val.n_missing_profile)
            sec.blocks.append(Table("profile_validation", self.tr("validation"), _strings(spss),
                                    "N = " + ", ".join(f"{r.profile}: {r.n_used}"
                                                       for r in mt.itertuples()),
                                    note=spss.attrs.get("footnote", ""),
                                    sentences=[] if quiet else [val.apa(self.lang)]))
        if ev.dropout is not None:
            sec.blocks.append(self._dropout())
        return sec

    def _freq(self, result, key: str, title: str) -> Table:
        """A classification's frequency table (first column counts, second percentages)."""
        before = self.sup.n_suppressed
        spss = result.spss_table(self.lang)
        counts, pcts = spss.columns[0], spss.columns[1]
        frame = pd.DataFrame({
            "": [str(i) for i in spss.index],
            str(counts): [self.sup.count(v) for v in spss[counts]],
            str(pcts): [DASH if self.sup.small(n) else str(v)
                        for v, n in zip(spss[pcts], spss[counts], strict=True)],
        })
        total = int(spss[counts].iloc[-1])
        return Table(key, self.tr(title), frame, self.n_text(total),
                     **self._sentences(before, result.apa(self.lang)))

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
            for c in ("n_start", "yes_start", "n_close", "yes_close", "n_paired", "became_yes",
                      "became_no", "excluded_unknown"):
                row[column(self.lang, c)] = self.sup.count(r[c])
            row["p (McNemar)"] = ("" if pd.isna(r["p_mcnemar"])
                                  else _comma(p_spss(float(r["p_mcnemar"])), self.lang))
            rows.append(row)
        return Table("target_change", self.tr("target_change"), pd.DataFrame(rows),
                     self.n_text(len(self.ev.case_frame)), **self._sentences(before, tc.apa(self.lang)))

    def _dropout(self) -> Table:
        d = self.ev.dropout
        before = self.sup.n_suppressed
        tab = d.table.copy()
        counts = [c for c in tab.columns if c == "n" or c.startswith("n_")]
        pcts = [c for c in tab.columns if c.startswith("pct")]
        out = pd.DataFrame(index=tab.index)
        for c in tab.columns:
            if c in counts:
                out[c] = [self.sup.count(v) for v in tab[c]]
            elif c in pcts:
                out[c] = [self.sup.stat(v, n, 1) for v, n in zip(tab[c], tab["n"], strict=True)]
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
            spss["N"] = [self.sup.count(int(v)) for v in spss["N"]]
            n_ratings = int(ev.raters.table.loc[ev.raters.table["what"] == "ratings", "n"].sum())
            sec.blocks.append(Table("gas_raters", self.tr("raters"), spss,
                                    f"N = {n_ratings} {self.tr('ratings')}",
                                    **self._sentences(before, ev.raters.apa(self.lang))))
        dist = ev.levels
        scale = dist.scale
        tab = dist.table
        rows = []
        for r in tab.to_dict("records"):
            n = r["n_goals"]
            row = {self.tr("category"): str(r["category"]),
                   self.tr("label"): dist.labels.get(self.lang, {}).get(r["category"], r["category"])}
            row[self.tr("n")] = self.sup.count(n)
            for lv in reversed(scale.levels):
                col = _level_key(lv.value)
                k = r[f"n_{col}"]
                pct = r[f"pct_{col}"]
                row[getattr(lv, self.lang)] = (
                    self.sup.count(k) if self.sup.small(k) or self.sup.small(n)
                    else f"{int(k)} ({fmt_num(float(pct), 1, self.lang)}%)")
            row[self.tr("mean")] = self.sup.stat(r["mean"], n)
            row[self.tr("sd")] = self.sup.stat(r["sd"], n)
            rows.append(row)
        n_cases = ev.goal_results["case"].nunique()
        period = ev.project.goals.report_period
        big = tab.loc[tab["n_goals"] >= self.k, "category"].tolist()
        shown = None
        if big:
            frame = ev.goal_results[ev.goal_results["category"].isin(big)]
            shown = gas.level_distribution(frame, period=period, taxonomy=ev.project.goals.taxonomy,
                                           scale=ev.project.goals.scale)
        # a category's sentence quotes its N and the count at the top level: only where both
        # are at least min_cell
        top = f"n_{_level_key(scale.levels[-1].value)}"
        sentences = []
        for r in tab.to_dict("records"):
            if r["n_goals"] >= self.k and (r[top] == 0 or r[top] >= self.k):
                one = ev.goal_results[ev.goal_results["category"] == r["category"]]
                sentences.append(gas.level_distribution(
                    one, period=period, taxonomy=ev.project.goals.taxonomy,
                    scale=ev.project.goals.scale).apa(self.lang))
        sec.blocks.append(Table("gas_levels", self.tr("levels", period=self.tr(f"period_{period}") if isinstance(period, str) else period), pd.DataFrame(rows),
                                self.n_text(n_cases),
                                note=self.tr("n_goals_note"),
                                sentences=[" ".join(sentences)] if sentences else []))
        if shown is not None:
            ax = gas.plot_levels(shown, lang=self.lang)
            ax.figure.savefig(self.out / "gas_levels.png", dpi=100, bbox_inches="tight")
            plt.close(ax.figure)
            sec.blocks.append(Figure("gas_levels.png", self.tr("levels_plot")
                                     + f" (N = {int(shown.table['n_goals'].sum())})"))
        if ev.trajectories is not None:
            before = self.sup.n_suppressed
            tt = ev.trajectories.table
            out = pd.DataFrame({c: [self.sup.count(v) if c.startswith("n_") else
                                    _cell(v, self.lang) for v in tt[c]]
                                for c in tt.columns if not c.startswith("pct")})
            for c in [c for c in tt.columns if c.startswith("pct")]:
                out[c] = [self.sup.stat(v, n, 1) for v, n in zip(tt[c], tt["n_cases"], strict=True)]
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
        for note in ov.notes_in(self.lang):
            sec.blocks.append(Paragraph(note))
        summary = _strings(ov.spss_table(self.lang))
        for c in ("N", "N dropped", "N weggelaten"):
            if c in summary.columns:
                summary[c] = [self.sup.count(int(v)) if v else "" for v in summary[c]]
        n_max = int(ov.table["n_used"].max()) if len(ov.table) else 0
        sec.blocks.append(Table("overall_summary", self.tr("overall_summary"), summary,
                                f"N = {n_max} ({self.tr('n_per_test')})",
                                sentences=[ov.apa(self.lang)]))
        for e in ov.entries:
            if e.step != "factorial" or e.result is None:
                continue
            tab = e.result.spss_table(self.lang)
            safe = "".join(ch if ch.isalnum() else "_" for ch in e.category)
            sec.blocks.append(Table(f"overall_anova_{safe}",
                                    self.tr("factorial", category=_goal_label(ov.taxonomy, e.category, self.lang)),
                                    _strings(tab), f"N = {e.n_used} ({e.n_dropped} {self.tr('dropped')})",
                                    note=tab.attrs.get("footnote", ""),
                                    sentences=[e.result.apa(self.lang)]))
        return sec

    def models(self) -> Section | None:
        ev = self.ev
        if not ev.logistic and not ev.ttests:
            return None
        sec = Section(self.tr("models"))
        for i, (title, res) in enumerate(ev.logistic, start=1):
            tab = res.spss_table(self.lang)
            sec.blocks.append(Table(f"logistic_{i}", self.tr("logistic", title=title),
                                    _strings(tab), f"N = {res.n_used} ({res.n_dropped} {self.tr('dropped')})",
                                    note=tab.attrs.get("footnote", ""),
                                    sentences=[res.apa(self.lang)]))
        for i, (title, res) in enumerate(ev.ttests, start=1):
            gst = res.group_stats.table
            frame = pd.DataFrame({
                self.tr("group"): [_cell(g, self.lang) for g in gst["group"]],
                "N": [self.sup.count(n) for n in gst["n"]],
                self.tr("mean"): [self.sup.stat(v, n) for v, n in zip(gst["mean"], gst["n"], strict=True)],
                self.tr("sd"): [self.sup.stat(v, n) for v, n in zip(gst["sd"], gst["n"], strict=True)],
            })
            n_total = int(gst["n"].sum())
            sec.blocks.append(Table(f"ttest_{i}_groups", self.tr("ttest_groups", title=title),
                                    frame, self.n_text(n_total)))
            small = any(self.sup.small(n) for n in gst["n"])
            sec.blocks.append(Table(f"ttest_{i}", self.tr("ttest", title=title),
                                    _strings(res.spss_table(self.lang)), self.n_text(n_total),
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
        return str(int(v)) if v.is_integer() else _comma(repr(v), lang)
    return str(v)


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
    for i, s in enumerate(sections[1:] if sections and sections[0].title == t(lang, "data")
                          else sections, start=1):
        s.title = f"{i}. {s.title}"
    m = b.sup.n_suppressed
    notes = [t(lang, "generated", instrument=evaluation.instrument.display_name(lang)),
             t(lang, "suppressed_note", k=k, m=m) if m else t(lang, "no_suppression", k=k)]
    if evaluation.warnings:
        shown = (evaluation.warnings_nl if lang == "nl"
                 and len(evaluation.warnings_nl) == len(evaluation.warnings) else evaluation.warnings)
        sections.append(Section(t(lang, "warnings"), [Paragraph(w) for w in shown]))
    title = opts.title or evaluation.project.title
    return Report(title=title, lang=lang, notes=notes, sections=sections)
