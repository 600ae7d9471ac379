"""Seeded SYNTHETIC evaluation data calibrated to the published ReSet and NP figures.

:func:`make_reset` and :func:`make_np` draw complete evaluation data sets — practitioner
survey, cases, registration list or target characteristics, GAS goal ratings — in the formats
the library's own validators accept. Every frame carries ``attrs["synthetic"] = True`` and a
note; the data reproduce published counts, proportions and distributions (see
``docs/synthetic-data.md`` for what is calibrated to which seed line and what is invented), but
they are not the families', youths' or practitioners' data. Never report them as findings.

:func:`make_buitenshuis` draws repeated measurements (waves T0-T4) of families, children and
parents calibrated to the Buitenshuisproject pilot evaluation.

:func:`load_bundled` reads the small default copies shipped in ``zorgeval/data/``.
"""

from zorgeval.synthetic._common import SyntheticData, load_bundled
from zorgeval.synthetic.buitenshuis import make_buitenshuis
from zorgeval.synthetic.np_data import make_np
from zorgeval.synthetic.reset import RESET_LOADINGS, make_reset

__all__ = ["RESET_LOADINGS", "SyntheticData", "load_bundled", "make_buitenshuis", "make_np",
           "make_reset"]
