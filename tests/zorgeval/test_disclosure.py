"""Disclosure control: no suppressed value can be derived from what the report shows.

The suppression helper is checked on hand-built tables and, with hypothesis, against a
brute-force reader who knows every shown cell and total, that "<k" means 1 … k-1 and "x" at
least 0, and works through one row or column equation at a time. The report is built from
synthetic data with groups of 1, 3 and 4 (and larger ones) and read back from its CSV tables,
Markdown page and figures.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zorgeval import run_evaluation, write_report
from zorgeval.report import builder as builder_module
from zorgeval.report.builder import Suppressor, protected_levels
from zorgeval.report.disclosure import protect

K = 5
HIDDEN = {f"<{K}", "x"}
ITEM = "LD4"  # an item that every respondent of the test data answered


# ---------------------------------------------------------------- the attacker
def _feasible(members: list[tuple[str, float]], total: tuple[str, float], k: int, cap: int,
              target: int) -> set[int]:
    """Values of one member (an index into ``members``; -1 = the total) consistent with the one
    equation ``sum(members) - total = 0``, given what a reader knows of each member:
    ``("shown", v)``, ``("primary", _)`` (1 … k-1) or ``("unknown", _)`` (0 … cap)."""

    def values(kind, v):
        if kind == "shown":
            return {int(v)}
        if kind == "primary":
            return set(range(1, k))
        return set(range(cap + 1))

    terms = [(1, m) for m in members] + [(-1, total)]
    target = target % len(terms)
    others = {0}  # every achievable sum of the other terms, with their signs
    for i, (sign, (kind, v)) in enumerate(terms):
        if i != target:
            others = {a + sign * b for a in others for b in values(kind, v)}
    sign = terms[target][0]
    return {x for x in values(*terms[target][1]) if -sign * x in others}


def _reader(labels: list[str], total_label: str, exact_rest: float, k: int, cap: int):
    """The members of one line as a reader sees them; an unpublished remainder is unknown."""
    def kind(label):
        return ("primary", 0) if label == f"<{k}" else ("unknown", 0) if label == "x" else \
               ("shown", float(label))
    members = [kind(lab) for lab in labels]
    if exact_rest > 0:
        members.append(("unknown", 0))
    return members, kind(total_label)


def _disclosed(labels, total_label, true_cells, total, k, cap) -> list[int]:
    """Members of one line (cells, remainder, then -1 for the total) that one equation pins to a
    single value, among those that need protection (hidden ones, a small remainder)."""
    rest = total - sum(true_cells)
    members, tot = _reader(labels, total_label, rest, k, cap)
    out = []
    for i, (kind, _) in enumerate(members):
        small_rest = i == len(labels) and 0 < rest < k
        if kind != "shown" or small_rest:
            if len(_feasible(members, tot, k, cap, i)) == 1:
                out.append(i)
    if tot[0] != "shown" and len(_feasible(members, tot, k, cap, -1)) == 1:
        out.append(-1)
    return out


# ---------------------------------------------------------------- the helper
def _col(counts, total=None):
    s = protect([[c] for c in counts], K, col_totals=None if total is None else [total])
    return list(s.labels()[:, 0]), s


def test_single_small_cell_gets_a_partner():
    labels, s = _col([20, 3, 9, 0], total=32)
    assert labels == ["20", "<5", "x", "0"]  # the next-smallest non-zero cell, not the 0
    assert (s.n_primary, s.n_complementary) == (1, 1)


def test_without_a_shown_total_only_primary_cells():
    labels, s = _col([20, 3, 9, 0])
    assert labels == ["20", "<5", "9", "0"] and s.n_complementary == 0


def test_two_small_cells_protect_each_other():
    labels, _ = _col([20, 3, 2, 9], total=34)
    assert labels == ["20", "<5", "<5", "9"]


def test_two_ones_would_be_recomputed_from_their_sum():
    # 1 + 1 = 2 hidden: each of them must be 1, so a third cell is hidden
    labels, _ = _col([1, 1, 50], total=52)
    assert labels == ["<5", "<5", "x"]
    # ... as are two cells of k - 1
    labels, _ = _col([4, 4, 50], total=58)
    assert labels == ["<5", "<5", "x"]


def test_all_cells_small():
    labels, s = _col([1, 2, 3], total=6)
    assert labels == ["<5", "<5", "<5"] and s.col_totals == ["shown"]
    labels, s = _col([1, 2], total=3)  # a small total: the whole group is hidden
    assert labels == ["x", "x"] and s.col_totals == ["primary"] and s.n_primary == 3
    # ... as "x": four "<5" under a total "<5" could only be 1 each
    labels, _ = _col([1, 1, 1, 1], total=4)
    assert labels == ["x", "x", "x", "x"]
    assert s.total_label(3, s.col_totals[0]) == "<5"


def test_zero_cells_are_not_small():
    labels, s = _col([0, 0, 40], total=40)
    assert labels == ["0", "0", "40"] and s.n_primary == s.n_complementary == 0
    # in a small group the zeros are hidden too
    labels, _ = _col([3, 0], total=3)
    assert labels == ["x", "x"]


def test_unpublished_remainder_is_protected_when_small():
    # one respondent without a group: 51 - 20 - 30 = 1 would be derivable
    labels, s = _col([20, 30], total=51)
    assert labels == ["x", "30"] and s.n_complementary == 1
    labels, _ = _col([20, 30], total=60)  # a remainder of 10 needs no protection
    assert labels == ["20", "30"]


def test_rows_with_totals():
    s = protect([[3, 10, 12], [20, 30, 40]], K, row_totals=[25, 90])
    assert s.labels().tolist() == [["<5", "x", "12"], ["20", "30", "40"]]


def test_rows_and_columns_with_totals():
    cells = [[3, 10, 12], [20, 30, 40]]
    s = protect(cells, K, row_totals=[25, 90], col_totals=[23, 40, 52])
    lab = s.labels()
    for i in range(2):
        assert sum(v in HIDDEN for v in lab[i]) != 1
    for j in range(3):
        assert sum(v in HIDDEN for v in lab[:, j]) != 1


@pytest.mark.parametrize("kwargs, message", [
    ({"col_totals": [1]}, "less than the sum"),
    ({"col_totals": [5, 5]}, "2 values for 1 cols"),
])
def test_bad_totals_are_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        protect([[3], [4]], K, **kwargs)


def test_bad_counts_are_errors():
    with pytest.raises(ValueError, match="non-negative"):
        protect([[-1]], K)
    with pytest.raises(ValueError, match="2-D"):
        protect([1, 2], K)
    with pytest.raises(ValueError, match="at least 1"):
        protect([[1]], 0)


tables = st.integers(1, 4).flatmap(lambda r: st.integers(1, 4).flatmap(
    lambda c: st.lists(st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 15]),
                                min_size=c, max_size=c), min_size=r, max_size=r)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, st.booleans(), st.booleans(), st.integers(0, 3))
def test_no_hidden_cell_is_the_unique_unknown_of_a_shown_margin(cells, rows, cols, extra):
    """A reader who works through any one shown row or column total cannot pin a hidden cell,
    a hidden total or a small unpublished remainder down to one value."""
    c = np.array(cells, dtype=float)
    # a row total may exceed the row's cells by an unpublished remainder
    row_t = c.sum(axis=1) + (extra if not cols else 0) if rows else None
    col_t = c.sum(axis=0) if cols else None
    s = protect(c, K, row_totals=row_t, col_totals=col_t)
    lab = s.labels()
    # primary cells are exactly the small ones (and those of small groups); no small cell shows
    assert not any(0 < v < K for v, h in zip(c.ravel(), s.hidden.ravel(), strict=True) if not h)
    assert not (s.primary & s.complementary).any()
    cap = int(c.sum()) + 3
    lines = []
    if rows:
        lines += [(list(lab[i]), s.total_label(row_t[i], s.row_totals[i]), c[i], row_t[i])
                  for i in range(c.shape[0])]
    if cols:
        lines += [(list(lab[:, j]), s.total_label(col_t[j], s.col_totals[j]), c[:, j], col_t[j])
                  for j in range(c.shape[1])]
    for labels, total_label, true, total in lines:
        if 0 < total < K:  # a small group: its total and all its cells are hidden
            assert total_label == f"<{K}" and all(v == "x" for v in labels), (labels, total)
        assert _disclosed(labels, total_label, list(true), total, K, cap) == [], (labels, total)


def test_the_reader_finds_an_unprotected_cell():
    """The brute-force reader of the property test does find what a naive table gives away."""
    assert _disclosed(["20", "<5", "9", "0"], "32", [20, 3, 9, 0], 32, K, 40) == [1]
    assert _disclosed(["<5", "<5", "50"], "52", [1, 1, 50], 52, K, 60) == [0, 1]
    assert _disclosed(["20", "30"], "51", [20, 30], 51, K, 60) == [2]


# ---------------------------------------------------------------- a whole report
@pytest.fixture(scope="module")
def small_groups(tmp_path_factory, data_writer) -> Path:
    """The test project with organisations of 1, 3 and 4 respondents, profiles of 3 and 4
    families, goal categories of 1, 2, 3 and 4 goals, a t test and a logistic model whose rare
    group has 3 families."""
    folder = tmp_path_factory.mktemp("small")
    project_file = data_writer(folder, n_families=150, seed=11)
    survey = pd.read_csv(folder / "survey.csv")
    org = survey["organisation"].astype(object).to_numpy().copy()
    org[0], org[1:4], org[4:8] = "E", "F", "G"
    survey["organisation"] = org
    # organisations A (3 left) and G leave one item open: on it, only E and F (1 + 3 people)
    # are small, and their pooled mean would follow from the total's
    survey.loc[survey["organisation"].isin(["A", "G"]), ITEM] = np.nan
    survey.to_csv(folder / "survey.csv", index=False)
    fam = pd.read_csv(folder / "families.csv")
    prof = fam["profile"].to_numpy().astype(object).copy()
    # profiles of 3 and 4 families (a profile of 1 cannot be validated: its model separates);
    # their predictors vary, so that the validation models can be fitted
    prof[:7] = ["E", "E", "E", "C", "C", "C", "C"]
    prof[7:] = np.random.default_rng(3).choice(["A", "B", "D"], len(fam) - 7)
    prof[20:22] = None  # two families without a profile: a small number dropped
    fam["profile"] = prof
    fam.loc[:6, "young_mother"] = ["ja", "nee", "nee", "ja", "nee", "ja", "nee"]
    fam.loc[:6, "single_parent"] = [0, 1, 0, 0, 1, 1, 0]
    fam["rare"] = [1, 1, 1] + [0] * (len(fam) - 3)
    fam.loc[:2, "premature"] = [1, 0, 0]  # the rare group does not separate the outcome
    fam.to_csv(folder / "families.csv", index=False)
    goals = pd.read_csv(folder / "goals.csv")
    extra = [[fam["family"][i], f"z{i}-{cat}", cat, lvl, 1]
             for cat, n in (("family-1", 4), ("family-2", 1), ("family-3", 3))
             for i, lvl in zip(range(n), [2, 1, 2, 0], strict=False)]
    # two goals at the worst level in a large category: a small segment of a shown bar
    extra += [[fam["family"][i], f"w{i}-child-1", "child-1", -2, 1] for i in (10, 11)]
    goals = pd.concat([goals, pd.DataFrame(extra, columns=goals.columns)], ignore_index=True)
    goals.to_csv(folder / "goals.csv", index=False)
    project = project_file.read_text(encoding="utf-8").replace(
        'ttests = [{group = "single_parent", dvs = ["tscore"]}]',
        'ttests = [{group = "single_parent", dvs = ["tscore"]}, {group = "rare", dvs = ["tscore"]}]',
    ).replace(
        'categorical = ["young_mother"]}]',
        'categorical = ["young_mother"]}, {dv = "rare", predictors = ["single_parent"]}, '
        '{dv = "premature", predictors = ["rare", "single_parent"], categorical = ["rare"]}]',
    )
    assert "rare" in project
    project_file.write_text(project, encoding="utf-8")
    return project_file


@pytest.fixture(scope="module")
def evaluation(small_groups):
    return run_evaluation(small_groups, quiet=True)


@pytest.fixture(scope="module")
def figures(evaluation, tmp_path_factory, monkeypatch_module):
    """Write the report, keeping every figure open so that its artists can be read."""
    kept = []
    monkeypatch_module.setattr(builder_module.plt, "close", kept.append)
    out = tmp_path_factory.mktemp("report")
    write_report(evaluation, out)
    return out, kept


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def report_dir(figures) -> Path:
    return figures[0]


def _csv(report_dir: Path, key: str) -> pd.DataFrame:
    return pd.read_csv(report_dir / "tables" / f"{key}.csv", dtype=str, keep_default_na=False)


def _caption_n(report_dir: Path, title_start: str) -> str:
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    m = re.search(rf"^\*\*{re.escape(title_start)}[^*]*\*\* \(N = ([^)\s]+)", md, re.M)
    assert m, title_start
    return m.group(1)


def _check_line(labels, total_label, true, total, where):
    assert _disclosed(list(labels), total_label, list(true), total, K, int(total) + 5) == [], where


def test_the_data_has_the_small_groups(evaluation):
    sizes = evaluation.scores.group_sizes("organisation")
    assert {1, 3, 4} <= set(sizes[sizes < K].tolist())
    counts = evaluation.profile_counts.set_index("profile")["n"]
    assert {3, 4} <= set(counts[counts < K].tolist())
    n_goals = evaluation.levels.table.set_index("category")["n_goals"]
    assert sorted(n_goals[n_goals < K].tolist()) == [1, 2, 3, 4]


@pytest.mark.parametrize("key, title", [
    ("profiles", "Profiles"), ("fidelity_respondents_organisation", "Respondents per organisation")])
def test_frequency_tables_with_caption_totals(evaluation, report_dir, key, title):
    tab = _csv(report_dir, key)
    if key == "profiles":
        true = evaluation.profile_counts["n"].to_numpy()
    else:
        true = evaluation.scores.group_sizes("organisation").to_numpy()
    total = _caption_n(report_dir, title)
    assert total not in HIDDEN
    _check_line(tab["N"], total, true, int(total), key)
    for n, lab in zip(true, tab["N"], strict=True):
        assert (lab in HIDDEN) >= (0 < n < K)
    if "%" in tab.columns:  # no percentage of a hidden count
        assert all(p == "–" for p, lab in zip(tab["%"], tab["N"], strict=True) if lab in HIDDEN)


def test_frequency_tables_with_a_total_row(evaluation, report_dir):
    for key in ("factor_link",):
        tab = _csv(report_dir, key)
        cells, total = tab["N"].iloc[:-1], tab["N"].iloc[-1]
        true = evaluation.link.spss_table().iloc[:-1, 0].astype(int).tolist()
        _check_line(cells, total, true, int(evaluation.link.n_cases), key)


def test_item_tables_protect_each_row(evaluation, report_dir):
    sc = evaluation.scores
    gs = sc.group_stats
    for level in ("item", "principle", "category"):
        tab = _csv(report_dir, f"fidelity_{level}_organisation")
        groups = [c.split(":")[0].removeprefix("organisation ") for c in tab.columns
                  if c.startswith("organisation ") and c.endswith(": N")]
        sub = gs[(gs["level"] == level) & (gs["grouping"] == "organisation")].set_index(
            ["variable", "group"])["n"]
        totals = gs[(gs["level"] == level) & (gs["grouping"] == "Total")].set_index("variable")["n"]
        for _, row in tab.iterrows():
            v = row.iloc[0]
            labels = [row[f"organisation {g}: N"] for g in groups]
            true = [int(sub.get((v, g), 0)) for g in groups]
            _check_line(labels, row["Total: N"], true, int(totals[v]), (level, v))
            hidden = [lab in HIDDEN for lab in labels]
            for g, h in zip(groups, hidden, strict=True):
                if h:
                    assert row[f"organisation {g}: M (SD)"] == "–"
            if any(hidden):  # the comparison involves the hidden groups
                assert row["Comparison"] == "–"
            # the groups whose mean is hidden, with the respondents in no group, pool to a
            # mean that follows from the total's: never one of a small number of people
            if level == "item" and v == ITEM:  # a group of shown N whose mean is hidden
                assert any(lab not in HIDDEN and lab != "0" and not _mean_shown(
                    row, f"organisation {g}") for g, lab in zip(groups, labels, strict=True))
            if _mean_shown(row, "Total"):
                pooled = int(totals[v]) - sum(
                    n for g, n in zip(groups, true, strict=True)
                    if _mean_shown(row, f"organisation {g}"))
                assert pooled == 0 or pooled >= K, (level, v, pooled)


def _mean_shown(row, prefix: str) -> bool:
    """Whether a row of an exported level table shows the mean of ``prefix``."""
    col = f"{prefix}: M"
    return col in row.index and row[col] not in ("–", "")


def test_group_means_never_pool_to_a_small_group():
    from zorgeval.report.disclosure import protect_means

    # 1 and 3 hidden: their pooled mean of 4 people would follow from the total
    assert protect_means([1, 3, 9, 30], [True, True, False, False], 43, K) == [
        True, True, True, False]
    # 3 and 40 hidden: a pooled mean of 43 people describes no small group
    assert protect_means([3, 40, 20], [True, True, False], 63, K) == [True, True, False]
    # two respondents without a group beside groups that are all shown
    assert protect_means([10, 20], [False, False], 32, K) == [True, False]
    # no total mean shown: nothing pools
    assert protect_means([1, 3, 9], [True, True, False], 13, K, total_shown=False) == [
        True, True, False]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=6), st.integers(0, 6))
def test_protected_means_leave_no_small_pool(ns, rest):
    from zorgeval.report.disclosure import protect_means

    total = sum(ns) + rest
    hidden = [bool(h) for h in protect([ns], K, row_totals=[total]).hidden[0]]
    out = protect_means(ns, hidden, total, K)
    assert all(o >= h for o, h in zip(out, hidden, strict=True))  # only ever hides more
    pooled = total - sum(n for n, h in zip(ns, out, strict=True) if not h)
    assert pooled == 0 or pooled >= K or total < K


def test_item_plot_draws_no_hidden_group(evaluation, figures):
    _, kept = figures
    fig = next(f for f in kept if any(line.get_label() == "organisation E"
                                      for ax in f.axes for line in ax.get_lines()))
    tab = _csv(figures[0], "fidelity_item_organisation").set_index("Item")
    for line in fig.axes[0].get_lines():
        label = line.get_label()
        if not label.startswith("organisation "):
            continue
        g = label.removeprefix("organisation ")
        y = np.asarray(line.get_ydata(), dtype=float)
        hidden = ~tab.apply(_mean_shown, axis=1, prefix=f"organisation {g}").to_numpy()
        assert np.isnan(y[hidden]).all(), g
        assert np.isfinite(y[~hidden]).all(), g


def test_gas_levels_table_rows(evaluation, report_dir):
    tab = _csv(report_dir, "gas_levels")
    exact = evaluation.levels.table.set_index("category")
    scale = evaluation.levels.scale
    for _, row in tab.iterrows():
        r = exact.loc[row["Category"]]
        levels = [lv.en for lv in reversed(scale.levels)]
        labels = [row[f"{c}: N"] for c in levels]
        keys = [f"{lv.value:+g}" if lv.value else "0" for lv in reversed(scale.levels)]
        _check_line(labels, row["N"], [int(r[f"n_{k}"]) for k in keys], int(r["n_goals"]),
                    row["Category"])
        for c, k, lab in zip(levels, keys, labels, strict=True):
            if lab in HIDDEN:  # no percentage of a hidden count
                assert row[f"{c}: %"] in HIDDEN, (row["Category"], c)
            else:  # the exact count and percentage
                assert int(lab) == r[f"n_{k}"]
                assert float(row[f"{c}: %"]) == pytest.approx(r[f"pct_{k}"], rel=1e-12)
        if any(lab in HIDDEN for lab in labels) or row["N"] in HIDDEN:
            assert row["M"] == "–" and row["SD"] == "–", row["Category"]
        else:
            assert float(row["M"]) == pytest.approx(r["mean"], rel=1e-12)


def test_gas_figure_has_no_hidden_segment(evaluation, figures):
    _, kept = figures
    view = protected_levels(evaluation.levels, evaluation.goal_results, Suppressor(K, "en"),
                            period=evaluation.project.goals.report_period,
                            taxonomy=evaluation.project.goals.taxonomy,
                            scale=evaluation.project.goals.scale)
    assert view.hide.any()  # the data do have hidden segments
    fig = next(f for f in kept if any(p.get_label() == view.hidden_label for ax in f.axes
                                      for p in ax.containers))
    ax = fig.axes[0]
    t = view.shown.table
    levels = list(reversed(view.shown.scale.levels))
    containers = ax.containers
    assert len(containers) == len(levels) + 1  # one per level and the merged hidden segment
    for i in range(len(t)):
        for lv, bars in zip(levels, containers, strict=False):
            j = view.shown.scale.levels.index(lv)
            width = bars.patches[i].get_width()
            col = f"pct_{lv.value:+g}" if lv.value else "pct_0"
            if view.hide[i, j]:
                assert width == 0
            else:
                assert width == pytest.approx(np.nan_to_num(t[col].iloc[i]))
        grey = containers[-1].patches[i].get_width()
        hidden_pct = sum(np.nan_to_num(t[f"pct_{lv.value:+g}" if lv.value else "pct_0"].iloc[i])
                         for lv in levels if view.hide[i, view.shown.scale.levels.index(lv)])
        assert grey == pytest.approx(hidden_pct)
        # one hidden segment alone is never drawn: the grey part holds two or none
        assert view.hide[i].sum() != 1


def test_ttest_of_a_small_group_shows_nothing_derived(evaluation, report_dir):
    groups = [_csv(report_dir, f"ttest_{i}_groups") for i in (1, 2)]
    small = next(i for i, g in enumerate(groups, start=1) if (g["N"] == "<5").any())
    g = groups[small - 1]
    assert (g.loc[g["N"] == "<5", ["M", "SD"]] == "–").all().all()
    test = _csv(report_dir, f"ttest_{small}")
    assert (test.iloc[:, 1:] == "–").all().all()
    # the total N would give the small group back from the other group's N
    assert _caption_n(report_dir, "Group statistics: tscore ~ rare") == "x"
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    block = md.split("**Independent t test: tscore ~ rare**")[1].split("**")[0]
    assert "t(" not in block


@pytest.mark.parametrize("i", [2, 3])  # a small outcome group; a small category of a predictor
def test_logistic_model_of_a_small_group_is_hidden(report_dir, i):
    tab = _csv(report_dir, f"logistic_{i}")
    stats = tab[[c for c in tab.columns[1:] if c != "df"]]
    assert (stats == "–").all().all()
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    block = md.split("**Logistic regression: ")[i].split("**Logistic regression")[0]
    assert "χ²(" not in block.split("**Group statistics")[0]


def test_logistic_model_of_large_groups_is_shown(report_dir):
    tab = _csv(report_dir, "logistic_1")
    assert not (tab["B"] == "–").any()


def test_validation_of_hidden_profiles_is_hidden(evaluation, report_dir):
    models = _csv(report_dir, "profile_validation_models").set_index("Profile")
    hidden = models.index[models["N with profile"].isin(HIDDEN)].tolist()
    assert {"E", "C"} <= set(hidden)
    assert (models.loc[hidden, ["χ²", "Sig.", "Nagelkerke R²"]] == "–").all().all()
    spss = _csv(report_dir, "profile_validation")
    rows = spss[spss["profile"].isin(hidden)]
    assert (rows[["B", "S.E.", "Wald", "Exp(B)", "Sig."]] == "–").all().all()
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    for code in hidden:
        assert f"{code}: N = " not in md  # the footnote's −2LL and R² of the model
    assert "Each profile against the rest" not in md  # the sentence quotes every model


def test_no_case_ids_and_no_small_dropped_counts(evaluation, report_dir):
    ids = set(evaluation.case_frame["case"].astype(str))
    texts = [(report_dir / "report.md").read_text(encoding="utf-8"),
             (report_dir / "report.html").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in (report_dir / "tables").glob("*.csv")]
    words = {w for text in texts for w in re.findall(r"[A-Za-z]\d{3}\b", text)}
    assert not words & ids
    for text in texts:
        for n in re.findall(r"\((\d+) dropped\)", text):
            assert not 0 < int(n) < K, n


def test_overall_rows_with_a_small_number_dropped(evaluation, report_dir):
    tab = _csv(report_dir, "overall_summary")
    exact = evaluation.overall.table
    small = (exact["n_dropped"] > 0) & (exact["n_dropped"] < K)
    assert small.any()
    for i in range(len(tab)):
        # the goal's number of cases: shown by its other rows, unless it is small itself
        n, dropped = int(exact["n_used"].iloc[i]), int(exact["n_dropped"].iloc[i])
        total_label = f"<{K}" if 0 < n + dropped < K else str(n + dropped)
        _check_line([tab.loc[i, "N"], tab.loc[i, "N dropped"]], total_label, [n, dropped],
                    n + dropped, i)
        if small.iloc[i] and exact["n_used"].iloc[i] > 0:
            # N + dropped is shown by the goal's other rows, and df, F and p give N back
            assert tab.loc[i, "N"] in HIDDEN
            assert (tab.loc[i, ["F / t", "df1", "df2", "Sig.", "Sig. Holm", "Sig. BH"]] == "–").all()


def test_no_small_count_in_any_caption(report_dir):
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    for caption in re.findall(r"^\*\*.*\*\* \((N = .*)\)$", md, re.M):
        for n in re.findall(r"\b\d+\b", caption):
            assert not 0 < int(n) < K, caption


def test_the_note_counts_both_kinds(report_dir):
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    m = re.search(r'\((\d+) cells\)\. Where a row or column total is shown, a second cell is '
                  r'suppressed as well \(shown as "x", (\d+) cells\)', md)
    assert m and int(m.group(1)) > 0 and int(m.group(2)) > 0
    # every hidden count in the tables is counted (captions may add lone counts)
    # (a count's percentage beside it, in the exported tables, repeats its marker)
    n_hidden = sum(int(tab.drop(columns=[c for c in tab.columns if c.endswith(": %")])
                       .isin(HIDDEN).sum().sum())
                   for tab in (_csv(report_dir, p.stem)
                               for p in (report_dir / "tables").glob("*.csv")))
    assert 0 < n_hidden <= int(m.group(1)) + int(m.group(2))


def test_score_goals_command_suppresses(small_groups, tmp_path, capsys):
    from zorgeval.cli import main

    out = tmp_path / "goals"
    goals = small_groups.parent / "goals.csv"
    assert main(["score-goals", str(goals), "--case", "family", "-o", str(out)]) == 0
    dist = pd.read_csv(out / "level_distribution.csv", dtype=str).set_index("Category")
    assert dist.loc["family-2", "N"] == "<5" and dist.loc["family-2", "M"] == "–"
    printed = capsys.readouterr().out
    assert "Adverse events" not in printed  # family-4: 2 goals
    assert main(["score-goals", str(goals), "--case", "family", "-o", str(out),
                 "--min-cell", "1"]) == 0
    dist = pd.read_csv(out / "level_distribution.csv", dtype=str).set_index("Category")
    assert dist.loc["family-2", "N"] == "1"


@pytest.mark.parametrize(("used", "dropped", "expected"), [
    (120, 3, "N = x (<5 dropped)"),  # used + dropped is the shown number of cases
    (120, 0, "N = 120 (0 dropped)"),
    (120, 7, "N = 120 (7 dropped)"),
])
def test_a_models_caption_protects_its_dropped_cases(tmp_path, used, dropped, expected):
    b = builder_module._Builder(None, tmp_path, "en", K)
    assert b._n_dropped(used, dropped) == expected


def test_a_caption_with_a_small_number_dropped_shows_no_n(report_dir):
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    for n, dropped in re.findall(r"\(N = (\S+) \((\S+) dropped\)", md):
        if dropped in HIDDEN:
            assert n in HIDDEN, (n, dropped)


def test_validation_rows_with_a_small_number_dropped_hide_n_and_the_model(report_dir):
    models = _csv(report_dir, "profile_validation_models")
    for _, row in models[models["N dropped"].isin(HIDDEN)].iterrows():
        assert row["N"] in HIDDEN
        assert (row[["χ²", "Sig.", "Nagelkerke R²"]] == "–").all()
