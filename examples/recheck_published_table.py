"""Re-check published group comparisons from their printed M, SD and N.

    python examples/recheck_published_table.py

A published table that prints M, SD and N per group carries enough to recompute its test
statistic. This script does that for two sets of comparisons of the ReSet dissertation, with the
same formulas that produce the library's own tables (`evalstats.oneway_from_summary`,
`evalstats.ttest_from_summary`):

1. one-way ANOVAs of fidelity items between the four organisations (tables 22-28), read from
   the seed by ``tests/fixtures/groups/extract_dissertation.py``;
2. independent t tests of the overall analysis (003: 5968-8044), read from the seed by
   ``zorgeval/data/published/extract_published.py``.

For each it prints the published value, the value computed from the printed descriptives, and
the p that belongs to the printed statistic with the printed df; ``follows`` says whether the
printed p is that p rounded to two decimals. ``printed_t_is`` names the t-test variant whose t
the printed t is (within .02, the rounding of the printed M and SD, and more than .1 from the
other variant), or ``either``. Nothing is typed in by hand.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
from scipy import stats

from evalstats import oneway_from_summary, ttest_from_summary

ROOT = Path(__file__).resolve().parent.parent
ANOVA_FIXTURE = ROOT / "tests" / "fixtures" / "groups" / "dissertation_items.csv"


def _follows(p_exact: float, printed: float) -> bool:
    """Does the printed two-decimal p follow from the exact p (``.00`` for p < .005)?"""
    return round(p_exact, 2) == round(printed, 2)


def recheck_anovas(path: Path = ANOVA_FIXTURE) -> pd.DataFrame:
    """One row per item: printed F(df1; df2) and p, F recomputed from M/SD/N, p of the printed F."""
    rows = []
    for item, g in pd.read_csv(path).groupby("item", sort=False):
        res = oneway_from_summary(g["M"], g["SD"], g["N"], labels=list(g["org"]))
        first = g.iloc[0]
        p_of_printed = float(stats.f.sf(first["printed_F"], first["printed_df1"], first["printed_df2"]))
        rows.append({
            "item": item, "line": int(first["f_line"]),
            "printed": f"F({first['printed_df1']}; {first['printed_df2']}) = {first['printed_F']:.2f}; "
                       f"p = {first['printed_p']:.2f}",
            "computed_F": res.F, "computed_df2": res.df2, "computed_p": res.p,
            "p_of_printed_F": p_of_printed,
            "follows": _follows(p_of_printed, first["printed_p"]),
        })
    return pd.DataFrame(rows)


def recheck_ttests() -> pd.DataFrame:
    """One row per comparison: printed T(df) and p, Student and Welch t from M/SD/N, p of the printed t."""
    with resources.as_file(resources.files("zorgeval") / "data" / "published"
                           / "reset_ttests.csv") as path:
        table = pd.read_csv(path)
    rows = []
    for r in table.itertuples(index=False):
        res = ttest_from_summary(r.m1, r.sd1, r.n1, r.m2, r.sd2, r.n2)
        p_of_printed = float(2 * stats.t.sf(abs(r.printed_t), r.printed_df))
        student, welch = res.student, res.welch
        # which variant the printed t is: within .02 of one (rounding of the printed M and SD)
        # and more than .1 away from the other; otherwise "either"
        d_student, d_welch = abs(student.t - r.printed_t), abs(welch.t - r.printed_t)
        closest = ("Student" if d_student < 0.02 and d_welch > 0.1 else
                   "Welch" if d_welch < 0.02 and d_student > 0.1 else "either")
        rows.append({
            "comparison": r.comparison, "line": r.line,
            "printed": f"T({r.printed_df}) = {r.printed_t:.2f}; p = {r.printed_p:.2f}",
            "student_t": student.t, "student_df": student.df, "welch_t": welch.t,
            "welch_df": welch.df, "printed_t_is": closest,
            "p_of_printed_t": p_of_printed, "follows": _follows(p_of_printed, r.printed_p),
        })
    return pd.DataFrame(rows)


def main() -> None:
    pd.set_option("display.width", 200)
    anovas = recheck_anovas()
    print("One-way ANOVA between organisations (fidelity items)\n")
    print(anovas.round(4).to_string(index=False))
    ttests = recheck_ttests()
    print("\nIndependent t tests of the overall analysis\n")
    print(ttests.round(4).to_string(index=False))
    print("\nWhere the printed value does not follow:")
    for r in anovas[~anovas["follows"]].itertuples():
        print(f"  {r.item} (line {r.line}): {r.printed}, but the printed F with its df gives "
              f"p = {r.p_of_printed_F:.4f}")
    for r in ttests[~ttests["follows"]].itertuples():
        print(f"  {r.comparison} (line {r.line}): {r.printed}, but the printed t with its df gives "
              f"p = {r.p_of_printed_t:.4f}")
    for r in ttests[ttests["printed_t_is"] == "Welch"].itertuples():
        print(f"  {r.comparison} (line {r.line}): the printed t is the Welch t ({r.welch_t:.2f}, "
              f"df {r.welch_df:.2f}) printed with the Student df {r.student_df:.0f} "
              f"(Student t = {r.student_t:.2f})")


if __name__ == "__main__":
    main()
