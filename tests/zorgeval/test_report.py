"""The generated report, checked without a browser: HTML structure, images, N, suppression."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from zorgeval import run_evaluation, write_report
from zorgeval.report import build_report


class _Page(HTMLParser):
    """Collects images, tables (caption + cells) and paragraphs of a page."""

    def __init__(self):
        super().__init__()
        self.images: list[str] = []
        self.tables: list[dict] = []
        self.paragraphs: list[str] = []
        self._stack: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a["src"])
        if tag == "table":
            self.tables.append({"caption": "", "cells": []})
        if tag in ("caption", "td", "th", "p"):
            self._text = []
        self._stack.append(tag)

    def handle_endtag(self, tag):
        text = "".join(self._text).strip()
        if tag == "caption":
            self.tables[-1]["caption"] = text
        elif tag in ("td", "th") and self.tables:
            self.tables[-1]["cells"].append(text)
        elif tag == "p":
            self.paragraphs.append(text)
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        self._text.append(data)


@pytest.fixture(scope="module")
def evaluation(project_file):
    return run_evaluation(project_file, quiet=True)


@pytest.fixture(scope="module")
def report_dir(evaluation, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_report(evaluation, out)
    return out


@pytest.fixture(scope="module")
def page(report_dir) -> _Page:
    p = _Page()
    p.feed((report_dir / "report.html").read_text(encoding="utf-8"))
    return p


def test_every_image_exists_and_is_png(page, report_dir):
    assert len(page.images) >= 4  # item means, scree, loadings, GAS levels
    for src in page.images:
        assert not Path(src).is_absolute()
        path = report_dir / src
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", src


def test_every_table_shows_its_n(page):
    assert len(page.tables) >= 15
    for tab in page.tables:
        assert "N = " in tab["caption"], tab["caption"]


def test_every_table_has_a_csv(page, report_dir):
    csvs = sorted((report_dir / "tables").glob("*.csv"))
    assert len(csvs) == len(page.tables)


def test_the_workbook_holds_every_table_as_its_csv(report_dir):
    from openpyxl import load_workbook

    book = load_workbook(report_dir / "tables.xlsx", read_only=True)
    index = [row for row in book.worksheets[0].iter_rows(values_only=True)][1:]
    csvs = sorted(p.stem for p in (report_dir / "tables").glob("*.csv"))
    assert sorted(key for _, key, *_ in index) == csvs
    assert len(book.sheetnames) == len(csvs) + 1
    for sheet, key, title, n, _ in index:
        assert len(sheet) <= 31 and title and n.startswith("N = ")
        rows = list(book[sheet].iter_rows(values_only=True))
        with open(report_dir / "tables" / f"{key}.csv", encoding="utf-8", newline="") as f:
            header, *cells = list(csv.reader(f))
        assert [h or "" for h in rows[0]] == header, key
        for got, want in zip(rows[1:], cells, strict=True):
            for g, w in zip(got, want, strict=True):
                if isinstance(g, int | float):  # numbers as numbers: the CSV's value
                    assert g == pytest.approx(float(w), rel=1e-12), (key, w)
                else:  # text, suppressed cells as their markers
                    assert (g or "") == w, (key, w)
    assert any(isinstance(v, float) for sheet in book.sheetnames[1:]
               for row in book[sheet].iter_rows(min_row=2, values_only=True) for v in row)


def test_small_profile_count_is_suppressed(evaluation, page, report_dir):
    # the tidy result keeps the exact count of the rare profile E (3 families) ...
    counts = evaluation.profile_counts.set_index("profile")["n"]
    assert counts["E"] == 3
    # ... the report shows "<5" and no percentage, in HTML and CSV alike
    tab = next(t for t in page.tables if t["caption"].startswith("Profiles"))
    cells = tab["cells"]
    i = cells.index("E")
    assert cells[i + 1: i + 3] == ["<5", "–"]
    csv = pd.read_csv(report_dir / "tables" / "profiles.csv", dtype=str)
    assert csv.set_index("Profile").loc["E"].tolist() == ["<5", "–"]
    # the model summary does not show the 3 either
    models = pd.read_csv(report_dir / "tables" / "profile_validation_models.csv", dtype=str)
    assert models.set_index("Profile").loc["E", "N with profile"] == "<5"


def test_small_goal_category_is_suppressed(evaluation, report_dir):
    exact = evaluation.levels.table.set_index("category")
    assert exact.loc["family-4", "n_goals"] == 2
    tab = pd.read_csv(report_dir / "tables" / "gas_levels.csv", dtype=str).set_index("Category")
    row = tab.loc["family-4"]
    assert row["N"] == "<5" and row["M"] == "–" and row["SD"] == "–"
    assert "2" not in row.drop("Label").tolist()
    # no sentence quotes the suppressed category
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert "Adverse events such as illness or loss have been processed by the family (member).'" not in md


def test_suppression_note_present(page, report_dir):
    note = next(p for p in page.paragraphs if p.startswith("Small cells"))
    assert "fewer than 5 people" in note and '"<5"' in note
    assert "Small cells: every cell describing fewer than 5 people" in (
        report_dir / "report.md").read_text(encoding="utf-8")


def test_min_cell_is_an_option(evaluation, tmp_path):
    rep = build_report(evaluation, tmp_path, min_cell=2)
    profiles = next(t for t in rep.tables() if t.key == "profiles").frame
    assert profiles.set_index("Profile").loc["E", "N"] == "3"


def test_markdown_has_the_same_tables(page, report_dir):
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    for tab in page.tables:
        title = tab["caption"].rsplit(" (N = ", 1)[0]
        assert f"**{title}**" in md, title
    for src in page.images:
        assert f"]({src})" in md


def test_model_tables_carry_apa_sentences(report_dir):
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    assert "Factorial ANOVA: child-1" in md
    assert "R Squared" in md  # the SPSS footnote of the factorial table
    assert "χ²(" in md and "Nagelkerke" in md  # logistic regressions
    assert "t(" in md  # the t test sentence


def test_dutch_report(evaluation, tmp_path):
    write_report(evaluation, tmp_path, lang="nl")
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## 1. Modelgetrouwheid" in md and "Kleine aantallen" in md
    assert "F(3; " in md  # Dutch APA: semicolon between the df, decimal comma
    assert re.search(r"\| \d,\d\d \(\d,\d\d\) \|", md)  # "4,53 (0,52)"
    # the exported table holds the exact mean and SD apart, as numbers
    items = pd.read_csv(tmp_path / "tables" / "fidelity_principle_organisation.csv")
    gs = evaluation.scores.group_stats.set_index(["grouping", "group", "variable"])
    first = items.iloc[0]
    group = items.columns[2].removesuffix(": M").removeprefix("organisation ")
    exact = gs.loc[("organisation", group, first.iloc[0])]
    assert items.columns[2:4].tolist() == [f"organisation {group}: M", f"organisation {group}: SD"]
    assert first.iloc[2] == pytest.approx(exact["mean"], rel=1e-12)
    assert first.iloc[3] == pytest.approx(exact["sd"], rel=1e-12)


def test_progress_lines_and_quiet(project_file):
    import io

    from zorgeval.project import load_project

    project = load_project(project_file).model_copy(update={"goals": None, "cases": None})
    stream = io.StringIO()
    ev = run_evaluation(project, stream=stream)
    lines = stream.getvalue().splitlines()
    assert [ln.split(":")[0] for ln in lines] == ["[1/3] read survey", "[2/3] fidelity scores",
                                                  "[3/3] method factors"]
    assert all(ln.endswith(" s)") for ln in lines) and set(ev.timings) == {
        "read survey", "fidelity scores", "method factors"}
    quiet = io.StringIO()
    run_evaluation(project, quiet=True, stream=quiet)
    assert quiet.getvalue() == ""
