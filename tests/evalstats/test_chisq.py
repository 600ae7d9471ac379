"""Chi-square tests and correlations against R (tests/fixtures/models/make_models.R).

References: ``chisq.test(correct = FALSE / TRUE)``, ``fisher.test``, the likelihood-ratio G² and the
linear-by-linear (N − 1) r² by their definitions in the R script; ``cor.test`` (Pearson with its
Fisher-z CI, Spearman with ``exact = FALSE``, point-biserial as Pearson on the 0/1 variable).
Tolerance: relative 1e-6.
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalstats import LowExpectedCountWarning, chi_square, correlation
from evalstats.errors import DataValidationError

FIX = Path(__file__).parents[1] / "fixtures" / "models"
REF = json.loads((FIX / "models.json").read_text())
RTOL = 1e-6


@pytest.mark.parametrize("name", ["t22", "t22small", "t34"])
def test_chi_square_against_r(name):
    ref = REF["chisq"][name]
    tab = np.array(ref["table"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LowExpectedCountWarning)
        res = chi_square(tab)
    t = res.table.set_index("test")
    np.testing.assert_allclose(t.loc["pearson", "statistic"], ref["pearson"], rtol=RTOL)
    np.testing.assert_allclose(t.loc["pearson", "p"], ref["pearson_p"], rtol=RTOL)
    assert t.loc["pearson", "df"] == ref["df"]
    np.testing.assert_allclose(t.loc["likelihood_ratio", "statistic"], ref["lr"], rtol=RTOL)
    np.testing.assert_allclose(t.loc["linear_by_linear", "statistic"], ref["lbl"], rtol=RTOL)
    # R's matrix() fills by column
    np.testing.assert_allclose(res.expected.T.ravel(), ref["expected"], rtol=RTOL)
    if tab.shape == (2, 2):
        np.testing.assert_allclose(t.loc["yates", "statistic"], ref["yates"], rtol=RTOL)
        np.testing.assert_allclose(t.loc["yates", "p"], ref["yates_p"], rtol=RTOL)
        np.testing.assert_allclose(t.loc["fisher", "p"], ref["fisher_p"], rtol=RTOL)
    else:
        assert "yates" not in t.index and "fisher" not in t.index


def test_low_expected_counts_warn_with_count():
    with pytest.warns(LowExpectedCountWarning, match=r"^4 of 4 cells \(100.0%\)"):
        res = chi_square([[3, 1], [1, 6]])
    assert res.n_expected_below_5 == 4
    assert res.spss_table().attrs["footnote"].startswith("a. 4 cells (100.0%)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chi_square([[20, 15], [10, 25]])


def test_bad_tables():
    with pytest.raises(DataValidationError, match="row 0, column 1: got -1.0"):
        chi_square([[2, -1], [3, 4]])
    with pytest.raises(DataValidationError, match="column with at least one case"):
        chi_square([[2, 0], [3, 0]])
    with pytest.raises(ValueError, match="2 × 2"):
        chi_square([[1, 2, 3]])


def test_chi_square_formats():
    res = chi_square(pd.DataFrame([[20, 15], [10, 25]]))
    assert res.apa() == "χ²(1, N = 70) = 5.83, p = .016, V = .29"
    assert res.apa("nl") == "χ²(1; N = 70) = 5,83; p = ,016; V = ,29"
    assert res.apa(test="yates").startswith("χ²(1, N = 70) = 4.73")
    sp = res.spss_table()
    assert sp.loc["N of Valid Cases", "Value"] == "70"
    assert sp.loc["Fisher's Exact Test", "Exact Sig. (2-sided)"] == ".029"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=4, max_size=4))
def test_2x2_invariants(cells):
    tab = np.array(cells).reshape(2, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LowExpectedCountWarning)
        a, b = chi_square(tab).table.set_index("test"), chi_square(tab.T).table.set_index("test")
    np.testing.assert_allclose(a["statistic"], b["statistic"], rtol=1e-12, atol=1e-12)
    assert a.loc["yates", "statistic"] <= a.loc["pearson", "statistic"] + 1e-12
    # for a 2 x 2 table the linear-by-linear statistic is (N - 1)/N times Pearson's
    n = tab.sum()
    np.testing.assert_allclose(
        a.loc["linear_by_linear", "statistic"],
        (n - 1) / n * a.loc["pearson", "statistic"],
        rtol=1e-10,
        atol=1e-12,
    )


ANOVA2 = pd.read_csv(FIX / "anova2.csv")


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_correlation_against_cor_test(method):
    ref = REF["correlation"][method]
    res = correlation(ANOVA2, "y", "x1", method=method)
    t = res.table.iloc[0]
    assert t["n"] == ref["n"] and t["n_dropped"] == len(ANOVA2) - ref["n"]
    np.testing.assert_allclose(t["r"], ref["r"], rtol=RTOL)
    np.testing.assert_allclose(t["p"], ref["p"], rtol=RTOL)
    if "ci" in ref:
        np.testing.assert_allclose([t["ci_lower"], t["ci_upper"]], ref["ci"], rtol=RTOL)


def test_point_biserial_against_cor_test():
    ref = REF["correlation"]["pointbiserial"]
    res = correlation(ANOVA2, "B", "y", method="pointbiserial")
    t = res.table.iloc[0]
    assert t["n"] == ref["n"]
    np.testing.assert_allclose(
        [t["r"], t["p"], t["ci_lower"], t["ci_upper"]], [ref["r"], ref["p"], *ref["ci"]], rtol=RTOL
    )
    # text groups: the higher value (sorted) is coded 1
    txt = ANOVA2.assign(B=ANOVA2["B"].map({0: "ja", 1: "nee"}))
    np.testing.assert_allclose(
        correlation(txt, "B", "y", method="pointbiserial").r, ref["r"], rtol=RTOL
    )
    with pytest.raises(DataValidationError, match="exactly two distinct values"):
        correlation(ANOVA2, "x1", "y", method="pointbiserial")


def test_correlation_formats():
    res = correlation(ANOVA2, "y", "x1")
    r = res.table.iloc[0]
    assert res.apa().startswith(f"r({int(r['n']) - 2}) = .{round(r['r'] * 100):02d}, p < .001")
    assert "95%-BI [," in res.apa("nl")
    assert res.spss_table().loc["N", "x1"] == str(int(r["n"]))
