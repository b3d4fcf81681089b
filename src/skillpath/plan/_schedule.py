"""The weekly schedule: items in prerequisite order, within hours per week, practice spaced after learning."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from skillpath.plan._model import Block, PlanItem


def schedule(
    items: Sequence[PlanItem], hours_per_week: float, priority: Mapping[str, float]
) -> tuple[list[Block], dict[str, int]]:
    """Lay items out week by week.

    An item starts only in a week after all its prerequisites finished (so practice is spaced at
    least one week after the learning it builds on), and no week holds more than
    ``hours_per_week``. Among available items the highest-priority one is studied first, so a
    learner focuses on one thing at a time and spills over into the next week.

    Returns:
        The blocks, and the week each item finishes.
    """
    if hours_per_week <= 0:
        raise ValueError("hours_per_week must be positive")
    stage_rank = {"learn": 0, "practise": 1, "apply": 2, "create": 3}
    order = sorted(items, key=lambda i: (-priority.get(i.id, 0.0), stage_rank[i.stage], i.id))
    remaining = {i.id: float(i.hours) for i in items}
    prereqs = {i.id: tuple(p for p in i.prerequisites if p in remaining) for i in items}
    finish: dict[str, int] = {}
    blocks: list[Block] = []
    week = 0
    while remaining:
        budget = hours_per_week
        progressed = False
        for it in order:
            if it.id not in remaining or budget <= 1e-9:
                continue
            if not all(p in finish and finish[p] < week for p in prereqs[it.id]):
                continue
            alloc = min(remaining[it.id], budget)
            if alloc <= 1e-9:
                continue
            blocks.append(Block(week, it.id, alloc))
            remaining[it.id] -= alloc
            budget -= alloc
            progressed = True
            if remaining[it.id] <= 1e-9:
                # the last block takes exactly what is left, so the blocks add up to the item's hours
                blocks[-1] = Block(week, it.id, alloc + remaining[it.id])
                finish[it.id] = week
                del remaining[it.id]
        if not progressed and not any(
            all(p in finish for p in prereqs[i]) for i in remaining
        ):  # a prerequisite cycle: cannot happen with catalogue data, but never loop forever
            raise ValueError(f"prerequisite cycle among {sorted(remaining)}")
        week += 1
        if week > 10_000:
            raise ValueError("schedule does not terminate")
    return blocks, finish
