"""The development plan: gap analysis, an exact optimiser (HiGHS), practice tasks, a weekly schedule.

Typical use::

    learner = learner_from_cv(tax, Path("cv.json"))          # or learner_from_role(tax, "nurse")
    plan = make_plan(tax, load_catalog(store), learner, "nurse manager", PlanRequest(hours_per_week=5))
    print(to_markdown(plan))

See docs/plan.md for the model, the JSON schema and the exports.
"""

from skillpath.plan._api import Learner, learner_from_cv, learner_from_role, make_plan
from skillpath.plan._build import build_plan, check_request
from skillpath.plan._export import (
    JSON_SCHEMA_VERSION,
    items_in_order,
    to_dict,
    to_html,
    to_ics,
    to_json,
    to_markdown,
    to_text,
)
from skillpath.plan._gap import analyse_gap, occupation_levels
from skillpath.plan._model import (
    STAGES,
    Block,
    Checkpoint,
    Coverage,
    GapSkill,
    LearnerGap,
    Plan,
    PlanItem,
    PlanRequest,
    SolverInfo,
)
from skillpath.plan._paths import NextRole, next_roles
from skillpath.plan._validate import validate

__all__ = [
    "JSON_SCHEMA_VERSION",
    "STAGES",
    "Block",
    "Checkpoint",
    "Coverage",
    "GapSkill",
    "Learner",
    "LearnerGap",
    "NextRole",
    "Plan",
    "PlanItem",
    "PlanRequest",
    "SolverInfo",
    "analyse_gap",
    "build_plan",
    "check_request",
    "items_in_order",
    "learner_from_cv",
    "learner_from_role",
    "make_plan",
    "next_roles",
    "occupation_levels",
    "to_dict",
    "to_html",
    "to_ics",
    "to_json",
    "to_markdown",
    "to_text",
    "validate",
]
