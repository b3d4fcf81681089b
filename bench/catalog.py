"""Catalogue benchmark: import + tagging time of the ~5,300 shared courses, duration coverage,
and a random sample of 30 courses with their top-5 skills for a manual spot check.

Usage::

    python bench/catalog.py [--db /tmp/bench-catalog.db] [--sample 30] [--seed 7]

Needs the taxonomy imported into the same database
(``skillpath --db /tmp/bench-catalog.db data import ../shared/data/onet ../shared/data/esco``).
Prints Markdown for docs/benchmarks.md (## Catalogue).
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from pathlib import Path

from skillpath.catalog import duration_pattern, import_path, load_catalog, search, tag_catalog
from skillpath.config import default_data_dir
from skillpath.store import open_store
from skillpath.taxonomy import Taxonomy


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/bench-catalog.db")
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    data = default_data_dir()
    if data is None:
        raise SystemExit("shared data folder not found (SKILLPATH_DATA)")
    store = open_store(f"sqlite:///{Path(args.db).resolve()}")

    t0 = time.perf_counter()
    reports = import_path(store, data / "catalogs")
    t_import = time.perf_counter() - t0
    print("## Catalogue\n")
    print("| file | rows | new | updated | unchanged | rejected | duplicates | ratings |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in reports:
        print(
            f"| {Path(r.file).name} | {r.rows} | {r.inserted} | {r.updated} | {r.unchanged} | "
            f"{len(r.rejected)} | {len(r.duplicates)} | {r.ratings:,} |"
        )
    print(f"\nImport of all three files + 1.45M ratings: {t_import:.1f} s\n")

    t0 = time.perf_counter()
    tax = Taxonomy.load(store)
    t_tax = time.perf_counter() - t0
    if not tax.skills:
        raise SystemExit(
            "no taxonomy in this database: run `skillpath --db ... data import ...` first"
        )
    t0 = time.perf_counter()
    rep = tag_catalog(store, tax=tax, force=True)
    t_tag = time.perf_counter() - t0
    print(
        f"Tagging {rep.tagged:,} courses (lexical engine, {len(tax.skills):,} taxonomy skills): "
        f"{t_tag:.1f} s including the linker build; taxonomy load {t_tax:.1f} s; "
        f"{rep.skills:,} skill tags.\n"
    )

    courses = load_catalog(store, include_duplicates=True)
    n = len(courses)
    stated = sum(1 for c in courses if c.hours is not None and not c.hours_estimated)
    est = sum(
        1
        for c in courses
        if c.hours is not None
        and c.hours_estimated
        and c.extra.get("hours_pattern") != "provider default"
    )
    dflt = sum(1 for c in courses if c.extra.get("hours_pattern") == "provider default")
    tagged = sum(1 for c in courses if c.skills)
    print(
        f"Duration coverage: {stated}/{n} ({stated / n:.1%}) hours read from the course; "
        f"{est} partly estimated (weeks without hours/week); {dflt} provider default "
        "(no duration in the file: all Coursera rows). Courses with >=1 skill: "
        f"{tagged}/{n} ({tagged / n:.1%}).\n"
    )
    pats: Counter[tuple[str, str, str]] = Counter()
    examples: dict[tuple[str, str, str], str] = {}
    for c in courses:
        key = (
            c.provider,
            duration_pattern(str(c.extra.get("duration_text") or "")),
            str(c.extra.get("hours_pattern")),
        )
        pats[key] += 1
        examples.setdefault(key, str(c.extra.get("duration_text") or ""))
    print("| provider | text pattern | parsed as | courses | example |")
    print("|---|---|---|---:|---|")
    shown = 0
    for (prov, pat, how), k in pats.most_common():
        if shown >= 14:
            break
        print(f"| {prov} | `{pat}` | {how} | {k} | {examples[(prov, pat, how)][:40]} |")
        shown += 1
    print(
        f"| ... | {len(pats) - shown} more shapes | | {sum(pats.values()) - sum(k for _, k in pats.most_common(shown))} | |\n"
    )

    rng = random.Random(args.seed)
    sample = rng.sample([c for c in courses if c.duplicate_of is None], args.sample)
    print(f"Spot check: {args.sample} random courses (seed {args.seed}), top-5 skills\n")
    print("| course | top-5 skills |")
    print("|---|---|")
    for c in sample:
        skills = "; ".join(f"{s.label} ({s.confidence:.2f})" for s in c.skills[:5]) or "(none)"
        print(f"| {c.id} {c.title[:50]} | {skills} |")

    hits = search(load_catalog(store), "python data analysis", max_hours=40, limit=5)
    print('\n`catalog search "python data analysis" --max-hours 40` top 5:\n')
    for h in hits:
        c = h.course
        print(
            f"- {c.title} ({c.id}): {c.hours:g} h, rating {c.rating}, skills "
            f"{', '.join(s.label for s in c.skills[:3])}"
        )


if __name__ == "__main__":
    main()
