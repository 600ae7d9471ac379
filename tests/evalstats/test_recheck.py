"""evalstats.recheck: rounding intervals, p values over intervals, and the per-statistic checks.

References are closed forms (t with 1 and 2 df, chi-square with 2 df, the normal via erfc,
F(1, df) = t(df)²) and hand computations written out in the comments. Tolerances are stated
per assertion.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalstats import recheck
from evalstats.recheck._core import df_interval, judge_p, p_chi2, p_f, p_t


def verdicts(res) -> list[str]:
    return res.table["verdict"].tolist()


def by_check(res) -> dict[str, str]:
    return dict(zip(res.table["check"], res.table["verdict"], strict=True))


# ---------------------------------------------------------------- printed numbers


@pytest.mark.parametrize("text, lo, hi, decimals", [
    ("2.37", 2.365, 2.375, 2), ("2,37", 2.365, 2.375, 2), (",32", 0.315, 0.325, 2),
    ("-0,059", -0.0595, -0.0585, 3), ("−1.5", -1.55, -1.45, 1), ("17,82ª", 17.815, 17.825, 2),
    ("3,79**", 3.785, 3.795, 2), ("12", 11.5, 12.5, 0), ("0,076.", 0.0755, 0.0765, 3),
])
def test_num_interval_is_half_a_unit_of_the_last_decimal(text, lo, hi, decimals):
    n = recheck.num(text)
    assert (n.lo, n.hi, n.decimals) == (pytest.approx(lo, abs=1e-12), pytest.approx(hi, abs=1e-12),
                                        decimals)


def test_num_of_a_float_keeps_its_printed_decimals():
    assert recheck.num(2.37).decimals == 2
    assert recheck.num(3).decimals == 0


def test_num_rejects_text_naming_the_argument():
    with pytest.raises(ValueError, match="^t: expected a number"):
        recheck.num("2.3.7", "t")


@pytest.mark.parametrize("text, sign, lo, hi", [
    (".03", "=", 0.025, 0.035), ("p = ,03", "=", 0.025, 0.035), ("p < .001", "<", 0, 0.001),
    ("p < ,05", "<", 0, 0.05), ("p=.000", "=", 0, 0.0005), ("p = .00", "=", 0, 0.005),
    ("n.s.", "ns", 0.05, 1), ("ns", "ns", 0.05, 1), ("p > .05", ">", 0.05, 1),
    ("0,047*", "=", 0.0465, 0.0475), ("*", "≤", 0, 0.05), ("***", "≤", 0, 0.001),
    ("p ≤ .01", "≤", 0, 0.01),
])
def test_parse_p(text, sign, lo, hi):
    p = recheck.parse_p(text)
    assert (p.sign, p.lo, p.hi) == (sign, pytest.approx(lo, abs=1e-12), pytest.approx(hi, abs=1e-12))


def test_parse_p_rejects_values_outside_0_1():
    with pytest.raises(ValueError, match="^p: a p value lies between 0 and 1"):
        recheck.parse_p("1.3")
    with pytest.raises(ValueError, match="^p: expected a p value"):
        recheck.parse_p("p is small")


def test_df_interval():
    assert df_interval(28) == (28, 28)
    assert df_interval("141,8") == (pytest.approx(141.75), pytest.approx(141.85))
    with pytest.raises(ValueError, match="df: degrees of freedom must be positive"):
        df_interval(0)


# ---------------------------------------------------------------- p over intervals, closed forms


def test_p_t_closed_forms_for_df_1_and_2_and_the_normal():
    # df 1 (Cauchy): p = 1 - 2/pi * atan(|t|); df 2: p = 1 - |t| / sqrt(2 + t^2)
    lo, hi = p_t((2.365, 2.375), (1, 1))
    assert lo == pytest.approx(1 - 2 / math.pi * math.atan(2.375), rel=1e-10)
    assert hi == pytest.approx(1 - 2 / math.pi * math.atan(2.365), rel=1e-10)
    lo, hi = p_t((-4.305, -4.295), (2, 2))
    assert lo == pytest.approx(1 - 4.305 / math.sqrt(2 + 4.305**2), rel=1e-10)
    assert hi == pytest.approx(1 - 4.295 / math.sqrt(2 + 4.295**2), rel=1e-10)
    lo, hi = p_t((1.955, 1.965), (math.inf, math.inf))
    assert (lo, hi) == (pytest.approx(math.erfc(1.965 / math.sqrt(2)), rel=1e-10),
                        pytest.approx(math.erfc(1.955 / math.sqrt(2)), rel=1e-10))


def test_p_t_interval_containing_zero_reaches_p_1():
    assert p_t((-0.005, 0.005), (10, 10))[1] == pytest.approx(1.0)


def test_p_f_with_one_numerator_df_is_the_t_test():
    # F(1, df) = t(df)^2, so the p intervals agree (rel 1e-9)
    f = p_f((2.365**2, 2.375**2), (1, 1), (28, 28))
    t = p_t((2.365, 2.375), (28, 28))
    assert f == (pytest.approx(t[0], rel=1e-9), pytest.approx(t[1], rel=1e-9))


def test_p_chi2_with_2_df_is_exp_minus_half_x():
    lo, hi = p_chi2((7.75, 7.85), (2, 2))
    assert (lo, hi) == (pytest.approx(math.exp(-7.85 / 2), rel=1e-10),
                        pytest.approx(math.exp(-7.75 / 2), rel=1e-10))


# ---------------------------------------------------------------- verdicts and rounding edges


def test_t_2_37_df_28_p_03_is_consistent():
    assert verdicts(recheck.t_test(t="2.37", df=28, p=".03")) == ["consistent"]
    assert verdicts(recheck.t_test(t=2.37, df=28, p=0.03)) == ["consistent"]


def test_rounding_edges_of_the_t_test_with_2_df():
    # t(2) = 4.30 gives p in [1 - 4.305/sqrt(2 + 4.305²), 1 - 4.295/sqrt(2 + 4.295²)]
    # = [.04987, .05013]: p = .05 is consistent; p = .04 ([.035, .045]) is not, but the
    # recomputed p straddles .05, so it is no decision error.
    assert verdicts(recheck.t_test("4.30", 2, ".05")) == ["consistent"]
    assert verdicts(recheck.t_test("4.30", 2, ".04")) == ["inconsistent"]
    # a one-decimal t is a wide interval: t(2) = 4.3 is [4.25, 4.35], p in [.0489, .0512]
    assert verdicts(recheck.t_test("4.3", 2, ".051")) == ["consistent"]


def test_decision_error_is_reported_apart_from_inconsistency():
    # t(1) = 12.71 gives p = 1 - 2/pi atan(12.71) = .0500; t(1) = 20.00 gives .0318
    assert verdicts(recheck.t_test("20.00", 1, ".30")) == ["decision error"]
    assert verdicts(recheck.t_test("20.00", 1, ".04")) == ["inconsistent"]
    assert verdicts(recheck.t_test("20.00", 1, "n.s.")) == ["decision error"]
    assert verdicts(recheck.t_test("1.00", 1, "< .05")) == ["decision error"]  # p = .5


def test_p_000_means_p_below_0005():
    # t(2) = 100.00: p = 1 - 100/sqrt(10002) = .0000999
    assert verdicts(recheck.t_test("100.00", 2, "p = .000")) == ["consistent"]
    # t(2) = 40.00: p = 1 - 40/sqrt(1602) = .000624 > .0005
    assert verdicts(recheck.t_test("40.00", 2, "p = .000")) == ["inconsistent"]
    assert verdicts(recheck.t_test("40.00", 2, "p < .001")) == ["consistent"]


def test_missing_p_is_not_checked_with_a_reason():
    row = recheck.t_test("2.37", 28).table.loc[0]
    assert row.verdict == "not checked" and row.explanation.startswith("no p value printed")


def test_explanations_in_dutch_use_decimal_commas():
    row = recheck.t_test("2.37", 28, ".30", lang="nl").table.loc[0]
    assert "geeft p tussen 0,02" in row.explanation and "gedrukte p = ,30" in row.explanation


def test_judge_p_needs_a_known_language():
    with pytest.raises(ValueError, match="lang must be one of"):
        judge_p("t", (0.1, 0.2), recheck.parse_p(".15"), "de")


def test_negative_f_and_chi2_are_impossible():
    assert verdicts(recheck.f_test("-2.1", 2, 30, ".13")) == ["inconsistent"]
    assert verdicts(recheck.chi2_test("-1.0", 1, ".30")) == ["inconsistent"]


def test_chi2_and_z_and_wald():
    # chi2(2) = 7.80: p = exp(-3.9) = .0202
    assert verdicts(recheck.chi2_test("7.80", 2, ".02")) == ["consistent"]
    assert verdicts(recheck.chi2_test("7.80", 2, ".20")) == ["decision error"]
    # z = 1.96: p = erfc(1.96/√2) = .0500
    assert verdicts(recheck.z_test("1.96", ".05")) == ["consistent"]
    # Wald with 2 df is chi-square(2): exp(-4.1/2) = .129
    assert verdicts(recheck.wald_test("4.1", 2, ".13")) == ["consistent"]


def test_r_test_through_t_with_n_minus_2_df():
    # r(2) = .90: t = .90 sqrt(2/(1-.81)) = 2.920, p = 1 - t/sqrt(2+t²) = .100
    # r in [.895, .905] gives t in [2.852, 2.993], p in [.0959, .1053]
    assert verdicts(recheck.r_test(".90", 2, ".10")) == ["consistent"]
    assert verdicts(recheck.r_test(".90", 2, ".03")) == ["decision error"]
    assert verdicts(recheck.r_test("1.20", 30, ".01")) == ["inconsistent"]


# ---------------------------------------------------------------- ANOVA rows


def test_anova_row_consistent_row_of_the_dissertation():
    # Table 36 (003: 5858, 5866): Correct Model 17,82 4 4,45 25,58 ,00 ,71; Error 7,31 42 ,17
    # MS_error in [7.305/42, 7.315/42] = [.1739, .1742]; MS in [4.454, 4.456];
    # F in [25.57, 25.63]; eta² in [17.815/25.135, 17.825/25.125] = [.7088, .7095]
    res = recheck.anova_row(ss="17,82", df=4, ms="4,45", f="25,58", p=",00", ss_error="7,31",
                            df_error=42, ms_error=",17", partial_eta2=",71")
    assert set(verdicts(res)) == {"consistent"}
    f = res.table.set_index("check").loc["F"]
    assert (f.recomputed_low, f.recomputed_high) == (pytest.approx(4.45375 / 0.1741667, rel=2e-3),
                                                     pytest.approx(4.45625 / 0.1739286, rel=2e-3))


def test_anova_row_f_not_ms_over_ms_error_is_flagged():
    # Table 38 row ACT1 (003: 6059): SS 1,01 df 1, F 8,42; Error 3,72 29 ,13.
    # MS_error in [3.715/29, 3.725/29] = [.12810, .12845]; F in [1.005/.12845, 1.015/.12810]
    # = [7.824, 7.923], not 8.42; eta² = 1.01/4.73 = .2135, not .23
    res = recheck.anova_row(ss="1,01", df=1, ms="1,01", f="8,42", p=",01", ss_error="3,72",
                            df_error=29, ms_error=",13", partial_eta2=",23")
    got = by_check(res)
    assert got["F"] == "inconsistent" and got["partial η²"] == "inconsistent"
    assert got["MS"] == "consistent" and got["p"] == "consistent"
    f = res.table.set_index("check").loc["F"]
    assert f.recomputed_low == pytest.approx(7.824, abs=1e-3)
    assert f.recomputed_high == pytest.approx(7.923, abs=1e-3)


def test_anova_row_ms_not_ss_over_df_is_flagged():
    # 6,34 / 3 = 2.113, printed 1,12 (003: 6056)
    assert by_check(recheck.anova_row(ss="6,34", df=3, ms="1,12"))["MS"] == "inconsistent"


def test_anova_row_needs_df():
    with pytest.raises(ValueError, match="^df: "):
        recheck.anova_row(ss="1", f="2")


# ---------------------------------------------------------------- logistic rows


def test_printed_negative_exp_b_is_flagged():
    res = recheck.logistic_row(exp_b="-0,33", wald="7,83", p="*", lang="nl")
    row = res.table.loc[0]
    assert row.verdict == "inconsistent"
    assert row.explanation == "Exp(B) is een odds ratio en kan niet negatief zijn."
    # Wald 7.83 (df 1): p = erfc(sqrt(7.83/2)) = .0051 <= .05, so the star itself is right
    assert res.table.loc[1, "verdict"] == "consistent"


def test_logistic_row_wald_exp_b_and_ci():
    # B = 1.33, SE = .38: Wald = (1.33/.38)² = 12.25, over the intervals
    # [(1.325/.385)², (1.335/.375)²] = [11.84, 12.67]; e^1.33 = 3.781, over [3.762, 3.800];
    # CI exp(1.33 ∓ 1.96·.38) = [1.795, 7.965]
    res = recheck.logistic_row(b="1,33", se=",38", wald="12,15", p=",000", exp_b="3,79",
                               ci_low="1,79", ci_high="7,97")
    assert set(verdicts(res)) == {"consistent"}
    t = res.table.set_index("check")
    assert t.loc["Wald", "recomputed_low"] == pytest.approx((1.325 / 0.385) ** 2, rel=1e-12)
    assert t.loc["Exp(B)", "recomputed_high"] == pytest.approx(math.exp(1.335), rel=1e-12)
    bad = by_check(recheck.logistic_row(b="1,33", se=",38", wald="8,15", exp_b="4,79"))
    assert bad == {"Wald": "inconsistent", "Exp(B)": "inconsistent"}


# ---------------------------------------------------------------- mixed-model rows


def test_mixed_row_of_the_pilot_report():
    # Bijlage 2, Tabel 2 (000: 1925): Leeftijd kind -0,059 0,18 -0,32 0,075. For every df,
    # |t| <= .325 gives p >= erfc(.325/√2) = .745, far from .075.
    res = recheck.mixed_row("-0,059", "0,18", "-0,32", p="0,075")
    assert by_check(res) == {"t": "consistent", "p": "inconsistent"}
    assert res.table.loc[1, "recomputed_low"] == pytest.approx(math.erfc(0.325 / math.sqrt(2)),
                                                               rel=1e-9)
    # Tabel 1 T1 (000: 1908): 3,54 1,77 1,99 0,047 without df: consistent (the normal gives .047)
    assert set(verdicts(recheck.mixed_row("3,54", "1,77", "1,99", p="0,047"))) == {"consistent"}


# ---------------------------------------------------------------- group summaries


def test_groups_student_t_total_mean_and_sd():
    # M 5 and 3, SD 2 and 2, n 10 and 10: sp = 2, SE = 2·sqrt(1/5) = .8944, t = 2.236 (df 18);
    # total M = 4, SS_within = 72, SS_between = 20, total SD = sqrt(92/19) = 2.2005
    res = recheck.groups(["5.00", "3.00"], ["2.00", "2.00"], [10, 10], t="2.24", p=".04",
                         total_mean="4.00", total_sd="2.20")
    assert set(verdicts(res)) == {"consistent"}
    assert by_check(recheck.groups(["5.00", "3.00"], ["2.00", "2.00"], [10, 10],
                                   t="2.50"))["t (Student)"] == "inconsistent"
    assert by_check(recheck.groups(["5.00", "3.00"], ["2.00", "2.00"], [10, 10],
                                   total_sd="2.00"))["total SD"] == "inconsistent"


def test_groups_welch_when_only_welch_fits():
    # M 5 and 3, SD 1 and 4, n 10 and 40: Welch SE = sqrt(.1 + .4) = .7071, t = 2.828;
    # Student: sp² = (9 + 39·16)/48 = 13.19, SE = sqrt(13.19·(.1 + .025)) = 1.284, t = 1.557
    res = recheck.groups(["5.00", "3.00"], ["1.00", "4.00"], [10, 40], t="2.83")
    assert by_check(res) == {"t (Welch)": "consistent"}


def test_groups_oneway_f():
    # two groups: F = t² = 5.0 (t = 2.236 above)
    assert by_check(recheck.groups(["5.00", "3.00"], ["2.00", "2.00"], [10, 10],
                                   F="5.00")) == {"F": "consistent"}
    with pytest.raises(ValueError, match="^means, sds, ns"):
        recheck.groups(["5"], ["1"], [10])
    with pytest.raises(ValueError, match="^t: a t test compares two groups, got 3"):
        recheck.groups(["5", "4", "3"], ["1", "1", "1"], [10, 10, 10], t="2.0")


# ---------------------------------------------------------------- GRIM and GRIMMER


def test_grim():
    # 3.48 on 17 answers: the sum lies in [3.475·17, 3.485·17] = [59.08, 59.25]: no integer
    assert verdicts(recheck.grim("3.48", 17)) == ["inconsistent"]
    # 3.47 on 17 answers is possible: 59/17 = 3.4706 rounds to 3.47
    assert verdicts(recheck.grim("3.47", 17)) == ["consistent"]
    # two items: sums in units of 1/20; [3.465·20, 3.475·20] = [69.3, 69.5]: no integer
    assert verdicts(recheck.grim("3.47", 10, items=2)) == ["inconsistent"]
    # N × items >= 100 with two decimals: every mean is possible
    assert verdicts(recheck.grim("3.47", 120)) == ["not checked"]


def test_grimmer():
    # mean 3.50, N 10: sum 35; SD 1.00 needs sum of squares in 122.5 + 9·[.995², 1.005²]
    # = [131.41, 131.59]: no integer
    assert verdicts(recheck.grimmer("3.50", "1.00", 10)) == ["consistent", "inconsistent"]
    # SD 1.08: [132.90, 133.09] holds 133, odd like the sum 35
    assert verdicts(recheck.grimmer("3.50", "1.08", 10)) == ["consistent", "consistent"]
    # parity: mean 2.00, N 5 (sum 10), SD .50 needs a sum of squares of 21, odd while the sum
    # is even; five integers summing to 10 with squared deviations summing to 1 do not exist
    assert verdicts(recheck.grimmer("2.00", "0.50", 5)) == ["consistent", "inconsistent"]
    with pytest.raises(ValueError, match="n and items must be positive whole numbers"):
        recheck.grim("2.0", 2.5)


# ---------------------------------------------------------------- contingency tables


def test_contingency():
    # [[12, 8], [5, 15]]: expected 8.5, 11.5, 8.5, 11.5; Pearson chi² = 2·12.25·(1/8.5 + 1/11.5)
    # = 5.013; Yates: 2·9·(1/8.5 + 1/11.5) = 3.683
    res = recheck.contingency([[12, 8], [5, 15]], chi2="5.01", df=1, p=".03")
    assert set(verdicts(res)) == {"consistent"}
    assert res.table.loc[0, "recomputed_low"] == pytest.approx(2 * 12.25 * (1 / 8.5 + 1 / 11.5),
                                                               rel=1e-12)
    assert by_check(recheck.contingency([[12, 8], [5, 15]], chi2="3.68"))["chi2"] == "consistent"
    assert by_check(recheck.contingency([[12, 8], [5, 15]], chi2="4.50",
                                        df=2)) == {"chi2": "inconsistent", "df": "inconsistent"}
    with pytest.raises(ValueError, match="^counts: "):
        recheck.contingency([1, 2, 3])


def test_result_summary_and_html_without_source():
    res = recheck.t_test("2.37", 28, ".30")
    assert res.apa() == "1 check: 0 consistent, 0 inconsistent, 1 decision error, 0 not checked."
    assert res.flagged.shape[0] == 1
    assert "<table" in res.to_html()
    assert res.spss_table("nl").columns.tolist() == ["Oordeel", "N"]


# ---------------------------------------------------------------- frequency tables
def test_frequency_percentages_at_their_rounding_edges():
    # 1 of 3 is 33.333…%: 33.3 holds it, 33.4 does not; 2 of 3 is 66.666…%: 66.7 holds it
    res = recheck.frequencies([0, 1], [2, 1], percentages=["66.7", "33.3"])
    assert res.table["verdict"].tolist() == ["consistent", "consistent"]
    res = recheck.frequencies([0, 1], [2, 1], percentages=["66.6", "33.4"])
    assert res.table["verdict"].tolist() == ["inconsistent", "inconsistent"]
    # 1 of 8 is exactly 12.5%: printed as 12.5, 13 or 12 (either rounding of a tie)
    for printed in ("12.5", "13", "12"):
        assert recheck.frequencies([0, 1], [7, 1], percentages=[None, printed]).table[
            "verdict"].tolist() == ["consistent"], printed


def test_frequency_mean_and_sd_against_numpy():
    values, counts = [1, 2, 3, 4, 5], [2, 7, 11, 6, 4]
    answers = np.repeat(values, counts)
    m, s = answers.mean(), answers.std(ddof=1)  # 3.1 and 1.093…
    res = recheck.frequencies(values, counts, n=30, mean=f"{m:.2f}", sd=f"{s:.2f}")
    assert (res.table["verdict"] == "consistent").all()
    res = recheck.frequencies(values, counts, n=31, mean=f"{m + 0.01:.2f}", sd=f"{s + 0.01:.2f}")
    assert (res.table["verdict"] == "inconsistent").all()


@given(st.lists(st.integers(0, 60), min_size=2, max_size=7).filter(lambda c: sum(c) > 1),
       st.sampled_from([0, 1, 2]))
@settings(max_examples=200, deadline=None)
def test_frequency_tables_printed_by_rounding_are_never_flagged(counts, decimals):
    values = list(range(1, len(counts) + 1))
    answers = np.repeat(values, counts)
    pcts = [f"{100 * k / sum(counts):.{decimals}f}" for k in counts]
    res = recheck.frequencies(values, counts, percentages=pcts, n=sum(counts),
                              mean=f"{answers.mean():.2f}", sd=f"{answers.std(ddof=1):.2f}")
    assert (res.table["verdict"] == "consistent").all()


def test_frequency_errors_name_the_argument():
    with pytest.raises(ValueError, match="values and counts"):
        recheck.frequencies([1, 2], [1])
    with pytest.raises(ValueError, match="counts: expected whole"):
        recheck.frequencies([1, 2], [1.5, 2])
    with pytest.raises(ValueError, match="percentages: expected one per count"):
        recheck.frequencies([1, 2], [1, 2], percentages=["50"])
