"""Mastery calibration: how close do calibrated peer grades come to tutor grades?

Data: ../shared/data/feedback/peer-vs-tutor (741 peer grades, 741 tutor grades of the same 247
R-coding submissions, 5-item rubric; Jones-Todd & Renelle 2025). Reference = the mean tutor total
per submission. Baseline = the raw mean of the peers' totals. Calibrated = each peer's total
corrected by their severity and weighted by their consistency, both estimated by
``skillpath.mentoring.reviewer_stats`` on the OTHER folds only (5-fold by submission, 5 seeds), so
no submission's tutor grade informs its own calibrated score.

Run: python bench/mastery.py
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import random
import statistics
from collections import defaultdict
from pathlib import Path

from skillpath.mentoring import reviewer_stats


def _data() -> Path:
    base = os.environ.get("SKILLPATH_DATA") or str(
        Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    return Path(base) / "feedback" / "peer-vs-tutor" / "derived_csv"


def _corr(a: list[float], b: list[float]) -> float:
    ma, mb = statistics.fmean(a), statistics.fmean(b)
    num = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    den = math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
    return num / den if den else 0.0


def main() -> None:
    d = _data()
    peers: dict[str, list[tuple[str, float]]] = defaultdict(list)
    with (d / "peer_grades.csv").open() as f:
        for r in csv.DictReader(f):
            peers[r["file_name"]].append((r["assessor_id"], float(r["score"])))
    tutors: dict[str, list[float]] = defaultdict(list)
    with (d / "tutor_grades.csv").open() as f:
        for r in csv.DictReader(f):
            tutors[r["file_name"]].append(float(r["total"]))
    subs = sorted(s for s in peers if s in tutors)
    ref = {s: statistics.fmean(tutors[s]) for s in subs}
    tutor_sd = statistics.fmean(statistics.pstdev(tutors[s]) for s in subs if len(tutors[s]) > 1)
    raw_all: list[float] = []
    cal_all: list[float] = []
    ref_all: list[float] = []
    for seed in range(5):
        order = subs[:]
        random.Random(seed).shuffle(order)
        folds = [order[i::5] for i in range(5)]
        for k in range(5):
            test = set(folds[k])
            pairs = [(a, sc, ref[s]) for s in subs if s not in test for a, sc in peers[s]]
            resid = [sc - r for _a, sc, r in pairs]
            prior_sd = statistics.pstdev(resid)
            stats = reviewer_stats(pairs, prior_sd=prior_sd)
            for s in folds[k]:
                raw = statistics.fmean(sc for _a, sc in peers[s])
                num = den = 0.0
                for a, sc in peers[s]:
                    st = stats.get(a)
                    bias = st.bias if st else 0.0
                    sd = st.sd if st and st.sd else prior_sd
                    w = 1.0 / sd**2
                    num += (sc - bias) * w
                    den += w
                raw_all.append(raw)
                cal_all.append(num / den)
                ref_all.append(ref[s])

    def mae(xs: list[float]) -> float:
        return statistics.fmean(abs(x - y) for x, y in zip(xs, ref_all, strict=True))

    def rmse(xs: list[float]) -> float:
        return math.sqrt(statistics.fmean((x - y) ** 2 for x, y in zip(xs, ref_all, strict=True)))

    print(
        f"# mastery calibration, {dt.date.today().isoformat()}: {len(subs)} submissions, "
        f"{sum(len(v) for v in peers.values())} peer grades, 5-fold x 5 seeds by submission"
    )
    print(f"tutor-to-tutor sd on the same work: {tutor_sd:.3f} points")
    print("| peer score | MAE vs tutor mean | RMSE | Pearson r |")
    print("|---|---|---|---|")
    print(
        f"| raw peer mean (baseline) | {mae(raw_all):.3f} | {rmse(raw_all):.3f} | {_corr(raw_all, ref_all):.3f} |"
    )
    print(
        f"| calibrated (severity + consistency) | {mae(cal_all):.3f} | {rmse(cal_all):.3f} | {_corr(cal_all, ref_all):.3f} |"
    )


if __name__ == "__main__":
    main()
