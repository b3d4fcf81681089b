"""The hybrid: a linear blend of per-learner standardised model scores, weights learned on validation.

Fit holds out one random course per learner (validation, independent of file order: decision
0045), fits the component models on the rest, learns the blend weights by coordinate ascent on
validation NDCG@10 over a sample of learners, then refits the components on all the data.
Decision 0042. ``select_model`` passes learned weights in, so serving fits only once.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from skillpath.recommend._data import Interactions, random_holdout, stable_hash
from skillpath.recommend._models import (
    ALSConfig,
    BPRConfig,
    EASEConfig,
    ItemKNNConfig,
    Model,
    PopularityConfig,
    RP3betaConfig,
    TransitionConfig,
    _Config,
    build_model,
)

__all__ = [
    "Hybrid",
    "HybridConfig",
    "blend_features",
    "heldout_ranks",
    "learn_blend_weights",
    "ndcg_at_10",
    "sample_learners",
]

Component = (
    PopularityConfig
    | ItemKNNConfig
    | EASEConfig
    | RP3betaConfig
    | ALSConfig
    | BPRConfig
    | TransitionConfig
)


class HybridConfig(_Config):
    """Components and the weight-learning settings; ``weights`` fixes them instead of learning."""

    kind: Literal["hybrid"] = "hybrid"
    #: the strongest model first: weight learning starts from it alone (decision 0045)
    components: tuple[Component, ...] = (
        EASEConfig(l2=50.0, user_weight=0.5),
        RP3betaConfig(),
        ItemKNNConfig(k=200, alpha=0.7),
        PopularityConfig(),
    )
    weights: tuple[float, ...] | None = None
    sample_learners: int = Field(default=6000, ge=10)
    seed: int = 7


def _standardise(s: np.ndarray) -> np.ndarray:
    s = np.asarray(s, dtype=np.float32)
    mu = s.mean(axis=1, keepdims=True)
    sd = s.std(axis=1, keepdims=True)
    s = s - mu
    s /= np.where(sd > 0, sd, 1.0)
    return s


def heldout_ranks(scores: np.ndarray, positive: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """0-based rank of each row's held-out course among the courses not taken.

    Ties are ranked by course number, the order :func:`top_k` uses, so a constant score is no
    shortcut. ``scores`` is not modified.
    """
    rows = np.arange(len(scores))
    p = scores[rows, positive][:, None]
    better = (scores > p) & ~taken
    cols = np.arange(scores.shape[1])[None, :]
    tie = (scores == p) & ~taken & (cols < positive[:, None])
    return np.asarray(better.sum(axis=1) + tie.sum(axis=1), dtype=np.int64)


def ndcg_at_10(rank: np.ndarray) -> np.ndarray:
    """Per-learner NDCG@10 with one relevant course at 0-based ``rank``."""
    return np.where(rank < 10, 1.0 / np.log2(rank + 2.0), 0.0)


_GRID = (0.0, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def learn_blend_weights(
    features: np.ndarray, positive: np.ndarray, taken: np.ndarray, *, rounds: int = 2
) -> np.ndarray:
    """Blend weights that maximise validation NDCG@10 by coordinate ascent (listwise LTR).

    Starts from the first model alone (weight 1, the others 0; callers put their strongest
    model first) and, for each model in turn, tries each value on a fixed grid, keeping the
    best. Starting from one model means a component is only added when it helps. Decision 0042.

    Args:
        features: (models x learners x courses) standardised scores (:func:`blend_features`);
            overwritten where ``taken`` (set very low, so taken courses never outrank).
        positive: the held-out course per learner.
        taken: (learners x courses) True where the course is already taken (excluded from ranks).
        rounds: passes over the models.
    """
    m = features.shape[0]
    features[:, taken] = _TAKEN
    w = np.zeros(m, dtype=np.float32)
    w[0] = 1.0
    rows = np.arange(features.shape[1])
    # ties rank by course number (as in heldout_ranks): courses numbered below the positive
    lower = np.arange(features.shape[2])[None, :] < positive[:, None]

    mask = np.empty(features.shape[1:], dtype=bool)

    def value(blend: np.ndarray) -> float:
        # heldout_ranks without the taken mask: taken courses are already far below
        p = blend[rows, positive][:, None]
        rank = np.count_nonzero(np.greater(blend, p, out=mask), axis=1)
        np.equal(blend, p, out=mask)
        rank += np.count_nonzero(np.logical_and(mask, lower, out=mask), axis=1)
        return float(ndcg_at_10(rank).mean())

    # the current blend is kept and each trial changes one weight: one multiply-add per trial
    # instead of re-summing every component (the search is most of the selection's scoring);
    # two buffers are swapped rather than allocating a blend per trial
    cur = features[0].copy()
    spare = np.empty_like(cur)
    best = value(cur)
    for _ in range(rounds):
        changed = False
        for i in range(m):
            for g in _GRID:
                if g == w[i]:
                    continue
                trial = w.copy()
                trial[i] = g
                if not trial.any():
                    continue
                np.multiply(features[i], np.float32(g - w[i]), out=spare)
                spare += cur
                v = value(spare)
                if v > best + 1e-6:
                    best, w, changed = v, trial, True
                    cur, spare = spare, cur
        if not changed:
            break
    return w


#: stands in for a taken course's standardised score: below any blend of real scores
_TAKEN = np.float32(-1e6)


def sample_learners(data: Interactions, learners: np.ndarray, n: int, seed: int) -> np.ndarray:
    """``n`` of ``learners`` chosen by a hash of their ids: the same whatever the file order."""
    if len(learners) <= n:
        return np.asarray(learners)
    h = stable_hash([data.learners[i] for i in learners], seed)
    return np.sort(np.asarray(learners)[np.argsort(h, kind="stable")[:n]])


def blend_features(models: list[Model], users: np.ndarray, batch: int = 2048) -> np.ndarray:
    """(models x users x courses) standardised scores, float32."""
    n = models[0].data.n_courses  # type: ignore[attr-defined]
    out = np.empty((len(models), len(users), n), dtype=np.float32)
    for start in range(0, len(users), batch):
        u = users[start : start + batch]
        for j, mdl in enumerate(models):
            out[j, start : start + len(u)] = _standardise(mdl.score(u))
    return out


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
            split = random_holdout(data, seed=c.seed)
            models = [build_model(m).fit(split.train) for m in c.components]
            users = sample_learners(split.train, split.eval_learners, c.sample_learners, c.seed)
            if not users.size:
                self.weights = np.ones(len(c.components), dtype=np.float32)
            else:
                self.weights = learn_blend_weights(
                    blend_features(models, users),
                    split.heldout[users],
                    split.train.matrix[users].toarray() > 0,
                )
            del models
        # a component with weight 0 is not fitted: it would cost time and change nothing
        self.models = [
            build_model(m).fit(data)
            for m, w in zip(c.components, self.weights, strict=True)
            if w != 0
        ]
        self.used = np.asarray([w for w in self.weights if w != 0], dtype=np.float32)
        self.data = data
        return self

    @classmethod
    def from_fitted(cls, config: HybridConfig, models: list[Model], data: Interactions) -> Hybrid:
        """A hybrid over components already fitted on ``data`` (``config.weights`` required)."""
        h = cls(config)
        assert h.weights is not None and len(h.weights) == len(models)
        h.models = [m for m, w in zip(models, h.weights, strict=True) if w != 0]
        h.used = np.asarray([w for w in h.weights if w != 0], dtype=np.float32)
        h.data = data
        return h

    def score(self, learners: np.ndarray) -> np.ndarray:
        assert self.weights is not None
        out = np.zeros((len(learners), self.data.n_courses), dtype=np.float32)
        for w, mdl in zip(self.used, self.models, strict=True):
            out += w * _standardise(mdl.score(learners))
        return out

    def score_history(self, items: np.ndarray) -> np.ndarray:
        assert self.weights is not None
        out = np.zeros(self.data.n_courses, dtype=np.float32)
        for w, mdl in zip(self.used, self.models, strict=True):
            out += w * _standardise(mdl.score_history(items)[None, :])[0]
        return out

    def contributions(self, learner: int) -> dict[str, np.ndarray]:
        """Each component's weighted standardised scores for one learner (for explanations)."""
        assert self.weights is not None
        u = np.array([learner])
        return {
            str(mdl.config.kind): w * _standardise(mdl.score(u))[0]  # type: ignore[attr-defined]
            for w, mdl in zip(self.used, self.models, strict=True)
        }
