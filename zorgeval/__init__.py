"""zorgeval: the evaluation application built on the library packages.

The library itself lives in four import packages — :mod:`evalstats` (shared statistics),
:mod:`fidelity` (fidelity surveys and method factors), :mod:`gas` (Goal Attainment Scaling) and
:mod:`profiles` (target group, profiles, overall analysis). This package combines them;
none of them imports it.

* :mod:`zorgeval.synthetic` — seeded, documented SYNTHETIC evaluation data calibrated to the
  published figures of the ReSet and NP evaluations (``make_reset``, ``make_np``), with small
  bundled copies in ``zorgeval/data/``.
* project files, the evaluation pipeline, the report and the ``zorgeval`` console command
  (:mod:`zorgeval.cli`).
"""

from evalstats import __version__ as __version__
from zorgeval.pipeline import Evaluation, run_evaluation
from zorgeval.project import Project, ProjectError, load_project, write_example
from zorgeval.report import write_report

__all__ = ["Evaluation", "Project", "ProjectError", "load_project", "run_evaluation",
           "write_example", "write_report"]
