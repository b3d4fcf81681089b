"""The mastery model: conjugate updates, reviewer severity, and what passes a checkpoint."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from skillpath.mentoring import (
    Belief,
    Observation,
    SeverityIndex,
    level_from_rubric,
    reviewer_stats,
    update_belief,
)


def test_mentor_moves_the_belief_more_than_a_peer_and_a_peer_more_than_self() -> None:
    prior = Belief(mean=2.0, sd=1.0)
    moved = {
        src: update_belief(prior, [Observation(level=5.0, source=src)]).mean
        for src in ("self", "peer", "mentor", "assessed")
    }
    assert moved["self"] < moved["peer"] < moved["mentor"] < moved["assessed"] < 5.0


def test_self_assessment_alone_never_passes() -> None:
    b = update_belief(Belief(mean=3.0, sd=0.5), [Observation(level=7.0, source="self")] * 20)
    assert b.p_at_least(4.0) > 0.99
    assert not b.passes(4.0)


def test_two_reviews_at_target_pass_one_weak_does_not() -> None:
    prior = Belief(mean=2.5, sd=1.0)
    weak = update_belief(prior, [Observation(level=level_from_rubric(1, 4.0), source="mentor")])
    assert not weak.passes(4.0)
    good = update_belief(
        prior,
        [
            Observation(level=level_from_rubric(3, 4.0), source="mentor", reviewer="m"),
            Observation(level=level_from_rubric(3, 4.0), source="peer", reviewer="p"),
        ],
    )
    assert good.passes(4.0)


def test_severity_is_estimated_and_corrected() -> None:
    # a harsh peer scores one level below the mentor every time
    pairs = [("harsh", 2.0, 3.0)] * 6 + [("fair", 3.0, 3.0)] * 6
    stats = reviewer_stats(pairs)
    assert stats["harsh"].bias < -0.5
    assert abs(stats["fair"].bias) < 1e-9
    prior = Belief(mean=3.0, sd=1.0)
    raw = update_belief(prior, [Observation(level=2.0, source="peer", reviewer="harsh")])
    fixed = update_belief(prior, [Observation(level=2.0, source="peer", reviewer="harsh")], stats)
    assert fixed.mean > raw.mean


@given(
    mean=st.floats(0, 7),
    sd=st.floats(0.2, 2.0),
    levels=st.lists(st.floats(0, 7), max_size=8),
    source=st.sampled_from(["self", "peer", "mentor", "assessed", "completion"]),
)
def test_posterior_stays_on_the_scale_and_never_grows_less_certain(
    mean: float, sd: float, levels: list[float], source: str
) -> None:
    prior = Belief(mean=mean, sd=sd)
    post = update_belief(prior, [Observation(level=v, source=source) for v in levels])
    assert 0.0 <= post.mean <= 7.0
    assert post.sd <= sd + 1e-3
    assert math.isfinite(post.sd)


def _pairs(reviews: list[tuple[int, float, str, str, int]]) -> list[tuple[str, float, float]]:
    """The (reviewer, level, reference) pairs of a review history, counted from scratch."""
    by_work: dict[int, list[tuple[str, str, int]]] = {}
    target: dict[int, float] = {}
    for work, tgt, who, source, rubric in reviews:
        by_work.setdefault(work, []).append((who, source, rubric))
        target.setdefault(work, tgt)
    out = []
    for work, rs in by_work.items():
        refs = [r for _w, s, r in rs if s == "mentor"]
        if not refs:
            continue
        ref = level_from_rubric(round(sum(refs) / len(refs)), target[work])
        out += [
            (w, level_from_rubric(r, target[work]), ref) for w, s, r in rs if s in ("peer", "self")
        ]
    return out


_review = st.tuples(
    st.integers(0, 5),
    st.sampled_from([2.0, 3.38, 4.5, 6.8]),
    st.sampled_from(["a", "b", "c"]),
    st.sampled_from(["self", "peer", "mentor"]),
    st.integers(0, 3),
)


@given(st.lists(_review, max_size=40))
def test_incremental_severity_equals_counting_everything_after_each_review(
    reviews: list[tuple[int, float, str, str, int]],
) -> None:
    idx = SeverityIndex()
    first_target: dict[int, float] = {}
    for k, (work, tgt, who, source, rubric) in enumerate(reviews):
        tgt = first_target.setdefault(work, tgt)  # a work's target is fixed
        reviews[k] = (work, tgt, who, source, rubric)
        idx.add(work, tgt, who, source, rubric)
        want = reviewer_stats(_pairs(reviews[: k + 1]))
        got = idx.stats()
        assert set(got) == set(want)
        for who_, w in want.items():
            assert got[who_].n == w.n
            assert math.isclose(got[who_].bias, w.bias, abs_tol=1e-9)
            assert w.sd is not None and got[who_].sd is not None
            assert math.isclose(got[who_].sd, w.sd, abs_tol=1e-9)
    assert idx.reviews == len(reviews)


def test_a_late_mentor_score_recounts_the_peer_reviews_of_that_work() -> None:
    idx = SeverityIndex()
    idx.add(1, 3.0, "p", "peer", 3)
    assert idx.stats() == {}  # no reference yet: no severity
    idx.add(1, 3.0, "m", "mentor", 1)
    (st_p,) = idx.stats().values()
    assert st_p.n == 1 and st_p.bias > 0  # the peer scored 2 rubric steps above the mentor
