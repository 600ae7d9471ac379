"""recheck speed: every statistic of the dissertation text (about 950 kB, 15,000 lines).

Run from the repository root:  python benchmarks/bench_recheck.py [path/to/text.txt]
Without a path it reads ``../shared/seeds/003_52d41406753d5716.txt`` beside the repository; when
that is absent it times a text of the same size built from APA sentences and ANOVA tables.
Prints the time of ``evalstats.recheck.text`` (target: under 5 s), the number of checks and the
count per verdict.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evalstats import recheck  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "003_52d41406753d5716.txt"

path = Path(sys.argv[1]) if len(sys.argv) > 1 else SEED
if path.is_file():
    source, name = path.read_text(encoding="utf-8"), path.name
else:
    block = ("De gezinnen verschillen (F(3; 64)=8,27; p=.00) en (T(68)=2,60; p=.01) in de "
             "resultaten, zonder verdere toelichting in deze zin van gewone tekst.\n"
             "Type III SS df MS F p ηp²\nCorrect Model 17,82ª 4 4,45 25,58 ,00 ,71\n"
             "Intercept 2,19 1 2,19 12,56 ,00 ,23\nError 7,31 42 ,17\nTotaal 998,77 47\n\n")
    source, name = block * (950_000 // len(block)), "synthetic text"

start = time.perf_counter()
res = recheck.text(source, lang="nl")
seconds = time.perf_counter() - start
print(f"{name}: {len(source) / 1e3:,.0f} kB, {source.count(chr(10)):,} lines")
print(f"recheck.text: {seconds:.2f} s (target < 5 s), {len(res.checks)} checks")
print(", ".join(f"{v}: {n}" for v, n in res.counts().items()))
