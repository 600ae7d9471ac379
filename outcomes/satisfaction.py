"""Satisfaction forms: statements on an agreement scale and a report grade, per wave.

A :class:`SatisfactionForm` is data like the outcome instruments: the statements (codes and
texts), the answer scale (by default 1 = helemaal mee eens ... 5 = helemaal mee oneens, so a
LOW answer is agreement), which answers count as (strongly) agreeing, and the grade column
(1 = very poor ... 10 = excellent). Built-in forms are found in ``outcomes/satisfaction_forms``,
user files with :func:`load_satisfaction_form`, plugins under the entry-point group
``zorgeval.satisfaction_forms``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from evalstats.errors import DataValidationError, Problem
from evalstats.format import Lang, fmt_num
from evalstats.registry import Registry
from evalstats.result import Result
from outcomes.instrument import AgeBand, ResponseRange

__all__ = ["SATISFACTION_FORMS", "SatisfactionForm", "SatisfactionResult", "Statement",
           "get_satisfaction_form", "load_satisfaction_form", "satisfaction_by_wave"]


class Statement(BaseModel):
    """One statement: its column code and its text in Dutch and English.

    Examples
    --------
    >>> Statement(code="s1", nl="Ik ben blij", en="I am happy").text("nl")
    'Ik ben blij'
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str
    nl: str
    en: str

    def text(self, lang: str = "en") -> str:
        """The statement in ``lang``."""
        return self.nl if lang == "nl" else self.en


class SatisfactionForm(BaseModel):
    """Statements on an agreement scale and a grade.

    Examples
    --------
    >>> f = get_satisfaction_form("buitenshuis_parent")
    >>> len(f.statements), f.agree, f.labels_en[0], f.grade_range
    (6, [1, 2], 'strongly agree', (1, 10))
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    respondent: str
    ages: AgeBand = AgeBand()
    response: ResponseRange = ResponseRange(low=1, high=5)
    agree: list[int] = Field(min_length=1)
    labels_nl: list[str] = []
    labels_en: list[str] = []
    statements: list[Statement] = Field(min_length=1)
    grade: str | None = "grade"
    grade_range: tuple[int, int] = (1, 10)

    @model_validator(mode="after")
    def _consistent(self) -> SatisfactionForm:
        outside = [a for a in self.agree if not self.response.low <= a <= self.response.high]
        if outside:
            raise ValueError(f"form {self.id!r}: agree answers {outside} outside the response range")
        n = self.response.high - self.response.low + 1
        for lang, labels in (("nl", self.labels_nl), ("en", self.labels_en)):
            if labels and len(labels) != n:
                raise ValueError(f"form {self.id!r}: {len(labels)} labels_{lang} for {n} answers")
        codes = [s.code for s in self.statements]
        if len(set(codes)) != len(codes):
            raise ValueError(f"form {self.id!r}: statement codes listed twice")
        return self


ENTRY_POINT_GROUP = "zorgeval.satisfaction_forms"

SATISFACTION_FORMS: Registry[SatisfactionForm] = Registry(
    SatisfactionForm, "satisfaction form",
    builtin_dir=Path(__file__).parent / "satisfaction_forms",
    entry_point_group=ENTRY_POINT_GROUP)


def get_satisfaction_form(form_id: str) -> SatisfactionForm:
    """A satisfaction form by id (built-ins, loaded files, plugins).

    Examples
    --------
    >>> get_satisfaction_form("buitenshuis_child").ages.min_age
    8.0
    """
    return SATISFACTION_FORMS.get(form_id)


def load_satisfaction_form(path: str | Path, register: bool = True) -> SatisfactionForm:
    """Read and validate a satisfaction form file (TOML or JSON) and register it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f.toml"
    >>> _ = p.write_text('id = "f"\\nname = "F"\\nrespondent = "parent"\\nagree = [1, 2]\\n'
    ...                  '[[statements]]\\ncode = "q1"\\nnl = "Goed"\\nen = "Good"\\n')
    >>> load_satisfaction_form(p, register=False).statements[0].code
    'q1'
    """
    return SATISFACTION_FORMS.load(path, register=register)


@dataclass
class SatisfactionResult(Result):
    """Per wave and statement the share that (strongly) agrees; per wave the mean grade.

    Attributes
    ----------
    statements : DataFrame
        ``wave``, ``statement``, ``n`` (answered), ``n_agree``, ``pct_agree``.
    grades : DataFrame
        ``wave``, ``n``, ``mean``, ``sd``.
    n_unanswered : int
        Rows without any answer to the form (not counted at their wave).

    Examples
    --------
    >>> d = pd.DataFrame({"wave": ["T1", "T1"], "s1": [1, 3], "s2": 2, "s3": 2, "s4": 5,
    ...                   "s5": 1, "grade": [9, None]})
    >>> r = satisfaction_by_wave(d, "buitenshuis_child")
    >>> r.spss_table().loc["Mean grade", "T1"], r.apa()
    ('9.0', 'The mean grade per wave ranged from 9.0 to 9.0.')
    """

    titles = {"en": "Satisfaction", "nl": "Tevredenheid"}

    form: SatisfactionForm
    statements: pd.DataFrame
    grades: pd.DataFrame
    n_unanswered: int

    @property
    def table(self) -> pd.DataFrame:
        """The statements table (``grades`` holds the grades)."""
        return self.statements

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """% (strongly) agreeing per statement (rows) and wave (columns), the mean grade last."""
        t = self.statements.pivot(index="statement", columns="wave", values="pct_agree")
        t = t.reindex(index=[s.code for s in self.form.statements],
                      columns=list(pd.unique(self.statements["wave"])))
        out = t.map(lambda v: fmt_num(v, 1, lang))
        out.index = [s.text(lang) for s in self.form.statements]
        if len(self.grades):
            g = self.grades.set_index("wave")["mean"].reindex(t.columns)
            out.loc["Gemiddeld rapportcijfer" if lang == "nl" else "Mean grade"] = [
                fmt_num(v, 1, lang) for v in g]
        return out

    def apa(self, lang: Lang = "en") -> str:
        """The range of the mean grade over the waves."""
        g = self.grades.dropna(subset=["mean"])
        if g.empty:
            return ""
        lo, hi = fmt_num(g["mean"].min(), 1, lang), fmt_num(g["mean"].max(), 1, lang)
        if lang == "nl":
            return f"Het gemiddelde rapportcijfer lag per meting tussen {lo} en {hi}."
        return f"The mean grade per wave ranged from {lo} to {hi}."


def _numbers(data: pd.DataFrame, col: str, low: int, high: int, what: str,
             problems: list[Problem]) -> pd.Series:
    raw = data[col]
    num = pd.to_numeric(raw, errors="coerce")
    bad = (raw.notna() & num.isna()) | (num.notna() & ((num % 1 != 0) | (num < low) | (num > high)))
    for row in data.index[bad.to_numpy()]:
        problems.append(Problem(row, col, raw.loc[row], f"a whole number from {low} to {high} ({what})"))
    return num.astype(float)


def satisfaction_by_wave(data: pd.DataFrame, form: SatisfactionForm | str, *,
                         wave: str = "wave", waves: list[str] | None = None) -> SatisfactionResult:
    """% (strongly) agreeing per statement and the mean grade, per wave.

    ``data`` holds the rows of the form's respondents: the ``wave`` column, one column per
    statement code and the grade column. ``waves`` orders the waves (default: as they appear).

    Examples
    --------
    >>> d = pd.DataFrame({"wave": ["T1", "T1", "T2"], "s1": [1, 4, 2], "s2": [2, 2, None],
    ...                   "s3": 1, "s4": 1, "s5": 1, "grade": [8, 7, None]})
    >>> r = satisfaction_by_wave(d, "buitenshuis_child")
    >>> r.table.query("statement == 's1'")[["wave", "n", "pct_agree"]].values.tolist()
    [['T1', 2, 50.0], ['T2', 1, 100.0]]
    >>> r.grades["mean"].tolist()
    [7.5, nan]
    """
    form = get_satisfaction_form(form) if isinstance(form, str) else form
    cols = [s.code for s in form.statements] + ([form.grade] if form.grade else [])
    missing = [c for c in [wave, *cols] if c not in data.columns]
    if missing:
        raise DataValidationError([Problem(None, c, "missing column", f"a column of {form.id}")
                                   for c in missing], context=f"the {form.id} answers")
    problems: list[Problem] = []
    ans = {s.code: _numbers(data, s.code, form.response.low, form.response.high,
                            "1 = strongly agree", problems) for s in form.statements}
    grade = (_numbers(data, form.grade, *form.grade_range, "the grade", problems)
             if form.grade else None)
    if problems:
        raise DataValidationError(problems, context=f"the {form.id} answers")
    answered = pd.DataFrame(ans).notna().any(axis=1)
    if grade is not None:
        answered |= grade.notna()
    w = data[wave]
    order = waves or [x for x in pd.unique(w[answered]) if pd.notna(x)]
    rows, grows = [], []
    for wv in order:
        at = (w == wv) & answered
        for s in form.statements:
            v = ans[s.code][at].dropna()
            agree = v.isin(form.agree)
            rows.append({"wave": wv, "statement": s.code, "n": len(v), "n_agree": int(agree.sum()),
                         "pct_agree": 100 * agree.mean() if len(v) else np.nan})
        if grade is not None:
            g = grade[at].dropna()
            grows.append({"wave": wv, "n": len(g), "mean": g.mean() if len(g) else np.nan,
                          "sd": g.std(ddof=1) if len(g) > 1 else np.nan})
    return SatisfactionResult(form, pd.DataFrame(rows), pd.DataFrame(grows),
                              int((~answered).sum()))
