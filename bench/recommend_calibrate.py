"""Choose the recommender's relevance blend and diversity on the calibration moves, not the advice
benchmark's (decision 0148).

Usage::

    python bench/recommend_calibrate.py --db sqlite:///STORE_WITH_CATALOGUE.db

For each of ``bench/relevance_fit.py``'s eight calibration moves (a source occupation as the
learner, the target occupation, keyword sets written once), run the recommendation the CLI shows
(``Service.recommend``, top 10) for each MMR diversity and relevance weight in the grid, and count
the on-topic courses by the advice benchmark's rule. Print the grid; the best setting is then
scored once on the advice benchmark (``bench/advice.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from advice import course_text, on_topic
from relevance_fit import CALIBRATION

# the learner each calibration move starts from (the source role issue 13 quotes)
SOURCES = {
    "11-9111.00": "29-1141.00",  # registered nurse
    "25-9031.00": "25-2021.00",  # elementary school teacher
    "11-3071.04": "53-7062.00",  # laborers and freight, stock, and material movers
    "15-2051.00": "15-2051.01",  # business intelligence analyst (data analyst)
    "15-1244.00": "15-1254.00",  # web developer
    "13-2051.00": "13-2011.00",  # accountant
    "11-3121.00": "41-1011.00",  # first-line supervisor of retail sales workers
    "17-2141.00": "17-3027.00",  # mechanical engineering technologist
}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", required=True)
    ap.add_argument("--diversity", default="0,0.1,0.3")
    ap.add_argument("--relevance", default="4,8,16")
    args = ap.parse_args()
    os.environ["SKILLPATH_DB"] = args.db
    import skillpath.recommend as REC
    from skillpath.catalog import load_catalog
    from skillpath.cli._app import get_service
    from skillpath.recommend import Filters
    from skillpath.recommend import _pipeline as P

    svc = get_service()
    tax = svc.taxonomy
    summaries = {c.id: c.summary or "" for c in load_catalog(svc.store)}
    grid = [
        (float(d), float(r)) for d in args.diversity.split(",") for r in args.relevance.split(",")
    ]
    totals = {g: [0, 0] for g in grid}
    base = dict(P.Blender().weights)
    plain = REC.recommend_courses
    for name, target, kws in CALIBRATION:
        learner = svc.learner_from_role(SOURCES[target])
        occ = tax.get_occupation(target)
        for d, r in grid:
            blender = P.Blender({**base, "relevance": r})
            REC.recommend_courses = lambda *a, _b=blender, **k: plain(*a, **{**k, "blender": _b})  # type: ignore[misc]
            try:
                res = svc.recommend(learner, occ, n=10, diversity=d, filters=Filters())
            finally:
                REC.recommend_courses = plain  # type: ignore[misc]
            items = list(res.items)[:10]
            hits = sum(
                on_topic(
                    course_text({"title": x.title, "summary": summaries.get(x.course, "")}), kws
                )
                for x in items
            )
            totals[(d, r)][0] += hits
            totals[(d, r)][1] += len(items)
            print(f"{name[:40]:40s} diversity {d} relevance {r}: {hits}/{len(items)}", flush=True)
    print("\n| diversity | relevance weight | top 10 on topic (calibration moves) |\n|---|---|---|")
    for (d, r), (h, n) in totals.items():
        print(f"| {d} | {r} | {h} / {n} ({h / max(n, 1):.1%}) |")


if __name__ == "__main__":
    main()
