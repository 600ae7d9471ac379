"""Fidelity instruments as data: response scales, items, categories, principles, thresholds and bands.

An instrument is a validated pydantic model, normally read from a TOML or JSON definition file.
Its scoring rule, its fidelity threshold and its bands are part of the definition, not code.

Precedence for thresholds and band sets: an item's own setting, then its category's, then the
instrument's.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from numbers import Rational
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Level = Literal["item", "principle", "category"]  # what a survey is scored and compared at


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_SPACES = re.compile(r"\s+")
_NOT_APPLICABLE = {"nvt", "nietvantoepassing"}


def normalise_label(text: str) -> str:
    """An answer label as compared: case-folded, surrounding spaces removed, inner runs of
    whitespace made one space.

    Examples
    --------
    >>> normalise_label("  Zeer   Vaak ")
    'zeer vaak'
    """
    return _SPACES.sub(" ", str(text).strip().casefold())


def is_not_applicable(text: str) -> bool:
    """Whether a text answer says "niet van toepassing": ``n.v.t.``, ``nvt``, ``n.v.t``, ``NVT``,
    ``n. v. t.`` or the words written out (case, dots and spaces do not matter).

    Examples
    --------
    >>> [is_not_applicable(t) for t in ["n.v.t.", "NVT", " n.v.t", "Niet van toepassing", "nooit"]]
    [True, True, True, True, False]
    """
    return re.sub(r"[.\s]", "", str(text).casefold()) in _NOT_APPLICABLE


class ResponseCode(_Model):
    """One substantive answer code of a response scale, with its Dutch and English label.

    ``aliases`` are other Dutch labels of the same code in the source (ReSet's 2 is "soms" on
    the form and "zelden" in the text); answers may be given by label or alias.
    """

    value: int
    nl: str
    en: str
    aliases: list[str] = []


class NonSubstantiveCode(_Model):
    """An answer that carries no position on the scale ("n.v.t.", "weet niet"): becomes missing and is counted."""

    value: int | str
    nl: str
    en: str


class ResponseScale(_Model):
    """An ordered response scale.

    ``not_applicable`` lists numeric codes that mean "niet van toepassing" (such as 9): like the
    text ``n.v.t.`` they are no scale value and are counted apart. ``labels()`` gives the Dutch
    labels answers may be written as.

    Examples
    --------
    >>> s = ResponseScale(id="yn", codes=[{"value": 1, "nl": "nee", "en": "no"},
    ...                                   {"value": 2, "nl": "ja", "en": "yes", "aliases": ["Wel"]}])
    >>> s.min, s.max, s.reverse(1), s.labels()
    (1, 2, 2, {'nee': 1, 'ja': 2, 'wel': 2})
    """

    id: str
    nl: str = ""
    en: str = ""
    codes: list[ResponseCode] = Field(min_length=2)
    non_substantive: list[NonSubstantiveCode] = []
    not_applicable: list[int] = []

    @field_validator("codes")
    @classmethod
    def _ascending(cls, codes: list[ResponseCode]) -> list[ResponseCode]:
        values = [c.value for c in codes]
        if any(b <= a for a, b in zip(values, values[1:], strict=False)):
            raise ValueError(f"scale codes must be strictly ascending, got {values}")
        return codes

    @model_validator(mode="after")
    def _disjoint(self) -> ResponseScale:
        clash = {c.value for c in self.codes} & {c.value for c in self.non_substantive}
        if clash:
            raise ValueError(f"codes {sorted(clash)} are both substantive and non-substantive")
        clash = set(self.values) & set(self.not_applicable)
        if clash:
            raise ValueError(f"codes {sorted(clash)} are both substantive and not applicable")
        seen: dict[str, int] = {}
        for c in self.codes:
            for lab in (c.nl, *c.aliases):
                key = normalise_label(lab)
                if seen.setdefault(key, c.value) != c.value:
                    raise ValueError(f"label {lab!r} names codes {seen[key]} and {c.value}")
        return self

    def labels(self) -> dict[str, int]:
        """Normalised Dutch label (and alias) -> substantive code (see :func:`normalise_label`)."""
        return {normalise_label(lab): c.value for c in self.codes for lab in (c.nl, *c.aliases)}

    @property
    def values(self) -> list[int]:
        """The substantive codes, ascending."""
        return [c.value for c in self.codes]

    @property
    def min(self) -> int:
        return self.codes[0].value

    @property
    def max(self) -> int:
        return self.codes[-1].value

    def reverse(self, x):
        """Reverse-key a code or an array of codes: ``min + max - x``."""
        return self.min + self.max - x

    def label(self, value: int, lang: str = "en") -> str:
        """The label of a code in ``"en"`` or ``"nl"``."""
        for c in [*self.codes, *self.non_substantive]:
            if c.value == value:
                return getattr(c, lang)
        raise KeyError(f"code {value!r} is not on scale {self.id!r} (codes {self.values})")


def exact(x: float | Rational) -> Fraction:
    """A score or a limit as an exact fraction: a float by its shortest decimal form.

    Thresholds and band limits are written as decimals (``3.6``, ``4.1``); the binary float
    ``3.6`` is slightly above 3.6, so limits are compared by their decimal value. An exact score
    (a :class:`fractions.Fraction` or an int, such as a sum of answer codes over N) is kept as is.

    Examples
    --------
    >>> exact(3.6), exact(Fraction(18, 5)) == exact(3.6), exact(4)
    (Fraction(18, 5), True, Fraction(4, 1))
    """
    if isinstance(x, Rational):
        return Fraction(x)
    return Fraction(repr(float(x)))


def _is_nan(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


class Threshold(_Model):
    """A fidelity threshold: a score meets it when it is at least (or above) ``value``.

    ``met`` compares exactly (see :func:`exact`): pass an exact mean (a
    :class:`fractions.Fraction`, e.g. the sum of the codes over N) to decide without rounding.

    Examples
    --------
    >>> Threshold(value=4.0).met(4.0), Threshold(value=4.0, inclusive=False).met(4.0)
    (True, False)
    >>> Threshold(value=3.6).met(Fraction(18, 5)), Threshold(value=3.6).met(Fraction(35999, 10000))
    (True, False)
    """

    value: float
    inclusive: bool = True
    source: str = ""

    def met(self, x: float | Rational) -> bool:
        """Whether ``x`` meets the threshold; NaN never does."""
        if _is_nan(x):
            return False
        v, t = exact(x), exact(self.value)
        return v >= t if self.inclusive else v > t

    def min_code(self) -> int:
        """The smallest whole number that meets the threshold (answer codes are whole numbers).

        Examples
        --------
        >>> Threshold(value=3.6).min_code(), Threshold(value=4.0, inclusive=False).min_code()
        (4, 5)
        """
        t = exact(self.value)
        return math.ceil(t) if self.inclusive else math.floor(t) + 1


class Band(_Model):
    """A labelled interval of scores with explicit inclusive/exclusive edges (None = unbounded).

    Examples
    --------
    >>> high = Band(label="high", en="high fidelity", lower=4.1)   # Van Vugt (2015): >= 4.1
    >>> high.contains(4.1), high.contains(4.0)
    (True, False)
    >>> Band(label="moderate", lower=3.6, upper=4.0, upper_inclusive=True).contains(4.0)
    True
    """

    label: str
    nl: str = ""
    en: str = ""
    lower: float | None = None
    upper: float | None = None
    lower_inclusive: bool = True
    upper_inclusive: bool = False

    def contains(self, x: float | Rational) -> bool:
        """Whether ``x`` lies in the band, comparing exactly (see :func:`exact`)."""
        v = exact(x)
        if self.lower is not None:
            lo = exact(self.lower)
            if v < lo or (v == lo and not self.lower_inclusive):
                return False
        if self.upper is not None:
            hi = exact(self.upper)
            if v > hi or (v == hi and not self.upper_inclusive):
                return False
        return True

    def name(self, lang: str = "en") -> str:
        """The band's name in ``lang`` (``"en"``/``"nl"``); the other language's name, then the
        label, when the band gives none.

        Examples
        --------
        >>> Band(label="low", nl="laag", en="low").name("nl"), Band(label="low").name("nl")
        ('laag', 'low')
        """
        other = "en" if lang == "nl" else "nl"
        return getattr(self, lang) or getattr(self, other) or self.label


class BandSet(_Model):
    """An ordered set of bands. Bands of one set must not overlap.

    Two published conventions that overlap (e.g. "fidelity from 4.0" and "moderate 3.6-4.0") are
    two band sets, not one.

    Examples
    --------
    >>> bs = BandSet(id="vugt", bands=[
    ...     {"label": "low", "upper": 3.6},
    ...     {"label": "moderate", "lower": 3.6, "upper": 4.0, "upper_inclusive": True},
    ...     {"label": "high", "lower": 4.0, "lower_inclusive": False}])
    >>> bs.classify(4.0), bs.classify(4.05), bs.classify(3.59)
    ('moderate', 'high', 'low')
    >>> bs.classify(Fraction(36, 10)), bs.classify(Fraction(3599, 1000))
    ('moderate', 'low')
    """

    id: str
    description: str = ""
    source: str = ""
    scale: str | None = None
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_overlap(self) -> BandSet:
        probes: list[float] = []
        for b in self.bands:
            for edge in (b.lower, b.upper):
                if edge is not None:
                    probes += [edge - 1e-9, edge, edge + 1e-9]
        for x in probes:
            hits = [b.label for b in self.bands if b.contains(x)]
            if len(hits) > 1:
                raise ValueError(f"band set {self.id!r}: bands {hits} overlap at {x:g}")
        return self

    def classify(self, x: float | Rational) -> str | None:
        """The label of the band containing ``x``; None for NaN or a gap between bands."""
        if _is_nan(x):
            return None
        for b in self.bands:
            if b.contains(x):
                return b.label
        return None

    def name_of(self, label: str, lang: str = "en") -> str:
        """The name in ``lang`` of the band labelled ``label`` (``label`` itself when the set
        has no such band).

        Examples
        --------
        >>> BandSet(id="f", bands=[{"label": "below", "nl": "niet modelgetrouw", "upper": 4.0},
        ...                        {"label": "fidelity", "nl": "modelgetrouw", "lower": 4.0}]
        ...         ).name_of("below", "nl")
        'niet modelgetrouw'
        """
        return next((b.name(lang) for b in self.bands if b.label == label), label)


class ReferenceStat(_Model):
    """A published summary of an item or scale for one group (or ``"total"``), kept as metadata.

    ``note`` records what is odd about the printed value (a column that duplicates another,
    a mean outside the scale, a different value in the running text).

    Examples
    --------
    >>> ReferenceStat(group="A", mean=4.1, sd=0.8, source="table 22").group
    'A'
    """

    group: str = "total"
    n: int | None = None
    mean: float | None = None
    sd: float | None = None
    source: str = ""
    note: str = ""


class Item(_Model):
    """One survey item.

    ``aliases`` are other codes the source uses for the same question (data columns under an
    alias are found too). ``label_nl`` is the short label printed in result tables.
    ``no_threshold`` gives the reason when no fidelity threshold applies to the item (the source
    defines none for its scale); :meth:`Instrument.threshold_for` then returns None.
    ``excluded`` gives the reason an item is left out of every analysis.

    Examples
    --------
    >>> it = Item(code="ORG-1", aliases=["LD1"], text_nl="De thuisbegeleiding start binnen drie weken.",
    ...           category="ORG", label_nl="Snelle start")
    >>> it.codes
    ['ORG-1', 'LD1']
    """

    code: str
    aliases: list[str] = []
    text_nl: str
    text_en: str = ""
    label_nl: str = ""
    category: str
    principle: str | None = None
    scale: str | None = None
    reverse: bool = False
    threshold: Threshold | None = None
    no_threshold: str | None = None
    band_sets: list[BandSet] = []
    excluded: str | None = None
    note: str = ""
    reference: list[ReferenceStat] = []

    @model_validator(mode="after")
    def _threshold_xor(self) -> Item:
        if self.threshold is not None and self.no_threshold is not None:
            raise ValueError(f"item {self.code!r}: set either threshold or no_threshold, not both")
        return self

    @property
    def codes(self) -> list[str]:
        """The item's code followed by its aliases."""
        return [self.code, *self.aliases]


class Category(_Model):
    """A category (section) of the survey, e.g. facilitation or method principles.

    Examples
    --------
    >>> cat = Category.model_validate({"id": "facilitation", "nl": "Facilitering",
    ...                                "threshold": {"value": 3.0}})
    >>> cat.threshold.met(3.0), cat.threshold.met(2.9)
    (True, False)
    """

    id: str
    nl: str
    en: str = ""
    threshold: Threshold | None = None
    band_sets: list[BandSet] = []
    note: str = ""
    reference: list[ReferenceStat] = []


class Principle(_Model):
    """A theoretical principle of the method, grouping items within a category.

    Examples
    --------
    >>> Principle(id="LD", nl="Laagdrempelig", en="Low threshold", category="method").category
    'method'
    >>> from fidelity import get_instrument
    >>> [p.id for p in get_instrument("np").principles][:3]
    ['IP', 'HG', 'PL']
    """

    id: str
    nl: str
    en: str = ""
    category: str
    note: str = ""
    reference: list[ReferenceStat] = []


class BackgroundQuestion(_Model):
    """A background question (sex, age band, education...) usable as a grouping variable.

    ``kind`` is ``"categorical"`` (one of ``options``), ``"number"`` or ``"text"`` (free text).
    ``counts`` holds published frequencies per option (metadata, e.g. from a results table).

    Examples
    --------
    >>> q = BackgroundQuestion(id="education", nl="Opleidingsniveau", options=["MBO", "HBO", "WO"],
    ...                        counts={"MBO": 49, "HBO": 21, "WO": 1})
    >>> q.kind, sum(q.counts.values())
    ('categorical', 71)
    """

    id: str
    nl: str
    en: str = ""
    kind: Literal["categorical", "number", "text"] = "categorical"
    options: list[str] = []
    counts: dict[str, int] = {}
    source: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _counts_known(self) -> BackgroundQuestion:
        unknown = sorted(set(self.counts) - set(self.options))
        if unknown:
            raise ValueError(f"background question {self.id!r}: counts for unknown options {unknown}")
        if self.kind != "categorical" and (self.options or self.counts):
            raise ValueError(f"background question {self.id!r}: options are only for categorical questions")
        return self


class ItemExclusion(_Model):
    """Items left out for one group of respondents (e.g. a team that answered for another method variant).

    ``group_column``/``groups`` identify the respondents in a data set when the data carries that
    column; ``respondents`` describes them in words. ``items`` must be item codes of the instrument.

    Examples
    --------
    >>> ItemExclusion(id="npt", items=["INT1"], respondents="team also delivering NPT",
    ...               reason="answered for NPT").items
    ['INT1']
    """

    id: str
    items: list[str] = Field(min_length=1)
    respondents: str
    group_column: str | None = None
    groups: list[str] = []
    n_respondents: int | None = None
    reason: str
    source: str = ""
    note: str = ""


class ScoringRule(_Model):
    """How a respondent's scale score is computed from answered items.

    ``method``: ``"mean"`` (default), ``"sum"`` (prorated to all items when some are missing,
    so sums stay comparable), or ``"percent_met"`` (percentage of answered items meeting their
    threshold). A scale score is missing when fewer than ``min_answered_fraction`` of its items
    (and fewer than ``min_answered_items``, if set) are answered.

    Examples
    --------
    >>> rule = ScoringRule(method="percent_met", min_answered_fraction=0.8)
    >>> rule.method, rule.min_answered_items
    ('percent_met', None)
    >>> from fidelity import get_instrument
    >>> get_instrument("reset").scoring.method
    'mean'
    """

    method: Literal["mean", "sum", "percent_met"] = "mean"
    min_answered_fraction: float = Field(0.5, ge=0.0, le=1.0)
    min_answered_items: int | None = Field(None, ge=1)


class Instrument(_Model):
    """A fidelity instrument: scales, items, categories, principles, threshold, bands, scoring.

    Examples
    --------
    >>> inst = Instrument.model_validate({
    ...     "id": "demo", "name": "Demo", "default_scale": "s5",
    ...     "threshold": {"value": 4.0},
    ...     "scales": [{"id": "s5", "codes": [{"value": v, "nl": str(v), "en": str(v)}
    ...                                        for v in range(1, 6)]}],
    ...     "categories": [{"id": "M", "nl": "Methode"}],
    ...     "items": [{"code": "M1", "text_nl": "a", "category": "M"},
    ...               {"code": "M2", "text_nl": "b", "category": "M", "reverse": True}]})
    >>> [i.code for i in inst.items], inst.meets_threshold(4.0)
    (['M1', 'M2'], True)
    """

    id: str
    name: str
    name_nl: str = ""
    version: str = "1"
    description: str = ""
    source: str = ""
    respondent: str = "practitioner"
    scales: list[ResponseScale] = Field(min_length=1)
    default_scale: str
    threshold: Threshold
    band_sets: list[BandSet] = []
    default_band_set: str | None = None
    categories: list[Category] = Field(min_length=1)
    principles: list[Principle] = []
    items: list[Item] = Field(min_length=1)
    scoring: ScoringRule = ScoringRule()
    background: list[BackgroundQuestion] = []
    exclusions: list[ItemExclusion] = []
    notes: list[str] = []

    @field_validator("name", "name_nl")
    @classmethod
    def _name_text(cls, v: str, info) -> str:
        v = v.strip()
        if info.field_name == "name" and not v:
            raise ValueError("name must not be empty")
        return v

    @model_validator(mode="after")
    def _references(self) -> Instrument:
        def dupes(xs: list[str]) -> list[str]:
            return sorted({x for x in xs if xs.count(x) > 1})

        problems = []
        for what, ids in [
            ("scale", [s.id for s in self.scales]),
            ("category", [c.id for c in self.categories]),
            ("principle", [p.id for p in self.principles]),
            ("item code or alias", [c for i in self.items for c in i.codes]),
            ("band set", [b.id for b in self.band_sets]),
            ("background question", [b.id for b in self.background]),
            ("exclusion", [e.id for e in self.exclusions]),
        ]:
            if dupes(ids):
                problems.append(f"duplicate {what} ids: {dupes(ids)}")
        scales = {s.id for s in self.scales}
        cats = {c.id for c in self.categories}
        princ = {p.id: p for p in self.principles}
        if self.default_scale not in scales:
            problems.append(f"default_scale {self.default_scale!r} is not among scales {sorted(scales)}")
        if self.default_band_set is not None and self.default_band_set not in {
            b.id for b in self.band_sets
        }:
            problems.append(f"default_band_set {self.default_band_set!r} is not defined")
        for p in self.principles:
            if p.category not in cats:
                problems.append(f"principle {p.id!r}: unknown category {p.category!r}")
        for it in self.items:
            if it.category not in cats:
                problems.append(f"item {it.code!r}: unknown category {it.category!r}")
            if it.principle is not None and it.principle not in princ:
                problems.append(f"item {it.code!r}: unknown principle {it.principle!r}")
            if it.scale is not None and it.scale not in scales:
                problems.append(f"item {it.code!r}: unknown scale {it.scale!r}")
        codes = {c for i in self.items for c in i.codes}
        for ex in self.exclusions:
            unknown = [c for c in ex.items if c not in codes]
            if unknown:
                problems.append(f"exclusion {ex.id!r}: unknown items {unknown}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # -- lookup ------------------------------------------------------------------------------
    def display_name(self, lang: str = "en") -> str:
        """The instrument's name in ``lang``: ``name_nl`` for ``"nl"`` (``name`` when the
        instrument gives no Dutch name), ``name`` for ``"en"``.

        Examples
        --------
        >>> from fidelity import get_instrument
        >>> get_instrument("reset").display_name("nl")
        'Modelgetrouwheid-enquête ReSet'
        """
        if lang not in ("en", "nl"):
            raise ValueError(f"lang must be 'en' or 'nl', got {lang!r}")
        return (self.name_nl or self.name) if lang == "nl" else self.name

    def band_name(self, label: str, lang: str = "en", item: str | Item | None = None,
                  band_set: str | None = None) -> str:
        """The name in ``lang`` of a band label of the band set that applies to ``item``
        (the default band set without an item); the label itself when no band set names it.

        Examples
        --------
        >>> from fidelity import get_instrument
        >>> inst = get_instrument("reset")
        >>> inst.band_name("below", "nl"), inst.band_name("high", "nl", band_set="vugt2015")
        ('niet modelgetrouw', 'hoog')
        """
        try:
            bs = self.band_set_for(item, band_set)
        except KeyError:
            bs = None
        sets = [bs] if bs is not None else []
        sets += [b for b in self.band_sets if b is not bs]
        for b in sets:
            if any(x.label == label for x in b.bands):
                return b.name_of(label, lang)
        return label

    def item(self, code: str) -> Item:
        """The item with this code or alias; unknown codes raise KeyError listing close matches."""
        for it in self.items:
            if code in it.codes:
                return it
        import difflib

        close = difflib.get_close_matches(code, self.item_codes, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"instrument {self.id!r} has no item {code!r}{hint}")

    @property
    def item_codes(self) -> list[str]:
        """Item codes in definition order."""
        return [it.code for it in self.items]

    def scale(self, scale_id: str) -> ResponseScale:
        """The response scale with this id."""
        for s in self.scales:
            if s.id == scale_id:
                return s
        raise KeyError(f"instrument {self.id!r} has no scale {scale_id!r}")

    def scale_of(self, item: str | Item) -> ResponseScale:
        """The response scale an item is answered on."""
        it = self.item(item) if isinstance(item, str) else item
        return self.scale(it.scale or self.default_scale)

    def category(self, category_id: str) -> Category:
        """The category with this id."""
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(f"instrument {self.id!r} has no category {category_id!r}")

    def items_of(self, category: str | None = None, principle: str | None = None) -> list[Item]:
        """Items of a category and/or principle, in definition order."""
        return [
            it
            for it in self.items
            if (category is None or it.category == category)
            and (principle is None or it.principle == principle)
        ]

    # -- rules -------------------------------------------------------------------------------
    def threshold_for(self, item: str | Item | None = None) -> Threshold | None:
        """The threshold that applies to an item (item, then category, then instrument).

        None when the item declares ``no_threshold`` (no fidelity threshold defined for it).
        """
        if item is None:
            return self.threshold
        it = self.item(item) if isinstance(item, str) else item
        if it.no_threshold is not None:
            return None
        if it.threshold is not None:
            return it.threshold
        cat = self.category(it.category)
        return cat.threshold if cat.threshold is not None else self.threshold

    def meets_threshold(self, value: float, item: str | Item | None = None) -> bool | None:
        """Whether a score meets the fidelity threshold of the instrument (or of an item).

        None when no threshold applies to the item (see ``Item.no_threshold``).
        """
        th = self.threshold_for(item)
        return None if th is None else th.met(value)

    def band_set_for(self, item: str | Item | None = None, band_set: str | None = None) -> BandSet | None:
        """The band set that applies to an item, or None when none applies to its scale."""
        wanted = band_set or self.default_band_set
        if wanted is None:
            return None
        candidates: list[list[BandSet]] = []
        scale_id = self.default_scale
        if item is not None:
            it = self.item(item) if isinstance(item, str) else item
            candidates += [it.band_sets, self.category(it.category).band_sets]
            scale_id = it.scale or self.default_scale
        for sets in candidates:
            for bs in sets:
                if bs.id == wanted:
                    return bs
        for bs in self.band_sets:
            if bs.id == wanted:
                return bs if bs.scale in (None, scale_id) else None
        known = sorted({b.id for b in self.band_sets})
        raise KeyError(f"instrument {self.id!r} has no band set {wanted!r}; known: {known}")

    def band(self, value: float, item: str | Item | None = None, band_set: str | None = None) -> str | None:
        """The band label of a score under the instrument's (or an item's) band set."""
        bs = self.band_set_for(item, band_set)
        return None if bs is None else bs.classify(value)

    def reverse_codes(self, item: str | Item, values: np.ndarray) -> np.ndarray:
        """Recode answers of a reverse-keyed item (returns them unchanged otherwise)."""
        it = self.item(item) if isinstance(item, str) else item
        return self.scale_of(it).reverse(values) if it.reverse else values
