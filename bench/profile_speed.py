"""Speed of a CV end to end (read + infer), warm, on the default text engine (SKILLPATH_TEXT_ENGINE to pick one).

Usage::

    python bench/profile_speed.py [--db URL] [--repeat 20]

Without ``--db`` (or with an empty store) the taxonomy is imported first from the shared data
folder (``SKILLPATH_DATA`` or ``../shared/data``) into a temporary SQLite file. Reports the
one-off costs (taxonomy load, linker build, first call) and the warm median / p95 per example
CV; ``data-analyst.pdf`` is the two-page CV of the target (under 1 s warm).

``--first-call`` measures the first CV read on a store whose indexes were never built (a fresh
cache directory each time), each step in a new process, wall clock from process start:

* before (the naive baseline): the first ``profile`` builds every index itself;
* now: ``data import`` ends by building them (``prepare_indexes``, timed on its own), then the
  first ``profile`` only loads them.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from skillpath.config import default_data_dir
from skillpath.profile import infer_profile, read_cv
from skillpath.store import open_store
from skillpath.taxonomy import Taxonomy, default_paths, import_paths, resolve_roles
from skillpath.text import skill_linker

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "cv"
CVS = [
    "data-analyst.pdf",
    "developer.resume.json",
    "linkedin-nurse.zip",
    "marketing.docx",
    "teacher.md",
]


_FIRST = """
import sys, time
t0 = float(sys.argv[1])
from datetime import date
from skillpath.profile import infer_profile, prepare_indexes, read_cv
from skillpath.store import open_store
from skillpath.taxonomy import Taxonomy
tax = Taxonomy.load(open_store(sys.argv[2]))
if sys.argv[3] == "prepare":
    prepare_indexes(tax)
else:
    infer_profile(read_cv(sys.argv[3]), tax, today=date(2025, 6, 1))
print(f"{time.time() - t0:.2f}")
"""


def _timed(url: str, what: str, cache: str) -> float:
    import os
    import subprocess
    import sys

    env = {**os.environ, "SKILLPATH_CACHE_DIR": cache}
    out = subprocess.run(
        [sys.executable, "-c", _FIRST, repr(time.time()), url, what],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(out.stdout.strip().splitlines()[-1])


def first_call(url: str) -> None:
    cv = str(EXAMPLES / "data-analyst.pdf")
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        before = _timed(url, cv, a)
        prep = _timed(url, "prepare", b)
        now = _timed(url, cv, b)
    print("| first `profile` of data-analyst.pdf on a store never indexed | wall s |")
    print("|---|---:|")
    print(f"| before: the first call builds every index (naive baseline) | {before:.1f} |")
    print(f"| now: `data import` ends with `prepare_indexes` (one-off, at import) | {prep:.1f} |")
    print(f"| now: the first call after that import | {now:.1f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="store URL with the taxonomy imported")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument(
        "--first-call", action="store_true", help="first call on a never-indexed store only"
    )
    args = ap.parse_args()
    if args.first_call:
        if not args.db:
            raise SystemExit("--first-call needs --db (a store with the taxonomy imported)")
        first_call(args.db)
        return
    url = args.db
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    store = open_store(url)
    tax = Taxonomy.load(store)
    if tax.empty:
        data = default_data_dir()
        if data is None:
            raise SystemExit(
                "no taxonomy and no shared data folder: pass --db or set SKILLPATH_DATA"
            )
        t = time.perf_counter()
        import_paths(store, default_paths(data))
        print(f"import O*NET + ESCO: {time.perf_counter() - t:.1f} s (one-off)")
        tax = Taxonomy.load(store, refresh=True)
    t = time.perf_counter()
    tax = Taxonomy.load(store, refresh=True)
    print(
        f"taxonomy load: {time.perf_counter() - t:.2f} s ({len(tax.occupations)} occupations, {len(tax.skills)} skills)"
    )
    t = time.perf_counter()
    skill_linker(tax)
    resolve_roles(tax, ["software developer"])
    print(
        f"linker + role index build (skills + titles): {time.perf_counter() - t:.2f} s (one-off, cached)"
    )
    today = date(2025, 6, 1)
    print("\n| CV | first call (s) | warm median (s) | warm p95 (s) | skills | occupations |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in CVS:
        path = EXAMPLES / name
        t = time.perf_counter()
        state = infer_profile(read_cv(path), tax, today=today)
        first = time.perf_counter() - t
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            state = infer_profile(read_cv(path), tax, today=today)
            times.append(time.perf_counter() - t)
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(
            f"| {name} | {first:.3f} | {statistics.median(times):.3f} | {p95:.3f} | "
            f"{len(state.estimates)} | {len(state.occupations)} |"
        )


if __name__ == "__main__":
    main()
