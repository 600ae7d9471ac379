"""The municipal budget calculator (seed 001): cost per family over a period.

Seed 001 brings the costs of the Buitenshuisproject back to three posts: the out-of-home
activity (childcare, after-school care or another activity), the linking pin's hours and the
training *Traumasensitief werken* (one training day of eight hours and a return half-day of
four hours). It states about €34,000 to €45,000 per family with two children over two years,
"depending on the activity and how much it is used" (line 175), but gives no amount per post.

A :class:`BudgetPlan` lists the items of the three posts, each with a basis (per child per
month, per family per month, once per family, once per child), a quantity and a unit cost,
both optionally as a low–high pair; :func:`budget` multiplies and adds them exactly. A plan may
carry a ``stated`` total (a published range such as the seed's) and name one ``implied`` post
that has no items: that post is then what the stated total leaves after the other posts, so
the total reproduces the stated range from its parts and the implied post is labelled as such.
That is how the bundled seed example works: the seed's range with synthetic linking-pin and
training figures; the activity post is the remainder, not a price the seed gives.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from costs.money import CostInputError, fmt_eur, to_decimal
from evalstats.result import Result

__all__ = ["POSTS", "BudgetItem", "BudgetPlan", "BudgetResult", "budget", "load_budget",
           "seed_example"]

POSTS = ("activity", "linking_pin", "training")
POST_LABELS = {"en": {"activity": "out-of-home activity", "linking_pin": "linking pin hours",
                      "training": "training Traumasensitief werken"},
               "nl": {"activity": "buitenshuis-activiteit", "linking_pin": "uren linking pin",
                      "training": "training Traumasensitief werken"}}
Basis = Literal["child_month", "family_month", "family", "child"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BudgetItem(_Model):
    """One item of a post: ``quantity`` × ``unit_cost`` on a basis, low and (optionally) high.

    Examples
    --------
    >>> i = BudgetItem(post="linking_pin", label="contact", basis="family_month",
    ...                quantity="4", unit_cost="75", source="synthetic")
    >>> i.amounts(children=2, months=24)
    (Decimal('7200'), Decimal('7200'))
    """

    post: Literal[POSTS]  # type: ignore[valid-type]
    label: str = Field(min_length=1)
    basis: Basis
    quantity: Decimal = Field(ge=0)
    quantity_high: Decimal | None = None
    unit_cost: Decimal = Field(ge=0)
    unit_cost_high: Decimal | None = None
    source: str = Field(min_length=1)

    @field_validator("quantity", "quantity_high", "unit_cost", "unit_cost_high", mode="before")
    @classmethod
    def _exact(cls, v, info):
        return None if v is None else to_decimal(v, info.field_name)

    @model_validator(mode="after")
    def _order(self):
        for low, high in (("quantity", "quantity_high"), ("unit_cost", "unit_cost_high")):
            h = getattr(self, high)
            if h is not None and h < getattr(self, low):
                raise ValueError(f"{high} {h} is below {low} {getattr(self, low)}")
        return self

    def amounts(self, children: int, months: int) -> tuple[Decimal, Decimal]:
        """The low and high amount per family over the period."""
        times = {"child_month": children * months, "family_month": months, "family": 1,
                 "child": children}[self.basis]
        q_hi = self.quantity if self.quantity_high is None else self.quantity_high
        c_hi = self.unit_cost if self.unit_cost_high is None else self.unit_cost_high
        return self.quantity * self.unit_cost * times, q_hi * c_hi * times


class Stated(_Model):
    """A published total per family over the plan's period, with its source."""

    low: Decimal
    high: Decimal
    source: str = Field(min_length=1)

    @field_validator("low", "high", mode="before")
    @classmethod
    def _exact(cls, v, info):
        return to_decimal(v, f"stated.{info.field_name}")


class BudgetPlan(_Model):
    """A budget per family: children, months, the items, optionally a stated total.

    Examples
    --------
    >>> p = BudgetPlan(name="x", children=2, months=24, items=[
    ...     {"post": "training", "label": "course", "basis": "family", "quantity": 1,
    ...      "unit_cost": 400, "source": "synthetic"}])
    >>> p.posts_with_items()
    ['training']
    """

    name: str = Field(min_length=1)
    children: int = Field(ge=1)
    months: int = Field(ge=1)
    items: tuple[BudgetItem, ...] = ()
    stated: Stated | None = None
    implied: Literal[POSTS] | None = None  # type: ignore[valid-type]
    synthetic: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _implied(self):
        if self.implied is not None:
            if self.stated is None:
                raise ValueError("implied needs a stated total to take the post from")
            if self.implied in self.posts_with_items():
                raise ValueError(f"the implied post {self.implied!r} has items; an implied post "
                                 "is what the stated total leaves, so it has none")
        if not self.items:
            raise ValueError("no items")
        return self

    def posts_with_items(self) -> list[str]:
        """The posts that have items, in the order of :data:`POSTS`."""
        return [p for p in POSTS if any(i.post == p for i in self.items)]


@dataclass
class BudgetResult(Result):
    """A budget per family over the period: items, posts and the total, low–high.

    ``table`` has one row per item (and one for an implied post) with exact amounts;
    ``gap`` is the stated total minus the computed one when a plan states a total and
    implies no post (``None`` otherwise).

    Examples
    --------
    >>> r = seed_example()
    >>> r.total, r.gap
    ((Decimal('34000'), Decimal('45000')), None)
    """

    titles = {"en": "Budget per family", "nl": "Budget per gezin"}

    plan: BudgetPlan
    rows: list[dict]

    @property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows)

    @property
    def total(self) -> tuple[Decimal, Decimal]:
        """The low and high total per family over the period."""
        return (sum((r["low"] for r in self.rows), Decimal(0)),
                sum((r["high"] for r in self.rows), Decimal(0)))

    @property
    def gap(self) -> tuple[Decimal, Decimal] | None:
        """Stated minus computed total, for a plan with a stated total and no implied post."""
        s = self.plan.stated
        if s is None or self.plan.implied is not None:
            return None
        return s.low - self.total[0], s.high - self.total[1]

    def post_totals(self) -> pd.DataFrame:
        """Low and high per post (exact).

        Examples
        --------
        >>> seed_example().post_totals()["high"].tolist()
        [Decimal('37400'), Decimal('7200'), Decimal('400')]
        """
        t = self.table
        out = [{"post": p, "low": sum(t.loc[t["post"] == p, "low"], Decimal(0)),
                "high": sum(t.loc[t["post"] == p, "high"], Decimal(0))}
               for p in POSTS if (t["post"] == p).any()]
        return pd.DataFrame(out)

    def spss_table(self, lang: str = "en") -> pd.DataFrame:
        """Items with their amounts (whole euros, labelled as expert estimates)."""
        est = "expertschatting" if lang == "nl" else "expert estimate"
        head = {"en": ("Post", "Item", "Source", f"Low ({est})", f"High ({est})"),
                "nl": ("Post", "Onderdeel", "Bron", f"Laag ({est})", f"Hoog ({est})")}[lang]
        implied = {"en": "what the stated total leaves", "nl": "wat het genoemde totaal overlaat"}[lang]
        rows = [{head[0]: POST_LABELS[lang][r["post"]], head[1]: implied if r["implied"] else r["label"],
                 head[2]: r["source"],
                 head[3]: fmt_eur(r["low"], lang), head[4]: fmt_eur(r["high"], lang)}
                for r in self.rows]
        lo, hi = self.total
        rows.append({head[0]: "Totaal" if lang == "nl" else "Total", head[1]: "", head[2]: "",
                     head[3]: fmt_eur(lo, lang), head[4]: fmt_eur(hi, lang)})
        return pd.DataFrame(rows)

    def apa(self, lang: str = "en") -> str:
        """The total per family in words, with the stated total and how it is reproduced.

        Examples
        --------
        >>> print(seed_example().apa("en"))
        Expert estimate per family with 2 children over 24 months: € 34,000 to € 45,000. The stated total (€ 34,000 to € 45,000; seed 001...) gives no amount per post; the post out-of-home activity is what it leaves after the other posts.
        """
        p, s, t = self.plan, self.plan.stated, _SENTENCES[lang]

        def eur(x):
            return fmt_eur(x, lang)

        text = t["total"].format(children=p.children, months=p.months, lo=eur(self.total[0]),
                                 hi=eur(self.total[1]))
        if s is not None and p.implied is not None:
            text += t["implied"].format(lo=eur(s.low), hi=eur(s.high), source=s.source,
                                        post=POST_LABELS[lang][p.implied])
        elif s is not None:
            text += t["gap"].format(lo=eur(s.low), hi=eur(s.high), source=s.source,
                                    g_lo=eur(self.gap[0]), g_hi=eur(self.gap[1]))
        return text


_SENTENCES = {
    "en": {"total": "Expert estimate per family with {children} children over {months} months: "
                    "{lo} to {hi}.",
           "implied": " The stated total ({lo} to {hi}; {source}) gives no amount per post; the "
                      "post {post} is what it leaves after the other posts.",
           "gap": " The stated total is {lo} to {hi} ({source}); difference {g_lo} and {g_hi}."},
    "nl": {"total": "Expertschatting per gezin met {children} kinderen over {months} maanden: "
                    "{lo} tot {hi}.",
           "implied": " Het genoemde totaal ({lo} tot {hi}; {source}) geeft geen bedrag per "
                      "post; de post {post} is wat het na de andere posten overlaat.",
           "gap": " Het genoemde totaal is {lo} tot {hi} ({source}); verschil {g_lo} en {g_hi}."},
}


def budget(plan: BudgetPlan) -> BudgetResult:
    """Cost per family over the plan's period, item by item (exact decimals, euros).

    Raises
    ------
    CostInputError
        The implied post would be negative: the other posts exceed the stated total.

    Examples
    --------
    >>> plan = BudgetPlan(name="user", children=2, months=24, items=[
    ...     {"post": "activity", "label": "after-school care", "basis": "child_month",
    ...      "quantity": 1, "unit_cost": "500", "unit_cost_high": "700", "source": "own tariff"},
    ...     {"post": "linking_pin", "label": "contact", "basis": "family_month",
    ...      "quantity": 4, "unit_cost": "75", "source": "own tariff"}])
    >>> budget(plan).total
    (Decimal('31200'), Decimal('40800'))
    """
    rows = []
    for item in plan.items:
        lo, hi = item.amounts(plan.children, plan.months)
        rows.append({"post": item.post, "label": item.label, "basis": item.basis,
                     "source": item.source, "implied": False, "low": lo, "high": hi})
    if plan.implied is not None:
        s = plan.stated
        lo = s.low - sum((r["low"] for r in rows), Decimal(0))
        hi = s.high - sum((r["high"] for r in rows), Decimal(0))
        if lo < 0 or hi < 0:
            raise CostInputError([f"plan {plan.name!r}: the other posts exceed the stated total "
                                  f"({s.low} to {s.high}); the implied post {plan.implied!r} "
                                  "would be negative"])
        rows.insert(0, {"post": plan.implied, "label": "implied by the stated total",
                        "basis": "family", "source": s.source, "implied": True,
                        "low": lo, "high": hi})
        rows.sort(key=lambda r: POSTS.index(r["post"]))
    return BudgetResult(plan, rows)


def load_budget(path: str | Path) -> BudgetPlan:
    """Read a budget plan from TOML (amounts read exactly).

    Examples
    --------
    >>> from importlib import resources
    >>> load_budget(resources.files("costs") / "data" / "budget_buitenshuis_seed001.toml").months
    24
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise CostInputError([f"not valid TOML ({exc})"], context=str(path)) from None
    try:
        return BudgetPlan.model_validate(data)
    except ValidationError as exc:
        raise CostInputError([f"{'.'.join(str(x) for x in e['loc']) or '(plan)'}: {e['msg']}"
                              for e in exc.errors()], context=str(path)) from None


def seed_example() -> BudgetResult:
    """The seed's example: €34,000–45,000 per two-child family over two years, from its parts.

    The linking-pin and training figures of the bundled plan are synthetic; the activity post
    is what the seed's total leaves after them (the seed names no amount per post).

    Examples
    --------
    >>> seed_example().post_totals()["low"].tolist()
    [Decimal('26400'), Decimal('7200'), Decimal('400')]
    """
    return budget(load_budget(resources.files("costs") / "data" / "budget_buitenshuis_seed001.toml"))
