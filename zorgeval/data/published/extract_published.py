"""Extract the published figures the synthetic data are calibrated to from the dissertation text.

    python zorgeval/data/published/extract_published.py [path/to/003_52d41406753d5716.txt]

Writes, next to this script:

* ``reset_gas_levels.csv`` — one row per ReSet goal category whose result block prints the
  five "Doel geheel behaald … Slechtst denkbare situatie" percentages (003: 5721-8290): the seed
  line of the block, the goal category id of the ``reset`` taxonomy, the printed percentages at
  +2 … -2, and N (families with the goal). N is taken from the text after the block
  ("Van de 126 gezinnen …", "van 47 gezinnen", "(N=52)") where it states the total; where it
  does not, N is the smallest number of families whose whole counts reproduce every printed
  percentage (``n_source`` says which).
* ``np_periods.csv`` — table 86 (003: 9976-9986): evaluations per 3-month period and youths per
  number of periods.
* ``reset_ttests.csv`` — independent t tests of the ReSet overall analysis printed with M, SD
  and N of both groups (003: 5966-5969, 7202-7205, 7772-7774, 8036-8044): the group
  descriptives and the printed T(df) and p, each with the seed line of the T statement.

The text is read, never retyped: rerun the script to check the files.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# the dissertation text lies in shared/seeds/ beside the repository
DEFAULT_SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "003_52d41406753d5716.txt"
LABELS = ["Doel geheel behaald", "Doel deels behaald", "Situatie hetzelfde gebleven",
          "Situatie verslechterd", "Slechtst denkbare situatie"]
KIND = {"kinddoel": "child", "gezinsdoel": "family", "ouderdoel": "parent"}
PCT = re.compile(r"^\s*{}\s+([0-9]+(?:,[0-9])?)%\s*$")


def _pct(line: str, label: str) -> float | None:
    m = re.match(PCT.pattern.format(re.escape(label)), line)
    return float(m.group(1).replace(",", ".")) if m else None


def _consistent_n(pcts: list[float], lo: int = 10, hi: int = 244) -> int:
    """Smallest N for which whole counts give every printed percentage (one decimal)."""
    for n in range(lo, hi + 1):
        if all(any(round(100 * k / n, 1) == p for k in range(n + 1)) for p in pcts):
            counts = [round(p * n / 100) for p in pcts]
            if sum(counts) == n:
                return n
    raise ValueError(f"no N in {lo}..{hi} reproduces {pcts}")


def reset_gas_levels(lines: list[str]) -> list[dict]:
    rows = []
    for i, line in enumerate(lines):
        if _pct(line, LABELS[0]) is None or i < 5721 - 1 or i > 8290:
            continue
        block = [_pct(lines[i + k], lab) for k, lab in enumerate(LABELS)]
        if any(v is None for v in block):
            continue
        h, heading = next(
            (j, m) for j in range(i - 1, i - 15, -1)
            if (m := re.search(r"Resultaten.*?(kinddoel|gezinsdoel|ouderdoel)\s+(\d+)", lines[j]))
        )
        category = f"{KIND[heading.group(1)]}-{heading.group(2)}"
        # the text between the heading and the block, then the text after the block
        text = " ".join(lines[h + 1:i] + lines[i + 5:i + 25])
        total = re.search(r"van (?:de )?(\d+) gezinnen", text, flags=re.IGNORECASE)
        share = re.search(r"([0-9]+,[0-9])% van de gezinnen \(N=(\d+)\)", text)
        if total:
            n, source = int(total.group(1)), "text_total"
        elif share:  # "In 86,9% van de gezinnen (N=93) is er ... verbetering": N = 93 / .869
            n = round(int(share.group(2)) * 100 / float(share.group(1).replace(",", ".")))
            source = "text_improved_share"
        else:
            n, source = _consistent_n(block), "consistent_with_percentages"
        rows.append({"line": i + 1, "category": category, "pct_p2": block[0], "pct_p1": block[1],
                     "pct_0": block[2], "pct_m1": block[3], "pct_m2": block[4], "n": n,
                     "n_source": source})
    return rows


def np_periods(lines: list[str]) -> list[dict]:
    start = next(i for i, s in enumerate(lines) if s.startswith("Tabel 86 "))
    rows = []
    for i in range(start, start + 15):
        m = re.match(r"^\s*(\w+) maanden\s+(\d+)\s+(\d+) jongeren met", lines[i])
        if m:
            rows.append({"line": i + 1, "period": len(rows) + 1, "evaluations": int(m.group(2)),
                         "youths_with_n_periods": int(m.group(3))})
    return rows


#: (first line, last line, comparisons as (group 1, group 2, T statement) indices into the
#: M/SD/N statements and the T statements of that passage, in their order of appearance)
TTEST_PASSAGES = [
    (5966, 5969, [("child-2: not care-avoiding vs care-avoiding", 0, 1, 0)]),
    (7202, 7205, [("parent-5: debts vs no debts", 0, 1, 0)]),
    (7772, 7774, [("family-3: organisation C vs B", 0, 1, 0)]),
    (8036, 8044, [("parent-8: profile B vs A", 0, 3, 0), ("parent-8: profile C vs A", 1, 3, 1),
                  ("parent-8: profile D vs A", 2, 3, 2), ("parent-8: profile D vs E", 4, 5, 3),
                  ("parent-8: organisation C vs A", 6, 7, 4)]),
]
M_SD_N = re.compile(r"M=([\d,]+); SD=([\d,]+);? N=(\d+)")
T_STAT = re.compile(r"T\((\d+)\)\s*=\s*([\d,]+);?\s*p\s*=?\s*([.,]\d+)")


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def reset_ttests(lines: list[str]) -> list[dict]:
    rows = []
    for first, last, comparisons in TTEST_PASSAGES:
        # the passage as one string (statements wrap over lines); a match's line is found
        # from its offset
        passage = " ".join(line.strip() for line in lines[first - 1:last])
        ends = [0]
        for line in lines[first - 1:last]:
            ends.append(ends[-1] + len(line.strip()) + 1)

        def line_of(m: re.Match, ends=ends, first=first) -> int:
            return first + next(k for k in range(len(ends) - 1) if m.start() < ends[k + 1])

        stats = [(line_of(m), m) for m in M_SD_N.finditer(passage)]
        tests = [(line_of(m), m) for m in T_STAT.finditer(passage)]
        for label, g1, g2, t in comparisons:
            (_, a), (_, b), (line, tm) = stats[g1], stats[g2], tests[t]
            rows.append({"comparison": label, "line": line,
                         "m1": _num(a.group(1)), "sd1": _num(a.group(2)), "n1": int(a.group(3)),
                         "m2": _num(b.group(1)), "sd2": _num(b.group(2)), "n2": int(b.group(3)),
                         "printed_df": int(tm.group(1)), "printed_t": _num(tm.group(2)),
                         "printed_p": _num(tm.group(3))})
    return rows


def _write(rows: list[dict], path: Path) -> None:
    cols = list(rows[0])
    text = ",".join(cols) + "\n" + "".join(",".join(str(r[c]) for c in cols) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    seed = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SEED
    text = seed.read_text(encoding="utf-8").splitlines()
    _write(reset_gas_levels(text), HERE / "reset_gas_levels.csv")
    _write(np_periods(text), HERE / "np_periods.csv")
    _write(reset_ttests(text), HERE / "reset_ttests.csv")
    print(f"wrote reset_gas_levels.csv, np_periods.csv and reset_ttests.csv into {HERE}")
