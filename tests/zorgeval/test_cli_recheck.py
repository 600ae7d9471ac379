"""The ``zorgeval recheck`` command: flagged statistics with their line, a summary, CSV and HTML."""

from __future__ import annotations

import pandas as pd

from zorgeval.cli import main


def test_recheck_command(tmp_path, capsys):
    src = tmp_path / "rapport.txt"
    src.write_text("Inleiding.\nt(28) = 2,37; p = ,03 en F(3; 65)=2,67; p=.03.\n", encoding="utf-8")
    csv, html = tmp_path / "checks.csv", tmp_path / "checks.html"
    assert main(["recheck", str(src), "--lang", "nl", "--csv", str(csv), "--html", str(html)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{src}:2: decision error: F(3; 65)=2,67; p=,03 geeft p tussen")
    assert out[-1] == "2 controles: 1 consistent, 0 inconsistent, 1 beslisfout, 0 niet gecontroleerd."
    assert pd.read_csv(csv)["verdict"].tolist() == ["consistent", "decision error"]
    assert '<mark class="decision-error"' in html.read_text(encoding="utf-8")


def test_recheck_command_missing_file(tmp_path, capsys):
    assert main(["recheck", str(tmp_path / "absent.txt")]) == 1
    assert "absent.txt: file not found" in capsys.readouterr().err
