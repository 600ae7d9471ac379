"""Report wording and cells for honest inference: the threshold verdict with its confidence
interval (``[report] verdict = "ci"``) and the note on estimated factor scores as predictors.

The builder calls these; the numbers come from :mod:`fidelity.threshold_ci` and the evaluation,
and a cell of a small or hidden group is never filled here (the builder passes ``shown=False``).
"""

from __future__ import annotations

import math

from evalstats.format import fmt_num
from fidelity.threshold_ci import verdict_label
from zorgeval.report.cells import Shown

__all__ = ["VerdictCells", "bootstrap_parts", "factor_score_note", "factor_score_terms"]

_TEXT = {
    "en": {
        "ci": "{pct}% CI", "verdict": "verdict",
        "verdict_cell": "{verdict} ({share}% of the CI above)",
        "verdict_note": ("Verdict: met when the whole {pct}% confidence interval of the mean "
                         "meets the threshold, not met when none of it does, undecided when the "
                         "interval straddles the threshold or cannot be computed (fewer than two "
                         "answers). Met (plain): the mean itself."),
        "factor_scores": ("The factor scores are estimated (regression scores of the "
                          "practitioner's survey answers) and carry measurement error: a model "
                          "that uses them as covariates underestimates their effect and its "
                          "standard errors and confidence intervals leave that uncertainty out "
                          "(Skrondal & Laake 2001; Croon 2002)."),
        "bootstrap_title": "{title}: factor-score slopes, bootstrap over practitioners",
    },
    "nl": {
        "ci": "{pct}%-BI", "verdict": "oordeel",
        "verdict_cell": "{verdict} ({share}% van het BI erboven)",
        "verdict_note": ("Oordeel: gehaald als het hele {pct}%-betrouwbaarheidsinterval van het "
                         "gemiddelde de norm haalt, niet gehaald als geen deel ervan dat doet, "
                         "onbeslist als het interval de norm omvat of niet te berekenen is "
                         "(minder dan twee antwoorden). Gehaald (eenvoudig): het gemiddelde zelf."),
        "factor_scores": ("De factorscores zijn geschat (regressiescores uit de antwoorden van de "
                          "begeleider op de vragenlijst) en bevatten meetfout: een model met deze "
                          "scores als covariaten onderschat hun effect, en de standaardfouten en "
                          "betrouwbaarheidsintervallen laten die onzekerheid buiten beschouwing "
                          "(Skrondal & Laake 2001; Croon 2002)."),
        "bootstrap_title": "{title}: hellingen van de factorscores, bootstrap over begeleiders",
    },
}


def _tr(lang: str, key: str, **kw) -> str:
    return _TEXT[lang][key].format(**kw)


class VerdictCells:
    """The CI and verdict cells of one fidelity table (one grouping, one level).

    Examples
    --------
    >>> import pandas as pd
    >>> from fidelity.scoring import _doc_instrument, score_survey
    >>> df = pd.DataFrame({"respondent": range(8), "team": list("XXXXYYYY"),
    ...                    "M1": [4, 5, 5, 4, 3, 3, 2, 4], "M2": [1, 2, 1, 2, 3, 2, 3, 3]})
    >>> vc = VerdictCells(score_survey(df, _doc_instrument(), groups=["team"]), "team", "item", "nl")
    >>> vc.headers("Totaal")
    ('Totaal: 95%-BI', 'Totaal: oordeel')
    >>> vc.cells("M1", "Y")
    ('[1,70; 4,30]', 'onbeslist (12% van het BI erboven)')
    >>> vc.cells("M1", "Y", shown=False)
    ('–', '–')
    """

    def __init__(self, scores, by: str, level: str, lang: str, conf: float = 0.95):
        self.lang = lang
        self.conf = conf
        self.pct = fmt_num(100 * conf, 0, lang)
        t = scores.threshold_ci(by, level, conf).table
        self._rows = {(r.variable, r.group): r for r in t.itertuples(index=False)}

    def headers(self, name: str) -> tuple[str, str]:
        """The two column headers for group ``name``."""
        return (f"{name}: {_tr(self.lang, 'ci', pct=self.pct)}",
                f"{name}: {_tr(self.lang, 'verdict')}")

    def cells(self, variable: str, group, shown: bool = True, dash: str = "–") -> tuple:
        """The CI cell (exact limits carried) and the verdict cell; ``""`` for a variable
        without a threshold, ``dash`` when the group's statistics are not shown."""
        if not shown:
            return dash, dash
        r = self._rows.get((variable, group))
        if r is None:
            return "", ""
        if math.isnan(r.ci_low):
            ci = dash
        else:
            sep = "; " if self.lang == "nl" else ", "
            ci = Shown(f"[{fmt_num(r.ci_low, 2, self.lang)}{sep}{fmt_num(r.ci_high, 2, self.lang)}]",
                       (float(r.ci_low), float(r.ci_high)), ("CI low", "CI high"))
        verdict = verdict_label(r.verdict, self.lang)
        if not math.isnan(r.share_above):
            verdict = _tr(self.lang, "verdict_cell", verdict=verdict,
                          share=fmt_num(100 * r.share_above, 0, self.lang))
        return ci, verdict

    def note(self) -> str:
        """The table note explaining the verdict."""
        return _tr(self.lang, "verdict_note", pct=self.pct)


def factor_score_note(lang: str) -> str:
    """The note under the overall models when they use factor scores as covariates.

    Examples
    --------
    >>> factor_score_note("en")[:40]
    'The factor scores are estimated (regress'
    """
    return _tr(lang, "factor_scores")


def bootstrap_parts(boot, category: str, title: str, lang: str) -> dict:
    """The key, title, frame and sentence of the report table of a
    :class:`fidelity.ScoreBootstrap`: slopes with the naive and the bootstrap intervals, and
    the sentence on resamples, failures and congruence.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import pandas as pd
    >>> boot = NS(spss_table=lambda lang: pd.DataFrame(), apa=lambda lang: "…")
    >>> bootstrap_parts(boot, "child-1", "Child 1", "nl")["title"]
    'Child 1: hellingen van de factorscores, bootstrap over begeleiders'
    """
    safe = "".join(ch if ch.isalnum() else "_" for ch in category)
    return {"key": f"overall_bootstrap_{safe}", "title": _tr(lang, "bootstrap_title", title=title),
            "frame": boot.spss_table(lang), "sentences": [boot.apa(lang)]}


def factor_score_terms(evaluation) -> list[str]:
    """The method-factor score columns that a fitted factorial model of the overall analysis
    uses as covariates.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import pandas as pd
    >>> entry = NS(step="factorial", result=object(), variable="result ~ profile + F1")
    >>> ev = NS(factors=NS(scores=pd.DataFrame(columns=["F1", "F2"])), overall=NS(entries=[entry]))
    >>> factor_score_terms(ev)
    ['F1']
    """
    if getattr(evaluation, "factors", None) is None or evaluation.overall is None:
        return []
    names = list(evaluation.factors.scores.columns)
    used = set()
    for e in evaluation.overall.entries:
        if e.step == "factorial" and e.result is not None:
            used |= set(e.variable.removeprefix("result ~ ").split(" + "))
    return [c for c in names if c in used]
