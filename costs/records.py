"""Case records of the Effectencalculator: one retrospective per case (seed 004).

A case record holds the pilot, the family's consent and composition, the dates, the help
domains of the case-selection form (13 domains), who attended the meeting (the attendance
matrix of the seed's table 2, as roles present), the pilot timeline (request for help,
events, actions, outcome) with the activities the pilot used, and one or more reference
scenarios: what would have happened under usual care, each tagged ``"most likely"`` or
``"less likely"``, with the activities it would have needed.

Activities are counted in the units of the user's cost table (hours, sittings, months, a
trajectory); an activity takes place in ``month`` months after the pilot start (month 0), so
the cost table's year and the comparison's time horizon apply to it. A part of the case whose
costs cannot be told (the seed: "onvoldoende informatie over de gemaakte kosten") carries
``not_costable`` with the reason instead of activities: never a zero.

Case records are read from TOML (``[[case]]`` tables, see :func:`load_cases`) or from two CSV
files (cases and activities, :func:`load_cases_csv`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from costs.money import CostInputError, to_decimal

__all__ = ["DOMAINS", "DOMAIN_LABELS", "ROLES", "ROLE_LABELS", "Activity", "CaseRecord", "Event",
           "Scenario", "load_cases", "load_cases_csv"]

#: The 13 help domains of the case-selection form (seed 004, appendix 1, question 7).
DOMAINS = ("finances", "work", "education", "daytime_activities", "housing",
           "domestic_relations", "safety", "mental_health", "physical_health", "substance_use",
           "social_network", "social_participation", "justice")

DOMAIN_LABELS = {
    "en": dict(zip(DOMAINS, ("finances", "work", "education", "daytime activities", "housing",
                             "domestic relations", "safety", "mental health", "physical health",
                             "substance use", "social network", "social participation",
                             "justice"), strict=True)),
    "nl": dict(zip(DOMAINS, ("financiën", "werk", "onderwijs", "dagbesteding", "huisvesting",
                             "huiselijke relaties", "veiligheid", "geestelijke gezondheid",
                             "lichamelijke gezondheid", "middelengebruik", "sociaal netwerk",
                             "maatschappelijke participatie", "justitie"), strict=True)),
}

#: Who attended the meeting (seed 004, table 2): the family, the case holder, adult mental
#: health care, and professionals supporting the parents, the children, the family, or other.
ROLES = ("family", "case_holder", "adult_mental_health", "support_parents", "support_children",
         "support_family", "other")

ROLE_LABELS = {
    "en": dict(zip(ROLES, ("family", "case holder", "adult mental health care",
                           "support for parent(s)", "support for child(ren)",
                           "support for the family", "other"), strict=True)),
    "nl": dict(zip(ROLES, ("gezin", "casushouder", "v-ggz", "ondersteuning ouder(s)",
                           "ondersteuning kind(eren)", "ondersteuning gezin", "overig"),
                   strict=True)),
}

Likelihood = Literal["most likely", "less likely"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Activity(_Model):
    """One activity of the pilot or of a scenario, in the unit of the cost table.

    Examples
    --------
    >>> Activity(activity="home_visit_hour", quantity="12", month=3).payer
    'municipality'
    """

    activity: str = Field(min_length=1)
    quantity: Decimal = Field(gt=0)
    month: int = Field(0, ge=0)
    payer: str = "municipality"
    note: str = ""

    @field_validator("quantity", mode="before")
    @classmethod
    def _exact(cls, v):
        return to_decimal(v, "quantity")


class Event(_Model):
    """An entry of the pilot timeline: the request for help, an event, an action or the outcome.

    Examples
    --------
    >>> Event(month=0, kind="request", text="mother asks for help").kind
    'request'
    """

    month: int = Field(ge=0)
    kind: Literal["request", "event", "action", "outcome"]
    text: str = Field(min_length=1)


class _Costed(_Model):
    activities: tuple[Activity, ...] = ()
    not_costable: str | None = None

    @model_validator(mode="after")
    def _either(self):
        if self.not_costable is not None and not self.not_costable.strip():
            raise ValueError("not_costable needs the reason")
        if self.activities and self.not_costable:
            raise ValueError("give either activities or not_costable (with the reason), not both")
        if not self.activities and self.not_costable is None:
            raise ValueError("no activities; list the activities, or give not_costable with the "
                             "reason the costs cannot be told")
        return self


class Scenario(_Costed):
    """A reference scenario: the usual care the pilot replaced, as the meeting sketched it.

    Examples
    --------
    >>> s = Scenario(name="CJG family coach", likelihood="most likely",
    ...              activities=[{"activity": "family_coach_hour", "quantity": 20}])
    >>> s.likelihood, s.activities[0].quantity
    ('most likely', Decimal('20'))
    >>> Scenario(name="OTS", likelihood="less likely", not_costable="help during the OTS unknown").activities
    ()
    """

    name: str = Field(min_length=1)
    likelihood: Likelihood
    description: str = ""


class PilotPart(_Costed):
    """What the pilot did, as activities (or not costable, with the reason).

    Examples
    --------
    >>> PilotPart(not_costable="no information on the costs").not_costable
    'no information on the costs'
    """


class CaseRecord(_Model):
    """One case of the Effectencalculator.

    ``consent`` is ``"family_participates"`` (family members took part in the meeting) or
    ``"professionals_only"`` (the family consented to a meeting of professionals only);
    a case without consent is not recorded. Exactly one scenario is ``"most likely"``.

    Examples
    --------
    >>> c = CaseRecord(case="C1", pilot="Beter Thuis", consent="family_participates",
    ...     family="mother, two children", adults=1, children=2, start="2021-03-01",
    ...     domains=["mental_health"], attendance=["family", "case_holder"],
    ...     pilot_part={"activities": [{"activity": "coach_hour", "quantity": 40}]},
    ...     scenarios=[{"name": "usual care", "likelihood": "most likely",
    ...                 "activities": [{"activity": "coach_hour", "quantity": 10}]}])
    >>> c.most_likely().name, c.start.year
    ('usual care', 2021)
    """

    case: str = Field(min_length=1)
    pilot: str = Field(min_length=1)
    consent: Literal["family_participates", "professionals_only"]
    family: str = ""
    adults: int = Field(ge=0)
    children: int = Field(ge=0)
    start: dt.date
    end: dt.date | None = None
    course: Literal["good", "not_good"] | None = None
    domains: tuple[Literal[DOMAINS], ...] = ()  # type: ignore[valid-type]
    attendance: tuple[Literal[ROLES], ...] = Field(min_length=1)  # type: ignore[valid-type]
    timeline: tuple[Event, ...] = ()
    pilot_part: PilotPart
    scenarios: tuple[Scenario, ...] = ()
    patterns: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check(self):
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} lies before start {self.start}")
        if not self.scenarios:
            raise ValueError("no reference scenario; describe at least one (the most likely), "
                             "or one with not_costable and the reason")
        n = sum(s.likelihood == "most likely" for s in self.scenarios)
        if n != 1:
            raise ValueError(f"{n} scenarios are 'most likely'; exactly one must be")
        names = [s.name for s in self.scenarios]
        if len(set(names)) != len(names):
            raise ValueError(f"scenario names repeat: {', '.join(names)}")
        for key in ("domains", "attendance"):
            values = getattr(self, key)
            if len(set(values)) != len(values):
                raise ValueError(f"{key} lists a value twice")
        return self

    def most_likely(self) -> Scenario:
        """The scenario tagged ``"most likely"`` (see the class example)."""
        return next(s for s in self.scenarios if s.likelihood == "most likely")


def _describe(err: ValidationError) -> list[str]:
    out = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"])
        msg = "unknown field" if e["type"] == "extra_forbidden" else e["msg"]
        msg = msg.replace("Value error, ", "")
        out.append(f"{loc}: {msg}" if loc else msg)
    return out


def _records(raw: list, context: str) -> list[CaseRecord]:
    problems: list[str] = []
    out: list[CaseRecord] = []
    for i, entry in enumerate(raw, start=1):
        name = entry.get("case", f"#{i}") if isinstance(entry, dict) else f"#{i}"
        try:
            out.append(CaseRecord.model_validate(entry))
        except ValidationError as exc:
            problems += [f"case {name!r}: {p}" for p in _describe(exc)]
        except CostInputError as exc:
            problems += [f"case {name!r}: {p}" for p in exc.problems]
    ids = [c.case for c in out]
    problems += [f"case {c!r} appears {ids.count(c)} times" for c in sorted(set(ids))
                 if ids.count(c) > 1]
    if problems:
        raise CostInputError(problems, context=context)
    return out


def load_cases(path: str | Path) -> list[CaseRecord]:
    """Read case records from a TOML file of ``[[case]]`` tables (amounts read exactly).

    Raises
    ------
    CostInputError
        Naming the file, the case and every wrong field: a case without a reference
        scenario, an unknown domain or role, a scenario without activities and without a
        not-costable reason.

    Examples
    --------
    >>> from importlib import resources
    >>> cases = load_cases(resources.files("costs") / "data" / "synthetic_cases.toml")
    >>> len(cases), cases[0].pilot
    (8, 'Integraal 0-6-team in de wijk')
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.toml"
    >>> _ = p.write_text('''[[case]]
    ... case = "X"
    ... pilot = "Beter Thuis"
    ... consent = "professionals_only"
    ... adults = 1
    ... children = 1
    ... start = 2021-01-01
    ... attendance = ["case_holder"]
    ... pilot_part = {not_costable = "no cost information"}
    ... ''')
    >>> load_cases(p)
    Traceback (most recent call last):
    ...
    costs.money.CostInputError: ...c.toml: case 'X': no reference scenario; ...
    """
    path = Path(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise CostInputError([f"not valid TOML ({exc})"], context=str(path)) from None
    raw = data.get("case")
    if not isinstance(raw, list) or not raw:
        raise CostInputError(["no [[case]] tables"], context=str(path))
    return _records(raw, str(path))


def _split(cell) -> list[str]:
    return [] if pd.isna(cell) or not str(cell).strip() else [
        x.strip() for x in str(cell).split(";") if x.strip()]


def load_cases_csv(cases: str | Path, activities: str | Path) -> list[CaseRecord]:
    """Read case records from two CSV files.

    ``cases``: one row per case with the columns ``case, pilot, consent, family, adults,
    children, start, end, course, domains, attendance, patterns, pilot_not_costable`` (lists
    separated by ``;``). ``activities``: one row per activity with ``case, part, likelihood,
    activity, quantity, month, payer, not_costable``; ``part`` is ``pilot`` or a scenario's name
    (its ``likelihood`` given on its rows); a row with an empty activity and a
    ``not_costable`` reason marks that scenario not costable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "cases.csv").write_text(
    ...     "case,pilot,consent,adults,children,start,attendance,domains\\n"
    ...     "C1,Beter Thuis,professionals_only,1,2,2021-02-01,case_holder;adult_mental_health,safety\\n")
    >>> _ = (d / "act.csv").write_text(
    ...     "case,part,likelihood,activity,quantity,month,not_costable\\n"
    ...     "C1,pilot,,coach_hour,40,0,\\n"
    ...     "C1,OTS,most likely,,,,help during the OTS unknown\\n")
    >>> c = load_cases_csv(d / "cases.csv", d / "act.csv")[0]
    >>> c.attendance, c.scenarios[0].not_costable
    (('case_holder', 'adult_mental_health'), 'help during the OTS unknown')
    """
    frame = pd.read_csv(cases, dtype=str, keep_default_na=False)
    acts = pd.read_csv(activities, dtype=str, keep_default_na=False)
    missing = [f"{name}: missing column {c!r}" for name, f, cols in (
        (cases, frame, ("case", "pilot", "consent", "adults", "children", "start", "attendance")),
        (activities, acts, ("case", "part", "activity", "quantity")))
        for c in cols if c not in f.columns]
    if missing:
        raise CostInputError(missing)
    known = set(frame["case"])
    stray = sorted(set(acts["case"]) - known)
    if stray:
        raise CostInputError([f"row {i + 2}: case {c!r} is not in {Path(cases).name}"
                              for i, c in acts["case"].items() if c in stray], context=str(activities))
    raw = []
    for _, row in frame.iterrows():
        rec: dict = {k: row[k] for k in ("case", "pilot", "consent", "adults", "children", "start")}
        for k in ("family", "course", "end"):
            if row.get(k, ""):
                rec[k] = row[k]
        for k in ("domains", "attendance", "patterns"):
            rec[k] = _split(row.get(k, ""))
        mine = acts[acts["case"] == row["case"]]
        parts: dict[str, dict] = {}
        for _, a in mine.iterrows():
            part = parts.setdefault(a["part"], {"activities": []})
            if a.get("likelihood", "") and a["part"] != "pilot":
                part["likelihood"] = a["likelihood"]
            if a.get("not_costable", "") and not a["activity"]:
                part["not_costable"] = a["not_costable"]
                continue
            part["activities"].append({"activity": a["activity"], "quantity": a["quantity"] or "0",
                                       "month": a.get("month", "") or 0,
                                       "payer": a.get("payer", "") or "municipality"})
        pilot = parts.pop("pilot", {"activities": []})
        if row.get("pilot_not_costable", ""):
            pilot["not_costable"] = row["pilot_not_costable"]
        rec["pilot_part"] = pilot
        rec["scenarios"] = [{"name": name, **p} for name, p in parts.items()]
        raw.append(rec)
    return _records(raw, f"{cases} and {activities}")
