"""Tag precision and recall against the skills providers list for their own courses.

Usage::

    python bench/tagging.py --db sqlite:///PATH [--old-tagger OLD/src/skillpath/catalog/_tagging.py]

Ground truth: ``catalogs-labelled/coursera_2021_with_skills.xlsx`` (3,522 courses, the skills
Coursera lists, separated by two spaces) and ``coursera_2023_with_skills.csv`` (1,120 with skills,
comma-separated). Each provider label is linked to taxonomy concepts with the same linker the tagger
uses (hits scoring >= 0.75, at most 3: "Python Programming" -> Python, Programming, computer
programming); a tag is right when its concept is one of the course's labelled concepts.

Courses are split by a hash of the title: 80 % train (where the confidence threshold is chosen, for
the best F1), 20 % held out (where precision and recall are reported). The previous tagger (the
file given by ``--old-tagger``, loaded as a module) runs on the same courses with the same linker
in the same run. Calibration: the share of right tags per confidence bin on the held-out part.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from skillpath.catalog._tagging import catalog_linker, tag_courses
from skillpath.config import default_data_dir
from skillpath.store import open_store
from skillpath.taxonomy import Taxonomy


def _course(pid: str, title: str, description: str = "", subject: str = "") -> SimpleNamespace:
    return SimpleNamespace(
        id=pid,
        title=title,
        subject=subject,
        summary="",
        description=description,
        syllabus="",
        prerequisites_text="",
        level=2.5,
        language="",
    )


def load(data: Path) -> dict[str, list[tuple[Any, list[str]]]]:
    """Provider -> [(course row, provider skill labels)]."""
    import openpyxl

    out: dict[str, list[tuple[Any, list[str]]]] = {"coursera-2021": [], "coursera-2023": []}
    wb = openpyxl.load_workbook(
        data / "catalogs-labelled" / "coursera_2021_with_skills.xlsx", read_only=True
    )
    rows = wb.worksheets[0].iter_rows(values_only=True)
    head = [str(h) for h in next(rows)]
    ix = {h: i for i, h in enumerate(head)}
    for n, r in enumerate(rows):
        title = str(r[ix["Course_Name"]] or "")
        skills = [s.strip() for s in str(r[ix["Skills"]] or "").split("  ") if s.strip()]
        if title and skills:
            out["coursera-2021"].append(
                (_course(f"c21:{n}", title, str(r[ix["Course_Description"]] or "")), skills)
            )
    with (data / "catalogs-labelled" / "coursera_2023_with_skills.csv").open(encoding="utf-8") as f:
        for n, rec in enumerate(csv.DictReader(f)):
            skills = [s.strip() for s in (rec.get("skills") or "").split(",") if s.strip()]
            if rec.get("course") and skills:
                out["coursera-2023"].append((_course(f"c23:{n}", rec["course"]), skills))
    return out


def held_out(title: str) -> bool:
    return int(hashlib.sha1(title.encode()).hexdigest(), 16) % 5 == 0


def gold_sets(linker: Any, labelled: list[tuple[Any, list[str]]]) -> list[set[str]]:
    names = sorted({s for _c, skills in labelled for s in skills})
    hits = dict(zip(names, linker.link_many(names, top_k=3), strict=True))
    return [{h.id for s in skills for h in hits[s] if h.score >= 0.75} for _c, skills in labelled]


def prf(
    pred: list[list[tuple[str, float]]], gold: list[set[str]], thr: float
) -> tuple[float, float, float, int]:
    tp = fp = fn = 0
    for p, g in zip(pred, gold, strict=True):
        ids = {s for s, c in p if c >= thr}
        tp += len(ids & g)
        fp += len(ids - g)
        fn += len(g - ids)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, tp + fp


def run(tagger: Any, linker: Any, rows: list[Any]) -> list[list[tuple[str, float]]]:
    return [[(s.skill_id, s.confidence) for s in r.skills] for r in tagger(rows, linker)]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", required=True)
    ap.add_argument("--old-tagger", type=Path)
    ap.add_argument(
        "--engines",
        default="lexical",
        help="text engines to tag with, comma-separated (lexical, hybrid); the provider labels "
        "are linked with the lexical engine for every one, so all are scored on the same gold",
    )
    args = ap.parse_args()
    data = default_data_dir()
    if data is None:
        sys.exit("no data: set SKILLPATH_DATA")
    tax = Taxonomy.load(open_store(args.db))
    linker = catalog_linker(tax)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    linkers = {e: linker if e == "lexical" else catalog_linker(tax, engine=e) for e in engines}
    taggers: dict[str, Any] = {
        ("new" if e == "lexical" else f"new ({e})"): (tag_courses, linkers[e]) for e in engines
    }
    if args.old_tagger:
        spec = importlib.util.spec_from_file_location("old_tagging", args.old_tagger)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        sys.modules["old_tagging"] = mod  # dataclasses look their module up
        spec.loader.exec_module(mod)
        taggers["old"] = (mod.tag_courses, linker)
    thresholds = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    for provider, labelled in load(data).items():
        gold = gold_sets(linker, labelled)
        train = [i for i, (c, _s) in enumerate(labelled) if not held_out(c.title)]
        test = [i for i, (c, _s) in enumerate(labelled) if held_out(c.title)]
        rows = [c for c, _s in labelled]
        print(
            f"{provider}: {len(labelled)} courses with provider skills ({len(test)} held out), "
            f"{sum(len(g) for g in gold) / max(1, len(gold)):.1f} labelled concepts per course"
        )
        for name, (tagger, tag_linker) in taggers.items():
            pred = run(tagger, tag_linker, rows)
            best = max(
                thresholds,
                key=lambda t: prf([pred[i] for i in train], [gold[i] for i in train], t)[2],
            )
            p, r, f1, n = prf([pred[i] for i in test], [gold[i] for i in test], best)
            p4, r4, f14, n4 = prf([pred[i] for i in test], [gold[i] for i in test], 0.4)
            print(
                f"  {name}: held-out precision {p:.3f} recall {r:.3f} F1 {f1:.3f} ({n} tags) at the threshold "
                f"chosen on train ({best}); at 0.4: P {p4:.3f} R {r4:.3f} F1 {f14:.3f} ({n4} tags)"
            )
            bins = [(0.4, 0.6), (0.6, 0.8), (0.8, 0.95), (0.95, 1.01)]
            cal = []
            for lo, hi in bins:
                right = total = 0
                for i in test:
                    for s, c in pred[i]:
                        if lo <= c < hi:
                            total += 1
                            right += s in gold[i]
                cal.append(
                    f"[{lo:.2f},{min(hi, 1):.2f}): {right}/{total} right"
                    + (f" ({right / total:.0%})" if total else "")
                )
            print("    calibration (held out): " + "; ".join(cal))


if __name__ == "__main__":
    main()
