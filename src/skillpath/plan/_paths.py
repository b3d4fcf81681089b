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
# the education a Job Zone's reference text names, when neither the occupation nor a sibling has
# O*NET education data (zone 3 "vocational school ... or an associate's degree", zone 5 "graduate
# school, for example a master's degree")
ZONE_EDUCATION = {1: 1, 2: 2, 3: 3, 4: 6, 5: 8}
W_GAP, W_HOURS, W_SIMILAR, W_RELATED = 0.3, 0.15, 0.2, 0.35  # the feasibility score's blend
SUPERVISOR_CLOSENESS = 0.7  # as related as an O*NET Related Occupation ranked 7
# the management occupation whose O*NET text is nearest the source's in words (Medical and Health
# Services Managers for Registered Nurses, Food Service Managers for cooks): the manager of the
# source's field, as related as an O*NET Related Occupation ranked 9 (decision 0154)
FIELD_MANAGER_CLOSENESS = 0.6
FIELD_MANAGER_MIN = 0.015  # word cosine below which no manager's text is about the same field
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
    step_up: bool = False  # a management or first-line supervisor role of this line of work


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
        onet[i]
        for i in order[:MANAGER_POOL]
        if tax.occupations[onet[i]].code.startswith("11-")
        or "Managers" in tax.occupations[onet[i]].label  # Information Technology Project Managers
    }
    # and the first-line supervisors of the same line of work: SOC files them as minor group 1 of
    # each major group from 31 on (35-1011 Chefs and Head Cooks for 35-2014 Cooks, Restaurant)
    supervisors = {
        onet[i] for i in order[:MANAGER_POOL] if _supervises(tax.occupations[onet[i]], source)
    }
    field_mgr = _field_manager(tax, courses, source)
    if field_mgr is not None:
        managers.add(field_mgr[0])
    picked += sorted(
        x for x in related | managers | supervisors if x not in picked and x in tax.occupations
    )
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
    src_edu, _src_from = education(tax, source.id)
    rows = []
    for oid in dict.fromkeys(picked):
        occ = tax.occupations[oid]
        if "All Other" in occ.label:
            continue  # a residual SOC category ("Computer Occupations, All Other") is not a role
        if level(oid) < base - STEP_DOWN:
            continue  # a step down is not a next role (it would always look "feasible")
        zone = tax.job_zone(oid)
        if zone is not None and src_zone is not None and zone < src_zone:
            continue  # nor is a role that needs less preparation (an RN is not advised to be an LPN)
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
    curated: set[str] = set()  # on O*NET's lists for this move (either direction) or its supervisor
    related_rank = {o: int(r) for o, _k, r in tax.related(source.id, "related") if r is not None}
    back_rank = {
        occ.id: int(r)
        for occ, *_ in rows
        for o, _k, r in tax.related(occ.id, "related")
        if o == source.id and r is not None
    }
    for occ, gap, hours, cost, uncovered in rows:
        rank = changers.get(occ.id)
        rel = related_rank.get(occ.id)
        sim = sim_of.get(occ.id, 0.0)
        # the curated lists, either direction (Computer and Information Systems Managers list
        # Software Developers first; the developers' own list does not name their managers)
        back = back_rank.get(occ.id)
        closeness = max(
            (11 - rank) / 10 if rank else 0.0,
            (21 - rel) / 20 if rel else 0.0,
            0.8 * (21 - back) / 20 if back else 0.0,
            SUPERVISOR_CLOSENESS if _supervises(occ, source) else 0.0,
            FIELD_MANAGER_CLOSENESS if field_mgr and occ.id == field_mgr[0] else 0.0,
        )
        if closeness > 0:
            curated.add(occ.id)
        # O*NET's own relatedness lists (Career Changers, Related Occupations) are curated moves:
        # they weigh most; then how little there is to learn, how similar the work is, and hours
        s = (
            W_GAP * (1 - gap.total / max_d)
            + W_HOURS * (1 - (hours if hours is not None else max_h) / max_h)
            + W_SIMILAR * max(sim, 0.0)
            + W_RELATED * closeness
        )
        reasons = [f"skill profile {sim:.0%} similar to {source.label}"]
        if rank:
            reasons.append(
                f"O*NET Career Changers: rank {rank} of related occupations for {source.label}"
            )
        elif _supervises(occ, source):
            reasons.append(
                f"a step up in your line of work: SOC files it as supervising {source.label}'s group"
            )
        elif field_mgr and occ.id == field_mgr[0] and closeness == FIELD_MANAGER_CLOSENESS:
            reasons.append(
                "manages work like yours: of the management occupations, O*NET's text for it is "
                f"the nearest in words to that of {source.label} (shared: {', '.join(field_mgr[1])})"
            )
        elif back and 0.8 * (21 - back) / 20 >= ((21 - rel) / 20 if rel else 0.0):
            reasons.append(
                f"O*NET Related Occupations: {occ.label} lists {source.label} as #{back} of its own"
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
        edu, edu_from = education(tax, occ.id)
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
                f"a formal route: most workers have at least {_article(_short(edu[1]))} ({edu_from}), about "
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
                (occ.id in managers and not source.code.startswith("11-"))
                or _supervises(occ, source),
            )
        )
    out.sort(key=lambda r: (-r.score, r.occupation.id))
    # a coach shows a way up, not only sideways: at least one in five suggestions is a step up
    # (a manager or first-line supervisor of this work) when one on O*NET's lists for this move
    # qualifies (not any manager: "Gambling Managers" is no way up for a customer service rep)
    top = out[:n]
    want = max(1, n // 5) - sum(r.step_up for r in top)
    if want > 0:
        ups = [r for r in out[n:] if r.step_up and r.occupation.id in curated][:want]
        lateral = [r for r in top if not r.step_up]
        drop = {id(r) for r in lateral[len(lateral) - len(ups) :]} if ups else set()
        top = sorted([r for r in top if id(r) not in drop] + ups, key=lambda r: -r.score)
    return top


def education(tax: Taxonomy, occupation_id: str) -> tuple[tuple[int, str] | None, str]:
    """The education half the workers have at least, and where that figure comes from.

    158 current O*NET occupations have no education survey (Software Developers, Emergency Medicine
    Physicians...). Their siblings do: the median over the occupations of the same SOC broad group
    (``29-121``), else minor group (``29-12``), with the same Job Zone; else the education the Job
    Zone's reference names. The source is said, so an estimate is never passed off as a survey.
    """
    own = tax.preparation(occupation_id).median("education")
    if own:
        return own, "O*NET"
    occ = tax.occupations.get(occupation_id)
    zone = tax.job_zone(occupation_id)
    if occ is None or not occ.code:
        return None, ""
    for width, what in ((6, "broad group"), (5, "minor group")):
        prefix = occ.code[:width]
        cats = sorted(
            m[0]
            for o in tax.occupations.values()
            if o.taxonomy == "onet"
            and o.id != occupation_id
            and o.code.startswith(prefix)
            and (zone is None or tax.job_zone(o.id) == zone)
            and (m := tax.preparation(o.id).median("education"))
        )
        if cats:
            cat = cats[len(cats) // 2]
            desc = tax.category_label("2.D.1", "RL", cat)
            return (cat, desc), f"O*NET, estimated from related occupations of the same SOC {what}"
    if zone in ZONE_EDUCATION:
        cat = ZONE_EDUCATION[zone]
        desc = tax.category_label("2.D.1", "RL", cat)
        return (cat, desc), f"O*NET Job Zone {zone}"
    return None, ""


def _field_manager(
    tax: Taxonomy, courses: Sequence[Any], source: Occupation
) -> tuple[str, list[str]] | None:
    """The management occupation (SOC 11-) whose O*NET text (title, description, alternate titles;
    the relevance model's TF-IDF) is nearest the source's, and the words they share most, or None
    when none is near (``FIELD_MANAGER_MIN``) or there is no catalogue to index."""
    if not courses or source.taxonomy != "onet" or (source.code or "").startswith("11-"):
        return None
    from skillpath.plan._relevance import _index

    idx = _index(tax, courses, source.taxonomy)
    j = idx.col.get(source.id)
    if j is None:
        return None
    mgrs = [
        (oid, k)
        for oid, k in idx.col.items()
        if (tax.occupations[oid].code or "").startswith("11-")
        and "All Other" not in tax.occupations[oid].label
    ]
    if not mgrs:
        return None
    rows = idx.occ_matrix[[k for _o, k in mgrs]]
    src = idx.occ_matrix[j]
    sims = (rows @ src.T).toarray().ravel()
    best = int(np.argmax(sims))
    if sims[best] < FIELD_MANAGER_MIN:
        return None
    prod = rows[best].multiply(src).toarray().ravel()
    vocab = idx.vec.get_feature_names_out()
    words = [str(vocab[t]) for t in np.argsort(-prod)[:3] if prod[t] > 0]
    return mgrs[best][0], words


def _supervises(occ: Occupation, source: Occupation) -> bool:
    """``occ`` is a first-line supervisor role of ``source``'s SOC major group (31-53)."""
    a, b = occ.code or "", source.code or ""
    return (
        len(a) > 3
        and a[:2] == b[:2]
        and a[:2].isdigit()
        and int(a[:2]) >= 31
        and a[3] == "1"
        and b[3:4] != "1"
    )


def _article(phrase: str) -> str:
    """'an Associate's Degree', 'a Bachelor's Degree'."""
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


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
