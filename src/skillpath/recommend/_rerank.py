"""Re-ranking: filters, taken courses out, MMR diversity over skills, prerequisites first."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Filters", "mmr_rerank", "passes"]


@dataclass(frozen=True)
class Filters:
    """Optional hard filters on courses (None / False: no filter)."""

    free: bool = False
    max_hours: float | None = None
    provider: str | None = None
    language: str | None = None


def passes(course: object, filters: Filters) -> bool:
    """Whether a course passes the filters; unknown fields pass except where a value is required.

    ``free`` needs ``is_free`` true or a price of 0; ``max_hours`` drops courses whose known hours
    exceed it (unknown hours pass); provider compares case-insensitively; language by ISO code,
    names or codes alike (``catalog._language.reads_language``; unknown passes).
    """
    if filters.free:
        is_free = getattr(course, "is_free", None)
        price = getattr(course, "price", None)
        if not (is_free is True or (is_free is None and price == 0)):
            return False
    if filters.max_hours is not None:
        hours = getattr(course, "hours", None)
        if hours is not None and hours > filters.max_hours:
            return False
    if (
        filters.provider
        and str(getattr(course, "provider", "")).lower() != filters.provider.lower()
    ):
        return False
    if filters.language:
        from skillpath.catalog._language import reads_language

        if not reads_language(getattr(course, "language", None), [filters.language]):
            return False
    return True


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def mmr_rerank(
    scored: Sequence[tuple[str, float]],
    *,
    k: int,
    skills: Mapping[str, Collection[str]] | None = None,
    prerequisites: Mapping[str, Collection[str]] | None = None,
    taken: Collection[str] = (),
    diversity: float = 0.3,
) -> list[tuple[str, float]]:
    """Pick k courses greedily by maximal marginal relevance, prerequisites before their courses.

    At each step a course is eligible when each of its course prerequisites is taken, already
    picked, or unknown to the candidate list (a prerequisite we cannot recommend cannot block).
    Among eligible courses the one maximising ``(1 - diversity) * score - diversity * max
    Jaccard(skills, picked skills)`` is chosen (scores are min-max scaled first). Taken courses
    never appear. Ties go to the higher original score, then to the earlier candidate, so the
    result is deterministic.

    Returns:
        (course id, original score) pairs in the new order.
    """
    taken_set = set(taken)
    cands = [(c, s) for c, s in scored if c not in taken_set]
    seen: set[str] = set()
    uniq = []
    for c, s in cands:
        if c not in seen:
            seen.add(c)
            uniq.append((c, s))
    if not uniq:
        return []
    lo = min(s for _, s in uniq)
    hi = max(s for _, s in uniq)
    span = hi - lo or 1.0
    norm = {c: (s - lo) / span for c, s in uniq}
    orig = dict(uniq)
    sk = {c: frozenset((skills or {}).get(c, ())) for c, _ in uniq}
    pre = {c: set((prerequisites or {}).get(c, ())) for c, _ in uniq}
    in_list = set(orig)
    picked: list[str] = []
    remaining = [c for c, _ in uniq]
    while remaining and len(picked) < k:
        done = taken_set | set(picked)
        eligible = [c for c in remaining if all(p in done or p not in in_list for p in pre[c])]
        if not eligible:
            eligible = remaining  # a prerequisite cycle: fall back to score order
        best, best_v = None, float("-inf")
        for c in eligible:
            # without diversity the redundancy term is 0: skip its O(picked) Jaccards (the
            # planner asks for 300 courses at diversity 0: that loop was 96 % of a re-plan)
            red = max((_jaccard(sk[c], sk[p]) for p in picked), default=0.0) if diversity else 0.0
            v = (1.0 - diversity) * norm[c] - diversity * red
            # scaling can round two different tiny scores to one value: the higher score wins
            if v > best_v or (v == best_v and best is not None and orig[c] > orig[best]):
                best, best_v = c, v
        assert best is not None
        picked.append(best)
        remaining.remove(best)
    return [(c, orig[c]) for c in picked]
