"""Do the printed factorial ANOVA tables of the dissertation add up?

The fixture (``tests/fixtures/glm_dissertation/glm_tables.csv``, extracted from the seed by
``extract_glm_tables.py``) holds the 18 printed "Type III" tables as printed. Every printed number
carries a rounding error of at most half a unit in its last decimal (±.005), so each identity is
checked over the whole interval of values the printed numbers allow:

* Corrected Model SS + Error SS = Corrected Total SS, and the same for their df;
  Total df = N, Corrected Total df = N − 1;
* MS = SS / df and F = MS / MS_error for every row with an F;
* the printed p (two decimals) is p = P(F(df, df_error) > F) for the printed F;
* partial η² = SS / (SS + SS_error).

``evalstats.factorial_anova`` builds every table from one fit so these identities hold by
construction (``tests/evalstats/test_glm.py::assert_consistent``). Here the printed tables are
checked against them, and the test records which printed numbers do *not* follow — the list is
the documentation of the dissertation's reporting errors in ``docs/methods.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "glm_dissertation" / "glm_tables.csv"
HALF = 0.005  # half a unit in the second decimal: the rounding of every printed number


def _kind(label: str) -> str:
    low = label.lower()
    if low.startswith("correct") and "model" in low:
        return "model"
    if low.startswith("correct") and "tota" in low:
        return "corrected_total"
    if low == "totaal":
        return "total"
    if low == "error":
        return "error"
    return "effect"


def _f_interval(ss: float, df: float, ss_err: float, df_err: float) -> tuple[float, float]:
    """F values possible for printed SS and SS_error (each ± HALF)."""
    lo = max(ss - HALF, 0.0) / df / ((ss_err + HALF) / df_err)
    hi = (ss + HALF) / df / (max(ss_err - HALF, 1e-12) / df_err)
    return lo, hi


def check_table(t: pd.DataFrame) -> list[tuple[int, str, str, str]]:
    """Every inconsistency of one printed table: (table, label, quantity, explanation)."""
    number = int(t["table"].iloc[0])
    rows = {k: t[t["kind"] == k].iloc[0] for k in ("model", "error", "total", "corrected_total")}
    model, err, total, ctot = (rows[k] for k in ("model", "error", "total", "corrected_total"))
    found = []
    diff = model["ss"] + err["ss"] - ctot["ss"]
    if abs(diff) > 3 * HALF + 1e-9:
        found.append((number, str(ctot["label"]), "SS",
                      f"Corrected Model {model['ss']:.2f} + Error {err['ss']:.2f} = "
                      f"{model['ss'] + err['ss']:.2f}, printed {ctot['ss']:.2f}"))
    if model["df"] + err["df"] != ctot["df"] or ctot["df"] != total["df"] - 1:
        found.append((number, str(ctot["label"]), "df",
                      f"Corrected Model df {model['df']:.0f} + Error df {err['df']:.0f} = "
                      f"{model['df'] + err['df']:.0f}; Total df {total['df']:.0f} means N − 1 = "
                      f"{total['df'] - 1:.0f}; printed {ctot['df']:.0f}"))
    df_err = err["df"]
    for _, r in t[t["kind"].isin(["model", "effect"])].iterrows():
        if not (r["df"] > 0 and np.isfinite(r["f"])):
            continue
        lo, hi = _f_interval(r["ss"], r["df"], err["ss"], df_err)
        if r["f"] + HALF < lo or r["f"] - HALF > hi:
            found.append((number, str(r["label"]), "F",
                          f"SS {r['ss']:.2f} / df {r['df']:.0f} / MS_error "
                          f"{err['ss'] / df_err:.4f} gives F = "
                          f"{r['ss'] / r['df'] / (err['ss'] / df_err):.2f}, printed {r['f']:.2f}"))
        p_hi = stats.f.sf(max(r["f"] - HALF, 0.0), r["df"], df_err)
        p_lo = stats.f.sf(r["f"] + HALF, r["df"], df_err)
        if not (round(p_lo, 2) <= r["p"] <= round(p_hi, 2)):
            found.append((number, str(r["label"]), "p",
                          f"F({r['df']:.0f}, {df_err:.0f}) = {r['f']:.2f} gives p = "
                          f"{stats.f.sf(r['f'], r['df'], df_err):.4f}, printed {r['p']:.2f}"))
        eta_lo = max(r["ss"] - HALF, 0) / (r["ss"] - HALF + err["ss"] + HALF)
        eta_hi = (r["ss"] + HALF) / (r["ss"] + HALF + err["ss"] - HALF)
        if r["eta2"] + HALF < eta_lo or r["eta2"] - HALF > eta_hi:
            found.append((number, str(r["label"]), "partial eta²",
                          f"SS {r['ss']:.2f} / (SS + SS_error {err['ss']:.2f}) = "
                          f"{r['ss'] / (r['ss'] + err['ss']):.3f}, printed {r['eta2']:.2f}"))
    return found


@pytest.fixture(scope="module")
def tables() -> pd.DataFrame:
    d = pd.read_csv(FIXTURE)
    return d.assign(kind=d["label"].map(_kind))


@pytest.fixture(scope="module")
def findings(tables: pd.DataFrame) -> list[tuple[int, str, str, str]]:
    return [f for _, t in tables.groupby("table", sort=True) for f in check_table(t)]


def test_fixture_holds_every_table(tables: pd.DataFrame) -> None:
    assert tables["table"].nunique() == 18
    for number, t in tables.groupby("table"):
        kinds = t["kind"].value_counts()
        for k in ("model", "error", "total", "corrected_total"):
            assert kinds.get(k, 0) == 1, (number, k)


# What the printed tables get wrong, as computed by check_table (the failure message of the test
# below prints the numbers). Any change to the extraction or the checks that alters this list
# fails, so docs/methods.md can cite it:
# * table 44 prints Corrected Total df 60 where model + error (and N − 1) give 40;
# * table 52 prints Corrected Total SS 26.32 where model + error give 28.32 (its ηp² .89 and the
#   R² follow from 28.32);
# * table 94 prints F = 5.17 for PL6 where SS/MS_error gives 5.60; its printed p (.02) belongs to
#   5.60, not to the printed F (.028);
# * table 92 prints ηp² = .42 for LD2 where SS/(SS + SS_error) gives .40;
# * tables 51, 59 and 95 print F values 0.05-0.4 % off what their printed SS allow even after
#   rounding (63.85 vs 63.41-63.51, 45.63 vs 45.66-45.71, 7.69 vs 7.65-7.66).
EXPECTED = {
    (44, "Correct Totaal", "df"),
    (51, "Correct Model", "F"),
    (52, "Correct Totaal", "SS"),
    (59, "Communicatie, omgang gezin", "F"),
    (92, "LD2", "partial eta²"),
    (94, "PL6", "F"),
    (94, "PL6", "p"),
    (95, "NwG8", "F"),
}


def test_printed_tables_inconsistencies(findings: list[tuple[int, str, str, str]]) -> None:
    got = {(n, label, q) for n, label, q, _ in findings}
    detail = "\n".join(f"table {n}, {label}, {q}: {why}" for n, label, q, why in findings)
    assert got == EXPECTED, detail


def test_checks_accept_a_consistent_table() -> None:
    """A table computed exactly and rounded to two decimals passes every check."""
    ss_err, df_err = 13.27, 47
    rows = [("Corrected Model", 10.06, 6), ("Intercept", 5.94, 1), ("PL6", 1.58, 1),
            ("Error", ss_err, df_err), ("Totaal", 936.0, 54), ("Corrected Totaal", 23.33, 53)]
    recs = []
    for label, ss, df in rows:
        rec = {"table": 0, "label": label, "ss": ss, "df": df, "ms": np.nan, "f": np.nan,
               "p": np.nan, "eta2": np.nan}
        if label not in ("Error", "Totaal", "Corrected Totaal"):
            f = ss / df / (ss_err / df_err)
            rec.update(ms=round(ss / df, 2), f=round(f, 2),
                       p=round(stats.f.sf(f, df, df_err), 2), eta2=round(ss / (ss + ss_err), 2))
        recs.append(rec)
    t = pd.DataFrame(recs)
    assert check_table(t.assign(kind=t["label"].map(_kind))) == []
    # and the printed F of table 94 for PL6 (5.17) is caught, with the p that does not belong to it
    bad = t.copy()
    bad.loc[bad["label"] == "PL6", "f"] = 5.17
    assert [q for _, _, q, _ in check_table(bad.assign(kind=bad["label"].map(_kind)))] == ["F", "p"]
