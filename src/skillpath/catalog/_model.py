"""Immutable value objects of the catalogue, as the rest of Skillpath sees it."""

from __future__ import annotations

from dataclasses import dataclass, field

#: A tag below MAIN_CONFIDENCE (right about 21 % of the time against provider labels,
#: bench/tagging.py) is what a course teaches only when it is among its MAIN_TAGS surest or its
#: title names it; otherwise it is named in passing (decision 0151)
MAIN_TAGS = 3
MAIN_CONFIDENCE = 0.6


def is_main_tag(rank: int, tag: object) -> bool:
    """Whether a course's tag at ``rank`` (0 = surest) names what the course teaches, not a skill
    named in passing ("...used across engineering and sciences", decision 0151)."""
    conf = float(getattr(tag, "confidence", 0.0))
    return (
        rank < MAIN_TAGS
        or conf >= MAIN_CONFIDENCE
        or str(getattr(tag, "why", "")).startswith("title")
    )


#: Bloom stages a course can reach, lowest first (see docs/decisions/0032-level-and-bloom.md).
BLOOM_STAGES: tuple[str, ...] = ("remember/understand", "apply", "analyse/evaluate", "create")


@dataclass(frozen=True, slots=True)
class Effort:
    """Expected learner hours parsed from free text.

    Attributes:
        hours: expected total hours.
        low: optimistic total hours (``low <= hours``).
        high: pessimistic total hours (``hours <= high``).
        pattern: the name of the pattern that matched (``per-week x weeks``, ``total hours``...).
        estimated: True when the hours are a documented default rather than read from the text.
    """

    hours: float
    low: float
    high: float
    pattern: str
    estimated: bool = False


@dataclass(frozen=True, slots=True)
class Price:
    """A normalised price: ``amount`` in ISO-4217 ``currency``; ``is_free`` for free access.

    ``certificate`` is the price of an optional paid certificate (edX's "verified" track).
    """

    amount: float
    currency: str
    is_free: bool
    certificate: float | None = None


@dataclass(frozen=True, slots=True)
class CourseSkill:
    """A skill a course teaches.

    Attributes:
        skill_id: taxonomy id (``onet:2.A.2.b``, ``onet-tech:python``, an ESCO concept URI).
        label: the skill's preferred label.
        confidence: in [0, 1], higher is surer.
        level: the O*NET 0-7 level the course brings a learner to for this skill.
        why: the text that matched and where (``title: "python"``).
    """

    skill_id: str
    label: str
    confidence: float
    level: float
    why: str = ""


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """Something a learner should have before a course.

    ``kind`` is ``skill`` (``ref`` a taxonomy id, ``level`` on the 0-7 scale) or ``course``
    (``ref`` a course id). ``source`` is ``explicit`` (read from the text) or ``implied``
    (derived from the level of what the course teaches).
    """

    kind: str
    ref: str
    level: float | None = None
    source: str = "explicit"
    label: str = ""
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Course:
    """One course of the tagged catalogue (what planners and recommenders consume).

    Attributes:
        id: stable ``provider:native_id`` (``udemy:1070968``, ``edx:how-to-learn-online``).
        level: target level on the O*NET 0-7 scale.
        bloom: highest Bloom stage reached, one of :data:`BLOOM_STAGES`.
        hours, hours_low, hours_high: expected learner hours and their range (None if unknown).
        hours_estimated: True when hours are a provider default, not read from the course.
        price, currency, is_free: normalised cost of access.
        rating: Bayesian average of 1-5 ratings (None without rating values);
        rating_lcb: its lower 95 % confidence bound; rating_count: number of ratings or reviews.
        popularity: enrolments or subscribers (rating count when neither is known).
        skills: ranked skills taught; prerequisites: skills/courses assumed.
        provider_skills: the provider's own skill labels, as it lists them (Coursera's
            "Skills"); free text, not taxonomy ids, empty when the provider gives none.
    """

    id: str
    title: str
    provider: str
    url: str = ""
    language: str = ""
    institution: str = ""
    subject: str = ""
    summary: str = ""
    level: float = 2.0
    level_label: str = ""
    bloom: str = BLOOM_STAGES[0]
    hours: float | None = None
    hours_low: float | None = None
    hours_high: float | None = None
    hours_estimated: bool = False
    price: float = 0.0
    currency: str = "USD"
    is_free: bool = True
    rating: float | None = None
    rating_lcb: float | None = None
    rating_count: int = 0
    last_rated: str | None = None
    popularity: int | None = None
    skills: tuple[CourseSkill, ...] = ()
    prerequisites: tuple[Prerequisite, ...] = ()
    duplicate_of: str | None = None
    provider_skills: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def skill_ids(self) -> tuple[str, ...]:
        """The ids of the skills taught, best first."""
        return tuple(s.skill_id for s in self.skills)


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row an import refused, with the reason (kept in the import report)."""

    file: str
    row: int
    reason: str
    column: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: counts, rejected rows with reasons, duplicates found, warnings."""

    file: str
    preset: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected: tuple[RejectedRow, ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()
    ratings: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def accepted(self) -> int:
        """Rows stored (inserted, updated or unchanged)."""
        return self.inserted + self.updated + self.unchanged
