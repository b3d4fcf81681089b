"""The plan pipeline wired once, in one readable place: learner -> gap -> candidates -> optimise -> schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillpath.errors import InputError
from skillpath.plan._build import build_plan
from skillpath.plan._gap import analyse_gap, occupation_levels
from skillpath.plan._model import Plan, PlanRequest
from skillpath.taxonomy import Occupation, Taxonomy


@dataclass(frozen=True)
class Learner:
    """Where a learner stands: a label, levels and uncertainty by skill id, current occupation."""

    label: str
    levels: dict[str, float]
    sds: dict[str, float]
    current: Occupation | None
    evidence: dict[str, tuple[str, ...]]


def learner_from_role(tax: Taxonomy, role: str) -> Learner:
    """A learner described by the occupation they hold (its O*NET levels)."""
    occ = tax.get_occupation(role)
    levels, sds = occupation_levels(tax, occ)
    return Learner(label=f"a {occ.label.rstrip('s')}" if occ.label.endswith("s") else occ.label,
                   levels=levels, sds=sds, current=occ, evidence={})


def learner_from_cv(tax: Taxonomy, cv: Path, *, today: dt.date | None = None) -> Learner:
    """A learner read from a CV (JSON Resume, LinkedIn export, PDF, DOCX, text)."""
    from skillpath.profile import infer_profile, read_cv

    profile = read_cv(cv)
    state = infer_profile(profile, tax, today=today)
    cur = state.current_occupation
    occ = tax.occupations.get(cur.occupation_id) if cur else None
    return Learner(label=profile.name or cv.stem, levels=dict(state.levels), sds=dict(state.sds), current=occ,
                   evidence={e.skill_id: e.evidence for e in state.estimates})


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
            raise InputError("--target current needs a current role, and none was recognised in the CV; "
                             "name the target role instead", value=target)
        occ = learner.current
    else:
        occ = tax.get_occupation(target)
    gap = analyse_gap(tax, occ, learner.levels, learner.sds)
    plan = build_plan(tax, courses, gap, request, target=occ, levels=learner.levels, learner=learner.label,
                      today=today)
    return plan
