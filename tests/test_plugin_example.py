"""The example plugin in ``examples/plugins/zorgeval-plugin-example`` works as a third party's would.

The plugin is built and installed offline into a temporary folder with the running interpreter's
pip (``--no-deps --no-build-isolation --no-index``: the setuptools of the ``test`` extra builds it).
A fresh interpreter with that folder on its path then finds the plugin's instrument and GAS scale
through their entry points, scores a small survey with ``fidelity.score_survey`` against the
instrument's threshold and bands, and converts GAS levels with the scale. Expected values are
worked out by hand below.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "examples" / "plugins" / "zorgeval-plugin-example"
DEFINITIONS = PLUGIN / "src" / "zorgeval_plugin_example"


def _can_build_wheels() -> str | None:
    """Why the running interpreter cannot build a setuptools wheel offline, or None if it can."""
    try:
        import setuptools
    except ImportError:
        return "setuptools is not installed (install the 'test' extra)"
    major_minor = tuple(int(x) for x in setuptools.__version__.split(".")[:2])
    if major_minor < (70, 1):
        try:
            import wheel  # noqa: F401  (setuptools < 70.1 builds wheels through it)
        except ImportError:
            return f"setuptools {setuptools.__version__} < 70.1 needs the 'wheel' package (install the 'test' extra)"
    return None


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    reason = _can_build_wheels()
    if reason:
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("plugin")
    source = work / "zorgeval-plugin-example"
    # build from a copy: setuptools writes build/ and *.egg-info next to the sources
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    site = work / "site"
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
           "--no-index", "--target", str(site), str(source)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, f"pip failed:\n{proc.stdout}\n{proc.stderr}"
    return site


def _run(site: Path, code: str) -> dict:
    """Run code in a fresh interpreter that sees this checkout and the installed plugin."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(site)])
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=env, cwd=site, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_installed_plugin_definitions_are_found_and_used(plugin_site):
    out = _run(
        plugin_site,
        """
        import json
        import pandas as pd
        import fidelity, gas

        inst = fidelity.get_instrument("example-houvast")
        survey = pd.DataFrame({
            "respondent": ["r1", "r2", "r3"],
            "KR1": [5, 4, 3], "KR2": [4, 4, 2], "KR3": [5, 9, 3], "KR4": [1, 2, 4],
        })
        scores = fidelity.score_survey(survey, inst)
        means = scores.scores["KR"]
        stats = scores.scale_stats.set_index("variable")
        scale = gas.get_scale("example-gas7")
        print(json.dumps({
            "instrument_source": fidelity.INSTRUMENTS.source("example-houvast"),
            "scale_source": gas.scale.SCALES.source("example-gas7"),
            "listed": ["example-houvast" in fidelity.list_instruments(), "example-gas7" in gas.list_scales()],
            "means": means.round(10).tolist(),
            "meets": [inst.meets_threshold(m) for m in means],
            "bands": [inst.band(m) for m in means],
            "threshold": inst.threshold.value,
            "scale_stats": {v: [round(float(stats.loc[v, "mean"]), 10), bool(stats.loc[v, "meets_threshold"]),
                                stats.loc[v, "band"]] for v in ["KR", "KR-KRACHT", "KR-REGIE"]},
            "n_non_substantive": int(scores.item_stats.set_index("item").loc["KR3", "n_non_substantive"]),
            "to_gas5": gas.convert_levels([-3, -1, 0, 2], "example-gas7", "gas5").tolist(),
            "score": gas.to_score(3, "example-gas7"),
            "parsed": gas.parse_levels(["Meer bereikt dan verwacht", "vooruitgang"], scale).levels.tolist(),
        }))
        """,
    )
    assert out["instrument_source"].startswith("entry point 'example-houvast'")
    assert out["instrument_source"].endswith("of package 'zorgeval-plugin-example'")
    assert out["scale_source"].startswith("entry point 'example-gas7'")
    assert out["listed"] == [True, True]
    # KR4 is reverse-keyed on 1..5 (x -> 6 - x); 9 ("weet niet") is missing:
    # r1: (5 + 4 + 5 + 5) / 4 = 4.75; r2: (4 + 4 + 4) / 3 = 4.0; r3: (3 + 2 + 3 + 2) / 4 = 2.5
    assert out["means"] == [4.75, 4.0, 2.5]
    assert out["threshold"] == 4.0
    assert out["meets"] == [True, True, False]  # 4.0 meets the inclusive threshold
    assert out["bands"] == ["fidelity", "fidelity", "low"]
    assert out["n_non_substantive"] == 1
    # over respondents: KR (4.75 + 4 + 2.5) / 3 = 3.75; KR1+KR3 per respondent 5, 4, 3 -> 4.0;
    # KR2 + reversed KR4 per respondent 4.5, 4.0, 2.0 -> 3.5; lower band edges are inclusive
    assert out["scale_stats"] == {
        "KR": [3.75, False, "moderate"],
        "KR-KRACHT": [4.0, True, "fidelity"],
        "KR-REGIE": [3.5, False, "moderate"],
    }
    # through the shared keys worst/worse/unchanged/achieved
    assert out["to_gas5"] == [-2.0, -1.0, 0.0, 2.0]
    assert out["score"] == 7.0
    assert out["parsed"] == [3.0, 1.0]


def test_installed_plugin_clashes_with_a_user_file_of_the_same_id(plugin_site):
    out = _run(
        plugin_site,
        f"""
        import json
        import fidelity
        from evalstats import RegistryError
        try:
            fidelity.load_instrument({str(DEFINITIONS / "houvast_demo.toml")!r})
        except RegistryError as exc:
            print(json.dumps({{"error": str(exc)}}))
        """,
    )
    assert out["error"].startswith("instrument id 'example-houvast' is defined twice: in entry point 'example-houvast'")
    assert out["error"].endswith("houvast_demo.toml")


def test_plugin_definition_files_validate_before_publishing():
    """What docs/plugins.md tells a workplace to run before publishing (no installation needed)."""
    import fidelity
    import gas

    inst = fidelity.load_instrument(DEFINITIONS / "houvast_demo.toml", register=False)
    scale = gas.load_scale(DEFINITIONS / "gas7.toml", register=False)
    assert inst.id == "example-houvast" and inst.item("KR4").reverse
    assert scale.id == "example-gas7" and scale.values == [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
    assert "example-houvast" not in fidelity.INSTRUMENTS._items  # register=False leaves the registry alone
