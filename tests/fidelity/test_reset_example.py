"""The first README command: the ReSet example evaluation writes its report."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

from fidelity import get_instrument

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "reset_evaluation.py"


def test_reset_example_writes_report(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "out"], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "respondents" in proc.stdout and "report written to out/" in proc.stdout
    out = tmp_path / "out"
    for name in ["fidelity.md", "fidelity_items.csv", "fidelity_scales.csv", "fidelity_groups.csv",
                 "fidelity_scores.csv", "fidelity_comparison_item.csv", "fidelity_item_means.png"]:
        assert (out / name).stat().st_size > 0, name
    assert (out / "fidelity_item_means.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (out / "fidelity.md").read_text(encoding="utf-8")
    items = pd.read_csv(out / "fidelity_items.csv")
    scored = [it.code for it in get_instrument("reset").items if it.excluded is None]
    assert sorted(items["item"]) == sorted(scored)
    for row in items.itertuples():
        # every item has a table row carrying its total N
        line = next(ln for ln in md.splitlines() if ln.startswith(f"| {row.item} |"))
        assert f"(n = {row.n})" in line
    respondents = pd.read_csv(out / "fidelity_scores.csv")
    assert f"N = {len(respondents)}" in md
    # every comparison of an item with two or more groups appears as APA text
    assert len(re.findall(r"F\(3, \d+\) = \d+\.\d\d, p [=<] \.\d{3}", md)) >= len(scored) // 2
