"""Tables of the portfolio domain: evidence items, attachments, issuers, keys, credentials.

Everything the learner owns is here, so that ``skillpath portfolio export`` can carry it away
losslessly. Identifiers are UUIDs (items) or the credential's own ``id`` (``urn:uuid:...``).
"""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skillpath.store._base import Base


class EvidenceRow(Base):
    """One piece of evidence: a completion, assessment, artefact, feedback or credential."""

    __tablename__ = "pf_item"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    visibility: Mapped[str] = mapped_column(String(8), default="private", index=True)
    shared_with: Mapped[list] = mapped_column(JSON, default=list)
    # [{"skill_id": str|None, "label": str, "level": float|None, "bloom": str|None}]
    skills: Mapped[list] = mapped_column(JSON, default=list)
    attachments: Mapped[list] = mapped_column(JSON, default=list)  # sha256 hex digests
    occurred_at: Mapped[str] = mapped_column(String(40), index=True)
    created_at: Mapped[str] = mapped_column(String(40))
    # kind-specific details: score/max_score/passed, reviewed_by, source, credential_id, ...
    meta: Mapped[dict] = mapped_column(JSON, default=dict)


class BlobRow(Base):
    """A content-addressed attachment (the bytes live in ``<home>/attachments/ab/cdef...``)."""

    __tablename__ = "pf_blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(Text, default="")


class IssuerRow(Base):
    """A local issuer profile (OB 3.0 ``Profile``); credentials name it by the DID of its current key."""

    __tablename__ = "pf_issuer"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    email: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[str] = mapped_column(String(40))
    is_default: Mapped[int] = mapped_column(Integer, default=0)


class KeyRow(Base):
    """An Ed25519 key of an issuer profile; retired keys are kept to verify older credentials."""

    __tablename__ = "pf_key"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # verification method id
    issuer_id: Mapped[str] = mapped_column(String(200), ForeignKey("pf_issuer.id"), index=True)
    controller: Mapped[str] = mapped_column(String(200))  # did:key of this key
    public_multibase: Mapped[str] = mapped_column(String(100))
    private_pem: Mapped[str | None] = mapped_column(Text, nullable=True)  # None: verify-only
    key_file: Mapped[str | None] = mapped_column(Text, nullable=True)  # private key kept in a file
    created_at: Mapped[str] = mapped_column(String(40))
    retired_at: Mapped[str | None] = mapped_column(String(40), nullable=True)


class CredentialRow(Base):
    """A credential issued here or received from elsewhere, stored verbatim (``raw``)."""

    __tablename__ = "pf_credential"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    direction: Mapped[str] = mapped_column(String(8))  # issued | received
    format: Mapped[str] = mapped_column(String(16))  # ob3-ldp | ob3-jwt | ob2-hosted | ob2-signed
    name: Mapped[str] = mapped_column(Text)
    issuer_id: Mapped[str] = mapped_column(Text)
    issuer_name: Mapped[str] = mapped_column(Text, default="")
    achievement_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    item_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    evidence_ids: Mapped[list] = mapped_column(JSON, default=list)
    skills: Mapped[list] = mapped_column(JSON, default=list)
    issued_at: Mapped[str] = mapped_column(String(40))
    valid_until: Mapped[str | None] = mapped_column(String(40), nullable=True)
    revoked_at: Mapped[str | None] = mapped_column(String(40), nullable=True)
    revocation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    visibility: Mapped[str] = mapped_column(String(8), default="private")
    raw: Mapped[str] = mapped_column(Text)
    # outcome of the last verification: verified | invalid | unchecked (None: never recorded)
    verification: Mapped[str | None] = mapped_column(String(16), nullable=True)
