"""NP target characteristics at the start and close of a trajectory, and their change.

Columns are ``<item>_start`` and ``<item>_close`` for the items of rule
``np_target_characteristics`` (police/justice contact, homeless, mental-health complaints,
young parent, sufficiently learnable, start qualification, school, work). Items recorded at close
only have no ``_start`` column. Values are yes/no/unknown in any accepted coding.
"""

from __future__ import annotations

import pandas as pd
from scipy import stats

from evalstats.errors import DataValidationError, Problem
from evalstats.format import Lang, fmt_num, fmt_p
from evalstats.result import Result
from evalstats.tristate import NO, UNKNOWN, YES
from profiles.classify import read_indicators
from profiles.definitions import ClassificationRule, TargetCharacteristicsRule, resolve_rule


class TargetChangeResult(Result):
    """Counts at start and close per characteristic, paired change, and an exact McNemar test.

    ``table`` columns per item: ``n_start`` / ``yes_start`` (known at start / yes at start),
    ``n_close`` / ``yes_close``, ``n_paired`` (known at both), ``stayed_yes``, ``stayed_no``,
    ``became_yes``, ``became_no``, ``excluded_unknown`` (rows dropped from the paired count
    because one of the two is unknown) and ``p_mcnemar`` (exact two-sided binomial test on the
    discordant pairs; NaN when there are none or the item has no start column).

    Examples
    --------
    >>> df = pd.DataFrame({"homeless_start": ["ja", "ja"], "homeless_close": ["nee", "ja"]})
    >>> int(np_target_change(df, rule=_doc_rule()).table.loc["homeless", "became_no"])
    1
    """

    titles = {"en": "Change in the target group", "nl": "Verandering in de doelgroep"}

    def __init__(self, rule: ClassificationRule, table: pd.DataFrame, n_rows: int):
        self.rule = rule
        self._table = table
        self.n_rows = n_rows

    @property
    def table(self) -> pd.DataFrame:
        """One row per characteristic (see the class description)."""
        return self._table.copy()

    def label(self, item: str, lang: Lang = "en") -> str:
        """The name of a characteristic (a row of :attr:`table`) in ``lang``.

        Examples
        --------
        >>> df = pd.DataFrame({"homeless_start": ["ja", "nee"], "homeless_close": ["nee", "nee"]})
        >>> np_target_change(df, rule=_doc_rule()).label("homeless", "nl")
        'Dakloos'
        """
        body: TargetCharacteristicsRule = self.rule.definition
        it = next(i for i in body.items if i.id == item)
        return it.label_en if lang == "en" else it.label_nl

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Yes at start and close as count (valid %), and the paired change."""
        body: TargetCharacteristicsRule = self.rule.definition
        label = {i.id: (i.label_en if lang == "en" else i.label_nl) for i in body.items}
        t = self._table

        def cell(yes, n):
            if n == 0:
                return ""
            return f"{int(yes)} ({fmt_num(yes / n * 100, 1, lang)}%)"

        cols = ("Start", "Close", "Became yes", "Became no", "McNemar p") if lang == "en" else (
            "Aanvang", "Afsluiting", "Werd ja", "Werd nee", "McNemar p")  # fmt: skip
        return pd.DataFrame(
            {
                cols[0]: [cell(r.yes_start, r.n_start) for r in t.itertuples()],
                cols[1]: [cell(r.yes_close, r.n_close) for r in t.itertuples()],
                cols[2]: [int(v) if r.n_paired else "" for v, r in zip(t["became_yes"], t.itertuples(), strict=True)],
                cols[3]: [int(v) if r.n_paired else "" for v, r in zip(t["became_no"], t.itertuples(), strict=True)],
                cols[4]: [fmt_num(p, 3, lang, leading_zero=False) if p == p else "" for p in t["p_mcnemar"]],
            },
            index=[label[i] for i in t.index],
        )

    def apa(self, lang: Lang = "en") -> str:
        """One clause per characteristic measured at both moments."""
        body: TargetCharacteristicsRule = self.rule.definition
        label = {i.id: (i.label_en if lang == "en" else i.label_nl) for i in body.items}
        parts = []
        nl = lang == "nl"
        for item, r in self._table.iterrows():
            if r["n_paired"] == 0:
                continue
            if r["p_mcnemar"] == r["p_mcnemar"]:
                p = fmt_p(r["p_mcnemar"], lang)
            else:
                p = "geen verandering" if nl else "no change"
            to_yes, to_no = ("→ ja", "→ nee") if nl else ("→ yes", "→ no")
            parts.append(
                f"{label[item].lower()}: {int(r['became_yes'])} {to_yes}, {int(r['became_no'])} {to_no} "
                f"(N = {int(r['n_paired'])}{'; ' if nl else ', '}{p})"
            )
        head = "Change from start to close" if lang == "en" else "Verandering van aanvang tot afsluiting"
        return head + ": " + "; ".join(parts) + "."


def np_target_change(
    data: pd.DataFrame,
    rule: str | ClassificationRule = "np_target_characteristics",
    start_suffix: str = "_start",
    close_suffix: str = "_close",
) -> TargetChangeResult:
    """Target characteristics at start and close, with paired change per youth.

    Every item of the rule needs its columns (``_start`` only for items recorded at start);
    missing columns and invalid codes are reported together.

    Examples
    --------
    >>> df = pd.DataFrame({"homeless_start": ["ja", "ja", "nee", "onbekend"],
    ...                    "homeless_close": ["nee", "nee", "nee", "ja"]})
    >>> r = np_target_change(df, rule=_doc_rule())
    >>> r.table.loc["homeless", ["yes_start", "yes_close", "became_no", "excluded_unknown"]].tolist()
    [2, 1, 2, 1]
    """
    rule = resolve_rule(rule, "target_characteristics")
    body: TargetCharacteristicsRule = rule.definition
    cols = []
    for item in body.items:
        if item.at_start:
            cols.append(item.id + start_suffix)
        if item.at_close:
            cols.append(item.id + close_suffix)
    problems = [Problem(None, c, None, "a yes/no/unknown column") for c in cols if c not in data.columns]
    if problems:
        raise DataValidationError(problems, context=f"the target characteristics of {rule.id}")
    frame, _ = read_indicators(data, cols, context=f"the target characteristics of {rule.id}")
    rows = {}
    for item in body.items:
        s = frame[item.id + start_suffix] if item.at_start else pd.Series(UNKNOWN, index=frame.index)
        c = frame[item.id + close_suffix] if item.at_close else pd.Series(UNKNOWN, index=frame.index)
        both = (s != UNKNOWN) & (c != UNKNOWN)
        became_yes = int(((s == NO) & (c == YES)).sum())
        became_no = int(((s == YES) & (c == NO)).sum())
        disc = became_yes + became_no
        p = stats.binomtest(became_yes, disc, 0.5).pvalue if disc else float("nan")
        rows[item.id] = {
            "n_start": int((s != UNKNOWN).sum()),
            "yes_start": int((s == YES).sum()),
            "n_close": int((c != UNKNOWN).sum()),
            "yes_close": int((c == YES).sum()),
            "n_paired": int(both.sum()) if item.at_start and item.at_close else 0,
            "stayed_yes": int(((s == YES) & (c == YES)).sum()),
            "stayed_no": int(((s == NO) & (c == NO)).sum()),
            "became_yes": became_yes,
            "became_no": became_no,
            "excluded_unknown": int((~both).sum()) if item.at_start and item.at_close else 0,
            "p_mcnemar": p if item.at_start and item.at_close else float("nan"),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "item"
    return TargetChangeResult(rule, table, len(frame))


def _doc_rule() -> ClassificationRule:
    return ClassificationRule.model_validate(
        {
            "id": "doc_np",
            "title_en": "Doc",
            "title_nl": "Doc",
            "source": "doctest",
            "definition": {
                "kind": "target_characteristics",
                "items": [{"id": "homeless", "label_en": "Homeless", "label_nl": "Dakloos",
                           "at_start": True, "at_close": True}],
            },
        }
    )
