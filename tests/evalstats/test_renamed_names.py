"""The names renamed in 0.2 still work for one release, with a DeprecationWarning."""

import pandas as pd
import pytest

from evalstats import factorial_anova, logistic_regression, oneway_anova
from evalstats.groups import levene, ttest_ind

DF = pd.DataFrame({"y": [2.0, 3, 4, 6, 7, 8, 5, 6, 4, 5], "g": list("aabbbbaaab"),
                   "b": [0, 1, 0, 1, 1, 0, 1, 0, 0, 1]})


@pytest.mark.parametrize("func", [oneway_anova, levene, ttest_ind])
def test_dv_keyword_is_an_alias_of_outcome(func):
    new = func(DF, outcome="y", group="g")
    with pytest.warns(DeprecationWarning, match=r"\(dv=\.\.\.\) is deprecated; use outcome"):
        old = func(DF, dv="y", group="g")
    assert old.table.equals(new.table)


def test_dv_keyword_and_attribute_of_models():
    res = factorial_anova(DF, outcome="y", factors=["g"])
    with pytest.warns(DeprecationWarning):
        assert factorial_anova(DF, dv="y", factors=["g"]).table.equals(res.table)
    with pytest.warns(DeprecationWarning, match="AnovaResult.dv is deprecated"):
        assert res.dv == res.outcome == "y"
    lr = logistic_regression(DF, outcome="b", predictors=["y"])
    with pytest.warns(DeprecationWarning, match="LogisticResult.dv"):
        assert lr.dv == "b"


def test_old_and_new_keyword_together_is_an_error():
    with pytest.raises(TypeError, match="both 'dv' and 'outcome'"):
        oneway_anova(DF, dv="y", outcome="y", group="g")
