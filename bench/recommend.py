"""Recommendation benchmark on MOOCCubeX (XuetangX): random held-out course, several seeds.

Protocol (decision 0045): per seed, one course per learner is held out at random as the test
item (``random_holdout``: it does not depend on the order of the file). ``--model auto``'s own
selection (``choose_model``: tuning and blend weights on a second random holdout of the rest)
runs on the remaining courses; each candidate it considered (plain EASE, the best of each kind,
the hybrid) and the served model are refitted on all remaining courses and ranked over the full
catalogue (taken courses excluded) for every learner. Then the real command, ``skillpath
recommend batch --model auto`` on the whole file, is timed (wall and CPU seconds).

    python bench/recommend.py                       # 3 seeds, about 20 minutes on 2 quiet cores
    python bench/recommend.py --seeds 0 --no-cli    # one seed, no end-to-end timing
    python bench/recommend.py --als                 # also ALS (BM25-weighted) as a candidate
    python bench/recommend.py --markdown out.md     # also write the tables as Markdown
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from skillpath.recommend import build_model, choose_model, evaluate, random_holdout, read_sequences

DEFAULT_DATA = (
    Path(os.environ.get("SKILLPATH_DATA", Path(__file__).resolve().parents[1] / "../shared/data"))
    / "interactions/mooccubex/train.txt"
)


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_cli(data: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of ``skillpath recommend batch --model auto`` on the whole file."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "recs.csv"
        cpu0, t0 = _cpu_children(), time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from skillpath.cli import _entry; sys.argv[0] = 'skillpath'; _entry()",
                "recommend",
                "batch",
                "--interactions",
                str(data),
                "--model",
                "auto",
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            check=False,
            env=os.environ.copy(),
        )
        wall, cpu = time.perf_counter() - t0, _cpu_children() - cpu0
    if proc.returncode:
        raise SystemExit(f"recommend batch failed: {proc.stderr[-2000:]}")
    served = next((ln for ln in proc.stderr.splitlines() if ln.startswith("auto:")), "")
    return wall, cpu, served


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--als", action="store_true", help="also tune ALS (slow to fit)")
    ap.add_argument("--no-cli", action="store_true", help="skip the end-to-end CLI timing")
    ap.add_argument("--markdown", type=Path, help="write the result tables as Markdown here")
    args = ap.parse_args()
    if not args.data.is_file():
        print(f"data not found: {args.data}", file=sys.stderr)
        return 2
    t_start = time.perf_counter()
    data = read_sequences(args.data).canonical()
    print(f"{data.n_learners} learners, {data.n_courses} courses, {data.n_events} events")
    kinds = ["pop", "itemknn", "ease", "rp3beta", "transition"] + (["als"] if args.als else [])
    results: dict[str, list[tuple[float, float]]] = {}
    labels: dict[str, str] = {}
    served_names = []
    for seed in args.seeds:
        test = random_holdout(data, seed=seed)
        sel = choose_model(test.train, kinds=kinds, seeds=(seed + 100,), log=print)
        print(f"seed {seed}: {sel.reason}", flush=True)
        served_names.append(sel.served)
        rows = [(c.name, c.config) for c in sel.candidates] + [("auto (served)", sel.config)]
        for name, cfg in rows:
            t = time.perf_counter()
            model = build_model(cfg).fit(test.train)
            m = evaluate(model, test)
            results.setdefault(name, []).append((m.ndcg10, m.hr10))
            labels.setdefault(name, repr(cfg) if name != "hybrid" else _weights(cfg))
            print(
                f"  seed {seed} {name:14s} NDCG@10 {m.ndcg10:.4f} Recall@10 {m.hr10:.4f} "
                f"({time.perf_counter() - t:.0f}s)",
                flush=True,
            )
            del model
    ref = np.array([v[0] for v in results["ease-plain"]])
    lines = [
        f"| model | NDCG@10 | Recall@10 | vs EASE | NDCG@10 per seed ({', '.join(map(str, args.seeds))}) |",
        "|---|---|---|---|---|",
    ]
    for name, vals in results.items():
        nd = np.array([v[0] for v in vals])
        rc = np.array([v[1] for v in vals])
        lines.append(
            f"| {name} | {nd.mean():.4f} +- {nd.std():.4f} | {rc.mean():.4f} | "
            f"{nd.mean() / ref.mean():.3f}x | {' / '.join(f'{x:.4f}' for x in nd)} |"
        )
    lines += ["", f"Served by `--model auto` per seed: {', '.join(served_names)}.", ""]
    lines += ["Settings (last seed):", ""]
    lines += [f"- {name}: `{label}`" for name, label in labels.items()]
    if not args.no_cli:
        wall, cpu, served = time_cli(args.data)
        lines += [
            "",
            f"`skillpath recommend batch --interactions train.txt --model auto` (whole file, "
            f"{data.n_learners} learners, top 10): {wall:.0f} s wall, {cpu:.0f} s CPU; {served}",
        ]
    lines += [
        "",
        f"Run {dt.date.today().isoformat()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end, total {time.perf_counter() - t_start:.0f} s.",
    ]
    text = "\n".join(lines)
    print()
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


def _weights(cfg: object) -> str:
    comps = getattr(cfg, "components", ())
    weights = getattr(cfg, "weights", None) or ()
    return " + ".join(f"{w:.2f} x {c!r}" for c, w in zip(comps, weights, strict=True))


if __name__ == "__main__":
    sys.exit(main())
