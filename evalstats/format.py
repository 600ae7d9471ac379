"""Number formatting for APA sentences and SPSS-like tables, in English and Dutch.

English follows APA 7: a leading zero is dropped for statistics that cannot exceed 1 (p, r,
eta squared) and p below .001 is written ``p < .001``. Dutch follows the Dutch APA guidelines as
used in Dutch evaluation reports: a decimal comma and a semicolon between degrees of freedom,
e.g. ``F(3; 62) = 7,22; p < ,001``.

Rounding rule: a number is rounded half up (away from zero) on its shortest decimal
representation, the value as it is written, not on its binary approximation. ``4.125`` prints as
``4.13`` and ``2.675`` as ``2.68``, as APA and SPSS round them; Python's own ``f"{x:.2f}"`` gives
``4.12`` and ``2.67`` (half to even on the binary value).

p-value rule, one for sentences and tables alike: the exact p with three decimals and no leading
zero (``.040``), and ``< .001`` for anything below .001; ``.000`` is never printed.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Lang = Literal["en", "nl"]

LANGS: tuple[str, ...] = ("en", "nl")


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")


def _decimal(x) -> Decimal:
    """``x`` as the decimal it is written as: ``Decimal(repr(float(x)))`` for floats."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, (int,)) or (hasattr(x, "dtype") and getattr(x.dtype, "kind", "") in "iub"):
        return Decimal(int(x))
    return Decimal(repr(float(x)))


def round_half_up(x: float, decimals: int = 2) -> Decimal:
    """``x`` rounded to ``decimals`` places, ties away from zero, on its written decimal value.

    Examples
    --------
    >>> str(round_half_up(4.125)), str(round_half_up(2.675)), str(round_half_up(-0.0005, 3))
    ('4.13', '2.68', '-0.001')
    """
    return _decimal(x).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def fmt_num(x: float, decimals: int = 2, lang: Lang = "en", leading_zero: bool = True) -> str:
    """Format a number with a fixed number of decimals, rounding half up (see the module).

    Examples
    --------
    >>> fmt_num(7.2249)
    '7.22'
    >>> fmt_num(4.125), fmt_num(2.675)
    ('4.13', '2.68')
    >>> fmt_num(0.456, leading_zero=False)
    '.46'
    >>> fmt_num(-0.456, 3, lang="nl", leading_zero=False)
    '-,456'
    """
    _check_lang(lang)
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NaN"
    if not isinstance(x, Decimal) and math.isnan(float(x)):
        return "NaN"
    if not isinstance(x, Decimal) and math.isinf(float(x)):
        return "∞" if x > 0 else "-∞"
    s = f"{round_half_up(x, decimals):f}"
    if s.startswith("-") and Decimal(s) == 0:
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

    The number is :func:`p_spss`'s: one rule for sentences and tables.

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
    s = p_spss(p, lang, decimals)
    return "p " + s if s.startswith("<") else "p = " + s


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


def p_spss(p: float, lang: Lang = "en", decimals: int = 3) -> str:
    """A p-value for a ``Sig.`` column: three decimals without a leading zero, ``< .001`` below.

    The same rule as :func:`fmt_p` (SPSS itself would print ``.000``; that is never printed
    here). The exact value stays in the tidy tables.

    Examples
    --------
    >>> p_spss(0.00004)
    '< .001'
    >>> p_spss(0.0456), p_spss(0.0456, "nl")
    ('.046', ',046')
    """
    _check_lang(lang)
    if p is None or math.isnan(p):
        return ""
    floor = Decimal(1).scaleb(-decimals)
    if _decimal(p) < floor:
        return "< " + fmt_num(floor, decimals, lang, leading_zero=False)
    return fmt_num(p, decimals, lang, leading_zero=False)


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
