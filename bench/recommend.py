"""Recommendation benchmark: the standard leave-last-out protocol on MOOCCubeX (XuetangX).

Per learner the last course is the test item and the one before it the validation item; every
model is tuned on validation (grids in ``skillpath.recommend.DEFAULT_GRIDS``), refitted with its
best settings on everything but the test items, and ranked over the full catalogue (taken
courses excluded). Prints HR@10, NDCG@10, Recall@20, coverage and timings side by side.

    python bench/recommend.py                      # full run (about 10 minutes on 2 cores)
    python bench/recommend.py --quick              # smaller grids and samples, for development
    python bench/recommend.py --markdown out.md    # also write the table as Markdown
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np

from skillpath.recommend import (
    DEFAULT_GRIDS,
    BPRConfig,
    HybridConfig,
    build_model,
    evaluate,
    leave_last_out,
    read_sequences,
    top_k,
    top_k_all,
    tune,
)

DEFAULT_DATA = (
    Path(__file__).resolve().parents[1] / "../shared/data/interactions/mooccubex/train.txt"
)


class PeakRSS:
    """Samples this process's resident memory every 10 ms; ``peak`` is the max since ``reset``."""

    def __init__(self) -> None:
        self._page = os.sysconf("SC_PAGE_SIZE")
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def now(self) -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * self._page

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.now())
            time.sleep(0.01)

    def reset(self) -> None:
        self.peak = self.now()

    def stop(self) -> None:
        self._stop.set()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--quick", action="store_true", help="small grids and samples")
    ap.add_argument("--bpr", action="store_true", help="also tune BPR (slow)")
    ap.add_argument("--tune-sample", type=int, default=20000, help="validation learners per trial")
    ap.add_argument(
        "--skip-last",
        action="store_true",
        help="drop each learner's final course first (it behaves unlike the rest: see docs)",
    )
    ap.add_argument("--markdown", type=Path, help="write the result table as Markdown here")
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2

    mem = PeakRSS()
    t0 = time.perf_counter()
    data = read_sequences(args.data)
    if args.skip_last:
        data = leave_last_out(data).train
    test = leave_last_out(data)
    val = leave_last_out(test.train)
    print(
        f"{data.n_learners} learners, {data.n_courses} courses, {data.n_events} events "
        f"(loaded in {time.perf_counter() - t0:.1f}s); "
        f"{len(test.eval_learners)} test / {len(val.eval_learners)} validation learners",
        flush=True,
    )
    grids = dict(DEFAULT_GRIDS)
    if args.bpr:
        grids["bpr"] = tuple(
            BPRConfig(factors=f, learning_rate=lr, iterations=100)
            for f in (64,)
            for lr in (0.01, 0.05)
        )
    sample = 3000 if args.quick else args.tune_sample
    if args.quick:
        grids = {k: v[:2] for k, v in grids.items()}

    best = {}
    for kind, grid in grids.items():
        print(f"tuning {kind} ({len(grid)} settings)", flush=True)
        best[kind] = tune(grid, val, sample_learners=sample, log=print).best
    hybrid = HybridConfig(
        components=tuple(best[k] for k in ("pop", "ease", "transition", "itemknn", "als"))  # type: ignore[arg-type]
    )
    best["hybrid"] = hybrid

    rows = []
    users = np.arange(data.n_learners)
    rng = np.random.default_rng(1)
    for name, cfg in best.items():
        mem.reset()
        t = time.perf_counter()
        model = build_model(cfg).fit(test.train)
        fit_s = time.perf_counter() - t
        t = time.perf_counter()
        top_k_all(model, users, 10, exclude=test.train.matrix)
        batch_s = time.perf_counter() - t
        lat = []
        excl = test.train.matrix
        for u in rng.choice(users, size=1000, replace=False):
            t = time.perf_counter()
            top_k(model.score(np.array([u])), 10, exclude=excl[u])
            lat.append(time.perf_counter() - t)
        p99 = float(np.percentile(lat, 99)) * 1000
        m = evaluate(model, test)
        peak = mem.peak / 2**20
        weights = ""
        if name == "hybrid":
            weights = " weights " + ", ".join(
                f"{c.kind}={w:.2f}"
                for c, w in zip(hybrid.components, model.weights, strict=True)  # type: ignore[attr-defined]
            )
        rows.append(
            (name, m, fit_s, batch_s, p99, peak, repr(cfg) if name != "hybrid" else weights)
        )
        print(
            f"{name:10s} NDCG@10 {m.ndcg10:.4f} HR@10 {m.hr10:.4f} R@20 {m.recall20:.4f} "
            f"cov {m.coverage10:.3f} fit {fit_s:.1f}s batch {batch_s:.1f}s p99 {p99:.1f}ms "
            f"peak {peak:.0f}MB",
            flush=True,
        )
        del model

    mem.stop()
    baselines = [r for r in rows if r[0] in ("pop", "itemknn", "ease", "als")]
    best_base = max(baselines, key=lambda r: r[1].ndcg10)
    hyb = next(r for r in rows if r[0] == "hybrid")
    gain = hyb[1].ndcg10 / best_base[1].ndcg10 - 1
    lines = [
        "| model | NDCG@10 | HR@10 | Recall@20 | Coverage@10 | fit s | batch top-10 s | p99 ms | peak MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, m, fit_s, batch_s, p99, peak, _ in rows:
        lines.append(
            f"| {name} | {m.ndcg10:.4f} | {m.hr10:.4f} | {m.recall20:.4f} | {m.coverage10:.3f} "
            f"| {fit_s:.1f} | {batch_s:.1f} | {p99:.1f} | {peak:.0f} |"
        )
    lines.append("")
    lines.append(
        f"Hybrid vs best tuned baseline ({best_base[0]}): {gain:+.1%} NDCG@10. "
        f"Evaluated on {rows[0][1].n_learners} learners."
    )
    lines.append("")
    lines.append("Tuned settings:")
    lines.append("")
    for name, *_, extra in rows:
        lines.append(f"- {name}: `{extra.strip()}`")
    lines.append("")
    proto = "final course dropped, then " if args.skip_last else ""
    lines.append(f"Protocol: {proto}last course = test, the one before = validation.")
    lines.append(f"Run {dt.date.today().isoformat()}, total {time.perf_counter() - t0:.0f}s.")
    text = "\n".join(lines)
    print()
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
