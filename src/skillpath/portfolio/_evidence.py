"""Evidence items in the store: add, list, show, share; loading the whole portfolio."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from skillpath.errors import InputError, NotFoundError
from skillpath.links import check_url
from skillpath.portfolio._attachments import BlobStore
from skillpath.portfolio._model import (
    BLOOM_STAGES,
    EVIDENCE_KINDS,
    VISIBILITIES,
    Attachment,
    CredentialRecord,
    EvidenceItem,
    Portfolio,
    SkillClaim,
)
from skillpath.store import Store
from skillpath.store.models.portfolio import BlobRow, CredentialRow, EvidenceRow

__all__ = [
    "add_evidence",
    "get_item",
    "list_items",
    "load_portfolio",
    "now_iso",
    "resolve_skill",
    "share_item",
]

#: A linked skill must score at least this much, else the free text is kept (decision 0050).
LINK_MIN_SCORE = 0.75


def now_iso() -> str:
    """The current UTC time, ISO 8601 with second precision and ``Z``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse_time(value: str, column: str) -> str:
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError("not an ISO 8601 date/time", column=column, value=value) from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def resolve_skill(
    store: Store | None, text: str, *, level: float | None = None, bloom: str | None = None
) -> SkillClaim:
    """Link free text to a taxonomy skill when a taxonomy is imported; else keep the text.

    Never fails for a missing taxonomy or text package: the free-text name is kept.

    Raises:
        InputError: empty text, a level outside 0-7 or an unknown Bloom stage.
    """
    label = text.strip()
    if not label:
        raise InputError("a skill name cannot be empty", column="skill")
    if level is not None and not 0 <= level <= 7:
        raise InputError("level must be between 0 and 7 (O*NET scale)", column="level", value=level)
    if bloom is not None and bloom not in BLOOM_STAGES:
        raise InputError(
            f"Bloom stage must be one of {', '.join(BLOOM_STAGES)}", column="bloom", value=bloom
        )
    skill_id = None
    if store is not None:
        try:
            from skillpath.taxonomy import Taxonomy
            from skillpath.text import skill_linker

            tax = Taxonomy.load(store)
            if tax.skills:
                hits = skill_linker(tax).link(label, top_k=1)
                if hits and hits[0].score >= LINK_MIN_SCORE:
                    skill_id, label = hits[0].id, hits[0].label
        except Exception:  # no taxonomy, no text package, or a linker error: keep the free text
            skill_id = None
            label = text.strip()
    return SkillClaim(label=label, skill_id=skill_id, level=level, bloom=bloom)


def _row_to_item(r: EvidenceRow) -> EvidenceItem:
    return EvidenceItem(
        id=r.id,
        kind=r.kind,
        title=r.title,
        description=r.description or "",
        url=r.url,
        visibility=r.visibility,
        shared_with=tuple(r.shared_with or ()),
        skills=tuple(SkillClaim.from_dict(s) for s in r.skills or ()),
        attachments=tuple(r.attachments or ()),
        occurred_at=r.occurred_at,
        created_at=r.created_at,
        meta=dict(r.meta or {}),
    )


def _row_to_credential(r: CredentialRow) -> CredentialRecord:
    return CredentialRecord(
        id=r.id,
        direction=r.direction,
        format=r.format,
        name=r.name,
        issuer_id=r.issuer_id,
        issuer_name=r.issuer_name,
        achievement_id=r.achievement_id,
        item_id=r.item_id,
        evidence_ids=tuple(r.evidence_ids or ()),
        skills=tuple(SkillClaim.from_dict(s) for s in r.skills or ()),
        issued_at=r.issued_at,
        valid_until=r.valid_until,
        revoked_at=r.revoked_at,
        revocation_reason=r.revocation_reason,
        visibility=r.visibility,
        raw=r.raw,
    )


def add_evidence(
    store: Store,
    *,
    kind: str,
    title: str,
    skills: Sequence[SkillClaim | str] = (),
    description: str = "",
    url: str | None = None,
    files: Iterable[str | Path] = (),
    visibility: str = "private",
    shared_with: Sequence[str] = (),
    occurred_at: str | None = None,
    meta: dict[str, Any] | None = None,
    blobs: BlobStore | None = None,
) -> EvidenceItem:
    """Add an evidence item (attachments checked first; nothing is stored if any check fails).

    Args:
        skills: skill claims, or free-text names resolved with :func:`resolve_skill`.
        files: files to attach (content-addressed, size- and type-checked).
        visibility: ``private``, ``shared`` (with ``shared_with`` people) or ``public``.

    Raises:
        InputError: unknown kind or visibility, empty title, an attachment that fails a check.
    """
    if kind not in EVIDENCE_KINDS:
        raise InputError(
            f"kind must be one of {', '.join(EVIDENCE_KINDS)}", column="kind", value=kind
        )
    if visibility not in VISIBILITIES:
        raise InputError(
            f"visibility must be one of {', '.join(VISIBILITIES)}",
            column="visibility",
            value=visibility,
        )
    if not title.strip():
        raise InputError("title cannot be empty", column="title")
    if visibility == "shared" and not shared_with:
        raise InputError(
            "visibility 'shared' needs at least one person to share with", column="shared_with"
        )
    if url is not None:
        check_url(url, column="url", urn=True)
    claims = tuple(s if isinstance(s, SkillClaim) else resolve_skill(store, s) for s in skills)
    blobs = blobs or BlobStore()
    checked: list[tuple[bytes, Attachment]] = []
    for f in files:
        p = Path(f)
        if not p.is_file():
            raise InputError("attachment file not found", file=p)
        if p.stat().st_size > blobs.policy.max_bytes:
            raise InputError(
                f"attachment is {p.stat().st_size:,} bytes; the limit is {blobs.policy.max_bytes:,} bytes",
                file=p,
            )
        data = p.read_bytes()
        checked.append((data, blobs.check(data, p.name, source=p)))
    now = now_iso()
    item = EvidenceItem(
        id=str(uuid.uuid4()),
        kind=kind,
        title=title.strip(),
        description=description,
        url=url,
        visibility=visibility,
        shared_with=tuple(dict.fromkeys(shared_with)),
        skills=claims,
        attachments=tuple(dict.fromkeys(a.sha256 for _, a in checked)),
        occurred_at=_parse_time(occurred_at, "occurred_at") if occurred_at else now,
        created_at=now,
        meta=dict(meta or {}),
    )
    written: list[str] = []
    with blobs.writing(store.url, lambda: blob_digests(store)):
        try:
            with store.session() as s:
                for data, att in checked:
                    if s.get(BlobRow, att.sha256) is None:
                        s.add(
                            BlobRow(
                                sha256=att.sha256,
                                media_type=att.media_type,
                                size=att.size,
                                filename=att.filename,
                            )
                        )
                    if not blobs.path(att.sha256).exists():
                        blobs.put(data, att)
                        written.append(att.sha256)
                s.add(_item_row(item))
        except Exception:
            for sha in written:
                blobs.remove(sha)
            raise
    return item


def blob_digests(store: Store) -> set[str]:
    """The digests of every attachment the store's rows refer to."""
    with store.session() as s:
        return set(s.scalars(select(BlobRow.sha256)))


def _item_row(item: EvidenceItem) -> EvidenceRow:
    return EvidenceRow(
        id=item.id,
        kind=item.kind,
        title=item.title,
        description=item.description,
        url=item.url,
        visibility=item.visibility,
        shared_with=list(item.shared_with),
        skills=[c.to_dict() for c in item.skills],
        attachments=list(item.attachments),
        occurred_at=item.occurred_at,
        created_at=item.created_at,
        meta=dict(item.meta),
    )


def get_item(store: Store, item_id: str) -> EvidenceItem:
    """The item with this id (a unique prefix of at least 6 characters also works).

    Raises:
        NotFoundError: no such item (or the prefix is ambiguous).
    """
    with store.session() as s:
        row = s.get(EvidenceRow, item_id)
        if row is None and len(item_id) >= 6:
            rows = s.scalars(select(EvidenceRow).where(EvidenceRow.id.startswith(item_id))).all()
            row = rows[0] if len(rows) == 1 else None
        if row is None:
            raise NotFoundError(
                "no evidence item with this id: see `skillpath portfolio list`", value=item_id
            )
        return _row_to_item(row)


def list_items(
    store: Store, *, kind: str | None = None, visibility: str | None = None
) -> list[EvidenceItem]:
    """Items, oldest first, optionally filtered by kind and visibility."""
    q = select(EvidenceRow).order_by(EvidenceRow.occurred_at, EvidenceRow.id)
    if kind:
        q = q.where(EvidenceRow.kind == kind)
    if visibility:
        q = q.where(EvidenceRow.visibility == visibility)
    with store.session() as s:
        return [_row_to_item(r) for r in s.scalars(q)]


def share_item(
    store: Store,
    item_id: str,
    *,
    visibility: str | None = None,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> EvidenceItem:
    """Change who sees an item: add/remove named people, or set the visibility.

    Adding people to a private item makes it ``shared``; removing the last person of a shared
    item makes it ``private``. Credentials linked to the item follow its visibility.

    Raises:
        NotFoundError: no such item.
        InputError: unknown visibility, or ``shared`` with nobody to share with.
    """
    if visibility is not None and visibility not in VISIBILITIES:
        raise InputError(
            f"visibility must be one of {', '.join(VISIBILITIES)}",
            column="visibility",
            value=visibility,
        )
    item = get_item(store, item_id)
    people = [p for p in item.shared_with if p not in set(remove)]
    people += [p for p in add if p not in people]
    vis = visibility or item.visibility
    if visibility is None:
        if add and vis == "private":
            vis = "shared"
        if vis == "shared" and not people:
            vis = "private"
    if vis == "shared" and not people:
        raise InputError(
            "visibility 'shared' needs at least one person (--with NAME)", column="shared_with"
        )
    with store.session() as s:
        row = s.get(EvidenceRow, item.id)
        assert row is not None
        row.visibility = vis
        row.shared_with = people
        for c in s.scalars(select(CredentialRow).where(CredentialRow.item_id == item.id)):
            c.visibility = vis
        return _row_to_item(row)


def load_portfolio(store: Store) -> Portfolio:
    """Everything in the portfolio: items, credentials and attachment descriptions."""
    with store.session() as s:
        items = tuple(
            _row_to_item(r)
            for r in s.scalars(
                select(EvidenceRow).order_by(EvidenceRow.occurred_at, EvidenceRow.id)
            )
        )
        creds = tuple(
            _row_to_credential(r)
            for r in s.scalars(
                select(CredentialRow).order_by(CredentialRow.issued_at, CredentialRow.id)
            )
        )
        blobs = tuple(
            Attachment(sha256=r.sha256, media_type=r.media_type, size=r.size, filename=r.filename)
            for r in s.scalars(select(BlobRow).order_by(BlobRow.sha256))
        )
    return Portfolio(items=items, credentials=creds, attachments=blobs)
