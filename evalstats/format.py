"""Number formatting for APA sentences and SPSS-like tables, in English and Dutch.

English follows APA 7: a leading zero is dropped for statistics that cannot exceed 1 (p, r,
eta squared) and p below .001 is written ``p < .001``. Dutch follows the Dutch APA guidelines as
used in Dutch evaluation reports: a decimal comma and a semicolon between degrees of freedom,
e.g. ``F(3; 62) = 7,22; p < ,001``.
"""

from __future__ import annotations

import math
from typing import Literal

Lang = Literal["en", "nl"]

LANGS: tuple[str, ...] = ("en", "nl")


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")


def fmt_num(x: float, decimals: int = 2, lang: Lang = "en", leading_zero: bool = True) -> str:
    """Format a number with a fixed number of decimals.

    Examples
    --------
    >>> fmt_num(7.2249)
    '7.22'
    >>> fmt_num(0.456, leading_zero=False)
    '.46'
    >>> fmt_num(-0.456, 3, lang="nl", leading_zero=False)
    '-,456'
    """
    _check_lang(lang)
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NaN"
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else "-∞"
    s = f"{x:.{decimals}f}"
    if s.startswith("-") and float(s) == 0:
        s = s[1:]
    if not leading_zero:
        if s.startswith("0."):
            s = s[1:]
        elif s.startswith("-0."):
            s = "-" + s[2:]
    if lang == "nl":
        s = s.replace(".", ",")
    return s


def fmt_p(p: float, lang: Lang = "en", decimals: int = 3) -> str:
    """Format an exact p-value the APA way, with its sign: ``p = .032`` or ``p < .001``.

    Examples
    --------
    >>> fmt_p(0.0321)
    'p = .032'
    >>> fmt_p(0.00002)
    'p < .001'
    >>> fmt_p(0.5, lang="nl")
    'p = ,500'
    """
    _check_lang(lang)
    if p is None or math.isnan(p):
        return "p = NaN"
    floor = 10.0**-decimals
    if p < floor:
        return "p < " + fmt_num(floor, decimals, lang, leading_zero=False)
    return "p = " + fmt_num(p, decimals, lang, leading_zero=False)


def fmt_df(*dfs: float, lang: Lang = "en") -> str:
    """Degrees of freedom in parentheses; whole numbers without decimals, Welch df with two.

    Examples
    --------
    >>> fmt_df(3, 62)
    '(3, 62)'
    >>> fmt_df(3, 30.456, lang="nl")
    '(3; 30,46)'
    """
    _check_lang(lang)
    parts = []
    for d in dfs:
        if float(d).is_integer():
            parts.append(str(int(d)))
        else:
            parts.append(fmt_num(d, 2, lang))
    sep = "; " if lang == "nl" else ", "
    return "(" + sep.join(parts) + ")"


def stat_sep(lang: Lang = "en") -> str:
    """The separator between parts of an APA statistic: ``, `` in English, ``; `` in Dutch.

    Examples
    --------
    >>> stat_sep("nl")
    '; '
    """
    _check_lang(lang)
    return "; " if lang == "nl" else ", "


def p_spss(p: float) -> str:
    """A p-value as SPSS prints it in a ``Sig.`` column: three decimals, ``.000`` when tiny.

    The exact value stays in the tidy tables; this is only the SPSS look.

    Examples
    --------
    >>> p_spss(0.00004)
    '.000'
    >>> p_spss(0.0456)
    '.046'
    """
    if p is None or math.isnan(p):
        return ""
    return fmt_num(p, 3, leading_zero=False)


def axes_decimal_mark(ax, lang: Lang = "en"):
    """Give the numeric tick labels of a matplotlib Axes the decimal mark of ``lang``.

    For ``"nl"`` the x and y axes whose ticks matplotlib formats itself get a formatter that
    writes a decimal comma (``2,5``), independent of the process locale; axes with fixed text
    labels (item codes, categories) are left alone. ``"en"`` changes nothing. Returns ``ax``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0.5, 1.5], [0.25, 0.75])
    >>> _ = axes_decimal_mark(ax, "nl")
    >>> fig.canvas.draw()
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]
    ['0,2', '0,3']
    >>> plt.close(fig)
    """
    _check_lang(lang)
    if lang == "en":
        return ax
    from matplotlib.ticker import ScalarFormatter

    class _Comma(ScalarFormatter):
        def __call__(self, x, pos=None):
            return super().__call__(x, pos).replace(".", ",")

        def get_offset(self):
            return super().get_offset().replace(".", ",")

    for axis in (ax.xaxis, ax.yaxis):
        if type(axis.get_major_formatter()) is ScalarFormatter:
            axis.set_major_formatter(_Comma(useLocale=False))
    return ax
