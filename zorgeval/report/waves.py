"""The report sections of repeated measurements (a project's ``[waves]``): response and
attrition, outcomes per wave with their cut-offs, satisfaction, and change against the baseline
in linear mixed models — in English and Dutch.

Counts of people are protected as in the rest of the report: a count below ``min_cell`` shows
as ``<5``, a share or statistic of such a count as ``–``, and a share problematic (or agreeing)
is hidden when the people on either side of it are a small cell, as the share and its N would
give them back.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from evalstats.format import axes_decimal_mark, fmt_num  # noqa: E402
from zorgeval.report.blocks import DASH, Figure, Paragraph, Section, Table  # noqa: E402
from zorgeval.report.cells import Shown  # noqa: E402

__all__ = ["waves_sections"]


TEXT = {
    "en": {
        "response": "Repeated measurements: response and attrition",
        "response_table": "Measured per wave: n (% of {base}); retained: measured at {base} and "
                          "still at the wave",
        "measured": "{who} measured", "retained": "{who} retained since {base}",
        "families": "Families (any member measured)",
        "child": "Children", "parent": "Parents",
        "background": "Characteristics at {base}: n (% of the persons measured at {base})",
        "variable": "Variable", "category": "Category", "unknown": "unknown",
        "not_scored": "{inst}: {rows} rows of {who}; not measured with it {nm}, too few answers "
                      "{few}, scored without a cut-off for the age {noc}.",
        "outcomes": "Outcomes per wave",
        "outcome_table": "{scale} per wave: mean with {level}% confidence interval and share "
                         "problematic",
        "outcome_plot": "{scale}: mean per wave with {level}% confidence interval (line) and "
                        "% problematic (bars)",
        "wave": "Wave", "mean": "Mean", "sd": "SD", "ci": "{level}% CI",
        "problematic": "% problematic", "cutoff": "Cut-off (problematic): {rules}.",
        "satisfaction": "Satisfaction",
        "satisfaction_table": "{form}: % (strongly) agreeing per statement and the mean grade",
        "statement": "Statement", "grade": "Mean grade (1-10)", "answered": "N answered",
        "grade_plot": "Mean grade (1-10) per wave",
        "models": "Change against {base} (linear mixed models)",
        "model_table": "{scale}: change against {base}",
        "model_note": "Linear mixed model, REML, random intercept per {groups}; Satterthwaite "
                      "df; n: measurements at the wave, persons in the model for a covariate. "
                      "{dropped} measurements left out for a missing covariate.",
        "model_n": "N = {n} measurements of {p} persons in {f} families",
        "no_control": "There is no control group: a change against {base} is not an effect of "
                      "the intervention alone.",
    },
    "nl": {
        "response": "Herhaalde metingen: respons en uitval",
        "response_table": "Gemeten per meting: n (% van {base}); nog in onderzoek: gemeten bij "
                          "{base} en nog bij de meting",
        "measured": "{who} gemeten", "retained": "{who} nog in onderzoek sinds {base}",
        "families": "Gezinnen (een lid gemeten)",
        "child": "Kinderen", "parent": "Ouders",
        "background": "Kenmerken bij {base}: n (% van de personen gemeten bij {base})",
        "variable": "Kenmerk", "category": "Categorie", "unknown": "onbekend",
        "not_scored": "{inst}: {rows} rijen van {who}; niet gemeten met deze lijst {nm}, te "
                      "weinig antwoorden {few}, gescoord zonder afkappunt voor de leeftijd {noc}.",
        "outcomes": "Uitkomsten per meting",
        "outcome_table": "{scale} per meting: gemiddelde met {level}%-betrouwbaarheidsinterval "
                         "en percentage problematisch",
        "outcome_plot": "{scale}: gemiddelde per meting met {level}%-betrouwbaarheidsinterval "
                        "(lijn) en % problematisch (staven)",
        "wave": "Meting", "mean": "Gemiddelde", "sd": "SD", "ci": "{level}%-BI",
        "problematic": "% problematisch", "cutoff": "Afkappunt (problematisch): {rules}.",
        "satisfaction": "Tevredenheid",
        "satisfaction_table": "{form}: % (helemaal) mee eens per stelling en het gemiddelde "
                              "rapportcijfer",
        "statement": "Stelling", "grade": "Gemiddeld rapportcijfer (1-10)",
        "answered": "N ingevuld", "grade_plot": "Gemiddeld rapportcijfer (1-10) per meting",
        "models": "Verandering ten opzichte van {base} (lineair mixed models)",
        "model_table": "{scale}: verandering ten opzichte van {base}",
        "model_note": "Lineair mixed model, REML, random intercept per {groups}; "
                      "Satterthwaite-df; n: metingen bij de meting, personen in het model bij "
                      "een covariaat. {dropped} metingen weggelaten wegens een ontbrekende "
                      "covariaat.",
        "model_n": "N = {n} metingen van {p} personen in {f} gezinnen",
        "no_control": "Er is geen controlegroep: een verandering ten opzichte van {base} is "
                      "niet alleen een effect van de interventie.",
    },
}

FORM_NAMES = {"en": {"parent": "Parents", "child": "Children"},
              "nl": {"parent": "Ouders", "child": "Kinderen"}}


GROUP_NAMES = {"en": {}, "nl": {"family": "gezin", "person": "persoon"}}


class _Waves:
    def __init__(self, b):
        self.b = b
        self.res = b.ev.waves
        self.lang = b.lang
        self.sup = b.sup
        self.base = self.res.waves.design.baseline

    def tr(self, key: str, **kw) -> str:
        return TEXT[self.lang][key].format(**kw)

    def pct(self, value: float) -> str:
        return Shown(fmt_num(value, 1, self.lang), float(value)) if pd.notna(value) else ""

    # -------------------------------------------------------------- response
    def response(self) -> Section:
        res = self.res
        labels = res.waves.design.labels
        rows = []
        for role, t in res.response.table.groupby("group", sort=False):
            who = self.tr(role) if role in ("child", "parent") else str(role)
            rows.append(self._count_row(self.tr("measured", who=who), t["n"], t["pct_of_baseline"]))
            rows.append(self._count_row(self.tr("retained", who=who, base=self.base),
                                        t["n_retained"], t["pct_retained"]))
        fam = res.family_response.table
        rows.append(self._count_row(self.tr("families"), fam["n"], fam["pct_of_baseline"]))
        frame = pd.DataFrame(rows, columns=["", *labels])
        t0 = res.response.table[res.response.table["wave"] == self.base].set_index("group")["n"]
        n = ", ".join(f"{self.tr(g) if g in ('child', 'parent') else g}: {self.sup.count(v)}"
                      for g, v in t0.items())
        sec = Section(self.tr("response"))
        sec.blocks.append(Table("waves_response", self.tr("response_table", base=self.base),
                                frame, f"N ({self.base}) = {n}"))
        if res.background is not None:
            sec.blocks.append(self._background(res.background))
        for scores in res.scores.values():
            c = scores.counts
            who = self.tr(scores.instrument.respondent).lower()
            sec.blocks.append(Paragraph(self.tr(
                "not_scored", inst=scores.instrument.name, rows=int(c["rows"].iloc[0]), who=who,
                nm=int(c["not_measured"].iloc[0]), few=_per_scale(c["too_few_answers"]),
                noc=_per_scale(c["no_cutoff"]))))
        return sec

    def _background(self, bg) -> Table:
        """Counts per category at the baseline; the categories of a variable add up to the
        role's baseline count, which the response table shows, so they are protected with it."""
        t = bg.table
        rows = []
        for (role, var), g in t.groupby(["role", "variable"], sort=False):
            cells = self.sup.column(g["n"].to_numpy(), total=float(g["n_role"].iloc[0]))
            for lab, n, p, cat in zip(cells.labels()[:, 0], g["n"], g["pct"], g["category"],
                                      strict=True):
                shown = lab == str(int(n))
                rows.append([self.tr(role), var,
                             self.tr("unknown") if cat == "unknown" else cat,
                             Shown(f"{int(n)} ({fmt_num(p, 1, self.lang)})", (int(n), float(p)),
                                   ("n", "%")) if shown and pd.notna(p) else lab])
        frame = pd.DataFrame(rows, columns=["", self.tr("variable"), self.tr("category"),
                                            "n (%)"])
        per = t.drop_duplicates("role")
        n = ", ".join(f"{self.tr(r)}: {self.sup.count(v)}" for r, v in zip(per["role"],
                                                                           per["n_role"],
                                                                           strict=True))
        return Table("waves_background", self.tr("background", base=self.base), frame,
                     f"N ({self.base}) = {n}")

    def _count_row(self, label: str, counts, pcts) -> list:
        cells = self.sup.table([list(counts)]).labels()[0]
        out = [label]
        for shown, n, p in zip(cells, counts, pcts, strict=True):
            if shown == str(int(n)):
                out.append(Shown(f"{int(n)} ({fmt_num(p, 1, self.lang)})", (int(n), float(p)),
                                 ("n", "%")) if pd.notna(p) else str(int(n)))
            else:
                out.append(shown)
        return out

    # -------------------------------------------------------------- outcomes
    def outcomes(self) -> Section:
        sec = Section(self.tr("outcomes"))
        for iid, scale_id, res in self.res.by_wave:
            scale = self.res.instruments[iid].scale(scale_id)
            name = scale.name(self.lang)
            level = int(round(100 * res.level))
            t = res.table
            rows, hide = [], []
            for r in t.itertuples():
                small = self.sup.small(r.n)
                prob_hidden = bool(r.n_cutoff == 0) or bool(self.sup.table(
                    [[r.n_problematic, r.n_cutoff - r.n_problematic]],
                    row_totals=[r.n_cutoff]).hidden.any())
                hide.append((small or r.n == 0, prob_hidden))
                ci = DASH if small or r.n < 2 else Shown(
                    f"[{fmt_num(r.ci_low, 2, self.lang)}, {fmt_num(r.ci_high, 2, self.lang)}]",
                    (float(r.ci_low), float(r.ci_high)), ("low", "high"))
                rows.append({self.tr("wave"): r.wave, "N": self.sup.count(r.n),
                             self.tr("mean"): self.sup.stat(r.mean, r.n),
                             self.tr("sd"): self.sup.stat(r.sd, r.n),
                             self.tr("ci", level=level): ci,
                             self.tr("problematic"): DASH if prob_hidden
                             else self.pct(r.pct_problematic)})
            rules = "; ".join(f"{c.label()}: {c.describe(self.lang)}" if c.min_age is not None
                              or c.max_age is not None else c.describe(self.lang)
                              for c in scale.cutoffs)
            note = self.tr("cutoff", rules=rules) if rules else ""
            key = f"waves_{iid}_{scale_id}"
            # the sentence gives the first and last wave's mean and share: only when shown
            ends = [i for i in range(len(t)) if t["n"].iat[i] > 0]
            shown = bool(ends) and not any(any(hide[i]) for i in (ends[0], ends[-1]))
            sec.blocks.append(Table(key, self.tr("outcome_table", scale=name, level=level),
                                    pd.DataFrame(rows), f"N = {self.sup.count(int(t['n'].sum()))}",
                                    note=note, sentences=[res.apa(self.lang)] if shown else []))
            sec.blocks.append(self._plot(key, name, t, hide, level))
        return sec

    def _plot(self, key: str, name: str, t: pd.DataFrame, hide: list, level: int) -> Figure:
        x = np.arange(len(t))
        mean = t["mean"].to_numpy(float).copy()
        lo, hi = t["ci_low"].to_numpy(float).copy(), t["ci_high"].to_numpy(float).copy()
        pct = t["pct_problematic"].to_numpy(float).copy()
        for i, (h_mean, h_pct) in enumerate(hide):
            if h_mean:
                mean[i] = lo[i] = hi[i] = np.nan
            if h_pct:
                pct[i] = np.nan
        fig, ax = plt.subplots(figsize=(6.4, 4.0))
        ax2 = ax.twinx()
        ax2.bar(x, np.nan_to_num(pct), width=0.5, color="#c9d6e8", label=self.tr("problematic"))
        ax2.set_ylim(0, 100)
        ax2.set_ylabel(self.tr("problematic"))
        ax.set_zorder(ax2.get_zorder() + 1)
        ax.patch.set_visible(False)
        ax.errorbar(x, mean, yerr=[mean - lo, hi - mean], marker="o", color="#1f3b73",
                    capsize=4, label=self.tr("mean"))
        ax.set_xticks(x, list(t["wave"]))
        ax.set_ylabel(self.tr("mean"))
        ax.grid(axis="y", alpha=0.3)
        axes_decimal_mark(ax, self.lang)
        axes_decimal_mark(ax2, self.lang)
        fig.tight_layout()
        file = f"{key}.png"
        fig.savefig(self.b.out / file, dpi=100)
        plt.close(fig)
        return Figure(file, self.tr("outcome_plot", scale=name, level=level))

    # -------------------------------------------------------------- satisfaction
    def satisfaction(self) -> Section | None:
        if not self.res.satisfaction:
            return None
        sec = Section(self.tr("satisfaction"))
        grades = {}
        for res in self.res.satisfaction:
            form = res.form
            waves = list(pd.unique(res.statements["wave"]))
            st = res.statements.set_index(["statement", "wave"])
            n_wave = res.statements.groupby("wave", sort=False)["n"].max().reindex(waves)
            rows = [[self.tr("answered"), *[self.sup.count(n) for n in n_wave]]]
            for s in form.statements:
                row = [s.text(self.lang)]
                for w in waves:
                    r = st.loc[(s.code, w)]
                    hidden = r.n == 0 or bool(self.sup.table(
                        [[r.n_agree, r.n - r.n_agree]], row_totals=[r.n]).hidden.any())
                    row.append(DASH if hidden else self.pct(r.pct_agree))
                rows.append(row)
            g = res.grades.set_index("wave").reindex(waves)
            rows.append([self.tr("grade"), *[self.sup.stat(m, n, decimals=1)
                                              for m, n in zip(g["mean"], g["n"], strict=True)]])
            grades[FORM_NAMES[self.lang].get(form.respondent, form.respondent)] = [
                m if not self.sup.small(n) and n else np.nan
                for m, n in zip(g["mean"], g["n"], strict=True)]
            who = FORM_NAMES[self.lang].get(form.respondent, form.respondent)
            # the sentence spans the grades of every wave: only when each is shown
            all_shown = not any(self.sup.small(n) for n in g["n"])
            sec.blocks.append(Table(f"satisfaction_{form.id}",
                                    self.tr("satisfaction_table", form=who),
                                    pd.DataFrame(rows, columns=[self.tr("statement"), *waves]),
                                    f"N = {self.sup.count(int(n_wave.sum()))}",
                                    sentences=[res.apa(self.lang)] if all_shown else []))
        fig, ax = plt.subplots(figsize=(6.4, 3.6))
        for who, means in grades.items():
            ax.plot(waves, means, marker="o", label=who)
        ax.set_ylim(1, 10)
        ax.set_ylabel(self.tr("grade"))
        ax.legend()
        ax.grid(axis="y", alpha=0.3)
        axes_decimal_mark(ax, self.lang)
        fig.tight_layout()
        fig.savefig(self.b.out / "satisfaction_grades.png", dpi=100)
        plt.close(fig)
        sec.blocks.append(Figure("satisfaction_grades.png", self.tr("grade_plot")))
        return sec

    # -------------------------------------------------------------- models
    def models(self) -> Section | None:
        if not self.res.models:
            return None
        sec = Section(self.tr("models", base=self.base))
        sec.blocks.append(Paragraph(self.tr("no_control", base=self.base)))
        for m in self.res.models:
            name = m.scores.instrument.scale(m.scale).name(self.lang)
            frame = m.spss_table(self.lang)
            frame["n"] = [self.sup.count(n) for n in m.table["n"]]
            used = m.frame.dropna()
            n = self.tr("model_n", n=self.sup.count(m.model.n_used),
                        p=self.sup.count(used["person"].nunique()),
                        f=self.sup.count(used["family"].nunique()))
            dropped = self.sup.count(m.model.n_dropped) if m.model.n_dropped else "0"
            groups = "/".join(GROUP_NAMES[self.lang].get(g, g) for g in m.model.groups)
            sec.blocks.append(Table(f"waves_model_{m.scores.instrument.id}_{m.scale}",
                                    self.tr("model_table", scale=name, base=self.base), frame, n,
                                    note=self.tr("model_note", groups=groups, dropped=dropped),
                                    sentences=[m.apa(self.lang)]))
        return sec


def _per_scale(counts: pd.Series) -> str:
    """One count, or ``scale n`` per scale when the scales differ."""
    if counts.nunique() == 1:
        return str(int(counts.iloc[0]))
    return ", ".join(f"{k} {int(v)}" for k, v in counts.items())


def waves_sections(builder) -> list[Section]:
    """The repeated-measurement sections of the report (none without ``[waves]``).

    Examples
    --------
    >>> import tempfile
    >>> from zorgeval.pipeline import run_evaluation
    >>> from zorgeval.project import load_project, write_example
    >>> ev = run_evaluation(load_project(write_example("buitenshuis", tempfile.mkdtemp())),
    ...                     quiet=True)
    >>> from zorgeval.report import build_report
    >>> [s.title for s in build_report(ev, tempfile.mkdtemp(), lang="en").sections]
    ['Data', '1. Repeated measurements: response and attrition', '2. Outcomes per wave', '3. Satisfaction', '4. Change against T0 (linear mixed models)']
    """
    if getattr(builder.ev, "waves", None) is None:
        return []
    w = _Waves(builder)
    return [s for s in (w.response(), w.outcomes(), w.satisfaction(), w.models())
            if s is not None]
