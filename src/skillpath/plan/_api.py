"""The plan pipeline wired once, in one readable place: learner -> gap -> candidates -> optimise -> schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from skillpath.errors import InputError
from skillpath.plan._build import build_plan
from skillpath.plan._gap import analyse_gap, occupation_levels
from skillpath.plan._model import Plan, PlanRequest
from skillpath.plan._relevance import (
    activity_tags,
    relevance_reasons,
    relevant_courses,
    target_relevance,
)
from skillpath.taxonomy import Occupation, Taxonomy


@dataclass(frozen=True)
class Learner:
    """Where a learner stands: a label, levels and uncertainty by skill id, current occupation."""

    label: str
    levels: dict[str, float]
    sds: dict[str, float]
    current: Occupation | None
    evidence: dict[str, tuple[str, ...]]
    languages: tuple[
        str, ...
    ] = ()  # what the learner reads (the CV's language, its languages section)


def learner_from_role(tax: Taxonomy, role: str) -> Learner:
    """A learner described by the occupation they hold (its O*NET levels)."""
    occ = tax.get_occupation(role)
    levels, sds = occupation_levels(tax, occ)
    return Learner(
        label=f"a {occ.label.rstrip('s')}" if occ.label.endswith("s") else occ.label,
        levels=levels,
        sds=sds,
        current=occ,
        evidence={},
    )


def learner_from_cv(tax: Taxonomy, cv: Path, *, today: dt.date | None = None) -> Learner:
    """A learner read from a CV (JSON Resume, LinkedIn export, PDF, DOCX, text)."""
    from skillpath.profile import infer_profile, read_cv

    profile = read_cv(cv)
    state = infer_profile(profile, tax, today=today)
    cur = state.current_occupation
    occ = tax.occupations.get(cur.occupation_id) if cur else None
    return Learner(
        label=profile.name or cv.stem,
        levels=dict(state.levels),
        sds=dict(state.sds),
        current=occ,
        evidence={e.skill_id: e.evidence for e in state.estimates},
        languages=_languages(profile),
    )


def _languages(profile: Any) -> tuple[str, ...]:
    """The languages a CV shows its author reads: the CV's own language (``Profile.language``, when
    the reader detects it) and the languages it lists, as ISO 639-1 codes."""
    from skillpath.catalog._language import language_code

    names = [str(getattr(profile, "language", "") or "")]
    for x in getattr(profile, "languages", None) or ():
        names.append(str(getattr(x, "language", None) or getattr(x, "name", None) or x))
    return tuple(dict.fromkeys(c for c in (language_code(n) for n in names) if c))


def make_plan(
    tax: Taxonomy,
    courses: Sequence[Any],
    learner: Learner,
    target: str,
    request: PlanRequest,
    *,
    today: dt.date | None = None,
) -> Plan:
    """Build the optimal plan for ``learner`` towards ``target`` (a title, a code, or ``current``).

    Raises:
        InputError: an unknown role, ``current`` without a known current occupation, bad constraints,
            or an empty catalogue.
    """
    tax.require_data()
    if target.strip().lower() == "current":
        if learner.current is None:
            raise InputError(
                "--target current needs a current role, and none was recognised in the CV; "
                "name the target role instead",
                value=target,
            )
        occ = learner.current
    else:
        occ = tax.get_occupation(target)
    gap = analyse_gap(tax, occ, learner.levels, learner.sds, current=learner.current)
    if not request.languages and learner.languages:
        # plan only in the learner's languages (from the CV); --language overrides
        request = replace(request, languages=learner.languages)
    relevance = target_relevance(tax, occ, courses)  # once: the pool, credit and scores share it
    pool = relevant_courses(tax, occ, courses, gap, relevance=relevance)
    # courses that teach the gap's work activities carry those as tags for this plan (0158)
    extra = activity_tags(tax, occ, gap.skills[: request.focus], courses, relevance)
    if extra:
        courses = [
            replace(c, skills=c.skills + extra[c.id]) if c.id in extra else c for c in courses
        ]
    # the plan considers the whole catalogue (its credit is gated by relevance, and a course about
    # exactly a gap skill counts with less, decision 0142); the recommender's scores, the pool
    plan = build_plan(
        tax,
        courses,
        gap,
        request,
        target=occ,
        levels=learner.levels,
        learner=learner.label,
        today=today,
        scores=recommendation_scores(pool or courses, gap, tax, relevance=relevance),
        relevance=relevance,
        explain=lambda ids: relevance_reasons(tax, occ, courses, ids),
        catalogue=courses,
    )
    return plan


def recommendation_scores(
    courses: Sequence[Any],
    gap: Any,
    tax: Taxonomy,
    n: int = 300,
    relevance: dict[str, float] | None = None,
) -> dict[str, float]:
    """The recommender's scores (gap fit x quality signals) for the courses that fit this gap best,
    scaled to [0, 1]: the planner prefers what the recommender would recommend (decision 0064)."""
    from skillpath.recommend import GapEntry, recommend_courses

    entries = {
        g.skill_id: GapEntry(g.current, g.required, round(g.weight * g.probability, 4))
        for g in gap.skills
    }
    if not entries or not courses:
        return {}
    recs = recommend_courses(
        courses,
        gap=entries,
        n=min(n, len(courses)),
        diversity=0.0,
        skill_labels={s: getattr(tax.skills.get(s), "label", s) for s in entries},
        relevance=relevance,
    )
    top = max((r.score for r in recs), default=0.0)
    return {r.course: round(r.score / top, 4) for r in recs} if top > 0 else {}
