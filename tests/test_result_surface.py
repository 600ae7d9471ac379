"""Every result class has the same surface.

The classes are discovered by importing every module of the packages and walking the subclasses
of :class:`evalstats.result.Result`; an instance of each is taken from the examples in its
module's docstrings (the examples the rules require), so a new result class is checked without
being listed here.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import warnings

import pandas as pd
import pytest

from evalstats.result import Result

PACKAGES = ("evalstats", "fidelity", "gas", "profiles", "zorgeval")


def _import_all() -> None:
    for name in PACKAGES:
        pkg = importlib.import_module(name)
        for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{name}."):
            if ".data." in info.name or info.name.endswith(".__main__"):
                continue
            importlib.import_module(info.name)


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        if not inspect.isabstract(sub) and sub.__module__.split(".")[0] in PACKAGES:
            out.append(sub)
        out += _subclasses(sub)
    return out


_import_all()
CLASSES = sorted(set(_subclasses(Result)), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _found(globs: dict, cls: type):
    for v in list(globs.values()):
        if type(v) is cls:
            return v
        if isinstance(v, Result):
            for w in vars(v).values() if hasattr(v, "__dict__") else ():
                if type(w) is cls:
                    return w
    return None


def _instance(cls: type):
    """Run the examples of ``cls``'s module (its own docstring first) until one makes a ``cls``."""
    module = importlib.import_module(cls.__module__)
    tests = doctest.DocTestFinder().find(module)
    own = f"{cls.__module__}.{cls.__qualname__}"
    tests.sort(key=lambda t: (not t.name.startswith(own), t.name))
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in tests:
        if not test.examples:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runner.run(test, out=lambda _s: None, clear_globs=False)
        obj = _found(test.globs, cls)
        test.globs.clear()
        if obj is not None:
            return obj
    return None


def test_result_classes_are_found():
    names = {c.__name__ for c in CLASSES}
    assert {"OnewayResult", "TTestResult", "AnovaResult", "LogisticResult", "ChiSquareResult",
            "CorrelationResult", "SurveyScores", "PCAResult", "RecheckResult",
            "LevelDistribution", "ProfileValidationResult"} <= names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_surface(cls):
    obj = _instance(cls)
    assert obj is not None, f"no example in {cls.__module__} makes a {cls.__name__}"
    r = repr(obj)
    assert r.startswith(f"<{cls.__name__}") and " object at 0x" not in r
    assert len(r) <= 120
    assert isinstance(obj.table, pd.DataFrame)
    for lang in ("en", "nl"):
        assert isinstance(obj.spss_table(lang), pd.DataFrame)
        sentence = obj.apa(lang)
        assert isinstance(sentence, str) and sentence
        text = obj.summary(lang)
        assert isinstance(text, str) and sentence in text and obj.title_in(lang) in text
        assert isinstance(obj.report(lang), str)
    assert str(obj) == obj.report("en")
    assert "<table" in obj._repr_html_()


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_result_has_its_title_in_both_languages(cls):
    # the Dutch summary names the result in Dutch, not by its class name
    assert set(cls.titles) == {"en", "nl"}, cls.__name__
    assert all(cls.titles.values()) and cls.titles["en"] != cls.titles["nl"], cls.titles
