"""``build_plan``: gap -> candidates -> optimiser -> items with reasons -> schedule."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from skillpath.catalog._credit import (
    DEFAULT_HOURS,
    course_cap,
    study_hours,
    tag_trust,
)
from skillpath.catalog._model import is_main_tag
from skillpath.errors import InputError
from skillpath.plan._model import Coverage, GapSkill, LearnerGap, Plan, PlanItem, PlanRequest
from skillpath.plan._optimise import MIN_CONFIDENCE, Candidate, Solution, level_providers, solve
from skillpath.plan._schedule import schedule
from skillpath.plan._tasks import build_tasks
from skillpath.taxonomy import Occupation, Taxonomy

MIN_GAIN = 0.05


def gain_sd(gain: float) -> float:
    """Uncertainty of a course's expected gain: about a third of it, at least 0.3 levels (tags and
    levels are estimated from catalogue text; the feedback checkpoint confirms)."""
    return round(max(0.3, gain / 3), 1)


def check_request(req: PlanRequest) -> None:
    """Reject impossible or contradictory constraints with a clear message."""
    if not req.hours_per_week > 0:
        raise InputError(
            "hours per week must be more than 0",
            column="--hours-per-week",
            value=req.hours_per_week,
        )
    if req.hours_per_week > 80:
        raise InputError(
            "more than 80 hours per week of study is not a plan anyone can keep",
            column="--hours-per-week",
            value=req.hours_per_week,
        )
    if req.weeks is not None and req.weeks < 1:
        raise InputError("weeks must be at least 1", column="--weeks", value=req.weeks)
    if req.budget is not None and req.budget < 0:
        raise InputError("the budget cannot be negative", column="--budget", value=req.budget)
    if req.max_item_hours is not None and req.max_item_hours <= 0:
        raise InputError(
            "max hours per item must be more than 0",
            column="--max-item-hours",
            value=req.max_item_hours,
        )
    if req.focus < 1:
        raise InputError("focus must be at least 1 skill", column="--focus", value=req.focus)
    if req.objective not in ("hours", "cost", "mix", "value"):
        raise InputError(
            "objective must be value, hours, cost or mix", column="--objective", value=req.objective
        )
    if req.free_only and req.objective == "cost":
        raise InputError(
            "--free-only with --objective cost is contradictory: every course would cost 0; "
            "use --objective hours",
            column="--objective",
            value=req.objective,
        )


def _course_ok(c: Any, req: PlanRequest) -> bool:
    if req.free_only and not c.is_free:
        return False
    if req.providers and c.provider.lower() not in {p.lower() for p in req.providers}:
        return False
    if req.languages:
        from skillpath.catalog._language import reads_language

        if not reads_language(c.language, req.languages):
            return False
    hours = c.hours if c.hours is not None else DEFAULT_HOURS
    return not (req.max_item_hours is not None and hours > req.max_item_hours)


def about_exactly(course: Any, tag: Any) -> bool:
    """A course is about exactly a skill: the title names it and the tag is sure (decision 0063)."""
    return tag.confidence >= 0.8 and str(tag.why).startswith("title")


def names_gap_skill(course: Any, tag: Any, g: GapSkill) -> bool:
    """The course is about exactly this gap technology, tool or skill (its title names it and
    the tag is sure); Knowledge areas are too broad to be named so (decision 0142)."""
    return about_exactly(course, tag) and (
        g.relation in ("technology", "tool") or g.kind == "skill"
    )


def candidates(
    courses: Sequence[Any],
    gap: Sequence[GapSkill],
    req: PlanRequest,
    levels: dict[str, float],
    scores: dict[str, float] | None = None,
    relevance: dict[str, float] | None = None,
) -> list[Candidate]:
    """Courses that move at least one gap skill, with their gains and prerequisites.

    With ``relevance`` (course id -> the probability that the course is about the target's work,
    :func:`skillpath.plan._relevance.target_relevance`), a course below
    :data:`~skillpath.plan._relevance.ABOUT` is no candidate unless it is about exactly a gap
    skill (its title names it) and at least :data:`~skillpath.plan._relevance.NAMED_ABOUT`
    relevant, and a course's credit is scaled by :func:`about_share` (decisions 0141,
    0142): a tag alone is not enough.
    """
    from skillpath.plan._relevance import NAMED_ABOUT, about_share

    def rel_of(cid: str) -> float:
        return (relevance or {}).get(cid, 0.0)

    by_id = {g.skill_id: g for g in gap}
    out: dict[str, Candidate] = {}
    ok_courses, teaching = _catalogue_view(courses, req)
    # only a course tagged with a gap skill can gain anything (the rest would be skipped below
    # after the same work per course: ``paths`` plans ~40 targets on one catalogue)
    teach = set().union(*(teaching.get(s, ()) for s in by_id))
    for c in ok_courses.values():
        if c.id not in teach:
            continue
        about = 1.0 if not relevance else about_share(relevance.get(c.id, 0.0))
        gains: dict[str, tuple[float, float]] = {}
        # a course's hours are shared among the gap skills it teaches
        cap = course_cap(c, sum(1 for cs in c.skills if cs.skill_id in by_id))
        for rank, cs in enumerate(c.skills):
            g = by_id.get(cs.skill_id)
            if g is None or cs.confidence < MIN_CONFIDENCE:
                continue
            if not is_main_tag(rank, cs):
                continue  # named in passing, not what the course is about
            if g.route == "practice" and g.relation != "activity" and not about_exactly(c, cs):
                continue  # generic skills: a course counts only when it is about exactly that skill
            # a course about exactly this technology, tool or skill (title names it, sure tag)
            # counts with less relevance (a finance course for a manager's Management of
            # Financial Resources); a broad Knowledge area ("Economics and Accounting",
            # "English Language") is not named by a course that merely shares its words
            named = names_gap_skill(c, cs, g)
            if about <= 0.0 and not (named and (not relevance or rel_of(c.id) >= NAMED_ABOUT)):
                continue  # not about the target's work: a shared tag is not enough
            reached = min(cs.level, g.required)
            trust = tag_trust(cs.confidence)  # a tag counts as often as such tags are right
            # and a course only partly about the target's work delivers that part of its credit
            gain = round(min((reached - g.current) * trust, cap) * (1.0 if named else about), 4)
            if gain >= MIN_GAIN and gain > gains.get(cs.skill_id, (0.0, 0.0))[0]:
                gains[cs.skill_id] = (gain, round(g.current + gain, 4))
        if not gains:
            continue
        out[c.id] = _candidate(c, gains, ok_courses, by_id, levels, scores)
    # prerequisite courses that teach nothing in the gap still have to be in the model
    todo = list(out.values())
    while todo:
        cand = todo.pop()
        for d in cand.requires_courses:
            if d not in out and d in ok_courses:
                out[d] = _candidate(ok_courses[d], {}, ok_courses, by_id, levels, scores)
                todo.append(out[d])
    return _break_cycles(sorted(out.values(), key=lambda c: c.id))


_VIEWS: dict[tuple[int, int, PlanRequest], tuple[Any, dict[str, Any], dict[str, set[str]]]] = {}


def _catalogue_view(
    courses: Sequence[Any], req: PlanRequest
) -> tuple[dict[str, Any], dict[str, set[str]]]:
    """The courses ``req`` allows by id, and the ids of the courses tagged with each skill; kept
    for the last few catalogue objects and requests (the list is held, so its id stays its own;
    a catalogue is not changed in place)."""
    key = (id(courses), len(courses), req)
    got = _VIEWS.get(key)
    if got is not None and got[0] is courses:
        return got[1], got[2]
    ok = {c.id: c for c in courses if _course_ok(c, req)}
    teaching: dict[str, set[str]] = {}
    for c in ok.values():
        for cs in c.skills:
            teaching.setdefault(cs.skill_id, set()).add(c.id)
    _VIEWS[key] = (courses, ok, teaching)
    while len(_VIEWS) > 4:
        _VIEWS.pop(next(iter(_VIEWS)))
    return ok, teaching


def _break_cycles(cands: list[Candidate]) -> list[Candidate]:
    """Drop course -> course prerequisite edges that close a cycle (catalogue text can say both
    "A requires B" and "B requires A"); depth-first, in id order, so the result is deterministic."""
    by_id = {c.id: c for c in cands}
    state: dict[str, int] = {}  # 1 visiting, 2 done
    dropped: dict[str, set[str]] = {}

    def visit(cid: str) -> None:
        state[cid] = 1
        for d in by_id[cid].requires_courses:
            if d not in by_id:
                continue
            if state.get(d) == 1:
                dropped.setdefault(cid, set()).add(d)
            elif d not in state:
                visit(d)
        state[cid] = 2

    for c in cands:
        if c.id not in state:
            visit(c.id)
    if not dropped:
        return cands
    return [
        replace(
            c,
            requires_courses=tuple(d for d in c.requires_courses if d not in dropped.get(c.id, ())),
        )
        for c in cands
    ]


def _candidate(
    c: Any,
    gains: dict[str, tuple[float, float]],
    ok: dict[str, Any],
    gap: dict[str, GapSkill],
    levels: dict[str, float],
    scores: dict[str, float] | None = None,
) -> Candidate:
    req_courses: list[str] = []
    req_levels: list[tuple[str, float]] = []
    for p in c.prerequisites:
        if p.kind == "course" and p.ref in ok and p.ref != c.id:
            req_courses.append(p.ref)
        elif (
            p.kind == "skill"
            and p.level is not None
            and p.ref in gap
            and levels.get(p.ref, 0.0) + 0.25 < p.level
        ):
            # level precedence: the learner lacks the assumed level of a gap skill
            req_levels.append((p.ref, p.level))
    hours = float(c.hours) if c.hours is not None else DEFAULT_HOURS
    cost = 0.0 if c.is_free else float(c.price or 0.0)
    conf = {cs.skill_id: float(cs.confidence) for cs in c.skills if cs.skill_id in gains}
    return Candidate(
        c.id,
        round(hours, 2),
        round(cost, 2),
        c.rating,
        gains,
        tuple(sorted(set(req_courses))),
        tuple(sorted(set(req_levels))),
        conf,
        scores.get(c.id) if scores else None,
    )


def _reasons_course(
    c: Any, covers: list[Coverage], gap: dict[str, GapSkill], needed_for: list[str]
) -> tuple[str, ...]:
    r = []
    tags = {t.skill_id: t for t in c.skills}
    hours, estimated = study_hours(c)
    for cov in covers:
        g = gap[cov.skill_id]
        spread = gain_sd(cov.gain)
        closes = cov.gain - spread >= g.need - 1e-9
        share = (
            "closes your gap" if closes else f"about {min(1.0, cov.gain / g.need):.0%} of your gap"
        )
        r.append(
            f"{g.label}: expected +{cov.gain:.1f} ± {spread:.1f} levels ({share}: level {g.current:.1f} -> "
            f"{g.current + cov.gain:.1f} of {g.required:.1f} needed)"
        )
        t = tags.get(cov.skill_id)
        if t is not None and t.why:
            r.append(f"the course says, {t.why}")
    r.append(
        f"{hours:g} h" + (" (estimated: the provider states no duration)" if estimated else "")
    )
    r.extend(needed_for)
    if c.rating is not None and c.rating_count:
        r.append(f"rated {c.rating:.1f}/5 by {c.rating_count:,} learners")
    r.append("free" if c.is_free else f"costs {c.price:,.2f} {c.currency}")
    return tuple(r)


def _why_relevant(
    sol: Solution,
    courses: Sequence[Any],
    by_id: dict[str, GapSkill],
    relevance: dict[str, float] | None,
    explain: Callable[[list[str]], dict[str, str]] | None,
) -> dict[str, str]:
    """Why each chosen course is in the plan, truthfully: about the target's work (quoting the
    course, ``explain``), or, when it is credited only because it is about exactly a gap skill,
    that (quoting its title)."""
    from skillpath.plan._relevance import ABOUT

    chosen = list(sol.courses)
    about = [c for c in chosen if not relevance or relevance.get(c, 0.0) >= ABOUT]
    out = dict(explain(about)) if explain and about else {}
    title = {c.id: c for c in courses}
    for cid in chosen:
        if cid in out or cid not in title:
            continue
        c = title[cid]
        names = [
            by_id[t.skill_id].label
            for t in c.skills
            if t.skill_id in by_id and names_gap_skill(c, t, by_id[t.skill_id])
        ]
        if names:
            out[cid] = (
                f"about exactly {', '.join(dict.fromkeys(names))}, a skill of the gap: "
                f"the course's title says '{c.title}'"
            )
    return out


def _why_no_course(
    skill: str,
    why: str,
    courses: Sequence[Any],
    req: PlanRequest,
    by_id: dict[str, GapSkill],
    relevance: dict[str, float] | None,
    target: Occupation,
) -> str:
    """Say truthfully why no course closes ``skill``: none in the catalogue teaches it beyond the
    learner's level, those that do are not about the target's work, or none fits the
    constraints (the solver only knows the last)."""
    if not why.startswith("no course fits your constraints"):
        return why  # (``courses``: those tagged with the skill are enough)
    from skillpath.plan._relevance import NAMED_ABOUT

    g = by_id[skill]
    rest = why.removeprefix("no course fits your constraints")
    teach = [
        c
        for c in courses
        if any(
            t.skill_id == skill and t.confidence >= MIN_CONFIDENCE and t.level > g.current
            for t in c.skills
        )
    ]
    if not teach:
        return f"no course in the catalogue teaches it beyond your level{rest}"
    fits = [c for c in teach if _course_ok(c, req)]
    if not fits:
        return why
    if relevance:
        rel = {c.id: relevance.get(c.id, 0.0) for c in fits}
        example = max(fits, key=lambda c: rel[c.id]).title
        if all(v < NAMED_ABOUT for v in rel.values()):
            return (
                f"the {len(fits)} course(s) that teach it (such as '{example}') are not about the "
                f"work of {target.label}{rest}"
            )
        # some fit the constraints and are about the work, yet none was a candidate for this
        # skill: it is not what they are mainly about, or they are not about the work enough
        return (
            f"the {len(fits)} course(s) that teach it (such as '{example}') teach it only in "
            f"passing, or are not enough about the work of {target.label},{rest}"
        )
    return why


def build_plan(
    tax: Taxonomy,
    courses: Sequence[Any],
    gap: LearnerGap,
    request: PlanRequest,
    *,
    target: Occupation,
    levels: dict[str, float],
    learner: str = "learner",
    today: dt.date | None = None,
    scores: dict[str, float] | None = None,
    relevance: dict[str, float] | None = None,
    explain: Callable[[list[str]], dict[str, str]] | None = None,
    catalogue: Sequence[Any] | None = None,
) -> Plan:
    """The optimal plan closing ``gap`` from ``courses`` under ``request``'s constraints.

    ``catalogue``: the whole catalogue when ``courses`` is a pool drawn from it, so that what the
    plan says about skills no course closes is true of the catalogue.

    Raises:
        InputError: contradictory or impossible constraints, or an empty catalogue.
    """
    check_request(request)
    if not courses:
        raise InputError(
            "the course catalogue is empty: import one with "
            "'skillpath catalog import FILE --preset edx|udemy|coursera|generic'"
        )
    if request.providers and not any(
        _course_ok(c, PlanRequest(providers=request.providers)) for c in courses
    ):
        raise InputError(
            "no course in the catalogue comes from these providers",
            column="--provider",
            value=",".join(request.providers),
        )
    start = request.start or today or dt.date.today()
    start = start + dt.timedelta(days=(7 - start.weekday()) % 7)  # weeks start on Monday
    by_id = {g.skill_id: g for g in gap.skills}
    focus = gap.skills[: request.focus]  # gap skills are in priority order
    deferred = gap.skills[request.focus :]
    cands = candidates(courses, focus, request, levels, scores, relevance)
    tasks = build_tasks(tax, target, focus)
    sol = solve(focus, cands, tasks, request)
    # why each chosen course is about the target's work, quoting its own text
    items = _items(
        sol, courses, cands, tasks, by_id, _why_relevant(sol, courses, by_id, relevance, explain)
    )
    prio: dict[str, float] = {}
    for it in items:
        p = max(
            (by_id[cv.skill_id].priority for cv in it.covers if cv.skill_id in by_id), default=0.0
        )
        prio[it.id] = p
    # prerequisites inherit the priority of what needs them
    for it in items:
        for pre in it.prerequisites:
            prio[pre] = max(prio.get(pre, 0.0), prio[it.id] + 1e-6)
    blocks, finish = schedule(items, request.hours_per_week, prio)
    warnings: list[str] = []
    n_weeks = (max(b.week for b in blocks) + 1) if blocks else 0
    if request.weeks is not None and n_weeks > request.weeks:
        warnings.append(
            f"the schedule needs {n_weeks} weeks, more than the {request.weeks} given, because practice "
            "is spaced at least a week after the learning it builds on"
        )
    milestones = []
    for g in gap.skills:
        its = [it for it in items if any(cv.skill_id == g.skill_id for cv in it.covers)]
        if its:
            w = max(finish[it.id] for it in its)
            gains = [cv.gain for it in its for cv in it.covers if cv.skill_id == g.skill_id]
            reached = min(g.required, g.current + sum(gains))
            # the estimate's spread: the learner's starting level and every credited gain are uncertain
            sd = min(1.5, math.sqrt(g.sd**2 + sum(gain_sd(x) ** 2 for x in gains)))
            check = next(
                (
                    it.checkpoint.reviewer
                    for it in sorted(its, key=lambda i: -finish[i.id])
                    if it.checkpoint is not None
                ),
                None,
            )
            milestones.append(
                (
                    w,
                    f"{g.label}: expected level {reached:.1f} ± {sd:.1f} of {g.required:.1f} needed, "
                    f"after {len(its)} item{'s' if len(its) > 1 else ''}"
                    + (
                        f"; to be confirmed by the {check} feedback checkpoint"
                        if check
                        else "; to be confirmed by feedback on your work"
                    ),
                )
            )
    milestones.sort()
    # one pass over the catalogue for the skills it must explain (not one per skill)
    unexplained = {s for s, why in sol.uncovered if why.startswith("no course fits")}
    teaching: dict[str, list[Any]] = {s: [] for s in unexplained}
    if unexplained:
        for c in catalogue or courses:
            for t in c.skills:
                if t.skill_id in unexplained:
                    teaching[t.skill_id].append(c)
    uncovered = tuple(
        (
            s,
            by_id[s].label,
            _why_no_course(s, why, teaching.get(s, ()), request, by_id, relevance, target),
        )
        for s, why in sol.uncovered
    ) + tuple(
        (
            g.skill_id,
            g.label,
            f"lower priority: deferred to your next plan (raise --focus above {request.focus})",
        )
        for g in deferred
    )
    return Plan(
        learner=learner,
        gap=gap,
        request=request,
        items=tuple(items),
        blocks=tuple(blocks),
        solver=sol.info,
        start=start,
        uncovered=uncovered,
        warnings=tuple(warnings),
        milestones=tuple(milestones),
        extra={"finish_week": finish},
    )


def _items(
    sol: Solution,
    courses: Sequence[Any],
    cands: list[Candidate],
    tasks: dict,
    by_id: dict[str, GapSkill],
    why_relevant: dict[str, str] | None = None,
) -> list[PlanItem]:
    course_by_id = {c.id: c for c in courses}
    cand_by_id = {c.id: c for c in cands}
    credited_by_course: dict[str, list[str]] = {}
    for s, cid in sol.credited.items():
        credited_by_course.setdefault(cid, []).append(s)
    items: list[PlanItem] = []
    chosen = set(sol.courses)
    chosen_cands = [cand_by_id[d] for d in sol.courses]
    prereqs: dict[str, list[str]] = {}
    why_needed: dict[str, list[str]] = {}
    for cid in sol.courses:
        cand = cand_by_id[cid]
        title = course_by_id[cid].title
        pre = [d for d in cand.requires_courses if d in chosen]
        for d in pre:
            why_needed.setdefault(d, []).append(f"a prerequisite of '{title}'")
        for s, lvl in cand.requires_levels:
            provs = [o.id for o in level_providers(cand, s, lvl, chosen_cands)]
            if provs:
                d = min(provs, key=lambda x: (cand_by_id[x].gains[s][1], x))
                pre.append(d)
                label = by_id[s].label if s in by_id else s
                why_needed.setdefault(d, []).append(
                    f"brings {label} to level {lvl:.1f}, which '{title}' assumes"
                )
        prereqs[cid] = sorted({f"course:{d}" for d in pre})
    for cid in sol.courses:
        c = course_by_id[cid]
        cand = cand_by_id[cid]
        covers = [
            Coverage(s, by_id[s].label, cand.gains[s][0], cand.gains[s][1])
            for s in sorted(credited_by_course.get(cid, []), key=lambda s: -by_id[s].priority)
        ]
        items.append(
            PlanItem(
                id=f"course:{cid}",
                kind="course",
                stage="learn",
                title=c.title,
                hours=cand.hours,
                cost=cand.cost,
                currency=c.currency,
                provider=c.provider,
                url=c.url,
                covers=tuple(covers),
                prerequisites=tuple(prereqs[cid]),
                reasons=(((why_relevant or {})[cid],) if cid in (why_relevant or {}) else ())
                + _reasons_course(c, covers, by_id, why_needed.get(cid, [])),
                rating=c.rating,
            )
        )
    for s, stage in sol.tasks:
        t = next(t for t in tasks[s] if t.stage == stage)
        g = by_id[s]
        if stage == "practise":
            task_pre: tuple[str, ...] = (f"course:{sol.credited[s]}",) if s in sol.credited else ()
        else:
            task_pre = (f"task:{'practise' if stage == 'apply' else 'apply'}:{s}",)
        task_covers = (Coverage(s, g.label, t.gain, 0.0),)
        reasons = (
            f"puts {g.label} to work ({'Bloom: ' + {'practise': 'apply', 'apply': 'analyse/evaluate', 'create': 'create'}[stage]})",
            f"from a real task of the role: '{t.source_task}'"
            if t.source_task
            else f"a work activity of the role (O*NET): '{g.label}'"
            if g.relation == "activity"
            else "a standard exercise",
            f"feedback: {t.checkpoint.reviewer} review with a rubric",
        )
        items.append(
            PlanItem(
                id=f"task:{stage}:{s}",
                kind="task",
                stage=stage,
                title=t.title,
                hours=t.hours,
                covers=task_covers,
                prerequisites=task_pre,
                deliverable=t.deliverable,
                checkpoint=t.checkpoint,
                reasons=reasons,
                source_task=t.source_task,
            )
        )
    # the level a task brings: cumulative along learn -> practise -> apply -> create
    out = []
    reached: dict[str, float] = {}
    stage_rank = {"learn": 0, "practise": 1, "apply": 2, "create": 3}
    for it in sorted(items, key=lambda i: (stage_rank[i.stage], i.id)):
        covs = []
        for cv in it.covers:
            g = by_id[cv.skill_id]
            lvl = min(g.required, reached.get(cv.skill_id, g.current) + cv.gain)
            reached[cv.skill_id] = lvl
            covs.append(Coverage(cv.skill_id, cv.label, cv.gain, round(lvl, 3)))
        out.append(
            PlanItem(
                **{**{f: getattr(it, f) for f in it.__dataclass_fields__}, "covers": tuple(covs)}
            )
        )
    return out
