"""Matching GAS wording: the normal form in which phrases of dossiers, scales and synonyms meet."""

from __future__ import annotations

import re
import unicodedata

_MINUSES = dict.fromkeys(map(ord, "\u2212\u2012\u2013\u2014\u2010\u2011"), "-")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).translate(_MINUSES)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


def normalise_phrase(text: str) -> str:
    """The form a phrase is matched in: words in lower case without accents or punctuation.

    A phrase made only of signs (``"+/-"``, ``"--"``) keeps its signs without whitespace.

    Examples
    --------
    >>> normalise_phrase("  Doel  GEHEEL-behaald. ")
    'doel geheel behaald'
    >>> normalise_phrase("Situatie hetzelfde gebleven!")
    'situatie hetzelfde gebleven'
    >>> normalise_phrase(" + / - ")
    '+/-'
    """
    folded = _fold(text)
    words = re.sub(r"[\W_]+", " ", folded).split()
    if words:
        return " ".join(words)
    return re.sub(r"\s+", "", folded)


__all__ = ["normalise_phrase"]
