"""Rounding and p-value formatting: half up on the written decimal value, one p rule."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalstats.format import fmt_num, fmt_p, p_spss, round_half_up


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (4.125, 2, "4.13"),
        (2.675, 2, "2.68"),
        (0.125, 2, "0.13"),
        (1.005, 2, "1.01"),
        (-4.125, 2, "-4.13"),
        (0.5, 0, "1"),
        (2.5, 0, "3"),
        (7.2249, 2, "7.22"),
        (-0.004, 2, "0.00"),
        (np.float64(4.125), 2, "4.13"),
        (np.int64(3), 1, "3.0"),
        (12, 2, "12.00"),
    ],
)
def test_fmt_num_rounds_half_up_as_written(x, decimals, expected):
    assert fmt_num(x, decimals) == expected


def test_fmt_num_lang_and_leading_zero():
    assert fmt_num(0.125, 2, "nl", leading_zero=False) == ",13"
    assert fmt_num(-0.455, 2, leading_zero=False) == "-.46"
    assert fmt_num(float("nan")) == "NaN"
    assert fmt_num(float("inf")) == "∞"


P_CASES = {  # p: (English, Dutch)
    0.0321: (".032", ",032"),
    0.283: (".283", ",283"),
    0.0405: (".041", ",041"),
    0.001: (".001", ",001"),
    0.00099: ("< .001", "< ,001"),
    0.0004: ("< .001", "< ,001"),
    0.0: ("< .001", "< ,001"),
    1.0: ("1.000", "1,000"),
}


@pytest.mark.parametrize("p", list(P_CASES))
def test_one_p_rule_for_tables_and_sentences(p):
    en, nl = P_CASES[p]
    assert p_spss(p) == en
    assert p_spss(p, "nl") == nl
    sign = "p " if en.startswith("<") else "p = "
    assert fmt_p(p) == sign + en
    assert fmt_p(p, "nl") == sign + nl


def test_p_missing():
    assert p_spss(float("nan")) == ""
    assert fmt_p(float("nan")) == "p = NaN"


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(finite, st.integers(min_value=0, max_value=4))
def test_fmt_num_within_half_a_unit_of_the_written_value(x, d):
    # The printed number differs from the written value by at most half a unit in the last place,
    # and a tie always moves away from zero.
    s = fmt_num(x, d)
    diff = Decimal(s) - Decimal(repr(x))
    half = Decimal(1).scaleb(-d) / 2
    assert abs(diff) <= half
    if abs(diff) == half:
        assert abs(Decimal(s)) > abs(Decimal(repr(x)))


@given(finite, st.integers(min_value=0, max_value=4))
def test_fmt_num_nl_is_en_with_a_comma(x, d):
    assert fmt_num(x, d, "nl") == fmt_num(x, d).replace(".", ",")
    assert Decimal(fmt_num(x, d)) == round_half_up(x, d)


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_p_never_prints_zero_and_has_no_leading_zero(p):
    s = p_spss(p)
    assert s != ".000"
    assert not s.startswith("0")
    if p < 0.001:
        assert s == "< .001"
    else:
        assert abs(Decimal(s) - Decimal(repr(p))) <= Decimal("0.0005")
