"""Foundation benchmark: full O*NET + ESCO import (time, peak memory) and title resolution.

Usage::

    python bench/taxonomy.py [--data ../shared/data] [--sample N]

1. Imports everything under DATA/onet and DATA/esco into a fresh SQLite file in a child process,
   reporting wall time and the child's peak resident memory (target: < 60 s, < 1 GB).
2. Resolves each of O*NET's Sample of Reported Titles to an occupation with ``Taxonomy.resolve``
   (lexical: exact, alternate titles, fuzzy) with the Alternate Titles dictionary loaded and the
   reported titles themselves REMOVED from the dictionary (otherwise every lookup is an exact hit),
   reporting hit@1, hit@5 and MRR against the O*NET-SOC code the title was reported for.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import sys, time
from pathlib import Path
from skillpath.store import open_store
from skillpath.taxonomy import import_paths
store = open_store(f"sqlite:///{sys.argv[1]}")
t = time.perf_counter()
r = import_paths(store, [Path(sys.argv[2]) / "onet", Path(sys.argv[2]) / "esco"])
print(time.perf_counter() - t, r.loaded)
"""


def main() -> None:
    from skillpath.config import default_data_dir

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=default_data_dir())
    ap.add_argument("--sample", type=int, default=0, help="resolve only N titles (0 = all)")
    args = ap.parse_args()
    if args.data is None:
        sys.exit("no data folder: pass --data or set SKILLPATH_DATA")
    db = Path(tempfile.mkdtemp()) / "bench.db"
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), str(args.data)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    import_s, counts = out.split(" ", 1)
    print(
        f"import: {float(import_s):.1f} s in import_paths ({wall:.1f} s with process start), "
        f"peak RSS {peak_mb:.0f} MB; {counts}"
    )

    import openpyxl

    from skillpath.store import open_store
    from skillpath.taxonomy import Taxonomy

    tax = Taxonomy.load(open_store(f"sqlite:///{db}"))
    # drop reported titles from the dictionary: we are resolving exactly those
    tax._titles = {
        k: [(t, kind) for t, kind in v if kind != "reported"] for k, v in tax._titles.items()
    }
    tax._index = None
    wb = openpyxl.load_workbook(
        args.data / "onet" / "Sample of Reported Titles.xlsx", read_only=True
    )
    rows = [
        (str(r[0]), str(r[2]))
        for r in list(wb.worksheets[0].iter_rows(values_only=True))[1:]
        if r[2]
    ]
    if args.sample:
        rows = rows[: args.sample]
    hit1 = hit5 = 0
    rr = 0.0
    t = time.perf_counter()
    for code, title in rows:
        hits = [h.occupation.code for h in tax.resolve(title, top=20, taxonomy="onet")]
        if hits and hits[0] == code:
            hit1 += 1
        if code in hits[:5]:
            hit5 += 1
        if code in hits:
            rr += 1 / (hits.index(code) + 1)
    el = time.perf_counter() - t
    n = len(rows)
    print(
        f"title resolution (O*NET Sample of Reported Titles, n={n}, reported titles removed from the "
        f"dictionary): hit@1 {hit1 / n:.3f}, hit@5 {hit5 / n:.3f}, MRR {rr / n:.3f}; "
        f"{n / el:.0f} titles/s"
    )


if __name__ == "__main__":
    main()
