"""Validating practitioner-assigned profiles: one logistic regression per profile vs the rest.

The dissertation (tables 15-18, 003: 3966-4110) reports per profile the registration
characteristics that distinguish it, as "Exp(B)" and Wald, with the model χ²(df). Its tables
print some negative "Exp(B)" values, which no odds ratio can be. Here every row carries B and
Exp(B) in separate columns, both computed from the same fit, so they cannot be mixed up; see
``docs/guide-profiles.md`` for what the printed negative values are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

import evalstats
from evalstats.errors import DataValidationError, Problem, SeparationError
from evalstats.format import Lang, fmt_num, fmt_p, p_spss, stat_sep
from evalstats.result import Result
from evalstats.tristate import parse_tri
from profiles.profile_sets import ProfileSet, get_profile_set

DEFAULT_UNASSIGNABLE = ("unassignable", "niet toe te kennen", "geen profiel")


def _predictor_column(s: pd.Series, problems: list[Problem]) -> pd.Series:
    """Numbers stay numbers (0/1 codes included; NaN = unknown); text and booleans are read as
    yes/no/unknown and entered as 1/0/NaN."""
    if not pd.api.types.is_bool_dtype(s):
        numeric = pd.to_numeric(s, errors="coerce")
        if (numeric.notna() | s.isna()).all():
            return numeric.astype(float)
    out = []
    for idx, v in s.items():
        p = parse_tri(v)
        if p is None:
            problems.append(Problem(idx, s.name, v, "yes/no/unknown (ja/nee/onbekend, 1/0) or a number"))
        out.append(1.0 if p == "yes" else 0.0 if p == "no" else np.nan)
    return pd.Series(out, index=s.index, name=s.name)


class ProfileValidationResult(Result):
    """Logistic regressions of each profile against the rest.

    Attributes
    ----------
    models : dict
        Profile code → :class:`evalstats.LogisticResult`.
    profile_set : ProfileSet
    counts : pandas.DataFrame
        Cases per profile code, plus ``unassignable`` and ``missing`` (excluded from every
        model) and ``total``.
    n_unassignable, n_missing_profile : int
        Cases excluded because no profile could be assigned, or the profile is missing.
    n_profile : dict
        Profile code → cases with that profile among the cases each model used.

    Examples
    --------
    >>> df = pd.DataFrame({"profile": list("AABBAABBAB") * 3,
    ...                    "x": ["ja", "nee", "ja", "nee", "nee", "ja", "ja", "nee", "ja", "ja"] * 3})
    >>> res = validate(df, predictors=["x"])
    >>> res.model_table[["profile", "n_used", "n_profile", "df"]].values.tolist()
    [['A', 30, 15, 1], ['B', 30, 15, 1]]
    """

    titles = {"en": "Validation of the profiles", "nl": "Validatie van de profielen"}

    def __init__(self, models: dict, profile_set: ProfileSet, counts: pd.DataFrame,
                 n_unassignable: int, n_missing_profile: int, n_profile: dict):  # fmt: skip
        self.models = models
        self.n_profile = n_profile
        self.profile_set = profile_set
        self.counts = counts
        self.n_unassignable = n_unassignable
        self.n_missing_profile = n_missing_profile

    @property
    def table(self) -> pd.DataFrame:
        """Every coefficient of every model: profile, term, B, SE, Wald, df, p, exp_B, CI."""
        parts = []
        for code, res in self.models.items():
            t = res.table.copy()
            t.insert(0, "profile", code)
            parts.append(t)
        return pd.concat(parts, ignore_index=True)

    @property
    def model_table(self) -> pd.DataFrame:
        """Per profile: N used and dropped, N with the profile, model χ², df, p, −2LL, R²."""
        rows = []
        for code, res in self.models.items():
            rows.append(
                {
                    "profile": code,
                    "label": self.profile_set.label(code) if code in self.profile_set.codes else code,
                    "n_used": res.n_used,
                    "n_dropped_missing": res.n_dropped,
                    "n_profile": self.n_profile[code],
                    "chi2": res.model_chi2,
                    "df": res.model_df,
                    "p": res.model_p,
                    "m2ll": res.m2ll,
                    "cox_snell_r2": res.cox_snell_r2,
                    "nagelkerke_r2": res.nagelkerke_r2,
                }
            )
        return pd.DataFrame(rows)

    def spss_table(self, lang: Lang = "en") -> pd.DataFrame:
        """Tables 15-18 done right: per profile B, S.E., Wald, df, Sig., Exp(B), CI, and χ²(df);
        N, −2LL and Nagelkerke R² per profile in ``.attrs["footnote"]``."""
        frames = []
        chi = "Model χ²" if lang == "en" else "Model-χ²"
        names = ["profile", "term"] if lang == "en" else ["Profiel", "Term"]
        for code, res in self.models.items():
            t = res.spss_table(lang)
            t.index = pd.MultiIndex.from_product([[code], t.index], names=names)
            df = int(res.model_df)
            extra = pd.DataFrame(
                [[""] * len(t.columns)], columns=t.columns,
                index=pd.MultiIndex.from_tuples([(code, f"{chi} ({df})")], names=names),
            )  # fmt: skip
            extra.iloc[0, t.columns.get_loc("Wald")] = fmt_num(res.model_chi2, 3, lang)
            extra.iloc[0, t.columns.get_loc("df")] = str(df)
            sig = p_spss(res.model_p)
            extra.iloc[0, t.columns.get_loc("Sig.")] = sig.replace(".", ",") if lang == "nl" else sig
            frames.append(pd.concat([t, extra]))
        out = pd.concat(frames)
        r2 = "Nagelkerke R²"
        out.attrs["footnote"] = "; ".join(
            f"{code}: N = {res.n_used}, −2LL = {fmt_num(res.m2ll, 3, lang)}, {r2} = "
            f"{fmt_num(res.nagelkerke_r2, 3, lang, leading_zero=False)}"
            for code, res in self.models.items()
        )
        return out

    def apa(self, lang: Lang = "en") -> str:
        """One sentence per profile plus the number of cases without a profile."""
        sep = stat_sep(lang)
        parts = []
        for code, res in self.models.items():
            lab = self.profile_set.label(code, lang) if code in self.profile_set.codes else code
            lab = f" ({lab})" if lab != code else ""
            parts.append(
                f"{code}{lab}: χ²({int(res.model_df)}) = {fmt_num(res.model_chi2, 2, lang)}{sep}"
                f"{fmt_p(res.model_p, lang)}{sep}Nagelkerke R² = "
                f"{fmt_num(res.nagelkerke_r2, 2, lang, leading_zero=False)}{sep}N = {res.n_used}"
            )
        if lang == "nl":
            tail = (f"{self.n_unassignable} gevallen zonder toe te kennen profiel en "
                    f"{self.n_missing_profile} zonder profielcode zijn uitgesloten.")  # fmt: skip
            return "Profiel tegen de overige profielen: " + "; ".join(parts) + ". " + tail
        tail = (f"{self.n_unassignable} cases that could not be given a profile and "
                f"{self.n_missing_profile} without a profile code were excluded.")  # fmt: skip
        return "Each profile against the rest: " + "; ".join(parts) + ". " + tail


def validate(
    data: pd.DataFrame,
    profile: str = "profile",
    predictors: Sequence[str] | Mapping[str, Sequence[str]] = (),
    profiles: str | ProfileSet | Sequence[str] | None = None,
    unassignable: Sequence[str] | None = None,
    firth: bool = False,
    **logistic_options,
) -> ProfileValidationResult:
    """Fit one logistic regression per profile (this profile = 1, every other profile = 0).

    Parameters
    ----------
    data:
        One row per case (family or youth). Never modified.
    profile:
        Column with the assigned profile code.
    predictors:
        Characteristics entered in every model, or a dict ``{code: [...]}`` with the
        characteristics per profile (as tables 15-18 use different ones). yes/no/unknown
        columns are entered as 1/0 (unknown = missing, deleted listwise and counted per model);
        other numeric columns as they are.
    profiles:
        A profile-set id or :class:`~profiles.profile_sets.ProfileSet` (e.g. ``"reset"``: every
        code must be one of the set's or unassignable); a list of the codes to fit, each against
        every other code found in the data; or ``None`` for every code found in the data.
    unassignable:
        Codes of cases that could not be given a profile; default: the set's list, else
        ``"unassignable"``, ``"niet toe te kennen"``, ``"geen profiel"``. They and cases with a
        missing profile are excluded from every model and counted.
    firth:
        Firth's penalised likelihood (passed on), for separated data.
    **logistic_options:
        Further options of :func:`evalstats.logistic_regression` (``convergence="spss"``...).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> n = 120
    >>> df = pd.DataFrame({"profile": rng.choice(["A", "B", "C"], n),
    ...                    "broken": rng.choice(["ja", "nee", "onbekend"], n, p=[.45, .45, .1])})
    >>> df.loc[:4, "profile"] = "unassignable"
    >>> res = validate(df, predictors=["broken"])
    >>> res.n_unassignable, sorted(res.models)
    (5, ['A', 'B', 'C'])
    >>> bool((res.table["exp_B"] > 0).all())
    True
    """
    problems: list[Problem] = []
    if profile not in data.columns:
        problems.append(Problem(None, profile, None, "a column with the profile codes"))
    pred_map: dict[str, list[str]] | None = None
    if isinstance(predictors, Mapping):
        pred_map = {str(k): list(v) for k, v in predictors.items()}
        all_preds = list(dict.fromkeys(p for v in pred_map.values() for p in v))
    else:
        all_preds = list(predictors)
    if not all_preds:
        raise ValueError("give at least one predictor")
    for p in all_preds:
        if p not in data.columns:
            problems.append(Problem(None, p, None, "a predictor column"))
    if problems:
        raise DataValidationError(problems, context="profile validation")

    fit_only: list[str] | None = None
    if isinstance(profiles, str):
        pset = get_profile_set(profiles)
    elif isinstance(profiles, ProfileSet):
        pset = profiles
    else:
        un = set(unassignable if unassignable is not None else DEFAULT_UNASSIGNABLE)
        found = sorted({str(v) for v in data[profile].dropna()} - un)
        if profiles is not None:
            fit_only = [str(c) for c in profiles]
            absent = [c for c in fit_only if c not in found]
            if absent:
                raise DataValidationError(
                    [Problem(None, profile, c, f"a profile code present in the data {found}") for c in absent],
                    context="profile validation",
                )
        pset = ProfileSet(
            id="ad_hoc", title_en="Profiles", title_nl="Profielen", source="data",
            profiles=[{"code": c, "label_en": c, "label_nl": c} for c in found],
            unassignable=sorted(un - set(found)),
        )  # fmt: skip
    un_codes = set(unassignable) if unassignable is not None else set(pset.unassignable)
    codes = pset.codes

    raw = data[profile]
    missing = raw.isna()
    as_str = raw.astype(object).where(missing, raw.astype(str))
    is_un = as_str.isin(un_codes)
    for idx, v in as_str[~missing & ~is_un & ~as_str.isin(codes)].items():
        problems.append(
            Problem(idx, profile, v, f"a profile code {codes} or an unassignable code {sorted(un_codes)}")
        )
    frame = pd.DataFrame(index=data.index)
    for p in all_preds:
        frame[p] = _predictor_column(data[p], problems)
    if problems:
        raise DataValidationError(problems, context="profile validation")

    keep = ~missing & ~is_un
    frame = frame[keep.to_numpy()]
    prof = as_str[keep]
    counts = prof.value_counts().reindex(codes, fill_value=0)
    counts["unassignable"] = int(is_un.sum())
    counts["missing"] = int(missing.sum())
    counts["total"] = len(data)
    counts = counts.astype(int).to_frame("n")

    models, n_profile = {}, {}
    for code in fit_only if fit_only is not None else codes:
        if counts.loc[code, "n"] == 0:
            continue
        dv = "__profile_" + code
        fit = frame.assign(**{dv: (prof == code).astype(float).to_numpy()})
        preds = pred_map.get(code, []) if pred_map is not None else all_preds
        if not preds:
            continue
        try:
            models[code] = evalstats.logistic_regression(
                fit, dv, preds, event=1.0, firth=firth, **logistic_options
            )
        except SeparationError as exc:
            raise SeparationError(f"profile {code!r} against the rest: {exc}") from exc
        models[code].outcome = f"profile {code}"
        complete = fit[preds].notna().all(axis=1)
        n_profile[code] = int(fit.loc[complete, dv].sum())
    return ProfileValidationResult(
        models, pset, counts, int(is_un.sum()), int(missing.sum()), n_profile
    )
