"""The mastery model: conjugate updates, reviewer severity, and what passes a checkpoint."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from skillpath.mentoring import (
    Belief,
    Observation,
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
