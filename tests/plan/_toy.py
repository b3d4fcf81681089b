"""A tiny in-memory taxonomy and catalogue for plan tests (no database, no files)."""

from __future__ import annotations

from skillpath.catalog import Course, CourseSkill, Prerequisite
from skillpath.taxonomy import Occupation, Requirement, Skill, Task, Taxonomy

# domain skills (taught by courses) first; the last two are generic (closed by practice, decision 0062)
SKILLS = [
    "onet:2.C.1.a",
    "onet:2.C.1.b",
    "onet:2.B.5.d",
    "onet:2.B.5.b",
    "onet:2.B.1.b",
    "onet:2.A.1.d",
]
NAMES = [
    "Administration and Management",
    "Administrative",
    "Management of Personnel Resources",
    "Management of Financial Resources",
    "Coordination",
    "Speaking",
]


def toy_taxonomy(required: dict[str, tuple[float, float]] | None = None) -> Taxonomy:
    """One target occupation ('onet:11-1021.00') requiring the given skills at (importance, level)."""
    required = required or {s: (4.0, 4.5) for s in SKILLS[:4]}
    target = Occupation("onet:11-1021.00", "onet", "11-1021.00", "General and Operations Managers")
    source = Occupation("onet:15-1252.00", "onet", "15-1252.00", "Software Developers")
    skills = {  # the first two are O*NET Knowledge areas (2.C.*), the rest Skills (2.A/2.B)
        s: Skill(s, "onet", "knowledge" if ".C." in s else "skill", n, description=f"{n} at work")
        for s, n in zip(SKILLS, NAMES, strict=True)
    }
    reqs = {
        target.id: [
            Requirement(target.id, s, "rated", importance=im, level=lv)
            for s, (im, lv) in required.items()
        ],
        source.id: [Requirement(source.id, s, "rated", importance=3.0, level=2.0) for s in SKILLS],
    }
    tasks = {
        target.id: [
            Task(f"t{i}", target.id, text, "Core")
            for i, text in enumerate(
                [
                    "Direct and coordinate activities of staff and teams.",
                    "Prepare and manage budgets and financial plans.",
                    "Read and review reports to make decisions.",
                    "Speak at meetings and present plans to management.",
                ]
            )
        ]
    }
    return Taxonomy(
        occupations={target.id: target, source.id: source}, skills=skills, _reqs=reqs, _tasks=tasks
    )


def course(
    cid: str,
    hours: float,
    skills: dict[str, tuple[float, float]],
    *,
    price: float = 0.0,
    requires: tuple[str, ...] = (),
    rating: float | None = 4.5,
) -> Course:
    """A course teaching skills {id: (level, confidence)}."""
    return Course(
        id=cid,
        title=f"Course {cid}",
        provider="toy",
        hours=hours,
        price=price,
        is_free=price == 0,
        rating=rating,
        rating_count=100,
        skills=tuple(CourseSkill(s, s, conf, lvl) for s, (lvl, conf) in skills.items()),
        prerequisites=tuple(Prerequisite("course", r) for r in requires),
    )
