"""Mastery: what Skillpath believes about a learner's level in a skill, updated by reviewed evidence.

The model (docs/decisions/0110-mastery-model.md): a Gaussian belief over the O*NET 0-7 level scale
per skill. The prior is the CV estimate (mean, sd). Each review is an observation of the level the
reviewed work shows, on the task's rubric mapped to levels around the task's target level. An
observation from a reviewer is corrected by the reviewer's severity (their mean deviation from a
reference reviewer on the same work, shrunk towards 0) and weighted by their noise variance: a
source prior (self > peer > mentor > assessed test) scaled by the reviewer's consistency when
their history allows. The update is the conjugate normal-normal one, so the posterior keeps an
honest uncertainty; a checkpoint passes when P(level >= required) clears ``PASS_CONFIDENCE``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "MIN_PRIOR_SD",
    "PASS_CONFIDENCE",
    "RUBRIC_LEVELS",
    "SOURCE_SD",
    "Belief",
    "Observation",
    "ReviewerStats",
    "SeverityIndex",
    "level_from_rubric",
    "reviewer_stats",
    "update_belief",
]

# Observation noise (sd, in O*NET levels) by source, before a reviewer's own history is known.
# A self-assessment says little (people misjudge themselves by about a level and a half); a trained
# mentor less than a peer; an assessed test least. The peer/mentor ratio is calibrated on the
# peer-vs-tutor grades (bench/mastery.py): peers' residual sd is about 1.6x the tutors' own spread.
SOURCE_SD: dict[str, float] = {
    "self": 1.5,
    "peer": 0.9,
    "mentor": 0.6,
    "assessed": 0.45,
    "completion": 1.2,  # finishing a course shows exposure, not mastery
}
# A checkpoint passes when the posterior probability of being at or above the required level is
# at least this (and the learner has reviewed evidence, never self-assessment alone).
PASS_CONFIDENCE = 0.8
# Rubric levels of a task: what each means, and the level it shows relative to the task's target.
# Each level is an interval of the 0-7 scale (not yet: below target-1; approaching: [target-1,
# target); meets: [target, target+1); exceeds: target+1 and up); an observation is its midpoint, so
# work that "meets" the target counts as at or above it, as the words say.
RUBRIC_LEVELS: tuple[tuple[str, float], ...] = (
    ("not yet: the work does not show the skill at a usable level", -1.5),
    ("approaching: parts are right, key steps are missing or need help", -0.5),
    ("meets: the work shows the skill at the target level, unaided", 0.5),
    ("exceeds: the work goes beyond the target (handles edge cases, teaches others)", 1.5),
)
# A CV's level is a claim read from text, not an observation of work: for mastery its sd is at
# least this, so that reviewed work can move it.
MIN_PRIOR_SD = 1.0
# Shrinkage (pseudo-observations) for a reviewer's severity and noise estimates.
_SHRINK = 3.0


@dataclass(frozen=True, slots=True)
class Belief:
    """A Gaussian belief about one skill's level (0-7)."""

    mean: float
    sd: float
    observations: int = 0
    reviewed: int = 0  # observations from someone other than the learner

    def p_at_least(self, level: float) -> float:
        """Probability that the true level is at least ``level``."""
        if self.sd <= 0:
            return 1.0 if self.mean >= level else 0.0
        z = (self.mean - level) / self.sd
        return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))

    def passes(self, required: float, confidence: float = PASS_CONFIDENCE) -> bool:
        """Whether a checkpoint at ``required`` passes: confident enough, and reviewed by another."""
        return self.reviewed > 0 and self.p_at_least(required) >= confidence


@dataclass(frozen=True, slots=True)
class Observation:
    """One reviewed piece of evidence: the level it shows, who said so."""

    level: float
    source: str  # self | peer | mentor | assessed | completion
    reviewer: str = ""


@dataclass(frozen=True, slots=True)
class ReviewerStats:
    """A reviewer's severity (mean deviation from the reference, levels) and noise sd."""

    bias: float = 0.0
    sd: float | None = None
    n: int = 0


@dataclass
class _Acc:
    diffs: list[float] = field(default_factory=list)


def reviewer_stats(
    pairs: Iterable[tuple[str, float, float]], *, prior_sd: float = SOURCE_SD["peer"]
) -> dict[str, ReviewerStats]:
    """Estimate each reviewer's severity and consistency from their history.

    Args:
        pairs: (reviewer, their level, the reference level for the same work) triples, where the
            reference is a mentor's or an assessed score of the same evidence.
        prior_sd: the noise sd assumed before any history (shrinkage target).

    Returns:
        Per reviewer: bias shrunk towards 0 with ``_SHRINK`` pseudo-observations, and a noise sd
        shrunk towards ``prior_sd`` the same way.
    """
    acc: dict[str, _Acc] = {}
    for who, level, ref in pairs:
        acc.setdefault(who, _Acc()).diffs.append(level - ref)
    out: dict[str, ReviewerStats] = {}
    for who, a in acc.items():
        n = len(a.diffs)
        mean = sum(a.diffs) / n
        bias = mean * n / (n + _SHRINK)
        ss = sum((d - mean) ** 2 for d in a.diffs)
        var = (ss + _SHRINK * prior_sd**2) / (max(n - 1, 0) + _SHRINK)
        out[who] = ReviewerStats(bias=bias, sd=math.sqrt(var), n=n)
    return out


def _stats_from_sums(n: int, total: float, squares: float, prior_sd: float) -> ReviewerStats:
    mean = total / n
    ss = max(squares - n * mean * mean, 0.0)
    var = (ss + _SHRINK * prior_sd**2) / (max(n - 1, 0) + _SHRINK)
    return ReviewerStats(bias=mean * n / (n + _SHRINK), sd=math.sqrt(var), n=n)


@dataclass
class _Work:
    """One piece of evidence in a :class:`SeverityIndex`: its reference and its reviews."""

    target: float
    refs: list[int] = field(default_factory=list)  # mentor/assessed rubric scores
    others: list[tuple[str, int]] = field(default_factory=list)  # (peer/self reviewer, score)

    def diffs(self) -> list[tuple[str, float]]:
        if not self.refs:
            return []
        ref = level_from_rubric(round(sum(self.refs) / len(self.refs)), self.target)
        return [(who, level_from_rubric(r, self.target) - ref) for who, r in self.others]


class SeverityIndex:
    """Reviewers' severity and consistency, kept up to date one review at a time.

    The same estimate as :func:`reviewer_stats` over every (peer or self review, mentor reference
    of the same work) pair, without revisiting the whole history on each review: each reviewer
    keeps the count, sum and sum of squares of their deviations, and a new review re-counts only
    the pairs of its own piece of evidence (a new mentor score changes that work's reference).

    Args:
        prior_sd: the noise sd assumed before any history (shrinkage target).
    """

    def __init__(self, *, prior_sd: float = SOURCE_SD["peer"]) -> None:
        self.prior_sd = prior_sd
        self._work: dict[object, _Work] = {}
        self._sums: dict[str, list[float]] = {}  # reviewer -> [n, sum, sum of squares]
        self.reviews = 0

    def _count(self, work: _Work, sign: int) -> None:
        for who, d in work.diffs():
            acc = self._sums.setdefault(who, [0.0, 0.0, 0.0])
            acc[0] += sign
            acc[1] += sign * d
            acc[2] += sign * d * d
            if acc[0] <= 0:
                del self._sums[who]

    def add(self, work_id: object, target: float, reviewer: str, source: str, rubric: int) -> None:
        """Count one review of the work ``work_id`` (whose task targets ``target``)."""
        level_from_rubric(rubric, target)  # validates the score
        work = self._work.setdefault(work_id, _Work(target=target))
        self._count(work, -1)
        if source in ("mentor", "assessed"):
            work.refs.append(rubric)
        elif source in ("peer", "self"):
            work.others.append((reviewer, rubric))
        self._count(work, +1)
        self.reviews += 1

    def works(self) -> set[object]:
        """The ids of the works counted so far."""
        return set(self._work)

    def stats(self) -> dict[str, ReviewerStats]:
        """Per reviewer with history: severity and noise sd, as :func:`reviewer_stats` gives."""
        return {
            who: _stats_from_sums(round(n), s, q, self.prior_sd)
            for who, (n, s, q) in self._sums.items()
        }


def level_from_rubric(rubric_index: int, target_level: float) -> float:
    """The level a rubric score shows, for a task that targets ``target_level`` (clipped to 0-7)."""
    if not 0 <= rubric_index < len(RUBRIC_LEVELS):
        raise ValueError(f"rubric score must be 0..{len(RUBRIC_LEVELS) - 1}")
    return min(7.0, max(0.0, target_level + RUBRIC_LEVELS[rubric_index][1]))


def update_belief(
    prior: Belief,
    observations: Sequence[Observation],
    stats: dict[str, ReviewerStats] | None = None,
) -> Belief:
    """The posterior after ``observations`` (conjugate normal update, reviewer-corrected)."""
    stats = stats or {}
    prec = 1.0 / max(prior.sd, 1e-3) ** 2
    num = prior.mean * prec
    n, reviewed = prior.observations, prior.reviewed
    for ob in observations:
        base = SOURCE_SD.get(ob.source, SOURCE_SD["peer"])
        st = stats.get(ob.reviewer)
        y = ob.level - (st.bias if st else 0.0)
        sd = st.sd if st and st.sd is not None and ob.source in ("peer", "self") else base
        p = 1.0 / sd**2
        prec += p
        num += y * p
        n += 1
        if ob.source in ("peer", "mentor", "assessed"):
            reviewed += 1
    mean = min(7.0, max(0.0, num / prec))
    return Belief(
        mean=round(mean, 3), sd=round(1.0 / math.sqrt(prec), 3), observations=n, reviewed=reviewed
    )
