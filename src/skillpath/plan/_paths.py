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
MANAGER_POOL = 120  # management occupations among this many most similar roles join the candidates
# years of full-time education after secondary school, per O*NET Required Level of Education category
EDUCATION_YEARS = {
    1: 0.0,
    2: 0.0,
    3: 1.0,
    4: 1.0,
    5: 2.0,
    6: 4.0,
    7: 5.0,
    8: 6.0,
    9: 7.0,
    10: 8.0,
    11: 9.0,
    12: 11.0,
}
ROUTE_PENALTY = 0.06  # feasibility lost per year of formal education a move needs
ZONE_PENALTY = 0.05  # and per Job Zone step up


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
    job_zone: int | None = None  # O*NET Job Zone of the role (1-5)
    job_zone_step: int = 0  # how many Job Zones above the current role
    education: str = ""  # the education half the workers have at least (O*NET RL)
    route_years: float = (
        0.0  # years of formal education beyond the current role's, when it needs more
    )


def _profile_matrix(tax: Taxonomy, ids: list[str]) -> tuple[np.ndarray, list[str]]:
    skills = sorted(
        {
            r.skill_id
            for oid in ids
            for r in tax.requirements(oid)
            if r.relation == "rated" and r.level is not None
        }
    )
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
    onet = [
        o.id
        for o in tax.occupations.values()
        if o.taxonomy == "onet"
        and o.status == "current"
        and o.id != source.id
        and any(r.relation == "rated" for r in tax.requirements(o.id))
    ]
    mat, _ = _profile_matrix(tax, [source.id, *onet])
    norms = np.linalg.norm(mat, axis=1) + 1e-12
    sims = (mat[1:] @ mat[0]) / (norms[1:] * norms[0])
    changers = {
        oid: int(rank)
        for oid, _k, rank in tax.related(source.id, "career_changer")
        if rank is not None
    }
    order = np.argsort(-sims, kind="stable")
    picked = [onet[i] for i in order[:pool]]
    picked += [oid for oid in changers if oid not in picked and oid in tax.occupations]
    # O*NET Related Occupations (both directions) and the management roles of nearby work
    related = {o for o, _k, _r in tax.related(source.id, "related")}
    related |= {o for o in onet if any(x == source.id for x, _k, _r in tax.related(o, "related"))}
    managers = {
        onet[i] for i in order[:MANAGER_POOL] if tax.occupations[onet[i]].code.startswith("11-")
    }
    picked += sorted(x for x in related | managers if x not in picked and x in tax.occupations)
    sim_of = {onet[i]: float(sims[i]) for i in range(len(onet))}

    def level(oid: str) -> float:
        vals = [
            r.level
            for r in tax.requirements(oid)
            if r.relation == "rated" and r.level is not None and (r.importance or 0) >= 3.0
        ]
        return sum(vals) / len(vals) if vals else 0.0

    base = level(source.id)
    src_zone = tax.job_zone(source.id)
    src_edu = tax.preparation(source.id).median("education")
    rows = []
    for oid in picked:
        occ = tax.occupations[oid]
        if level(oid) < base - STEP_DOWN:
            continue  # a step down is not a next role (it would always look "feasible")
        gap = analyse_gap(tax, occ, levels, sds, current=source)
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
    related_rank = {o: int(r) for o, _k, r in tax.related(source.id, "related") if r is not None}
    for occ, gap, hours, cost, uncovered in rows:
        rank = changers.get(occ.id)
        rel = related_rank.get(occ.id)
        sim = sim_of.get(occ.id, 0.0)
        closeness = (11 - rank) / 10 if rank else ((21 - rel) / 20 if rel else 0.0)
        s = (
            0.35 * (1 - gap.total / max_d)
            + 0.25 * (1 - (hours if hours is not None else max_h) / max_h)
            + 0.2 * max(sim, 0.0)
            + 0.2 * closeness
        )
        reasons = [f"skill profile {sim:.0%} similar to {source.label}"]
        if rank:
            reasons.append(
                f"O*NET Career Changers: rank {rank} of related occupations for {source.label}"
            )
        elif rel:
            tier = tax.tier(source.id, occ.id) or ""
            reasons.append(
                f"O*NET Related Occupations: #{rel} for {source.label}"
                + (f" ({tier})" if tier else "")
            )
        zone = tax.job_zone(occ.id)
        step = (zone - src_zone) if zone is not None and src_zone is not None else 0
        prep = tax.preparation(occ.id)
        edu = prep.median("education")
        years = (
            max(0.0, EDUCATION_YEARS.get(edu[0], 0.0) - EDUCATION_YEARS.get(src_edu[0], 0.0))
            if edu and src_edu
            else 0.0
        )
        if step > 0:
            info = tax.job_zone_info(zone) if zone is not None else None
            reasons.append(
                f"needs more preparation: Job Zone {zone} against {src_zone} for {source.label}"
                + (
                    f" ({info.name.split(': ', 1)[-1]}; {info.education.rstrip('.')})"
                    if info
                    else ""
                )
            )
        if years > 0 and edu:
            reasons.append(
                f"a formal route: most workers have at least a {_short(edu[1])} (O*NET), about "
                f"{years:g} more year{'s' if years != 1 else ''} of full-time study than is typical for "
                f"{source.label}; courses alone do not qualify you"
            )
        exp = prep.median("experience")
        if step > 0 and exp and exp[0] >= 6:
            reasons.append(f"and related work experience: half the workers report {exp[1].lower()}")
        lic = _licence(occ)
        if lic:
            reasons.append(lic)
        if hours is not None:
            reasons.append(
                f"closing the skill gap takes about {hours:g} h of courses and practice"
                + (f" and {cost:,.0f} in fees" if cost else "")
                + (" on top of the formal route" if years else "")
            )
        if uncovered:
            reasons.append(
                f"{uncovered} skills need more than courses and practice (on-the-job experience)"
            )
        s -= ROUTE_PENALTY * years + ZONE_PENALTY * max(0, step)
        out.append(
            NextRole(
                occ,
                round(s, 4),
                gap.total,
                hours,
                cost,
                round(sim, 4),
                rank,
                tuple(g.label for g in gap.skills[:3]),
                uncovered,
                tuple(reasons),
                zone,
                max(0, step),
                _short(edu[1]) if edu else "",
                years,
            )
        )
    out.sort(key=lambda r: (-r.score, r.occupation.id))
    return out[:n]


def _short(category: str) -> str:
    """'Bachelor's Degree' from the O*NET category text (which explains it at length)."""
    return category.split(" - ")[0].split(" (")[0].strip()


_LICENCE = __import__("re").compile(
    r"\b(licen[cs]ed?|registered|certified|board[- ]certified)\b", __import__("re").I
)


def _licence(occ: Occupation) -> str:
    """A licence or registration the occupation's own title or description names (O*NET has no
    licence table: this quotes the text, it does not guess)."""
    for text in (occ.label, occ.description):
        m = _LICENCE.search(text or "")
        if m:
            start = max(0, m.start() - 40)
            snippet = text[start : m.end() + 60].strip()
            return f"may need a licence or registration: O*NET says '...{snippet}...'"
    return ""
