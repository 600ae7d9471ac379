"""Cross-case synthesis: which cases show which pattern (escalation avoided, more short-term
hours, ...). A table of patterns with the cases that show each, never a ranking of pilots:
the table has no pilot column, no scores and keeps the order of the pattern vocabulary.

The vocabulary is data: a TOML file of ``[[pattern]]`` tables with ``id``, ``en`` and ``nl``
(the bundled one is ``costs/data/patterns.toml``); a case naming a pattern outside it is an
error naming the case and the pattern.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from costs.money import CostInputError
from costs.records import CaseRecord
from evalstats.result import Result

__all__ = ["PatternSynthesis", "load_patterns", "synthesise"]


def load_patterns(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """The pattern vocabulary, ``id -> {"en": label, "nl": label}``, in file order.

    Examples
    --------
    >>> load_patterns()["escalation_avoided"]["nl"]
    'escalatie voorkomen'
    """
    if path is None:
        text = (resources.files("costs") / "data" / "patterns.toml").read_text(encoding="utf-8")
        where = "costs/data/patterns.toml"
    else:
        text, where = Path(path).read_text(encoding="utf-8"), str(path)
    try:
        raw = tomllib.loads(text).get("pattern", [])
    except tomllib.TOMLDecodeError as exc:
        raise CostInputError([f"not valid TOML ({exc})"], context=where) from None
    problems = [f"pattern #{i}: needs id, en and nl" for i, p in enumerate(raw, start=1)
                if not all(str(p.get(k, "")).strip() for k in ("id", "en", "nl"))]
    ids = [p.get("id") for p in raw]
    problems += [f"pattern {i!r} appears twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems or not raw:
        raise CostInputError(problems or ["no [[pattern]] tables"], context=where)
    return {p["id"]: {"en": p["en"], "nl": p["nl"]} for p in raw}


@dataclass
class PatternSynthesis(Result):
    """Patterns across cases with the cases that show each.

    Examples
    --------
    >>> from importlib import resources
    >>> from costs import load_cases
    >>> s = synthesise(load_cases(resources.files("costs") / "data" / "synthetic_cases.toml"))
    >>> s.table.iloc[0][["pattern", "cases"]].tolist()
    ['escalation_avoided', ('case 2', 'case 3', 'case 6', 'case 7', 'case 8')]
    """

    titles = {"en": "Patterns across cases", "nl": "Patronen over casussen"}

    rows: list[tuple[str, dict[str, str], tuple[str, ...]]]
    n_cases: int

    @property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame([{"pattern": p, "label_en": lab["en"], "label_nl": lab["nl"],
                              "cases": cases, "n_cases": len(cases)} for p, lab, cases in self.rows])

    def spss_table(self, lang: str = "en") -> pd.DataFrame:
        """Pattern and the cases that show it, in the vocabulary's order."""
        head = {"en": ("Pattern", "Cases that show it"), "nl": ("Patroon", "Casussen waarin het voorkomt")}[lang]
        return pd.DataFrame([{head[0]: lab[lang], head[1]: ", ".join(cases)}
                             for _, lab, cases in self.rows])

    def apa(self, lang: str = "en") -> str:
        """What the table is (and is not)."""
        k = len(self.rows)
        if lang == "nl":
            return (f"{k} patronen over {self.n_cases} casussen, elk met de casussen waarin het "
                    "voorkomt; geen rangorde van pilots.")
        return (f"{k} patterns across {self.n_cases} cases, each with the cases that show it; "
                "not a ranking of pilots.")


def synthesise(cases: list[CaseRecord], vocabulary: dict | None = None,
               keep_empty: bool = False) -> PatternSynthesis:
    """The patterns of ``vocabulary`` (default: the bundled one) with the cases showing each.

    Patterns no case shows are left out unless ``keep_empty``.

    Examples
    --------
    >>> c = CaseRecord(case="X", pilot="P", consent="professionals_only", adults=1, children=1,
    ...     start="2021-01-01", attendance=["case_holder"], patterns=["miracle"],
    ...     pilot_part={"not_costable": "unknown"},
    ...     scenarios=[{"name": "A", "likelihood": "most likely", "not_costable": "unknown"}])
    >>> synthesise([c])
    Traceback (most recent call last):
    ...
    costs.money.CostInputError: case 'X': pattern 'miracle' is not in the vocabulary (escalation_avoided, ...)
    """
    vocab = load_patterns() if vocabulary is None else vocabulary
    problems = [f"case {c.case!r}: pattern {p!r} is not in the vocabulary ({', '.join(vocab)})"
                for c in cases for p in c.patterns if p not in vocab]
    if problems:
        raise CostInputError(problems)
    rows = []
    for pid, labels in vocab.items():
        showing = tuple(c.case for c in cases if pid in c.patterns)
        if showing or keep_empty:
            rows.append((pid, labels, showing))
    return PatternSynthesis(rows, len(cases))
