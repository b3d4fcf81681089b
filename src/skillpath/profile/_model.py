"""Immutable value objects of the profile domain: what a CV says, and what we infer from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Literal

PositionKind = Literal["job", "volunteer", "informal", "education-project"]
POSITION_KINDS: tuple[str, ...] = ("job", "volunteer", "informal", "education-project")


def years_between(start: date, end: date) -> float:
    """Whole-month distance between two dates in years (a month counted when it is started)."""
    months = (end.year - start.year) * 12 + (end.month - start.month) + 1
    return max(0.0, months / 12.0)


@dataclass(frozen=True, slots=True)
class Position:
    """A role the person held: a job, volunteering, informal work or an education project.

    Attributes:
        title: the title as written ("Senior Software Engineer").
        organisation: employer, charity or client, if given.
        start: first month (day 1), if known.
        end: last month (day 1); ``None`` when ongoing (see ``current``) or unknown.
        current: the role is ongoing ("present", "now", no end date on a dated role).
        description: free text (summary and highlights, one per line).
        kind: ``job``, ``volunteer``, ``informal`` or ``education-project``.
        location: where, if given.
    """

    title: str
    organisation: str = ""
    start: date | None = None
    end: date | None = None
    current: bool = False
    description: str = ""
    kind: str = "job"
    location: str = ""

    def years(self, today: date) -> float:
        """Time spent in the role in years; 0 when the start is unknown."""
        if self.start is None:
            return 0.0
        end = self.end if self.end is not None else today
        if end < self.start:
            return 0.0
        return years_between(self.start, end)


@dataclass(frozen=True, slots=True)
class StatedSkill:
    """A skill the person lists, with the level words and years they give, if any."""

    name: str
    level: str | None = None
    years: float | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Endorsement:
    """How many people endorsed one of the person's skills (LinkedIn)."""

    skill: str
    count: int


@dataclass(frozen=True, slots=True)
class Education:
    """A degree, diploma or school period."""

    institution: str
    degree: str = ""
    field: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate or licence."""

    name: str
    issuer: str = ""
    date: date | None = None


@dataclass(frozen=True, slots=True)
class Course:
    """A course the person took (outside or within a degree)."""

    name: str
    provider: str = ""


@dataclass(frozen=True, slots=True)
class Profile:
    """What one CV says, in the same shape whatever the format it was read from.

    Attributes:
        source: the file or folder read.
        format: ``jsonresume``, ``linkedin``, ``pdf``, ``docx`` or ``text``.
        name: the person's name, if found.
        headline: a one-line label ("Nurse Team Lead"), if given.
        summary: the free-text summary, if given.
        positions: roles, most recent first when dates allow.
        skills: stated skills.
        endorsements: endorsement counts per skill name.
        education, certificates, courses: as listed.
        warnings: what the reader skipped or could not parse, for the user to check.
    """

    source: str
    format: str
    name: str | None = None
    headline: str = ""
    summary: str = ""
    positions: tuple[Position, ...] = ()
    skills: tuple[StatedSkill, ...] = ()
    endorsements: tuple[Endorsement, ...] = ()
    education: tuple[Education, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    courses: tuple[Course, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def endorsement_counts(self) -> Mapping[str, int]:
        """Endorsement counts keyed by skill name (read-only)."""
        return MappingProxyType({e.skill: e.count for e in self.endorsements})


@dataclass(frozen=True, slots=True)
class OccupationMatch:
    """An occupation the person holds or held, ranked.

    Attributes:
        occupation_id: taxonomy id (``onet:15-1252.00`` or an ESCO URI).
        label: the occupation's preferred title.
        taxonomy: ``onet`` or ``esco``.
        score: title-match confidence in [0, 1] (the best of the person's titles).
        years: time spent in roles matched to it (weighted by role kind is not applied here).
        current: at least one matched role is ongoing.
        titles: the person's titles that matched it.
        evidence: human-readable reasons.
    """

    occupation_id: str
    label: str
    taxonomy: str
    score: float
    years: float = 0.0
    current: bool = False
    titles: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SkillEstimate:
    """The estimated level of one taxonomy skill, how sure we are, and why.

    Attributes:
        skill_id: taxonomy skill id (``onet:2.B.3.e``, ``onet-tech:python``, ESCO URI).
        label: the skill's label.
        level: posterior mean on the O*NET level scale 0-7.
        sd: posterior standard deviation (> 0); smaller means surer.
        evidence: one sentence per piece of evidence, strongest first.
        kind: the taxonomy skill kind (``skill``, ``technology``, ``esco-skill``...).
    """

    skill_id: str
    label: str
    level: float
    sd: float
    evidence: tuple[str, ...] = ()
    kind: str = ""


@dataclass(frozen=True, slots=True)
class SkillState:
    """Where a learner stands: occupations and skill levels with uncertainty and evidence.

    ``estimates`` are sorted by level (highest first); ``levels`` and ``sds`` key them by skill
    id for the plan module.
    """

    estimates: tuple[SkillEstimate, ...] = ()
    occupations: tuple[OccupationMatch, ...] = ()
    warnings: tuple[str, ...] = ()
    _by_id: Mapping[str, SkillEstimate] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_by_id", MappingProxyType({e.skill_id: e for e in self.estimates})
        )

    @property
    def levels(self) -> Mapping[str, float]:
        """Estimated level (0-7) by taxonomy skill id."""
        return MappingProxyType({k: e.level for k, e in self._by_id.items()})

    @property
    def sds(self) -> Mapping[str, float]:
        """Standard deviation of each level estimate by taxonomy skill id."""
        return MappingProxyType({k: e.sd for k, e in self._by_id.items()})

    def get(self, skill_id: str) -> SkillEstimate | None:
        """The estimate for one skill id, or ``None``."""
        return self._by_id.get(skill_id)

    @property
    def current_occupation(self) -> OccupationMatch | None:
        """The best-ranked occupation (current roles rank first), if any."""
        return self.occupations[0] if self.occupations else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``--json`` schema in ``docs/profile.md``)."""
        return {
            "occupations": [
                {
                    "id": o.occupation_id,
                    "label": o.label,
                    "taxonomy": o.taxonomy,
                    "score": round(o.score, 4),
                    "years": round(o.years, 2),
                    "current": o.current,
                    "titles": list(o.titles),
                    "evidence": list(o.evidence),
                }
                for o in self.occupations
            ],
            "skills": [
                {
                    "id": e.skill_id,
                    "label": e.label,
                    "kind": e.kind,
                    "level": round(e.level, 3),
                    "sd": round(e.sd, 3),
                    "evidence": list(e.evidence),
                }
                for e in self.estimates
            ],
            "warnings": list(self.warnings),
        }
