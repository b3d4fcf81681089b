"""Serving helpers: one learner's top-N from a fitted model, and the gap from a target role."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from skillpath.recommend._data import Interactions
from skillpath.recommend._models import Model
from skillpath.recommend._signals import GapEntry

__all__ = ["gap_from_requirements", "recommend_history"]

#: Required level assumed for ESCO essential / O*NET technology requirements (no level given).
DEFAULT_REQUIRED_LEVEL = 3.5


def recommend_history(
    model: Model, data: Interactions, history: Sequence[str], *, k: int = 10
) -> list[tuple[str, float]]:
    """Top-k (course id, score) for a learner given their course ids (need not be in ``data``).

    Unknown course ids are ignored; a learner with no known course gets the most popular
    courses (cold start). Taken courses never appear.
    """
    index = data.course_index()
    items = np.array([index[c] for c in history if c in index], dtype=np.int64)
    if items.size:
        scores = np.asarray(model.score_history(items), dtype=np.float64)
    else:
        scores = np.log1p(np.bincount(data.items, minlength=data.n_courses)).astype(np.float64)
    scores = scores - np.arange(data.n_courses) * 1e-9  # deterministic ties
    scores[items] = -np.inf
    order = np.argsort(-scores, kind="stable")[:k]
    return [(data.courses[i], float(scores[i])) for i in order if np.isfinite(scores[i])]


def gap_from_requirements(
    requirements: Sequence[Any], levels: Mapping[str, float]
) -> dict[str, GapEntry]:
    """Gap per skill from taxonomy requirements (``skill_id, level, importance, relation``).

    ``levels`` are the learner's estimated levels (0-7; missing: 0). Weight is importance / 5
    (1.0 for essential, 0.5 for optional ESCO relations and hot technologies, 0.15 for other
    technologies). Skills already met are left out.
    """
    gap: dict[str, GapEntry] = {}
    for r in requirements:
        if getattr(r, "not_relevant", False):
            continue
        req = r.level if r.level is not None else DEFAULT_REQUIRED_LEVEL
        if r.importance is not None:
            w = float(r.importance) / 5.0
        elif r.relation == "technology":
            # O*NET lists dozens of tools per occupation: one tool weighs less than a rated skill
            w = 0.5 if getattr(r, "hot", False) else 0.15
        else:
            w = 0.5 if r.relation == "optional" else 1.0
        cur = float(levels.get(r.skill_id, 0.0))
        if req > cur and w > 0:
            prev = gap.get(r.skill_id)
            if prev is None or prev.weight * prev.size < w * (req - cur):
                gap[r.skill_id] = GapEntry(cur, float(req), w)
    return gap
