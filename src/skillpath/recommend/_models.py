"""Collaborative models behind one interface: fit on interactions, score courses for learners.

Every model has a typed, JSON round-tripping config (pydantic, ``kind`` discriminates) and the
same three calls: ``fit(data)``, ``score(learners)`` for learners of the fitted data, and
``score_history(items)`` for a learner that was not in it (cold or warm start from a few
courses). See decision 0040.
"""

from __future__ import annotations

import os
from typing import Annotated, Any, Literal, Protocol, runtime_checkable

import numpy as np
import scipy.sparse as sp
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from skillpath.errors import InputError
from skillpath.recommend._data import Interactions

__all__ = [
    "ALSConfig",
    "BPRConfig",
    "EASEConfig",
    "ItemKNNConfig",
    "Model",
    "ModelConfig",
    "PopularityConfig",
    "RP3betaConfig",
    "TransitionConfig",
    "build_model",
    "config_from_json",
]


class _Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PopularityConfig(_Config):
    """Most-taken courses first (log of the number of learners)."""

    kind: Literal["pop"] = "pop"


class ItemKNNConfig(_Config):
    """Item-based k nearest neighbours on co-occurrence.

    ``sim(i, j) = c_ij / (n_i^alpha * n_j^(1-alpha) + shrink)``, keeping ``k`` neighbours per item;
    ``alpha=0.5`` is the cosine.
    """

    kind: Literal["itemknn"] = "itemknn"
    k: int = Field(default=100, ge=1)
    shrink: float = Field(default=0.0, ge=0)
    alpha: float = Field(default=0.5, ge=0, le=1)


class EASEConfig(_Config):
    """EASE (Steck 2019): closed-form item-item ridge regression with a zero diagonal.

    ``user_weight`` p scales each learner's row by ``len(history)^-p`` before the Gram matrix
    (0: plain EASE). ``l2`` is relative to the mean diagonal of that Gram matrix times the
    plain one's, so the same value means about the same shrinkage whatever ``p`` is.
    """

    kind: Literal["ease"] = "ease"
    l2: float = Field(default=200.0, gt=0)
    user_weight: float = Field(default=0.0, ge=0, le=1)


class RP3betaConfig(_Config):
    """RP3beta (Paudel et al. 2017): 3-step random walk item -> learner -> item, popularity-damped.

    ``W_ij = (P(j | i))^alpha / n_j^beta`` with ``P(j | i) = sum_u x_ui x_uj / (n_i len(u))``,
    keeping the ``k`` largest per item.
    """

    kind: Literal["rp3beta"] = "rp3beta"
    alpha: float = Field(default=0.6, gt=0, le=2)
    beta: float = Field(default=0.35, ge=0, le=1)
    k: int = Field(default=300, ge=1)


class ALSConfig(_Config):
    """Implicit-feedback ALS (Hu, Koren, Volinsky 2008) from the ``implicit`` package."""

    kind: Literal["als"] = "als"
    factors: int = Field(default=64, ge=1)
    regularization: float = Field(default=0.01, ge=0)
    alpha: float = Field(default=10.0, gt=0)
    iterations: int = Field(default=15, ge=1)
    seed: int = 42
    #: "bm25" re-weights the binary matrix (Robertson's BM25 over learners, ``implicit``'s
    #: ``bm25_weight``) before ALS, a common gain on implicit data.
    weighting: Literal["none", "bm25"] = "none"


class BPRConfig(_Config):
    """Bayesian personalised ranking from the ``implicit`` package."""

    kind: Literal["bpr"] = "bpr"
    factors: int = Field(default=64, ge=1)
    learning_rate: float = Field(default=0.05, gt=0)
    regularization: float = Field(default=0.01, ge=0)
    iterations: int = Field(default=100, ge=1)
    seed: int = 42


class TransitionConfig(_Config):
    """Sequence-aware item-to-item transitions: "learners who took X next took Y".

    Counts ordered pairs (i before j) at most ``window`` steps apart, weighted ``decay^(gap-1)``,
    normalised like item-kNN with ``alpha``; a learner is scored from the last ``history``
    courses, the most recent weighted highest (``recency^k``).
    """

    kind: Literal["transition"] = "transition"
    window: int = Field(default=3, ge=1)
    decay: float = Field(default=0.5, gt=0, le=1)
    history: int = Field(default=3, ge=1)
    recency: float = Field(default=0.5, gt=0, le=1)
    alpha: float = Field(default=0.5, ge=0, le=1)
    backward: float = Field(default=0.0, ge=0, le=1)


ModelConfig = Annotated[
    PopularityConfig
    | ItemKNNConfig
    | EASEConfig
    | RP3betaConfig
    | ALSConfig
    | BPRConfig
    | TransitionConfig,
    Field(discriminator="kind"),
]
_ADAPTER: TypeAdapter[ModelConfig] = TypeAdapter(ModelConfig)


def config_from_json(text: str | bytes) -> ModelConfig:
    """Parse a model config from its JSON form (``config.model_dump_json()``)."""
    return _ADAPTER.validate_json(text)


@runtime_checkable
class Model(Protocol):
    """What every collaborative model offers."""

    config: BaseModel

    def fit(self, data: Interactions) -> Model:
        """Learn from the learners' histories; returns self."""
        ...

    def score(self, learners: np.ndarray) -> np.ndarray:
        """Scores (len(learners) x n_courses, float32) for learners of the fitted data."""
        ...

    def score_history(self, items: np.ndarray) -> np.ndarray:
        """Scores (n_courses, float32) for a learner with this history (course numbers, in order)."""
        ...


def _threads() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


class _Base:
    data: Interactions

    def _rows(self, learners: np.ndarray) -> sp.csr_matrix:
        return self.data.matrix[learners]

    def _history_row(self, items: np.ndarray) -> sp.csr_matrix:
        items = np.unique(np.asarray(items, dtype=np.int32))
        return sp.csr_matrix(
            (np.ones(len(items), dtype=np.float32), items, np.array([0, len(items)])),
            shape=(1, self.data.n_courses),
        )


class Popularity(_Base):
    """See :class:`PopularityConfig`."""

    def __init__(self, config: PopularityConfig) -> None:
        self.config = config

    def fit(self, data: Interactions) -> Popularity:
        self.data = data
        counts = np.bincount(data.items, minlength=data.n_courses).astype(np.float32)
        self.counts = counts
        # A tiny index-based tie-break keeps the order deterministic among equal counts.
        self.pop = np.log1p(counts) - np.arange(data.n_courses, dtype=np.float32) * 1e-7
        return self

    def score(self, learners: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.pop, (len(learners), self.data.n_courses)).copy()

    def score_history(self, items: np.ndarray) -> np.ndarray:
        return self.pop.copy()


class ItemKNN(_Base):
    """See :class:`ItemKNNConfig`."""

    def __init__(self, config: ItemKNNConfig) -> None:
        self.config = config

    def fit(self, data: Interactions) -> ItemKNN:
        self.data = data
        c = self.config
        g = data.gram(0.0).astype(np.float32)
        n = np.diag(g).copy()
        np.fill_diagonal(g, 0.0)
        denom = np.outer(np.power(n, c.alpha), np.power(n, 1.0 - c.alpha)) + c.shrink + 1e-9
        s = g / denom
        self.sim = _keep_top_k(s, c.k)
        return self

    def score(self, learners: np.ndarray) -> np.ndarray:
        return _apply(self._rows(learners), self.sim)

    def score_history(self, items: np.ndarray) -> np.ndarray:
        return _apply(self._history_row(items), self.sim)[0]


#: up to this many courses a neighbourhood model keeps its (mostly zero) similarity matrix dense:
#: a sparse learner-row times a dense matrix scores twice as fast as sparse times sparse, and
#: EASE needs the same n x n floats anyway
_DENSE_MAX = 8000


def _keep_top_k(s: np.ndarray, k: int) -> sp.csr_matrix | np.ndarray:
    """Keep the k largest entries of each row (the neighbours of item i), zero the rest.

    Dense float32 for catalogues up to ``_DENSE_MAX`` courses, a sparse matrix above.
    """
    n = s.shape[0]
    if k >= n:
        m = sp.csr_matrix(s)
    else:
        idx = np.argpartition(-s, k, axis=1)[:, :k]
        vals = np.take_along_axis(s, idx, axis=1)
        rows = np.repeat(np.arange(n), k)
        m = sp.csr_matrix((vals.ravel(), (rows, idx.ravel())), shape=s.shape)
    m.eliminate_zeros()
    m = m.astype(np.float32)
    return m.toarray() if n <= _DENSE_MAX else m


def _apply(rows: sp.csr_matrix, sim: sp.csr_matrix | np.ndarray) -> np.ndarray:
    """Scores ``rows @ sim`` as a dense float32 array, whichever form ``sim`` has."""
    out = rows @ sim
    if sp.issparse(out):
        out = out.toarray()
    return np.asarray(out, dtype=np.float32)


class EASE(_Base):
    """See :class:`EASEConfig`."""

    def __init__(self, config: EASEConfig) -> None:
        self.config = config

    def fit(self, data: Interactions) -> EASE:
        self.data = data
        c = self.config
        g = data.gram(c.user_weight).copy()
        diag = np.diag(g)
        scale = float(np.mean(diag)) / max(float(np.mean(np.diag(data.gram(0.0)))), 1e-12)
        g[np.diag_indices_from(g)] += c.l2 * (scale if c.user_weight else 1.0)
        p = _spd_inverse(g)
        b = -p / np.diag(p)
        np.fill_diagonal(b, 0.0)
        self.b = b.astype(np.float32)
        return self

    def score(self, learners: np.ndarray) -> np.ndarray:
        return np.asarray(self._rows(learners) @ self.b, dtype=np.float32)

    def score_history(self, items: np.ndarray) -> np.ndarray:
        items = np.unique(np.asarray(items, dtype=np.int64))
        return self.b[items].sum(axis=0)


def _spd_inverse(g: np.ndarray) -> np.ndarray:
    """Inverse of a symmetric positive definite matrix by Cholesky (faster than LU)."""
    from scipy.linalg import lapack

    if g.shape[0] == 0:
        return g
    # float32 is 1.4x faster and its error (1e-6 relative on MOOCCubeX) does not change rankings
    c, info = lapack.spotrf(g.astype(np.float32), lower=False, overwrite_a=True, clean=True)
    if info == 0:
        inv, info = lapack.spotri(c, lower=False, overwrite_c=True)
    if info != 0:  # badly conditioned in float32: fall back to float64, then to the pseudo-inverse
        c, info = lapack.dpotrf(g, lower=False, overwrite_a=False, clean=True)
        if info == 0:
            inv, info = lapack.dpotri(c, lower=False, overwrite_c=True)
        if info != 0:
            return np.asarray(np.linalg.pinv(g), dtype=np.float64)
    upper = np.triu(inv)
    return upper + np.triu(upper, 1).T


class RP3beta(_Base):
    """See :class:`RP3betaConfig`."""

    def __init__(self, config: RP3betaConfig) -> None:
        self.config = config

    def fit(self, data: Interactions) -> RP3beta:
        self.data = data
        c = self.config
        # sum_u x_ui x_uj / len(u) is the Gram matrix with rows scaled by len(u)^-1/2
        g = data.gram(0.5).astype(np.float32)
        n = np.maximum(np.bincount(data.items, minlength=data.n_courses), 1).astype(np.float32)
        w = g / n[:, None]
        np.fill_diagonal(w, 0.0)
        if c.alpha != 1.0:
            np.power(w, c.alpha, out=w)
        w /= np.power(n, c.beta)[None, :]
        self.sim = _keep_top_k(w, c.k)
        return self

    def score(self, learners: np.ndarray) -> np.ndarray:
        return _apply(self._rows(learners), self.sim)

    def score_history(self, items: np.ndarray) -> np.ndarray:
        return _apply(self._history_row(items), self.sim)[0]


class _ImplicitMF(_Base):
    """Shared scoring for the matrix-factorisation models from ``implicit``."""

    config: ALSConfig | BPRConfig

    def _make(self) -> Any:
        raise NotImplementedError

    def fit(self, data: Interactions) -> _ImplicitMF:
        import implicit.cpu.als
        import implicit.cpu.bpr  # noqa: F401  (load its BLAS before limiting it)
        from threadpoolctl import threadpool_limits

        self.data = data
        # implicit runs its own threads; BLAS threads on top of them oversubscribe the cores
        # (and implicit warns). Limit BLAS for the fit only, never via global env in tests.
        x = data.matrix
        if getattr(self.config, "weighting", "none") == "bm25":
            from implicit.nearest_neighbours import bm25_weight

            x = sp.csr_matrix(bm25_weight(x, K1=100, B=0.8), dtype=np.float32)
        with threadpool_limits(1, "blas"):
            model = self._make()
            model.fit(x, show_progress=False)
        self.model = model
        self.user_factors = np.asarray(model.user_factors, dtype=np.float32)
        self.item_factors = np.asarray(model.item_factors, dtype=np.float32)
        return self

    def score(self, learners: np.ndarray) -> np.ndarray:
        return self.user_factors[learners] @ self.item_factors.T

    def score_history(self, items: np.ndarray) -> np.ndarray:
        row = self._history_row(items)
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1, "blas"):
            _, user = self._fold_in(row)
        return np.asarray(user @ self.item_factors.T, dtype=np.float32).ravel()

    def _fold_in(self, row: sp.csr_matrix) -> tuple[None, np.ndarray]:
        # Least-squares fold-in of a new learner against fixed item factors (ALS's user step).
        v = self.item_factors.astype(np.float64)
        items = row.indices
        lam = float(getattr(self.config, "regularization", 0.01))
        alpha = float(getattr(self.config, "alpha", 1.0))  # BPR has none
        a = v.T @ v + lam * np.eye(v.shape[1])
        vi = v[items]
        a += alpha * vi.T @ vi
        b = (1.0 + alpha) * vi.sum(axis=0)
        return None, np.linalg.solve(a, b).astype(np.float32)


class ALS(_ImplicitMF):
    """See :class:`ALSConfig`."""

    config: ALSConfig

    def __init__(self, config: ALSConfig) -> None:
        self.config = config

    def _make(self) -> Any:
        from implicit.cpu.als import AlternatingLeastSquares

        c = self.config
        return AlternatingLeastSquares(
            factors=c.factors,
            regularization=c.regularization,
            alpha=c.alpha,
            iterations=c.iterations,
            random_state=c.seed,
            num_threads=_threads(),
            calculate_training_loss=False,
        )


class BPR(_ImplicitMF):
    """See :class:`BPRConfig`."""

    config: BPRConfig

    def __init__(self, config: BPRConfig) -> None:
        self.config = config

    def _make(self) -> Any:
        from implicit.cpu.bpr import BayesianPersonalizedRanking

        c = self.config
        return BayesianPersonalizedRanking(
            factors=c.factors,
            learning_rate=c.learning_rate,
            regularization=c.regularization,
            iterations=c.iterations,
            random_state=c.seed,
            num_threads=_threads(),
        )

    def _fold_in(self, row: sp.csr_matrix) -> tuple[None, np.ndarray]:
        # BPR has no closed-form user step; the mean of the taken items' factors is a fair proxy.
        f = self.item_factors[row.indices].mean(axis=0)
        return None, f


class Transition(_Base):
    """See :class:`TransitionConfig`."""

    def __init__(self, config: TransitionConfig) -> None:
        self.config = config

    def fit(self, data: Interactions) -> Transition:
        self.data = data
        c = self.config
        n = data.n_courses
        lengths = data.lengths()
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        pos = np.arange(data.n_events) - np.repeat(data.indptr[:-1], lengths)
        for gap in range(1, c.window + 1):
            # pairs (t, t+gap) inside the same learner's history
            ok = (
                pos[: data.n_events - gap] + gap
                < np.repeat(lengths, lengths)[: data.n_events - gap]
            )
            src = np.flatnonzero(ok)
            rows.append(data.items[src])
            cols.append(data.items[src + gap])
            vals.append(np.full(len(src), c.decay ** (gap - 1), dtype=np.float32))
        t = sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
        ).toarray()
        if c.backward > 0:
            t = t + c.backward * t.T
        counts = np.bincount(data.items, minlength=n).astype(np.float32)
        denom = np.outer(np.power(counts, c.alpha), np.power(counts, 1.0 - c.alpha)) + 1e-9
        t = (t / denom).astype(np.float32)
        np.fill_diagonal(t, 0.0)
        self.t = t
        return self

    def _weights(self, learners: np.ndarray) -> sp.csr_matrix:
        c = self.config
        starts = self.data.indptr[learners]
        ends = self.data.indptr[learners + 1]
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[float] = []
        for k in range(c.history):
            pos = ends - 1 - k
            ok = pos >= starts
            idx = np.flatnonzero(ok)
            rows.append(idx)
            cols.append(self.data.items[pos[ok]])
            vals.extend([c.recency**k] * len(idx))
        return sp.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (np.concatenate(rows), np.concatenate(cols))),
            shape=(len(learners), self.data.n_courses),
        )

    def score(self, learners: np.ndarray) -> np.ndarray:
        return np.asarray(self._weights(np.asarray(learners)) @ self.t, dtype=np.float32)

    def score_history(self, items: np.ndarray) -> np.ndarray:
        c = self.config
        out = np.zeros(self.data.n_courses, dtype=np.float32)
        for k, i in enumerate(list(np.asarray(items))[::-1][: c.history]):
            out += (c.recency**k) * self.t[int(i)]
        return out


_REGISTRY: dict[str, type] = {
    "pop": Popularity,
    "itemknn": ItemKNN,
    "ease": EASE,
    "rp3beta": RP3beta,
    "als": ALS,
    "bpr": BPR,
    "transition": Transition,
}


def build_model(config: BaseModel) -> Model:
    """An unfitted model for a config (any of the ``*Config`` classes, or a hybrid config)."""
    kind = getattr(config, "kind", None)
    if kind == "hybrid":
        from skillpath.recommend._hybrid import Hybrid

        return Hybrid(config)  # type: ignore[arg-type,return-value]
    cls = _REGISTRY.get(str(kind))
    if cls is None:
        raise InputError(f"unknown model kind {kind!r}; use one of {sorted(_REGISTRY)} or hybrid")
    return cls(config)  # type: ignore[no-any-return,unused-ignore]
