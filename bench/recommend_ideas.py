"""Ideas tried against plain EASE on MOOCCubeX (issue 10, item 4): what each one gains, measured.

One random held-out course per learner (``random_holdout``, seed 7 by default: not one of the
benchmark's test seeds 0-2), models fitted on the rest, a hash-chosen sample of learners cut
into part A (where a setting would be chosen) and part B (where it is judged). Every line
prints NDCG@10 on both parts, the ratio to plain EASE (lambda 20, the tuned reference of
``bench/recommend.py``) and the paired gain on B with its standard error.

    python bench/recommend_ideas.py                      # all groups, about 10 minutes
    python bench/recommend_ideas.py --only kg stack      # some groups

Groups: ease (lambdas and their ensemble), weight (learner and course weighting), pop
(popularity debiasing), dlae (dropout-denoising autoencoder, closed form), kg (side
information from kg_final.txt), gap (sequence infill), blend (EASE + RP3beta, also gated by
history length), stack (gradient-boosted re-ranker over EASE's top 50).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from skillpath.recommend import random_holdout, read_sequences
from skillpath.recommend._data import Interactions, Split, stable_hash
from skillpath.recommend._hybrid import _standardise, heldout_ranks, ndcg_at_10
from skillpath.recommend._models import (
    ItemKNN,
    ItemKNNConfig,
    RP3beta,
    RP3betaConfig,
    Transition,
    TransitionConfig,
)

DATA = (
    Path(os.environ.get("SKILLPATH_DATA", Path(__file__).resolve().parents[1] / "../shared/data"))
    / "interactions/mooccubex"
)
Scorer = Callable[[np.ndarray], np.ndarray]


def ease(g: np.ndarray, lam: float | np.ndarray) -> np.ndarray:
    """EASE weights for Gram matrix ``g`` and ridge ``lam`` (scalar or per course)."""
    g = g.copy()
    g[np.diag_indices_from(g)] += lam
    p = np.linalg.inv(g)
    b = -p / np.diag(p)
    np.fill_diagonal(b, 0.0)
    return b.astype(np.float32)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--learners", type=int, default=20000)
    ap.add_argument("--only", nargs="+", default=None)
    args = ap.parse_args()
    groups = args.only or ["ease", "weight", "pop", "dlae", "kg", "gap", "blend", "stack"]
    t0 = time.perf_counter()
    data = read_sequences(args.data / "train.txt").canonical()
    split = random_holdout(data, seed=args.seed)
    tr = split.train
    users = split.eval_learners
    h = stable_hash([data.learners[i] for i in users], 99)
    users = np.sort(users[np.argsort(h)[: args.learners]])
    part_a, part_b = users[0::2], users[1::2]
    n, x, lengths = tr.n_courses, tr.matrix, tr.lengths()
    g0 = tr.gram(0.0)
    pop = np.diag(g0).copy()

    def ranks(fn: Scorer, us: np.ndarray) -> np.ndarray:
        out = []
        for s in range(0, len(us), 2500):
            u = us[s : s + 2500]
            out.append(heldout_ranks(fn(u), split.heldout[u], x[u].toarray() > 0))
        return np.concatenate(out)

    def linear(b: np.ndarray) -> Scorer:
        return lambda u: np.asarray(x[u] @ b)

    b_ref = ease(g0, 20.0)
    ref = {k: ndcg_at_10(ranks(linear(b_ref), us)) for k, us in (("A", part_a), ("B", part_b))}
    print(f"plain EASE lambda 20: A {ref['A'].mean():.4f} B {ref['B'].mean():.4f}", flush=True)

    def report(name: str, fn: Scorer) -> None:
        ra, rb = ndcg_at_10(ranks(fn, part_a)), ndcg_at_10(ranks(fn, part_b))
        d = rb - ref["B"]
        print(
            f"{name:44s} A {ra.mean():.4f} ({ra.mean() / ref['A'].mean():.3f}x) "
            f"B {rb.mean():.4f} ({rb.mean() / ref['B'].mean():.3f}x) "
            f"gain B {d.mean():+.4f} +- {d.std(ddof=1) / np.sqrt(len(d)):.4f}  "
            f"[{time.perf_counter() - t0:.0f}s]",
            flush=True,
        )

    def blend(parts: list[tuple[float, Scorer]]) -> Scorer:
        def fn(u: np.ndarray) -> np.ndarray:
            out = np.zeros((len(u), n), dtype=np.float32)
            for w, f in parts:
                out += w * _standardise(f(u))
            return out

        return fn

    g25 = tr.gram(0.25)
    s25 = float(np.mean(np.diag(g25)) / np.mean(pop))
    b25 = ease(g25, 20.0 * s25)
    if "ease" in groups:
        other = {lam: ease(g0, lam) for lam in (5.0, 100.0, 400.0)}
        for lam, b in other.items():
            report(f"EASE lambda {lam:g}", linear(b))
        for lam in (5.0, 100.0):
            for w in (0.3, 0.6):
                report(
                    f"EASE 20 + {w} x EASE {lam:g} (z-scores)",
                    blend([(1.0, linear(b_ref)), (w, linear(other[lam]))]),
                )
    if "weight" in groups:
        for p in (0.25, 0.5, 0.75, 1.0):
            gp = tr.gram(p)
            sc = float(np.mean(np.diag(gp)) / np.mean(pop))
            for lam in (20.0, 50.0):
                report(f"EASE learner weight {p} lambda {lam:g}", linear(ease(gp, lam * sc)))
        for gam in (0.15, 0.3):  # courses' columns scaled by pop^-gamma before the Gram
            dc = np.power(pop + 1.0, -gam)
            gi = g25 * dc[:, None] * dc[None, :]
            bi = ease(gi, 20.0 * s25 * float(np.mean(np.diag(gi)) / np.mean(np.diag(g25))))
            report(
                f"EASE weight 0.25 + course weight pop^-{gam}",
                linear((dc[:, None] * bi / dc[None, :]).astype(np.float32)),
            )
    if "pop" in groups:
        lp = np.log1p(pop).astype(np.float32)
        zp = (lp - lp.mean()) / lp.std()
        for beta in (-0.3, -0.1, 0.1, 0.3):
            report(
                f"EASE + {beta} x log popularity (z)",
                lambda u, b=beta: _standardise(np.asarray(x[u] @ b_ref)) + b * zp[None, :],
            )
        for gam in (0.1, 0.25):
            report(
                f"EASE scores x popularity^{gam}",
                lambda u, g=gam: np.asarray(x[u] @ b_ref) * np.power(pop + 1, g)[None, :],
            )
    if "dlae" in groups:  # Steck 2020: B = I - P diag(Lambda), Lambda = p/(1-p) diag(G) + lam
        for p in (0.1, 0.25, 0.5):
            for lam in (5.0, 20.0):
                lv = p / (1 - p) * pop + lam
                gg = g0.copy()
                gg[np.diag_indices_from(gg)] += lv
                b = (-(np.linalg.inv(gg) * lv[None, :])).astype(np.float32)
                np.fill_diagonal(b, 0.0)
                report(f"DLAE dropout {p} lambda {lam:g}", linear(b))
    if "kg" in groups:
        kg = np.loadtxt(args.data / "kg_final.txt", dtype=np.int64)
        index = tr.course_index()
        kg = kg[np.array([str(v) in index for v in kg[:, 0]])]
        rows = np.array([index[str(v)] for v in kg[:, 0]])
        _, col = np.unique(kg[:, 1] * 1_000_000 + kg[:, 2], return_inverse=True)
        f = sp.csr_matrix((np.ones(len(rows)), (rows, col)), shape=(n, col.max() + 1))
        print(
            f"  KG: {f.shape[1]} (relation, entity) features on {(f.getnnz(1) > 0).sum()} courses"
        )
        ff = np.asarray((f @ f.T).toarray())
        for alpha in (1.0, 10.0, 50.0):  # collective EASE: KG features as extra Gram rows
            report(f"collective EASE, KG weight {alpha:g}", linear(ease(g0 + alpha * ff, 20.0)))
        idf = np.log(n / np.maximum(f.getnnz(0), 1))
        fw = f @ sp.diags(idf)
        norm = np.sqrt(np.asarray(fw.multiply(fw).sum(1)).ravel()) + 1e-9
        fw = sp.diags(1 / norm) @ fw
        sim = np.asarray((fw @ fw.T).toarray(), dtype=np.float32)
        np.fill_diagonal(sim, 0.0)
        report("KG tf-idf cosine alone", linear(sim))
        for w in (0.05, 0.1, 0.2):
            report(
                f"EASE weight 0.25 + {w} x KG cosine", blend([(1, linear(b25)), (w, linear(sim))])
            )
    if "gap" in groups:  # the held-out course sat between two neighbours: P(a -> j) P(j -> b)
        ip, it = tr.indptr, tr.items
        pos = np.arange(tr.n_events) - np.repeat(ip[:-1], lengths)
        src = np.flatnonzero(pos < np.repeat(lengths, lengths) - 1)
        t = sp.csr_matrix(
            (np.ones(len(src), np.float32), (it[src], it[src + 1])), shape=(n, n)
        ).toarray()
        for eps in (0.1, 1.0):
            fwd = (t + eps) / (t + eps).sum(1, keepdims=True)
            bwd = ((t + eps) / (t + eps).sum(0, keepdims=True)).T.copy()

            def gap(u: np.ndarray, fwd: np.ndarray = fwd, bwd: np.ndarray = bwd) -> np.ndarray:
                out = np.zeros((len(u), n), np.float32)
                for k, uu in enumerate(u):
                    seq = it[ip[uu] : ip[uu + 1]]
                    inner = (fwd[seq[:-1]] * bwd[seq[1:]]).sum(0) if len(seq) > 1 else 0.0
                    out[k] = inner + bwd[seq[0]] + fwd[seq[-1]]
                return out

            report(f"gap (infill) model, smoothing {eps:g}", gap)
    rp = RP3beta(RP3betaConfig(alpha=0.8, beta=0.35)).fit(tr)
    if "blend" in groups:
        report("EASE weight 0.25", linear(b25))
        for w in (0.1, 0.3):
            report(f"EASE weight 0.25 + {w} x RP3beta", blend([(1, linear(b25)), (w, rp.score)]))

        def gated(u: np.ndarray) -> np.ndarray:
            ln = lengths[u][:, None]
            w = np.where(ln < 5, 0.5, np.where(ln < 15, 0.2, 0.05)).astype(np.float32)
            return _standardise(np.asarray(x[u] @ b25)) + w * _standardise(rp.score(u))

        report("EASE weight 0.25 + RP3beta gated by length", gated)
    if "stack" in groups:
        stack(tr, split, part_a, part_b, b_ref, b25, rp, pop, lengths)
    print(f"total {time.perf_counter() - t0:.0f} s, load average {os.getloadavg()[0]:.1f}")
    return 0


def stack(
    tr: Interactions,
    split: Split,
    part_a: np.ndarray,
    part_b: np.ndarray,
    b_ref: np.ndarray,
    b25: np.ndarray,
    rp: RP3beta,
    pop: np.ndarray,
    lengths: np.ndarray,
) -> None:
    """A pointwise gradient-boosted re-ranker over EASE's top 50, trained on part A."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, k = tr.matrix, 50
    knn = ItemKNN(ItemKNNConfig(k=300, alpha=0.7)).fit(tr)
    seq = Transition(TransitionConfig(window=2, history=5, recency=0.7, alpha=0.7)).fit(tr)
    lp = np.log1p(pop).astype(np.float32)

    def feats(u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        taken = x[u].toarray() > 0
        e = np.asarray(x[u] @ b25)
        e[taken] = -np.inf
        cand = np.argsort(-e, axis=1)[:, :k]
        rows = np.arange(len(u))[:, None]
        comps = [np.asarray(x[u] @ b_ref), np.asarray(x[u] @ b25), rp.score(u)]
        comps += [knn.score(u), seq.score(u)]
        cols = [_standardise(c)[rows, cand] for c in comps]
        cols += [np.broadcast_to(np.arange(k, dtype=np.float32), cand.shape), lp[cand]]
        cols.append(np.broadcast_to(np.log(lengths[u])[:, None], cand.shape).astype(np.float32))
        fm = np.stack(cols, axis=-1).reshape(-1, len(cols))
        return fm, (cand == split.heldout[u][:, None]).reshape(-1), cand

    def build(us: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        out = [feats(us[s : s + 2000]) for s in range(0, len(us), 2000)]
        fm, y, cand = (np.concatenate([o[i] for o in out]) for i in range(3))
        return fm, y, cand

    def ndcg(scores: np.ndarray, cand: np.ndarray, us: np.ndarray) -> np.ndarray:
        order = np.argsort(-scores.reshape(len(us), k), axis=1, kind="stable")
        hit = np.take_along_axis(cand, order, axis=1) == split.heldout[us][:, None]
        return ndcg_at_10(np.where(hit.any(1), hit.argmax(1), 99))

    fa, ya, _ = build(part_a)
    fb, _, cb = build(part_b)
    base = ndcg(-np.tile(np.arange(k), len(part_b)).astype(float), cb, part_b)
    clf = HistGradientBoostingClassifier(
        learning_rate=0.05, max_iter=400, max_leaf_nodes=31, min_samples_leaf=200, random_state=0
    ).fit(fa, ya)
    r = ndcg(clf.predict_proba(fb)[:, 1], cb, part_b)
    d = r - base
    print(
        f"{'re-ranker over EASE weight 0.25 top 50':44s} B {r.mean():.4f} "
        f"({r.mean() / base.mean():.3f}x EASE weight 0.25) gain B {d.mean():+.4f} "
        f"+- {d.std(ddof=1) / np.sqrt(len(d)):.4f}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
