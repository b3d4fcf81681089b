"""Known answers and invariants of the collaborative models, the split and the metrics."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillpath.recommend import (
    ALSConfig,
    BPRConfig,
    EASEConfig,
    HybridConfig,
    Interactions,
    ItemKNNConfig,
    PopularityConfig,
    RP3betaConfig,
    TransitionConfig,
    build_model,
    config_from_json,
    evaluate,
    leave_last_out,
    recommend_history,
    top_k,
)


def checkerboard(n_users: int = 40, n_items: int = 10) -> tuple[Interactions, list[int]]:
    """Two groups of learners and courses; each learner misses one course of its own group."""
    half = n_items // 2
    seqs = []
    missing = []
    for u in range(n_users):
        group = u % 2
        items = [group * half + i for i in range(half)]
        miss = items[(u // 2) % half]
        missing.append(miss)
        seqs.append((f"u{u}", [f"c{i}" for i in items if i != miss]))
    courses = [f"c{i}" for i in range(n_items)]
    return Interactions.from_sequences(seqs, courses=courses), missing


@pytest.mark.parametrize(
    "config",
    [
        ItemKNNConfig(k=10),
        EASEConfig(l2=1.0),
        EASEConfig(l2=1.0, user_weight=0.5),
        RP3betaConfig(k=10),
        ALSConfig(factors=4, iterations=20, regularization=0.01),
    ],
    ids=lambda c: f"{c.kind}-{getattr(c, 'user_weight', '')}",
)
def test_checkerboard_withheld_item_comes_first(config: object) -> None:
    data, missing = checkerboard()
    model = build_model(config).fit(data)  # type: ignore[arg-type]
    users = np.arange(data.n_learners)
    tops = top_k(model.score(users), 1, exclude=data.matrix)
    assert [data.courses[t] for t in tops[:, 0]] == [f"c{m}" for m in missing]


def test_transition_follows_the_sequence() -> None:
    seqs = [(f"u{i}", ["a", "b", "c"]) for i in range(10)] + [
        (f"v{i}", ["x", "y", "z"]) for i in range(10)
    ]
    data = Interactions.from_sequences(seqs)
    model = build_model(TransitionConfig(window=1, history=1)).fit(data)
    assert recommend_history(model, data, ["a", "b"], k=1)[0][0] == "c"
    assert recommend_history(model, data, ["x"], k=1)[0][0] == "y"
    assert model.score(np.array([0])).shape == (1, data.n_courses)


def test_learner_with_no_known_course_gets_popular_courses() -> None:
    data, _ = checkerboard()
    model = build_model(EASEConfig()).fit(data)
    recs = recommend_history(model, data, ["never-seen"], k=3)
    assert len(recs) == 3
    counts = np.bincount(data.items, minlength=data.n_courses)
    assert counts[data.course_index()[recs[0][0]]] == counts.max()


def test_popularity_and_bpr_run() -> None:
    data, _ = checkerboard()
    pop = build_model(PopularityConfig()).fit(data)
    assert pop.score(np.array([0, 1])).shape == (2, data.n_courses)
    bpr = build_model(BPRConfig(factors=4, iterations=5)).fit(data)
    assert bpr.score_history(np.array([0, 1])).shape == (data.n_courses,)


def test_configs_round_trip_json() -> None:
    for cfg in (
        PopularityConfig(),
        ItemKNNConfig(k=7),
        EASEConfig(l2=3.0),
        ALSConfig(factors=8, weighting="bm25"),
        RP3betaConfig(alpha=0.8),
        TransitionConfig(),
    ):
        assert config_from_json(cfg.model_dump_json()) == cfg


def test_leave_last_out_and_perfect_metrics() -> None:
    data = Interactions.from_sequences([("a", ["1", "2", "3"]), ("b", ["1", "3"]), ("c", ["2"])])
    assert leave_last_out(data).heldout.tolist()[1:] == [-1, -1]  # needs 2 courses left
    split = leave_last_out(data, min_history=1)
    assert [data.courses[i] if i >= 0 else None for i in split.heldout] == ["3", "3", None]
    assert split.train.history(0).tolist() == [0, 1]
    assert split.train.n_events == 4

    class Oracle:
        def score(self, learners: np.ndarray) -> np.ndarray:
            s = np.zeros((len(learners), data.n_courses), dtype=np.float32)
            for r, u in enumerate(learners):
                s[r, split.heldout[u]] = 1.0
            return s

    m = evaluate(Oracle(), split)  # type: ignore[arg-type]
    assert m.hr10 == 1.0 and m.ndcg10 == 1.0 and m.recall20 == 1.0 and m.n_learners == 2


def test_hybrid_learns_weights_and_scores() -> None:
    data, _ = checkerboard(60)
    h = build_model(
        HybridConfig(components=(PopularityConfig(), EASEConfig(l2=1.0)), sample_learners=50)
    ).fit(data)
    assert len(h.weights) == 2
    assert h.score(np.array([0, 1])).shape == (2, data.n_courses)


histories = st.lists(
    st.lists(st.integers(0, 11), min_size=1, max_size=8, unique=True), min_size=3, max_size=25
)


@settings(max_examples=25, deadline=None)
@given(histories, st.sampled_from(["pop", "itemknn", "ease", "transition"]), st.integers(1, 12))
def test_top_n_invariants(hist: list[list[int]], kind: str, k: int) -> None:
    data = Interactions.from_sequences(
        [(f"u{i}", [f"c{x}" for x in h]) for i, h in enumerate(hist)],
        courses=[f"c{i}" for i in range(12)],
    )
    cfg = {
        "pop": PopularityConfig(),
        "itemknn": ItemKNNConfig(k=5),
        "ease": EASEConfig(l2=10.0),
        "transition": TransitionConfig(),
    }[kind]
    users = np.arange(data.n_learners)
    model = build_model(cfg).fit(data)
    scores = model.score(users)
    tops = top_k(scores.copy(), k, exclude=data.matrix)
    again = top_k(build_model(cfg).fit(data).score(users), k, exclude=data.matrix)
    assert np.array_equal(tops, again)  # deterministic
    for u in users:
        row = [c for c in tops[u] if c >= 0]
        taken = set(data.history(u).tolist())
        assert len(row) == len(set(row))  # no duplicates
        assert not taken & set(row)  # nothing already taken
        vals = scores[u, row]
        assert all(vals[i] >= vals[i + 1] for i in range(len(vals) - 1))  # sorted
        assert len(row) == min(k, data.n_courses - len(taken))


def test_als_is_deterministic_with_a_seed() -> None:
    data, _ = checkerboard()
    a = build_model(ALSConfig(factors=4, iterations=5, seed=3)).fit(data).score(np.arange(5))
    b = build_model(ALSConfig(factors=4, iterations=5, seed=3)).fit(data).score(np.arange(5))
    assert np.allclose(a, b, atol=1e-4)


@pytest.mark.parametrize("kind", ["itemknn", "rp3beta"])
def test_dense_and_sparse_neighbourhoods_score_alike(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import skillpath.recommend._models as models

    data, _ = checkerboard()
    cfg = ItemKNNConfig(k=3) if kind == "itemknn" else RP3betaConfig(k=3)
    dense = build_model(cfg).fit(data)
    monkeypatch.setattr(models, "_DENSE_MAX", 0)  # a catalogue "too large" for a dense matrix
    sparse = build_model(cfg).fit(data)
    assert isinstance(dense.sim, np.ndarray) and not isinstance(sparse.sim, np.ndarray)
    users = np.arange(data.n_learners)
    np.testing.assert_allclose(dense.score(users), sparse.score(users), rtol=1e-6)
    np.testing.assert_allclose(
        dense.score_history(np.array([0, 1])), sparse.score_history(np.array([0, 1])), rtol=1e-6
    )
    # k neighbours per course, the rest zero, in both forms
    assert (np.count_nonzero(dense.sim, axis=1) <= 3).all()


def test_blend_search_matches_a_from_scratch_evaluation() -> None:
    from skillpath.recommend._hybrid import heldout_ranks, learn_blend_weights, ndcg_at_10

    rng = np.random.default_rng(3)
    n_users, n_items = 300, 40
    truth = rng.standard_normal((n_users, n_items)).astype(np.float32)
    feats = np.stack(
        [truth + s * rng.standard_normal((n_users, n_items)).astype(np.float32) for s in (1, 2, 4)]
    )
    positive = truth.argmax(axis=1)
    taken = rng.random((n_users, n_items)) < 0.1
    taken[np.arange(n_users), positive] = False
    w = learn_blend_weights(feats.copy(), positive, taken)

    def ndcg(weights: np.ndarray) -> float:
        blend = np.tensordot(weights, feats, axes=1)
        return float(ndcg_at_10(heldout_ranks(blend, positive, taken)).mean())

    assert w[0] == 1.0 and w[1:].any()  # the noisier models still add information
    # no single-weight change on the grid improves the result (a coordinate-wise optimum)
    best = ndcg(w)
    for i in range(len(w)):
        for g in (0.0, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0):
            trial = w.copy()
            trial[i] = g
            if trial.any():
                assert ndcg(trial) <= best + 1e-6
