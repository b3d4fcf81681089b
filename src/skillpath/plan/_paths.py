"""Next roles: where a learner can go from here, ranked by feasibility, with the plan cost attached.

Like O*NET's My Next Move, but each suggestion carries what it would take: the importance-weighted
skill distance, the O*NET Career Changers relation, and the hours and money of the optimal plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from skillpath.plan._build import build_plan
from skillpath.plan._gap import analyse_gap
from skillpath.plan._model import PlanRequest
from skillpath.taxonomy import Occupation, Taxonomy

STEP_DOWN = 0.25  # mean required level (important skills) this far below the current role: excluded


@dataclass(frozen=True, slots=True)
class NextRole:
    """A suggested next role and what it would take."""

    occupation: Occupation
    score: float  # feasibility in [0, 1], higher is easier
    distance: float  # importance-weighted levels to gain
    hours: float | None  # of the optimal plan (None: no catalogue)
    cost: float | None
    similarity: float  # cosine of skill-level profiles
    changer_rank: int | None  # O*NET Career Changers Matrix rank (1 = most related)
    top_gaps: tuple[str, ...]
    uncovered: int
    reasons: tuple[str, ...]


def _profile_matrix(tax: Taxonomy, ids: list[str]) -> tuple[np.ndarray, list[str]]:
    skills = sorted({r.skill_id for oid in ids for r in tax.requirements(oid)
                     if r.relation == "rated" and r.level is not None})
    col = {s: j for j, s in enumerate(skills)}
    mat = np.zeros((len(ids), len(skills)))
    for i, oid in enumerate(ids):
        for r in tax.requirements(oid):
            if r.relation == "rated" and r.level is not None and r.skill_id in col:
                mat[i, col[r.skill_id]] = r.level * ((r.importance or 1) - 1) / 4
    return mat, skills


def next_roles(
    tax: Taxonomy,
    courses: Sequence[Any],
    source: Occupation,
    levels: dict[str, float],
    sds: dict[str, float] | None = None,
    *,
    n: int = 10,
    request: PlanRequest | None = None,
    pool: int = 40,
) -> list[NextRole]:
    """The ``n`` most feasible next roles from ``source`` for a learner at ``levels``."""
    request = request or PlanRequest()
    onet = [o.id for o in tax.occupations.values()
            if o.taxonomy == "onet" and o.status == "current" and o.id != source.id
            and any(r.relation == "rated" for r in tax.requirements(o.id))]
    mat, _ = _profile_matrix(tax, [source.id, *onet])
    norms = np.linalg.norm(mat, axis=1) + 1e-12
    sims = (mat[1:] @ mat[0]) / (norms[1:] * norms[0])
    changers = {oid: int(rank) for oid, _k, rank in tax.related(source.id, "career_changer") if rank is not None}
    order = np.argsort(-sims, kind="stable")
    picked = [onet[i] for i in order[:pool]]
    picked += [oid for oid in changers if oid not in picked and oid in tax.occupations]
    sim_of = {onet[i]: float(sims[i]) for i in range(len(onet))}
    def level(oid: str) -> float:
        vals = [r.level for r in tax.requirements(oid) if r.relation == "rated" and r.level is not None
                and (r.importance or 0) >= 3.0]
        return sum(vals) / len(vals) if vals else 0.0

    base = level(source.id)
    rows = []
    for oid in picked:
        occ = tax.occupations[oid]
        if level(oid) < base - STEP_DOWN:
            continue  # a step down is not a next role (it would always look "feasible")
        gap = analyse_gap(tax, occ, levels, sds)
        hours = cost = None
        uncovered = 0
        if courses and gap.skills:
            plan = build_plan(tax, courses, gap, request, target=occ, levels=levels)
            hours, cost, uncovered = plan.total_hours, plan.total_cost, len(plan.uncovered)
        elif not gap.skills:
            hours, cost = 0.0, 0.0
        rows.append((occ, gap, hours, cost, uncovered))
    if not rows:
        return []
    max_d = max(g.total for _o, g, *_ in rows) or 1.0
    max_h = max((h or 0.0) for _o, _g, h, *_ in rows) or 1.0
    out = []
    for occ, gap, hours, cost, uncovered in rows:
        rank = changers.get(occ.id)
        sim = sim_of.get(occ.id, 0.0)
        s = (0.35 * (1 - gap.total / max_d) + 0.25 * (1 - (hours if hours is not None else max_h) / max_h)
             + 0.2 * max(sim, 0.0) + 0.2 * ((11 - rank) / 10 if rank else 0.0))
        reasons = [f"skill profile {sim:.0%} similar to {source.label}"]
        if rank:
            reasons.append(f"O*NET Career Changers: rank {rank} of related occupations for {source.label}")
        if hours is not None:
            reasons.append(f"closing the gap takes about {hours:g} h" + (f" and {cost:,.0f} in fees" if cost else ""))
        if uncovered:
            reasons.append(f"{uncovered} skills need more than courses and practice (on-the-job experience)")
        out.append(NextRole(occ, round(s, 4), gap.total, hours, cost, round(sim, 4), rank,
                            tuple(g.label for g in gap.skills[:3]), uncovered, tuple(reasons)))
    out.sort(key=lambda r: (-r.score, r.occupation.id))
    return out[:n]
