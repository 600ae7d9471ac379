"""Attach each practitioner's factor scores (and chosen survey answers) to that practitioner's cases.

In the evaluation design the fidelity survey is answered by practitioners, the outcomes are
measured per case; factor scores of the practitioner become covariates of each of his or her
cases. :func:`link_to_cases` does that join by id and never loses a case: cases whose
practitioner answered no survey keep their row (with missing scores) and are counted and listed
in the result.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalstats.errors import DataValidationError, Problem
from evalstats.format import Lang, fmt_num
from evalstats.result import Result

__all__ = ["LinkResult", "link_to_cases"]


class LinkResult(Result):
    """Cases with their practitioner's scores attached, and an account of every case.

    Attributes
    ----------
    data : pandas.DataFrame
        A copy of the cases (same rows, same order, same index) with the attached columns;
        cases without a linked survey have missing values there.
    attached : list of str
        Names of the attached columns.
    linked : pandas.Series of bool
        Per case: whether a survey of its practitioner was found.
    n_cases, n_linked, n_unlinked, n_no_practitioner : int
        Counts of cases; ``n_no_practitioner`` (missing practitioner id) is part of
        ``n_unlinked``.
    unlinked_practitioners : list
        Practitioner ids that occur in the cases but have no survey.
    unused_practitioners : list
        Practitioner ids with a survey but no case.

    Examples
    --------
    >>> import pandas as pd
    >>> from fidelity import link_to_cases
    >>> cases = pd.DataFrame({"case": [1, 2, 3], "practitioner": ["a", "b", "x"]})
    >>> scores = pd.DataFrame({"F1": [0.5, -0.5]}, index=["a", "b"])
    >>> res = link_to_cases(cases, scores)
    >>> res.attached, res.n_linked, res.unlinked_practitioners
    (['F1'], 2, ['x'])
    """

    titles = {"en": "Factor scores linked to cases", "nl": "Factorscores gekoppeld aan casussen"}

    def __init__(self, data, attached, linked, case_practitioner, unlinked_practitioners,
                 unused_practitioners, n_no_practitioner):
        self.data = data
        self.attached = attached
        self.linked = linked
        self.case_practitioner = case_practitioner
        self.n_cases = len(data)
        self.n_linked = int(linked.sum())
        self.n_unlinked = self.n_cases - self.n_linked
        self.n_no_practitioner = n_no_practitioner
        self.unlinked_practitioners = unlinked_practitioners
        self.unused_practitioners = unused_practitioners

    @property
    def unlinked_cases(self) -> pd.DataFrame:
        """The cases (rows of the input) that got no scores."""
        return self.data.loc[~self.linked.to_numpy()]

    @property
    def table(self) -> pd.DataFrame:
        """Per practitioner id occurring in the cases: number of cases and whether linked.

        Cases without a practitioner id are one row with id ``<NA>``.
        """
        ids = self.data[self.case_practitioner]
        frame = pd.DataFrame({"practitioner": ids.to_numpy(), "linked": self.linked.to_numpy()})
        out = (
            frame.groupby("practitioner", dropna=False, sort=True)
            .agg(n_cases=("linked", "size"), linked=("linked", "all"))
            .reset_index()
        )
        return out

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Counts of linked and unlinked cases with percentages (as an SPSS frequency table)."""
        lab = (
            ("Linked", "No survey of practitioner", "No practitioner id", "Total", "N", "Percent")
            if lang == "en"
            else ("Gekoppeld", "Geen enquête van begeleider", "Geen begeleider-id", "Totaal",
                  "N", "Procent")
        )
        tot = self.n_cases or 1
        counts = [
            self.n_linked,
            self.n_unlinked - self.n_no_practitioner,
            self.n_no_practitioner,
            self.n_cases,
        ]
        return pd.DataFrame(
            {lab[4]: [str(c) for c in counts],
             lab[5]: [fmt_num(100 * c / tot, 1, lang) for c in counts]},
            index=list(lab[:4]),
        )

    def apa(self, lang: Lang = "en") -> str:
        """A sentence on how many cases were linked.

        Examples
        --------
        >>> cases = pd.DataFrame({"case": [1, 2, 3], "practitioner": ["a", "b", "c"]})
        >>> scores = pd.DataFrame({"F1": [0.5, -0.5]}, index=["a", "b"])
        >>> print(link_to_cases(cases, scores).apa())
        Of 3 cases, 2 (66.7%) were linked to their practitioner's survey; 1 case of 1 practitioner without a survey kept missing scores.
        """
        n, k = self.n_cases, self.n_linked
        pct = fmt_num(100 * k / n if n else 0.0, 1, lang)
        miss = self.n_unlinked
        np_ = len(self.unlinked_practitioners)
        if lang == "nl":
            s = f"Van {n} casussen zijn er {k} ({pct}%) gekoppeld aan de enquête van hun begeleider"
            if miss:
                s += (f"; {miss} {'casus' if miss == 1 else 'casussen'} van {np_} "
                      f"{'begeleider' if np_ == 1 else 'begeleiders'} zonder enquête"
                      + (f" of zonder begeleider-id ({self.n_no_practitioner})"
                         if self.n_no_practitioner else "")
                      + " houden ontbrekende scores")
            return s + "."
        s = f"Of {n} cases, {k} ({pct}%) were linked to their practitioner's survey"
        if miss:
            s += (f"; {miss} {'case' if miss == 1 else 'cases'} of {np_} "
                  f"practitioner{'' if np_ == 1 else 's'} without a survey"
                  + (f" or without a practitioner id ({self.n_no_practitioner})"
                     if self.n_no_practitioner else "")
                  + " kept missing scores")
        return s + "."


def _keyed(frame: pd.DataFrame, id_column: str | None, what: str) -> pd.DataFrame:
    if id_column is None:
        return frame
    if id_column not in frame.columns:
        raise KeyError(f"{what} has no column {id_column!r}; columns: {list(frame.columns)}")
    return frame.set_index(id_column)


def _check_unique(frame: pd.DataFrame, what: str) -> list[Problem]:
    idx = frame.index
    problems = []
    if idx.hasnans:
        problems.append(Problem(None, what, "a missing practitioner id", "an id on every row"))
    dup = idx[idx.duplicated(keep=False) & ~idx.isna()]
    for pid in pd.unique(dup):
        rows = int((idx == pid).sum())
        problems.append(Problem(pid, what, f"{rows} rows", "one row per practitioner id"))
    return problems


def link_to_cases(
    cases: pd.DataFrame,
    practitioner_scores,
    case_practitioner: str = "practitioner",
    score_id: str | None = None,
    scores: Sequence[str] | None = None,
    answers: pd.DataFrame | None = None,
    answer_id: str | None = None,
    items: Sequence[str] = (),
    prefix: str = "",
) -> LinkResult:
    """Attach a practitioner's factor scores and selected item answers to each of his/her cases.

    Parameters
    ----------
    cases : pandas.DataFrame
        One row per case, with the practitioner id in column ``case_practitioner``.
    practitioner_scores : pandas.DataFrame or result with ``.scores``
        Factor scores, one row per practitioner, keyed by the index (the respondent index kept
        by :func:`fidelity.exploratory_factors` and :func:`fidelity.factors_per_principle`) or
        by column ``score_id``.
    case_practitioner : str, default "practitioner"
        Column of ``cases`` holding the practitioner id.
    score_id : str, optional
        Column of ``practitioner_scores`` holding the id (default: its index).
    scores : list of str, optional
        Which score columns to attach (default all).
    answers : pandas.DataFrame, optional
        Survey answers, one row per practitioner (keyed by index or ``answer_id``), from which
        the columns ``items`` are attached (e.g. loose items).
    items : list of str
        Answer columns to attach.
    prefix : str
        Put before every attached column name (e.g. ``"pr_"``).

    Returns
    -------
    LinkResult
        ``.data`` has every case, in input order; unlinked cases are counted
        (``n_unlinked``) and listed (``unlinked_cases``, ``unlinked_practitioners``).

    Raises
    ------
    DataValidationError
        A practitioner id occurs on more than one row of the scores or answers (every
        duplicate listed), or is missing there.
    KeyError
        An id column or a requested score/item column does not exist.
    ValueError
        An attached column name already exists in ``cases``.

    Examples
    --------
    >>> cases = pd.DataFrame({"case": [1, 2, 3, 4], "practitioner": ["a", "a", "b", "x"]})
    >>> fs = pd.DataFrame({"F1": [0.3, -0.3]}, index=pd.Index(["a", "b"], name="id"))
    >>> res = link_to_cases(cases, fs)
    >>> res.data["F1"].tolist(), res.n_unlinked, res.unlinked_practitioners
    ([0.3, 0.3, -0.3, nan], 1, ['x'])
    """
    if not isinstance(cases, pd.DataFrame):
        raise TypeError(f"cases must be a DataFrame, got {type(cases).__name__}")
    if case_practitioner not in cases.columns:
        raise KeyError(f"cases have no column {case_practitioner!r}; columns: {list(cases.columns)}")
    if hasattr(practitioner_scores, "scores") and not isinstance(practitioner_scores, pd.DataFrame):
        practitioner_scores = practitioner_scores.scores
    if not isinstance(practitioner_scores, pd.DataFrame):
        raise TypeError("practitioner_scores must be a DataFrame or a result with .scores")
    sc = _keyed(practitioner_scores, score_id, "practitioner_scores")
    cols = list(sc.columns) if scores is None else list(scores)
    missing_cols = [c for c in cols if c not in sc.columns]
    if missing_cols:
        raise KeyError(f"practitioner_scores has no columns {missing_cols}")
    parts = [("practitioner_scores", sc[cols])]
    if items:
        if answers is None:
            raise ValueError("items were given but no answers frame to take them from")
        an = _keyed(answers, answer_id, "answers")
        missing_items = [c for c in items if c not in an.columns]
        if missing_items:
            raise KeyError(f"answers have no columns {missing_items}")
        parts.append(("answers", an[list(items)]))
    problems = []
    for what, frame in parts:
        problems += _check_unique(frame, what)
    if problems:
        raise DataValidationError(problems, context="the practitioner data to link")
    names = [prefix + str(c) for _, f in parts for c in f.columns]
    clash = sorted({n for n in names if n in cases.columns} | {n for n in names if names.count(n) > 1})
    if clash:
        raise ValueError(f"attached columns {clash} already exist in cases or twice; use prefix=")

    ids = cases[case_practitioner]
    no_id = ids.isna().to_numpy()
    out = cases.copy()
    linked = np.zeros(len(cases), dtype=bool)
    first = True
    for _, frame in parts:
        pos = frame.index.get_indexer(ids)
        hit = pos >= 0
        if first:
            linked = hit.copy()
            first = False
        else:
            linked &= hit
        for c in frame.columns:
            if len(frame):
                col = pd.Series(frame[c].iloc[np.where(hit, pos, 0)].to_numpy()).where(hit)
            else:
                col = pd.Series(np.nan, index=range(len(cases)))
            out[prefix + str(c)] = col.to_numpy()
    seen = pd.unique(ids[~no_id])
    unlinked_pr = [p for p in seen if p not in set(ids[~no_id][linked[~no_id]])]
    unused = [p for p in parts[0][1].index if p not in set(seen)]
    num = pd.api.types.is_numeric_dtype
    if (len(cases) and not linked.any() and len(parts[0][1])
            and num(ids.dtype) != num(parts[0][1].index.dtype)):
        warnings.warn(
            f"no case was linked: ids in cases[{case_practitioner!r}] ({ids.dtype}) and in the "
            f"scores ({parts[0][1].index.dtype}) have nothing in common (different types?)",
            UserWarning,
            stacklevel=2,
        )
    return LinkResult(
        out,
        names,
        pd.Series(linked, index=cases.index, name="linked"),
        case_practitioner,
        list(unlinked_pr),
        list(unused),
        int(no_id.sum()),
    )
