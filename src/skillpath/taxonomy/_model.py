"""Immutable value objects of the taxonomy, as the rest of Skillpath sees it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Occupation:
    """An O*NET or ESCO occupation.

    Attributes:
        id: ``onet:15-1252.00`` or the ESCO concept URI.
        taxonomy: ``onet`` or ``esco``.
        code: O*NET-SOC code, or the ESCO URI.
        label: preferred title.
        status: ``current``, or ``legacy`` for codes only in an older O*NET-SOC release.
    """

    id: str
    taxonomy: str
    code: str
    label: str
    description: str = ""
    status: str = "current"
    group_code: str | None = None


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill-like concept.

    ``kind`` is one of ``skill``, ``knowledge``, ``ability`` (O*NET descriptors rated on the
    Level 0-7 and Importance 1-5 scales), ``technology`` (O*NET technology examples such as
    "Python"), ``technology-class`` (their commodity classes), ``esco-skill``, ``esco-knowledge``,
    ``esco-group`` (ESCO hierarchy nodes).
    """

    id: str
    taxonomy: str
    kind: str
    label: str
    description: str = ""
    alt_labels: tuple[str, ...] = ()
    parent_id: str | None = None
    hot: bool = False


@dataclass(frozen=True, slots=True)
class Requirement:
    """Occupation -> skill, with O*NET level (0-7) and importance (1-5), or an ESCO relation.

    ``relation`` is ``rated`` (O*NET skills/knowledge/abilities), ``technology`` (O*NET technology
    skills; ``hot`` marks Hot Technologies, ``in_demand`` those in demand in job postings),
    ``tool`` (O*NET Tools Used), ``essential`` or ``optional`` (ESCO).
    """

    occupation_id: str
    skill_id: str
    relation: str
    importance: float | None = None
    level: float | None = None
    hot: bool = False
    not_relevant: bool = False
    in_demand: bool = False


@dataclass(frozen=True, slots=True)
class Task:
    """A task statement of an O*NET occupation (``Core`` or ``Supplemental``)."""

    id: str
    occupation_id: str
    text: str
    task_type: str | None = None
    emerging: bool = False


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """A ranked answer of title resolution.

    Attributes:
        occupation: the occupation.
        score: higher is better, in [0, 1].
        matched: the title or label that matched.
        how: ``code``, ``exact``, ``title`` (an alternate/reported title), ``fuzzy``.
    """

    occupation: Occupation
    score: float
    matched: str
    how: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a value on a scale means for one content model element."""

    element_id: str
    scale_id: str
    value: float
    description: str


@dataclass(frozen=True, slots=True)
class JobZone:
    """An O*NET Job Zone (1-5): how much preparation an occupation needs (Job Zone Reference)."""

    zone: int
    name: str = ""
    experience: str = ""
    education: str = ""
    training: str = ""
    examples: str = ""
    svp: str = ""


@dataclass(frozen=True, slots=True)
class Preparation:
    """What an occupation asks before you start (O*NET Job Zones; Education, Training, and Experience).

    Attributes:
        job_zone: 1 (little preparation) to 5 (extensive), or None when not loaded.
        education: ``(category, share %, description)`` of the Required Level of Education (RL,
            categories 1-12: 6 = Bachelor's, 8 = Master's, 10 = First Professional, 11 = Doctoral).
        experience: the same for Related Work Experience (RW).
        training: the same for On-the-Job Training (OJ).
    """

    job_zone: int | None = None
    education: tuple[tuple[int, float, str], ...] = ()
    experience: tuple[tuple[int, float, str], ...] = ()
    training: tuple[tuple[int, float, str], ...] = ()

    def typical(self, scale: str) -> tuple[int, float, str] | None:
        """The category most workers report on a scale (``education``, ``experience``, ``training``)."""
        dist = getattr(self, scale)
        return max(dist, key=lambda c: (c[1], -c[0])) if dist else None

    def median(self, scale: str) -> tuple[int, str] | None:
        """The category that half the workers reach or exceed (the middle of the distribution)."""
        dist = sorted(getattr(self, scale))
        total = sum(v for _c, v, _d in dist)
        run = 0.0
        for c, v, d in dist:
            run += v
            if total and run >= total / 2:
                return c, d
        return None

    def share_at_least(self, scale: str, category: int) -> float:
        """Share (0-1) of workers reporting ``category`` or higher on a scale."""
        return sum(v for c, v, _d in getattr(self, scale) if c >= category) / 100.0


@dataclass
class ImportReport:
    """What an import loaded, skipped and found orphaned, per source."""

    sources: dict[str, dict[str, int]] = field(
        default_factory=dict
    )  # "source release" -> {"files": n}
    loaded: dict[str, int] = field(default_factory=dict)  # rows written, by kind of record
    releases: dict[str, list[str]] = field(default_factory=dict)
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, detected kind)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    orphans: dict[str, int] = field(default_factory=dict)  # "source/kind" -> count
    warnings: list[str] = field(default_factory=list)


#: O*NET skills every job uses, built by practice, feedback and mentoring rather than by a course
#: (Basic Skills other than Mathematics and Science, Social Skills, Complex Problem Solving,
#: Systems Skills, Time Management). Technical skills, Mathematics, Science and the management of
#: money, material and people are domain skills.
GENERIC_SKILL_PREFIXES = (
    "2.A.1.a",
    "2.A.1.b",
    "2.A.1.c",
    "2.A.1.d",
    "2.A.2.",
    "2.B.1.",
    "2.B.2.",
    "2.B.4.",
    "2.B.5.a",
)


def is_generic_skill(skill_id: str) -> bool:
    """A basic or transversal O*NET skill (Active Listening, Coordination, Time Management...)."""
    return skill_id.startswith("onet:2.") and skill_id.removeprefix("onet:").startswith(
        GENERIC_SKILL_PREFIXES
    )
