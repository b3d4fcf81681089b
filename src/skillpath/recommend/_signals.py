"""Content signals: gap fit, success paths and quality. Each works on any objects with the fields.

* gap fit: the share of the learner's weighted gap a course closes, at the right level;
* success paths: lift of a course among learners who later moved into the target role over
  comparable learners who did not, only over groups of at least ``min_group`` people (privacy);
* quality: Bayesian (shrunk) rating and completion rate.

The data contract for success paths is in ``docs/recommend.md``; decision 0043.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from skillpath.recommend._events import CareerEvent, LearningEvent

__all__ = [
    "CourseLike",
    "GapEntry",
    "GapFit",
    "SkillTagLike",
    "SuccessConfig",
    "SuccessPath",
    "SuccessPaths",
    "bayesian_rating",
    "completion_rates",
    "gap_fit",
    "success_paths",
]


@runtime_checkable
class SkillTagLike(Protocol):
    """A skill a course teaches: ``level`` on the same scale as the gap (None: unknown)."""

    @property
    def skill_id(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def level(self) -> float | None: ...


@runtime_checkable
class CourseLike(Protocol):
    """What the signals and re-ranker read from a course (``skillpath.catalog.Course`` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def skills(self) -> Sequence[SkillTagLike]: ...
    @property
    def hours(self) -> float | None: ...
    @property
    def price(self) -> float | None: ...
    @property
    def rating(self) -> float | None: ...


@dataclass(frozen=True)
class GapEntry:
    """One skill of the gap: the learner's current level, the required one, and its weight."""

    current: float
    required: float
    weight: float = 1.0

    @property
    def size(self) -> float:
        """How far the learner is below the requirement (0 when at or above it)."""
        return max(0.0, self.required - self.current)


@dataclass(frozen=True)
class GapFit:
    """A course's gap fit: share of the total weighted gap closed, and per skill
    ``(skill_id, share of the total, share of that skill's own gap)``, largest first."""

    score: float
    per_skill: tuple[tuple[str, float, float], ...]


def _entry(v: GapEntry | tuple[float, float, float] | tuple[float, float]) -> GapEntry:
    if isinstance(v, GapEntry):
        return v
    return GapEntry(*(float(x) for x in v))


def known_topics(
    course: CourseLike, levels: Mapping[str, float], *, labels: Mapping[str, str] | None = None
) -> tuple[tuple[str, float, float], ...]:
    """The course's main topics the learner already has at or above the level the course brings
    them to, as (label, learner's level, course's level); empty unless the learner's profile
    rates every main topic and each at or above the course's level (decision 0152). "Introduction to Computer Programming" (Programming 2.5) for a developer at 4.3."""
    from skillpath.catalog._model import is_main_tag

    main = [t for i, t in enumerate(course.skills or ()) if is_main_tag(i, t)]
    rated = [t for t in main if t.skill_id in levels and t.level is not None]
    if not main or len(rated) < len(main):
        return ()  # a topic the profile does not rate may be new to the learner
    if any(levels[t.skill_id] < float(t.level or 0.0) for t in rated):
        return ()
    names = labels or {}
    return tuple(
        (
            names.get(t.skill_id) or getattr(t, "label", "") or t.skill_id,
            levels[t.skill_id],
            float(t.level or 0.0),
        )
        for t in rated
    )


def gap_fit(
    course: CourseLike,
    gap: Mapping[str, GapEntry | tuple[float, float, float] | tuple[float, float]],
    *,
    stretch: float = 3.0,
) -> GapFit:
    """How much of the learner's weighted gap this course closes, at the right level.

    A course tagged with skill ``s`` at level ``L`` (confidence ``c``) lifts the learner from
    ``current`` towards ``min(L, required)``, by the plan's credit model (decision 0167): the
    levels to gain times :func:`~skillpath.catalog._credit.tag_trust` of ``c``, at most what the
    course's hours allow (:func:`~skillpath.catalog._credit.credit_cap` of its hours over the
    square root of the gap skills it teaches), so a one-hour video does not "close 90 %" of a
    two-level gap. A course far above the learner (``L - current > stretch``) counts half: too
    advanced to follow. Unknown level: half the gap. The score is the weighted sum over the gap
    divided by the total weighted gap, in [0, 1].

    Args:
        course: any object with ``skills`` (skill_id, confidence, level).
        gap: skill id -> GapEntry or (current, required[, weight]).
        stretch: how many levels above the learner a course may start and still fully count.
    """
    entries = {k: _entry(v) for k, v in gap.items()}
    total = sum(e.weight * e.size for e in entries.values())
    if total <= 0:
        return GapFit(0.0, ())
    # (imported here: the catalogue package is heavy to import, and most commands never rank)
    from skillpath.catalog._credit import course_cap, tag_trust

    closed: dict[str, float] = {}
    # a course's hours are shared among the gap skills it teaches, as in the plan
    cap = course_cap(course, sum(1 for tag in course.skills or () if tag.skill_id in entries))
    for tag in course.skills or ():
        e = entries.get(tag.skill_id)
        if e is None or e.size <= 0:
            continue
        conf = min(1.0, max(0.0, float(tag.confidence)))
        if tag.level is None:
            frac = 0.5
        else:
            lvl = float(tag.level)
            frac = max(0.0, min(lvl, e.required) - e.current) / e.size
            if lvl - e.current > stretch:
                frac *= 0.5
        share = min(frac * e.size * tag_trust(conf), cap) / e.size
        closed[tag.skill_id] = max(closed.get(tag.skill_id, 0.0), share)
    per = tuple(
        sorted(
            ((s, v * entries[s].weight * entries[s].size / total, v) for s, v in closed.items()),
            key=lambda kv: -kv[1],
        )
    )
    return GapFit(min(1.0, sum(v for _, v, _ in per)), per)


def bayesian_rating(
    mean: float | None, count: int | None, *, prior_mean: float, prior_count: float = 50.0
) -> float | None:
    """Rating shrunk towards the catalogue mean: ``(C*m + n*r) / (C + n)``; None without a rating."""
    if mean is None:
        return None
    n = max(0, int(count or 0))
    return (prior_count * prior_mean + n * float(mean)) / (prior_count + n)


def completion_rates(
    events: Iterable[LearningEvent], *, prior_rate: float | None = None, prior_count: float = 20.0
) -> dict[str, float]:
    """Smoothed completion rate per course: (completed or passed) learners / learners who started.

    A Beta prior (``prior_rate`` or the overall rate, weight ``prior_count``) keeps courses with
    few learners near the average.
    """
    started: dict[str, set[str]] = defaultdict(set)
    done: dict[str, set[str]] = defaultdict(set)
    for ev in events:
        started[ev.course].add(ev.learner)
        if ev.event in ("completed", "passed"):
            done[ev.course].add(ev.learner)
    n_all = sum(len(v) for v in started.values())
    if n_all == 0:
        return {}
    p = prior_rate if prior_rate is not None else sum(len(v) for v in done.values()) / n_all
    return {
        c: (len(done[c]) + prior_count * p) / (len(s) + prior_count) for c, s in started.items()
    }


class SuccessConfig(BaseModel):
    """Settings of the success-path signal. ``min_group`` can be raised, never set below 10."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    min_group: int = Field(default=10, ge=10)
    lookback_years: float = Field(default=5.0, gt=0)
    smoothing: float = Field(default=1.0, ge=0)


@dataclass(frozen=True)
class SuccessPath:
    """A course's success-path statistics for one target role (only for groups >= min_group)."""

    course: str
    movers: int
    movers_took: int
    share_movers: float
    share_others: float
    lift: float


@dataclass(frozen=True)
class SuccessPaths:
    """Success paths into one target role: per course, and the sizes of the two groups."""

    target: str
    movers: int
    comparison: int
    by_course: Mapping[str, SuccessPath]

    def lift(self, course: str) -> float | None:
        """The lift of a course, or None if its group is too small or it is unknown."""
        p = self.by_course.get(course)
        return p.lift if p else None


def _to_date(t: dt.datetime | None) -> dt.date | None:
    return t.date() if t is not None else None


def success_paths(
    target: str,
    *,
    events: Iterable[LearningEvent],
    careers: Iterable[CareerEvent],
    config: SuccessConfig | None = None,
    same_as: Mapping[str, str] | None = None,
) -> SuccessPaths:
    """Lift of each course among learners who moved into ``target`` over comparable learners.

    Movers: learners with a career event into ``target`` and an earlier one in another role.
    A mover's courses count when taken before the move (within ``lookback_years``; courses
    without a time count). Comparable learners: learners who never held ``target`` and held one
    of the movers' origin roles; if fewer than ``min_group`` such learners exist, every learner
    who never held ``target`` (with learning events). A course is reported only when at least
    ``min_group`` movers took it, and only when both groups have ``min_group`` people:
    nothing about groups smaller than that leaves this function.

    Args:
        target: the occupation id or title (as in the career events; ``same_as`` maps aliases).
        events: learning events.
        careers: career events.
        config: group-size floor, look-back window, smoothing.
        same_as: optional occupation alias -> canonical id (e.g. titles resolved to codes).

    ``SuccessConfig`` refuses ``min_group`` below 10 (pydantic ValidationError).
    """
    cfg = config or SuccessConfig()
    alias = dict(same_as or {})

    def canon(o: str) -> str:
        return alias.get(o, o)

    tgt = canon(target)
    jobs: dict[str, list[CareerEvent]] = defaultdict(list)
    for job in careers:
        jobs[job.learner].append(job)
    took: dict[str, list[tuple[str, dt.date | None]]] = defaultdict(list)
    for ev in events:
        took[ev.learner].append((ev.course, _to_date(ev.time)))

    movers: dict[str, dt.date] = {}
    origins: set[str] = set()
    ever_target: set[str] = set()
    for learner, js in jobs.items():
        js = sorted(js, key=lambda c: c.start)
        for i, j in enumerate(js):
            if canon(j.occupation) == tgt:
                ever_target.add(learner)
                before = [canon(p.occupation) for p in js[:i] if canon(p.occupation) != tgt]
                if before and learner not in movers:
                    movers[learner] = j.start
                    origins.add(before[-1])
    others = [
        u
        for u, js in jobs.items()
        if u not in ever_target and u in took and any(canon(j.occupation) in origins for j in js)
    ]
    if len(others) < cfg.min_group:
        others = [u for u in took if u not in ever_target]
    n_m, n_o = len(movers), len(others)
    if n_m < cfg.min_group or n_o < cfg.min_group:
        return SuccessPaths(tgt, n_m, n_o, {})

    window = dt.timedelta(days=365.25 * cfg.lookback_years)
    mover_counts: dict[str, int] = defaultdict(int)
    for u, moved in movers.items():
        courses = {c for c, d in took.get(u, ()) if d is None or (moved - window <= d <= moved)}
        for c in courses:
            mover_counts[c] += 1
    other_counts: dict[str, int] = defaultdict(int)
    for u in others:
        for c in {c for c, _ in took[u]}:
            other_counts[c] += 1
    a = cfg.smoothing
    out = {}
    for c, k in mover_counts.items():
        if k < cfg.min_group:
            continue
        pm = k / n_m
        po = (other_counts.get(c, 0) + a) / (n_o + 2 * a)
        out[c] = SuccessPath(c, n_m, k, pm, other_counts.get(c, 0) / n_o, pm / po)
    return SuccessPaths(tgt, n_m, n_o, out)
