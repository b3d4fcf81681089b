"""How much a course can teach: the credit model the plan and the recommender share (decisions
0063, 0145, 0167). A course lifts a skill by at most what its hours allow
(:func:`credit_cap`), and a tag earns the share of that credit that tags of its confidence are
right (:func:`tag_trust`)."""

from __future__ import annotations

import itertools
import math
from typing import Any

DEFAULT_HOURS = 10.0  # a course whose length is unknown
CREDIT_RATE = 0.6  # levels per e-fold of study time (credit_cap)
CREDIT_HOURS = 3.0  # (credit_cap)


def credit_cap(hours: float) -> float:
    """The most levels one course can add to one skill, from the hours spent on it (decision 0063).

    ``0.6 ln(1 + h / 3)``: 1 h -> 0.17, 5 h -> 0.59, 10 h -> 0.88, 20 h -> 1.23, 40 h -> 1.6,
    100 h -> 2.1. A one-hour video cannot close two levels; a semester-long course can.
    """
    return CREDIT_RATE * math.log1p(max(hours, 0.0) / CREDIT_HOURS)


def course_cap(course: Any, n_skills: int) -> float:
    """The most levels ``course`` can add to each of the ``n_skills`` gap skills it teaches: its
    hours (:func:`study_hours`) are shared among them, ``credit_cap(hours / sqrt(n))``."""
    return credit_cap(study_hours(course)[0] / math.sqrt(max(1, n_skills)))


def study_hours(c: Any) -> tuple[float, bool]:
    """The hours a course takes and whether they are estimated; estimated hours count at their
    lower bound for credit (the plan schedules the expected hours)."""
    hours = getattr(c, "hours", None)
    if hours is None:
        return DEFAULT_HOURS, True
    if getattr(c, "hours_estimated", False):
        low = getattr(c, "hours_low", None)
        return float(low if low is not None else hours), True
    return float(hours), False


# How often a course tag of a given confidence is right, against provider skill labels held out
# (bench/tagging.py, Coursera 2021, docs/benchmarks.md "Advice"): 0.4-0.6 -> 21 %, 0.6-0.8 -> 39 %,
# 0.8-0.95 -> 58 %, >= 0.95 -> 87 %; at the bins' middles, relative to the surest bin.
_TRUST_AT = ((0.5, 0.24), (0.7, 0.45), (0.875, 0.67), (0.975, 1.0))


def tag_trust(confidence: float) -> float:
    """The share of a course's credit a skill tag of this confidence earns: its measured
    precision relative to the surest tags, interpolated (decision 0145; before, confidence / 0.6,
    which trusted a 0.7 tag fully though such tags are right only 39 % of the time)."""
    pts = _TRUST_AT
    if confidence <= pts[0][0]:
        return pts[0][1] * max(0.0, confidence) / pts[0][0]
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        if confidence <= x1:
            return y0 + (y1 - y0) * (confidence - x0) / (x1 - x0)
    return 1.0
