"""The README's first command and the NP example: complete evaluations on the bundled data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

import fidelity

ROOT = Path(__file__).resolve().parents[2]


def _run(script: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    return subprocess.run([sys.executable, str(ROOT / "examples" / script), "out"], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.src: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.src.append(dict(attrs)["src"])


@pytest.fixture(scope="module")
def reset_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("reset")
    proc = _run("reset_evaluation.py", cwd)
    assert proc.returncode == 0, proc.stderr
    return proc, cwd / "out"


def test_reset_example_covers_the_four_substudies(reset_run):
    proc, out = reset_run
    for head in ("== 1. Fidelity", "== 2. Method factors", "== 3. Target group",
                 "== 4. Goal attainment", "== 5. Report"):
        assert head in proc.stdout
    assert "report written to out/report.html" in proc.stdout
    md = (out / "report.md").read_text(encoding="utf-8")
    for head in ("## 1. Fidelity", "## 2. Method factors", "## 3. Target group and profiles",
                 "## 4. Goal attainment (GAS)", "## 5. Overall analysis"):
        assert head in md
    page = _Images()
    page.feed((out / "report.html").read_text(encoding="utf-8"))
    assert {"fidelity_items_organisation.png", "scree_all.png", "loadings_all.png",
            "gas_levels.png"} <= set(page.src)
    for src in page.src:
        assert (out / src).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_reset_example_item_table_has_every_item_and_its_n(reset_run):
    _, out = reset_run
    items = pd.read_csv(out / "tables" / "fidelity_item_organisation.csv", dtype=str)
    inst = fidelity.get_instrument("reset")
    with resources.as_file(resources.files("zorgeval") / "data" / "reset" / "survey.csv") as f:
        survey = pd.read_csv(f)
    scores = fidelity.score_survey(survey, inst, groups=["organisation"], ignore=["team"])
    exact = scores.item_stats.set_index("item")["n"]
    assert sorted(items["Item"]) == sorted(exact.index)
    for row in items.itertuples(index=False):
        # cells of at least 5 respondents show the exact N of the scored item
        n = exact[row[0]]
        assert row[items.columns.get_loc("Total: N")] == (str(n) if n >= 5 else "<5")
    # every comparison of an item across the four organisations is an APA statistic
    apa = items["Comparison"].str.fullmatch(r"F\(3, \d+\) = \d+\.\d\d, p [=<] \.\d{3}, η² = \.\d\d")
    assert apa.sum() >= len(items) // 2


def test_np_example(tmp_path):
    proc = _run("np_evaluation.py", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "135 of 935 cases (14.4%) ended prematurely." in proc.stdout
    assert len(re.findall(r"^  \w+ +t\(\d+(\.\d+)?\) = ", proc.stdout, flags=re.M)) == 5
    out = tmp_path / "out"
    tables = {p.stem for p in (out / "tables").glob("*.csv")}
    assert {"gas_raters", "dropout", "logistic_1", "target_change", "ttest_5"} <= tables
    raters = pd.read_csv(out / "tables" / "gas_raters.csv", dtype=str)
    assert "VIP" in set(raters["Rater"])


def test_costs_example(tmp_path):
    proc = _run("costs_evaluation.py", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "case 3 not costable: pilot: insufficient information on the costs incurred" in proc.stdout
    assert "activity 'respite_care_day' has no unit cost" in proc.stdout
    assert "Expert estimate per family with 2 children over 24 months: € 34,000 to € 45,000." in proc.stdout
    out = tmp_path / "out"
    assert "## 1. Costs and case comparison (Effectencalculator)" in (out / "report.md").read_text(encoding="utf-8")
    assert "## 1. Kosten en casusvergelijking (Effectencalculator)" in (out / "nl" / "report.md").read_text(encoding="utf-8")
    tables = {p.stem for p in (out / "tables").glob("*.csv")}
    assert {"costs_comparison", "costs_patterns", "costs_budget", "costs_per_pilot"} <= tables


def test_buitenshuis_example(tmp_path):
    proc = _run("buitenshuis_evaluation.py", tmp_path)
    assert proc.returncode == 0, proc.stderr
    for head in ("== 1. Waves", "== 2. Outcomes per wave", "== 3. Satisfaction",
                 "== 4. Linear mixed models", "== 5. Report"):
        assert head in proc.stdout
    assert "Children: 92 at T0" in proc.stdout
    assert len(re.findall(r"^ +T4 +-?\d+\.\d\d ", proc.stdout, flags=re.M)) == 7
    out = tmp_path / "out"
    tables = {p.stem for p in (out / "tables").glob("*.csv")}
    assert {"waves_response", "waves_pedsql_total", "waves_model_who5_total",
            "satisfaction_buitenshuis_parent"} <= tables
    page = _Images()
    page.feed((out / "report.html").read_text(encoding="utf-8"))
    assert {"waves_pedsql_total.png", "satisfaction_grades.png"} <= set(page.src)
