"""Hyper-parameter search and model selection on validation splits that do not depend on file order.

:func:`tune` ranks configs on a given split; :func:`choose_model` (behind ``--model auto``)
tunes every kind and a blend of them on random-holdout splits and serves the winner only when
it beats EASE by more than the noise. Decision 0045.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from skillpath.errors import InputError
from skillpath.recommend._data import Interactions, Split, random_holdout, stable_hash
from skillpath.recommend._evaluate import Metrics, evaluate
from skillpath.recommend._hybrid import (
    Hybrid,
    HybridConfig,
    blend_features,
    heldout_ranks,
    learn_blend_weights,
    ndcg_at_10,
)
from skillpath.recommend._models import (
    ALSConfig,
    BPRConfig,
    EASEConfig,
    ItemKNNConfig,
    Model,
    PopularityConfig,
    RP3betaConfig,
    TransitionConfig,
    build_model,
)

__all__ = [
    "AUTO_GRIDS",
    "DEFAULT_GRIDS",
    "Candidate",
    "Selection",
    "Trial",
    "TuneResult",
    "choose_model",
    "default_configs",
    "select_model",
    "tune",
]


def default_configs() -> dict[str, BaseModel]:
    """A good untuned configuration per model kind (for ``recommend batch --model KIND``)."""
    return {
        "pop": PopularityConfig(),
        "itemknn": ItemKNNConfig(k=200),
        "ease": EASEConfig(l2=50.0),
        "rp3beta": RP3betaConfig(),
        "als": ALSConfig(),
        "bpr": BPRConfig(),
        "transition": TransitionConfig(window=2, history=5, recency=0.7, alpha=0.7),
    }


#: Grids for the benchmark (``bench/recommend.py``): wider than ``--model auto`` can afford.
DEFAULT_GRIDS: dict[str, tuple[BaseModel, ...]] = {
    "pop": (PopularityConfig(),),
    "itemknn": tuple(
        ItemKNNConfig(k=k, alpha=a, shrink=s)
        for k in (100, 300)
        for a in (0.5, 0.7)
        for s in (0.0, 20.0)
    ),
    "ease": tuple(
        EASEConfig(l2=v, user_weight=p)
        for p in (0.0, 0.25, 0.5)
        for v in (10.0, 20.0, 50.0, 150.0, 400.0)
    ),
    "rp3beta": tuple(
        RP3betaConfig(alpha=a, beta=b, k=k)
        for a in (0.6, 0.8, 1.0)
        for b in (0.25, 0.35, 0.45)
        for k in (300,)
    ),
    "als": (
        ALSConfig(factors=128, regularization=0.05, alpha=20.0, iterations=12),
        ALSConfig(factors=128, regularization=0.05, alpha=20.0, iterations=12, weighting="bm25"),
        ALSConfig(factors=128, regularization=0.5, alpha=5.0, iterations=12, weighting="bm25"),
    ),
    "transition": tuple(
        TransitionConfig(window=w, history=h, recency=r, alpha=a)
        for w in (1, 3)
        for h, r in ((3, 0.5), (5, 0.7))
        for a in (0.5, 0.7)
    ),
}

#: The small grids ``--model auto`` tries (all but ALS share one cached Gram matrix, so the whole
#: search fits the 60-second budget on 2 cores). Chosen from the benchmark's wider search.
AUTO_GRIDS: dict[str, tuple[BaseModel, ...]] = {
    "pop": (PopularityConfig(),),
    "itemknn": (ItemKNNConfig(k=300, alpha=0.7), ItemKNNConfig(k=100, alpha=0.5, shrink=20.0)),
    "ease": (
        EASEConfig(l2=20.0),
        EASEConfig(l2=50.0),
        EASEConfig(l2=150.0),
        # a mild learner weight (0.25) was the best single model in the 2026-12-02 exploration
        EASEConfig(l2=20.0, user_weight=0.25),
        EASEConfig(l2=20.0, user_weight=0.5),
    ),
    "rp3beta": (
        RP3betaConfig(alpha=0.6, beta=0.35),
        RP3betaConfig(alpha=0.8, beta=0.35),
        RP3betaConfig(alpha=0.6, beta=0.25),
    ),
    "als": (
        ALSConfig(factors=128, regularization=0.05, alpha=20.0, iterations=12, weighting="bm25"),
    ),
    "transition": (
        TransitionConfig(window=2, history=5, recency=0.7, alpha=0.7),
        TransitionConfig(window=1, history=3, recency=0.5, alpha=0.5),
    ),
}


@dataclass(frozen=True)
class Trial:
    """One configuration tried: its validation metrics and fit time."""

    config: BaseModel
    metrics: Metrics
    fit_seconds: float


@dataclass(frozen=True)
class TuneResult:
    """All trials of one search and the best configuration (by validation NDCG@10)."""

    best: BaseModel
    trials: tuple[Trial, ...]


def tune(
    configs: Sequence[BaseModel],
    split: Split,
    *,
    sample_learners: int | None = 20000,
    seed: int = 0,
    log: Callable[[str], None] | None = None,
) -> TuneResult:
    """Fit each config on ``split.train`` and rank by NDCG@10 on ``split.heldout``.

    Args:
        configs: candidate model configs (at least one).
        split: the validation split (train + one held-out course per learner).
        sample_learners: evaluate on a seeded sample of this many learners (None: all).
        seed: sampling seed.
        log: optional callback for one line per trial.
    """
    if not configs:
        raise InputError("no model configurations to try")
    users = split.eval_learners
    if sample_learners is not None and len(users) > sample_learners:
        rng = np.random.default_rng(seed)
        users = np.sort(rng.choice(users, size=sample_learners, replace=False))
    trials = []
    for cfg in configs:
        t0 = time.perf_counter()
        model = build_model(cfg).fit(split.train)
        fit_s = time.perf_counter() - t0
        m = evaluate(model, split, learners=users)
        trials.append(Trial(config=cfg, metrics=m, fit_seconds=fit_s))
        if log:
            log(f"  {cfg!r}: NDCG@10 {m.ndcg10:.4f} (fit {fit_s:.1f}s)")
        del model
    best = max(trials, key=lambda t: t.metrics.ndcg10)
    return TuneResult(best=best.config, trials=tuple(trials))


@dataclass(frozen=True)
class Candidate:
    """One model considered by :func:`choose_model`, scored on the comparison learners."""

    name: str
    config: BaseModel
    ndcg10: float
    recall10: float
    #: NDCG@10 per validation seed
    per_seed: tuple[float, ...]
    #: mean paired NDCG@10 difference to the EASE reference, and its standard error
    gain: float = 0.0
    gain_se: float = 0.0


@dataclass(frozen=True)
class Selection:
    """What ``--model auto`` serves and why: every candidate's validation scores."""

    config: BaseModel
    served: str
    candidates: tuple[Candidate, ...]
    reason: str


def _ranks(model: Model, split: Split, users: np.ndarray) -> np.ndarray:
    out = []
    for start in range(0, len(users), 2048):
        u = users[start : start + 2048]
        out.append(
            heldout_ranks(model.score(u), split.heldout[u], split.train.matrix[u].toarray() > 0)
        )
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def choose_model(
    data: Interactions,
    *,
    kinds: Sequence[str] = ("pop", "itemknn", "ease", "rp3beta", "transition"),
    hybrid: bool = True,
    seeds: Sequence[int] = (0,),
    sample_learners: int = 16000,
    tune_learners: int = 4000,
    grids: dict[str, Sequence[BaseModel]] | None = None,
    min_z: float = 2.0,
    log: Callable[[str], None] | None = None,
) -> Selection:
    """Tune every kind and a blend on random-holdout validation; serve EASE unless beaten clearly.

    Protocol (decision 0045): per seed, one course per learner is held out at random
    (:func:`random_holdout`, independent of file order) and a hash-chosen sample of
    ``sample_learners`` learners is cut in two: a tuning part of ``tune_learners`` (at most half
    the sample) and a comparison part, the rest. Hyper-parameters and blend weights are chosen
    on the tuning part; every candidate (the best of each kind and the blend) is then scored on
    the comparison part, which is the larger so that a gain of 1 to 2 % is told from noise. The
    reference is the best plain EASE (``user_weight=0``). A candidate is served only if its
    mean paired NDCG@10 gain over that reference is above ``min_z`` standard errors; otherwise
    the reference is served. The data are renumbered in sorted id order first, so the choice is
    the same however the file is ordered.
    """
    data = data.canonical()
    grids = dict(AUTO_GRIDS) | dict(grids or {})
    kinds = [k for k in kinds if k in grids]
    if "ease" not in kinds:
        kinds = ["ease", *kinds]
    splits = []
    for seed in seeds:
        split = random_holdout(data, seed=seed)
        users = split.eval_learners
        # a hash-ordered sample (random, whatever the file order), cut into the two parts
        h = stable_hash([data.learners[i] for i in users], seed + 1000)
        chosen = users[np.argsort(h, kind="stable")[:sample_learners]]
        n_tune = min(tune_learners, len(chosen) // 2)
        tune_u, test_u = np.sort(chosen[:n_tune]), np.sort(chosen[n_tune:])
        splits.append((split, tune_u, test_u))
    if not any(len(t) for _, t, _ in splits):
        return Selection(
            PopularityConfig(),
            "pop",
            (),
            "too few learners with 3+ courses to validate: popularity",
        )

    def say(msg: str) -> None:
        if log:
            log(msg)

    # 1. hyper-parameters per kind, on the tuning parts (mean over seeds); the fitted models
    # of each kind's best setting are kept for steps 2 and 3 (EASE fits dominate the cost)
    best: dict[str, BaseModel] = {}
    fitted: dict[str, list[Model]] = {}
    tune_scores: dict[str, float] = {}
    for kind in kinds:
        top: tuple[float, BaseModel, list[Model]] | None = None
        plain: tuple[float, BaseModel, list[Model]] | None = None
        for cfg in grids[kind]:
            models = [build_model(cfg).fit(split.train) for split, _, _ in splits]
            v = float(
                np.mean(
                    [
                        ndcg_at_10(_ranks(m, split, tune_u)).mean()
                        for m, (split, tune_u, _) in zip(models, splits, strict=True)
                    ]
                )
            )
            say(f"  {cfg!r}: tuning NDCG@10 {v:.4f}")
            if top is None or v > top[0]:
                top = (v, cfg, models)
            is_plain = kind == "ease" and not getattr(cfg, "user_weight", 0.0)
            if is_plain and (plain is None or v > plain[0]):
                plain = (v, cfg, models)
        assert top is not None
        tune_scores[kind], best[kind], fitted[kind] = top
        if kind == "ease":
            ref_fit = plain or top
            best["ease-plain"], fitted["ease-plain"] = ref_fit[1], ref_fit[2]
    names = ["ease-plain", *kinds]
    configs: dict[str, BaseModel] = {n: best[n] for n in names}
    # 2. blend weights on the tuning parts, components strongest first
    if hybrid and len(kinds) > 1:
        order = sorted(kinds, key=lambda k: -tune_scores[k])
        comps = tuple(best[k] for k in order)
        feats, pos, taken = [], [], []
        for i, (split, tune_u, _) in enumerate(splits):
            feats.append(blend_features([fitted[k][i] for k in order], tune_u))
            pos.append(split.heldout[tune_u])
            taken.append(split.train.matrix[tune_u].toarray() > 0)
        weights = learn_blend_weights(
            np.concatenate(feats, axis=1), np.concatenate(pos), np.concatenate(taken)
        )
        del feats, taken
        say(
            "  blend weights "
            + ", ".join(f"{c.kind}={x:.2f}" for c, x in zip(comps, weights, strict=True))  # type: ignore[attr-defined]
        )
        keep = [i for i in range(len(comps)) if weights[i] != 0]
        if len(keep) > 1:
            names.append("hybrid")
            hyb = HybridConfig(
                components=tuple(comps[i] for i in keep),  # type: ignore[misc]
                weights=tuple(float(weights[i]) for i in keep),
            )
            configs["hybrid"] = hyb
            fitted["hybrid"] = [
                Hybrid.from_fitted(hyb, [fitted[order[j]][i] for j in keep], split.train)  # type: ignore[misc]
                for i, (split, _, _) in enumerate(splits)
            ]
    # 3. every candidate on the comparison parts, paired with the EASE reference
    per_learner: dict[str, list[np.ndarray]] = {
        n: [_ranks(fitted[n][i], split, test_u) for i, (split, _, test_u) in enumerate(splits)]
        for n in names
    }
    ref = np.concatenate([ndcg_at_10(r) for r in per_learner["ease-plain"]])
    cands = []
    for n in names:
        ranks = per_learner[n]
        nd = np.concatenate([ndcg_at_10(r) for r in ranks])
        diff = nd - ref
        se = float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else 0.0
        cands.append(
            Candidate(
                name=n,
                config=configs[n],
                ndcg10=float(nd.mean()),
                recall10=float(np.mean(np.concatenate(ranks) < 10)),
                per_seed=tuple(float(ndcg_at_10(r).mean()) for r in ranks),
                gain=float(diff.mean()),
                gain_se=se,
            )
        )
        say(f"  {n}: NDCG@10 {cands[-1].ndcg10:.4f} (vs EASE {diff.mean():+.4f} +- {se:.4f})")
    reference = cands[0]
    clear = [c for c in cands[1:] if c.gain > min_z * c.gain_se and c.gain > 0]
    if clear:
        win = max(clear, key=lambda c: c.ndcg10)
        reason = (
            f"{win.name} NDCG@10 {win.ndcg10:.4f} vs EASE {reference.ndcg10:.4f} "
            f"({win.ndcg10 / max(reference.ndcg10, 1e-12):.3f}x, gain {win.gain:+.4f} "
            f"+- {win.gain_se:.4f} on {len(ref)} validation learners)"
        )
    else:
        win = reference
        reason = f"nothing beats EASE by more than {min_z:g} standard errors: serving EASE"
    name = "ease" if win.name == "ease-plain" else win.name
    return Selection(config=win.config, served=name, candidates=tuple(cands), reason=reason)


def select_model(
    data: Interactions,
    *,
    kinds: Sequence[str] = ("pop", "itemknn", "ease", "rp3beta", "transition"),
    hybrid: bool = True,
    sample_learners: int | None = 16000,
    log: Callable[[str], None] | None = None,
) -> BaseModel:
    """The config ``--model auto`` serves for ``data`` (see :func:`choose_model`).

    Fit it on all of ``data`` to serve.
    """
    return choose_model(
        data, kinds=kinds, hybrid=hybrid, sample_learners=sample_learners or 16000, log=log
    ).config
