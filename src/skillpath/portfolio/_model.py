"""Value objects of the portfolio: evidence items, skill claims, attachments, credentials, flags."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "BLOOM_STAGES",
    "EVIDENCE_KINDS",
    "VISIBILITIES",
    "Attachment",
    "CredentialRecord",
    "EvidenceItem",
    "Flag",
    "Portfolio",
    "SkillClaim",
]

#: Bloom's revised taxonomy, lowest to highest.
BLOOM_STAGES = ("remember", "understand", "apply", "analyze", "evaluate", "create")
#: Kinds of evidence an item can be.
EVIDENCE_KINDS = ("completion", "assessment", "artefact", "feedback", "credential")
#: Who may see an item: only the owner, named people, everyone (the public site).
VISIBILITIES = ("private", "shared", "public")


@dataclass(frozen=True)
class SkillClaim:
    """A skill an item shows.

    Attributes:
        label: the skill as written (free text or the taxonomy label).
        skill_id: the taxonomy skill id when the text was linked, else None.
        level: the level shown, on the O*NET 0-7 scale, if known.
        bloom: the Bloom stage shown (one of :data:`BLOOM_STAGES`), if known.
    """

    label: str
    skill_id: str | None = None
    level: float | None = None
    bloom: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "skill_id": self.skill_id,
            "label": self.label,
            "level": self.level,
            "bloom": self.bloom,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SkillClaim:
        """Inverse of :meth:`to_dict`."""
        return cls(
            label=d["label"], skill_id=d.get("skill_id"), level=d.get("level"), bloom=d.get("bloom")
        )


@dataclass(frozen=True)
class Attachment:
    """A content-addressed file: its SHA-256, checked media type, size and original name."""

    sha256: str
    media_type: str
    size: int
    filename: str = ""


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence in the portfolio.

    Attributes:
        id: a UUID.
        kind: one of :data:`EVIDENCE_KINDS`.
        skills: the skills it shows, with level and Bloom stage.
        attachments: SHA-256 digests of attached files.
        visibility: one of :data:`VISIBILITIES`; ``shared_with`` names the people for ``shared``.
        occurred_at / created_at: ISO 8601 UTC timestamps.
        meta: kind-specific details (``score``, ``max_score``, ``passed``, ``reviewed_by``,
            ``provider``, ``credential_id`` ...).
    """

    id: str
    kind: str
    title: str
    occurred_at: str
    created_at: str
    description: str = ""
    url: str | None = None
    visibility: str = "private"
    shared_with: tuple[str, ...] = ()
    skills: tuple[SkillClaim, ...] = ()
    attachments: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CredentialRecord:
    """A credential kept in the portfolio (issued here or received), with its verbatim ``raw`` text."""

    id: str
    direction: str
    format: str
    name: str
    issuer_id: str
    issued_at: str
    raw: str
    issuer_name: str = ""
    achievement_id: str | None = None
    item_id: str | None = None
    evidence_ids: tuple[str, ...] = ()
    skills: tuple[SkillClaim, ...] = ()
    valid_until: str | None = None
    revoked_at: str | None = None
    revocation_reason: str | None = None
    visibility: str = "private"


@dataclass(frozen=True)
class Flag:
    """An implausible pattern found in a portfolio.

    Attributes:
        code: ``completion_burst`` | ``badge_without_evidence`` | ``unbacked_credential`` |
            ``duplicate_attachment``.
        severity: ``warning`` or ``info``.
        item_ids: the items (or credential ids) involved.
        message: a sentence for people.
    """

    code: str
    severity: Literal["warning", "info"]
    item_ids: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Portfolio:
    """Everything a learner owns, as loaded from the store."""

    items: tuple[EvidenceItem, ...] = ()
    credentials: tuple[CredentialRecord, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    def item(self, item_id: str) -> EvidenceItem | None:
        """The item with this id, or None."""
        return next((i for i in self.items if i.id == item_id), None)
