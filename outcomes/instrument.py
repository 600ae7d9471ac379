"""Outcome instruments as data: items, scoring rules, cut-offs by age and the age range.

An :class:`OutcomeInstrument` is a questionnaire filled in at every wave (PedsQL, SDQ, WHO-5,
...). It has one or more :class:`OutcomeScale` s; each scale says which items it sums or
averages, which items are reverse-keyed, how item answers are rescaled, how many answers it
needs, and where its cut-offs lie for which ages (:class:`Cutoff`). Only item *codes* are
stored: the texts of copyrighted questionnaires are not part of the library.

Scoring of one scale, for one measurement (a row):

1. each answer ``x`` of the scale's items must lie in the instrument's response range
   ``[low, high]``;
2. a reverse-keyed item becomes ``low + high - x``;
3. with ``rescale = [a, b]`` an answer becomes ``a + (x - low) * (b - a) / (high - low)``
   (PedsQL: answers 0-4, reverse-keyed, rescaled to 0-100);
4. fewer than ``min_answered`` answers (a count, or a fraction of the items when below 1)
   leave the score missing (counted);
5. ``method = "mean"`` averages the answers; ``"sum"`` adds them, and with ``prorate = true``
   a sum of ``k`` of ``n`` items is multiplied by ``n / k``;
6. the score is multiplied by ``multiplier`` (WHO-5: raw sum 0-25 times 4 gives 0-100).

Ages are in years at the measurement. An age band ``min_age``-``max_age`` is in whole years, as
the Dutch "2 t/m 4 jaar": it holds every age ``a`` with ``min_age <= a < max_age + 1``.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["AgeBand", "Cutoff", "OutcomeInstrument", "OutcomeScale", "ResponseRange"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgeBand(_Model):
    """Ages in whole years, ends included: ``AgeBand(min_age=2, max_age=4)`` is "2 t/m 4 jaar".

    A missing end is open. An age ``a`` (years, decimals allowed) lies in the band when
    ``min_age <= a < max_age + 1``.

    Examples
    --------
    >>> band = AgeBand(min_age=2, max_age=4)
    >>> band.contains(2.0), band.contains(4.99), band.contains(5.0), band.contains(1.99)
    (True, True, False, False)
    >>> band.label()
    '2-4'
    """

    min_age: float | None = None
    max_age: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AgeBand:
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            raise ValueError(f"max_age {self.max_age} is below min_age {self.min_age}")
        return self

    def contains(self, age: float) -> bool:
        """Whether ``age`` (years at the measurement) lies in the band."""
        if self.min_age is not None and age < self.min_age:
            return False
        return not (self.max_age is not None and age >= self.max_age + 1)

    def label(self) -> str:
        """The band as ``2-4``, ``12+`` or ``-4``."""
        def num(x: float | None) -> str:
            return "" if x is None else (f"{x:g}")
        if self.max_age is None:
            return f"{num(self.min_age)}+" if self.min_age is not None else "all ages"
        return f"{num(self.min_age)}-{num(self.max_age)}"


class Cutoff(AgeBand):
    """A cut-off for the ages of its band: the score is problematic ``below`` or ``above``
    ``value``, the value itself included when ``inclusive``.

    Examples
    --------
    >>> c = Cutoff(min_age=2, max_age=4, value=78.5, direction="below")
    >>> c.problematic(78.4), c.problematic(78.5)
    (True, False)
    >>> Cutoff(value=2.8, direction="above", inclusive=True).problematic(2.8)
    True
    >>> c.describe(), c.describe("nl")
    ('< 78.5', '< 78,5')
    """

    value: float
    direction: Literal["below", "above"]
    inclusive: bool = False

    def problematic(self, score: float) -> bool:
        """Whether ``score`` is on the problematic side of the cut-off."""
        if self.direction == "below":
            return score <= self.value if self.inclusive else score < self.value
        return score >= self.value if self.inclusive else score > self.value

    def describe(self, lang: str = "en") -> str:
        """The rule as ``< 78.5``, ``>= 2.8`` (decimal comma in Dutch)."""
        sign = {("below", False): "<", ("below", True): "≤", ("above", False): ">",
                ("above", True): "≥"}[(self.direction, self.inclusive)]
        value = f"{self.value:g}"
        return f"{sign} {value.replace('.', ',') if lang == 'nl' else value}"


class ResponseRange(_Model):
    """The answers an item takes: whole numbers from ``low`` to ``high``.

    Examples
    --------
    >>> ResponseRange(low=0, high=4).high
    4
    """

    low: int
    high: int

    @model_validator(mode="after")
    def _ordered(self) -> ResponseRange:
        if self.high <= self.low:
            raise ValueError(f"high {self.high} must be above low {self.low}")
        return self


class OutcomeScale(_Model):
    """One scored scale of an outcome instrument (see the module docstring for the rules).

    Examples
    --------
    >>> s = OutcomeScale(id="tot", name_en="Total", name_nl="Totaal", items=["a", "b"],
    ...                  method="sum", min_answered=2)
    >>> s.needed(), s.higher_is_better
    (2, True)
    """

    id: str
    name_en: str
    name_nl: str
    items: list[str] = Field(min_length=1)
    reverse: list[str] = []
    method: Literal["sum", "mean"]
    rescale: tuple[float, float] | None = None
    multiplier: float = 1.0
    min_answered: float = 1.0
    prorate: bool = False
    higher_is_better: bool = True
    score_range: tuple[float, float] | None = None
    cutoffs: list[Cutoff] = []

    @model_validator(mode="after")
    def _consistent(self) -> OutcomeScale:
        dup = sorted({i for i in self.items if self.items.count(i) > 1})
        if dup:
            raise ValueError(f"scale {self.id!r}: items listed twice: {', '.join(dup)}")
        extra = sorted(set(self.reverse) - set(self.items))
        if extra:
            raise ValueError(f"scale {self.id!r}: reverse-keyed items not in the scale: "
                             f"{', '.join(extra)}")
        if self.min_answered <= 0 or (self.min_answered >= 1 and not float(self.min_answered).is_integer()):
            raise ValueError(f"scale {self.id!r}: min_answered is a count of items (1, 2, ...) "
                             f"or a fraction between 0 and 1, got {self.min_answered}")
        if self.needed() > len(self.items):
            raise ValueError(f"scale {self.id!r}: min_answered {self.min_answered:g} is more "
                             f"than its {len(self.items)} items")
        if self.prorate and self.method != "sum":
            raise ValueError(f"scale {self.id!r}: prorate applies to method = 'sum' only")
        bands = self.cutoffs
        for i, a in enumerate(bands):
            for b in bands[i + 1:]:
                if _overlap(a, b):
                    raise ValueError(f"scale {self.id!r}: the cut-offs for ages {a.label()} and "
                                     f"{b.label()} overlap")
        return self

    def needed(self) -> int:
        """How many answered items the score needs."""
        if self.min_answered < 1:
            return max(1, math.ceil(self.min_answered * len(self.items) - 1e-9))
        return int(self.min_answered)

    def name(self, lang: str = "en") -> str:
        """The scale's name in ``lang``."""
        return self.name_nl if lang == "nl" else self.name_en

    def cutoff_for(self, age: float) -> Cutoff | None:
        """The cut-off whose age band holds ``age``, or None.

        Examples
        --------
        >>> s = OutcomeScale(id="t", name_en="T", name_nl="T", items=["a"], method="sum",
        ...                  cutoffs=[Cutoff(min_age=2, max_age=3, value=12, direction="above"),
        ...                           Cutoff(min_age=4, max_age=5, value=13, direction="above")])
        >>> s.cutoff_for(3.9).value, s.cutoff_for(4.0).value, s.cutoff_for(6.0) is None
        (12.0, 13.0, True)
        """
        for c in self.cutoffs:
            if c.contains(age):
                return c
        return None


def _overlap(a: AgeBand, b: AgeBand) -> bool:
    lo_a = -math.inf if a.min_age is None else a.min_age
    hi_a = math.inf if a.max_age is None else a.max_age + 1
    lo_b = -math.inf if b.min_age is None else b.min_age
    hi_b = math.inf if b.max_age is None else b.max_age + 1
    return lo_a < hi_b and lo_b < hi_a


class OutcomeInstrument(_Model):
    """An outcome questionnaire: respondent type, age range, response range and scales.

    ``respondent`` is whom the scores are about (``child`` or ``parent``); ``ages`` the ages at
    the measurement for which the questionnaire is meant (a measurement outside it is an
    error). ``reference`` cites the instrument and its norms.

    Examples
    --------
    >>> from outcomes import get_outcome_instrument
    >>> sdq = get_outcome_instrument("sdq")
    >>> sdq.respondent, sdq.scale("total").cutoff_for(12.0).describe()
    ('child', '> 14')
    """

    id: str
    name: str
    respondent: Literal["child", "parent"]
    ages: AgeBand = AgeBand()
    response: ResponseRange
    scales: list[OutcomeScale] = Field(min_length=1)
    reference: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _unique(self) -> OutcomeInstrument:
        ids = [s.id for s in self.scales]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"instrument {self.id!r}: scale ids listed twice: {', '.join(dup)}")
        return self

    @property
    def item_codes(self) -> list[str]:
        """Every item code of the scales, in order, each once."""
        out: list[str] = []
        for s in self.scales:
            out += [i for i in s.items if i not in out]
        return out

    def scale(self, scale_id: str) -> OutcomeScale:
        """The scale with this id; an unknown id names the known ones."""
        for s in self.scales:
            if s.id == scale_id:
                return s
        known = ", ".join(s.id for s in self.scales)
        raise KeyError(f"instrument {self.id!r} has no scale {scale_id!r}; known: {known}")

    def with_cutoff(self, scale_id: str, direction: str | None = None,
                    inclusive: bool | None = None) -> OutcomeInstrument:
        """A copy whose scale ``scale_id`` has every cut-off's direction or inclusivity changed
        (the settings a project makes where the literature is ambiguous).

        Examples
        --------
        >>> from outcomes import get_outcome_instrument
        >>> ps = get_outcome_instrument("parenting_scale")
        >>> ps.scale("laxness").cutoffs[0].describe()
        '≥ 2.8'
        >>> ps.with_cutoff("laxness", direction="below", inclusive=False).scale("laxness").cutoffs[0].describe()
        '< 2.8'
        """
        upd: dict = {}
        if direction is not None:
            upd["direction"] = direction
        if inclusive is not None:
            upd["inclusive"] = inclusive
        scales = []
        for s in self.scales:
            if s.id == scale_id:
                cuts = [Cutoff.model_validate(c.model_dump() | upd) for c in s.cutoffs]
                s = s.model_copy(update={"cutoffs": cuts})
            scales.append(s)
        self.scale(scale_id)
        return self.model_copy(update={"scales": scales})
