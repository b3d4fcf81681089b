"""Credentials received from others: verify, then keep them (with an evidence item) in the store."""

from __future__ import annotations

import uuid
from typing import Any

from skillpath.errors import InputError
from skillpath.portfolio._credentials import credential_row
from skillpath.portfolio._evidence import _item_row, now_iso
from skillpath.portfolio._model import CredentialRecord, EvidenceItem, SkillClaim
from skillpath.portfolio._verify import StatusLookup, VerificationReport
from skillpath.store import Store
from skillpath.store.models.portfolio import CredentialRow

__all__ = ["import_badge", "store_status"]


def store_status(store: Store) -> StatusLookup:
    """A revocation lookup backed by this store (credentials issued or imported here)."""

    def lookup(credential_id: str) -> tuple[bool, str | None] | None:
        with store.session() as s:
            row = s.get(CredentialRow, credential_id)
            if row is None or row.direction != "issued":
                return None
            return (row.revoked_at is not None, row.revocation_reason)

    return lookup


def _skills(cred: dict[str, Any], fmt: str) -> tuple[SkillClaim, ...]:
    if fmt.startswith("ob3"):
        ach = (cred.get("credentialSubject") or {}).get("achievement") or {}
        aligns = ach.get("alignment") or []
    else:
        badge = cred.get("badge") if isinstance(cred.get("badge"), dict) else {}
        aligns = badge.get("alignment") or []  # type: ignore[union-attr]
    out = []
    for a in aligns if isinstance(aligns, list) else []:
        if isinstance(a, dict) and a.get("targetName"):
            out.append(SkillClaim(label=str(a["targetName"]), skill_id=a.get("targetCode")))
    return tuple(out)


def import_badge(
    store: Store, report: VerificationReport, *, visibility: str = "private", force: bool = False
) -> CredentialRecord:
    """Keep a verified credential: a ``received`` credential row plus an evidence item of kind credential.

    Raises:
        InputError: the report is not valid (unless ``force``), or the credential is already stored.
    """
    if not report.valid and not force:
        raise InputError(
            f"the credential did not verify ({report.error_count} error(s)): see `skillpath badge verify`"
        )
    cred = report.credential or {}
    cid = report.credential_id or f"urn:uuid:{uuid.uuid4()}"
    item_id = str(uuid.uuid4())
    now = now_iso()
    skills = _skills(cred, report.format)
    item = EvidenceItem(
        id=item_id,
        kind="credential",
        title=report.name or "Badge",
        occurred_at=report.valid_from or now,
        created_at=now,
        visibility=visibility,
        skills=skills,
        meta={
            "credential_id": cid,
            "issuer": report.issuer_name or report.issuer_id,
            "format": report.format,
            "verified_status": report.status,
        },
    )
    if item.occurred_at and not item.occurred_at.endswith("Z"):
        item = EvidenceItem(**{**item.__dict__, "occurred_at": now})
    rec = CredentialRecord(
        id=cid,
        direction="received",
        format=report.format,
        name=report.name or "Badge",
        issuer_id=report.issuer_id or "",
        issuer_name=report.issuer_name or "",
        item_id=item_id,
        skills=skills,
        issued_at=report.valid_from or now,
        valid_until=report.valid_until,
        visibility=visibility,
        raw=report.raw,
        achievement_id=((cred.get("credentialSubject") or {}).get("achievement") or {}).get("id")
        if report.format.startswith("ob3")
        else (cred.get("badge") if isinstance(cred.get("badge"), str) else None),
    )
    with store.session() as s:
        if s.get(CredentialRow, cid) is not None:
            raise InputError("this credential is already in the portfolio", value=cid)
        s.add(_item_row(item))
        s.add(credential_row(rec))
    return rec
