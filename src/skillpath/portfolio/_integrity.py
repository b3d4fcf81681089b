"""Integrity: how much a piece of evidence counts, and implausible patterns (decision 0054).

The weight of evidence grows with what backs it::

    completion alone          0.2
    assessment (recall)       0.35      assessed application (Bloom >= apply, passed)   0.6
    self-declared artefact    0.4 (0.5 with a file or link)
    feedback from a person    0.5
    mentor-reviewed artefact  0.8       mentor-reviewed creation (Bloom = create)       1.0
    credential                the weight of the evidence it cites, at least 0.1

so collecting completions or badges for show counts little next to reviewed work.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from skillpath.portfolio._model import BLOOM_STAGES, CredentialRecord, EvidenceItem, Flag, Portfolio

__all__ = ["credential_weight", "evidence_weight", "integrity_flags", "weighted_evidence"]

#: Discount applied to items caught in an implausible burst.
BURST_DISCOUNT = 0.25


def _top_bloom(item: EvidenceItem) -> int:
    stages = [BLOOM_STAGES.index(c.bloom) for c in item.skills if c.bloom in BLOOM_STAGES]
    return max(stages, default=-1)


def _passed(item: EvidenceItem) -> bool:
    m = item.meta
    if "passed" in m:
        return bool(m["passed"])
    score, top = m.get("score"), m.get("max_score")
    if isinstance(score, int | float) and isinstance(top, int | float) and top > 0:
        return score / top >= 0.5
    return True  # an assessment recorded without a score is taken at face value


def evidence_weight(item: EvidenceItem) -> float:
    """How much one item counts as evidence of its skills, in [0, 1] (see the module docstring)."""
    bloom = _top_bloom(item)
    reviewed = bool(item.meta.get("reviewed_by"))
    backed = bool(item.attachments or item.url)
    if item.kind == "completion":
        return 0.2
    if item.kind == "assessment":
        if not _passed(item):
            return 0.1
        return 0.6 if bloom >= BLOOM_STAGES.index("apply") else 0.35
    if item.kind == "artefact":
        if reviewed:
            return 1.0 if bloom == BLOOM_STAGES.index("create") else 0.8
        return 0.5 if backed else 0.4
    if item.kind == "feedback":
        return 0.5
    if item.kind == "credential":
        return 0.3 if item.meta.get("evidence_ids") else 0.1
    return 0.1


def credential_weight(cred: CredentialRecord, portfolio: Portfolio) -> float:
    """A credential counts as much as the best evidence it cites (at least 0.1)."""
    ids = set(cred.evidence_ids) | ({cred.item_id} if cred.item_id else set())
    weights = [
        evidence_weight(i) for i in portfolio.items if i.id in ids and i.kind != "credential"
    ]
    return max([0.1, *weights])


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def integrity_flags(
    portfolio: Portfolio, *, burst_count: int = 12, burst_hours: float = 6.0
) -> list[Flag]:
    """Implausible patterns in a portfolio.

    Args:
        burst_count: this many completions or more ...
        burst_hours: ... within this many hours is flagged ``completion_burst``.

    Returns:
        Flags, most severe first: ``completion_burst`` (warning), ``badge_without_evidence``
        (warning), ``unbacked_credential`` (info: cites only completions), ``duplicate_attachment``
        (info: one file attached to many unrelated items).
    """
    flags: list[Flag] = []
    completions = sorted(
        (i for i in portfolio.items if i.kind == "completion"), key=lambda i: i.occurred_at
    )
    window = timedelta(hours=burst_hours)
    best: list[EvidenceItem] = []
    start = 0
    for end in range(len(completions)):
        while (
            _parse(completions[end].occurred_at) - _parse(completions[start].occurred_at) > window
        ):
            start += 1
        if end - start + 1 > len(best):
            best = completions[start : end + 1]
    if len(best) >= burst_count:
        flags.append(
            Flag(
                "completion_burst",
                "warning",
                tuple(i.id for i in best),
                f"{len(best)} completions within {burst_hours:g} hours ({best[0].occurred_at} to "
                f"{best[-1].occurred_at}): more than anyone can study; they count for {BURST_DISCOUNT:g} of their weight",
            )
        )
    item_ids = {i.id for i in portfolio.items}
    for c in portfolio.credentials:
        cited = [e for e in c.evidence_ids if e in item_ids]
        linked = portfolio.item(c.item_id) if c.item_id else None
        has_backing = bool(cited) or (
            linked is not None and bool(linked.attachments or linked.meta.get("evidence_ids"))
        )
        if not has_backing:
            flags.append(
                Flag(
                    "badge_without_evidence",
                    "warning",
                    (c.id,),
                    f"credential {c.name!r} cites no evidence in this portfolio",
                )
            )
        elif cited and all(getattr(portfolio.item(e), "kind", None) == "completion" for e in cited):
            flags.append(
                Flag(
                    "unbacked_credential",
                    "info",
                    (c.id,),
                    f"credential {c.name!r} rests on completions only",
                )
            )
    for i in portfolio.items:
        if (
            i.kind == "credential"
            and not i.meta.get("evidence_ids")
            and not i.meta.get("credential_id")
            and not i.attachments
        ):
            flags.append(
                Flag(
                    "badge_without_evidence",
                    "warning",
                    (i.id,),
                    f"badge {i.title!r} has no evidence or credential behind it",
                )
            )
    by_blob: dict[str, list[EvidenceItem]] = defaultdict(list)
    for i in portfolio.items:
        for sha in i.attachments:
            by_blob[sha].append(i)
    for sha, items in sorted(by_blob.items()):
        if len({i.title for i in items}) > 3:
            flags.append(
                Flag(
                    "duplicate_attachment",
                    "info",
                    tuple(i.id for i in items),
                    f"the same file ({sha[:12]}) backs {len(items)} different items",
                )
            )
    order = {"warning": 0, "info": 1}
    return sorted(flags, key=lambda f: order[f.severity])


def weighted_evidence(portfolio: Portfolio, flags: list[Flag] | None = None) -> dict[str, float]:
    """Each item's weight after integrity flags (items in a burst count ``BURST_DISCOUNT`` as much)."""
    flags = integrity_flags(portfolio) if flags is None else flags
    burst = {i for f in flags if f.code == "completion_burst" for i in f.item_ids}
    return {
        i.id: evidence_weight(i) * (BURST_DISCOUNT if i.id in burst else 1.0)
        for i in portfolio.items
    }
