"""Reading yes/no/unknown codes and Kleene's three-valued AND / OR."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalstats.tristate import parse_tri, tri_and, tri_or


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ja", "yes"), ("JA ", "yes"), ("j", "yes"), ("Yes", "yes"), ("waar", "yes"), (1, "yes"),
     (1.0, "yes"), (True, "yes"), (np.int64(1), "yes"), (np.bool_(True), "yes"), ("1", "yes"),
     ("nee", "no"), ("N", "no"), (0, "no"), (False, "no"), ("0.0", "no"), ("onwaar", "no"),
     ("onbekend", "unknown"), ("?", "unknown"), ("", "unknown"), (None, "unknown"),
     (float("nan"), "unknown"), (pd.NA, "unknown"), (np.nan, "unknown"),
     ("undetermined", "unknown"), ("onbepaald", "unknown"),
     (2, None), (-1, None), ("ja/nee", None), ("misschien", None), (0.5, None)],
)
def test_codes(value, expected):
    assert parse_tri(value) == expected


def _as_bool_sets(v):
    return {"yes": {True}, "no": {False}, "unknown": {True, False}}[v]


@given(st.lists(st.sampled_from(["yes", "no", "unknown"]), max_size=6))
def test_kleene_logic_is_the_set_of_possible_answers(values):
    """AND / OR of three-valued inputs = every answer some completion of the unknowns gives."""
    ands = {all(c) for c in itertools.product(*map(_as_bool_sets, values))}
    ors = {any(c) for c in itertools.product(*map(_as_bool_sets, values))}
    back = {frozenset({True}): "yes", frozenset({False}): "no", frozenset({True, False}): "unknown"}
    assert tri_and(values) == back[frozenset(ands)]
    assert tri_or(values) == back[frozenset(ors)]
