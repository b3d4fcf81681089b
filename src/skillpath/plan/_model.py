"""Value objects of the plan: the learner's gap, plan items, the weekly schedule, the plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

STAGES: tuple[str, ...] = ("learn", "practise", "apply", "create")
BLOOM_OF_STAGE = {
    "learn": "remember/understand",
    "practise": "apply",
    "apply": "analyse/evaluate",
    "create": "create",
}


@dataclass(frozen=True, slots=True)
class GapSkill:
    """One skill the learner needs more of for the target role.

    Attributes:
        current: the learner's estimated level (0-7); ``sd`` its uncertainty.
        required: the level the target role needs (O*NET level; 3.0 for technologies/ESCO skills).
        weight: importance normalised to [0, 1].
        need: ``required - current`` (levels to gain, > 0).
        probability: how sure we are the gap is real, P(true level < required).
        priority: ``weight * need * probability``: what to close first (generic skills x 0.6).
        reasons: why this skill is in the gap, in words.
        route: ``course`` (a course can teach it) or ``practice`` (generic skills, tools and work
            activities: closed by practice with feedback and mentoring; a course counts only when
            it is about exactly this skill).
        in_demand: an O*NET In Demand technology of the target.
    """

    skill_id: str
    label: str
    kind: str
    current: float
    sd: float
    required: float
    importance: float | None
    weight: float
    need: float
    probability: float
    priority: float
    relation: str = "rated"
    hot: bool = False
    reasons: tuple[str, ...] = ()
    route: str = "course"
    in_demand: bool = False


@dataclass(frozen=True, slots=True)
class LearnerGap:
    """The prioritised gap between a learner and a target occupation."""

    target_id: str
    target_label: str
    target_code: str
    skills: tuple[GapSkill, ...]
    met: tuple[str, ...] = ()  # labels of required skills already met
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        """Importance-weighted levels to gain, over all gap skills."""
        return round(sum(s.weight * s.need for s in self.skills), 3)


@dataclass(frozen=True, slots=True)
class Coverage:
    """How one plan item moves one gap skill: from level ``start`` to ``end``."""

    skill_id: str
    label: str
    gain: float
    level: float  # the level this item reaches for the skill


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A feedback point: who reviews, with which rubric."""

    reviewer: str  # mentor | peer | self
    rubric: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanItem:
    """A course or a practice task chosen for the plan.

    Attributes:
        id: ``course:<course id>`` or ``task:<stage>:<skill id>``.
        kind: ``course`` or ``task``.
        stage: ``learn``, ``practise``, ``apply`` or ``create`` (Bloom: understand -> create).
        covers: the gap skills it moves, with the gain credited.
        prerequisites: ids of plan items that must come first.
        deliverable/checkpoint: for tasks, what to hand in and who gives feedback.
        reasons: why it is in the plan.
    """

    id: str
    kind: str
    stage: str
    title: str
    hours: float
    cost: float = 0.0
    currency: str = "USD"
    provider: str = ""
    url: str = ""
    covers: tuple[Coverage, ...] = ()
    prerequisites: tuple[str, ...] = ()
    deliverable: str = ""
    checkpoint: Checkpoint | None = None
    reasons: tuple[str, ...] = ()
    rating: float | None = None
    source_task: str = ""

    @property
    def bloom(self) -> str:
        """The Bloom stage this item reaches."""
        return BLOOM_OF_STAGE[self.stage]


@dataclass(frozen=True, slots=True)
class Block:
    """Hours of one item studied in one week."""

    week: int  # 0-based
    item_id: str
    hours: float


@dataclass(frozen=True, slots=True)
class SolverInfo:
    """What the optimiser reports: status, objective and optimality gap."""

    status: str  # optimal | feasible | infeasible | empty
    mode: str  # cover (close everything at least cost) | budget (close most within budget)
    objective: str  # hours | cost | mix
    objective_value: float
    mip_gap: float
    seconds: float
    candidates: int


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """The learner's constraints and preferences (a typed config; round-trips to JSON)."""

    hours_per_week: float = 5.0
    weeks: int | None = None
    budget: float | None = None
    free_only: bool = False
    providers: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    max_item_hours: float | None = None
    objective: str = "value"  # value (decision 0064) | hours | cost | mix
    start: dt.date | None = None
    hourly_value: float = 20.0  # money per hour, for objective "mix"
    focus: int = (
        12  # plan for the highest-priority gap skills; the rest are deferred to a next plan
    )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["start"] = self.start.isoformat() if self.start else None
        d["providers"] = list(self.providers)
        d["languages"] = list(self.languages)
        return d


@dataclass(frozen=True)
class Plan:
    """A development plan: the gap, the chosen items, the weekly schedule, and solver facts."""

    learner: str
    gap: LearnerGap
    request: PlanRequest
    items: tuple[PlanItem, ...]
    blocks: tuple[Block, ...]
    solver: SolverInfo
    start: dt.date
    uncovered: tuple[tuple[str, str, str], ...] = ()  # (skill id, label, reason)
    warnings: tuple[str, ...] = ()
    milestones: tuple[tuple[int, str], ...] = ()  # (week, text)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def total_hours(self) -> float:
        """Hours of all items."""
        return round(sum(i.hours for i in self.items), 2)

    @property
    def total_cost(self) -> float:
        """Money of all items."""
        return round(sum(i.cost for i in self.items), 2)

    @property
    def weeks(self) -> int:
        """Number of weeks the schedule spans."""
        return (max(b.week for b in self.blocks) + 1) if self.blocks else 0

    def item(self, item_id: str) -> PlanItem:
        """The item with this id."""
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)
