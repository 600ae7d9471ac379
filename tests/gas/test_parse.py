"""Dossier wording to GAS levels."""

import math
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gas
from evalstats.errors import DataValidationError

# Wording from the brief, table 1 (003: 1969-1978) and the result blocks (003: 5808-5812)
CANONICAL = {
    "doel geheel behaald": 2,
    "vooruitgang richting doel": 1,
    "situatie hetzelfde gebleven": 0,
    "achteruitgang": -1,
    "slechtst denkbare achteruitgang": -2,
    "Een vooruitgang in de richting van het doel.": 1,
    "Een achteruitgang t.o.v. de beginsituatie.": -1,
    "Slechtste achteruitgang.": -2,
    "Doel deels behaald": 1,
    "Situatie verslechterd": -1,
    "Slechtst denkbare situatie": -2,
    "goal fully achieved": 2,
    "progress towards the goal": 1,
    "situation unchanged": 0,
    "deterioration": -1,
    "worst possible deterioration": -2,
    "++": 2, "+": 1, "+/-": 0, "-": -1, "--": -2,
    "+2": 2, "-1": -1, "\u22121": -1, "0": 0, " +1. ": 1,
}


def test_canonical_wording():
    r = gas.parse_levels(list(CANONICAL))
    assert r.levels.tolist() == [float(v) for v in CANONICAL.values()]
    assert r.n_missing == 0 and r.n_parsed == len(CANONICAL)


def _variant(phrase: str, rnd: random.Random) -> str:
    words = phrase.split(" ")
    out = []
    for w in words:
        w = "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in w)
        out.append(w)
    sep = [rnd.choice([" ", "  ", "\t", " - ", ", "]) for _ in out[1:]]
    text = out[0] + "".join(s + w for s, w in zip(sep, out[1:], strict=True))
    return rnd.choice(["", " ", "\n"]) + text + rnd.choice(["", ".", "!", " .", ";", "  "])


@given(st.randoms(use_true_random=False), st.lists(st.sampled_from(
    [k for k in CANONICAL if any(c.isalpha() for c in k)]), min_size=1, max_size=20))
def test_case_space_punctuation_variants(rnd, phrases):
    variants = [_variant(p, rnd) for p in phrases]
    rnd.shuffle(idx := list(range(len(phrases))))
    got = gas.parse_levels([variants[i] for i in idx]).levels.tolist()
    assert got == [float(CANONICAL[phrases[i]]) for i in idx]


def test_missing_is_counted_not_an_error():
    r = gas.parse_levels(pd.Series([None, np.nan, "", "  ", "n.v.t.", "++"], index=list("abcdef")),
                         missing=["n.v.t."])
    assert r.n_missing == 5 and r.n_parsed == 1
    assert math.isnan(r.levels["a"]) and r.levels["f"] == 2.0


def test_every_unplaced_phrase_listed_once_with_count():
    values = ["beter", "Beter!", "veel beter", "doel behaald", 7, 7, "7"]
    with pytest.raises(DataValidationError) as exc:
        gas.parse_levels(values, column="uitkomst")
    probs = exc.value.problems
    # variants of one phrase are grouped; the number 7 and the text "7" are the same phrase
    assert [(p.row, str(p.value), p.value.n) for p in probs] == [(0, "beter", 2), (2, "veel beter", 1), (4, "7", 3)]
    assert all(p.column == "uitkomst" for p in probs)
    assert "'beter' (2×)" in str(exc.value)


def test_numbers_must_be_levels_of_the_scale():
    with pytest.raises(DataValidationError, match="3 problems"):
        gas.parse_levels([-2, "-2", 3], scale="gas4_form")
    assert gas.parse_levels(["-0,5", -0.5], scale="gas_partial").levels.tolist() == [-0.5, -0.5]


def test_user_synonyms_win_and_must_be_levels():
    assert gas.parse_levels(["Achteruitgang"], synonyms={"achteruitgang": -2}).levels.tolist() == [-2.0]
    with pytest.raises(ValueError, match="not a level"):
        gas.parse_levels(["x"], synonyms={"x": 9})


def test_scale_specific_wording():
    # "deels behaald" is +1 on the dissertation's scale but -0.5 on the partial variant
    assert gas.parse_levels(["deels behaald"]).levels.tolist() == [1.0]
    assert gas.parse_levels(["deels behaald"], scale="gas_partial").levels.tolist() == [-0.5]
