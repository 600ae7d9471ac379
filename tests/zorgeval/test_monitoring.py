"""Monitoring indicators: closed-form counts on small hand-made frames, period edges, bad
input, an audit of the report's small-cell suppression by linear programming, the report in
English and Dutch, the command and the example script."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from scipy.optimize import linprog

import evalstats
from zorgeval.cli import main
from zorgeval.monitoring import (
    IndicatorSet,
    compute_indicators,
    load_indicators,
    parse_quarter,
    report_periods,
)
from zorgeval.project import load_project, write_example
from zorgeval.report.monitoring import TEXT, monitoring_tables, write_monitoring_report

ROOT = Path(__file__).resolve().parents[2]
LABEL = {"en": "L", "nl": "L"}


def ind(ident, numerator, denominator=None, **kw) -> dict:
    out = {"id": ident, "label": LABEL, "numerator": numerator, **kw}
    if denominator is not None:
        out["denominator"] = denominator
    return out


def run(indicators, frames, quarter="2025Q4", moments=()):
    return compute_indicators(IndicatorSet(indicators=indicators, moments=list(moments)),
                              frames, quarter)


def values(res, ident, column="numerator") -> dict:
    t = res.table[res.table["indicator"] == ident]
    return dict(zip(t["period"], t[column], strict=True))


CASES = pd.DataFrame({
    "family": ["F1", "F2", "F3", "F4", "F5", "F6"],
    "start_date": ["2024-12-31", "2025-01-01", "2025-03-31", "2025-04-01", "2025-09-30", None],
})
STARTED = {"source": "cases", "unit": "family", "date": "start_date"}


# --- closed-form counts and period edges -----------------------------------------------------
def test_quarter_edges_first_day_inclusive_next_quarter_exclusive():
    res = run([ind("started", STARTED)], {"cases": CASES})
    # 2024-12-31 is outside 2025; 03-31 is the last day of Q1, 04-01 the first of Q2
    assert values(res, "started") == {"2025Q1": 2, "2025Q2": 1, "2025Q3": 1, "2025Q4": 0,
                                      "2025": 4}
    assert values(res, "started", "n_undated_numerator") == dict.fromkeys(
        ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2025"], 1)
    year = res.table[res.table["period"] == "2025"].iloc[0]
    assert (year["period_start"], year["period_end"]) == (pd.Timestamp("2025-01-01"),
                                                          pd.Timestamp("2026-01-01"))


def test_year_to_date_ends_with_the_quarter_reported():
    res = run([ind("started", STARTED)], {"cases": CASES}, quarter="2025Q1")
    assert values(res, "started") == {"2025Q1": 2, "2025": 2}
    assert [p.describe() for p in report_periods("2025Q2")] == [
        "2025-01-01 to 2025-03-31", "2025-04-01 to 2025-06-30", "2025-01-01 to 2025-06-30"]
    assert parse_quarter("2024q4").describe() == "2024-10-01 to 2024-12-31"


def test_distinct_units_conditions_and_percentages():
    goals = pd.DataFrame({
        "family": ["F1", "F1", "F2", "F3", "F3", "F4"],
        "goal": ["a", "b", "c", "d", "e", "f"],
        "level": [2, -1, -2, 0, np.nan, 1],
        "end_date": ["2025-02-01"] * 3 + ["2025-05-01"] * 3,
    })
    dated = {"source": "goals", "date": "end_date"}
    reached = [{"column": "level", "op": ">=", "value": 0}]
    present = [{"column": "level", "op": "present"}]
    res = run([
        ind("fam", dated | {"unit": "family", "where": reached},
            dated | {"unit": "family", "where": present}, min_denominator=1,
            target={"value": 60}),
        ind("goal", dated | {"unit": "goal", "where": reached},
            dated | {"unit": "goal", "where": present}, min_denominator=1),
    ], {"goals": goals})
    # Q1: F1 reached one of two goals, F2 none -> 1 of 2 families, 1 of 3 goals
    # Q2: F3 reached d (e unrated, not evaluated), F4 reached f -> 2 of 2 families, 2 of 2 goals
    assert values(res, "fam") == {"2025Q1": 1, "2025Q2": 2, "2025Q3": 0, "2025Q4": 0, "2025": 3}
    assert values(res, "fam", "denominator")["2025"] == 4
    assert values(res, "fam", "value")["2025Q1"] == 50.0
    assert values(res, "fam", "status")["2025Q1"] == "not_met"
    assert values(res, "fam", "status")["2025Q2"] == "met"
    assert values(res, "goal", "value")["2025Q1"] == pytest.approx(100 / 3, abs=1e-12)
    assert values(res, "goal", "value")["2025"] == 60.0
    # a family with goals in two quarters counts once in the year
    twice = goals.assign(end_date=["2025-02-01", "2025-05-01"] + ["2025-05-01"] * 4)
    res = run([ind("fam", dated | {"unit": "family", "where": present})], {"goals": twice})
    assert values(res, "fam")["2025Q1"] + values(res, "fam")["2025Q2"] == 5
    assert values(res, "fam")["2025"] == 4


def test_cumulative_counts_and_membership_of_another_frame():
    prac = pd.DataFrame({"practitioner": ["p1", "p2", "p3", "p4"],
                         "trained": ["2024-06-01", "2025-03-31", "2025-04-01", None]})
    survey = pd.DataFrame({"respondent": ["p2", "p3", "p9"]})
    all_prac = {"source": "practitioners", "unit": "practitioner"}
    res = run([
        ind("trained", all_prac | {"date": "trained", "cumulative": True}, all_prac,
            min_denominator=1),
        ind("answered", all_prac | {"date": "trained", "cumulative": True, "where": [
            {"column": "practitioner", "op": "in", "source": "survey",
             "source_column": "respondent"}]}),
    ], {"practitioners": prac, "survey": survey}, quarter="2025Q2")
    assert values(res, "trained") == {"2025Q1": 2, "2025Q2": 3, "2025": 3}
    assert values(res, "trained", "denominator") == {"2025Q1": 4, "2025Q2": 4, "2025": 4}
    assert values(res, "trained", "value")["2025Q2"] == 75.0
    assert values(res, "answered") == {"2025Q1": 1, "2025Q2": 2, "2025": 2}


@pytest.mark.parametrize("den_size", [0, 3])
def test_a_small_or_empty_denominator_is_too_few_to_judge(den_size):
    cases = pd.DataFrame({"family": [f"F{i}" for i in range(den_size)],
                          "start_date": ["2025-05-05"] * den_size,
                          "goal": ["yes"] * den_size})
    res = run([ind("x", STARTED | {"where": [{"column": "goal", "op": "==", "value": "yes"}]},
                   STARTED, target={"value": 50})], {"cases": cases})
    q2 = res.table[res.table["period"] == "2025Q2"].iloc[0]
    assert q2["status"] == "too_few" and np.isnan(q2["value"])
    assert q2["denominator"] == den_size
    assert res.table["status"].eq("too_few").all()  # never a 0 % of nothing


def test_evaluation_moments_and_decisions():
    goals = pd.DataFrame({"family": [f"F{i}" for i in range(10)],
                          "level": [1] * 6 + [-1] * 4,
                          "end_date": ["2025-06-30"] * 5 + ["2025-07-01"] * 5})
    count = {"source": "goals", "unit": "family", "date": "end_date"}
    indicator = ind("reached", count | {"where": [{"column": "level", "op": ">=", "value": 0}]},
                    count, min_denominator=5)
    moment = {"label": LABEL, "months": 6,
              "criteria": [{"indicator": "reached", "target": {"value": 60}}]}
    res = run([indicator], {"goals": goals}, moments=[
        moment | {"id": "h1", "date": "2025-06-30"}, moment | {"id": "h2", "date": "2025-12-31"},
        moment | {"id": "h0", "date": "2024-12-31"}])
    m = res.moments.set_index("moment")
    # window h1: 2025-01-01 .. 2025-06-30 inclusive: F0-F4, all reached
    assert (m.loc["h1", "numerator"], m.loc["h1", "denominator"]) == (5, 5)
    assert (m.loc["h2", "numerator"], m.loc["h2", "denominator"]) == (1, 5)
    assert m.loc["h0", "denominator"] == 0
    dec = res.decisions().set_index("moment")["decision"].to_dict()
    assert dec == {"h1": "continue", "h2": "stop", "h0": "too_few"}


# --- bad input ---------------------------------------------------------------------------------
def test_an_unknown_column_names_the_indicator_and_the_column():
    with pytest.raises(evalstats.DataValidationError) as err:
        run([ind("started", STARTED | {"unit": "gezin"})], {"cases": CASES})
    assert "indicator 'started' (numerator)" in str(err.value)
    assert "column 'gezin'" in str(err.value)


def test_an_unknown_source_names_the_indicator():
    with pytest.raises(ValueError, match=r"indicator 'started' \(numerator\): no 'goals' data"):
        run([ind("started", STARTED | {"source": "goals"})], {"cases": CASES})


def test_a_period_without_dates_is_refused():
    with pytest.raises(ValidationError, match="indicator 'started': the numerator has no date"):
        IndicatorSet(indicators=[ind("started", {"source": "cases", "unit": "family"})])
    with pytest.raises(ValidationError, match="a cumulative count needs a date column"):
        IndicatorSet(indicators=[ind("s", STARTED, {"source": "cases", "unit": "family",
                                                    "cumulative": True})])


def test_unreadable_dates_and_text_in_a_numeric_condition_name_the_rows():
    bad = CASES.assign(start_date=["2025-01-01", "31-12-2025", "2025-02-30", None, None, None])
    with pytest.raises(evalstats.DataValidationError) as err:
        run([ind("started", STARTED)], {"cases": bad})
    rows = {p.row for p in err.value.problems}
    assert rows == {1, 2} and {p.column for p in err.value.problems} == {"start_date"}
    text = CASES.assign(level=[1, "hoog", 2, 0, 1, 1])
    with pytest.raises(evalstats.DataValidationError, match="column 'level'") as err:
        run([ind("x", STARTED | {"where": [{"column": "level", "op": ">=", "value": 0}]})],
            {"cases": text})
    assert [p.row for p in err.value.problems] == [1]


def test_overlapping_moments_unknown_indicators_and_duplicate_ids():
    moment = {"label": LABEL, "months": 12, "criteria": [{"indicator": "s", "target": {"value": 1}}]}
    base = [ind("s", STARTED)]
    with pytest.raises(ValidationError, match="evaluation moments 'a' .* and 'b' .* overlap"):
        IndicatorSet(indicators=base, moments=[moment | {"id": "a", "date": "2025-06-30"},
                                               moment | {"id": "b", "date": "2025-12-30"}])
    # back to back is fine: the second window starts the day after the first ends
    IndicatorSet(indicators=base, moments=[moment | {"id": "a", "date": "2025-06-30"},
                                           moment | {"id": "b", "date": "2026-06-30"}])
    with pytest.raises(ValidationError, match="evaluation moment 'a': unknown indicator 't'"):
        IndicatorSet(indicators=base, moments=[moment | {"id": "a", "date": "2025-06-30",
                                                         "criteria": [{"indicator": "t",
                                                                       "target": {"value": 1}}]}])
    with pytest.raises(ValidationError, match="indicator id used twice: s"):
        IndicatorSet(indicators=base * 2)
    with pytest.raises(ValidationError, match="missing: nl"):
        IndicatorSet(indicators=[ind("s", STARTED) | {"label": {"en": "S"}}])


def test_an_indicator_file_with_a_wrong_field_names_it(tmp_path):
    path = tmp_path / "ind.toml"
    path.write_text('[[indicators]]\nid = "a"\nlabel = { en = "A", nl = "A" }\n'
                    'numerator = { source = "cases", unit = "family", date = "d", extra = 1 }\n')
    with pytest.raises(ValueError, match=r"ind.toml: indicators.0.numerator.extra: unknown field"):
        load_indicators(path)


def test_builtin_set_matches_the_example_data():
    s = load_indicators("municipal")
    assert [i.id for i in s.indicators] == [
        "families_started", "families_goals_set", "goals_reached", "families_goal_reached",
        "survey_response", "practitioners_trained"]
    assert all(i.label["nl"] != i.label["en"] for i in s.indicators)


# --- suppression audit -------------------------------------------------------------------------
def _display(res, k):
    """The cells a reader sees: (table, position) -> numerator and denominator labels and the
    shown value, from the report's tables."""
    mt = monitoring_tables(res, "en", k)
    by_key = {t.key: t.frame for t in mt.tables}
    return by_key["monitoring_indicators"], by_key.get("monitoring_moments")


def _audit(res, k, shown=None):
    """Independent check of the report: every small count (and every small rest, denominator
    minus numerator) that is hidden must not be pinned down by what the report shows. The
    reader's knowledge is written as linear constraints on one variable per count shown
    anywhere; each hidden small count is minimised and maximised by linear programming."""
    ind_frame, mom_frame = shown or _display(res, k)
    rows = [("q", r, d) for r, d in zip(res.table.itertuples(index=False),
                                         ind_frame.itertuples(index=False), strict=True)]
    if mom_frame is not None:
        rows += [("m", r, d) for r, d in zip(res.moments.itertuples(index=False),
                                              mom_frame.itertuples(index=False), strict=True)]
    var: dict[tuple, int] = {}
    truth: list[float] = []
    eq_rows, ub_rows = [], []

    def v(key, value):
        if key not in var:
            var[key] = len(truth)
            truth.append(float(value))
        return var[key]

    def vec(coefs):
        out = np.zeros(len(truth))
        for i, c in coefs:
            out[i] += c
        return out

    cells = []  # (variable, label)
    pairs = []  # (num var, den var) with num <= den
    spans: dict[tuple, dict] = {}
    sets = res.indicators
    for kind, r, d in rows:
        i = sets.indicator(r.indicator)
        start = r.period_start if kind == "q" else r.start
        end = r.period_end if kind == "q" else r.end
        pkind = r.kind if kind == "q" else "moment"

        def key(count, start=start, end=end):
            if count.date is None:
                return (count.key(), None, None)
            return (count.key(), None if count.cumulative else start, end)

        n = v(key(i.numerator), r.numerator)
        cells.append((n, d.Numerator))
        if not (i.numerator.cumulative or i.numerator.date is None):
            spans.setdefault(i.numerator.key(), {})[(start, end)] = (n, pkind)
        if i.denominator is not None:
            m = v(key(i.denominator), r.denominator)
            cells.append((m, d.Denominator))
            if r.numerator <= r.denominator:
                pairs.append((n, m))
            if not (i.denominator.cumulative or i.denominator.date is None):
                spans.setdefault(i.denominator.key(), {})[(start, end)] = (m, pkind)
            if d.Value not in ("", "–"):
                pct = float(r.value)  # the exported cell carries the exact percentage
                eq_rows.append(("pct", n, m, pct))
    nvar = len(truth)
    a_eq, b_eq = [], []
    for item in eq_rows:
        _, n, m, pct = item
        a_eq.append(vec([(n, 1.0), (m, -pct / 100)]))
        b_eq.append(0.0)
    for group in spans.values():  # a reader may assume the quarters add up when they do
        quarters = {s: (e, x) for (s, e), (x, kd) in group.items() if kd == "quarter"}
        for (s, e), (total, _) in group.items():
            parts, at = [], s
            while at in quarters and at < e:
                at, x = quarters[at]
                parts.append(x)
            if at == e and len(parts) >= 2 and total not in parts \
                    and sum(truth[p] for p in parts) == truth[total]:
                a_eq.append(vec([(p, 1.0) for p in parts] + [(total, -1.0)]))
                b_eq.append(0.0)
    bounds = [(0, None)] * nvar
    for x, label in cells:
        if re.fullmatch(r"\d+", label):
            bounds[x] = (float(label), float(label))
        elif label == f"<{k}":
            bounds[x] = (1, k - 1)
        else:
            assert label == "x", label
    for n, m in pairs:
        ub_rows.append(vec([(n, 1.0), (m, -1.0)]))
    a_ub = np.array(ub_rows) if ub_rows else None
    b_ub = np.zeros(len(ub_rows)) if ub_rows else None
    a_eq_arr = np.array(a_eq) if a_eq else None
    b_eq_arr = np.array(b_eq) if b_eq else None

    t = np.array(truth)
    assert all(lo <= x and (hi is None or x <= hi) for x, (lo, hi) in zip(t, bounds, strict=True))
    assert a_ub is None or (a_ub @ t <= 1e-9).all()
    assert a_eq_arr is None or np.allclose(a_eq_arr @ t, 0), np.flatnonzero(
        ~np.isclose(a_eq_arr @ t, 0))

    def spread(objective):
        lo = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq_arr, b_eq=b_eq_arr,
                     bounds=bounds, method="highs")
        hi = linprog(-objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq_arr, b_eq=b_eq_arr,
                     bounds=bounds, method="highs")
        assert lo.status == 0 and hi.status in (0, 3)  # feasible (3: no upper bound)
        return lo.fun, (np.inf if hi.status == 3 else -hi.fun)

    checked = 0
    labels = dict(cells)
    for x in range(nvar):
        if 0 < truth[x] < k and labels[x] != str(int(truth[x])):
            lo, hi = spread(vec([(x, 1.0)]))
            assert np.floor(hi + 1e-7) > np.ceil(lo - 1e-7), \
                f"hidden count {truth[x]} is pinned to {lo}..{hi}"
            checked += 1
    for n, m in pairs:
        rest = truth[m] - truth[n]
        if 0 < rest < k and not (labels[n].isdigit() and labels[m].isdigit()):
            lo, hi = spread(vec([(m, 1.0), (n, -1.0)]))
            assert np.floor(hi + 1e-7) > np.ceil(lo - 1e-7), f"rest {rest} is pinned to {lo}..{hi}"
            checked += 1
        if 0 < rest < k and labels[n].isdigit() and labels[m].isdigit():
            pytest.fail(f"a small rest {rest} is shown as {labels[m]} - {labels[n]}")
    return checked


AUDIT_SET = [
    ind("started", STARTED),
    ind("with_goals", {"source": "goals", "unit": "family", "date": "start_date"}, STARTED,
        min_denominator=1),
    ind("reached", {"source": "goals", "unit": "family", "date": "end_date",
                    "where": [{"column": "level", "op": ">=", "value": 0}]},
        {"source": "goals", "unit": "family", "date": "end_date"}, min_denominator=1),
    ind("trained", {"source": "practitioners", "unit": "practitioner", "date": "trained",
                    "cumulative": True}, {"source": "practitioners", "unit": "practitioner"},
        min_denominator=1),
]
AUDIT_MOMENTS = [{"id": "half", "label": LABEL, "date": "2025-06-30", "months": 6,
                  "criteria": [{"indicator": "reached", "target": {"value": 50}}]}]


def _frames(starts, ends, levels, trained):
    n = len(starts)
    day = pd.Timestamp("2025-01-01")
    cases = pd.DataFrame({"family": [f"F{i}" for i in range(n)],
                          "start_date": [str((day + pd.Timedelta(days=s)).date()) for s in starts]})
    goals = pd.DataFrame({"family": cases["family"], "start_date": cases["start_date"],
                          "end_date": [str((day + pd.Timedelta(days=e)).date()) for e in ends],
                          "level": levels})
    goals = goals[np.arange(n) % 3 != 0]  # not every family has goals
    prac = pd.DataFrame({"practitioner": [f"P{i}" for i in range(len(trained))],
                         "trained": [None if t < 0 else str((day + pd.Timedelta(days=t)).date())
                                     for t in trained]})
    return {"cases": cases, "goals": goals, "practitioners": prac}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(8, 40).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 272), min_size=n, max_size=n),
    st.lists(st.integers(0, 272), min_size=n, max_size=n),
    st.lists(st.integers(-2, 2), min_size=n, max_size=n),
    st.lists(st.integers(-1, 272), min_size=3, max_size=15))),
    st.sampled_from([3, 5, 10]))
def test_no_suppressed_count_can_be_recomputed(data, k):
    frames = _frames(*data)
    res = compute_indicators(IndicatorSet(indicators=AUDIT_SET, moments=AUDIT_MOMENTS), frames,
                             "2025Q3")
    _audit(res, k)


def test_the_audit_sees_what_a_single_suppression_would_leak():
    # 3 + 11 families started; Q1 alone hidden would follow from the year 14 minus Q2 11
    frames = _frames([10] * 3 + [100] * 11, [10] * 14, [2] * 14, [5] * 5)
    res = compute_indicators(IndicatorSet(indicators=AUDIT_SET[:1]), frames, "2025Q2")
    frame, _ = _display(res, 5)
    assert frame["Numerator"].tolist() == ["<5", "x", "14"]
    assert _audit(res, 5) == 1
    leaky = frame.assign(Numerator=["<5", "11", "14"])
    with pytest.raises(AssertionError, match="pinned"):
        _audit(res, 5, shown=(leaky, None))


def test_example_data_report_passes_the_audit():
    from zorgeval.synthetic import load_bundled

    d = load_bundled("reset")
    goals = d["goals"].merge(d["families"], on="family", how="left")
    frames = {"cases": d["families"], "goals": goals, "survey": d["survey"],
              "practitioners": d["practitioners"]}
    for quarter in ("2014Q2", "2015Q3", "2016Q4"):
        res = compute_indicators(load_indicators("municipal"), frames, quarter)
        assert _audit(res, 5) >= 0
    res = compute_indicators(load_indicators("municipal"), frames, "2015Q3")
    assert _audit(res, 5) > 0  # the goals not reached are few: something is hidden


# --- the report, the command and the example ---------------------------------------------------
@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return write_example("reset", tmp_path_factory.mktemp("ex"))


def test_text_is_fully_translated():
    assert TEXT["en"].keys() == TEXT["nl"].keys()
    assert all(TEXT["en"][k] != TEXT["nl"][k] for k in TEXT["en"] if k not in
               ("indicator", "status", "count_of"))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_monitoring_report_folder(example, tmp_path, lang):
    files = write_monitoring_report(load_project(example), tmp_path / "m", quarter="2015Q3",
                                    lang=lang)
    html = files.html.read_text(encoding="utf-8")
    csv = pd.read_csv(tmp_path / "m" / "indicators.csv", dtype=str)
    words = {"en": ("Indicators per quarter", "Numerator", "continue", "not met"),
             "nl": ("Indicatoren per kwartaal", "Teller", "doorgaan", "niet gehaald")}[lang]
    for w in words:
        assert w in html
    other = {"en": "Teller", "nl": "Numerator"}[lang]
    assert other not in html
    assert list(csv["Periode" if lang == "nl" else "Period"].unique()) == [
        "2015Q1", "2015Q2", "2015Q3", "2015"]
    col = "Teller" if lang == "nl" else "Numerator"
    assert "x" in set(csv[col])  # the goals reached in 2015Q3: the few not reached are protected
    assert files.written == ("decisions.csv", "indicators.csv", "moments.csv", "report.html")


def test_zorgeval_report_has_the_monitoring_section(example, tmp_path):
    assert main(["report", str(example), "-o", str(tmp_path / "r"), "-q", "--lang", "nl"]) == 0
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "Monitoringsindicatoren (2015Q3)</h2>" in html
    assert (tmp_path / "r" / "tables" / "monitoring_indicators.csv").is_file()


def test_monitor_command(example, tmp_path, capsys):
    assert main(["monitor", str(example), "-o", str(tmp_path / "m"), "--quarter", "2016Q1"]) == 0
    assert "monitoring report 2016Q1 written to" in capsys.readouterr().out
    assert main(["monitor", str(example), "-o", str(tmp_path / "n"), "--quarter", "2016-1"]) == 1
    assert "quarter '2016-1': expected YYYYQn" in capsys.readouterr().err


def test_min_cell_below_one_is_refused(example, tmp_path):
    with pytest.raises(ValueError, match="min_cell must be at least 1, got 0"):
        write_monitoring_report(load_project(example), tmp_path / "m", min_cell=0)


def test_a_project_without_monitoring(tmp_path):
    path = write_example("np", tmp_path)
    with pytest.raises(ValueError, match=r"no \[monitoring\] section"):
        write_monitoring_report(load_project(path), tmp_path / "m")


def test_example_script_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["monitoring_report.py", str(tmp_path / "out")])
    runpy.run_path(str(ROOT / "examples" / "monitoring_report.py"), run_name="__main__")
    assert (tmp_path / "out" / "en" / "report.html").is_file()
    assert (tmp_path / "out" / "nl" / "indicators.csv").is_file()


@pytest.mark.parametrize(("n_reached", "n_families", "shown"), [
    # 4 of 6 reached a goal: the hidden numerator lies in 1..4, and "continue" (at least 60 %)
    # would say it is 4
    (4, 6, False),
    # 2 of 40: every numerator of 1..4 is below 60 %, so "stop" tells nothing more
    (2, 40, True),
])
def test_a_decision_never_gives_back_a_hidden_count(n_reached, n_families, shown):
    goals = pd.DataFrame({"family": [f"F{i}" for i in range(n_families)],
                          "level": [1] * n_reached + [-1] * (n_families - n_reached),
                          "end_date": "2025-06-30"})
    count = {"source": "goals", "unit": "family", "date": "end_date"}
    indicator = ind("reached", count | {"where": [{"column": "level", "op": ">=", "value": 0}]},
                    count, min_denominator=5)
    res = run([indicator], {"goals": goals}, moments=[
        {"id": "h1", "label": LABEL, "months": 6, "date": "2025-06-30",
         "criteria": [{"indicator": "reached", "target": {"value": 60}}]}])
    tab = next(t for t in monitoring_tables(res, "en", 5).tables
               if t.key == "monitoring_decisions").frame
    decision = tab["Decision"].iloc[0]
    assert (decision != "–") is shown
    if shown:
        assert decision == res.decision_text(res.decisions()["decision"].iloc[0], "en")
    else:
        assert tab["Criteria met"].iloc[0] == "–"
