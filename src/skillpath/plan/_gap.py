"""Gap analysis: the target occupation's requirements against the learner's estimated levels.

The gap is stated in the target's own terms (decision 0062): its rated skills and knowledge areas,
its technologies and tools weighted by how much *this* occupation relies on them (Hot Technology,
In Demand, the share of its examples in the same class, how specific the tool is to few
occupations), its detailed work activities, and the ESCO essential/optional skills of the ESCO
occupations crosswalked to it, when those relations are loaded. Generic basic and transversal
skills (Active Listening, Coordination, Time Management...) stay in the gap but take the
``practice`` route: practice with feedback and mentoring closes them, not a course, unless a course
is about exactly that skill.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from skillpath.plan._model import GapSkill, LearnerGap
from skillpath.taxonomy import Occupation, Taxonomy, is_generic_skill

MIN_IMPORTANCE = 2.5  # O*NET importance below this (1-5) is not worth planning for
MIN_NEED = 0.5  # levels; smaller differences are within the noise of O*NET ratings (SE 0.1-0.3)
TECH_LEVEL = 3.0  # "working knowledge" for technologies and ESCO skills, which carry no level
MAX_TECH = 5  # technologies of the target to plan for at most (the ones the target relies on most)
MAX_TOOLS = 2  # specialised tools (used by few occupations) of the target
#: UNSPSC segments of general-purpose equipment (43 computers and networks, 44 office machines,
#: 45 printing, photographic and audio-visual equipment, 52 domestic and consumer electronics)
#: and the SOC major groups whose work that equipment is (computer and engineering occupations,
#: arts and media, repairers): for the rest a scanner, an office printer or a video-conference
#: camera is not something to learn for the role (decision 0166)
OFFICE_EQUIPMENT: dict[str, frozenset[str]] = {
    "43": frozenset({"15", "17", "49"}),
    "44": frozenset({"49"}),
    "45": frozenset({"27", "49"}),
    "52": frozenset({"27", "49"}),
}
#: SOC major groups whose work is not done with specialised equipment (management, business and
#: financial, community and social service, legal, education, sales, office and administrative
#: support): what O*NET lists as their tools is what is on the desk, so no tool enters their gap;
#: their work is learnt through knowledge, software and work activities (decision 0166)
DESK_GROUPS = frozenset({"11", "13", "21", "23", "25", "41", "43"})
MAX_ACTIVITIES = 4  # detailed work activities of the target that the learner's role does not have
MAX_ESCO = 6  # ESCO skills of crosswalked occupations
TECH_WEIGHT = (
    0.3  # a technology at full target weight counts like a rated skill of importance 2.2/5
)
ACTIVITY_WEIGHT = 0.35
ACTIVITY_PRIOR = 1.0  # a work activity the learner's role does not include: little practice yet
GENERIC_FACTOR = 0.6  # generic skills rank below domain skills of the same weight and need
DEFAULT_SD = 1.0  # uncertainty when a level comes from nowhere better than a default
PRIOR_SD = 1.2  # uncertainty of the population prior for a skill the CV says nothing about

is_generic = is_generic_skill


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def technology_weights(
    tax: Taxonomy, occupation_id: str, relation: str = "technology"
) -> dict[str, tuple[float, str]]:
    """How much an occupation relies on each of its technologies (or tools), in [0, 1], and why.

    Hot Technology (+0.25) and In Demand in job postings (+0.3) are O*NET's own flags; the share of
    the occupation's examples in the same commodity class (+0.2, relative to its largest class)
    says the kind of tool is central to the job; specificity (+0.25: 1 - log n / log N over the n
    occupations that list it) keeps Microsoft Office, which nearly every occupation lists, from
    being every gap's first technology.
    """
    reqs = [r for r in tax.requirements(occupation_id) if r.relation == relation]
    if not reqs:
        return {}
    n_occ = max(
        2,
        sum(1 for o in tax.occupations.values() if o.taxonomy == "onet" and o.status == "current"),
    )
    classes = Counter(tax.skills[r.skill_id].parent_id for r in reqs if r.skill_id in tax.skills)
    top_class = max(classes.values())
    out: dict[str, tuple[float, str]] = {}
    for r in reqs:
        sk = tax.skills.get(r.skill_id)
        if sk is None:
            continue
        n = max(1, len(tax.occupations_requiring(r.skill_id)))
        spec = max(0.0, 1 - math.log(n) / math.log(n_occ))
        share = classes[sk.parent_id] / top_class
        w = 0.25 * r.hot + 0.3 * r.in_demand + 0.2 * share + 0.25 * spec
        flags = [
            f
            for f, on in (("a Hot Technology", r.hot), ("in demand in job postings", r.in_demand))
            if on
        ]
        why = (", ".join(flags) + "; " if flags else "") + (
            f"{classes[sk.parent_id]} of its {len(reqs)} listed examples are {sk.description or 'of this kind'}; "
            f"listed for {n} occupations"
        )
        out[r.skill_id] = (round(w, 3), why)
    return out


def analyse_gap(
    tax: Taxonomy,
    target: Occupation,
    levels: Mapping[str, float],
    sds: Mapping[str, float] | None = None,
    *,
    kinds: frozenset[str] = frozenset({"skill", "knowledge"}),
    max_tech: int = MAX_TECH,
    current: Occupation | None = None,
) -> LearnerGap:
    """The prioritised skill gap of a learner (``levels`` by skill id) for ``target``.

    A rated requirement is a gap when the learner is more than ``MIN_NEED`` below the required
    level; its priority is importance weight x levels to gain x the probability that the gap is
    real given the uncertainty of the estimate (``sds``). Technologies and specialised tools of the
    target are weighted by the target (:func:`technology_weights`); detailed work activities of the
    target that ``current`` (the learner's occupation) does not include, and ESCO essential and
    optional skills of crosswalked ESCO occupations, are added at a working level.
    """
    sds = sds or {}
    prior = tax.median_levels()
    n_onet = sum(
        1 for o in tax.occupations.values() if o.taxonomy == "onet" and o.status == "current"
    )
    items: list[GapSkill] = []
    met: list[str] = []
    tech: list[GapSkill] = []
    tools: list[GapSkill] = []
    tech_w = technology_weights(tax, target.id)
    tool_w = technology_weights(tax, target.id, "tool")
    esco_seen: set[str] = set()
    for r in tax.requirements(target.id):
        sk = tax.skills.get(r.skill_id)
        if sk is None:
            continue
        known = r.skill_id in levels
        if known:
            cur, sd = float(levels[r.skill_id]), float(sds.get(r.skill_id, 0.5))
        elif r.relation == "rated":
            cur, sd = prior.get(r.skill_id, 0.0), PRIOR_SD
        else:
            cur, sd = 0.0, DEFAULT_SD
        if r.relation == "rated" and sk.kind in kinds:
            if (
                r.level is None
                or r.importance is None
                or r.importance < MIN_IMPORTANCE
                or r.not_relevant
            ):
                continue
            need = r.level - cur
            if need <= MIN_NEED:
                met.append(sk.label)
                continue
            w = (r.importance - 1) / 4
            p = _phi(need / max(sd, 0.05))
            generic = is_generic(r.skill_id)
            what = "knowledge area" if sk.kind == "knowledge" else "skill"
            reasons: tuple[str, ...] = (
                f"{target.label} needs the {what} {sk.label} at level {r.level:.1f}/7 "
                f"(importance {r.importance:.1f}/5)",
                f"you are at {cur:.1f} ± {sd:.1f}"
                + ("" if known else " (no evidence yet: a typical worker's level)"),
            )
            if generic:
                reasons += (
                    "a skill every job uses: built by practice with feedback and mentoring, "
                    "not by a course",
                )
            # importance counts twice in the priority: what the job is mostly about comes first
            prio = w * w * need * p * (GENERIC_FACTOR if generic else 1.0)
            items.append(
                GapSkill(
                    r.skill_id,
                    sk.label,
                    sk.kind,
                    round(cur, 2),
                    round(sd, 2),
                    r.level,
                    r.importance,
                    round(w, 3),
                    round(need, 2),
                    round(p, 3),
                    round(prio, 3),
                    "rated",
                    False,
                    reasons,
                    "practice" if generic else "course",
                )
            )
        elif r.relation in ("technology", "tool"):
            popularity = len(tax.occupations_requiring(r.skill_id))
            if not known:
                # a tool most occupations use (Excel, Word) is probably known a little: the share of
                # occupations using it scales the prior, so niche tools keep their full gap
                cur = round(TECH_LEVEL * min(1.0, popularity / max(n_onet, 1)), 2)
                sd = PRIOR_SD
            need = TECH_LEVEL - cur
            if need <= MIN_NEED:
                if r.hot or r.in_demand:
                    met.append(sk.label)
                continue
            tw, why = (tech_w if r.relation == "technology" else tool_w).get(r.skill_id, (0.0, ""))
            if r.relation == "tool" and (
                popularity > 0.05 * n_onet or is_office_equipment(sk, target)
            ):
                continue  # desktop computers, telephones: not what makes the role
            w = round(TECH_WEIGHT * tw, 3)
            if w <= 0:
                continue
            is_tool = r.relation == "tool"
            g = GapSkill(
                r.skill_id,
                sk.label,
                sk.kind,
                round(cur, 2),
                round(sd, 2),
                TECH_LEVEL,
                None,
                w,
                round(need, 2),
                1.0,
                round(w * need, 3),
                r.relation,
                r.hot,
                (
                    f"{'a tool' if is_tool else 'a technology'} of {target.label}: {why}",
                    f"you are at {cur:.1f} ± {sd:.1f}"
                    + ("" if known else " (no evidence yet: from how common it is)"),
                ),
                "practice" if is_tool else "course",
                r.in_demand,
            )
            (tools if is_tool else tech).append(g)
        elif r.relation in ("essential", "optional"):
            esco_seen.add(r.skill_id)
            g2 = _esco_item(tax, target, r.skill_id, r.relation, cur, sd, levels, met)
            if g2:
                items.append(g2)
    items.extend(_crosswalk_esco(tax, target, levels, met, esco_seen))
    # the technologies this occupation relies on most (not the most common ones overall)
    tech.sort(key=lambda g: (-g.priority, g.label))
    tools.sort(key=lambda g: (-g.priority, g.label))
    items.extend(tech[:max_tech])
    items.extend(tools[:MAX_TOOLS])
    items.extend(_activities(tax, target, levels, current))
    items.sort(key=lambda g: (-g.priority, g.label))
    items = _distinct_labels(_in_this_role(tax, target, items))
    notes = []
    donor = tax.rating_donor(target.id)
    if donor:
        d = tax.occupations[donor]
        notes.append(
            f"{target.label} has no skill ratings in this O*NET release; using those of {d.label} ({d.code})"
        )
    return LearnerGap(
        target.id, target.label, target.code, tuple(items), tuple(sorted(met)), tuple(notes)
    )


def is_office_equipment(tool: Any, target: Occupation) -> bool:
    """Whether ``tool`` (an O*NET tool, its class a UNSPSC commodity) is, for ``target``, equipment
    on a desk rather than an instrument of its work: any tool of a :data:`DESK_GROUPS` occupation,
    and general-purpose office, computing or audio-visual equipment outside the occupations whose
    work it is (:data:`OFFICE_EQUIPMENT`)."""
    if target.code[:2] in DESK_GROUPS:
        return True
    cls = str(getattr(tool, "parent_id", "") or "").removeprefix("onet-class:")
    trades = OFFICE_EQUIPMENT.get(cls[:2]) if cls[:2].isdigit() else None
    return trades is not None and target.code[:2] not in trades


_KIND_WORD = {"knowledge": "knowledge area", "skill": "skill", "ability": "ability"}


def _distinct_labels(items: list[GapSkill]) -> list[GapSkill]:
    """O*NET names a Knowledge area and a Skill alike ("Mathematics"): say which is which, so a
    gap never lists the same name twice."""
    from dataclasses import replace

    counts = Counter(g.label.casefold() for g in items)
    return [
        replace(g, label=f"{g.label} ({_KIND_WORD.get(g.kind, g.kind)})")
        if counts[g.label.casefold()] > 1
        else g
        for g in items
    ]


def _esco_item(
    tax: Taxonomy,
    target: Occupation,
    skill_id: str,
    relation: str,
    cur: float,
    sd: float,
    levels: Mapping[str, float],
    met: list[str],
    via: str = "",
) -> GapSkill | None:
    sk = tax.skills[skill_id]
    need = TECH_LEVEL - cur
    if need <= MIN_NEED:
        met.append(sk.label)
        return None
    w = 1.0 if relation == "essential" else 0.4
    src = f"ESCO lists {sk.label} as {relation} for {via or target.label}"
    return GapSkill(
        skill_id,
        sk.label,
        sk.kind,
        round(cur, 2),
        round(sd, 2),
        TECH_LEVEL,
        None,
        w,
        round(need, 2),
        1.0,
        round(w * need, 3),
        relation,
        False,
        (src,),
    )


def _crosswalk_esco(
    tax: Taxonomy, target: Occupation, levels: Mapping[str, float], met: list[str], seen: set[str]
) -> list[GapSkill]:
    """ESCO essential/optional skills of the ESCO occupations crosswalked to an O*NET target."""
    if target.taxonomy != "onet":
        return []
    links = sorted(tax.related(target.id, "crosswalk"), key=lambda r: -(r[2] or 0))
    out: list[GapSkill] = []
    for esco_id, _k, _conf in links[:3]:
        esco = tax.occupations.get(esco_id)
        if esco is None:
            continue
        for r in tax.own_requirements(esco_id):
            if (
                r.relation not in ("essential", "optional")
                or r.skill_id in seen
                or r.skill_id not in tax.skills
            ):
                continue
            seen.add(r.skill_id)
            known = r.skill_id in levels
            cur = float(levels[r.skill_id]) if known else 0.0
            g = _esco_item(
                tax,
                target,
                r.skill_id,
                r.relation,
                cur,
                0.5 if known else DEFAULT_SD,
                levels,
                met,
                via=f"{esco.label} (ESCO, crosswalked to {target.label})",
            )
            if g:
                out.append(g)
    out.sort(key=lambda g: (-g.priority, g.label))
    return out[:MAX_ESCO]


def _activities(
    tax: Taxonomy, target: Occupation, levels: Mapping[str, float], current: Occupation | None
) -> list[GapSkill]:
    """The target's detailed work activities (most task statements first) that the learner's
    current occupation does not include: closed by doing them, with feedback."""
    have = {d for d, _t in tax.activities(current.id)} if current is not None else set()
    out = []
    tasks = {t.id: t.text for t in tax.tasks(target.id)}
    for dwa, task_ids in tax.activities(target.id):
        if dwa in have or dwa in levels or dwa not in tax.skills:
            continue
        sk = tax.skills[dwa]
        need = TECH_LEVEL - ACTIVITY_PRIOR
        example = next((tasks[t] for t in task_ids if t in tasks), "")
        reasons = (
            f"a detailed work activity of {target.label} ({len(task_ids)} of its task statements)"
            + (f", e.g. '{example}'" if example else ""),
            "not part of your current role: learnt by doing it, with feedback",
        )
        out.append(
            GapSkill(
                dwa,
                sk.label,
                "activity",
                ACTIVITY_PRIOR,
                DEFAULT_SD,
                TECH_LEVEL,
                None,
                ACTIVITY_WEIGHT,
                need,
                1.0,
                round(ACTIVITY_WEIGHT * need * GENERIC_FACTOR, 3),
                "activity",
                False,
                reasons,
                "practice",
            )
        )
        if len(out) >= MAX_ACTIVITIES:
            break
    return out


def _in_this_role(tax: Taxonomy, target: Occupation, items: list[GapSkill]) -> list[GapSkill]:
    """Say what each rated skill or knowledge area means in the target: the task statement of the
    target that exercises it best (the gap in the target's own words)."""
    from dataclasses import replace

    from skillpath.plan._tasks import match_tasks

    rated = tuple(g for g in items if g.relation == "rated")
    if not rated:
        return items
    best = match_tasks(tax, target, rated)
    out = []
    for g in items:
        picks = best.get(g.skill_id) if g.relation == "rated" else None
        out.append(replace(g, reasons=(*g.reasons, f"in this role: '{picks[0]}'")) if picks else g)
    return out


def occupation_levels(
    tax: Taxonomy, occupation: Occupation
) -> tuple[dict[str, float], dict[str, float]]:
    """Skill levels of someone who works in ``occupation`` (its O*NET levels; technologies, tools
    and work activities at a working level 3).

    Used when a learner is described by a role rather than a CV.
    """
    levels: dict[str, float] = {}
    sds: dict[str, float] = {}
    for r in tax.requirements(occupation.id):
        if r.relation == "rated" and r.level is not None:
            levels[r.skill_id] = r.level
            sds[r.skill_id] = 0.7
        elif r.relation in ("technology", "tool", "essential"):
            levels[r.skill_id] = TECH_LEVEL
            sds[r.skill_id] = 1.0
    for dwa, _t in tax.activities(occupation.id):
        levels[dwa] = TECH_LEVEL
        sds[dwa] = 1.0
    return levels, sds
