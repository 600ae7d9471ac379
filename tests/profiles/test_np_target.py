"""NP target characteristics (003: 1720-1760): start/close availability and paired change."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from evalstats.errors import DataValidationError
from profiles import get_rule, np_target_change


def full_frame(n=6):
    body = get_rule("np_target_characteristics").definition
    data = {}
    for item in body.items:
        if item.at_start:
            data[item.id + "_start"] = ["nee"] * n
        if item.at_close:
            data[item.id + "_close"] = ["nee"] * n
    return pd.DataFrame(data)


def test_items_and_moments_follow_the_form():
    body = get_rule("np_target_characteristics").definition
    close_only = {i.id for i in body.items if not i.at_start}
    assert close_only == {"police_justice_contact", "sufficiently_learnable", "mental_health_complaints"}
    assert len(body.items) == 8


def test_change_counts_and_exact_mcnemar():
    df = full_frame(6)
    df["homeless_start"] = ["ja", "ja", "ja", "ja", "nee", "onbekend"]
    df["homeless_close"] = ["nee", "nee", "nee", "ja", "nee", "ja"]
    df["police_justice_contact_close"] = ["ja", "nee", None, "ja", "nee", "nee"]
    r = np_target_change(df)
    h = r.table.loc["homeless"]
    assert (h["yes_start"], h["yes_close"], h["became_no"], h["became_yes"]) == (4, 2, 3, 0)
    assert (h["stayed_yes"], h["stayed_no"], h["n_paired"], h["excluded_unknown"]) == (1, 1, 5, 1)
    # exact McNemar = two-sided binomial test on the 3 discordant pairs: 2 * 0.5**3
    assert h["p_mcnemar"] == pytest.approx(stats.binomtest(0, 3).pvalue) == pytest.approx(0.25)
    p = r.table.loc["police_justice_contact"]
    assert (p["n_start"], p["n_close"], p["yes_close"], p["n_paired"]) == (0, 5, 2, 0)
    assert pd.isna(p["p_mcnemar"])
    assert "Dak- en / of thuisloos" in r.spss_table("nl").index
    assert "homeless and/or roofless: 0 → yes, 3 → no (N = 5, p = .250)" in r.apa()


def test_missing_columns_all_reported():
    df = full_frame().drop(columns=["work_start", "school_close"])
    with pytest.raises(DataValidationError) as err:
        np_target_change(df)
    assert {p.column for p in err.value.problems} == {"work_start", "school_close"}


def test_dutch_sentence():
    df = full_frame(4)
    df["work_start"] = ["nee", "nee", "ja", "nee"]
    df["work_close"] = ["ja", "ja", "ja", "nee"]
    text = np_target_change(df).apa("nl")
    assert "heeft werk: 2 → ja, 0 → nee (N = 4; p = ,500)" in text
    assert "geen verandering" in text
