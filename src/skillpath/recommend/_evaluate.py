"""Top-N lists and the full-ranking evaluation: HR@10, NDCG@10, Recall@20, catalogue coverage."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from skillpath.recommend._data import Split
from skillpath.recommend._models import Model

__all__ = ["Metrics", "batches", "evaluate", "top_k", "top_k_all"]


def batches(n: int, size: int) -> Iterator[np.ndarray]:
    """Consecutive index batches ``[0, size), [size, 2 size), ...`` covering ``range(n)``."""
    for start in range(0, n, size):
        yield np.arange(start, min(n, start + size))


def top_k(scores: np.ndarray, k: int, *, exclude: sp.csr_matrix | None = None) -> np.ndarray:
    """The k best course numbers per row, best first; excluded (taken) courses never appear.

    Ties are broken by the lower course number so the result is deterministic. Rows with fewer
    than k allowed courses are padded with -1.

    Args:
        scores: (rows x courses) scores; modified in place when ``exclude`` is given.
        k: list length.
        exclude: (rows x courses) sparse matrix whose non-zeros are removed from the lists.
    """
    scores = np.asarray(scores, dtype=np.float32)
    if exclude is not None and exclude.nnz:
        ex = exclude.tocoo()
        scores[ex.row, ex.col] = -np.inf
    n = scores.shape[1]
    k_eff = min(k, n)
    if k_eff < n:
        part = np.argpartition(-scores, k_eff - 1, axis=1)[:, :k_eff]
    else:
        part = np.broadcast_to(np.arange(n), scores.shape).copy()
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -vals), axis=1)
    top = np.take_along_axis(part, order, axis=1)
    top_vals = np.take_along_axis(vals, order, axis=1)
    top = np.where(np.isneginf(top_vals), -1, top)
    if k_eff < k:
        top = np.pad(top, ((0, 0), (0, k - k_eff)), constant_values=-1)
    return top.astype(np.int64)


def top_k_all(
    model: Model,
    learners: np.ndarray,
    k: int,
    *,
    exclude: sp.csr_matrix,
    batch_size: int = 2048,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Top-k for many learners in batches (bounded memory); taken courses (``exclude``) removed."""
    out = np.empty((len(learners), k), dtype=np.int64)
    for b in batches(len(learners), batch_size):
        users = learners[b]
        out[b] = top_k(model.score(users), k, exclude=exclude[users])
        if progress is not None:
            progress(len(b))
    return out


@dataclass(frozen=True)
class Metrics:
    """Full-ranking metrics with one held-out course per learner."""

    hr10: float
    ndcg10: float
    recall20: float
    coverage10: float
    n_learners: int

    def as_dict(self) -> dict[str, float]:
        """Plain dict (for tables and JSON)."""
        return {
            "HR@10": self.hr10,
            "NDCG@10": self.ndcg10,
            "Recall@20": self.recall20,
            "Coverage@10": self.coverage10,
        }


def evaluate(
    model: Model,
    split: Split,
    *,
    learners: np.ndarray | None = None,
    batch_size: int = 2048,
) -> Metrics:
    """Rank all courses (taken ones excluded) and score the held-out course of each learner.

    Recall@20 with a single held-out course equals HR@20. Coverage is the share of the catalogue
    that appears in at least one top-10 list.
    """
    users = split.eval_learners if learners is None else np.asarray(learners)
    tops = top_k_all(model, users, 20, exclude=split.train.matrix, batch_size=batch_size)
    target = split.heldout[users][:, None]
    hit = tops == target
    rank = np.where(hit.any(axis=1), hit.argmax(axis=1), 99)
    hr10 = float(np.mean(rank < 10))
    ndcg = float(np.mean(np.where(rank < 10, 1.0 / np.log2(rank + 2.0), 0.0)))
    rec20 = float(np.mean(rank < 20))
    t10 = tops[:, :10]
    cov = len(np.unique(t10[t10 >= 0])) / split.train.n_courses
    return Metrics(hr10=hr10, ndcg10=ndcg, recall20=rec20, coverage10=cov, n_learners=len(users))
