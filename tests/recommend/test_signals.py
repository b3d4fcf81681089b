"""Signals on constructed data with known answers: gap fit, success paths, quality."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from skillpath.recommend import (
    CareerEvent,
    CourseLike,
    GapEntry,
    LearningEvent,
    SuccessConfig,
    bayesian_rating,
    completion_rates,
    gap_fit,
    success_paths,
)


@dataclass(frozen=True)
class Tag:
    skill_id: str
    confidence: float
    level: float | None


@dataclass(frozen=True)
class C:
    id: str
    skills: tuple[Tag, ...] = ()
    hours: float | None = None
    price: float | None = 0.0
    rating: float | None = None


def test_course_protocol_is_structural() -> None:
    assert isinstance(C("x"), CourseLike)


def test_gap_fit_known_answers() -> None:
    gap = {"pm": GapEntry(2.0, 5.0, 1.0), "sql": (2.0, 4.0, 0.5)}  # weighted gap 3 + 1 = 4
    # 1,000 hours: the hours cap (decision 0167) does not bind; a sure tag is fully trusted
    full = C("full", (Tag("pm", 1.0, 5.0),), hours=1000)
    assert gap_fit(full, gap).score == pytest.approx(3 / 4)
    half = C("half", (Tag("pm", 1.0, 3.5),), hours=1000)  # closes (3.5-2)/(5-2) = 50% of pm
    assert gap_fit(half, gap).score == pytest.approx(0.5 * 3 / 4)
    below = C(
        "below", (Tag("pm", 1.0, 2.0),), hours=1000
    )  # at the learner's level: nothing to learn
    assert gap_fit(below, gap).score == 0.0
    too_hard = C("hard", (Tag("sql", 1.0, 6.0),), hours=1000)  # 4 levels above the learner: halved
    assert gap_fit(too_hard, gap).score == pytest.approx(0.5 * 1 / 4)
    unknown = C("unknown", (Tag("sql", 1.0, None),), hours=1000)  # level unknown: half the gap
    assert gap_fit(unknown, gap).score == pytest.approx(0.5 * 1 / 4)
    # a 0.5 tag earns what such tags are right, 0.24 of the credit (tag_trust)
    both = gap_fit(C("both", (Tag("pm", 0.5, 5.0), Tag("sql", 1.0, 4.0)), hours=1000), gap)
    assert both.score == pytest.approx(0.24 * 3 / 4 + 1 / 4)
    assert both.per_skill[0][0] == "sql"
    assert gap_fit(full, {}).score == 0.0
    # a 10-hour course adds at most 0.6 ln(1 + 10/3) = 0.88 of pm's 3 levels
    short = C("short", (Tag("pm", 1.0, 5.0),), hours=10)
    assert gap_fit(short, gap).score == pytest.approx(0.6 * math.log1p(10 / 3) / 3 * 3 / 4)


def careers_and_events(n_movers: int) -> tuple[list[LearningEvent], list[CareerEvent]]:
    """Movers analyst -> manager took course K (all) and X (half); 40 analysts who stayed took
    K one time in four and X half the time."""
    d = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    ev: list[LearningEvent] = []
    ca: list[CareerEvent] = []
    for i in range(n_movers):
        u = f"m{i}"
        ca += [
            CareerEvent(u, "analyst", dt.date(2015, 1, 1)),
            CareerEvent(u, "manager", dt.date(2021, 1, 1)),
        ]
        ev.append(LearningEvent(u, "K", d))
        if i % 2 == 0:
            ev.append(LearningEvent(u, "X", d))
        ev.append(
            LearningEvent(u, "LATE", dt.datetime(2022, 1, 1, tzinfo=dt.UTC))
        )  # after the move
    for i in range(40):
        u = f"s{i}"
        ca.append(CareerEvent(u, "analyst", dt.date(2015, 1, 1)))
        if i % 4 == 0:
            ev.append(LearningEvent(u, "K", d))
        if i % 2 == 0:
            ev.append(LearningEvent(u, "X", d))
        ev.append(LearningEvent(u, "LATE", d))
    return ev, ca


def test_success_paths_known_lift() -> None:
    ev, ca = careers_and_events(20)
    sp = success_paths("manager", events=ev, careers=ca, config=SuccessConfig(smoothing=0.0))
    assert sp.movers == 20 and sp.comparison == 40
    k = sp.by_course["K"]
    assert k.share_movers == 1.0 and k.share_others == 0.25 and k.lift == pytest.approx(4.0)
    assert sp.lift("X") == pytest.approx(1.0)
    assert "LATE" not in sp.by_course  # taken after the move: not on the path


def test_success_paths_min_group_enforced() -> None:
    ev, ca = careers_and_events(9)  # 9 movers: too few to say anything
    sp = success_paths("manager", events=ev, careers=ca)
    assert sp.by_course == {}
    ev, ca = careers_and_events(12)  # 12 movers, but only 6 took X: X is withheld
    sp = success_paths("manager", events=ev, careers=ca)
    assert "K" in sp.by_course and "X" not in sp.by_course
    with pytest.raises(ValidationError):
        SuccessConfig(min_group=5)


def test_quality() -> None:
    assert bayesian_rating(5.0, 0, prior_mean=4.0) == 4.0
    assert bayesian_rating(5.0, 50, prior_mean=4.0, prior_count=50) == 4.5
    assert bayesian_rating(None, 10, prior_mean=4.0) is None
    ev = [
        LearningEvent(f"u{i}", "A", event="completed" if i < 8 else "enrolled") for i in range(10)
    ]
    ev += [LearningEvent("u0", "B", event="enrolled")]
    rates = completion_rates(ev, prior_rate=0.5, prior_count=10)
    assert rates["A"] == pytest.approx((8 + 5) / 20)
    assert rates["B"] == pytest.approx(5 / 11)
