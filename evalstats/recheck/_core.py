"""Printed numbers as intervals, p values from test statistics, and verdicts.

A printed number stands for every value that rounds to it: ``2.37`` is the interval
[2.365, 2.375]. A check is consistent when the interval recomputed from the printed inputs
overlaps the interval of the printed result.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special

from evalstats.format import Lang, _check_lang

ALPHA = 0.05
TOL = 1e-9
VERDICTS = ("consistent", "inconsistent", "decision error", "not checked")
STAR_LEVELS = (0.05, 0.01, 0.001)

_NUM = re.compile(r"^([-+]?)(\d*)(?:[.,](\d+))?$")
_MINUS = str.maketrans({"−": "-", "–": "-", "\u00a0": ""})
_P = re.compile(r"^(?:p\s*)?(<=|>=|≤|≥|=|<|>)?\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*(\**)\.?$")


@dataclass(frozen=True)
class Num:
    """A printed number and the interval of values that round to it.

    Examples
    --------
    >>> n = num("2,37")
    >>> n.value, n.decimals, round(n.lo, 4), round(n.hi, 4)
    (2.37, 2, 2.365, 2.375)
    """

    text: str
    value: float
    lo: float
    hi: float
    decimals: int


def num(x, name: str = "value") -> Num:
    """Read a printed number (decimal point or comma, footnote marks and stars stripped).

    A float is taken with the decimals of its shortest representation, an int with none.

    Examples
    --------
    >>> num(".32").lo, num(-1.5).hi
    (0.315, -1.45)
    >>> num("abc", "t")
    Traceback (most recent call last):
    ...
    ValueError: t: expected a number such as '2.37' or '2,37', got 'abc'
    """
    if isinstance(x, Num):
        return x
    if isinstance(x, str):
        return _num_text(x, name)
    return _num(x, name)


@lru_cache(maxsize=65536)
def _num_text(x: str, name: str) -> Num:
    return _num(x, name)


def _num(x, name: str) -> Num:
    if isinstance(x, bool) or x is None:
        raise ValueError(f"{name}: expected a number such as '2.37' or '2,37', got {x!r}")
    if isinstance(x, (int, np.integer)):
        text = str(int(x))
    elif isinstance(x, (float, np.floating)):
        if not math.isfinite(x):
            raise ValueError(f"{name}: expected a finite number, got {x!r}")
        text = repr(float(x))
        if "e" in text:
            text = f"{float(x):.12f}".rstrip("0")
    else:
        text = str(x)
    clean = text.translate(_MINUS).strip()
    if re.search(r"\d[ªa*.]+$", clean):  # footnote mark, stars, R's "." for p < .1
        clean = clean.rstrip("*ªa.")
    m = _NUM.match(clean)
    if not m or not (m.group(2) or m.group(3)):
        raise ValueError(f"{name}: expected a number such as '2.37' or '2,37', got {x!r}")
    sign, whole, frac = m.group(1), m.group(2) or "0", m.group(3) or ""
    value = float(f"{sign}{whole}.{frac or '0'}")
    half = 0.5 * 10.0 ** -len(frac)
    return Num(text.strip(), value, value - half, value + half, len(frac))


def df_interval(x, name: str = "df") -> tuple[float, float]:
    """Degrees of freedom: whole numbers are exact, printed decimals (Welch) an interval.

    ``None`` means not printed: every df from 1 to infinity.

    Examples
    --------
    >>> df_interval(28), df_interval("82,8"), df_interval(None)
    ((28.0, 28.0), (82.75, 82.85), (1.0, inf))
    """
    if x is None:
        return (1.0, math.inf)
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool) and x > 0:
        return (float(x), float(x))
    n = num(x, name)
    if n.value <= 0:
        raise ValueError(f"{name}: degrees of freedom must be positive, got {x!r}")
    if n.decimals == 0:
        return (n.value, n.value)
    return (max(n.lo, TOL), n.hi)


@dataclass(frozen=True)
class P:
    """A printed p value: its comparison sign and the interval it allows.

    Examples
    --------
    >>> p = parse_p("p = .000")
    >>> p.sign, p.lo, p.hi
    ('=', 0.0, 0.0005)
    >>> parse_p("< ,05").hi, parse_p("n.s.").lo, parse_p("**").hi
    (0.05, 0.05, 0.01)
    """

    text: str
    sign: str
    lo: float
    hi: float

    @property
    def significant(self) -> bool | None:
        """True when the printed p says p < .05, False when it says p > .05, else None."""
        if self.hi < ALPHA - TOL or (self.sign in ("<", "≤") and self.hi <= ALPHA + TOL):
            return True
        if self.lo > ALPHA + TOL or self.sign == "ns":
            return False
        return None


def parse_p(x, name: str = "p") -> P | None:
    """Read a printed p: ``.03``, ``p = ,03``, ``< .001``, ``p=.000``, ``n.s.``, or stars only.

    Stars alone mean p ≤ .05, .01, .001 for one, two and three stars; stars after a number
    are ignored.

    Examples
    --------
    >>> p = parse_p("p < ,001")
    >>> p.sign, p.hi, p.significant
    ('<', 0.001, True)
    >>> parse_p("0,047*").lo
    0.0465
    """
    if x is None or isinstance(x, P):
        return x
    if isinstance(x, (int, float, np.number)) and not isinstance(x, bool):
        text = num(x, name).text
    else:
        text = str(x)
    s = text.translate(_MINUS).strip().lower().replace(" ", "")
    if s.rstrip(".") in ("n.s", "ns", "n.s.", "niet significant"):
        return P(text.strip(), "ns", ALPHA, 1.0)
    if s and set(s) == {"*"} and len(s) <= len(STAR_LEVELS):
        level = STAR_LEVELS[len(s) - 1]
        return P(f"{s} (p ≤ {f'{level:g}'[1:]})", "≤", 0.0, level)
    m = _P.match(s)
    if not m:
        raise ValueError(f"{name}: expected a p value such as '.03', '< .001' or 'n.s.', got {x!r}")
    sign = {"<=": "≤", ">=": "≥"}.get(m.group(1) or "=", m.group(1) or "=")
    v = num(m.group(2), name)
    if not 0 <= v.value <= 1:
        raise ValueError(f"{name}: a p value lies between 0 and 1, got {x!r}")
    if sign in ("<", "≤"):
        return P(text.strip(), sign, 0.0, v.value)
    if sign in (">", "≥"):
        return P(text.strip(), sign, v.value, 1.0)
    return P(text.strip(), "=", max(v.lo, 0.0), min(v.hi, 1.0))


# ---------------------------------------------------------------- p values over intervals


def _abs_interval(lo: float, hi: float) -> tuple[float, float]:
    if lo <= 0 <= hi:
        return (0.0, max(-lo, hi))
    a, b = abs(lo), abs(hi)
    return (min(a, b), max(a, b))


def p_t(t: tuple[float, float], df: tuple[float, float]) -> tuple[float, float]:
    """Two-sided p of a t value over its interval; df infinity is the normal distribution.

    Examples
    --------
    >>> lo, hi = p_t((2.365, 2.375), (28, 28))
    >>> round(lo, 4), round(hi, 4)
    (0.0246, 0.0251)
    """
    a, b = _abs_interval(*t)

    def sf(x, d):
        return special.ndtr(-x) if math.isinf(d) else special.stdtr(d, -x)

    return (float(2 * sf(b, df[1])), float(min(1.0, 2 * sf(a, df[0]))))


def _corners(fun, x: tuple[float, float], *dfs: tuple[float, float]) -> tuple[float, float]:
    vals = [fun(*[min(d, 1e12) for d in ds], max(v, 0.0))
            for v in x for ds in itertools.product(*dfs)]
    return (float(min(vals)), float(max(vals)))


def p_f(f: tuple[float, float], df1, df2) -> tuple[float, float]:
    """p of an F value over its interval (and df intervals), evaluated at the corners.

    Examples
    --------
    >>> lo, hi = p_f((8.415, 8.425), (1, 1), (29, 29))
    >>> round(lo, 5), round(hi, 5)
    (0.007, 0.00703)
    """
    return _corners(special.fdtrc, f, df1, df2)


def p_chi2(x: tuple[float, float], df) -> tuple[float, float]:
    """p of a chi-square (or Wald) value over its interval.

    Examples
    --------
    >>> [round(p, 5) for p in p_chi2((7.75, 7.85), (2, 2))]
    [0.01974, 0.02075]
    """
    return _corners(special.chdtrc, x, df)


# ---------------------------------------------------------------- formatting and verdicts


def fmt(x: float, lang: Lang = "en") -> str:
    """A recomputed number for an explanation: four significant digits, decimal comma in Dutch.

    Examples
    --------
    >>> fmt(0.024612), fmt(25.573, "nl"), fmt(0.00000123)
    ('0.02461', '25,57', '1.2e-06')
    """
    if math.isinf(x):
        return "∞"
    s = f"{x:.2g}" if x != 0 and abs(x) < 1e-4 else f"{x:.4g}"
    return s.replace(".", ",") if lang == "nl" else s


def show(text: str, lang: Lang) -> str:
    """A printed fragment in the explanation's language (decimal comma in Dutch)."""
    if lang == "nl":
        return re.sub(r"(?<=\d)\.(?=\d)|(?<![\w.])\.(?=\d)", ",", text)
    return text


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two closed intervals share a point (with a tolerance for floating point)."""
    tol = TOL * max(1.0, abs(a[0]), abs(a[1]), abs(b[0]), abs(b[1]))
    return a[0] <= b[1] + tol and b[0] <= a[1] + tol


def _significant(iv: tuple[float, float]) -> bool | None:
    if iv[1] < ALPHA:
        return True
    if iv[0] > ALPHA:
        return False
    return None


_WORDS = {
    "en": {"gives": "gives", "between": "between", "and": "and",
           "ok": "compatible with the printed", "bad": "not compatible with the printed",
           "flip_sig": "the printed p makes the result significant at .05, the recomputed p "
                       "does not",
           "flip_ns": "the printed p makes the result non-significant at .05, the recomputed "
                      "p is significant"},
    "nl": {"gives": "geeft", "between": "tussen", "and": "en",
           "ok": "verenigbaar met de gedrukte", "bad": "niet verenigbaar met de gedrukte",
           "flip_sig": "de gedrukte p maakt het resultaat significant bij ,05, de herberekende "
                       "p niet",
           "flip_ns": "de gedrukte p maakt het resultaat niet-significant bij ,05, de "
                      "herberekende p is wel significant"},
}


def _range(iv: tuple[float, float], lang: Lang) -> str:
    w = _WORDS[lang]
    if abs(iv[1] - iv[0]) <= TOL * max(1.0, abs(iv[0])):
        return fmt(iv[0], lang)
    return f"{w['between']} {fmt(iv[0], lang)} {w['and']} {fmt(iv[1], lang)}"


def judge_p(what: str, computed: tuple[float, float], printed: P, lang: Lang) -> tuple[str, str]:
    """Verdict and explanation of a printed p against the recomputed p interval.

    Examples
    --------
    >>> judge_p("t(28) = 2.37", p_t((2.365, 2.375), (28, 28)), parse_p(".03"), "en")[0]
    'consistent'
    >>> judge_p("t(28) = 2.37", p_t((2.365, 2.375), (28, 28)), parse_p(".30"), "en")[0]
    'decision error'
    """
    _check_lang(lang)
    w = _WORDS[lang]
    ptext = show(printed.text if printed.text.lower().startswith(("p", "n")) else
                 f"p {printed.sign} {printed.text.lstrip('=<>≤≥ ')}", lang)
    head = f"{show(what, lang)} {w['gives']} p {_range(computed, lang)}"
    if overlaps(computed, (printed.lo, printed.hi)):
        return "consistent", f"{head}, {w['ok']} {ptext}."
    said, got = printed.significant, _significant(computed)
    if said is not None and got is not None and said != got:
        return "decision error", f"{head}, {w['bad']} {ptext}: {w['flip_sig' if said else 'flip_ns']}."
    return "inconsistent", f"{head}, {w['bad']} {ptext}."


def judge_value(label: str, formula: str, computed: tuple[float, float], printed: Num,
                lang: Lang) -> tuple[str, str]:
    """Verdict and explanation of a printed number against the interval recomputed for it.

    Examples
    --------
    >>> judge_value("F", "MS/MS_error", (25.57, 25.63), num("25,58"), "nl")
    ('consistent', 'F = MS/MS_error geeft 25,57 tot 25,63, verenigbaar met de gedrukte F = 25,58.')
    """
    _check_lang(lang)
    w = _WORDS[lang]
    to = "to" if lang == "en" else "tot"
    rng = (fmt(computed[0], lang) if abs(computed[1] - computed[0]) <= TOL
           else f"{fmt(computed[0], lang)} {to} {fmt(computed[1], lang)}")
    ok = overlaps(computed, (printed.lo, printed.hi))
    verdict = "consistent" if ok else "inconsistent"
    return verdict, (f"{label} = {formula} {w['gives']} {rng}, {w['ok' if ok else 'bad']} "
                     f"{label} = {show(printed.text, lang)}.")
