"""A quarterly monitoring report on the bundled SYNTHETIC ReSet example project.

    python examples/monitoring_report.py [output-folder]

Writes the example project (``zorgeval example reset``) and, for the quarter 2015Q3, the
monitoring report in English and in Dutch into ``<output-folder>/en`` and ``<output-folder>/nl``
(default ``monitoring-report``): ``report.html``, ``indicators.csv``, ``moments.csv`` and
``decisions.csv``, small counts suppressed. It prints the indicators of the year to date and
the decisions of the evaluation moments, from the exact result.
"""

from __future__ import annotations

import sys
from pathlib import Path

from zorgeval.project import load_project, write_example
from zorgeval.report import write_monitoring_report


def main(out: Path) -> None:
    project = load_project(write_example("reset", out / "project", force=True))
    for lang in ("en", "nl"):
        files = write_monitoring_report(project, out / lang, quarter="2015Q3", lang=lang,
                                        force=True)
        print(f"{lang}: {files.html}")
    result = files.result
    year = result.table[result.table["kind"] == "year"]
    print(year[["indicator", "numerator", "denominator", "value", "status"]].to_string(index=False))
    print(result.decisions()[["moment", "date", "decision"]].to_string(index=False))
    print(result.apa("en"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("monitoring-report"))
