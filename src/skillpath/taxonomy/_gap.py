"""The skill gap between two occupations (the first useful answer before a CV is read)."""

from __future__ import annotations

from dataclasses import dataclass

from skillpath.taxonomy._model import Occupation
from skillpath.taxonomy._taxonomy import Taxonomy

# O*NET: a rated requirement with importance below this is not worth closing first.
MIN_IMPORTANCE = 2.5


@dataclass(frozen=True, slots=True)
class GapItem:
    """One skill the target needs more of.

    Attributes:
        current: level in the source occupation (0-7), 0 when it does not use the skill.
        required: level the target needs (0-7); for technologies and ESCO relations, None.
        importance: O*NET importance (1-5) of the skill in the target.
        weight: importance normalised to [0, 1] ((IM - 1) / 4).
        gap: ``(required - current) * weight`` for rated skills; ``weight`` for technologies.
    """

    skill_id: str
    label: str
    kind: str
    current: float
    required: float | None
    importance: float | None
    weight: float
    gap: float
    hot: bool = False
    relation: str = "rated"


@dataclass(frozen=True, slots=True)
class Gap:
    """What moving from one occupation to another takes."""

    source: Occupation
    target: Occupation
    skills: tuple[GapItem, ...]
    technologies: tuple[GapItem, ...]
    shared: int  # rated skills where the source already meets the target level
    notes: tuple[str, ...] = ()  # e.g. ratings borrowed from a close occupation

    @property
    def total(self) -> float:
        """Importance-weighted sum of level differences over rated skills."""
        return round(sum(i.gap for i in self.skills), 3)


def occupation_gap(
    tax: Taxonomy,
    source: Occupation,
    target: Occupation,
    *,
    kinds: frozenset[str] = frozenset({"skill", "knowledge"}),
) -> Gap:
    """Skills where ``target`` needs a higher level than ``source``, weighted by importance.

    Also lists the technologies the target uses that the source does not (Hot Technologies first)
    and ESCO essential skills of the target missing from the source.
    """
    src = {r.skill_id: r for r in tax.requirements(source.id)}
    items: list[GapItem] = []
    tech: list[GapItem] = []
    shared = 0
    for r in tax.requirements(target.id):
        sk = tax.skills.get(r.skill_id)
        if sk is None:
            continue
        if r.relation == "rated" and sk.kind in kinds:
            if r.level is None or r.importance is None or r.importance < MIN_IMPORTANCE:
                continue
            cur = (
                src[r.skill_id].level
                if r.skill_id in src and src[r.skill_id].level is not None
                else 0.0
            )
            assert cur is not None
            w = (r.importance - 1) / 4
            if r.level - cur > 0.05:
                items.append(
                    GapItem(
                        r.skill_id,
                        sk.label,
                        sk.kind,
                        round(cur, 2),
                        r.level,
                        r.importance,
                        round(w, 3),
                        round((r.level - cur) * w, 3),
                    )
                )
            else:
                shared += 1
        elif r.relation == "technology" and r.skill_id not in src:
            tech.append(
                GapItem(
                    r.skill_id,
                    sk.label,
                    sk.kind,
                    0.0,
                    None,
                    None,
                    1.0 if r.hot else 0.5,
                    1.0 if r.hot else 0.5,
                    hot=r.hot,
                    relation="technology",
                )
            )
        elif r.relation in ("essential", "optional") and r.skill_id not in src:
            w = 1.0 if r.relation == "essential" else 0.4
            items.append(
                GapItem(r.skill_id, sk.label, sk.kind, 0.0, None, None, w, w, relation=r.relation)
            )
    items.sort(key=lambda i: (-i.gap, i.label))
    tech.sort(key=lambda i: (not i.hot, i.label.lower()))
    notes = []
    for occ in (source, target):
        donor = tax.rating_donor(occ.id)
        if donor:
            notes.append(
                f"{occ.label} has no skill ratings in this O*NET release; using those of "
                f"{tax.occupations[donor].label} ({tax.occupations[donor].code})"
            )
    return Gap(source, target, tuple(items), tuple(tech), shared, tuple(notes))
