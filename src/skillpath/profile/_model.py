"""Immutable value objects of the profile domain: what a CV says, and what we infer from it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def union_years(
    spans: Iterable[tuple[date, date | None] | tuple[date, date | None, float]], today: date
) -> float:
    """Years covered by the union of date spans, optionally weighted: overlaps count once.

    Each span is ``(start, end)`` or ``(start, end, weight)``; ``end=None`` runs to ``today``.
    A month covered by several spans counts once, with the largest weight among them, so two
    jobs held at the same time add up to the calendar time, not to its double (a 12-year career
    with overlapping roles is 12 years, not 22.7).
    """
    best: dict[int, float] = {}
    for span in spans:
        start, end = span[0], span[1]
        weight = float(span[2]) if len(span) > 2 else 1.0
        stop = end if end is not None else today
        if stop < start:
            continue
        a = start.year * 12 + start.month - 1
        b = stop.year * 12 + stop.month - 1
        for month in range(a, b + 1):
            if weight > best.get(month, 0.0):
                best[month] = weight
    return sum(best.values()) / 12.0


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
        founder: the title says the person founded or owns the business ("Founder", "Owner",
            "Co-founder & CEO", "Inhaber", "Fondateur"...): such a title names no trade, so the
            occupation should be read from what the description says they did.
        project: the project's name when the position is a project (LinkedIn ``Projects.csv``,
            a "Projects" section). A project's name is never its ``title``: "All Social" names
            an app, not a job (``title`` is then the role in it, or empty).
    """

    title: str
    organisation: str = ""
    start: date | None = None
    end: date | None = None
    current: bool = False
    description: str = ""
    kind: str = "job"
    location: str = ""
    founder: bool = False
    project: str = ""

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
        language: the CV's language as an ISO 639-1 code ("en", "de", "fr"...), or ``None`` when
            the text is too short to tell.
        text: the whole text the reader saw (after repairing its encoding), so that inference
            can still use a CV whose structure could not be read.
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
    language: str | None = None
    text: str = ""

    def experience_years(self, today: date, *, kinds: tuple[str, ...] = ("job",)) -> float:
        """Years of experience: the union of the dated positions of ``kinds`` (overlaps once)."""
        return union_years(
            ((p.start, p.end) for p in self.positions if p.start is not None and p.kind in kinds),
            today,
        )

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
