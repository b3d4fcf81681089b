"""Hyper-parameter search on a validation split; the best model is chosen by validation NDCG@10."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from skillpath.errors import InputError
from skillpath.recommend._data import Interactions, Split, leave_last_out
from skillpath.recommend._evaluate import Metrics, evaluate
from skillpath.recommend._hybrid import HybridConfig
from skillpath.recommend._models import (
    ALSConfig,
    BPRConfig,
    EASEConfig,
    ItemKNNConfig,
    PopularityConfig,
    TransitionConfig,
    build_model,
)

__all__ = ["DEFAULT_GRIDS", "Trial", "TuneResult", "default_configs", "select_model", "tune"]


def default_configs() -> dict[str, BaseModel]:
    """A good untuned configuration per model kind (for ``recommend batch --model KIND``)."""
    return {
        "pop": PopularityConfig(),
        "itemknn": ItemKNNConfig(k=200),
        "ease": EASEConfig(l2=50.0),
        "als": ALSConfig(),
        "bpr": BPRConfig(),
        "transition": TransitionConfig(window=2, history=5, recency=0.7, alpha=0.7),
    }

#: Small grids that fit the 60-second budget on this machine; override per dataset.
DEFAULT_GRIDS: dict[str, tuple[BaseModel, ...]] = {
    "pop": (PopularityConfig(),),
    "itemknn": tuple(
        ItemKNNConfig(k=k, alpha=a, shrink=s)
        for k in (50, 200)
        for a in (0.5, 0.7)
        for s in (0.0, 20.0)
    ),
    "ease": tuple(EASEConfig(l2=v) for v in (20.0, 50.0, 150.0, 500.0)),
    "als": tuple(
        ALSConfig(factors=f, regularization=r, alpha=a, iterations=12)
        for f in (64, 128)
        for r, a in ((0.01, 10.0), (0.1, 5.0), (0.05, 20.0))
    ),
    "transition": tuple(
        TransitionConfig(window=w, history=h, recency=r, alpha=a)
        for w in (1, 2, 3)
        for h, r in ((3, 0.5), (5, 0.7))
        for a in (0.5, 0.7)
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


def select_model(
    data: Interactions,
    *,
    kinds: Sequence[str] = ("pop", "itemknn", "ease", "als", "transition"),
    hybrid: bool = True,
    sample_learners: int | None = 5000,
    log: Callable[[str], None] | None = None,
) -> BaseModel:
    """Choose a model for ``data`` by validation: tune each kind, then optionally a hybrid of the best.

    The validation split holds out each learner's last course (by time when the events have
    times). Returns the winning config (fit it on all of ``data`` to serve).
    """
    split = leave_last_out(data)
    if not len(split.eval_learners):
        return PopularityConfig()
    results = {
        k: tune(DEFAULT_GRIDS[k], split, sample_learners=sample_learners, log=log) for k in kinds
    }
    scored = [(max(t.metrics.ndcg10 for t in r.trials), r.best) for r in results.values()]
    if hybrid:
        comps = tuple(
            results[k].best for k in ("pop", "ease", "transition", "itemknn") if k in results
        )
        h = HybridConfig(components=comps)  # type: ignore[arg-type]
        r = tune([h], split, sample_learners=sample_learners, log=log)
        scored.append((r.trials[0].metrics.ndcg10, h))
    return max(scored, key=lambda x: x[0])[1]
