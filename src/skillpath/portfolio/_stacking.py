"""Stacking: rules that combine credentials from any issuers into a larger one (decision 0057).

A rule (JSON)::

    {"name": "Data Analyst certificate",
     "requires": [{"achievement": "SQL basics"}, {"skill": "onet:2.A.2.b"},
                  {"any_of": [{"achievement": "Python I"}, {"achievement": "R I"}]}],
     "min_evidence_weight": 0.4}

Each requirement must be met by a distinct *valid* credential (verified, any issuer) whose
achievement name/id or aligned skill matches, and that credential must be backed by portfolio
evidence weighing at least ``min_evidence_weight`` (so badges collected for show do not stack).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillpath._safejson import read_json
from skillpath.errors import InputError
from skillpath.portfolio._integrity import credential_weight
from skillpath.portfolio._model import CredentialRecord, Portfolio

__all__ = ["StackResult", "StackRule", "evaluate_stack", "load_stack_rule"]


@dataclass(frozen=True)
class StackRule:
    """A stacking rule: ``requires`` is a list of requirement objects (see the module docstring)."""

    name: str
    requires: tuple[Mapping[str, Any], ...]
    description: str = ""
    min_evidence_weight: float = 0.3
    achievement_type: str = "Certificate"


@dataclass(frozen=True)
class StackResult:
    """Whether a rule is met: ``matched`` maps requirement index to credential id; ``missing`` explains gaps."""

    rule: StackRule
    satisfied: bool
    matched: Mapping[int, str]
    missing: tuple[str, ...]


def load_stack_rule(path: str | Path) -> StackRule:
    """Read a rule from JSON. Raises :class:`InputError` for a malformed rule."""
    p = Path(path)
    d = read_json(p, what="the stacking rule")
    if (
        not isinstance(d, dict)
        or not d.get("name")
        or not isinstance(d.get("requires"), list)
        or not d["requires"]
    ):
        raise InputError("a rule needs a name and a non-empty 'requires' list", file=p)
    for i, r in enumerate(d["requires"], 1):
        _check_req(r, p, i)
    return StackRule(
        name=d["name"],
        requires=tuple(d["requires"]),
        description=d.get("description", ""),
        min_evidence_weight=float(d.get("min_evidence_weight", 0.3)),
        achievement_type=d.get("achievement_type", "Certificate"),
    )


def _check_req(r: Any, p: Path | None, i: int) -> None:
    if not isinstance(r, dict) or len(set(r) & {"achievement", "skill", "any_of"}) != 1:
        raise InputError(
            "each requirement is {achievement: ...}, {skill: ...} or {any_of: [...]}", file=p, row=i
        )
    if "any_of" in r:
        for sub in r["any_of"]:
            _check_req(sub, p, i)


def _matches(req: Mapping[str, Any], c: CredentialRecord) -> bool:
    if "any_of" in req:
        return any(_matches(sub, c) for sub in req["any_of"])
    if "achievement" in req:
        want = str(req["achievement"]).strip().lower()
        return want in {c.name.lower(), (c.achievement_id or "").lower()}
    want = str(req["skill"]).strip().lower()
    return any(want in {(s.skill_id or "").lower(), s.label.lower()} for s in c.skills)


def _describe(req: Mapping[str, Any]) -> str:
    if "any_of" in req:
        return "one of (" + ", ".join(_describe(s) for s in req["any_of"]) + ")"
    return f"{'achievement' if 'achievement' in req else 'skill'} {next(iter(req.values()))!r}"


def evaluate_stack(
    rule: StackRule, portfolio: Portfolio, *, valid_ids: Sequence[str] | None = None
) -> StackResult:
    """Match each requirement to a distinct credential that is valid, unrevoked and backed by evidence.

    Args:
        valid_ids: ids of credentials that passed verification (None: every unrevoked credential).
    """
    pool = [
        c
        for c in portfolio.credentials
        if c.revoked_at is None and (valid_ids is None or c.id in set(valid_ids))
    ]
    used: set[str] = set()
    matched: dict[int, str] = {}
    missing: list[str] = []
    # Requirements with fewer candidates first, so that a greedy match is less likely to block another.
    order = sorted(
        range(len(rule.requires)), key=lambda i: sum(_matches(rule.requires[i], c) for c in pool)
    )
    for i in order:
        req = rule.requires[i]
        cands = [c for c in pool if c.id not in used and _matches(req, c)]
        backed = [c for c in cands if credential_weight(c, portfolio) >= rule.min_evidence_weight]
        if backed:
            best = max(backed, key=lambda c: credential_weight(c, portfolio))
            matched[i] = best.id
            used.add(best.id)
        elif cands:
            missing.append(
                f"{_describe(req)}: credential(s) found but not backed by evidence weighing "
                f">= {rule.min_evidence_weight:g}"
            )
        else:
            missing.append(f"{_describe(req)}: no valid credential")
    return StackResult(rule=rule, satisfied=not missing, matched=matched, missing=tuple(missing))
