"""The hybrid: a linear blend of per-learner standardised model scores, weights learned on validation.

Fit holds out each learner's last course (validation), fits the component models on the rest,
learns the blend weights by coordinate ascent on validation NDCG@10 over a sample of learners,
then refits the components on all the data. Decision 0042.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from skillpath.recommend._data import Interactions, leave_last_out
from skillpath.recommend._models import (
    ALSConfig,
    BPRConfig,
    EASEConfig,
    ItemKNNConfig,
    PopularityConfig,
    TransitionConfig,
    _Config,
    build_model,
)

__all__ = ["Hybrid", "HybridConfig", "learn_blend_weights"]

Component = PopularityConfig | ItemKNNConfig | EASEConfig | ALSConfig | BPRConfig | TransitionConfig


class HybridConfig(_Config):
    """Components and the weight-learning settings; ``weights`` fixes them instead of learning."""

    kind: Literal["hybrid"] = "hybrid"
    components: tuple[Component, ...] = (
        PopularityConfig(),
        EASEConfig(),
        TransitionConfig(),
    )
    weights: tuple[float, ...] | None = None
    sample_learners: int = Field(default=6000, ge=10)
    seed: int = 7


def _standardise(s: np.ndarray) -> np.ndarray:
    mu = s.mean(axis=1, keepdims=True)
    sd = s.std(axis=1, keepdims=True)
    return (s - mu) / np.where(sd > 0, sd, 1.0)


def _ndcg10(blend: np.ndarray, positive: np.ndarray, taken: np.ndarray) -> float:
    b = np.where(taken, -np.inf, blend)
    p = b[np.arange(len(b)), positive][:, None]
    rank = (b > p).sum(axis=1)
    return float(np.mean(np.where(rank < 10, 1.0 / np.log2(rank + 2.0), 0.0)))


_GRID = (0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def learn_blend_weights(
    features: np.ndarray, positive: np.ndarray, taken: np.ndarray, *, rounds: int = 2
) -> np.ndarray:
    """Blend weights that maximise validation NDCG@10 by coordinate ascent (listwise LTR).

    Starts from equal weights and, for each model in turn, tries each value on a fixed grid,
    keeping the best; two rounds are enough for a handful of models. Decision 0042.

    Args:
        features: (learners x courses x models) standardised scores.
        positive: the held-out course per learner.
        taken: (learners x courses) True where the course is already taken (excluded from ranks).
        rounds: passes over the models.
    """
    m = features.shape[2]
    w = np.ones(m, dtype=np.float32)

    def value(weights: np.ndarray) -> float:
        return _ndcg10(features @ weights, positive, taken)

    best = value(w)
    for _ in range(rounds):
        for i in range(m):
            for g in _GRID:
                if g == w[i]:
                    continue
                trial = w.copy()
                trial[i] = g
                if not trial.any():
                    continue
                v = value(trial)
                if v > best + 1e-6:
                    best, w = v, trial
    return w


class Hybrid:
    """See :class:`HybridConfig`."""

    def __init__(self, config: HybridConfig) -> None:
        self.config = config
        self.weights: np.ndarray | None = (
            np.asarray(config.weights, dtype=np.float32) if config.weights else None
        )

    def fit(self, data: Interactions) -> Hybrid:
        c = self.config
        if self.weights is None:
            split = leave_last_out(data)
            models = [build_model(m).fit(split.train) for m in c.components]
            users = split.eval_learners
            rng = np.random.default_rng(c.seed)
            if len(users) > c.sample_learners:
                users = np.sort(rng.choice(users, size=c.sample_learners, replace=False))
            feats = []
            taken = []
            pos = []
            for start in range(0, len(users), 2048):
                u = users[start : start + 2048]
                f = np.stack([_standardise(mdl.score(u)) for mdl in models], axis=2)
                feats.append(f.astype(np.float32))
                taken.append(split.train.matrix[u].toarray() > 0)
                pos.append(split.heldout[u])
            if not users.size:
                self.weights = np.ones(len(c.components), dtype=np.float32)
            else:
                self.weights = learn_blend_weights(
                    np.concatenate(feats),
                    np.concatenate(pos),
                    np.concatenate(taken),
                )
            del feats, taken, models
        self.models = [build_model(m).fit(data) for m in c.components]
        self.data = data
        return self

    def score(self, learners: np.ndarray) -> np.ndarray:
        assert self.weights is not None
        out = np.zeros((len(learners), self.data.n_courses), dtype=np.float32)
        for w, mdl in zip(self.weights, self.models, strict=True):
            out += w * _standardise(mdl.score(learners))
        return out

    def score_history(self, items: np.ndarray) -> np.ndarray:
        assert self.weights is not None
        out = np.zeros(self.data.n_courses, dtype=np.float32)
        for w, mdl in zip(self.weights, self.models, strict=True):
            out += w * _standardise(mdl.score_history(items)[None, :])[0]
        return out

    def contributions(self, learner: int) -> dict[str, np.ndarray]:
        """Each component's weighted standardised scores for one learner (for explanations)."""
        assert self.weights is not None
        u = np.array([learner])
        return {
            str(mdl.config.kind): w * _standardise(mdl.score(u))[0]  # type: ignore[attr-defined]
            for w, mdl in zip(self.weights, self.models, strict=True)
        }
