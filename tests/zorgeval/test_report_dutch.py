"""The Dutch report of both bundled examples is Dutch throughout: no English wording in the
page, the Markdown or the CSV tables, decimal commas in the tables and in every figure."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from zorgeval import run_evaluation, write_report  # noqa: E402
from zorgeval.project import write_example  # noqa: E402

# English wording that the Dutch reports of the two examples showed before it was translated:
# table headers, band labels, classification values, step and test names, notes and warnings.
# Matched as whole words, case-sensitively. Names that come from the user's data or project
# file (column names such as "profile", file names, the project title) are not in the list.
LEAKED = [
    "Mean", "Std. Deviation", "Total", "dropped", "N dropped", "Undetermined", "undetermined",
    "yes", "no", "unknown", "below", "below fidelity", "fidelity survey", "multi-problem",
    "risk family", "neither", "unassignable", "Care-avoiding families", "Overburdened families",
    "Families with incapacity", "Variables in the Equation", "Constant", "screen", "factorial",
    "one-way ANOVA", "t test", "factorial ANOVA", "kept as factor", "PCA on", "of variance",
    "step", "group", "rule", "action", "threshold", "n_used", "n_items", "n_components",
    "cross_loading_both", "analyst", "n_start", "yes_start", "became_yes", "excluded_unknown",
    "when", "pct_of_cases", "pct_of_dropouts", "period", "months", "n_evaluated", "pct_cases",
    "overall analysis", "empty cell", "evaluated goals", "all", "term", "nan", "<NA>",
]
WORDS = re.compile("|".join(rf"(?<![\w-]){re.escape(w)}(?![\w-])" for w in LEAKED))
DOT_DECIMAL = re.compile(r"\d\.\d")
# cells that hold a number: counts, statistics, "<5", "4,53 (0,52)", "83 (65,9%)", "-,314"
NUMERIC = re.compile(r"^[<−–-]?[\d.,]*\d[\d.,]*%?( \([\d.,–-]*%?\))?$")


class _Text(HTMLParser):
    """The visible text of a page: element text and image captions, not the style sheet."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self._style = tag == "style"
        if tag == "img":
            self.parts.append(dict(attrs).get("alt", ""))

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if not self._style:
            self.parts.append(data)


@pytest.fixture(scope="module")
def figure_texts(monkeypatch_module) -> dict[str, list[str]]:
    """Every figure the reports save, by file name: its tick labels, texts and legend entries,
    read from the drawn figure just before it is written."""
    texts: dict[str, list[str]] = {}
    save = Figure.savefig

    def recording_savefig(fig, fname, *args, **kwargs):
        fig.canvas.draw()
        found = []
        for ax in fig.axes:
            found += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
            found += [t.get_text() for t in ax.texts]
            legend = ax.get_legend()
            if legend is not None:
                found += [t.get_text() for t in legend.get_texts()]
        texts[Path(fname).name] = [t for t in found if t]
        return save(fig, fname, *args, **kwargs)

    monkeypatch_module.setattr(Figure, "savefig", recording_savefig)
    return texts


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture(scope="module")
def reports(tmp_path_factory, figure_texts) -> dict[str, Path]:
    out = {}
    for name in ("reset", "np"):
        folder = tmp_path_factory.mktemp(name)
        ev = run_evaluation(write_example(name, folder / "project"), quiet=True)
        write_report(ev, folder / "report", lang="nl")
        out[name] = folder / "report"
    return out


@pytest.mark.parametrize("name", ["reset", "np"])
def test_no_english_wording(reports, name):
    folder = reports[name]
    parser = _Text()
    parser.feed((folder / "report.html").read_text(encoding="utf-8"))
    sources = {"report.html": "\n".join(parser.parts),
               "report.md": (folder / "report.md").read_text(encoding="utf-8")}
    for csv in sorted((folder / "tables").glob("*.csv")):
        sources[csv.name] = csv.read_text(encoding="utf-8")
    found = {src: sorted(set(WORDS.findall(text))) for src, text in sources.items()}
    assert {src: words for src, words in found.items() if words} == {}


@pytest.mark.parametrize("name", ["reset", "np"])
def test_numbers_in_tables_have_decimal_commas(reports, name):
    numeric, dotted = 0, []
    md = (reports[name] / "report.md").read_text(encoding="utf-8")
    for line in md.splitlines():
        if not line.startswith("| "):
            continue
        for cell in line.strip("| ").split(" | "):
            if NUMERIC.match(cell):
                numeric += 1
                if DOT_DECIMAL.search(cell):
                    dotted.append(cell)
    assert numeric > 1000  # the check saw the tables' numbers
    assert dotted == []


@pytest.mark.parametrize("name", ["reset", "np"])
def test_exported_numbers_have_decimal_points(reports, name):
    # the CSV files hold values for other programs: a number is a number in any language
    commas = []
    for csv in sorted((reports[name] / "tables").glob("*.csv")):
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        for col in frame.columns:
            assert not DOT_DECIMAL.search(col), (csv.name, col)
            commas += [(csv.name, col, cell) for cell in frame[col]
                       if re.fullmatch(r"-?\d*,\d+", cell)]
    assert commas == []


def test_instrument_and_band_names_are_dutch(reports):
    md = (reports["reset"] / "report.md").read_text(encoding="utf-8")
    assert "Instrument: Modelgetrouwheid-enquête ReSet." in md
    items = pd.read_csv(reports["reset"] / "tables" / "fidelity_item_organisation.csv", dtype=str)
    assert set(items["Niveau"].dropna()) == {"modelgetrouw", "niet modelgetrouw"}


@pytest.mark.parametrize("name", ["reset", "np"])
def test_figure_numbers_have_decimal_commas(reports, figure_texts, name):
    figures = sorted(p.name for p in reports[name].glob("*.png"))
    assert figures and all(f in figure_texts for f in figures)
    for fig in figures:
        assert [t for t in figure_texts[fig] if DOT_DECIMAL.search(t)] == [], fig
    # the item plot (means 1-7) and the loading heat maps (annotations, colour bar) have
    # decimal numbers; all of them with a comma (the examples' scree plots have whole-number
    # ticks: see the next test)
    for prefix in ("fidelity_items_", "loadings_"):
        shown = [t for f in figures if f.startswith(prefix) for t in figure_texts[f]]
        assert any(re.search(r"\d,\d", t) for t in shown), prefix


@pytest.mark.parametrize("lang, mark", [("nl", ","), ("en", ".")])
def test_scree_and_level_plot_ticks(lang, mark):
    import matplotlib.pyplot as plt

    import gas
    from fidelity import scree_plot

    ax = scree_plot([2.4, 1.3, 0.7, 0.4], lang=lang)
    ax.figure.canvas.draw()
    other = "." if mark == "," else ","
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert any(re.fullmatch(rf"\d{re.escape(mark)}\d+", t) for t in ticks), ticks
    assert not any(other in t for t in ticks), ticks
    plt.close(ax.figure)
    dist = gas.level_distribution(pd.DataFrame({"case": range(4), "category": "child-1",
                                                "level": [2, 2, 1, 0]}), goal=None)
    ax = gas.plot_levels(dist, lang=lang)
    ax.set_xlim(0, 1.5)  # a range with decimal ticks
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert any(re.fullmatch(rf"\d{re.escape(mark)}\d+", t) for t in ticks), ticks
    assert not any(other in t for t in ticks), ticks
    plt.close(ax.figure)
