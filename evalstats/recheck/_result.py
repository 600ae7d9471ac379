"""One check as a tidy row, and the result object that holds the checks of a call or a text."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd

from evalstats.format import Lang, _check_lang
from evalstats.recheck._core import VERDICTS
from evalstats.result import Result

COLUMNS = ["line", "text", "statistic", "df", "value", "p", "check", "recomputed_low",
           "recomputed_high", "verdict", "explanation"]
COLOURS = {"consistent": "#d4edda", "inconsistent": "#ffe8a1", "decision error": "#f5b7b1",
           "not checked": "#e2e3e5"}


@dataclass
class Check:
    """One recomputation: what was printed, what was recomputed and the verdict.

    ``start`` and ``end`` are character offsets in the source text (for marking it in HTML).

    Examples
    --------
    >>> Check("t", "t(28) = 2.37", "p", "consistent", "fits").verdict
    'consistent'
    >>> Check("t", "t(28) = 2.37", "p", "fine", "")
    Traceback (most recent call last):
    ...
    ValueError: verdict must be one of ('consistent', 'inconsistent', 'decision error', 'not checked'), got 'fine'
    """

    statistic: str
    text: str
    check: str
    verdict: str
    explanation: str
    df: str = ""
    value: float = math.nan
    p: str = ""
    low: float = math.nan
    high: float = math.nan
    line: int | None = None
    start: int | None = None
    end: int | None = None

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


_SUMMARY = {
    "en": ("{n} {checks}: {consistent} consistent, {inconsistent} inconsistent, "
           "{decision} {errors}, {skipped} not checked."),
    "nl": ("{n} {checks}: {consistent} consistent, {inconsistent} inconsistent, "
           "{decision} {errors}, {skipped} niet gecontroleerd."),
}
_WORDS = {  # (one, more) of "check" and "decision error"
    "en": (("check", "checks"), ("decision error", "decision errors")),
    "nl": (("controle", "controles"), ("beslisfout", "beslisfouten")),
}


class RecheckResult(Result):
    """The checks of one call or one text, as a tidy table with a summary and marked HTML.

    Examples
    --------
    >>> from evalstats import recheck
    >>> res = recheck.t_test(t="2.37", df=28, p=".03")
    >>> res.table.loc[0, ["statistic", "verdict"]].tolist()
    ['t', 'consistent']
    >>> res.apa()
    '1 check: 1 consistent, 0 inconsistent, 0 decision errors, 0 not checked.'
    """

    def __init__(self, checks: list[Check], lang: Lang = "en", source: str | None = None):
        _check_lang(lang)
        self.checks = list(checks)
        self.lang = lang
        self.source = source

    @property
    def table(self) -> pd.DataFrame:
        """One row per check: line, printed text, statistic, df, value, p, the quantity
        recomputed (``check``) and its interval, verdict and explanation."""
        rows = [{"line": c.line, "text": c.text, "statistic": c.statistic, "df": c.df,
                 "value": c.value, "p": c.p, "check": c.check, "recomputed_low": c.low,
                 "recomputed_high": c.high, "verdict": c.verdict,
                 "explanation": c.explanation} for c in self.checks]
        out = pd.DataFrame(rows, columns=COLUMNS)
        out["line"] = out["line"].astype("Int64")
        return out

    @property
    def flagged(self) -> pd.DataFrame:
        """The rows whose verdict is "inconsistent" or "decision error"."""
        t = self.table
        return t[t["verdict"].isin(["inconsistent", "decision error"])].reset_index(drop=True)

    def counts(self) -> dict[str, int]:
        """Number of checks per verdict."""
        t = self.table
        return {v: int((t["verdict"] == v).sum()) for v in VERDICTS}

    titles = {"en": "Recheck", "nl": "Hercontrole"}

    def apa(self, lang: Lang | None = None) -> str:
        """One sentence with the number of checks per verdict (in the result's language unless
        ``lang`` is given)."""
        lang = lang or self.lang
        _check_lang(lang)
        c = self.counts()
        (check, checks), (error, errors) = _WORDS[lang]
        n, decision = len(self.checks), c["decision error"]
        return _SUMMARY[lang].format(n=n, checks=check if n == 1 else checks,
                                     consistent=c["consistent"], inconsistent=c["inconsistent"],
                                     decision=decision, errors=error if decision == 1 else errors,
                                     skipped=c["not checked"])

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Counts per verdict, as a small frequency table."""
        _check_lang(lang)
        head = ("Verdict", "N") if lang == "en" else ("Oordeel", "N")
        return pd.DataFrame({head[0]: list(VERDICTS),
                             head[1]: [self.counts()[v] for v in VERDICTS]})

    def to_html(self) -> str:
        """The source text with each check marked in its verdict's colour, the explanation as
        a tooltip; without a source text, the table as HTML."""
        if self.source is None:
            return self.table.to_html(index=False)
        marks: dict[tuple[int, int], list[Check]] = {}
        for c in self.checks:
            if c.start is not None and c.end is not None:
                marks.setdefault((c.start, c.end), []).append(c)
        out, pos = [], 0
        order = ["decision error", "inconsistent", "not checked", "consistent"]
        for (start, end), cs in sorted(marks.items()):
            if start < pos:
                continue
            worst = min(cs, key=lambda c: order.index(c.verdict)).verdict
            tip = " | ".join(c.explanation for c in cs)
            out.append(html.escape(self.source[pos:start]))
            out.append(f'<mark class="{worst.replace(" ", "-")}" style="background:'
                       f'{COLOURS[worst]}" title="{html.escape(tip)}">'
                       f"{html.escape(self.source[start:end])}</mark>")
            pos = end
        out.append(html.escape(self.source[pos:]))
        return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>recheck</title>"
                "</head><body>\n<p>" + html.escape(self.apa()) + "</p>\n<pre>"
                + "".join(out) + "</pre>\n</body></html>\n")
