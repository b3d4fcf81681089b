"""The exact plan optimiser: a mixed-integer model solved by HiGHS (``highspy``).

Variables (all binary unless said): ``x_c`` take course c; ``w_cs`` credit course c for gap skill s
(at most one course is credited per skill: two beginner courses do not make an expert, and no
coverage is counted twice); ``x_t`` do assignment t (practise/apply/create for one skill); in budget
mode, continuous ``closed_s`` in [0, need_s].

Cover mode: minimise hours (or cost, or hours + cost / hourly value) so that every coverable skill
gains its need; at least the practise step for each covered skill. Budget mode (when cover mode is
infeasible within hours x weeks and money): maximise importance-weighted levels closed.
Precedence: practise needs a credited course (or a current level that allows learning by doing),
apply needs practise, create needs apply; course prerequisites (course -> course) and level
prerequisites (a course assumes a level the learner lacks -> some chosen course teaches it).
See docs/decisions/0060-plan-model.md.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import highspy
import numpy as np
from scipy import sparse

from skillpath.plan._model import GapSkill, PlanRequest, SolverInfo
from skillpath.plan._tasks import TaskTemplate

LEARN_BY_DOING = 2.5  # from this level on, a learner can start at practice without a course
# A Knowledge area (O*NET's organised principles and facts: Transportation, Accounting...) is
# learnt by study: without a credited course, practice and applying it at work deepen what the
# learner knows, but the portfolio project that shows it at the role's level (the "create" stage)
# needs a course first; the plan says the rest needs study it could not find (decision 0145).
STUDY_STAGES = frozenset({"create"})
MIN_CONFIDENCE = 0.3  # course-skill tags below this are not trusted to teach the skill
# the value objective (decision 0064): effective hours x (1.25 - 0.5 quality) + a fixed cost per
# course (fewer, better courses), minus a reward for crediting sure, large gains on important skills
COURSE_OVERHEAD = (
    2.0  # hours-equivalent of starting one more course (enrolling, orientation, context)
)
RELEVANCE_REWARD = 1.5  # hours-equivalent per importance-weighted level credited at full confidence
EPS_RATING = 1e-6  # tie-break per hour: prefer better-rated courses; below the 0.01 h resolution of hours, so never trades real hours


@dataclass(frozen=True)
class Candidate:
    """A course as the optimiser sees it."""

    id: str
    hours: float
    cost: float
    rating: float | None
    gains: dict[str, tuple[float, float]]  # gap skill id -> (gain, level reached)
    requires_courses: tuple[str, ...] = ()
    requires_levels: tuple[tuple[str, float], ...] = ()  # (skill id, level) the learner must have
    confidence: dict[str, float] = field(
        default_factory=dict, compare=False
    )  # tag confidence per gap skill
    score: float | None = None  # the recommender's score for this learner (0-1), when given

    def quality(self) -> float:
        """How good the course is, in [0, 1]: its rating (3 -> 0, 5 -> 1) and, when given, the
        recommender's score for this learner, averaged (unknown: 0.5)."""
        q = min(1.0, max(0.0, ((self.rating if self.rating is not None else 4.0) - 3.0) / 2.0))
        return q if self.score is None else 0.5 * q + 0.5 * min(1.0, max(0.0, self.score))

    @cached_property
    def rank(self) -> tuple[float, float, str]:
        """A strict order on courses: level-precedence providers must come lower (no cycles)."""
        return (max((lvl for _g, lvl in self.gains.values()), default=0.0), self.hours, self.id)


def starts_by_doing(g: GapSkill) -> bool:
    """Practice may start without a course: the learner knows enough already, or the skill is on
    the practice route (generic skills, tools, work activities: decision 0062)."""
    return g.current >= LEARN_BY_DOING or g.route == "practice"


def needs_study(g: GapSkill, taught: bool = False) -> bool:
    """Whether the skill's :data:`STUDY_STAGES` need a credited course: a Knowledge area always;
    a work activity of the target when some candidate course teaches it (``taught``, decision
    0165). An activity no course teaches is still learnt on the job, up to the portfolio project."""
    if g.relation == "activity":
        return taught
    return g.kind == "knowledge" and g.route == "course"


def teachers(candidates: Sequence[Candidate]) -> dict[str, list[Candidate]]:
    """Candidates by the gap skills they move (an index for :func:`level_providers`)."""
    out: dict[str, list[Candidate]] = {}
    for c in candidates:
        for s in c.gains:
            out.setdefault(s, []).append(c)
    return out


def usable(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Candidates whose level prerequisites some other candidate can meet (to a fixpoint)."""
    cands = list(candidates)
    while True:
        by_skill = teachers(cands)
        keep = [
            c
            for c in cands
            if all(_has_provider(c, s, lvl, by_skill.get(s, ())) for s, lvl in c.requires_levels)
        ]
        if len(keep) == len(cands):
            return keep
        cands = keep


def prune_dominated(candidates: list[Candidate], request: PlanRequest) -> list[Candidate]:
    """Drop single-skill courses that another single-skill course dominates (exact).

    Only one course is credited per skill, so among plain courses teaching just one gap skill
    (no prerequisites, not anyone's prerequisite or level provider), one that another teaches at
    least as far for no more hours, no more money and no worse rating is never needed: swapping it
    out keeps every constraint and does not raise the objective.
    """
    structural = {d for c in candidates for d in c.requires_courses}
    needed_levels = {(s, lvl) for c in candidates for s, lvl in c.requires_levels}
    by_skill: dict[str, list[Candidate]] = {}
    keep: list[Candidate] = []
    for c in candidates:
        plain = (
            len(c.gains) == 1
            and not c.requires_courses
            and not c.requires_levels
            and c.id not in structural
            and not any(s in c.gains and c.gains[s][1] >= lvl - 1e-9 for s, lvl in needed_levels)
        )
        if plain:
            by_skill.setdefault(next(iter(c.gains)), []).append(c)
        else:
            keep.append(c)

    def r(c: Candidate) -> float:
        return c.rating if c.rating is not None else 3.5

    for s, lst in by_skill.items():
        # sort by gain desc, then cheapest: a later course is dominated if an earlier one is no worse
        lst.sort(key=lambda c: (-c.gains[s][0], c.hours, c.cost, -r(c), c.id))
        front: list[Candidate] = []
        for c in lst:
            if not any(
                f.hours <= c.hours + 1e-12
                and f.cost <= c.cost + 1e-12
                and r(f) >= r(c)
                and f.quality() >= c.quality() - 1e-12
                and f.confidence.get(s, 1.0) >= c.confidence.get(s, 1.0) - 1e-12
                for f in front
            ):
                front.append(c)
        keep.extend(front)
    return sorted(keep, key=lambda c: c.id)


def _has_provider(c: Candidate, skill: str, level: float, candidates: Sequence[Candidate]) -> bool:
    """Whether :func:`level_providers` would name anyone (stops at the first)."""
    return any(
        o.id != c.id and skill in o.gains and o.gains[skill][1] >= level - 1e-9 and o.rank < c.rank
        for o in candidates
    )


def level_providers(
    c: Candidate, skill: str, level: float, candidates: Sequence[Candidate]
) -> list[Candidate]:
    """Courses that bring ``skill`` to ``level`` and rank below ``c`` (so precedence is acyclic)."""
    return [
        o
        for o in candidates
        if o.id != c.id
        and skill in o.gains
        and o.gains[skill][1] >= level - 1e-9
        and o.rank < c.rank
    ]


@dataclass
class Solution:
    """What the solver chose."""

    courses: list[str]
    credited: dict[str, str]  # skill id -> course id
    tasks: list[tuple[str, str]]  # (skill id, stage)
    closed: dict[str, float]
    info: SolverInfo
    uncovered: list[tuple[str, str]] = field(default_factory=list)  # (skill id, reason)


def _new_highs() -> Any:
    """A silent HiGHS instance. The Python wrapper class prints a banner on stdout when it is
    created, which would corrupt ``--format json`` output; the core class does not."""
    core = getattr(getattr(highspy, "_core", None), "_Highs", None)
    h = core() if core is not None else highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def _status(h: Any) -> str:
    st = h.getModelStatus()
    if st == highspy.HighsModelStatus.kOptimal:
        return "optimal"
    if st in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return "infeasible"
    if h.getInfo().primal_solution_status == 2:
        return "feasible"
    return "infeasible"


def solve(
    gap: Sequence[GapSkill],
    candidates: Sequence[Candidate],
    tasks: dict[str, list[TaskTemplate]],
    request: PlanRequest,
    *,
    time_limit: float = 30.0,
) -> Solution:
    """Choose courses and assignments; cover mode first, budget mode if cover is infeasible."""
    t0 = time.perf_counter()
    candidates = prune_dominated(usable(candidates), request)
    need = {g.skill_id: g.need for g in gap}
    weight = {g.skill_id: g.weight for g in gap}
    # what each skill can reach at best, to decide coverability before solving
    best_course: dict[str, float] = {}
    for c in candidates:
        for s, (gain, _lvl) in c.gains.items():
            best_course[s] = max(best_course.get(s, 0.0), gain)
    uncovered: list[tuple[str, str]] = []
    target: dict[str, float] = {}
    can_do: dict[str, bool] = {}
    for g in gap:
        s = g.skill_id
        can_do[s] = bool(tasks.get(s)) and (s in best_course or starts_by_doing(g))
        doing = sum(t.gain for t in tasks.get(s, [])) if can_do[s] else 0.0
        if s not in best_course and needs_study(g) and can_do[s]:
            doing = sum(t.gain for t in tasks.get(s, []) if t.stage not in STUDY_STAGES)
        reach = best_course.get(s, 0.0) + doing
        if reach + 1e-9 < need[s]:
            if s not in best_course:
                why = (
                    "no course fits your constraints and practice alone cannot start from your level"
                    if not starts_by_doing(g)
                    else "practice with feedback closes part of the gap; the rest needs study, and no "
                    "course here fits"
                    if needs_study(g)
                    else "practice with feedback closes part of the gap; the rest takes on-the-job experience"
                )
            else:
                why = f"the best course and practice reach only +{reach:.1f} of the {need[s]:.1f} levels needed"
            uncovered.append((s, why))
        target[s] = round(min(need[s], reach), 6)

    hours_cap = request.hours_per_week * request.weeks if request.weeks else None
    cover = _build_and_solve(
        gap,
        candidates,
        tasks,
        request,
        target,
        can_do,
        weight,
        mode="cover",
        hours_cap=hours_cap,
        time_limit=time_limit,
    )
    if cover is not None and cover[0] in ("optimal", "feasible"):
        status, values, obj, mip_gap, meta = cover
        mode = "cover"
    else:
        budget = _build_and_solve(
            gap,
            candidates,
            tasks,
            request,
            target,
            can_do,
            weight,
            mode="budget",
            hours_cap=hours_cap,
            time_limit=time_limit,
        )
        assert budget is not None
        status, values, obj, mip_gap, meta = budget
        mode = "budget"
    courses, credited, chosen_tasks, closed = _decode(values, meta)
    if mode == "budget":
        for g in gap:
            got = closed.get(g.skill_id, 0.0)
            if (
                target[g.skill_id] > 0
                and got + 1e-6 < target[g.skill_id]
                and not any(u[0] == g.skill_id for u in uncovered)
            ):
                uncovered.append(
                    (
                        g.skill_id,
                        "not within your time or money budget"
                        + (f" (closes {got:.1f} of {g.need:.1f} levels)" if got > 0 else ""),
                    )
                )
    else:
        closed = {s: target[s] for s in target}
    info = SolverInfo(
        status=status,
        mode=mode,
        objective=request.objective,
        objective_value=round(obj, 4),
        mip_gap=round(mip_gap, 6),
        seconds=round(time.perf_counter() - t0, 4),
        candidates=len(candidates),
    )
    return Solution(courses, credited, chosen_tasks, closed, info, uncovered)


def _build_and_solve(
    gap, candidates, tasks, request, target, can_do, weight, *, mode, hours_cap, time_limit
):
    cols_cost: list[float] = []
    lo: list[float] = []
    up: list[float] = []
    integer: list[bool] = []
    hours: list[float] = []
    money: list[float] = []
    meta: dict[str, Any] = {"x": {}, "w": {}, "t": {}, "closed": {}}

    def col(
        cost: float,
        *,
        h: float = 0.0,
        m: float = 0.0,
        lb: float = 0.0,
        ub: float = 1.0,
        is_int: bool = True,
    ) -> int:
        cols_cost.append(cost)
        lo.append(lb)
        up.append(ub)
        integer.append(is_int)
        hours.append(h)
        money.append(m)
        return len(cols_cost) - 1

    value = request.objective == "value" and mode == "cover"

    def objective(h: float, m: float, rating: float | None, cand: Candidate | None = None) -> float:
        if mode == "budget":
            return 1e-4 * h  # (minimised after negating the gap closed)
        if request.objective == "value":
            base = h + m / max(request.hourly_value, 1e-9)
            if cand is None:
                return base  # practice tasks: their hours
            return base * (1.25 - 0.5 * cand.quality()) + COURSE_OVERHEAD
        base = {"hours": h, "cost": m + 1e-3 * h, "mix": h + m / max(request.hourly_value, 1e-9)}[
            request.objective
        ]
        r = (rating if rating is not None else 3.5) / 5
        return base + EPS_RATING * h * (1 - r)

    for c in candidates:
        meta["x"][c.id] = col(objective(c.hours, c.cost, c.rating, c), h=c.hours, m=c.cost)
    for c in candidates:
        for s, (gain, _lvl) in c.gains.items():
            if target.get(s, 0) > 0:
                reward = (
                    -RELEVANCE_REWARD * weight[s] * min(gain, target[s]) * c.confidence.get(s, 1.0)
                    if value
                    else 0.0
                )
                meta["w"][(c.id, s)] = col(reward)
    for g in gap:
        s = g.skill_id
        if not can_do.get(s) or target[s] <= 0:
            continue
        for t in tasks.get(s, []):
            meta["t"][(s, t.stage)] = col(objective(t.hours, 0.0, 5.0), h=t.hours)
    if mode == "budget":
        for g in gap:
            if target[g.skill_id] > 0:
                meta["closed"][g.skill_id] = col(
                    -weight[g.skill_id], lb=0.0, ub=target[g.skill_id], is_int=False
                )

    rows_lo: list[float] = []
    rows_up: list[float] = []
    ri: list[int] = []
    ci: list[int] = []
    vals: list[float] = []

    def row(entries: list[tuple[int, float]], lb: float, ub: float) -> None:
        r = len(rows_lo)
        rows_lo.append(lb)
        rows_up.append(ub)
        for j, v in entries:
            ri.append(r)
            ci.append(j)
            vals.append(v)

    inf = highspy.kHighsInf
    by_skill: dict[str, list[tuple[int, float]]] = {}
    gains = {c.id: c.gains for c in candidates}
    for (cid, s), j in meta["w"].items():
        row([(j, 1.0), (meta["x"][cid], -1.0)], -inf, 0.0)  # credit only a taken course
        by_skill.setdefault(s, []).append((j, gains[cid][s][0]))
    for lst in by_skill.values():
        row([(j, 1.0) for j, _ in lst], -inf, 1.0)  # at most one credited course per skill
    for g in gap:
        s = g.skill_id
        if target[s] <= 0:
            continue
        entries = [(j, gain) for j, gain in by_skill.get(s, [])]
        stage_cols = {stage: meta["t"].get((s, stage)) for stage in ("practise", "apply", "create")}
        for t in tasks.get(s, []):
            j = stage_cols.get(t.stage)
            if j is not None:
                entries.append((j, t.gain))
        if mode == "cover":
            row(entries, target[s] - 1e-7, inf)
        else:
            row([(meta["closed"][s], 1.0)] + [(j, -v) for j, v in entries], -inf, 0.0)
        if needs_study(g, bool(by_skill.get(s))):
            for stage in STUDY_STAGES:  # (at most one course is credited per skill)
                if stage_cols.get(stage) is not None:
                    row(
                        [(stage_cols[stage], 1.0)] + [(j, -1.0) for j, _ in by_skill.get(s, [])],
                        -inf,
                        0.0,
                    )
        if stage_cols["practise"] is not None:
            base = 1.0 if starts_by_doing(g) else 0.0
            row(
                [(stage_cols["practise"], 1.0)] + [(j, -1.0) for j, _ in by_skill.get(s, [])],
                -inf,
                base,
            )
            if mode == "cover":
                row([(stage_cols["practise"], 1.0)], 1.0, 1.0)  # learning always leads to doing
        if stage_cols["apply"] is not None and stage_cols["practise"] is not None:
            row([(stage_cols["apply"], 1.0), (stage_cols["practise"], -1.0)], -inf, 0.0)
        if stage_cols["create"] is not None and stage_cols["apply"] is not None:
            row([(stage_cols["create"], 1.0), (stage_cols["apply"], -1.0)], -inf, 0.0)
    teaching = teachers(candidates)
    for c in candidates:
        for d in c.requires_courses:
            if d in meta["x"]:
                row([(meta["x"][c.id], 1.0), (meta["x"][d], -1.0)], -inf, 0.0)
        for s, lvl in c.requires_levels:
            providers = [meta["x"][o.id] for o in level_providers(c, s, lvl, teaching.get(s, []))]
            row([(meta["x"][c.id], 1.0)] + [(j, -1.0) for j in providers], -inf, 0.0)
    n = len(cols_cost)
    if hours_cap is not None:
        row([(j, h) for j, h in enumerate(hours) if h], -inf, hours_cap + 1e-6)
    if request.budget is not None:
        row([(j, m) for j, m in enumerate(money) if m], -inf, request.budget + 1e-6)
    if n == 0:
        return ("optimal", np.zeros(0), 0.0, 0.0, meta)

    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(rows_lo)
    lp.col_cost_ = np.asarray(cols_cost, dtype=float)
    lp.col_lower_ = np.asarray(lo, dtype=float)
    lp.col_upper_ = np.asarray(up, dtype=float)
    lp.row_lower_ = np.asarray(rows_lo, dtype=float)
    lp.row_upper_ = np.asarray(rows_up, dtype=float)
    a = sparse.csc_matrix((vals, (ri, ci)), shape=(len(rows_lo), n))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(float)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integer
    ]
    h = _new_highs()
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-9)
    h.setOptionValue("threads", 1)
    # HiGHS' MIP presolve spends seconds on these small models (bench/plan.py: p95 400 ms -> see
    # docs/benchmarks.md); branch-and-bound alone proves optimality faster here.
    h.setOptionValue("presolve", "off")
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("time_limit", float(time_limit))
    h.passModel(lp)
    h.run()
    status = _status(h)
    if status == "infeasible":
        return (status, np.zeros(n), 0.0, 0.0, meta)
    values = np.asarray(h.getSolution().col_value)
    info = h.getInfo()
    chosen = values > 0.5
    if mode == "cover":
        hrs = float(np.dot(hours, chosen))
        mon = float(np.dot(money, chosen))
        obj = {
            "hours": hrs,
            "cost": mon,
            "mix": hrs + mon / max(request.hourly_value, 1e-9),
            "value": float(info.objective_function_value),
        }[request.objective]
    else:
        obj = float(sum(weight[s] * values[j] for s, j in meta["closed"].items()))
    mip_gap = float(info.mip_gap) if np.isfinite(info.mip_gap) else 0.0
    if status == "optimal":
        mip_gap = min(mip_gap, 0.0) if mip_gap < 1e-9 else mip_gap
    return (status, values, obj, mip_gap, meta)


def _decode(values: np.ndarray, meta: dict[str, Any]):
    if values.size == 0:
        return [], {}, [], {}
    courses = sorted(cid for cid, j in meta["x"].items() if values[j] > 0.5)
    credited = {s: cid for (cid, s), j in meta["w"].items() if values[j] > 0.5}
    tasks = sorted((s, st) for (s, st), j in meta["t"].items() if values[j] > 0.5)
    closed = {s: float(values[j]) for s, j in meta["closed"].items()}
    return courses, credited, tasks, closed
