"""Credentials received from others: verify, then keep them (with an evidence item) in the store.

A credential's verification outcome is stored with it (``pf_credential.verification``, decision
0073). Only credentials that verify count: :func:`counts_as_verified` is what stacking and
issuing a badge from a credential item ask.
"""

from __future__ import annotations

import uuid
from typing import Any

from skillpath.errors import InputError, IntegrityError, NotVerifiedError, SkillpathError
from skillpath.portfolio._credentials import credential_row
from skillpath.portfolio._evidence import _item_row, now_iso
from skillpath.portfolio._model import CredentialRecord, EvidenceItem, SkillClaim
from skillpath.portfolio._verify import StatusLookup, VerificationReport, verify_badge
from skillpath.store import Store
from skillpath.store.models.portfolio import CredentialRow

__all__ = [
    "counts_as_verified",
    "import_badge",
    "not_verified_error",
    "store_status",
    "verification_states",
]


def not_verified_error(report: VerificationReport, what: str, *, then: str = "") -> SkillpathError:
    """The error for a report that is not ``verified``: exit 2 unreadable, 1 invalid, 3 unchecked.

    ``what`` names the input (a file) in the message, which quotes the failed checks; ``then``
    is appended (what the user can do).
    """
    problems = "; ".join(report.problems(4)) or report.status
    if report.outcome == "unreadable":
        return InputError(f"not a readable badge: {problems}{then}", file=what)
    if report.outcome == "invalid":
        return IntegrityError(
            f"{what}: the credential is not valid ({report.status}): {problems}{then}"
        )
    return NotVerifiedError(f"{what}: the credential could not be verified fully: {problems}{then}")


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
    store: Store,
    report: VerificationReport,
    *,
    visibility: str = "private",
    force: bool = False,
    source: str = "the badge",
) -> CredentialRecord:
    """Keep a verified credential: a ``received`` credential row plus an evidence item of kind credential.

    The verification outcome is stored with both; with ``force`` a credential that did not verify
    is kept marked so (it never stacks nor backs a badge).

    Raises:
        InputError: unreadable (even with ``force``), or already stored.
        IntegrityError: it did not verify (without ``force``).
        NotVerifiedError: it could not be verified fully offline (without ``force``).
    """
    if report.outcome == "unreadable" or report.credential is None:
        raise not_verified_error(report, source)
    if report.outcome != "verified" and not force:
        raise not_verified_error(
            report,
            source,
            then=f". Not imported: to keep it anyway, marked '{report.outcome}' (it will not "
            "stack or back a badge), use --force",
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
            "verification": report.outcome,
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
        row = credential_row(rec)
        row.verification = report.outcome
        s.add(row)
    return rec


def verification_states(store: Store) -> dict[str, str | None]:
    """Credential id -> the stored verification outcome (None: recorded before it was stored)."""
    from sqlalchemy import select

    with store.session() as s:
        return dict(s.execute(select(CredentialRow.id, CredentialRow.verification)).tuples().all())


def counts_as_verified(
    store: Store, rec: CredentialRecord, *, stored: str | None = None
) -> tuple[bool, str]:
    """Whether a kept credential counts (stacking, backing a badge), and why, re-verifying it now.

    It counts when it verifies now; or when it was verified on import (with the key or list given
    then) and now only lacks what is offline. Revoked, expired, altered or never-verified ones
    do not count.
    """
    r = verify_badge(rec.raw, status=store_status(store))
    if r.outcome == "verified":
        return True, "verified"
    if r.outcome == "unchecked" and stored == "verified":
        return True, "verified on import; now not fully checkable offline"
    problems = "; ".join(r.problems(2)) or r.status
    if stored not in (None, "verified"):
        return False, f"imported unverified ({stored}); now {r.outcome}: {problems}"
    return False, f"{r.outcome}: {problems}"
