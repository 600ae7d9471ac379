"""evalstats.recheck.text and .table: finding statistics in English and Dutch text and tables.

The seed texts (the dissertation 003 and the pilot report 000) lie in ``shared/seeds/`` beside
the repository; the tests that read them skip when they are absent. The findings asserted there
were verified by hand (the arithmetic is in the comments).
"""

from __future__ import annotations

import re
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import evalstats
from evalstats import recheck

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
DISSERTATION = SEEDS / "003_52d41406753d5716.txt"
PILOT = SEEDS / "000_617ca2a99f75327d.txt"


def one(text: str, lang: str = "en") -> pd.Series:
    t = recheck.text(text, lang=lang).table
    assert len(t) == 1, t
    return t.loc[0]


@pytest.mark.parametrize("text, statistic, df, value, p, verdict", [
    ("t(28) = 2.37, p = .03", "t", "28", 2.37, "p = .03", "consistent"),
    ("T(28)=2,37; p=,03", "t", "28", 2.37, "p=,03", "consistent"),
    ("F(2; 121) = 9,20; p < ,001", "F", "2, 121", 9.20, "p < ,001", "consistent"),
    ("F(2, 121) = 9.20, p < .001", "F", "2, 121", 9.20, "p < .001", "consistent"),
    ("χ2(3) = 7.8, p = .05", "chi2", "3", 7.8, "p = .05", "consistent"),
    ("chi2(3) = 7.8, p = .05", "chi2", "3", 7.8, "p = .05", "consistent"),
    ("X2(3, N = 120) = 7.8, p = .05", "chi2", "3", 7.8, "p = .05", "consistent"),
    ("χ²(3) = 7,8; p = ,05", "chi2", "3", 7.8, "p = ,05", "consistent"),
    ("r(48) = .32, p = .02", "r", "48", 0.32, "p = .02", "consistent"),
    ("z = 1.96, p = .05", "z", "", 1.96, "p = .05", "consistent"),
    ("Wald = 4.1 (df 1), p = .04", "Wald", "1", 4.1, "p = .04", "consistent"),
    ("t(28) = 2.37 (one-sided), p = .03", "t", "28", 2.37, "p = .03", "consistent"),
    ("t(28) = 2.37, eenzijdig p = .03", "t", "28", 2.37, "p = .03", "consistent"),
    ("t(28) = 2.37, n.s.", "t", "28", 2.37, "n.s.", "decision error"),
    ("Welch's t(27.59) = 0.23, p = .820", "t", "27.59", 0.23, "p = .820", "consistent"),
    ("F (3; \n64)=8,27; \np=.00", "F", "3, 64", 8.27, "p=.00", "consistent"),
    ("F(2, 57) = 3.44 (p < .05)", "F", "2, 57", 3.44, "p < .05", "consistent"),
])
def test_apa_formats(text, statistic, df, value, p, verdict):
    row = one(text)
    assert (row.statistic, row.df, row.p, row.verdict) == (statistic, df, p, verdict)
    assert row.value == pytest.approx(value)
    assert row.line == 1


@pytest.mark.parametrize("text, reason", [
    ("F(2, 121) = 9.20", "no p value printed"),
    ("r = .32, p = .01", "no degrees of freedom"),
    ("we found F = 3.2 and p = .04", "recognised as a statistic"),
    ("t(28) = , p = .03", "recognised as a statistic"),
])
def test_recognised_but_not_checkable_is_not_checked_with_reason(text, reason):
    row = one(text)
    assert row.verdict == "not checked" and row.explanation.startswith(reason)


def test_line_numbers_and_several_statistics():
    src = "Intro.\nA: t(28) = 2.37, p = .03; B: t(28) = 2.37,\np = .30.\nNo numbers here.\n"
    t = recheck.text(src).table
    assert t["line"].tolist() == [2, 2]
    assert t["verdict"].tolist() == ["consistent", "decision error"]


def test_dutch_explanations():
    row = one("F(3; 65)=2,67; p=.03", lang="nl")
    assert row.verdict == "decision error"
    assert "de gedrukte p maakt het resultaat significant bij ,05" in row.explanation


def test_text_reads_a_file_and_complains_about_a_missing_one(tmp_path):
    f = tmp_path / "report.txt"
    f.write_text("t(28) = 2.37, p = .03\n", encoding="utf-8")
    assert recheck.text(str(f)).table.loc[0, "verdict"] == "consistent"
    assert recheck.text(f).table.loc[0, "verdict"] == "consistent"
    with pytest.raises(FileNotFoundError):
        recheck.text(str(tmp_path / "absent.txt"))


def test_html_marks_each_statistic_with_its_verdict():
    res = recheck.text("A t(28) = 2.37, p = .30 <here>.")
    page = res.to_html()
    assert '<mark class="decision-error"' in page and "title=\"t(28) = 2.37, p = .30 gives" in page
    assert "&lt;here&gt;" in page


# ---------------------------------------------------------------- tables typed in text

ANOVA_TABLE = """Tabel 38 Factorial ANOVA - Module Opvoeden kinddoel 3
Type111SS df MS F p ηp²

Correct Model  6,34ª  3  1,12  16,48 ,00 ,63
Intercept  ,03  1  ,03  ,21 ,65 ,01
ACT1 Samen instanties bezoeken 1,01  1  1,01  8,42 ,01 ,23
Gezinsprofiel A + B ,00  0 ,00
Error  3,72  29  ,13
Totaal  742,21  33
Correct Totaal  10,07  32

ª R²=,63 (R²adj =,59)
"""


def test_anova_table_in_text():
    t = recheck.text(ANOVA_TABLE, lang="nl").table
    flagged = t[t.verdict == "inconsistent"][["line", "check"]].values.tolist()
    # MS 6,34/3 = 2.11 ≠ 1,12; ACT1: F = 1,01/(3,72/29) = 7.87 ≠ 8,42, η² = 1,01/4,73 = .214
    assert flagged == [[4, "MS"], [6, "F"], [6, "partial η²"]]
    assert t[(t.line == 7)]["verdict"].tolist() == ["not checked"]  # df 0
    assert t[(t.line == 8)]["check"].tolist() == ["MS_error"]  # 3,72/29 = .128 → ,13
    # Totaal df 33 = 3 + 29 + 1; Correct Totaal SS 6,34 + 3,72 = 10,06 (10,05…10,07), df 3 + 29
    assert t[t.line == 9][["check", "verdict"]].values.tolist() == [["df", "consistent"]]
    assert t[t.line == 10][["check", "verdict"]].values.tolist() == [["SS", "consistent"],
                                                                      ["df", "consistent"]]


def test_anova_total_that_does_not_add_up_is_flagged():
    src = ("SS df MS F p\nCorrected Model 25,31 1 25,31 445,68 ,00\nIntercept ,09 1 ,09 1,63 ,21\n"
           "Error 3,01 53 ,06\nTotal 1105,95 55\nCorrected Total 26,32 54\n")
    t = recheck.text(src).table
    # 25,31 + 3,01 = 28,32, not 26,32 (003: 7403); df 1 + 53 = 54 and 54 + 1 = 55 are right
    assert t[t.line == 6][["check", "verdict"]].values.tolist() == [["SS", "inconsistent"],
                                                                     ["df", "consistent"]]
    assert t[t.line == 5]["verdict"].tolist() == ["consistent"]
    # a one-way table: Total is the corrected total
    oneway = recheck.text("Sum of Squares df Mean Square F Sig.\nBetween Groups 12,30 2 6,15 3,08 ,06\n"
                          "Within Groups 60,00 30 2,00\nTotal 72,30 32\n").table
    assert set(oneway.verdict) == {"consistent"} and len(oneway) == 6


LOGISTIC_TABLE = """Tabel 15 Logistische regressie

Exp(B) Wald

Sociaal isolement 3,43* 6,90
Ernstige ziekte bij gezinslid -0,33* 7,83
Motivatie 1,16** 4,07
Jonge ouders 1,14 ,16
ꭕ2 (df=5) 39,05
* p≤ .05 **p≤ .01
"""


def test_exp_b_wald_table_in_text():
    t = recheck.text(LOGISTIC_TABLE).table
    rows = {(r.line, r.check): r.verdict for r in t.itertuples()}
    assert rows[(6, "Exp(B)")] == "inconsistent"  # negative odds ratio
    # Wald 4.07 (df 1): p = .044, not <= .01 as "**" says
    assert rows[(7, "p")] == "inconsistent"
    # no stars in a starred table: p > .05; Wald .16 gives p = .69
    assert rows[(8, "p")] == "consistent"
    assert rows[(5, "p")] == "consistent"
    chi = t[t.line == 9].iloc[0]
    assert (chi.statistic, chi.verdict) == ("chi2", "not checked")
    assert 10 not in t["line"].tolist()  # the footnote is not a row


def test_full_logistic_table_in_text():
    src = "B S.E. Wald df Sig. Exp(B)\nLeeftijd 1,33 ,38 12,25 1 ,000 3,78\nSekse ,50 ,40 1,56 1 ,21 -1,65\n"
    t = recheck.text(src).table
    assert set(t[t.line == 2].verdict) == {"consistent"}
    assert t[(t.line == 3) & (t.check == "Exp(B)")].verdict.tolist() == ["inconsistent"]


# ---------------------------------------------------------------- CSV and Excel tables


def test_table_from_csv_with_mapping(tmp_path):
    f = tmp_path / "glm.csv"
    f.write_text("Bron;Kwadratensom;df;Gem;F;Sig\nGroep;12,3;2;6,15;3,08;,06\nError;60,0;30;2,00;;\n",
                 encoding="utf-8")
    mapping = {"ss": "Kwadratensom", "df": "df", "ms": "Gem", "f": "F", "p": "Sig"}
    res = recheck.table(f, "anova", mapping, label="Bron")
    assert set(res.table.verdict) == {"consistent"}
    with pytest.raises(ValueError, match="column 'SS' \\(for ss\\) is not in the table"):
        recheck.table(f, "anova", {"ss": "SS"})
    with pytest.raises(ValueError, match="kind must be one of"):
        recheck.table(f, "regression")


def test_table_from_excel_with_mapping(tmp_path):
    # cells typed as text keep their printed decimals (2,00 is not 2)
    import pandas as pd

    f = tmp_path / "glm.xlsx"
    pd.DataFrame({"Bron": ["Groep", "Error"], "Kwadratensom": ["12,3", "60,0"], "df": ["2", "30"],
                  "Gem": ["6,15", "2,00"], "F": ["5,08", ""]}).to_excel(f, index=False)
    mapping = {"ss": "Kwadratensom", "df": "df", "ms": "Gem", "f": "F"}
    res = recheck.table(f, "anova", mapping, label="Bron")
    assert res.table[["check", "verdict"]].values.tolist() == [
        ["MS_error", "consistent"], ["MS", "consistent"], ["F", "inconsistent"]]  # 6,15/2,00 = 3,08


# ---------------------------------------------------------------- the library's own output


def _sample(seed: int, n: int, k: int):
    rng = np.random.default_rng(seed)
    g = np.repeat([f"g{i}" for i in range(k)], n)
    shift = np.repeat(rng.normal(0, 0.6, k), n)
    x = rng.normal(size=n * k)
    y = 3 + shift + 0.4 * x + rng.normal(size=n * k)
    b = (rng.random(n * k) < 1 / (1 + np.exp(-(x + 0.5 * (y - 3))))).astype(int)
    return pd.DataFrame({"y": y, "g": g, "x": x, "b": b})


def _apa_t(r, d: int, lang: str) -> str:
    num = evalstats.fmt_num
    return (f"t({r.df:g}) = {num(r.t, d, lang)}{'; ' if lang == 'nl' else ', '}"
            f"{evalstats.fmt_p(r.p, lang, decimals=d)}")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n=st.integers(8, 40), k=st.integers(2, 5),
       d=st.sampled_from([2, 3]), lang=st.sampled_from(["en", "nl"]))
@example(seed=158, n=8, k=2, d=2, lang="en")  # x separates b completely in this sample
def test_own_procedures_printed_at_2_or_3_decimals_are_never_flagged(seed, n, k, d, lang):
    data = _sample(seed, n, k)
    num, sep = evalstats.fmt_num, "; " if lang == "nl" else ", "
    parts = []
    tt = evalstats.ttest_ind(data[data.g.isin(["g0", "g1"])], "y", "g", groups=("g0", "g1"))
    parts += [_apa_t(tt.student, d, lang), tt.apa(lang, variant="welch")]
    ow = evalstats.oneway_anova(data, "y", "g").table
    parts.append(f"F({ow.df[0]:g}{sep.strip()} {ow.df[1]:g}) = {num(ow.F[0], d, lang)}{sep}"
                 f"{evalstats.fmt_p(ow.p[0], lang, decimals=d)}")
    parts.append(evalstats.correlation(data, "x", "y").apa(lang))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", evalstats.LowExpectedCountWarning)
        parts.append(evalstats.chi_square(pd.crosstab(data.g, data.b)).apa(lang))
    fa = evalstats.factorial_anova(data, "y", factors=["g"], covariates=["x"])
    parts.append(fa.apa(lang))
    lines = ["Type III SS df MS F p ηp²"]
    for r in fa.table.itertuples():
        vals = [r.SS, r.df, r.MS, r.F, r.p, r.partial_eta2]
        cells = [num(v, 0 if i == 1 else d, lang, leading_zero=i != 4 and i != 5)
                 for i, v in enumerate(vals) if not pd.isna(v)]
        lines.append(f"{r.source} " + " ".join(cells))
    # Firth's penalty keeps small simulated samples free of separation; the row identities
    # (Wald = (B/SE)², Exp(B) = e^B) hold all the same
    lo = evalstats.logistic_regression(data, "b", ["x", "y"], firth=True)
    parts.append(lo.apa(lang))
    lines += ["", "B S.E. Wald df Sig. Exp(B)"]
    for r in lo.table.itertuples():
        cells = [num(r.B, d, lang), num(r.SE, d, lang), num(r.Wald, d, lang), f"{r.df:g}",
                 num(r.p, d, lang, leading_zero=False), num(r.exp_B, d, lang)]
        lines.append(f"{r.term} " + " ".join(cells))
    source = ". ".join(parts) + ".\n\n" + "\n".join(lines) + "\n"
    res = recheck.text(source, lang=lang)
    assert res.flagged.empty, res.flagged[["text", "explanation"]].to_string()
    # every statistic and every table row is read and checked
    assert (res.table.verdict == "not checked").sum() == 0
    assert (res.table.verdict == "consistent").sum() >= 7 + 4 * len(fa.table) - 4


# ---------------------------------------------------------------- the seed texts

needs_dissertation = pytest.mark.skipif(not DISSERTATION.is_file(),
                                        reason="dissertation seed text not beside the repository")
needs_pilot = pytest.mark.skipif(not PILOT.is_file(),
                                 reason="pilot report seed text not beside the repository")


@pytest.fixture(scope="module")
def dissertation():
    start = time.perf_counter()
    res = recheck.text(DISSERTATION, lang="nl")
    return res, time.perf_counter() - start


@needs_dissertation
def test_dissertation_known_findings(dissertation):
    res, seconds = dissertation
    assert seconds < 5
    t = res.table

    def verdict(line, check):
        return t[(t.line == line) & (t.check == check)].verdict.tolist()

    # 003: 3979, Tabel 15: "Ernstige ziekte bij gezinslid -0,33* 7,83": a negative Exp(B)
    assert verdict(3979, "Exp(B)") == ["inconsistent"]
    # 003: 5127: F(3; 65) = 2,67 gives p = .055, printed p = .03: a decision error
    assert verdict(5127, "p") == ["decision error"]
    # 003: 4498: F(3; 65) = 4,75 gives p = .0047, printed p = .01 (would be ,00)
    assert verdict(4498, "p") == ["inconsistent"]
    # 003: 6059, Tabel 38, ACT1: F = 1,01 / (3,72/29) = 7.87, printed 8,42
    assert verdict(6059, "F") == ["inconsistent"]
    # 003: 5881: F(4; 42) = 25,58; p = .00 is fine, and so is its table row (003: 5859)
    assert verdict(5881, "p") == ["consistent"]
    assert set(t[t.line == 5859].verdict) == {"consistent"}
    # 003: 7403, Tabel 52: Correct Totaal 26,32 while model 25,31 + error 3,01 = 28,32
    assert verdict(7403, "SS") == ["inconsistent"]
    # only one decision error in the whole text; every flag has an explanation
    assert (t.verdict == "decision error").sum() == 1
    assert t.explanation.str.len().min() > 10


@needs_dissertation
def test_dissertation_every_statistic_is_read(dissertation):
    res, _ = dissertation
    t = res.table
    # every "F(" with a "=" in the text is a row of the table
    text = DISSERTATION.read_text(encoding="utf-8")
    printed = len(re.findall(r"(?<![\w/-])F\s*\(\s*\d+\s*[;,]\s*\d+\s*\)\s*=", text))
    assert (t.statistic == "F").sum() >= printed


@needs_pilot
def test_pilot_report_mixed_model_tables():
    t = recheck.text(PILOT, lang="nl").table

    def verdict(line, check):
        return t[(t.line == line) & (t.check == check)].verdict.tolist()

    # Tabel 2 (000: 1925), Leeftijd kind: t = -0,32 with p = 0,075; every df gives p >= .745
    assert verdict(1925, "p") == ["inconsistent"]
    # Tabel 4 (000: 1958), T1: t(141,8) = 3,45 gives p = .00073, printed 0,000 (p < .0005)
    assert verdict(1958, "p") == ["inconsistent"]
    # Tabel 3 (000: 1937), Rondkomen moeilijk: -12,56 / 5,44 = -2.31, p = 0,024: consistent
    assert set(t[t.line == 1937].verdict) == {"consistent"}
    # the intercept rows print no t or p: not checked with the reason
    assert t[t.line == 1906].explanation.str.contains("kolommen").all()
