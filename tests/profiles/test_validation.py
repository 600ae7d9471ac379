"""Profile validation: one logistic regression per profile vs the rest; tables 15-18 re-read."""

from __future__ import annotations

import math
import pathlib
import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from evalstats.errors import DataValidationError
from profiles import get_profile_set, validate

FIXTURE = pathlib.Path(__file__).parents[1] / "fixtures" / "profiles" / "dissertation_tables_15_18.tsv"


def sample(n=300, seed=7):
    rng = np.random.default_rng(seed)
    broken = rng.random(n) < 0.5
    ill = rng.random(n) < 0.3
    lin_a = -1.2 + 1.1 * broken - 0.9 * ill
    prof = np.where(rng.random(n) < 1 / (1 + np.exp(-lin_a)), "A",
                    rng.choice(["B", "C", "D", "E"], n))
    df = pd.DataFrame({
        "profile": prof,
        "broken": np.where(broken, "ja", "nee"),
        "ill": np.where(ill, 1, 0),
        "n_practitioners": rng.poisson(5, n),
    })
    df.loc[rng.choice(n, 12, replace=False), "profile"] = "unassignable"
    df.loc[[3, 4], "profile"] = None
    df.loc[[5, 6, 7], "ill"] = np.nan  # unknown
    return df


def test_matches_an_independent_fit():
    df = sample()
    res = validate(df, predictors=["broken", "ill", "n_practitioners"], profiles="reset")
    assert res.n_unassignable == 12 and res.n_missing_profile == 2
    assert res.counts.loc["total", "n"] == 300
    used = df[df["profile"].isin(list("ABCDE"))].dropna(subset=["ill"])
    X = sm.add_constant(pd.DataFrame({
        "broken": (used["broken"] == "ja").astype(float),
        "ill": used["ill"].astype(float),
        "n_practitioners": used["n_practitioners"].astype(float)}), prepend=False)
    for code in "ABCDE":
        y = (used["profile"] == code).astype(float)
        ref = sm.Logit(y, X).fit(disp=0, tol=1e-12, maxiter=200)
        t = res.table[res.table["profile"] == code].set_index("term")
        # tolerance 1e-6: both are maximum likelihood to convergence
        np.testing.assert_allclose(t.loc[["broken", "ill", "n_practitioners", "Constant"], "B"],
                                   ref.params.to_numpy(), atol=1e-6)
        np.testing.assert_allclose(t.loc[["broken", "ill", "n_practitioners", "Constant"], "SE"],
                                   ref.bse.to_numpy(), atol=1e-6)
        np.testing.assert_allclose(t["exp_B"], np.exp(t["B"]), rtol=1e-12)
        m = res.model_table.set_index("profile").loc[code]
        assert m["chi2"] == pytest.approx(ref.llr, abs=1e-6)
        assert m["df"] == 3
        assert m["n_used"] == len(used) and m["n_dropped_missing"] == 3
        assert m["n_profile"] == int(y.sum())
    # B and Exp(B) never mixed: the odds ratio is positive whatever the sign of B
    assert (res.table["exp_B"] > 0).all()
    assert (res.table["B"] < 0).any()


def test_reports():
    res = validate(sample(), predictors=["broken", "ill"], profiles="reset")
    t = res.spss_table()
    assert list(t.columns[:6]) == ["B", "S.E.", "Wald", "df", "Sig.", "Exp(B)"]
    assert ("A", "Model χ² (2)") in t.index
    assert "12 cases that could not be given a profile and 2 without a profile code were excluded" in res.apa()
    assert "A (Care-avoiding families): χ²(2) = " in res.apa()
    assert "uitgesloten" in res.apa("nl")


def test_predictors_per_profile_and_ad_hoc_sets():
    df = sample()
    res = validate(df, predictors={"A": ["broken", "ill"], "B": ["n_practitioners"]})
    assert sorted(res.models) == ["A", "B"]
    assert res.model_table.set_index("profile").loc["B", "df"] == 1


def test_invalid_profile_codes_and_predictor_values():
    df = sample()
    df.loc[10, "profile"] = "F"
    df.loc[11, "broken"] = "misschien"
    with pytest.raises(DataValidationError) as err:
        validate(df, predictors=["broken"], profiles="reset")
    got = {(p.row, p.column, p.value) for p in err.value.problems}
    assert got == {(10, "profile", "F"), (11, "broken", "misschien")}
    with pytest.raises(DataValidationError, match="'nope'"):
        validate(df, predictors=["nope"])


def test_reset_profile_set():
    s = get_profile_set("reset")
    assert [p.reported_n for p in s.profiles] == [70, 66, 97, 86, 52]
    assert sum(p.reported_n for p in s.profiles) + 17 == 388


# --------------------------------------------------------------------------------------------
# The dissertation's tables 15-18, re-read from the seed (fixture made by
# tests/fixtures/profiles/extract_tables_15_18.py). Documented, not our output.
# --------------------------------------------------------------------------------------------
def _lines() -> dict[int, str]:
    df = pd.read_csv(FIXTURE, sep="\t", dtype={"line": int, "text": str})
    return dict(zip(df["line"], df["text"], strict=True))


def _num(text: str) -> float:
    return float(text.replace(",", "."))


ROW = re.compile(r"^(?P<label>.*?)\s+(?P<v>-?\d*,\d+)\*{0,2}\s+(?P<wald>\d+,\d+)$")

# printed row (line) -> where the text states how many families of that profile have the
# characteristic: (line, n-th "N=" on that line), summed when several
COUNTS = {
    3975: ("A", [(3963, 0)]),
    3976: ("A", [(3964, 0)]),
    3977: ("A", [(3965, 0)]),
    3978: ("A", [(3968, 0)]),
    3979: ("A", [(3969, 0)]),
    4025: ("B", [(4002, 0), (4004, 0)]),
    4026: ("B", [(4001, 0)]),
    4027: ("B", [(4005, 0)]),
    4028: ("B", [(4011, 0)]),
    4069: ("C", [(4057, 0)]),
    4070: ("C", [(4059, 0)]),
    4072: ("C", [(4057, 1)]),
    4073: ("C", [(4060, 0)]),
    4074: ("C", [(4054, 0)]),
}


def _printed_rows():
    lines = _lines()
    n_profile = {lines[n][0]: int(re.search(r"N=(\d+)", lines[n]).group(1)) for n in range(3927, 3932)}
    rows = []
    for line, (prof, refs) in COUNTS.items():
        m = ROW.match(lines[line])
        assert m, lines[line]
        a = sum(int(re.findall(r"N=(\d+)", lines[ln])[k]) for ln, k in refs)
        rows.append((line, m["label"], _num(m["v"]), _num(m["wald"]), a, n_profile[prof]))
    return rows


def _se_floor(a: int, n_prof: int) -> float:
    """Smallest standard error any 0/1 predictor can have in a logistic regression.

    Var(B_x) = [I^-1]_xx >= 1 / I_xx with I_xx = sum over x=1 of p(1-p) <= sum over x=1 of p,
    which at the maximum equals the events with x = 1 (score equation). Those are the profile's
    families with the characteristic (a) or, if "no" was the indicator, without it (n - a);
    listwise deletion only lowers them. So SE >= 1/sqrt(max(a, n - a)) under either coding.
    """
    return 1 / math.sqrt(max(a, n_prof - a))


def test_printed_positive_values_are_consistent_odds_ratios():
    for line, label, v, wald, a, n in _printed_rows():
        if v > 0:
            se = math.log(v) / math.sqrt(wald)  # B = ln Exp(B); Wald = (B/SE)^2
            assert se >= _se_floor(a, n), (line, label)


def test_printed_negative_exp_b_are_not_b_values():
    """The tables print negative "Exp(B)". Read as B, exp(B) looks like a plausible odds ratio
    (.72, .76, .70), but the printed Wald statistics then imply standard errors below the
    smallest one the printed counts allow. Read as odds ratios |v| < 1 printed with a minus sign
    (B = ln|v|) they are consistent. Rounding of the printed values is allowed for."""
    negative = [r for r in _printed_rows() if r[2] < 0]
    assert [r[0] for r in negative] == [3979, 4027, 4028]
    for line, label, v, wald, a, n in negative:
        assert 0.5 < math.exp(v) < 1  # looks like an odds ratio ...
        largest_se_as_b = (abs(v) + 0.005) / math.sqrt(wald - 0.005)
        assert largest_se_as_b < _se_floor(a, n), (line, label)  # ... but cannot be B
        se_as_or = abs(math.log(abs(v))) / math.sqrt(wald)
        assert se_as_or >= _se_floor(a, n), (line, label)


def test_spss_footnote_has_nagelkerke_per_profile():
    res = validate(sample(), predictors=["broken"], profiles="reset")
    foot = res.spss_table().attrs["footnote"]
    for code in "ABCDE":
        r = res.models[code]
        assert f"{code}: N = {r.n_used}" in foot
    assert f"Nagelkerke R² = {res.models['A'].nagelkerke_r2:.3f}".replace("0.", ".") in foot


def test_separation_names_the_profile():
    from evalstats.errors import SeparationError

    df = pd.DataFrame({"profile": list("AAAABBBBCCCC"),
                       "x": ["ja"] * 4 + ["nee"] * 4 + ["ja", "nee"] * 2})
    with pytest.raises(SeparationError, match="profile 'B' against the rest"):
        validate(df, predictors=["x"], profiles=["B"])
    res = validate(df, predictors=["x"], profiles=["B"], firth=True)
    assert res.models["B"].table.loc[0, "B"] < 0
