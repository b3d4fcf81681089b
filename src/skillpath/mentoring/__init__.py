"""Mentoring: the mastery model that reviewed evidence updates (see docs/decisions/0110).

Reviews by mentors, peers and tests are observations of a learner's level in a skill, corrected
for the reviewer's severity and weighted by their consistency; the posterior replaces the CV
estimate for that skill, and a checkpoint passes when the posterior clears the required level.
"""

from skillpath.mentoring._mastery import (
    MIN_PRIOR_SD,
    PASS_CONFIDENCE,
    RUBRIC_LEVELS,
    SOURCE_SD,
    Belief,
    Observation,
    ReviewerStats,
    SeverityIndex,
    level_from_rubric,
    reviewer_stats,
    update_belief,
)

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
