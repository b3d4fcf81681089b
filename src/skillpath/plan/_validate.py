"""An independent validator of a plan's hard constraints (used by tests and the benchmark).

It recomputes everything from the plan's blocks and items, without the optimiser's or the
scheduler's code: prerequisites finish in an earlier week than their dependants start, no week
holds more than the hours budget, each item is scheduled for exactly its hours, the money cap
holds, the total hours fit in hours/week x weeks when a deadline is set, and a portfolio project
on a Knowledge area comes with a course credited for it (decision 0145).
"""

from __future__ import annotations

from collections import defaultdict

from skillpath.plan._model import Plan


def validate(plan: Plan) -> list[str]:
    """Every violated constraint, in words (empty when the plan is valid)."""
    errors: list[str] = []
    req = plan.request
    per_week: dict[int, float] = defaultdict(float)
    per_item: dict[str, float] = defaultdict(float)
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for b in plan.blocks:
        per_week[b.week] += b.hours
        per_item[b.item_id] += b.hours
        first[b.item_id] = min(first.get(b.item_id, b.week), b.week)
        last[b.item_id] = max(last.get(b.item_id, b.week), b.week)
    for w, h in per_week.items():
        if h > req.hours_per_week + 1e-6:
            errors.append(f"week {w + 1} holds {h:.2f} h, over the {req.hours_per_week:g} h budget")
    ids = {i.id for i in plan.items}
    for it in plan.items:
        if abs(per_item.get(it.id, 0.0) - it.hours) > 1e-6:
            errors.append(
                f"{it.id} is scheduled for {per_item.get(it.id, 0.0):.2f} h, not its {it.hours:g} h"
            )
        for p in it.prerequisites:
            if p not in ids:
                errors.append(f"{it.id} needs {p}, which is not in the plan")
            elif it.id in first and p in last and not last[p] < first[it.id]:
                errors.append(
                    f"{it.id} starts in week {first[it.id] + 1} before its prerequisite {p} ends "
                    f"(week {last[p] + 1})"
                )
    for bid in per_item:
        if bid not in ids:
            errors.append(f"a block schedules {bid}, which is not a plan item")
    if req.budget is not None and plan.total_cost > req.budget + 1e-6:
        errors.append(f"the plan costs {plan.total_cost:.2f}, over the budget of {req.budget:.2f}")
    if req.weeks is not None and plan.total_hours > req.hours_per_week * req.weeks + 1e-6:
        errors.append(
            f"{plan.total_hours:.2f} h do not fit in {req.weeks} weeks x {req.hours_per_week:g} h"
        )
    knowledge = {
        g.skill_id for g in plan.gap.skills if g.kind == "knowledge" and g.route == "course"
    }
    studied = {
        cv.skill_id for i in plan.items if i.kind == "course" for cv in i.covers if cv.gain > 0
    }
    for it in plan.items:
        if it.kind == "task" and it.stage == "create":
            for cv in it.covers:
                if cv.skill_id in knowledge and cv.skill_id not in studied:
                    errors.append(
                        f"{it.id} builds on the Knowledge area {cv.skill_id} with no course for it"
                    )
    if req.free_only and any(i.cost > 0 for i in plan.items):
        errors.append("a paid item in a free-only plan")
    if req.max_item_hours is not None and any(
        i.kind == "course" and i.hours > req.max_item_hours + 1e-9 for i in plan.items
    ):
        errors.append("a course longer than the maximum hours per item")
    return errors
