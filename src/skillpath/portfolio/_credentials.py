"""Issuing Open Badges 3.0 credentials for portfolio evidence, revoking them, keeping received ones."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from skillpath.errors import InputError, NotFoundError
from skillpath.portfolio._contexts import CREDENTIALS_V2, OB_V3
from skillpath.portfolio._evidence import get_item, now_iso
from skillpath.portfolio._issuer import IssuerProfile, default_issuer, signing_key
from skillpath.portfolio._jose import sign_jwt
from skillpath.portfolio._ldp import create_proof
from skillpath.portfolio._model import CredentialRecord, EvidenceItem, SkillClaim
from skillpath.store import Store
from skillpath.store.models.portfolio import CredentialRow

__all__ = [
    "IssuedCredential",
    "build_credential",
    "issue_badge",
    "reissue_credential",
    "revoke_credential",
    "skill_alignment",
]

PROOF_FORMATS = ("ldp", "jwt")


@dataclass(frozen=True)
class IssuedCredential:
    """A freshly issued credential: its serialised ``text`` (JSON or compact JWT) and its record."""

    text: str
    record: CredentialRecord


def skill_alignment(claim: SkillClaim) -> dict[str, Any]:
    """An OB 3.0 ``Alignment`` for a skill claim (taxonomy id as ``targetCode``)."""
    sid = claim.skill_id
    if sid and "://" in sid:
        url, framework = sid, "ESCO"
    elif sid:
        url, framework = (
            f"urn:skillpath:skill:{sid}",
            "O*NET" if sid.startswith("onet") else "Skillpath",
        )
    else:
        slug = hashlib.sha256(claim.label.lower().encode()).hexdigest()[:16]
        url, framework = f"urn:skillpath:free-skill:{slug}", "free text"
    out: dict[str, Any] = {
        "type": ["Alignment"],
        "targetName": claim.label,
        "targetUrl": url,
        "targetFramework": framework,
    }
    if sid:
        out["targetCode"] = sid
    if claim.bloom or claim.level is not None:
        parts = [
            f"Bloom: {claim.bloom}" if claim.bloom else "",
            f"level {claim.level:g}/7" if claim.level is not None else "",
        ]
        out["targetDescription"] = "; ".join(p for p in parts if p)
    return out


def _evidence_json(item: EvidenceItem) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "id": item.url or f"urn:uuid:{item.id}",
        "type": ["Evidence"],
        "name": item.title,
        "genre": item.kind,
    }
    if item.description:
        ev["narrative"] = item.description
    return ev


def build_credential(
    *,
    name: str,
    issuer: IssuerProfile,
    items: Sequence[EvidenceItem],
    description: str = "",
    criteria: str = "",
    recipient: str | None = None,
    valid_from: str | None = None,
    valid_until: str | None = None,
    credential_id: str | None = None,
    achievement_type: str | None = None,
    extra_achievement: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An unsigned ``OpenBadgeCredential`` for ``items``, aligned to the skills they show.

    Args:
        recipient: a DID/URI (``credentialSubject.id``) or an e-mail (hashed ``IdentityObject``).
    """
    skills: dict[str, SkillClaim] = {}
    for it in items:
        for c in it.skills:
            skills.setdefault(c.skill_id or c.label.lower(), c)
    achievement: dict[str, Any] = {
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'skillpath-achievement:' + issuer.id + ':' + name)}",
        "type": ["Achievement"],
        "name": name,
        "description": description or f"{name}: shown by {len(items)} piece(s) of evidence.",
        "criteria": {
            "narrative": criteria
            or "Evidence reviewed in the learner's Skillpath portfolio: "
            + "; ".join(i.title for i in items)
        },
    }
    if skills:
        achievement["alignment"] = [skill_alignment(c) for c in skills.values()]
    if achievement_type:
        achievement["achievementType"] = achievement_type
    if extra_achievement:
        achievement.update(extra_achievement)
    subject: dict[str, Any] = {"type": ["AchievementSubject"], "achievement": achievement}
    if (
        recipient
        and "@" in recipient
        and "://" not in recipient
        and not recipient.startswith("did:")
    ):
        salt = uuid.uuid4().hex[:16]
        digest = hashlib.sha256((recipient.strip().lower() + salt).encode()).hexdigest()
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": f"sha256${digest}",
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }
        ]
    elif recipient:
        subject["id"] = recipient
    cred: dict[str, Any] = {
        "@context": [CREDENTIALS_V2, OB_V3],
        "id": credential_id or f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer.profile_json(),
        "validFrom": valid_from or now_iso(),
        "name": name,
        "credentialSubject": subject,
    }
    if valid_until:
        cred["validUntil"] = valid_until
    if items:
        cred["evidence"] = [_evidence_json(i) for i in items]
    return cred


def _record_from(
    cred: dict[str, Any], text: str, fmt: str, items: Sequence[EvidenceItem]
) -> CredentialRecord:
    skills: dict[str, SkillClaim] = {}
    for it in items:
        for c in it.skills:
            skills.setdefault(c.skill_id or c.label.lower(), c)
    issuer = cred["issuer"]
    return CredentialRecord(
        id=cred["id"],
        direction="issued",
        format=fmt,
        name=cred["name"],
        issuer_id=issuer["id"],
        issuer_name=issuer.get("name", ""),
        achievement_id=cred["credentialSubject"]["achievement"]["id"],
        item_id=items[0].id if len(items) == 1 else None,
        evidence_ids=tuple(i.id for i in items),
        skills=tuple(skills.values()),
        issued_at=cred["validFrom"],
        valid_until=cred.get("validUntil"),
        visibility=min(
            (i.visibility for i in items),
            key=("private", "shared", "public").index,
            default="private",
        ),
        raw=text,
    )


def credential_row(rec: CredentialRecord) -> CredentialRow:
    """The stored row of a credential record (issued or received)."""
    return CredentialRow(
        id=rec.id,
        direction=rec.direction,
        format=rec.format,
        name=rec.name,
        issuer_id=rec.issuer_id,
        issuer_name=rec.issuer_name,
        achievement_id=rec.achievement_id,
        item_id=rec.item_id,
        evidence_ids=list(rec.evidence_ids),
        skills=[c.to_dict() for c in rec.skills],
        issued_at=rec.issued_at,
        valid_until=rec.valid_until,
        revoked_at=rec.revoked_at,
        revocation_reason=rec.revocation_reason,
        visibility=rec.visibility,
        raw=rec.raw,
    )


def issue_badge(
    store: Store,
    *,
    evidence: Sequence[str],
    name: str,
    proof: str = "ldp",
    issuer: IssuerProfile | None = None,
    description: str = "",
    recipient: str | None = None,
    valid_days: float | None = None,
    achievement_type: str | None = None,
    extra_achievement: dict[str, Any] | None = None,
) -> IssuedCredential:
    """Issue and store an OB 3.0 credential for evidence items, signed by the local issuer.

    Args:
        evidence: item ids (or unique prefixes) the badge rests on; at least one.
        proof: ``ldp`` (Data Integrity eddsa-rdfc-2022, JSON) or ``jwt`` (VC-JOSE compact JWS).
        valid_days: set ``validUntil`` this many days after now.

    Raises:
        InputError: no evidence, unknown proof format, empty name.
        NotFoundError: an evidence id does not exist.
    """
    if proof not in PROOF_FORMATS:
        raise InputError("proof must be 'ldp' or 'jwt'", column="proof", value=proof)
    if not name.strip():
        raise InputError("badge name cannot be empty", column="name")
    if not evidence:
        raise InputError(
            "a badge needs at least one evidence item (--evidence ID)", column="evidence"
        )
    items = [get_item(store, e) for e in evidence]
    _only_verified_credentials(store, items)
    issuer = issuer or default_issuer(store)
    key = signing_key(store, issuer)
    valid_until = None
    if valid_days is not None:
        until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=valid_days)
        valid_until = until.isoformat().replace("+00:00", "Z")
    cred = build_credential(
        name=name.strip(),
        issuer=issuer,
        items=items,
        description=description,
        recipient=recipient,
        valid_until=valid_until,
        achievement_type=achievement_type,
        extra_achievement=extra_achievement,
    )
    text, fmt = _sign(cred, key, proof)
    rec = _record_from(cred, text, fmt, items)
    with store.session() as s:
        row = credential_row(rec)
        row.verification = "verified"  # signed here, with the published contexts
        s.add(row)
    return IssuedCredential(text=text, record=rec)


def _sign(cred: dict[str, Any], key: Any, proof: str) -> tuple[str, str]:
    if proof == "ldp":
        return json.dumps(create_proof(cred, key), indent=2, ensure_ascii=False), "ob3-ldp"
    return sign_jwt(cred, key), "ob3-jwt"


def _only_verified_credentials(store: Store, items: Sequence[EvidenceItem]) -> None:
    """Refuse credential items that do not rest on a credential that verifies (issue 11)."""
    from sqlalchemy import or_, select

    from skillpath.portfolio._evidence import _row_to_credential
    from skillpath.portfolio._received import counts_as_verified

    for it in items:
        if it.kind != "credential":
            continue
        cid = it.meta.get("credential_id")
        with store.session() as s:
            row = s.scalars(
                select(CredentialRow).where(
                    or_(CredentialRow.item_id == it.id, CredentialRow.id == str(cid or ""))
                )
            ).first()
            rec = _row_to_credential(row) if row is not None else None
            stored = row.verification if row is not None else None
        if rec is None:
            raise InputError(
                f"evidence item {it.id} ({it.title!r}) is a credential with no credential kept "
                "behind it: only verified credentials back a badge; import the badge with "
                "`skillpath badge import FILE`",
                column="evidence",
                value=it.id,
            )
        ok, why = counts_as_verified(store, rec, stored=stored)
        if not ok:
            raise InputError(
                f"evidence item {it.id} ({it.title!r}) rests on a credential that is not "
                f"verified ({why}): only verified credentials back a badge",
                column="evidence",
                value=it.id,
            )


def reissue_credential(
    store: Store, credential_id: str, *, proof: str | None = None
) -> IssuedCredential:
    """Sign a credential issued here again, with the published contexts and the issuer's current key.

    Its id, achievement, subject, evidence and dates are kept; the old text is replaced. Used for
    badges signed with the pre-release OB 3.0 context (decision 0070).

    Raises:
        NotFoundError: no such credential.
        InputError: it was received (only its issuer can re-issue it), revoked, or unreadable.
    """
    from skillpath.portfolio._evidence import _row_to_credential
    from skillpath.portfolio._jose import decode_unverified, is_compact_jws

    with store.session() as s:
        row = s.get(CredentialRow, credential_id)
        if row is None:
            raise NotFoundError("no credential with this id", value=credential_id)
        rec = _row_to_credential(row)
    if rec.direction != "issued":
        raise InputError(
            "only credentials issued here can be re-issued here: ask its issuer to re-issue it",
            value=credential_id,
        )
    if rec.revoked_at is not None:
        raise InputError("this credential is revoked: it is not re-issued", value=credential_id)
    fmt = proof or ("jwt" if rec.format == "ob3-jwt" else "ldp")
    if fmt not in PROOF_FORMATS:
        raise InputError("proof must be 'ldp' or 'jwt'", column="proof", value=fmt)
    text = rec.raw.strip()
    try:
        cred = decode_unverified(text)[1] if is_compact_jws(text) else json.loads(text)
    except (ValueError, InputError) as exc:
        raise InputError(
            f"the stored credential cannot be read: {exc}", value=credential_id
        ) from exc
    if not isinstance(cred, dict):
        raise InputError("the stored credential is not a JSON object", value=credential_id)
    issuer = default_issuer(store)
    cred = {k: v for k, v in cred.items() if k != "proof"}
    cred["@context"] = [CREDENTIALS_V2, OB_V3]
    cred["issuer"] = issuer.profile_json()
    new_text, new_fmt = _sign(cred, signing_key(store, issuer), fmt)
    with store.session() as s:
        row = s.get(CredentialRow, credential_id)
        assert row is not None
        row.raw, row.format, row.verification = new_text, new_fmt, "verified"
        row.issuer_id, row.issuer_name = issuer.did, issuer.name
        rec = _row_to_credential(row)
    return IssuedCredential(text=new_text, record=rec)


def revoke_credential(store: Store, credential_id: str, *, reason: str = "") -> CredentialRecord:
    """Mark a credential issued here as revoked; verifiers using this store report it revoked.

    Raises:
        NotFoundError: no such credential.
        InputError: the credential was received, not issued here.
    """
    from skillpath.portfolio._evidence import _row_to_credential

    with store.session() as s:
        row = s.get(CredentialRow, credential_id)
        if row is None:
            raise NotFoundError("no credential with this id", value=credential_id)
        if row.direction != "issued":
            raise InputError(
                "only credentials issued here can be revoked here", value=credential_id
            )
        row.revoked_at = now_iso()
        row.revocation_reason = reason or None
        return _row_to_credential(row)
