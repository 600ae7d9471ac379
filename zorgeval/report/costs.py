"""Report sections of the ``[costs]`` project section: case comparison and budget per family.

Every amount is labelled as an expert estimate ("expertschatting"). The case tables show the
cases by their record id and never their pilot, so the only counts of families, the cases per
pilot, are protected by small-cell suppression (the :class:`~zorgeval.report.builder.Suppressor`
of the report) and cannot be derived from the case tables. The pattern table lists the cases
per pattern and no pilots: it is not a ranking.
"""

from __future__ import annotations

import pandas as pd

from costs.compare import money_heading
from costs.money import fmt_eur
from costs.records import ROLE_LABELS, ROLES
from zorgeval.report.blocks import Paragraph, Section, Table
from zorgeval.report.cells import Shown

__all__ = ["costs_sections"]

TEXT = {
    "en": {
        "costs": "Costs and case comparison (Effectencalculator)",
        "budget": "Budget per family",
        "intro": ("Every amount in this section is an expert estimate: the pilot's activities "
                  "come from a retrospective meeting per case and the reference scenarios are "
                  "hypothetical (usual care as the participants sketched it), priced with the "
                  "user's cost table ({sources}). Settings: {settings}. The reference scenarios "
                  "were not checked by an independent panel; read the differences with caution."),
        "per_pilot": "Cases per pilot", "pilot": "Pilot", "cases": "Cases",
        "total": "Total",
        "comparison": "Pilot cost against the reference scenarios per case (expert estimates)",
        "left_out": "Less likely scenarios left out of a case's range (not costable)",
        "case": "Case", "scenario": "Scenario", "reason": "Reason",
        "attendance": "Who attended the meeting per case (✔ = present)",
        "patterns": "Patterns across cases (not a ranking of pilots)",
        "lines": "Activities priced per case and scenario (expert estimates)",
        "part": "Part", "likelihood": "Likelihood", "activity": "Activity", "quantity": "Quantity",
        "unit": "Unit", "unit_cost": "Unit cost (cost table; expert estimate)", "date": "Date", "payer": "Payer",
        "source": "Source", "amount": "Amount", "counted": "Counted",
        "yes": "yes", "no_horizon": "no: beyond the horizon", "no_payer": "no: other payer",
        "most likely": "most likely", "less likely": "less likely",
        "budget_table": "Budget per family over the period: {name}",
        "synthetic": "The figures of this plan are marked synthetic: {note}",
        "n_cases": "N = {n} cases",
        "per_family": "one family with {children} children, {months} months",
    },
    "nl": {
        "costs": "Kosten en casusvergelijking (Effectencalculator)",
        "budget": "Budget per gezin",
        "intro": ("Elk bedrag in deze paragraaf is een expertschatting: de activiteiten van de "
                  "pilot komen uit een terugblikkende sessie per casus en de referentiescenario's "
                  "zijn hypothetisch (de reguliere aanpak zoals de deelnemers die schetsten), "
                  "geprijsd met de kostentabel van de gebruiker ({sources}). Instellingen: "
                  "{settings}. De referentiescenario's zijn niet getoetst door een onafhankelijk "
                  "forum; lees de verschillen met voorzichtigheid."),
        "per_pilot": "Casussen per pilot", "pilot": "Pilot", "cases": "Casussen",
        "total": "Totaal",
        "comparison": "Kosten van de pilot tegenover de referentiescenario's per casus "
                      "(expertschattingen)",
        "left_out": "Minder waarschijnlijke scenario's buiten de bandbreedte van een casus "
                    "(niet te berekenen)",
        "case": "Casus", "scenario": "Scenario", "reason": "Reden",
        "attendance": "Aanwezigen per casus bij de sessie (✔ = aanwezig)",
        "patterns": "Patronen over de casussen (geen rangorde van pilots)",
        "lines": "Geprijsde activiteiten per casus en scenario (expertschattingen)",
        "part": "Onderdeel", "likelihood": "Waarschijnlijkheid", "activity": "Activiteit",
        "quantity": "Hoeveelheid", "unit": "Eenheid",
        "unit_cost": "Prijs per eenheid (kostentabel; expertschatting)",
        "date": "Datum", "payer": "Betaler", "source": "Bron", "amount": "Bedrag",
        "counted": "Meegeteld", "yes": "ja", "no_horizon": "nee: na de tijdshorizon",
        "no_payer": "nee: andere betaler",
        "most likely": "meest waarschijnlijk", "less likely": "minder waarschijnlijk",
        "budget_table": "Budget per gezin over de periode: {name}",
        "synthetic": "De bedragen van dit plan zijn synthetisch: {note}",
        "n_cases": "N = {n} casussen",
        "per_family": "één gezin met {children} kinderen, {months} maanden",
    },
}


def _money(value, lang: str) -> str:
    return "" if value is None else Shown(fmt_eur(value, lang), value)


def _comparison(study, lang: str, tr) -> list:
    res = study.comparison
    frame = res.spss_table(lang)
    for c, (i, _row) in zip(res.cases, frame.iterrows(), strict=True):
        if not c.costable:
            continue
        frame.loc[i, money_heading("pilot_cost", lang)] = _money(c.pilot_cost.total, lang)
        frame.loc[i, money_heading("reference", lang)] = _money(c.most_likely.total, lang)
        frame.loc[i, money_heading("difference", lang)] = _money(c.difference, lang)
        for key, r in (("reference_range", c.reference_range), ("difference_range", c.difference_range)):
            frame.loc[i, money_heading(key, lang)] = Shown(
                f"{fmt_eur(r[0], lang)} – {fmt_eur(r[1], lang)}", r, ("low", "high"))
    blocks = [Table("costs_comparison", tr("comparison"), frame, tr("n_cases", n=len(res.cases)),
                    sentences=[res.apa(lang)])]
    left = [{tr("case"): c.case, tr("scenario"): s.part, tr("reason"): s.reason}
            for c in res.cases if c.costable for s in c.left_out]
    if left:
        blocks.append(Table("costs_left_out", tr("left_out"), pd.DataFrame(left), f"N = {len(left)}"))
    return blocks


def _lines(study, lang: str, tr) -> Table:
    rows = []
    for line in study.comparison.lines.to_dict("records"):
        counted = tr("yes") if line["counted"] else (
            tr("no_horizon") if line["month"] >= study.comparison.settings.horizon_months
            else tr("no_payer"))
        rows.append({tr("case"): line["case"], tr("part"): line["part"],
                     tr("likelihood"): tr(line["likelihood"]) if line["likelihood"] else "",
                     tr("activity"): line["activity"],
                     tr("quantity"): Shown(str(line["quantity"]).replace(".", "," if lang == "nl" else "."),
                                           line["quantity"]),
                     tr("unit"): line["unit"],
                     tr("unit_cost"): Shown(fmt_eur(line["unit_cost"], lang, cents=True), line["unit_cost"]),
                     tr("date"): line["date"].isoformat(), tr("payer"): line["payer"],
                     tr("source"): line["source"],
                     tr("amount") + (" (expertschatting)" if lang == "nl" else " (expert estimate)"):
                         Shown(fmt_eur(line["amount"], lang, cents=True), line["amount"]),
                     tr("counted"): counted})
    return Table("costs_lines", tr("lines"), pd.DataFrame(rows), f"N = {len(rows)}")


def costs_sections(builder) -> list[Section]:
    """The costs and budget sections of an evaluation (none without a ``[costs]`` section),
    their suppressions counted in the report's suppressor ``builder.sup``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from zorgeval.report.builder import Suppressor
    >>> from zorgeval.pipeline import Evaluation
    >>> from zorgeval.cost_study import CostsSection, run_costs, _DATA
    >>> from zorgeval.project import Project
    >>> sec = CostsSection(cases=_DATA / "synthetic_cases.toml",
    ...                    unit_costs=_DATA / "synthetic_unit_costs.csv")
    >>> ev = Evaluation(project=Project(costs=sec), instrument=None, costs=run_costs(sec))
    >>> sup = Suppressor(5, "nl")
    >>> builder = SimpleNamespace(ev=ev, lang="nl", sup=sup)
    >>> [s.title for s in costs_sections(builder)]
    ['Kosten en casusvergelijking (Effectencalculator)']
    >>> sup.n_primary > 0
    True
    """
    ev, lang, sup = builder.ev, builder.lang, builder.sup
    study = getattr(ev, "costs", None)
    if study is None:
        return []

    def tr(key: str, **kw) -> str:
        return TEXT[lang][key].format(**kw)

    res = study.comparison
    sec = Section(tr("costs"), [Paragraph(tr("intro", sources="; ".join(res.sources),
                                             settings=res.settings.describe(lang)))])
    pilots = pd.Series([c.pilot for c in study.cases]).value_counts(sort=False)
    cells = sup.column(pilots.to_numpy(), total=len(study.cases))
    per_pilot = pd.DataFrame({tr("pilot"): [*pilots.index, tr("total")],
                              tr("cases"): [*cells.labels()[:, 0],
                                            cells.total_label(len(study.cases), cells.col_totals[0])]})
    sec.blocks.append(Table("costs_per_pilot", tr("per_pilot"), per_pilot,
                            f"N = {cells.total_label(len(study.cases), cells.col_totals[0])}"))
    sec.blocks += _comparison(study, lang, tr)
    att = pd.DataFrame([{tr("case"): c.case, **{ROLE_LABELS[lang][r]: "✔" if r in c.attendance else ""
                                                for r in ROLES}} for c in study.cases])
    sec.blocks.append(Table("costs_attendance", tr("attendance"), att, tr("n_cases", n=len(study.cases))))
    syn = study.synthesis
    sec.blocks.append(Table("costs_patterns", tr("patterns"), syn.spss_table(lang),
                            tr("n_cases", n=syn.n_cases), sentences=[syn.apa(lang)]))
    sec.blocks.append(_lines(study, lang, tr))
    out = [sec]
    if study.budget is not None:
        b = study.budget
        frame = b.spss_table(lang)
        amounts = [*((r["low"], r["high"]) for r in b.rows), b.total]
        for col, k in ((frame.columns[3], 0), (frame.columns[4], 1)):
            frame[col] = [Shown(fmt_eur(a[k], lang), a[k]) for a in amounts]
        blocks = [Paragraph(b.apa(lang)),
                  Table("costs_budget", tr("budget_table", name=b.plan.name), frame,
                        tr("per_family", children=b.plan.children, months=b.plan.months))]
        if b.plan.synthetic:
            blocks.append(Paragraph(tr("synthetic", note=b.plan.note)))
        out.append(Section(tr("budget"), blocks))
    return out
