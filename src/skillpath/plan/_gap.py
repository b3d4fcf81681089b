"""Gap analysis: the target occupation's requirements against the learner's estimated levels."""

from __future__ import annotations

import math
from collections.abc import Mapping

from skillpath.plan._model import GapSkill, LearnerGap
from skillpath.taxonomy import Occupation, Taxonomy

MIN_IMPORTANCE = 2.5  # O*NET importance below this (1-5) is not worth planning for
MIN_NEED = 0.5  # levels; smaller differences are within the noise of O*NET ratings (SE 0.1-0.3)
TECH_LEVEL = 3.0  # "working knowledge" for technologies and ESCO skills, which carry no level
MAX_TECH = 4  # hot technologies to plan for at most (the most widely used first)
TECH_WEIGHT = 0.3  # a hot technology counts like a rated skill of importance 2.2/5
DEFAULT_SD = 1.0  # uncertainty when a level comes from nowhere better than a default


PRIOR_SD = 1.2  # uncertainty of the population prior for a skill the CV says nothing about


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def analyse_gap(
    tax: Taxonomy,
    target: Occupation,
    levels: Mapping[str, float],
    sds: Mapping[str, float] | None = None,
    *,
    kinds: frozenset[str] = frozenset({"skill", "knowledge"}),
    max_tech: int = MAX_TECH,
) -> LearnerGap:
    """The prioritised skill gap of a learner (``levels`` by skill id) for ``target``.

    A rated requirement is a gap when the learner is more than ``MIN_NEED`` below the required
    level; its priority is importance weight x levels to gain x the probability that the gap is
    real given the uncertainty of the estimate (``sds``). Hot technologies of the target that the
    learner does not know, and ESCO essential skills when loaded, are added at a working level.
    """
    sds = sds or {}
    prior = tax.median_levels()
    n_onet = sum(1 for o in tax.occupations.values() if o.taxonomy == "onet" and o.status == "current")
    items: list[GapSkill] = []
    met: list[str] = []
    tech: list[GapSkill] = []
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
            if r.level is None or r.importance is None or r.importance < MIN_IMPORTANCE or r.not_relevant:
                continue
            need = r.level - cur
            if need <= MIN_NEED:
                met.append(sk.label)
                continue
            w = (r.importance - 1) / 4
            p = _phi(need / max(sd, 0.05))
            reasons = (f"{target.label} needs {sk.label} at level {r.level:.1f}/7 "
                       f"(importance {r.importance:.1f}/5)",
                       f"you are at {cur:.1f} ± {sd:.1f}" + ("" if known else " (no evidence yet: a typical worker's level)"))
            items.append(GapSkill(r.skill_id, sk.label, sk.kind, round(cur, 2), round(sd, 2), r.level,
                                  r.importance, round(w, 3), round(need, 2), round(p, 3), round(w * need * p, 3),
                                  "rated", False, reasons))
        elif r.relation == "technology" and r.hot:
            popularity = len(tax.occupations_requiring(r.skill_id))
            if not known:
                # a tool most occupations use (Excel, Word) is probably known a little: the share of
                # occupations using it scales the prior, so niche tools keep their full gap
                cur = round(TECH_LEVEL * min(1.0, popularity / max(n_onet, 1)), 2)
                sd = PRIOR_SD
            need = TECH_LEVEL - cur
            if need <= MIN_NEED:
                met.append(sk.label)
                continue
            tech.append(GapSkill(r.skill_id, sk.label, sk.kind, round(cur, 2), round(sd, 2), TECH_LEVEL, None,
                                 TECH_WEIGHT, round(need, 2), 1.0, round(TECH_WEIGHT * need, 3), "technology", True,
                                 (f"a Hot Technology for {target.label}, used in {popularity} occupations",
                                  f"you are at {cur:.1f} ± {sd:.1f}" + ("" if known else
                                                                         " (no evidence yet: from how common it is)"))))
        elif r.relation in ("essential", "optional"):
            need = TECH_LEVEL - cur
            if need <= MIN_NEED:
                met.append(sk.label)
                continue
            w = 1.0 if r.relation == "essential" else 0.4
            items.append(GapSkill(r.skill_id, sk.label, sk.kind, round(cur, 2), round(sd, 2), TECH_LEVEL, None,
                                  w, round(need, 2), 1.0, round(w * need, 3), r.relation, False,
                                  (f"ESCO lists {sk.label} as {r.relation} for {target.label}",)))
    # the most widely used hot technologies first: they transfer best
    tech.sort(key=lambda g: (-len(tax.occupations_requiring(g.skill_id)), g.label))
    items.extend(tech[:max_tech])
    items.sort(key=lambda g: (-g.priority, g.label))
    notes = []
    donor = tax.rating_donor(target.id)
    if donor:
        d = tax.occupations[donor]
        notes.append(f"{target.label} has no skill ratings in this O*NET release; using those of {d.label} ({d.code})")
    return LearnerGap(target.id, target.label, target.code, tuple(items), tuple(sorted(met)), tuple(notes))


def occupation_levels(tax: Taxonomy, occupation: Occupation) -> tuple[dict[str, float], dict[str, float]]:
    """Skill levels of someone who works in ``occupation`` (its O*NET levels; technologies at 3).

    Used when a learner is described by a role rather than a CV.
    """
    levels: dict[str, float] = {}
    sds: dict[str, float] = {}
    for r in tax.requirements(occupation.id):
        if r.relation == "rated" and r.level is not None:
            levels[r.skill_id] = r.level
            sds[r.skill_id] = 0.7
        elif r.relation in ("technology", "essential"):
            levels[r.skill_id] = TECH_LEVEL
            sds[r.skill_id] = 1.0
    return levels, sds
