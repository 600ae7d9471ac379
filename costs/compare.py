"""The cost comparison per case: the pilot against its reference scenarios (expert estimates).

Per case the pilot's cost and each reference scenario's cost are the sums of quantity × unit
cost of their activities (exact decimals, euros; each total rounded half-even to whole cents,
which changes nothing when unit costs are in cents and quantities whole) within the time horizon and for the payers
chosen in :class:`CostSettings`. The difference is pilot minus reference: the point value
against the most likely scenario, and the low–high range over every costable scenario.

A case is **not costable**, with the reason, when its pilot part or its most likely scenario is
not costable (the seed: "niet mogelijk een inschatting te maken van het verschil in kosten");
a less likely scenario that is not costable is left out of the range and named. A not-costable
case has no amounts at all, never a zero. An activity without a unit cost on its date is an
error naming the activity, the case and the scenario.

Every amount is an expert estimate: the activities come from a retrospective meeting's
reconstruction and from hypothetical scenarios, not from accounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from costs.money import CostInputError, fmt_eur
from costs.records import CaseRecord
from costs.tables import CostTable
from evalstats.result import Result

__all__ = ["CaseComparison", "CostComparison", "CostSettings", "PartCost", "compare_cases"]

CENT = Decimal("0.01")
_LINE_COLUMNS = ["case", "part", "likelihood", "activity", "quantity", "unit", "unit_cost", "date",
                 "month", "payer", "source", "amount", "counted"]


class CostSettings(BaseModel):
    """The explicit settings of a comparison: time horizon and who pays.

    ``horizon_months``: activities from month 0 (the pilot start) up to, not including, this
    month count. ``payers``: the payers whose costs count (``None``: every payer).

    Examples
    --------
    >>> s = CostSettings(horizon_months=24, payers=["municipality"])
    >>> s.describe("en"), s.describe("nl")
    ('time horizon 24 months from the pilot start; payer: municipality', 'tijdshorizon 24 maanden vanaf de start van de pilot; betaler: municipality')
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    horizon_months: int = Field(24, ge=1)
    payers: tuple[str, ...] | None = None

    def describe(self, lang: str = "en") -> str:
        """The settings in words."""
        if lang == "nl":
            who = f"betaler: {', '.join(self.payers)}" if self.payers else "alle betalers"
            return f"tijdshorizon {self.horizon_months} maanden vanaf de start van de pilot; {who}"
        who = f"payer: {', '.join(self.payers)}" if self.payers else "all payers"
        return f"time horizon {self.horizon_months} months from the pilot start; {who}"


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + y, m + 1, 1)


@dataclass(frozen=True)
class PartCost:
    """The cost of the pilot part or of one scenario of a case.

    ``total`` is ``None`` when the part is not costable (``reason`` says why).
    ``n_outside_horizon`` and ``n_other_payer`` count the activities left out by the settings.

    Examples
    --------
    >>> PartCost("pilot", None, None, "no cost information").costable
    False
    """

    part: str
    likelihood: str | None
    total: Decimal | None
    reason: str | None = None
    lines: tuple[dict, ...] = ()
    n_outside_horizon: int = 0
    n_other_payer: int = 0

    @property
    def costable(self) -> bool:
        """Whether the part has a cost."""
        return self.total is not None


@dataclass(frozen=True)
class CaseComparison:
    """One case's comparison: pilot cost, reference costs, difference and its range.

    Examples
    --------
    >>> p = PartCost("pilot", None, Decimal("20000"))
    >>> r = (PartCost("usual care", "most likely", Decimal("3000")),
    ...      PartCost("intensive", "less likely", Decimal("9000")))
    >>> c = CaseComparison("C1", "Beter Thuis", p, r)
    >>> c.difference, c.difference_range
    (Decimal('17000'), (Decimal('11000'), Decimal('17000')))
    """

    case: str
    pilot: str
    pilot_cost: PartCost
    scenarios: tuple[PartCost, ...]

    @property
    def most_likely(self) -> PartCost:
        """The most likely scenario's cost."""
        return next(s for s in self.scenarios if s.likelihood == "most likely")

    @property
    def reason(self) -> str | None:
        """Why the case is not costable, or ``None`` when it is (see :meth:`reason_text`)."""
        return self.reason_text("en")

    def reason_text(self, lang: str = "en") -> str | None:
        """Why the case is not costable, naming the part, in ``lang``; ``None`` when costable.

        Examples
        --------
        >>> c = CaseComparison("C3", "P", PartCost("pilot", None, None, "no cost information"),
        ...                    (PartCost("A", "most likely", Decimal("10")),))
        >>> c.reason_text("nl")
        'pilot: no cost information'
        """
        if not self.pilot_cost.costable:
            return f"pilot: {self.pilot_cost.reason}"
        if not self.most_likely.costable:
            head = "meest waarschijnlijke scenario" if lang == "nl" else "most likely scenario"
            return f"{head} {self.most_likely.part!r}: {self.most_likely.reason}"
        return None

    @property
    def costable(self) -> bool:
        """Whether the case has a difference."""
        return self.pilot_cost.costable and self.most_likely.costable

    @property
    def costed_scenarios(self) -> tuple[PartCost, ...]:
        """The scenarios with a cost (the range runs over these)."""
        return tuple(s for s in self.scenarios if s.costable)

    @property
    def left_out(self) -> tuple[PartCost, ...]:
        """Less likely scenarios that are not costable, left out of the range."""
        return tuple(s for s in self.scenarios if not s.costable)

    @property
    def difference(self) -> Decimal | None:
        """Pilot minus the most likely scenario (``None`` when not costable)."""
        return self.pilot_cost.total - self.most_likely.total if self.costable else None

    @property
    def difference_range(self) -> tuple[Decimal, Decimal] | None:
        """The lowest and highest difference over the costed scenarios."""
        if not self.costable:
            return None
        d = [self.pilot_cost.total - s.total for s in self.costed_scenarios]
        return min(d), max(d)

    @property
    def reference_range(self) -> tuple[Decimal, Decimal] | None:
        """The lowest and highest reference cost over the costed scenarios."""
        if not self.costable:
            return None
        r = [s.total for s in self.costed_scenarios]
        return min(r), max(r)


_HEAD = {
    "en": {"case": "Case", "state": "State", "pilot_cost": "Pilot cost",
           "reference": "Reference cost (most likely)", "reference_range": "Reference cost, low–high",
           "difference": "Difference (pilot − reference)", "difference_range": "Difference, low–high",
           "scenarios": "Scenarios costed", "reason": "Not costable because",
           "costable": "costable", "not_costable": "not costable", "estimate": "expert estimate"},
    "nl": {"case": "Casus", "state": "Status", "pilot_cost": "Kosten pilot",
           "reference": "Kosten referentie (meest waarschijnlijk)",
           "reference_range": "Kosten referentie, laag–hoog",
           "difference": "Verschil (pilot − referentie)", "difference_range": "Verschil, laag–hoog",
           "scenarios": "Scenario's berekend", "reason": "Niet te berekenen omdat",
           "costable": "te berekenen", "not_costable": "niet te berekenen",
           "estimate": "expertschatting"},
}


def money_heading(key: str, lang: str) -> str:
    """A money column's heading with its label as an expert estimate.

    Examples
    --------
    >>> money_heading("pilot_cost", "nl")
    'Kosten pilot (expertschatting)'
    """
    h = _HEAD[lang]
    return f"{h[key]} ({h['estimate']})"


def _range(r, lang: str) -> str:
    return "" if r is None else f"{fmt_eur(r[0], lang)} – {fmt_eur(r[1], lang)}"


@dataclass
class CostComparison(Result):
    """The comparison of every case (see :func:`compare_cases`).

    ``table`` has one row per case with exact decimals (``None`` where not costable) and the
    number of activities the settings left out (beyond the horizon, other payers);
    ``lines`` one row per activity with its unit cost, source and whether it counted.

    Examples
    --------
    >>> from importlib import resources
    >>> from costs import load_cases, load_cost_table
    >>> data = resources.files("costs") / "data"
    >>> res = compare_cases(load_cases(data / "synthetic_cases.toml"),
    ...                     load_cost_table(data / "synthetic_unit_costs.csv"))
    >>> res.table.loc[0, ["case", "pilot_cost", "reference", "difference"]].tolist()
    ['case 1', Decimal('20000.00'), Decimal('3000.00'), Decimal('17000.00')]
    >>> print(res.apa("en"))
    Expert estimates (time horizon 24 months from the pilot start; all payers): 4 of 8 cases are costable; 4 are not, each with its reason. Not counted: 2 activities beyond the time horizon and 0 of other payers. Over the scenarios the differences (pilot − reference) run from € -27,700 to € 28,500.
    """

    titles = {"en": "Costs and case comparison", "nl": "Kosten en casusvergelijking"}

    cases: list[CaseComparison]
    settings: CostSettings
    sources: list[str] = field(default_factory=list)

    @property
    def table(self) -> pd.DataFrame:
        rows = []
        for c in self.cases:
            rr, dr = c.reference_range, c.difference_range
            rows.append({
                "case": c.case, "pilot": c.pilot, "costable": c.costable,
                "pilot_cost": c.pilot_cost.total if c.costable else None,
                "reference": c.most_likely.total if c.costable else None,
                "reference_low": rr[0] if rr else None, "reference_high": rr[1] if rr else None,
                "difference": c.difference,
                "difference_low": dr[0] if dr else None, "difference_high": dr[1] if dr else None,
                "n_scenarios": len(c.scenarios),
                "n_scenarios_costed": len(c.costed_scenarios) if c.costable else 0,
                "reason": c.reason or "",
                "left_out": "; ".join(f"{s.part}: {s.reason}" for s in c.left_out) if c.costable else "",
                "n_outside_horizon": sum(p.n_outside_horizon for p in (c.pilot_cost, *c.scenarios)),
                "n_other_payer": sum(p.n_other_payer for p in (c.pilot_cost, *c.scenarios)),
            })
        return pd.DataFrame(rows)

    @property
    def lines(self) -> pd.DataFrame:
        """Every activity of every part with its unit cost and amount."""
        rows = [line for c in self.cases for p in (c.pilot_cost, *c.scenarios) for line in p.lines]
        return pd.DataFrame(rows, columns=_LINE_COLUMNS)

    def spss_table(self, lang: str = "en") -> pd.DataFrame:
        """The table with labelled headings (money as expert estimates), amounts in whole euros.

        Examples
        --------
        >>> c = CaseComparison("C2", "CIT", PartCost("pilot", None, Decimal("50000")),
        ...                    (PartCost("OTS", "most likely", None, "help during the OTS unknown"),))
        >>> CostComparison([c], CostSettings()).spss_table("en").iloc[0].tolist()
        ['C2', 'not costable', '', '', '', '', '', '0 of 1', "most likely scenario 'OTS': help during the OTS unknown"]
        """
        h = _HEAD[lang]
        rows = []
        for c in self.cases:
            rows.append({
                h["case"]: c.case,
                h["state"]: h["costable" if c.costable else "not_costable"],
                money_heading("pilot_cost", lang): fmt_eur(c.pilot_cost.total, lang) if c.costable else "",
                money_heading("reference", lang): fmt_eur(c.most_likely.total, lang) if c.costable else "",
                money_heading("reference_range", lang): _range(c.reference_range, lang),
                money_heading("difference", lang): fmt_eur(c.difference, lang),
                money_heading("difference_range", lang): _range(c.difference_range, lang),
                h["scenarios"]: (f"{len(c.costed_scenarios) if c.costable else 0} "
                                 f"{'of' if lang == 'en' else 'van'} {len(c.scenarios)}"),
                h["reason"]: c.reason_text(lang) or "",
            })
        return pd.DataFrame(rows)

    def apa(self, lang: str = "en") -> str:
        """A summary sentence: settings, how many cases are costable, the differences' span."""
        n, k = len(self.cases), sum(c.costable for c in self.cases)
        costed = [c for c in self.cases if c.costable]
        if lang == "nl":
            text = (f"Expertschattingen ({self.settings.describe('nl')}): {k} van {n} casussen "
                    f"zijn te berekenen; {n - k} niet, elk met de reden.")
        else:
            text = (f"Expert estimates ({self.settings.describe('en')}): {k} of {n} cases are "
                    f"costable; {n - k} are not, each with its reason.")
        parts = [p for c in self.cases for p in (c.pilot_cost, *c.scenarios)]
        n_out = sum(p.n_outside_horizon for p in parts)
        n_pay = sum(p.n_other_payer for p in parts)
        if n_out or n_pay:
            text += (f" Niet meegeteld: {n_out} activiteiten na de tijdshorizon en {n_pay} van "
                     "andere betalers." if lang == "nl" else
                     f" Not counted: {n_out} activities beyond the time horizon and {n_pay} of "
                     "other payers.")
        if costed:
            lo = min(c.difference_range[0] for c in costed)
            hi = max(c.difference_range[1] for c in costed)
            text += (f" De verschillen (pilot − referentie) lopen over de scenario's van "
                     f"{fmt_eur(lo, 'nl')} tot {fmt_eur(hi, 'nl')}." if lang == "nl" else
                     f" Over the scenarios the differences (pilot − reference) run from "
                     f"{fmt_eur(lo, 'en')} to {fmt_eur(hi, 'en')}.")
        return text


def _part(case: CaseRecord, name: str, likelihood: str | None, part, table: CostTable,
          settings: CostSettings, missing: list[str]) -> PartCost:
    if part.not_costable is not None:
        return PartCost(name, likelihood, None, part.not_costable)
    lines, total, n_out, n_payer, gap = [], Decimal(0), 0, 0, False
    label = "pilot" if likelihood is None else f"scenario {name!r}"
    for a in part.activities:
        day = _add_months(case.start, a.month)
        unit = table.lookup(a.activity, day)
        if unit is None:
            gap = True
            missing.append(f"case {case.case!r}, {label}: activity {a.activity!r} has no unit cost "
                           f"on {day} (month {a.month}); add a row for it to the cost table")
            continue
        outside = a.month >= settings.horizon_months
        other = settings.payers is not None and a.payer not in settings.payers
        n_out += outside
        n_payer += other and not outside
        amount = a.quantity * unit.unit_cost
        counted = not (outside or other)
        if counted:
            total += amount
        lines.append({"case": case.case, "part": name, "likelihood": likelihood or "",
                      "activity": a.activity, "quantity": a.quantity, "unit": unit.unit,
                      "unit_cost": unit.unit_cost, "date": day, "month": a.month,
                      "payer": a.payer, "source": unit.source, "amount": amount,
                      "counted": counted})
    total = None if gap else total.quantize(CENT, ROUND_HALF_EVEN)
    return PartCost(name, likelihood, total, None, tuple(lines), n_out, n_payer)


def compare_cases(cases: list[CaseRecord], table: CostTable,
                  settings: CostSettings | None = None) -> CostComparison:
    """Compare each case's pilot cost with its reference scenarios.

    Raises
    ------
    CostInputError
        An activity has no unit cost on its date (every such activity named with its case
        and scenario).

    Examples
    --------
    >>> import datetime as dt
    >>> from costs.tables import UnitCost
    >>> t = CostTable([UnitCost("coach_hour", "hour", Decimal("80"), dt.date(2021, 1, 1),
    ...                         dt.date(2022, 12, 31), "synthetic", 2)])
    >>> c = CaseRecord(case="C1", pilot="P", consent="professionals_only", adults=1, children=1,
    ...     start="2021-01-01", attendance=["case_holder"],
    ...     pilot_part={"activities": [{"activity": "coach_hour", "quantity": 100}]},
    ...     scenarios=[{"name": "A", "likelihood": "most likely",
    ...                 "activities": [{"activity": "coach_hour", "quantity": 30}]},
    ...                {"name": "B", "likelihood": "less likely",
    ...                 "activities": [{"activity": "crisis_day", "quantity": 2}]}])
    >>> compare_cases([c], t)
    Traceback (most recent call last):
    ...
    costs.money.CostInputError: case 'C1', scenario 'B': activity 'crisis_day' has no unit cost on 2021-01-01 (month 0); ...
    """
    settings = settings or CostSettings()
    missing: list[str] = []
    out = []
    for case in cases:
        pilot = _part(case, "pilot", None, case.pilot_part, table, settings, missing)
        scen = tuple(_part(case, s.name, s.likelihood, s, table, settings, missing)
                     for s in case.scenarios)
        out.append(CaseComparison(case.case, case.pilot, pilot, scen))
    if missing:
        raise CostInputError(missing, context=table.source)
    return CostComparison(out, settings, table.sources)
